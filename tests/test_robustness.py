"""Stroke-size robustness study (digitpad.evaluation.robustness, its test sets and report, and `digitpad robustness`)
on real MNIST test digits."""

from __future__ import annotations

import io
import json
import math
from contextlib import redirect_stdout

import numpy as np
import pytest

from digitpad import cli, nn
from digitpad.data.drawn import render_drawn
from digitpad.data.tracing import trace_digit
from digitpad.evaluation import drawn_test_sets, robustness
from digitpad.evaluation.drawn_test_sets import drawn_test_digits, drawn_test_set
from digitpad.evaluation.robustness import run_robustness
from digitpad.evaluation.robustness_report import RobustnessResult
from digitpad.reading.store import default_model_path, shipped_dir

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
N = 200  # standard error 1.0 point at 98 %, 1.5 points at 95 %
WIDTHS = (2, 4, 8, 16)  # the study of the default model; 32 px (beyond the app's widest pen) costs time
ALL_WIDTHS = (2, 4, 8, 16, 32)

# Lowest accuracy, over pen widths 2-16 with the app's pipeline, that the shipped CNN must reach on the
# N drawings of seed 0.  The drawings are fixed, so this is a regression floor set below what models/cnn.npz
# achieves: measured 98.5 / 98.5 / 98.0 / 98.5 % at 2/4/8/16 px (on all 10,000 test digits:
# 98.66 / 98.54 / 98.63 / 98.44 %: benchmarks/bench_robustness.py).
MIN_NORMALISED_ACCURACY = 0.96
MAX_NORMALISED_SPREAD = 0.03  # measured 0.5 points at n = 200 (0.22 at n = 10,000)
# Real pen digits of the 6 measurement writers (300 of them, seed 0), app pipeline, every width 2-32 px:
# a regression floor below what models/cnn.npz reads (see docs/measurements.md, "Where it is weak, measured").
MIN_PEN_ACCURACY = 0.95


@pytest.fixture(scope="module")
def default_model():
    path = default_model_path()
    if not path.is_file():
        pytest.fail(f"no shipped model: neither {default_model_path()} nor {path} exists")
    return path.stem, path, nn.load_model(path)


@pytest.fixture(scope="module")
def study(default_model, mnist_dir) -> RobustnessResult:
    name, _, model = default_model
    robustness.clear_cache()
    calls = []
    result = run_robustness({name: model}, widths=WIDTHS, n=N, seed=0, data_dir=mnist_dir,
                            progress=lambda done, total: calls.append((done, total)))
    result.progress_calls = calls
    return result


class ConstantModel:
    """A stand-in model that always answers ``digit``."""

    def __init__(self, digit: int):
        self.digit = digit

    def predict_proba(self, x):
        out = np.zeros((len(x), 10), np.float32)
        out[:, self.digit] = 1
        return out


# --- the drawn test set ------------------------------------------------------------------------------


def test_drawn_set_is_deterministic_for_a_seed(mnist_dir):
    first = drawn_test_set(30, 128, seed=5, data_dir=mnist_dir)
    again = drawn_test_set(30, 128, seed=5, data_dir=mnist_dir)
    other = drawn_test_set(30, 128, seed=6, data_dir=mnist_dir)
    assert [label for _, label in first] == [label for _, label in again]
    assert np.array_equal(render_drawn(first, 8, 128), render_drawn(again, 8, 128))
    assert not np.array_equal(render_drawn(first, 8, 128), render_drawn(other, 8, 128))
    labels = [label for _, label in drawn_test_set(N, 128, seed=0, data_dir=mnist_dir)]
    assert set(labels) == set(range(10))  # every digit is represented


def test_the_digits_behind_the_drawn_set_are_the_ones_traced(mnist_dir):
    # drawn_test_digits gives the MNIST test digits in the drawn set's order: each drawing is its digit's
    # trace (same label, same strokes up to the placement's scale and shift, when it was not rotated).
    drawn = drawn_test_set(40, 128, seed=3, data_dir=mnist_dir)
    images, labels = drawn_test_digits(40, seed=3, data_dir=mnist_dir)
    assert labels.tolist() == [label for _, label in drawn]
    matched = 0
    for (strokes, _), image in zip(drawn, images):
        traced = trace_digit(image)
        if [len(s) for s in traced] != [len(s) for s in strokes]:
            continue
        a, b = np.concatenate(traced), np.concatenate(strokes)
        a, b = a - a.mean(axis=0), b - b.mean(axis=0)
        scale = np.linalg.norm(b) / np.linalg.norm(a)
        matched += np.allclose(a * scale, b, rtol=0, atol=1e-9 * np.abs(b).max())
    assert matched >= 15   # about half the drawings are not rotated; a rotated one is not matched


# --- accuracy of the shipped default model -------------------------------------------------------------


