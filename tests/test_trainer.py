"""The trainer on small real MNIST subsets: learning, reproducibility, cancel, divergence,
checkpoints and resume, early stopping, bad data, and the CLI around it."""

import json

import numpy as np
import pytest

from digitpad import nn
from digitpad.cli import main
from digitpad.data import mnist
from digitpad.errors import TrainingError
from digitpad.training.config import TrainConfig, config_to_args
from digitpad.training.progress import TrainingCallback
from digitpad.training.run import train_and_save
from digitpad.training.trainer import Trainer
from digitpad.training.training_set import split_validation
from training_helpers import train_on


@pytest.fixture(scope="module")
def train_set(mnist_dir):
    images, labels = mnist.load_mnist("train", mnist_dir)
    return images[:3000], labels[:3000]


def small(**overrides):
    settings = dict(model="mlp", epochs=1, batch_size=64, lr=2e-3, seed=3)
    settings.update(overrides)
    return TrainConfig(**settings)


def weights_of(model):
    return {k: v.copy() for k, v in model.state().items()}


def test_mlp_learns_a_real_subset(train_set):
    result = train_on(Trainer(small(epochs=2)), *train_set)
    assert result.status == "completed"
    assert result.best_val_accuracy > 0.88
    assert len(result.history) == 2 and result.history[1].train_loss < result.history[0].train_loss


def test_same_seed_same_weights(train_set):
    a = train_on(Trainer(small(augment=True)), *train_set).model
    b = train_on(Trainer(small(augment=True)), *train_set).model
    c = train_on(Trainer(small(augment=True, seed=4)), *train_set).model
    for key, value in a.state().items():
        np.testing.assert_array_equal(value, b.state()[key])
    assert not np.array_equal(a.state()["1.W"], c.state()["1.W"])


def test_validation_split_is_80_20_by_default_and_configurable():
    train, val = split_validation(1000, TrainConfig())
    assert len(train) == 800 and len(val) == 200 and not set(train) & set(val)
    train, val = split_validation(60000, TrainConfig(val_size=5000))
    assert len(val) == 5000 and len(train) == 55000


def test_cancel_stops_within_a_batch(train_set):
    calls = {"batches": 0}

    class Count(TrainingCallback):
        def on_batch_end(self, progress):
            calls["batches"] += 1

    result = train_on(Trainer(small(epochs=3), callback=Count(), cancel=lambda: calls["batches"] >= 5), *train_set)
    assert result.status == "cancelled" and calls["batches"] == 5
    assert "cancelled in epoch 1, batch 6" in result.message


def test_divergence_is_detected_and_weights_rolled_back(train_set):
    trainer = Trainer(small(model="mlp", optimizer="sgd", lr=1e6, batchnorm=False))
    before = weights_of(trainer.model)
    result = train_on(trainer, *train_set)
    assert result.status == "diverged"
    assert "lower learning rate" in result.message
    for key, value in result.model.state().items():
        np.testing.assert_array_equal(value, before[key])  # diverged in epoch 1: back to the start


def test_bad_datasets_are_refused_clearly(train_set):
    images, labels = train_set
    trainer = Trainer(small())
    with pytest.raises(TrainingError, match="empty"):
        train_on(trainer, images[:0], labels[:0])
    with pytest.raises(TrainingError, match="single class"):
        train_on(trainer, images[labels == 3][:100], labels[labels == 3][:100])
    bad = labels.astype(np.int64).copy()
    bad[7] = 12
    with pytest.raises(TrainingError, match="digits 0-9.*12"):
        train_on(trainer, images, bad)
    with pytest.raises(TrainingError, match="learning rate"):
        Trainer(small(lr=-1))


def test_early_stopping_without_improvement(train_set):
    # a learning rate this small cannot improve validation accuracy after the first epoch
    result = train_on(Trainer(small(epochs=6, lr=1e-12, patience=2, batchnorm=False, dropout=0.0)), *train_set)
    assert result.status == "early-stopped" and len(result.history) == 3
    assert result.best_epoch == 1


