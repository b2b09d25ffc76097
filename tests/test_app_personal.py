"""The personal data set ("teach it"): storing, crash safety, damaged entries, export, the window; drawings
marked "not a digit" (negatives: label `NOT_A_DIGIT`), kept apart from the digits that train."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PySide6.QtWidgets import QLabel

from digitpad import atomic
from digitpad.app.windows.main_window import MainWindow
from digitpad.app.windows.personal_window import PersonalWindow
from digitpad.data.personal import PersonalDataset
from digitpad.training.fine_tune import fine_tune
from digitpad.drawing.strokes import Drawing
from digitpad.drawing.trajectory import NOT_A_DIGIT
from test_app_canvas import draw, one


def digit_image(value=200):
    image = np.zeros((28, 28), np.uint8)
    image[4:24, 12:16] = value
    return image


def test_add_load_export_and_clear(tmp_path):
    data = PersonalDataset(tmp_path / "personal")
    drawing = Drawing([[[10, 10], [10, 50]]], 8, 64, label=1)
    data.add(digit_image(), 1, drawing)
    data.add(digit_image(90).astype(np.float32) / 255, 7)
    samples, problems = data.load()
    assert problems == [] and [s.label for s in samples] == [1, 7]
    assert np.array_equal(samples[0].image, digit_image())
    assert np.array_equal(samples[0].drawing.render(), drawing.render())
    count = data.export_npz(tmp_path / "mine.npz")
    with np.load(tmp_path / "mine.npz", allow_pickle=False) as archive:
        assert count == 2 and archive["images"].shape == (2, 28, 28) and list(archive["labels"]) == [1, 7]
        assert Drawing.from_json(str(archive["drawings"][0])).label == 1 and archive["drawings"][1] == ""
    assert data.clear() == 2 and data.load() == ([], [])


def test_crash_while_saving_leaves_the_set_intact(tmp_path, monkeypatch):
    data = PersonalDataset(tmp_path)
    data.add(digit_image(), 3)

    def crash(src, dst):
        raise KeyboardInterrupt  # the process dies between writing the temporary file and renaming it
    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        data.add(digit_image(), 4)
    monkeypatch.undo()
    # A hard crash (power cut) can leave the temporary file behind: loading ignores it.
    (tmp_path / "20240101-000000-deadbeef.json.part-0badf00d").write_text('{"format": "digitpad-pers')
    samples, problems = data.load()
    assert [s.label for s in samples] == [3] and problems == []


def test_damaged_sample_is_skipped_with_a_clear_message(tmp_path):
    data = PersonalDataset(tmp_path)
    data.add(digit_image(), 5)
    (tmp_path / "broken.json").write_text("{not json")
    (tmp_path / "wrong.json").write_text(json.dumps({"format": "digitpad-personal-sample", "version": 1,
                                                     "label": 12, "image": ""}))
    samples, problems = data.load()
    assert [s.label for s in samples] == [5]
    assert len(problems) == 2 and all("personal sample" in p for p in problems)
    assert any("broken.json: not a readable personal sample" in p for p in problems)


def test_teach_it_stores_the_drawing_and_the_window_shows_it(qtbot, app_env, message_boxes):
    win = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(win)
    win.show()
    assert not win.teach(4)                      # nothing drawn yet
    draw(win.canvas, one())
    win.session.predictor.predict_now()
    win.answers.correct_buttons[7].click()
    samples, _ = win.session.personal.load()
    assert len(samples) == 1 and samples[0].label == 7
    assert np.array_equal(samples[0].drawing.render(), win.canvas.image())
    assert np.array_equal(samples[0].image, np.rint(win.session.last.digit * 255).astype(np.uint8))
    window = win.open_personal()
    assert isinstance(window, PersonalWindow) and window.thumbnails.count() == 1
    window.clear()                               # the confirmation is answered Yes
    assert message_boxes[-1][0] == "question"
    assert window.thumbnails.count() == 0 and win.session.personal.load() == ([], [])


def test_fine_tune_reports_before_and_after(app_env, tmp_path):
    data = PersonalDataset()
    for label in (1, 1, 7):
        data.add(digit_image(), label)
    out = app_env / "tiny-mine.npz"
    report = fine_tune(app_env / "tiny.npz", out, epochs=1, mnist_images=1500, dataset=data)
    assert report.saved == out and out.is_file() and out.with_suffix(".card.json").is_file()
    assert report.personal_count == 3 and 0 <= report.mnist_after <= 1
    assert "MNIST test set" in report.summary()


def zigzag(size=336):
    """A scribble: a zigzag over most of the canvas, back and forth."""
    return [(size * (0.1 + 0.8 * (t % 2)), size * (0.1 + 0.8 * t / 11)) for t in range(12)]


def test_a_negative_round_trips_and_is_kept_apart_from_the_digits(tmp_path):
    data = PersonalDataset(tmp_path / "personal")
    data.add(digit_image(), 3, Drawing([[[10, 10], [10, 50]]], 8, 64, label=3))
    scribbled = Drawing([np.array(zigzag(64), np.float32)], 8, 64)
    negative = data.add(digit_image(120), NOT_A_DIGIT, scribbled)
    assert negative.not_a_digit and negative.label == 10
    for reader in (data, PersonalDataset(tmp_path / "personal")):   # the cached index and a fresh read
        samples, problems = reader.load()
        assert problems == [] and [s.label for s in samples] == [3, NOT_A_DIGIT]
        stored = samples[1]
        assert stored.not_a_digit and stored.drawing.label is None
        assert [s.tolist() for s in stored.drawing.strokes] == [s.tolist() for s in scribbled.strokes]
        assert np.array_equal(stored.image, digit_image(120))
        assert [s.label for s in reader.digits()] == [3] and [s.id for s in reader.negatives()] == [negative.id]
        images, labels = reader.arrays()                # what trains as digits: never label 10
        assert images.shape == (1, 28, 28) and labels.tolist() == [3]
    count = data.export_npz(tmp_path / "mine.npz")     # the export keeps both, the negative labelled 10
    with np.load(tmp_path / "mine.npz", allow_pickle=False) as archive:
        assert count == 2 and archive["labels"].tolist() == [3, NOT_A_DIGIT]
        assert int(archive["not_a_digit_label"]) == NOT_A_DIGIT
        assert archive["images"].shape == (2, 28, 28)
        back = Drawing.from_json(str(archive["drawings"][1]))
        assert back.label is None and np.allclose(back.strokes[0], scribbled.strokes[0])
    for label in (11, -1, True, 2.0):
        with pytest.raises(ValueError, match="NOT_A_DIGIT"):
            data.add(digit_image(), label)


def test_labels_beyond_not_a_digit_stay_refused(tmp_path):
    data = PersonalDataset(tmp_path)
    good = json.loads((tmp_path / f"{data.add(digit_image(), NOT_A_DIGIT).id}.json").read_text())
    for label in (11, -1, True, "10", 10.0):
        (tmp_path / f"z-label-{label}.json").write_text(json.dumps({**good, "label": label}))
    samples, problems = data.load()
    assert [s.label for s in samples] == [NOT_A_DIGIT] and len(problems) == 5
    assert all("bad label" in problem for problem in problems)


def test_not_a_digit_stores_the_scribble_as_a_negative_through_the_window(qtbot, window, message_boxes):
    draw(window.canvas, zigzag())
    window.session.predict_now()
    window.answers.correct_buttons[2].click()                       # one digit first
    window.answers.not_a_digit_button.click()
    assert message_boxes == []
    assert "You have 1 drawing marked so" in window.statusBar().currentMessage()
    personal = window.session.personal
    digits, negatives = personal.digits(), personal.negatives()
    assert [s.label for s in digits] == [2] and [s.label for s in negatives] == [NOT_A_DIGIT]
    stored = negatives[0]
    assert stored.drawing.label is None and len(stored.drawing.strokes) == 1
    assert np.array_equal(stored.drawing.render(), window.canvas.image())
    assert np.array_equal(stored.image, np.rint(window.session.last.digit * 255).astype(np.uint8))
    assert personal.arrays()[1].tolist() == [2]
    mine = window.open_personal()
    captions = [mine.thumbnails.item(i).text() for i in range(mine.thumbnails.count())]
    assert captions == ["label 2", "not a digit"]
    assert "<b>1</b> digit (2: 1) and <b>1</b> drawing marked “not a digit”, kept in" in mine.summary.text()
    fine_tune_dialog = window.open_fine_tune()                       # negatives are not digits to train on
    assert "your <b>1</b> digit (repeated" in fine_tune_dialog.findChildren(QLabel)[0].text()
    window.canvas.clear()
    window.answers.not_a_digit_button.click()                        # nothing drawn: nothing stored
    assert len(personal.negatives()) == 1