def test_default_model_reads_drawn_digits_at_every_pen_width(study, default_model):
    name = default_model[0]
    floor = MIN_NORMALISED_ACCURACY
    normalised = dict(zip(study.widths, study.accuracy[(name, "strokes")]))
    for width in (2, 4, 8, 16):
        assert normalised[width] >= floor, f"{name} at {width} px: {normalised[width]:.1%} < {floor:.0%}\n{study}"
    spread = study.spread((name, "strokes"))
    assert spread <= MAX_NORMALISED_SPREAD, f"{name}: spread {spread:.1%} over 2-16 px\n{study}"
    assert study.empty == {mode: [0] * 4 for mode in ("strokes", "image", "raw")}  # every drawing had ink


def test_stroke_normalisation_helps_thin_pens(study, default_model):
    name = default_model[0]
    # A 2-px pen on a 128-px canvas becomes strokes under half a pixel wide in 28x28 without normalisation.
    normalised, raw = study.accuracy[(name, "image")][0], study.accuracy[(name, "raw")][0]
    assert study.widths[0] == 2 and normalised >= raw, study.to_table()
    assert study.accuracy[(name, "strokes")][0] >= raw, study.to_table()


def test_progress_reaches_total_once_per_unit(study):
    calls = study.progress_calls
    total = 1 + 4 * (1 + 3 * (1 + 1))  # drawings, then per width: one unit, per pipeline: preprocess + 1 model
    assert calls == [(done, total) for done in range(1, total + 1)]
    assert study.complete and study.elapsed_s > 0


# --- presentation: table, JSON, plot, PNG ------------------------------------------------------------


def test_table_lists_models_modes_widths_and_spread(study, default_model):
    name = default_model[0]
    table = study.to_table()
    lines = table.splitlines()
    header = next(line for line in lines if line.startswith("model"))
    assert [f"{w} px" in header for w in WIDTHS] == [True] * 4 and "spread 2-16" in header
    row = next(line for line in lines if line.split()[:3] == [name, "strokes", "(app)"]).split()
    assert [float(v) for v in row[3:7]] == [round(100 * a, 1) for a in study.accuracy[(name, "strokes")]]
    spread = max(study.accuracy[(name, "image")]) - min(study.accuracy[(name, "image")])
    image = next(line for line in lines if line.split()[:2] == [name, "image-normalised"]).split()
    assert float(image[6]) == round(100 * spread, 1) and study.spread((name, "image")) == pytest.approx(spread)
    assert any(line.split()[:2] == [name, "raw"] for line in lines)
    assert "standard error" in table and f"n = {N}" in table


def test_as_dict_is_json_and_round_trips(study):
    data = json.loads(json.dumps(study.as_dict(), allow_nan=False))
    assert data["widths"] == list(WIDTHS) and data["n"] == N and data["canvas"] == 128
    back = RobustnessResult.from_dict(data)
    assert back.accuracy.keys() == study.accuracy.keys() and back.widths == study.widths
    for key, values in study.accuracy.items():
        assert back.accuracy[key] == pytest.approx(values)
    se = data["results"][0]["standard_error"][0]
    p = data["results"][0]["accuracy"][0]
    assert se == pytest.approx(math.sqrt(p * (1 - p) / N), abs=1e-6)


def test_plot_has_log2_axis_and_a_line_style_per_pipeline(study):
    from matplotlib.figure import Figure

    figure = Figure()
    assert study.plot(figure) is figure
    (ax,) = figure.axes
    assert ax.get_xscale() == "log"
    styles = {line.get_label(): line.get_linestyle() for line in ax.get_lines()}
    assert len(styles) == 3
    assert {label.split(", ")[1]: style for label, style in styles.items()} == {
        "strokes (app)": "-", "image-normalised": "--", "raw": ":"}
    assert [t.get_text() for t in ax.get_xticklabels()] == [str(w) for w in WIDTHS]


def test_save_png_writes_a_png_atomically(study, tmp_path):
    path = study.save_png(tmp_path / "robustness.png")
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    assert [p.name for p in tmp_path.iterdir()] == ["robustness.png"]  # no temporary file left behind


# --- bookkeeping, caching, cancelling -----------------------------------------------------------------


def test_accuracy_is_counted_per_drawing(mnist_dir):
    labels = np.array([label for _, label in drawn_test_set(60, 128, seed=1, data_dir=mnist_dir)])
    result = run_robustness({"zero": ConstantModel(0), "seven": ConstantModel(7)}, widths=(3, 12), n=60, seed=1,
                            data_dir=mnist_dir)
    for mode in ("strokes", "image", "raw"):
        assert result.accuracy[("zero", mode)] == [np.mean(labels == 0)] * 2
        assert result.accuracy[("seven", mode)] == [np.mean(labels == 7)] * 2


