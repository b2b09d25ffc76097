"""Bad files never crash the app nor lose the drawing or the current model."""

from __future__ import annotations


import numpy as np
import pytest
from PIL import Image

from digitpad.app.readers import ReaderChoice
from digitpad.app.windows.main_window import MainWindow
from digitpad.cli import main
from test_app_canvas import draw, one


@pytest.fixture
def window(qtbot, app_env):
    win = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(win)
    win.show()
    draw(win.canvas, one())
    win.session.predictor.predict_now()
    return win


def test_bad_model_file_shows_an_error_and_keeps_the_app_usable(qtbot, window, message_boxes, tmp_path, monkeypatch):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"this is not a model")
    before = window.canvas.image().copy()
    monkeypatch.setattr("digitpad.app.windows.main_window.QFileDialog.getOpenFileName", lambda *a, **k: (str(bad), ""))
    window.open_model_dialog()
    assert [kind for kind, _, _ in message_boxes] == ["critical"]
    assert "bad.npz" in message_boxes[0][2] and "\n" not in message_boxes[0][2]
    assert window.session.model_path.name == "tiny.npz" and window.model_combo.currentData().endswith("tiny.npz")
    assert np.array_equal(window.canvas.image(), before)
    draw(window.canvas, [(60, 60), (100, 100)])          # still drawing and predicting
    assert window.session.predictor.predict_now().probabilities[0] is not None


def test_unreadable_picture_shows_an_error_and_keeps_the_drawing(window, message_boxes, tmp_path):
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    strokes = len(window.canvas.drawing.strokes)
    assert not window.open_image(broken)
    assert message_boxes[0][0] == "warning" and "broken.png" in message_boxes[0][2]
    assert len(window.canvas.drawing.strokes) == strokes and window.session.picture is None


def test_opened_picture_is_classified_then_the_drawing_returns(window, tmp_path):
    picture = np.full((200, 160), 255, np.uint8)         # dark "1" on white paper
    picture[30:170, 70:90] = 0
    Image.fromarray(picture).save(tmp_path / "one.png")
    drawing = window.canvas.image().copy()
    assert window.open_image(tmp_path / "one.png")
    assert window.session.picture is not None and window.session.last.digit is not None
    window.canvas.clear()                                  # dismisses the picture first
    assert window.session.picture is None and np.array_equal(window.canvas.image(), drawing)


def test_save_drawing_as_png(window, tmp_path):
    assert window.save_drawing(tmp_path / "digit.png")
    assert np.array_equal(np.asarray(Image.open(tmp_path / "digit.png")), window.canvas.image())


def test_no_model_at_all_is_a_clear_state(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITPAD_MODELS_DIR", str(tmp_path / "none"))
    monkeypatch.setattr("digitpad.app.session.list_models", lambda: [])
    monkeypatch.setattr("digitpad.app.session.default_choice", lambda entries: ReaderChoice.of(tmp_path / "missing.npz"))
    win = MainWindow()
    qtbot.addWidget(win)
    assert win.session.model_path is None and "No model" in win.panel.title.text()
    draw(win.canvas, one())
    assert win.session.predictor.predict_now().probabilities == [None]


def test_gui_command_rejects_an_unknown_model(capsys):
    assert main(["gui", "--model", "no-such-model"]) == 2
    assert "no model named 'no-such-model'" in capsys.readouterr().err