def test_checkpoint_resume_matches_an_uninterrupted_run(train_set, tmp_path):
    straight = train_on(Trainer(small(epochs=2, augment=True)), *train_set).model
    checkpoint = tmp_path / "run.ckpt.npz"
    state = {"epoch": 0}

    class Watch(TrainingCallback):
        def on_epoch_end(self, stats):
            state["epoch"] = stats.epoch

    first = train_on(Trainer(small(epochs=2, augment=True), callback=Watch(), checkpoint_path=checkpoint,
                    cancel=lambda: state["epoch"] >= 1), *train_set)
    assert first.status == "cancelled"
    resumed = Trainer.resume(checkpoint)
    assert resumed.start_epoch == 2 and len(resumed.history) == 1
    final = train_on(resumed, *train_set).model
    for key, value in straight.state().items():
        np.testing.assert_allclose(final.state()[key], value, rtol=1e-6, atol=1e-7)


def test_train_and_save_writes_model_and_card(train_set, tmp_path, mnist_dir):
    out = tmp_path / "mine.npz"
    result, test, saved = train_and_save(small(limit=3000), out, data_dir=mnist_dir)
    assert saved == out and out.exists()
    card = json.loads(out.with_suffix(".card.json").read_text())
    assert card["test_accuracy"] == pytest.approx(test.accuracy) and test.accuracy > 0.85
    assert len(card["test_per_class_accuracy"]) == 10 and card["parameters"] == result.model.parameter_count()
    assert card["data_checksums"]["train-images-idx3-ubyte"] == "6bbc9ace898e44ae57da46a324031adb"
    assert "digitpad train --model mlp" in card["command"]
    markdown = out.with_suffix(".md").read_text()
    assert "Test accuracy" in markdown and "## Architecture" in markdown
    assert card["training_set"] == ["60,000 MNIST training images", "the first 3,000 of them",
                                    "600 held out for validation (seed 3), 2,400 to train on"]
    assert "## Training set" in markdown and "3. 600 held out for validation" in markdown
    loaded = nn.load_model(out)
    assert loaded.metadata["test_accuracy"] == pytest.approx(test.accuracy)
    assert not out.with_suffix(".ckpt.npz").exists()  # a finished run removes its checkpoint