def test_inputs_are_preprocessed_once_per_width_and_mode_and_cached(study, mnist_dir, monkeypatch):
    calls = []
    preprocess = robustness.prepare_drawings
    monkeypatch.setattr(robustness, "prepare_drawings", lambda *a: calls.append(a[3]) or preprocess(*a))
    models = {"zero": ConstantModel(0), "one": ConstantModel(1), "two": ConstantModel(2)}
    run_robustness(models, widths=(3, 9), n=40, seed=3, data_dir=mnist_dir)
    assert sorted(calls) == ["image", "image", "raw", "raw", "strokes", "strokes"]  # per (width, mode), shared

    def no_drawing(*args, **kwargs):
        raise AssertionError("the drawings should not be made again: the inputs are cached")

    # The study's inputs (same n, seed, canvas, widths) are reused by a later run with other models.
    monkeypatch.setattr(drawn_test_sets, "drawn_test_set", no_drawing)
    calls.clear()
    again = run_robustness(models, widths=WIDTHS, n=N, seed=0, data_dir=mnist_dir)
    assert calls == [] and again.complete


def test_cancel_returns_a_partial_result(mnist_dir, tmp_path):
    seen = []
    result = run_robustness({"zero": ConstantModel(0)}, widths=(2, 8, 32), n=20, seed=2, data_dir=mnist_dir,
                            progress=lambda done, total: seen.append(done), cancel=lambda: len(seen) >= 4)
    assert not result.complete and len(seen) == 4  # 1 (drawings) + 1 (2 px) + preprocess + predict
    assert not math.isnan(result.accuracy[("zero", "strokes")][0])
    assert math.isnan(result.accuracy[("zero", "image")][0])
    assert all(map(math.isnan, result.accuracy[("zero", "strokes")][1:]))
    assert "STOPPED" in result.to_table() and "--" in result.to_table()
    data = json.loads(json.dumps(result.as_dict(), allow_nan=False))
    assert data["complete"] is False and data["results"][0]["accuracy"][1] is None
    assert result.save_png(tmp_path / "partial.png").read_bytes().startswith(PNG_SIGNATURE)  # still plots


def test_cancel_is_seen_within_a_unit(mnist_dir, monkeypatch):
    chunks = []
    preprocess = robustness.prepare_drawings
    monkeypatch.setattr(robustness, "prepare_drawings", lambda *a: chunks.append(len(a[0])) or preprocess(*a))
    result = run_robustness({"zero": ConstantModel(0)}, widths=(5,), modes=("raw",), n=robustness.CHUNK + 10,
                            seed=4, data_dir=mnist_dir, cancel=lambda: bool(chunks))
    assert chunks == [robustness.CHUNK] and not result.complete  # stopped after the first chunk of images
    assert math.isnan(result.accuracy[("zero", "raw")][0])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError):
        run_robustness({})
    with pytest.raises(ValueError):
        run_robustness({"zero": ConstantModel(0)}, widths=(0,))
    with pytest.raises(TypeError):
        run_robustness({"zero": object()})
    with pytest.raises(ValueError, match="modes must list some of strokes, image, raw"):
        run_robustness({"zero": ConstantModel(0)}, modes=(True,))
    with pytest.raises(ValueError, match="dataset must be one of traced, pen"):
        run_robustness({"zero": ConstantModel(0)}, dataset="mnist")


def test_json_written_before_pipelines_had_names_still_reads():
    old = {"widths": [2], "canvas": 128, "n": 10, "results": [
        {"model": "cnn", "normalize": True, "accuracy": [0.9]}, {"model": "cnn", "normalize": False, "accuracy": [0.8]}]}
    assert RobustnessResult.from_dict(old).accuracy == {("cnn", "image"): [0.9], ("cnn", "raw"): [0.8]}


# --- real pen digits of held-out writers ---------------------------------------------------------------


def test_the_pen_set_is_the_measurement_writers_placed_as_people_draw(pendigits_dir):
    from digitpad.data import pendigits

    drawn = drawn_test_sets.pen_test_set(128, seed=0, data_dir=pendigits_dir)
    measured = pendigits.of_writers(pendigits.load_pendigits(pendigits_dir), pendigits.writer_groups()["measure"])
    assert len(drawn) == len(measured) and sorted(l for _, l in drawn) == sorted(d.label for d in measured)
    heights, inside = [], []
    for strokes, _ in drawn:
        points = np.concatenate(strokes)
        heights.append((points[:, 1].max() - points[:, 1].min()) / 128)
        inside.append(points.min() >= -1e-9 and points.max() <= 128 + 1e-9)
    assert all(inside) and 0.45 <= min(heights) and max(heights) <= 0.9 + 1e-9 and np.median(heights) > 0.6
    centres = np.array([np.concatenate(s).mean(axis=0) for s, _ in drawn])
    assert centres.std(axis=0).min() > 10      # anywhere on the canvas, not always in the middle
    again = drawn_test_sets.pen_test_set(128, seed=0, data_dir=pendigits_dir)
    assert all(np.array_equal(a, b) for (sa, _), (sb, _) in zip(drawn, again) for a, b in zip(sa, sb))


