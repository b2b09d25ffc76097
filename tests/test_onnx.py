"""ONNX both ways: digitpad's models run in onnxruntime as they do in digitpad, graphs made elsewhere
(with the onnx helper API alone) run in digitpad as they do in onnxruntime, and bad files are one-line
errors naming the file.  Real MNIST test images throughout."""

from __future__ import annotations

import json
import subprocess
import sys
import tracemalloc
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from digitpad import __version__, nn
from digitpad.cli import main
from digitpad.data import mnist
from digitpad.errors import DigitpadError, ModelFileError
from digitpad.nn.module import Module
from digitpad.nn.io.onnx_export import OPSET, OnnxExportError
from digitpad.nn.io.onnx_import import MAX_TENSOR_ELEMENTS

ROOT = Path(__file__).resolve().parents[1]
TOLERANCE = 1e-5


@pytest.fixture(scope="module")
def test_images(mnist_dir) -> np.ndarray:
    """2,000 real MNIST test digits, (N, 1, 28, 28) float32 in [0, 1]."""
    images, _ = mnist.load_mnist("test", mnist_dir)
    return (images[:2000].astype(np.float32) / 255.0)[:, None]


def run_onnxruntime(path: Path, x: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    (name,) = [i.name for i in session.get_inputs()]
    return session.run(None, {name: x})[0]


def one_line(exc: BaseException, *fragments: str) -> str:
    message = str(exc)
    assert message and "\n" not in message, repr(message)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


# --- export: digitpad's models in onnxruntime ------------------------------------------------------


@pytest.mark.parametrize("name", ["mlp", "cnn"])
def test_shipped_models_run_in_onnxruntime_as_in_digitpad(tmp_path, test_images, name):
    model = nn.load_model(ROOT / "models" / f"{name}.npz")
    path = tmp_path / f"{name}.onnx"
    nn.export_onnx(model, path)
    x = test_images.reshape(-1, *model.input_shape)
    expected = model.predict_proba(x)
    got = run_onnxruntime(path, x)
    assert got.shape == expected.shape == (2000, 10) and got.dtype == np.float32
    difference = float(np.abs(got - expected).max())
    print(f"{name}: max |onnxruntime - predict_proba| = {difference:.2e}")
    assert difference < TOLERANCE
    assert (got.argmax(1) == expected.argmax(1)).all()


def every_layer_model(seed: int = 3) -> nn.Sequential:
    """A model with every layer of the engine, trained weights replaced by random ones and batch-norm
    statistics that are not the defaults."""
    nn.manual_seed(seed)
    layers = [nn.Conv2D(1, 6, 3, padding=1), nn.BatchNorm(6), nn.PReLU(6), nn.Conv2D(6, 8, 5, stride=2, padding=2),
              nn.LeakyReLU(0.1), nn.MaxPool2D(3, stride=2), nn.ELU(0.7), nn.Dropout(0.3), nn.Flatten(),
              nn.Dense(8 * 6 * 6, 48), nn.BatchNorm(48), nn.Tanh(), nn.Dense(48, 40), nn.Maxout(2),
              nn.PReLU(), nn.Dense(20, 16), nn.Sigmoid(), nn.Dense(16, 12), nn.ReLU(), nn.Dense(12, 10),
              nn.Softmax()]
    model = nn.Sequential(layers, input_shape=(1, 28, 28))
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        if isinstance(layer, nn.BatchNorm):
            layer.buffers["running_mean"][...] = rng.normal(0, 0.3, layer.num_features)
            layer.buffers["running_var"][...] = rng.uniform(0.5, 2.0, layer.num_features)
            layer.params["gamma"][...] = rng.uniform(0.5, 1.5, layer.num_features)
            layer.params["beta"][...] = rng.normal(0, 0.2, layer.num_features)
        if isinstance(layer, nn.PReLU):
            layer.params["alpha"][...] = rng.uniform(0.05, 0.5, layer.num_parameters)
        if isinstance(layer, (nn.Dense, nn.Conv2D)):
            layer.params["b"][...] = rng.normal(0, 0.1, layer.params["b"].shape)
    model.metadata = {"name": "every-layer", "test_accuracy": 0.1}
    return model


@pytest.fixture(scope="module")
def trained_every_layer(mnist_dir) -> nn.Sequential:
    """`every_layer_model` after 50 Adam steps on 3,200 MNIST training digits (a few seconds): real
    batch-norm statistics, and predictions that depend on the digit (about 70 % right)."""
    images, labels = mnist.load_mnist("train", mnist_dir)
    x, y = images[:3200, None].astype(np.float32) / 255.0, labels[:3200]
    model = every_layer_model()
    logits = nn.Sequential(model.layers[:-1], input_shape=model.input_shape)
    loss, optimizer = nn.SoftmaxCrossEntropy(), nn.Adam(logits.parameters(), lr=3e-3)
    logits.train()
    for start in range(0, len(x), 64):
        _, grad = loss(logits.forward(x[start:start + 64]), y[start:start + 64])
        logits.backward(grad)
        optimizer.step()
    model.eval()
    return model


def test_a_model_with_every_layer_runs_in_onnxruntime_as_in_digitpad(tmp_path, test_images, trained_every_layer):
    model = trained_every_layer
    assert {type(layer) for layer in model.layers} >= {nn.Conv2D, nn.BatchNorm, nn.PReLU, nn.LeakyReLU, nn.MaxPool2D,
                                                       nn.ELU, nn.Dropout, nn.Flatten, nn.Dense, nn.Tanh, nn.Maxout,
                                                       nn.Sigmoid, nn.ReLU, nn.Softmax}
    path = tmp_path / "every.onnx"
    nn.export_onnx(model, path)
    expected = model.predict_proba(test_images)
    got = run_onnxruntime(path, test_images)
    assert np.abs(got - expected).max() < TOLERANCE
    assert len(set(expected.argmax(1))) == 10   # the answer depends on the digit
    # batch norm on vectors and an MLP input of 784 values
    nn.manual_seed(5)
    mlp = nn.Sequential([nn.Dense(784, 32), nn.BatchNorm(32), nn.ReLU(), nn.Dropout(0.5), nn.Dense(32, 10)])
    mlp.layers[1].buffers["running_var"][...] = 3.0
    nn.export_onnx(mlp, tmp_path / "mlp784.onnx")
    x = test_images.reshape(-1, 784)
    assert np.abs(run_onnxruntime(tmp_path / "mlp784.onnx", x) - mlp.predict_proba(x)).max() < TOLERANCE


def test_the_exported_graph_is_standard_with_a_dynamic_batch_and_metadata(tmp_path, test_images):
    model = nn.load_model(ROOT / "models" / "cnn.npz")
    card = json.loads((ROOT / "models" / "cnn.card.json").read_text())
    path = tmp_path / "cnn.onnx"
    nn.export_onnx(model, path, card=card)
    proto = onnx.load(str(path))
    onnx.checker.check_model(proto, full_check=True)
    assert [(o.domain, o.version) for o in proto.opset_import] == [("", OPSET)] and OPSET >= 17
    batch = proto.graph.input[0].type.tensor_type.shape.dim[0]
    assert batch.dim_param == "N" and not batch.HasField("dim_value")
    assert [d.dim_value for d in proto.graph.input[0].type.tensor_type.shape.dim[1:]] == [1, 28, 28]
    for properties in (proto.graph.metadata_props, proto.metadata_props):
        props = {p.key: p.value for p in properties}
        assert props["digitpad_version"] == __version__
        summary = json.loads(props["digitpad_model_card"])
        assert summary["name"] == card["name"] and summary["test_accuracy"] == card["test_accuracy"]
        assert summary["command"] == card["command"] and "history" not in summary
        assert json.loads(props["digitpad_metadata"])["test_accuracy"] == model.metadata["test_accuracy"]
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    assert session.get_modelmeta().custom_metadata_map["digitpad_version"] == __version__
    for n in (1, 7, 256):  # any batch size
        out = session.run(None, {"input": test_images[:n]})[0]
        assert out.shape == (n, 10)
        assert np.abs(out - model.predict_proba(test_images[:n])).max() < TOLERANCE


def test_a_layer_with_no_onnx_form_is_refused_naming_it(tmp_path):
    class Square(Module):
        """x², a layer of one's own."""

        def forward(self, x):
            return x * x

    class MyReLU(nn.ReLU):
        """A subclass may compute something else: refused too."""

    for odd, name in ((Square(), "Square"), (MyReLU(), "MyReLU")):
        model = nn.Sequential([nn.Dense(784, 10), odd])
        with pytest.raises(OnnxExportError) as info:
            nn.export_onnx(model, tmp_path / "odd.onnx")
        one_line(info.value, f"layer 1 ({name})", "no faithful ONNX form")
        assert isinstance(info.value, ValueError) and isinstance(info.value, DigitpadError)
    assert not (tmp_path / "odd.onnx").exists()


# --- import: round trips and graphs made elsewhere ----------------------------------------------------


@pytest.mark.parametrize("name", ["cnn", "mlp", "every-layer"])
def test_export_then_import_predicts_the_same(tmp_path, test_images, trained_every_layer, name):
    model = trained_every_layer if name == "every-layer" else nn.load_model(ROOT / "models" / f"{name}.npz")
    path = tmp_path / "model.onnx"
    nn.export_onnx(model, path)
    back = nn.load_model(path)   # load_model reads .onnx through import_onnx
    def settings(config):  # the weight initialiser's name is how training started, not in a graph
        return [(layer["type"], {k: v for k, v in layer["config"].items() if k != "init"})
                for layer in config["layers"] if layer["type"] != "Softmax"]

    assert settings(back.config()) == settings(model.config())   # the same layers, with the same settings
    assert back.input_shape == model.input_shape and not back.training
    x = test_images.reshape(-1, *model.input_shape)
    assert np.array_equal(back.predict(x), model.predict(x)) and len(set(model.predict(x))) == 10
    assert np.abs(back.predict_proba(x) - model.predict_proba(x)).max() < 1e-6
    assert back.metadata["name"] == model.metadata.get("name", "model") and back.metadata["source"].startswith("ONNX")
    if "test_accuracy" in model.metadata:
        assert back.metadata["test_accuracy"] == model.metadata["test_accuracy"]


def _tensor(name: str, array: np.ndarray) -> TensorProto:
    return numpy_helper.from_array(np.asarray(array), name)


def _declared(name: str, dims: list[int], raw: bytes = b"") -> TensorProto:
    """A float tensor declaring ``dims`` and holding ``raw`` whatever they are (onnx.helper checks)."""
    return TensorProto(name=name, data_type=TensorProto.FLOAT, dims=dims, raw_data=raw)


def foreign_cnn(path: Path) -> None:
    """A small CNN written with onnx.helper only, as another framework would: Conv without bias plus an
    Add, BatchNormalization, PRelu, MaxPool, Flatten, Constant + Reshape, Gemm (transposed weights),
    MatMul + Add, Dropout (ratio input), Identity, Elu, Softmax; a fixed batch size of 1."""
    rng = np.random.default_rng(11)
    w = lambda *shape: rng.normal(0, 0.3, shape).astype(np.float32)  # noqa: E731
    inits = [
        _tensor("conv1.w", w(4, 1, 3, 3)), _tensor("conv1.b", w(1, 4, 1, 1)),
        _tensor("bn.scale", rng.uniform(0.5, 1.5, 4).astype(np.float32)), _tensor("bn.bias", w(4)),
        _tensor("bn.mean", w(4)), _tensor("bn.var", rng.uniform(0.5, 2, 4).astype(np.float32)),
        _tensor("prelu.slope", rng.uniform(0, 0.3, (4, 1, 1)).astype(np.float32)),
        _tensor("conv2.w", w(6, 4, 3, 3)), _tensor("conv2.b", w(6)),
        _tensor("fc1.w", w(24, 6 * 6 * 6)), _tensor("fc1.b", w(24)),
        _tensor("fc2.w", w(24, 16)), _tensor("fc2.b", w(16)),
        _tensor("drop.ratio", np.array(0.25, np.float32)),
        _tensor("fc3.w", w(16, 10)), _tensor("fc3.b", w(1, 10)),
    ]
    nodes = [
        helper.make_node("Conv", ["image", "conv1.w"], ["c1"], name="conv1", pads=[1, 1, 1, 1], kernel_shape=[3, 3]),
        helper.make_node("Add", ["c1", "conv1.b"], ["c1b"], name="conv1_bias"),
        helper.make_node("BatchNormalization", ["c1b", "bn.scale", "bn.bias", "bn.mean", "bn.var"], ["bn"],
                         name="bn1", epsilon=1e-3),
        helper.make_node("PRelu", ["bn", "prelu.slope"], ["a1"], name="prelu1"),
        helper.make_node("MaxPool", ["a1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
        helper.make_node("Conv", ["p1", "conv2.w", "conv2.b"], ["c2"], name="conv2", strides=[2, 2],
                         auto_pad="VALID"),
        helper.make_node("Relu", ["c2"], ["a2"], name="relu2"),
        helper.make_node("Constant", [], ["flat_shape"], name="shape",
                         value=_tensor("flat_shape", np.array([1, -1], np.int64))),
        helper.make_node("Reshape", ["a2", "flat_shape"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "fc1.w", "fc1.b"], ["g1"], name="fc1", transB=1),
        helper.make_node("Tanh", ["g1"], ["t1"], name="tanh1"),
        helper.make_node("MatMul", ["t1", "fc2.w"], ["m2"], name="fc2"),
        helper.make_node("Add", ["m2", "fc2.b"], ["g2"], name="fc2_bias"),
        helper.make_node("Dropout", ["g2", "drop.ratio"], ["d2"], name="dropout"),
        helper.make_node("Identity", ["d2"], ["i2"], name="identity"),
        helper.make_node("Elu", ["i2"], ["e2"], name="elu", alpha=0.5),
        helper.make_node("Gemm", ["e2", "fc3.w", "fc3.b"], ["logits"], name="fc3"),
        helper.make_node("Softmax", ["logits"], ["prob"], name="softmax", axis=1),
    ]
    graph = helper.make_graph(nodes, "foreign-cnn", [helper.make_tensor_value_info("image", TensorProto.FLOAT,
                                                                                    [1, 1, 28, 28])],
                              [helper.make_tensor_value_info("prob", TensorProto.FLOAT, [1, 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="handmade")
    model.ir_version = 7
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def foreign_mlp(path: Path) -> None:
    """An MLP on 784 values, written with onnx.helper only, ending with its logits (no Softmax): Flatten,
    Gemm, LeakyRelu, Sigmoid, Gemm with alpha/beta; a symbolic batch named "batch"."""
    rng = np.random.default_rng(12)
    inits = [_tensor("w1", rng.normal(0, 0.1, (784, 32)).astype(np.float32)),
             _tensor("b1", rng.normal(0, 0.1, 32).astype(np.float32)),
             _tensor("w2", rng.normal(0, 0.5, (32, 10)).astype(np.float32)),
             _tensor("b2", rng.normal(0, 0.5, 10).astype(np.float32))]
    nodes = [helper.make_node("Flatten", ["x"], ["fx"], name="flat"),
             helper.make_node("Gemm", ["fx", "w1", "b1"], ["h"], name="dense1"),
             helper.make_node("LeakyRelu", ["h"], ["hl"], name="leaky", alpha=0.2),
             helper.make_node("Sigmoid", ["hl"], ["hs"], name="sigmoid"),
             helper.make_node("Gemm", ["hs", "w2", "b2"], ["y"], name="dense2", alpha=1.5, beta=0.5)]
    graph = helper.make_graph(nodes, "foreign-mlp", [helper.make_tensor_value_info("x", TensorProto.FLOAT,
                                                                                    ["batch", 784])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def test_a_graph_made_with_the_onnx_helper_api_predicts_as_onnxruntime(tmp_path, test_images):
    path = tmp_path / "foreign-cnn.onnx"
    foreign_cnn(path)
    model = nn.import_onnx(path)
    assert [type(layer).__name__ for layer in model.layers] == [
        "Conv2D", "BatchNorm", "PReLU", "MaxPool2D", "Conv2D", "ReLU", "Flatten", "Dense", "Tanh", "Dense",
        "Dropout", "ELU", "Dense"]   # the final Softmax is predict_proba's
    expected = np.concatenate([run_onnxruntime(path, image[None]) for image in test_images[:300]])  # batch of 1
    got = model.predict_proba(test_images[:300])
    assert np.abs(got - expected).max() < TOLERANCE
    assert len(set(got.argmax(1))) > 1
    assert model.metadata == {"name": "foreign-cnn", "source": "ONNX (handmade)"}

    path = tmp_path / "foreign-mlp.onnx"
    foreign_mlp(path)
    model = nn.load_model(path)
    assert model.input_shape == (1, 28, 28)   # the images the app and the CLI give, their rows flattened
    assert [type(layer).__name__ for layer in model.layers] == ["Flatten", "Dense", "LeakyReLU", "Sigmoid", "Dense"]
    logits = run_onnxruntime(path, test_images.reshape(-1, 784))
    assert np.abs(model.predict_proba(test_images) - nn.softmax(logits)).max() < TOLERANCE
    assert np.array_equal(model.predict(test_images), logits.argmax(1))


def test_probabilities_out_of_the_graph_are_not_normalised_twice(tmp_path, test_images):
    """A graph that outputs probabilities (a Softmax, here with a Dropout after it) gives those, not their
    softmax; one that outputs logits gives their softmax (test above)."""
    rng = np.random.default_rng(4)
    inits = [_tensor("w", rng.normal(0, 0.2, (784, 10)).astype(np.float32)), _tensor("b", np.zeros(10, np.float32))]
    nodes = [helper.make_node("Gemm", ["x", "w", "b"], ["z"], name="fc"),
             helper.make_node("Softmax", ["z"], ["p"], name="softmax"),
             helper.make_node("Dropout", ["p"], ["y"], name="dropout")]
    path = _graph_file(tmp_path / "probabilities.onnx", nodes, inits)
    model = nn.import_onnx(path)
    assert [type(layer).__name__ for layer in model.layers] == ["Flatten", "Dense"]
    expected = run_onnxruntime(path, test_images.reshape(-1, 784))
    assert np.abs(model.predict_proba(test_images) - expected).max() < TOLERANCE


def test_an_onnx_file_opens_from_the_cli(tmp_path, test_images, capsys):
    from PIL import Image

    path = tmp_path / "foreign-mlp.onnx"
    foreign_mlp(path)
    picture = tmp_path / "digit.png"
    Image.fromarray((test_images[0, 0] * 255).astype(np.uint8)).save(picture)
    assert main(["predict", "--model", str(path), str(picture)]) == 0
    row = capsys.readouterr().out.strip().splitlines()[-1].split()
    assert row[0] == str(picture) and 0 <= int(row[1]) <= 9


def test_onnx_models_in_the_models_folder_are_listed_and_found_by_name(tmp_path, monkeypatch, test_images, capsys):
    """An exported graph dropped into the user's models folder is a model like the others: listed with
    the accuracy its metadata carries, resolved by name (an .npz of the same name wins), and usable
    by name from the CLI."""
    from digitpad.reading.store import list_models, resolve

    models = tmp_path / "models"
    models.mkdir()
    monkeypatch.setenv("DIGITPAD_MODELS_DIR", str(models))
    mlp = nn.load_model(ROOT / "models" / "mlp.npz")
    nn.export_onnx(mlp, models / "exported.onnx")
    (models / "broken.onnx").write_bytes(b"\x08\x07 not a graph")
    entries = {entry.name: entry for entry in list_models() if entry.kind == "user"}
    assert set(entries) == {"exported", "broken"}   # a damaged file is listed, with the reason
    assert entries["broken"].problem.startswith(f"{models / 'broken.onnx'}: damaged or truncated ONNX file")
    assert entries["exported"].problem is None and entries["exported"].path == models / "exported.onnx"
    assert entries["exported"].test_accuracy == mlp.metadata["test_accuracy"]
    assert resolve("exported") == models / "exported.onnx"
    nn.save_model(mlp, models / "exported.npz")
    assert resolve("exported") == models / "exported.npz"
    assert [e.path.name for e in list_models() if e.kind == "user"] == ["broken.onnx", "exported.npz"]
    (models / "exported.npz").unlink()
    from PIL import Image

    picture = tmp_path / "digit.png"
    Image.fromarray((test_images[0, 0] * 255).astype(np.uint8)).save(picture)
    assert main(["predict", "--model", "exported", str(picture)]) == 0
    row = capsys.readouterr().out.strip().splitlines()[-1].split()
    assert row[0] == str(picture) and int(row[1]) == int(mlp.predict(test_images[:1])[0])


# --- bad files: one line each, naming the file ------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("good") / "every.onnx"
    nn.export_onnx(every_layer_model(), path)
    return path.read_bytes()


def _expect_error(path: Path, *fragments: str) -> str:
    with pytest.raises(ModelFileError) as info:
        nn.load_model(path)
    return one_line(info.value, str(path), *fragments)


def test_damaged_files_are_named(tmp_path, exported):
    path = tmp_path / "damaged.onnx"
    data = bytearray(exported)
    data[len(data) // 3: len(data) // 3 + 8] = b"\xff" * 8   # a broken length inside the graph
    path.write_bytes(bytes(data))
    _expect_error(path, "damaged")
    path.write_bytes(b"\x00\x01 this is not a protobuf \xff\xfe" * 10)
    _expect_error(path)
    path.write_text("<html>not a model</html>")
    _expect_error(path)
    path.write_bytes(b"")
    _expect_error(path, "empty")
    _expect_error(tmp_path / "missing.onnx", "no such model file")


def test_truncated_files_are_named(tmp_path, exported):
    path = tmp_path / "cut.onnx"
    for fraction in (0.02, 0.1, 0.25, 0.5, 0.75, 0.9, 0.97):
        path.write_bytes(exported[: int(len(exported) * fraction)])
        _expect_error(path)
    path.write_bytes(exported[: len(exported) // 2])
    _expect_error(path, "damaged or truncated")


def _graph_file(path: Path, nodes, inits, input_dims=("N", 784), output="y", opset=17, elem=TensorProto.FLOAT):
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", elem, list(input_dims))],
                              [helper.make_tensor_value_info(output, TensorProto.FLOAT, ["N", 10])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    path.write_bytes(model.SerializeToString())
    return path


def test_a_huge_tensor_is_refused_before_anything_is_allocated(tmp_path):
    w = _declared("w", [10**6, 10**6], b"\x00" * 16)
    path = _graph_file(tmp_path / "huge.onnx", [helper.make_node("MatMul", ["x", "w"], ["y"], name="fc")], [w])
    assert path.stat().st_size < 200
    tracemalloc.start()
    try:
        message = _expect_error(path, "'w'", "1,000,000,000,000 values", f"{MAX_TENSOR_ELEMENTS:,}")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 << 20, (peak, message)
    # within the per-tensor cap, but many of them: the total cap
    many = [_declared(f"w{i}", [4096, 4096]) for i in range(4)]
    path = _graph_file(tmp_path / "many.onnx", [helper.make_node("MatMul", ["x", "w0"], ["y"], name="fc")], many)
    _expect_error(path, "more than 50,000,000 values")
    # a size that fits, and data that does not match it
    w = _declared("w", [784, 10], b"\x00" * 40)
    path = _graph_file(tmp_path / "short.onnx", [helper.make_node("MatMul", ["x", "w"], ["y"], name="fc")], [w])
    _expect_error(path, "'w'", "declares dims [784, 10] (7,840 values) but holds 40 bytes")
    w = _declared("w", [784, 10], np.full(7840, np.inf, np.float32).tobytes())
    path = _graph_file(tmp_path / "inf.onnx", [helper.make_node("MatMul", ["x", "w"], ["y"], name="fc")], [w])
    _expect_error(path, "'w'", "NaN or infinite")


def test_an_unsupported_operator_is_named_with_its_node(tmp_path):
    w = _tensor("w", np.zeros((784, 10), np.float32))
    nodes = [helper.make_node("MatMul", ["x", "w"], ["h"], name="fc"),
             helper.make_node("Transpose", ["h"], ["t"], name="swap_axes", perm=[1, 0]),
             helper.make_node("LSTM", ["t"], ["y"], name="rnn")]
    message = _expect_error(_graph_file(tmp_path / "op.onnx", nodes, [w]), "unsupported operator 'Transpose'",
                            "node 'swap_axes'", "Gemm", "Conv")
    assert "LSTM" not in message   # the first one
    nodes = [helper.make_node("MatMul", ["x", "w"], ["h"], name="fc"), helper.make_node("HardSwish", ["h"], ["y"])]
    _expect_error(_graph_file(tmp_path / "unnamed.onnx", nodes, [w]), "'HardSwish'", "node #1 (unnamed)")
    nodes = [helper.make_node("MatMul", ["x", "w"], ["h"], name="fc"),
             helper.make_node("Relu", ["h"], ["y"], name="custom", domain="com.example")]
    _expect_error(_graph_file(tmp_path / "domain.onnx", nodes, [w]), "'com.example.Relu'", "node 'custom'")


def test_graphs_digitpad_cannot_run_faithfully_are_refused_clearly(tmp_path):
    w = _tensor("w", np.zeros((784, 10), np.float32))
    b = _tensor("b", np.zeros(10, np.float32))
    cases = {
        "branch": ([helper.make_node("MatMul", ["x", "w"], ["h"], name="fc"),
                    helper.make_node("Relu", ["h"], ["r"], name="relu"),
                    helper.make_node("Add", ["r", "h"], ["y"], name="skip")], "single chain of layers"),
        "add": ([helper.make_node("Gemm", ["x", "w", "b"], ["h"], name="fc"),
                 helper.make_node("Relu", ["h"], ["r"], name="relu"),
                 helper.make_node("Add", ["r", "b"], ["y"], name="shift")], "Add only as the bias"),
        "softmax-axis": ([helper.make_node("Gemm", ["x", "w", "b"], ["h"], name="fc"),
                          helper.make_node("Softmax", ["h"], ["y"], name="sm", axis=0)], "over axis 0"),
        "dropout-training": ([helper.make_node("Gemm", ["x", "w", "b"], ["h"], name="fc"),
                              helper.make_node("Dropout", ["h"], ["y", "mask"], name="drop")], "mask used"),
    }
    for name, (nodes, fragment) in cases.items():
        if name == "dropout-training":
            graph_path = tmp_path / f"{name}.onnx"
            graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 784])],
                                      [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10]),
                                       helper.make_tensor_value_info("mask", TensorProto.BOOL, ["N", 10])], [w, b])
            graph_path.write_bytes(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString())
        else:
            graph_path = _graph_file(tmp_path / f"{name}.onnx", nodes, [w, b])
        _expect_error(graph_path, fragment)
    nodes = [helper.make_node("Gemm", ["x", "w", "b"], ["y"], name="fc")]
    _expect_error(_graph_file(tmp_path / "rgb.onnx", nodes, [w, b], input_dims=("N", 3, 32, 32)),
                  "(N, 3, 32, 32)", "(N, 1, 28, 28) or (N, 784)")
    _expect_error(_graph_file(tmp_path / "int.onnx", nodes, [w, b], elem=TensorProto.INT8), "not a float32 tensor")


def test_tensors_stored_outside_the_file_are_refused_and_never_read(tmp_path):
    secret = tmp_path / "weights.bin"
    secret.write_bytes(np.zeros(7840, np.float32).tobytes())
    w = _declared("w", [784, 10])
    w.data_location = TensorProto.EXTERNAL
    w.external_data.add(key="location", value=str(secret))
    path = _graph_file(tmp_path / "external.onnx", [helper.make_node("MatMul", ["x", "w"], ["y"], name="fc")], [w])
    secret.unlink()   # were the importer to read it, the error would say the file is missing
    _expect_error(path, "'w'", "external data", "self-contained")


def test_without_the_onnx_package_the_error_says_how_to_install_it(tmp_path, monkeypatch, exported):
    path = tmp_path / "model.onnx"
    path.write_bytes(exported)
    monkeypatch.setitem(sys.modules, "onnx", None)   # `import onnx` raises ImportError
    _expect_error(path, 'pip install "digitpad[onnx]"')
    with pytest.raises(OnnxExportError) as info:
        nn.export_onnx(every_layer_model(), tmp_path / "out.onnx")
    one_line(info.value, 'pip install "digitpad[onnx]"')
    assert not (tmp_path / "out.onnx").exists()


def test_import_digitpad_nn_does_not_import_onnx():
    code = "import sys, digitpad.nn, digitpad.cli; digitpad.cli.build_parser(); print('onnx' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr


# --- the command line -------------------------------------------------------------------------------


def test_cli_export_writes_the_graph_with_the_model_card(tmp_path, test_images, capsys):
    out = tmp_path / "mlp.onnx"
    assert main(["export", "mlp", "--onnx", str(out)]) == 0
    printed = capsys.readouterr().out
    assert f"wrote {out}" in printed and "537,354 parameters" in printed and "mlp.card.json" in printed
    props = {p.key: p.value for p in onnx.load(str(out)).metadata_props}
    assert json.loads(props["digitpad_model_card"])["name"] == "mlp"
    model = nn.load_model(ROOT / "models" / "mlp.npz")
    assert np.abs(run_onnxruntime(out, test_images) - model.predict_proba(test_images)).max() < TOLERANCE


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "digitpad", *args], capture_output=True, text=True, timeout=120,
                          cwd=ROOT)


@pytest.mark.parametrize("case", ["missing-model", "missing-folder", "damaged-model"])
def test_cli_export_user_errors_are_one_line(tmp_path, case):
    damaged = tmp_path / "damaged.npz"
    damaged.write_bytes(b"PK\x03\x04 not really")
    model, out, fragment = {
        "missing-model": ("nosuch", tmp_path / "a.onnx", "no model named 'nosuch'"),
        "missing-folder": ("mlp", tmp_path / "no" / "such" / "a.onnx", "does not exist"),
        "damaged-model": (str(damaged), tmp_path / "a.onnx", str(damaged)),
    }[case]
    done = run_cli("export", model, "--onnx", str(out))
    assert done.returncode == 2, done
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("digitpad: error: ") and fragment in lines[0], done.stderr
    assert not out.exists()


# --- the app --------------------------------------------------------------------------------------------


def test_the_app_opens_an_onnx_model_from_the_model_menu(window, tmp_path, monkeypatch, test_images, message_boxes):
    """Model → Open model file… offers .onnx files, and the graph then predicts in the window."""
    from PySide6.QtWidgets import QFileDialog

    cnn = nn.load_model(ROOT / "models" / "cnn.npz")
    path = tmp_path / "cnn.onnx"
    nn.export_onnx(cnn, path)
    filters = []

    def choose(parent, caption, directory, file_filter, *args, **kwargs):
        filters.append(file_filter)
        return str(path), file_filter

    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(choose))
    window.open_model_dialog()
    assert "*.onnx" in filters[0] and "*.npz" in filters[0]
    assert message_boxes == [] and window.session.model_path == path
    opened = window.session.reader.model
    assert np.array_equal(opened.predict(test_images[:500]), cnn.predict(test_images[:500]))