def test_cli_train_evaluate_models(tmp_path, mnist_dir, monkeypatch, capsys):
    monkeypatch.setenv("DIGITPAD_MODELS_DIR", str(tmp_path))
    out = tmp_path / "tiny.npz"
    code = main(["train", "--model", "mlp", "--epochs", "1", "--limit", "2000", "--data-dir", str(mnist_dir),
                 "--out", str(out)])
    assert code == 0 and out.exists()
    assert "test accuracy" in capsys.readouterr().out
    assert main(["evaluate", str(out), "--data-dir", str(mnist_dir), "--confusion-png", str(tmp_path / "cm.png")]) == 0
    report = capsys.readouterr().out
    assert "accuracy:" in report and "per digit" in report and "most frequent confusions" in report
    assert (tmp_path / "cm.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert main(["models"]) == 0
    assert "tiny" in capsys.readouterr().out


def test_cli_reports_user_mistakes_in_one_line(tmp_path, capsys):
    assert main(["train", "--model", "nonsense", "--out", str(tmp_path / "x.npz")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("digitpad: error: unknown model 'nonsense'") and err.count("\n") == 1
    assert main(["train", "--lr", "-3"]) == 2
    assert "--lr must be a positive number, got -3" in capsys.readouterr().err
    assert main(["evaluate", str(tmp_path / "missing.npz")]) == 2
    assert "no such model file" in capsys.readouterr().err


def test_stroke_normalised_training_prepares_images_like_drawings(train_set, tmp_path, mnist_dir):
    from digitpad.drawing.mnist_style import normalize_digits
    from digitpad.drawing.stroke_width import THIN_STROKE, stroke_thickness

    images, _ = train_set
    prepared = normalize_digits(images[:300])
    assert prepared.dtype == np.uint8 and prepared.shape == (300, 28, 28)
    thin = [i for i in range(300) if stroke_thickness(images[i] / 255) < THIN_STROKE - 0.3]
    assert thin and all(stroke_thickness(prepared[i] / 255) > stroke_thickness(images[i] / 255) for i in thin)
    out = tmp_path / "prepared.npz"
    result, test, _ = train_and_save(small(limit=2000, normalize_strokes=True), out, data_dir=mnist_dir)
    assert result.status == "completed" and test.accuracy > 0.8
    card = json.loads(out.with_suffix(".card.json").read_text())
    assert card["training"]["normalize_strokes"] is True and "--normalize-strokes" in card["command"]


def test_fine_tuning_from_a_model_with_drawn_digits(train_set, tmp_path):
    images, labels = train_set
    base = train_on(Trainer(small()), images, labels).model
    path = tmp_path / "base.npz"
    nn.save_model(base, path)
    seen = []

    class Messages(TrainingCallback):
        def on_message(self, text):
            seen.append(text)

        def on_train_begin(self, info):
            seen.append(info["train"])

    tuned = train_on(Trainer(small(init=str(path), drawn_digits=200, lr=3e-4), callback=Messages()), images, labels)
    assert tuned.status == "completed" and tuned.best_val_accuracy > 0.85
    assert "drawing 200 digits from the training images" in seen and 2400 + 200 in seen
    assert tuned.model.summary() == base.summary()
    assert not np.array_equal(tuned.model.state()["1.W"], base.state()["1.W"])


def test_a_fine_tunes_command_names_its_start_not_a_preset(tmp_path):
    # The architecture comes from --init; a "--model convnet" default in the card would mislead.
    fine_tune = config_to_args(TrainConfig(model="convnet", init="base.npz", seed=3), tmp_path / "t.npz")
    assert "--model" not in fine_tune and fine_tune[fine_tune.index("--init") + 1] == "base.npz"
    fresh = config_to_args(TrainConfig(model="mlp", seed=3), tmp_path / "m.npz")
    assert fresh[:2] == ["--model", "mlp"]


def test_a_runs_command_gives_its_config_back(tmp_path):
    """The card's command and the CLI read one table of options (`digitpad.training.config.OPTIONS`)."""
    from digitpad.cli import build_parser
    from digitpad.commands.train import config_from_args
    from digitpad.training.config import preset_config

    for config in [TrainConfig(model="mlp", seed=3), TrainConfig(init="base.npz", epochs=2),
                   preset_config("quick", drawn_digits=500, augment=True, dropout=0.0),
                   TrainConfig(model="cnn-bn", batchnorm=False, weight_decay=1e-4, val_fraction=0.1, limit=3000,
                               pen_digits=2, normalize_strokes=True, patience=2, schedule="step", optimizer="sgd",
                               lr=0.05)]:
        parsed = build_parser().parse_args(["train", *config_to_args(config, tmp_path / "m.npz")])
        assert config_from_args(parsed) == config and parsed.out == tmp_path / "m.npz"


def test_every_train_option_shows_its_default(capsys):
    with pytest.raises(SystemExit):
        main(["train", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for option, default in [("--epochs", "10"), ("--batch-size", "128"), ("--optimizer", "adam"),
                            ("--lr", "0.001"), ("--schedule", "cosine"), ("--patience", "5"),
                            ("--val-fraction", "0.2"), ("--seed", "0"), ("--dropout", "the preset's")]:
        after = text.split(f" {option} ", 1)[1].split(" --", 1)[0]
        assert f"(default: {default})" in after or f"(default: {default};" in after, option
    for option, quick in [("--epochs", "3"), ("--lr", "0.006"), ("--schedule", "onecycle")]:
        after = text.split(f" {option} ", 1)[1].split(" --", 1)[0]
        assert f"; quick: {quick})" in after, option   # the quick preset's own settings, shown beside


def test_the_quick_preset_brings_its_settings_and_explicit_options_win():
    from digitpad.cli import build_parser
    from digitpad.commands.train import config_from_args

    quick = config_from_args(build_parser().parse_args(["train", "--model", "quick"]))
    assert (quick.model, quick.epochs, quick.schedule, quick.lr) == ("quick", 3, "onecycle", 0.006)
    mine = config_from_args(build_parser().parse_args(["train", "--model", "quick", "--epochs", "10", "--lr", "0.001"]))
    assert (mine.epochs, mine.lr, mine.schedule) == (10, 0.001, "onecycle")
    plain = config_from_args(build_parser().parse_args(["train", "--model", "mlp"]))
    assert (plain.epochs, plain.schedule, plain.lr) == (TrainConfig().epochs, "cosine", TrainConfig().lr)