def test_the_shipped_cnn_reads_held_out_writers_at_every_pen_width(default_model, pendigits_dir):
    """A floor on 300 of the measurement writers' digits (benchmarks/bench_robustness.py measures all)."""
    name, _, model = default_model
    result = run_robustness({name: model}, widths=ALL_WIDTHS, n=300, dataset="pen", modes=("strokes",),
                            data_dir=pendigits_dir)
    assert result.dataset == "pen" and "real pen digits of held-out writers" in result.to_table()
    for width, accuracy in zip(ALL_WIDTHS, result.accuracy[(name, "strokes")]):
        assert accuracy >= MIN_PEN_ACCURACY, f"{width} px: {accuracy:.1%}\n{result}"


# --- the command -------------------------------------------------------------------------------------


def test_cli_prints_table_and_writes_png_and_json(study, mnist_dir, tmp_path):
    # The shipped MLP is cheap to run; the drawings' inputs are cached from the study (same n and seed).
    name, path = "mlp", shipped_dir() / "mlp.npz"
    expected = run_robustness({name: nn.load_model(path)}, widths=ALL_WIDTHS, n=N, seed=0, data_dir=mnist_dir)
    out = io.StringIO()
    with redirect_stdout(out):
        status = cli.main(["robustness", "--models", str(path), "--n", str(N), "--data-dir", str(mnist_dir),
                           "--digits", "traced", "--png", str(tmp_path / "r.png"), "--json", str(tmp_path / "r.json")])
    text = out.getvalue()
    assert status == 0
    assert "2 px" in text and "32 px" in text and f"{name}  " in text and "strokes (app)" in text and "raw" in text
    assert f"plot saved to {tmp_path / 'r.png'}" in text
    assert (tmp_path / "r.png").read_bytes().startswith(PNG_SIGNATURE)
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["models"] == {name: str(path)}
    assert "pen" not in data
    row = next(r for r in data["traced"]["results"] if r["model"] == name and r["mode"] == "strokes")
    assert row["accuracy"] == pytest.approx(expected.accuracy[(name, "strokes")])


def test_cli_refuses_an_unwritable_png_before_running(tmp_path, capsys):
    status = cli.main(["robustness", "--models", "mlp", "--png", str(tmp_path / "missing" / "r.png")])
    assert status == 2
    assert "does not exist" in capsys.readouterr().err


def test_cli_names_an_unknown_model(capsys):
    assert cli.main(["robustness", "--models", "no-such-model"]) == 2
    assert "no model named 'no-such-model'" in capsys.readouterr().err


def test_cli_reports_both_sets_by_default(data_dir_with_pendigits, tmp_path):
    out = io.StringIO()
    with redirect_stdout(out):
        status = cli.main(["robustness", "--models", "mlp", "--n", "60", "--widths", "4", "32", "--data-dir",
                           str(data_dir_with_pendigits), "--json", str(tmp_path / "r.json"),
                           "--png", str(tmp_path / "r.png")])
    assert status == 0
    text = out.getvalue()
    assert "60 drawn MNIST test digits" in text and "60 real pen digits of held-out writers" in text
    data = json.loads((tmp_path / "r.json").read_text())
    assert data["traced"]["dataset"] == "traced" and data["pen"]["dataset"] == "pen" and data["pen"]["n"] == 60
    assert (tmp_path / "r.png").read_bytes().startswith(PNG_SIGNATURE)


def test_cli_reports_how_honestly_each_reader_answers(mnist_dir, tmp_path, capsys):
    """With the pen digits (and UJI and Omniglot beside them): digits answered "not a digit", sure and
    wrong, calibration error and drawings that are not digits given a sure verdict, at most --n per set."""
    status = cli.main(["robustness", "--models", "cnn+strokes", "--n", "40", "--widths", "4", "--digits", "pen",
                       "--data-dir", str(mnist_dir), "--json", str(tmp_path / "r.json")])
    assert status == 0
    text = capsys.readouterr().out
    assert "cnn+strokes, honest answers on held-out writers and drawings that are not digits, at most 40 per set" in text
    assert "not digits: Omniglot" in text and "digits: all" in text
    honest = json.loads((tmp_path / "r.json").read_text())["honest_answers"]["cnn+strokes"]
    assert honest["sets"]["digits: pendigits"]["count"] == 40 and honest["sets"]["not digits: all"]["sure"] <= 0.1
    assert set(honest["calibration"]) == {"temperature", "sure_above", "not_a_digit_above"}
