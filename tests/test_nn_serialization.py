"""Saving and loading models: round trip, atomicity, and a clear error for every kind of bad file."""

import json

import numpy as np
import pytest

from digitpad import nn
from digitpad.errors import ArchitectureError, ModelFileError


def small_cnn():
    return nn.Sequential([nn.Conv2D(1, 4, 3, padding=1), nn.BatchNorm(4), nn.ReLU(), nn.MaxPool2D(2),
                          nn.Flatten(), nn.Dropout(0.3), nn.Dense(4 * 14 * 14, 16), nn.PReLU(),
                          nn.Dense(16, 10)], input_shape=(1, 28, 28))


@pytest.fixture
def trained(tmp_path):
    rng = np.random.default_rng(0)
    model = small_cnn()
    x = rng.random((32, 1, 28, 28), dtype=np.float32)
    y = rng.integers(0, 10, 32)
    loss, opt = nn.SoftmaxCrossEntropy(), nn.Adam(model.parameters(), lr=1e-2)
    model.train()
    for _ in range(3):  # moves weights and batch-norm running statistics
        _, g = loss(model.forward(x), y)
        model.backward(g)
        opt.step()
    model.metadata = {"name": "test", "accuracy": 0.5}
    path = tmp_path / "model.npz"
    nn.save_model(model, path)
    return model, x, path


def test_round_trip_gives_identical_predictions(trained):
    model, x, path = trained
    loaded = nn.load_model(path)
    np.testing.assert_array_equal(loaded.predict_proba(x), model.predict_proba(x))
    assert loaded.metadata == {"name": "test", "accuracy": 0.5}
    assert loaded.summary() == model.summary()
    assert not loaded.training


def test_saving_replaces_atomically_and_leaves_no_temp(trained, tmp_path):
    model, x, path = trained
    model.layers[-1].params["b"][...] += 1
    nn.save_model(model, path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]
    np.testing.assert_array_equal(nn.load_model(path).layers[-1].params["b"], model.layers[-1].params["b"])


def rewrite(path, arrays):
    np.savez(path, **arrays)


def load_arrays(path):
    with np.load(path, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


@pytest.mark.parametrize("damage, message", [
    (lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), "damaged or truncated"),
    (lambda p: p.write_bytes(b"PK\x03\x04 garbage"), "damaged or truncated"),
    (lambda p: p.write_text("hello, I am a text file"), "damaged"),
    (lambda p: p.write_bytes(b""), "damaged"),
])
def test_damaged_files(trained, damage, message):
    _, _, path = trained
    damage(path)
    with pytest.raises(ModelFileError, match=message) as info:
        nn.load_model(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_foreign_npz(tmp_path):
    path = tmp_path / "foreign.npz"
    np.savez(path, weights=np.zeros(3))
    with pytest.raises(ModelFileError, match="not a digitpad model"):
        nn.load_model(path)


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(ModelFileError, match="no such model file"):
        nn.load_model(tmp_path / "nope.npz")
    with pytest.raises(ModelFileError, match="is a folder"):
        nn.load_model(tmp_path)


def test_pickled_object_array_is_refused_not_executed(trained, tmp_path):
    _, _, path = trained
    arrays = load_arrays(path)
    marker = tmp_path / "executed"

    class Exploit:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    arrays["0.W"] = np.array([Exploit()], dtype=object)
    np.savez(path, **arrays)
    with pytest.raises(ModelFileError, match="pickled"):
        nn.load_model(path)
    assert not marker.exists()


def header_of(path):
    return json.loads(load_arrays(path)["__digitpad__"].tobytes())


def with_header(path, header):
    arrays = load_arrays(path)
    arrays["__digitpad__"] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    rewrite(path, arrays)


def test_mismatched_shapes(trained):
    _, _, path = trained
    arrays = load_arrays(path)
    arrays["6.W"] = arrays["6.W"][:-1]
    rewrite(path, arrays)
    with pytest.raises(ModelFileError, match="6.W has shape"):
        nn.load_model(path)


def test_missing_array(trained):
    _, _, path = trained
    arrays = load_arrays(path)
    del arrays["1.running_var"]
    rewrite(path, arrays)
    with pytest.raises(ModelFileError, match="missing: 1.running_var"):
        nn.load_model(path)


def test_nan_weights(trained):
    _, _, path = trained
    arrays = load_arrays(path)
    arrays["8.b"][0] = np.nan
    rewrite(path, arrays)
    with pytest.raises(ModelFileError, match="NaN"):
        nn.load_model(path)


def test_unknown_layer_and_absurd_shapes(trained):
    _, _, path = trained
    header = header_of(path)
    header["model"]["layers"][2]["type"] = "Teleport"
    with_header(path, header)
    with pytest.raises(ModelFileError, match="unknown layer type 'Teleport'"):
        nn.load_model(path)
    header["model"]["layers"][2]["type"] = "ReLU"
    header["model"]["layers"][6]["config"]["out_features"] = 90_000
    header["model"]["layers"][6]["config"]["in_features"] = 90_000
    with_header(path, header)
    with pytest.raises(ModelFileError, match="more than"):
        nn.load_model(path)


def test_future_version(trained):
    _, _, path = trained
    header = header_of(path)
    header["version"] = 99
    with_header(path, header)
    with pytest.raises(ModelFileError, match="version 99"):
        nn.load_model(path)


def test_build_model_validates_json_specs():
    spec = {"input_shape": [1, 28, 28], "layers": [{"type": "Flatten"}, {"type": "Dense", "config": {"in_features": 784, "out_features": 10}}]}
    assert nn.build_model(spec).output_shapes()[-1] == (10,)
    with pytest.raises(ArchitectureError, match="layer 1.*Dense"):
        nn.build_model({"layers": [{"type": "Flatten"}, {"type": "Dense", "config": {"in_features": 100, "out_features": 10}}]})
    with pytest.raises(ArchitectureError, match="unexpected keyword"):
        nn.build_model({"layers": [{"type": "ReLU", "config": {"bogus": 1}}]})
    with pytest.raises(ArchitectureError, match="non-empty"):
        nn.build_model({"layers": []})
