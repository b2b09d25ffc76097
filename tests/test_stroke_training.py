"""Training a stroke model on real pen trajectories with the engine's trainer, end to end: its training
set, its test on the measurement writers, its weight beside the shipped CNN, its card, and reading with it."""

from __future__ import annotations

import json

import numpy as np

from digitpad.cli import main
from digitpad.data import pendigits, uji
from digitpad.data.negatives import non_digit_samples
from digitpad.drawing.trajectory import NOT_A_DIGIT, TRAJECTORY_SHAPE
from digitpad.reading.reader import Reader
from digitpad.training import run
from digitpad.training.config import preset_config
from digitpad.training.stroke_set import NEGATIVE_COPIES, build_stroke_training_set


def test_the_training_set_holds_the_training_writers_varied_and_validates_on_others(mnist_dir):
    data = build_stroke_training_set(preset_config("strokes-quick", pen_digits=2, drawn_digits=0), data_dir=mnist_dir)
    train_writers = len(pendigits.of_writers(pendigits.load_pendigits(mnist_dir), pendigits.writer_groups()["train"]))
    uji_train = 20 * len(uji.writer_groups()["train"])
    negatives = {name: len(found) for name, found in non_digit_samples("train", mnist_dir).items()}
    not_digits = NEGATIVE_COPIES * (negatives["UJI letters"] + negatives["Omniglot"]) + negatives["shapes"] + \
        negatives["digits crossed out or together"]
    assert data.x_train.shape == (2 * (train_writers + 4 * uji_train) + not_digits, *TRAJECTORY_SHAPE)
    assert data.x_train.dtype == np.float32 and np.isfinite(data.x_train).all()
    counts = np.bincount(data.y_train, minlength=NOT_A_DIGIT + 1)
    assert counts[:NOT_A_DIGIT].min() > 800 and counts[NOT_A_DIGIT] == not_digits
    validation = len(pendigits.of_writers(pendigits.load_pendigits(mnist_dir), pendigits.writer_groups()["validation"]))
    validation_negatives = sum(len(found) for found in non_digit_samples("validation", mnist_dir).values())
    assert len(data.x_val) == validation + 20 * len(uji.writer_groups()["validation"]) + validation_negatives
    assert (data.y_val == NOT_A_DIGIT).sum() == validation_negatives
    assert not np.array_equal(data.x_train[:10], data.x_train[len(data.x_train) // 2:][:10])   # copies differ


def test_digitpad_train_makes_a_stroke_model_that_reads_with_the_cnn(tmp_path, mnist_dir, monkeypatch, capsys):
    monkeypatch.setattr(run, "WEIGHT_TRACED", 200)
    out = tmp_path / "mine.npz"
    code = main(["train", "--model", "strokes-quick", "--epochs", "2", "--pen-digits", "1", "--data-dir",
                 str(mnist_dir), "--out", str(out)])
    assert code == 0
    card = json.loads(out.with_suffix(".card.json").read_text())
    assert card["test_accuracy"] > 0.95 and "measurement writers" in card["test_set"]
    assert 0.0 <= card["stroke_weight"] <= 1.0 and "traced MNIST" in card["stroke_weight_chosen_on"]
    assert set(card["calibration"]) == {"strokes", "both"} and "strokes_background_small1.zip" in card["data_checksums"]
    assert "UJIpenchars-w01.txt" in card["data_checksums"] and "--model strokes-quick" in card["command"]
    reader = Reader.load(f"cnn+{out}")
    assert reader.kind == "both" and reader.stroke_weight == card["stroke_weight"]
    assert reader.calibrations["both"].to_metadata() == card["calibration"]["both"]
    digit = pendigits.of_writers(pendigits.load_pendigits(mnist_dir), pendigits.writer_groups()["measure"])[0]
    from digitpad.drawing.strokes import Drawing

    assert reader.read([Drawing(list(digit.strokes), 8, 500)])[0].digit == digit.label
