"""Drawings that are not digits (issue 25, item 1): Omniglot's strokes read and bounded, the negatives
split by writer and alphabet and free of digit look-alikes, and the shipped reader answering held-out
letters, characters, doodles and scribbles "this doesn't look like a digit" while it keeps reading
held-out writers' digits, sure and right."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from digitpad.data import negatives, omniglot, uji
from digitpad.drawing.strokes import Drawing
from digitpad.errors import DatasetError
from digitpad.evaluation.honesty import digit_sets, non_digit_sets
from digitpad.reading.reader import NOT_A_DIGIT_TEXT, Reader

CANVAS = 336


def test_omniglot_is_read_without_its_digit_look_alikes(omniglot_dir):
    drawings = omniglot.load_omniglot(omniglot_dir)
    looked_alike = sum(len(v) for v in omniglot.LOOK_ALIKES.values()) * 20
    assert len(drawings) == 4840 - looked_alike
    assert {d.alphabet for d in drawings} == set(omniglot.ALPHABETS)
    assert not any(d.character in omniglot.LOOK_ALIKES.get(d.alphabet, ()) for d in drawings)
    assert all(1 <= d.drawer <= 20 and d.strokes for d in drawings)
    points = np.concatenate([s for d in drawings[:200] for s in d.strokes])
    assert points[:, 1].min() > -5 and points[:, 1].max() < 110      # y down, on the 105-px canvas


def test_omniglot_parses_a_drawing_with_y_down():
    strokes = omniglot.parse_drawing("START\n1.0,-2.0,0\n3.0,-4.0,10\nBREAK\n5.0,-6.0,20\n", "x.txt")
    np.testing.assert_allclose(strokes[0], [[1, 2], [3, 4]])
    np.testing.assert_allclose(strokes[1], [[5, 6]])
    with pytest.raises(DatasetError, match=r"^bad\.txt, line 2: expected 'x,y,t'"):
        omniglot.parse_drawing("START\n1.0;2.0\n", "bad.txt")


def test_a_damaged_omniglot_zip_is_one_line_naming_it(tmp_path, omniglot_dir):
    for name in omniglot.ZIP_MD5:
        shutil.copy(omniglot_dir / name, tmp_path / name)
    damaged = tmp_path / "strokes_background_small2.zip"
    raw = bytearray(damaged.read_bytes())
    raw[1000] ^= 0xFF
    damaged.write_bytes(bytes(raw))
    with pytest.raises(DatasetError, match=r"strokes_background_small2\.zip is not Omniglot's") as caught:
        omniglot.load_omniglot(tmp_path)
    assert "\n" not in str(caught.value)
    with pytest.raises(DatasetError, match="are not in"):
        omniglot.load_omniglot(tmp_path / "nowhere")


def test_the_groups_never_share_an_alphabet_or_a_writer():
    groups = omniglot.alphabet_groups()
    assert sorted(a for g in groups.values() for a in g) == sorted(omniglot.ALPHABETS)
    assert len(set(groups["train"]) | set(groups["validation"]) | set(groups["measure"])) == len(omniglot.ALPHABETS)


def test_negatives_hold_no_digit_look_alike_and_repeat_exactly(mnist_dir):
    first = negatives.non_digit_samples("validation", mnist_dir)
    again = negatives.non_digit_samples("validation", mnist_dir)
    assert list(first) == list(negatives.NON_DIGIT_SOURCES)
    for name in first:
        assert len(first[name]) == len(again[name]) > 0
        assert all(np.array_equal(a, b) for x, y in zip(first[name], again[name]) for a, b in zip(x, y))
    letters = [c for c in uji.load_uji(mnist_dir) if c.writer in uji.writer_groups()["validation"] and c.digit is None]
    kept = [c for c in letters if c.label not in negatives.UJI_LOOK_ALIKES]
    assert len(first["UJI letters"]) == len(kept) < len(letters)
    for name, make in negatives.SHAPES.items():   # every shape draws on the canvas, some of it
        strokes = negatives.shape_drawing(name, np.random.default_rng(5))
        points = np.concatenate(strokes)
        assert points.min() >= -5 and points.max() <= negatives.CANVAS_SIZE + 5, name
        assert np.ptp(points, axis=0).max() >= 0.1 * negatives.CANVAS_SIZE, name


@pytest.fixture(scope="module")
def reader():
    return Reader.default()


def test_held_out_drawings_that_are_not_digits_are_answered_so(reader, mnist_dir):
    """Letters of UJI's measurement writers, characters of Omniglot's measurement alphabets (never seen),
    shapes and crossed-out digits made with the measurement seed: a sure digit verdict on at most 3 %."""
    sets = non_digit_sets("measure", mnist_dir)
    for name, drawings in sets.items():
        answers = reader.read(drawings[::3])
        rejected = np.mean([a.not_a_digit for a in answers])
        sure = np.mean([a.digit is not None and not a.unsure and not a.not_a_digit for a in answers])
        assert rejected >= 0.9 and sure <= 0.05, (name, rejected, sure)
        assert all(a.text == NOT_A_DIGIT_TEXT for a in answers if a.not_a_digit)


def test_held_out_writers_digits_stay_digits_sure_and_right(reader, mnist_dir):
    held = digit_sets("measure", 0, mnist_dir)["pendigits"]
    answers = reader.read(held.drawings)
    right = np.array([a.digit == label for a, label in zip(answers, held.labels)])
    sure = np.array([not a.unsure and not a.not_a_digit for a in answers])
    assert np.mean([a.not_a_digit for a in answers]) <= 0.005
    assert np.mean(sure & right) >= 0.97 and np.mean(sure & ~right) <= 0.002


def _scribble(seed: int, span: float) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    heading = np.cumsum(rng.normal(0, 0.6, 150))
    walk = np.cumsum(np.stack([np.cos(heading), np.sin(heading)], axis=1), axis=0)
    walk = (walk - walk.min(axis=0)) / np.ptp(walk, axis=0).max()
    return [walk * span * CANVAS + (1 - span) * CANVAS / 2]


def test_a_scribble_over_the_whole_canvas_and_a_dash_are_not_digits(reader):
    scribbles = [Drawing(_scribble(seed, 0.95), 8, CANVAS) for seed in range(5)]
    dash = Drawing([np.array([[60.0, 170.0], [280.0, 172.0]])], 8, CANVAS)
    for answer in reader.read([*scribbles, dash]):
        assert answer.not_a_digit and answer.text == NOT_A_DIGIT_TEXT
    one = Drawing([np.array([[168.0, 90.0], [170.0, 250.0]])], 8, CANVAS)
    assert reader.read([one])[0].digit == 1 and not reader.read([one])[0].not_a_digit


def test_download_omniglot_checks_each_zip_and_stores_atomically(server, tmp_path, omniglot_dir):
    root, base = server
    (root / "good").mkdir()
    (root / "bad").mkdir()
    for name in omniglot.ZIP_MD5:
        shutil.copy(omniglot_dir / name, root / "good" / name)
        (root / "bad" / name).write_bytes(b"<html>moved</html>")
    dest = tmp_path / "data"
    with pytest.raises(DatasetError) as caught:
        omniglot.download_omniglot(dest, [f"{base}/missing", f"{base}/bad"])
    message = str(caught.value)
    assert "missing/strokes_background_small1.zip: HTTP 404" in message and "\n" not in message
    assert "bad/strokes_background_small1.zip: not Omniglot's" in message
    assert not dest.exists() or not any(dest.iterdir())          # nothing half-written
    assert omniglot.download_omniglot(dest, [f"{base}/bad", f"{base}/good"]) == dest
    assert len(omniglot.load_omniglot(dest)) == len(omniglot.load_omniglot(omniglot_dir))
    shutil.rmtree(root / "good")                                  # valid copies are kept, not fetched again
    assert omniglot.download_omniglot(dest, [f"{base}/good"]) == dest


def test_digitpad_download_omniglot_command(server, tmp_path, omniglot_dir, monkeypatch, capsys):
    from digitpad.cli import main

    root, base = server
    for name in omniglot.ZIP_MD5:
        shutil.copy(omniglot_dir / name, root / name)
    monkeypatch.setattr(omniglot, "URLS", (base,))
    assert main(["download", "--omniglot", "--dir", str(tmp_path / "d")]) == 0
    assert omniglot.find_omniglot(tmp_path / "d") == tmp_path / "d"
    assert "two zips, verified" in capsys.readouterr().out


def test_predict_says_not_a_digit_for_a_saved_scribble(tmp_path, capsys):
    from digitpad.cli import main

    scribble, one = tmp_path / "scribble.json", tmp_path / "one.json"
    Drawing(_scribble(3, 0.9), 8, CANVAS).save(scribble)
    Drawing([np.array([[168.0, 90.0], [170.0, 250.0]])], 8, CANVAS).save(one)
    assert main(["predict", str(scribble), str(one)]) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert rows[0].split()[-1] == "verdict"
    assert rows[1].split()[1] == "-" and rows[1].endswith(NOT_A_DIGIT_TEXT)
    assert rows[2].split()[1] == "1" and not rows[2].endswith(NOT_A_DIGIT_TEXT)


def test_evaluate_reports_honest_answers_for_each_kind_of_reading(mnist_dir, tmp_path, capsys, monkeypatch):
    from digitpad.cli import main
    from digitpad.commands import evaluate

    monkeypatch.setattr(evaluate, "TRACED", 0)          # the writers' own digits only: quicker
    figures = tmp_path / "e.json"
    assert main(["evaluate", "cnn+strokes", "--data-dir", str(mnist_dir), "--json", str(figures)]) == 0
    out = capsys.readouterr().out
    assert "honest answers on it (the image network's calibration): sure and right" in out
    assert "cnn+strokes, honest answers: image network and stroke model combined" in out
    data = json.loads(figures.read_text())
    assert list(data["honest_answers"]) == ["both", "image", "strokes"]
    both = data["honest_answers"]["both"]["sets"]
    assert both["not digits: all"]["sure"] <= 0.03 and both["digits: all"]["not_a_digit"] <= 0.005
    assert data["mnist_honest_answers"]["sure_wrong"] <= 0.002 and data["mnist_honest_answers"]["ece"] <= 0.01
