"""Weight averaging (`digitpad.nn.average_models`, `digitpad average`): the mean is exact, only one
architecture can be averaged, and on real MNIST a model averaged with its fine-tune reads digits."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitpad import nn
from digitpad.commands.average import rebuild_command
from digitpad.data import mnist
from digitpad.drawing.network_input import to_model_input
from digitpad.errors import ArchitectureError
from digitpad.evaluation.metrics import evaluate
from digitpad.training.config import TrainConfig
from digitpad.training.trainer import Trainer
from training_helpers import train_on
from test_hardening_cli import assert_one_line_error, run_cli


def _small_model(seed: int, hidden: int = 16) -> nn.Sequential:
    nn.manual_seed(seed)
    model = nn.Sequential([nn.Flatten(), nn.Dense(784, hidden), nn.BatchNorm(hidden), nn.ReLU(),
                           nn.Dense(hidden, 10)], input_shape=(1, 28, 28))
    for value in model.state().values():  # buffers too, so that every array differs between seeds
        value[...] = np.random.default_rng(seed).uniform(0.5, 1.5, size=value.shape)  # variances > 0
    return model


def test_the_average_is_the_weighted_mean_of_every_parameter_and_buffer():
    a, b = _small_model(1), _small_model(2)
    before = {key: value.copy() for key, value in a.state().items()}
    average = nn.average_models([a, b], weights=[1, 3])
    assert average is not a and average is not b
    for key, value in average.state().items():
        assert value.dtype == np.float32
        np.testing.assert_allclose(value, 0.25 * a.state()[key] + 0.75 * b.state()[key], rtol=1e-6, atol=1e-6)
        np.testing.assert_array_equal(a.state()[key], before[key])  # the ingredients are left alone
    equal = nn.average_models([a, b])
    np.testing.assert_allclose(equal.state()["1.W"], (a.state()["1.W"] + b.state()["1.W"]) / 2,
                               rtol=1e-6)


def test_a_model_averaged_with_itself_predicts_as_it_does():
    model = _small_model(3)
    model.eval()
    x = np.random.default_rng(0).random((8, 1, 28, 28), dtype=np.float32)
    average = nn.average_models([model, model, model])
    average.eval()
    np.testing.assert_allclose(average.predict_proba(x), model.predict_proba(x), rtol=1e-5, atol=1e-6)


def test_only_one_architecture_and_sensible_weights_are_accepted():
    with pytest.raises(ArchitectureError, match="another architecture"):
        nn.average_models([_small_model(1, hidden=16), _small_model(1, hidden=32)])
    with pytest.raises(ValueError, match="at least 2 models"):
        nn.average_models([_small_model(1)])
    for weights in ([1, -1], [0, 0], [1], [1, float("nan")]):
        with pytest.raises(ValueError, match="non-negative weights"):
            nn.average_models([_small_model(1), _small_model(2)], weights=weights)


def test_the_rebuild_command_chains_each_step_once():
    base = {"command": "digitpad train --seed 1 --out a.npz"}
    tuned = {"command": "digitpad train --init a.npz --seed 1 --out b.npz"}
    soup = {"command": f"{base['command']} && {tuned['command']} && digitpad average a.npz b.npz --out c.npz"}
    assert rebuild_command([base, tuned], "digitpad average a.npz b.npz --out c.npz") == soup["command"]
    assert rebuild_command([soup, tuned], "digitpad average c.npz b.npz --out d.npz") == (
        soup["command"] + " && digitpad average c.npz b.npz --out d.npz")


@pytest.fixture(scope="module")
def base_and_fine_tune(tmp_path_factory, mnist_dir):
    """An MLP trained on 3000 MNIST digits, and the same MLP fine-tuned on 3000 others."""
    images, labels = mnist.load_mnist("train", mnist_dir)
    folder = tmp_path_factory.mktemp("average")
    base = train_on(Trainer(TrainConfig(model="mlp", epochs=1, limit=3000, seed=0)), images, labels).model
    base.metadata = {"command": "digitpad train --model mlp --epochs 1 --limit 3000 --seed 0 --out base.npz",
                     "epochs_run": 1, "wall_time_s": 3.0}
    nn.save_model(base, folder / "base.npz")
    history = [{"epoch": 1, "train_loss": 0.9, "train_accuracy": 0.7, "val_loss": 0.6, "val_accuracy": 0.8,
                "lr": 1e-3, "seconds": 3.0}]
    (folder / "base.card.json").write_text(json.dumps({**base.metadata, "history": history, "best_epoch": 1,
                                                        "best_val_accuracy": 0.8}))
    tuned = train_on(Trainer(TrainConfig(model="mlp", epochs=1, lr=3e-4, seed=1, init=str(folder / "base.npz"))),
                     images[3000:6000], labels[3000:6000]).model
    tuned.metadata = {"command": "digitpad train --init base.npz --seed 1 --out tuned.npz",
                      "epochs_run": 1, "wall_time_s": 2.0}
    nn.save_model(tuned, folder / "tuned.npz")
    return folder


def test_a_model_averaged_with_its_fine_tune_reads_mnist(base_and_fine_tune, mnist_dir):
    images, labels = mnist.load_mnist("test", mnist_dir)
    x = to_model_input(images[:2000])
    models = [nn.load_model(base_and_fine_tune / name) for name in ("base.npz", "tuned.npz")]
    accuracies = [evaluate(model, x, labels[:2000]).accuracy for model in models]
    averaged = evaluate(nn.average_models(models), x, labels[:2000]).accuracy
    # Measured on these 2000 test digits: 69.7 % (base) and 72.5 % (fine-tuned), 71.8 % averaged (19
    # steps each; the small head init starts slower over so few steps).  A sum instead of a mean, or
    # mismatched arrays, would read digits at chance.
    assert averaged > min(accuracies) + 0.01 and averaged > 0.6


def test_average_command_saves_the_model_and_a_card_that_rebuilds_it(base_and_fine_tune, mnist_dir):
    folder = base_and_fine_tune
    out = folder / "soup.npz"
    done = run_cli("average", str(folder / "base.npz"), str(folder / "tuned.npz"), "--out", str(out),
                   "--note", "base from an older release", "--data-dir", str(mnist_dir))
    assert done.returncode == 0, done.stderr
    assert "average: test accuracy" in done.stdout and done.stdout.count("test accuracy") == 3
    card = json.loads(out.with_suffix(".card.json").read_text())
    steps = card["command"].split(" && ")
    assert steps[:2] == ["digitpad train --model mlp --epochs 1 --limit 3000 --seed 0 --out base.npz",
                         "digitpad train --init base.npz --seed 1 --out tuned.npz"]
    assert steps[2].startswith("digitpad average ") and steps[2].endswith(f"--out {out}")
    assert "--note 'base from an older release'" in steps[2] and card["notes"].endswith("base from an older release")
    assert card["epochs_run"] == 2 and len(card["ingredients"]) == 2
    base, tuned = card["ingredients"]
    assert base["history"][0]["val_accuracy"] == 0.8 and "history" not in tuned  # only the base has a card
    assert tuned["command"] == steps[1] and tuned["epochs_run"] == 1
    markdown = out.with_suffix(".md").read_text()
    assert markdown.count("## Ingredient: ") == 2 and "| 1 | 0.9000 | 70.00% | 0.6000 | 80.00% |" in markdown
    model = nn.load_model(out)
    images, labels = mnist.load_mnist("test", mnist_dir)
    assert model.metadata["test_accuracy"] == pytest.approx(evaluate(model, to_model_input(images), labels).accuracy)
    assert out.with_suffix(".md").read_text().startswith("# Model card: soup")


def test_average_command_refuses_bad_input_in_one_line(tmp_path, tiny_model_path, mnist_dir):
    other = tmp_path / "other.npz"
    nn.save_model(_small_model(1), other)
    assert_one_line_error(run_cli("average", str(tiny_model_path), str(other), "--out", str(tmp_path / "x.npz")),
                          "another architecture", "other.npz")
    done = run_cli("average", str(tiny_model_path), "--out", str(tmp_path / "x.npz"))
    assert done.returncode == 2 and "at least 2 models" in done.stderr and "Traceback" not in done.stderr
    done = run_cli("average", str(tiny_model_path), str(tiny_model_path), "--weights", "1", "-2",
                   "--out", str(tmp_path / "x.npz"))
    assert done.returncode == 2 and "non-negative" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.npz").exists()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert_one_line_error(run_cli("average", str(tiny_model_path), str(tiny_model_path), "--out",
                                  str(blocker / "x.npz"), "--data-dir", str(mnist_dir)), "a-file")
