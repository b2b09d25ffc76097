"""The drawing canvas and live prediction, driven by simulated mouse events."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from digitpad.app.widgets.canvas import DrawingCanvas
from digitpad.app.windows.main_window import MainWindow
from digitpad.drawing.strokes import Drawing
from digitpad.reading.store import default_model_path


def mouse(canvas, kind: QEvent.Type, position: QPointF) -> None:
    """A mouse event of ``kind`` at ``position`` (widget pixels, sub-pixel) with the left button, as the
    pointer delivers it."""
    down = kind != QEvent.Type.MouseButtonRelease
    button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
    event = QMouseEvent(kind, position, canvas.mapToGlobal(position), button,
                        Qt.MouseButton.LeftButton if down else Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(canvas, event)


def draw(canvas, points) -> None:
    """One stroke through ``points`` (canvas units, whatever the canvas's size on screen) with press, moves
    and release."""
    first, *rest = [canvas.to_widget(x, y) for x, y in points]
    mouse(canvas, QEvent.Type.MouseButtonPress, first)
    for point in rest:
        mouse(canvas, QEvent.Type.MouseMove, point)
    mouse(canvas, QEvent.Type.MouseButtonRelease, rest[-1] if rest else first)


def one(size=336):
    return [(size * 0.52, size * (0.18 + 0.64 * t / 20)) for t in range(21)]


def zero(size=336):
    c = size / 2
    return [(c + size * 0.22 * math.sin(a), c - size * 0.32 * math.cos(a))
            for a in np.linspace(0, 2 * math.pi, 48)]


def test_stroke_updates_prediction(qtbot, window):
    assert window.panel.verdict_label.text() == "draw a digit"
    draw(window.canvas, one())
    qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.digit is not None, timeout=2000)
    assert window.panel.digit.text() in "0123456789"
    assert window.session.last.probabilities[0].shape == (10,)
    assert window.input_pane.input_view.digit.shape == (28, 28)
    assert "ms" in window.input_pane.latency_label.text()


def on_screen(widget) -> np.ndarray:
    shown = widget.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    return np.array(shown.constBits(), np.uint8).reshape(shown.height(), shown.bytesPerLine())[:, :shown.width()]


def test_canvas_pixels_are_the_networks_pixels(qtbot, window):
    """Drawn on the window's canvas (scaled to the window), the canvas holds the network's pixels; shown
    one to one they are the pixels on screen, and scaled they are those pixels smoothed."""
    canvas = window.canvas
    draw(canvas, zero())
    canvas.set_pen_width(7)
    draw(canvas, [(40.3, 50.7), (90.1, 60.2), (120.9, 200.4)])
    assert np.array_equal(canvas.image(), canvas.drawing.render())
    rebuilt = Drawing.from_json(canvas.drawing.to_json())
    assert np.array_equal(canvas.image(), rebuilt.render())
    size = canvas.drawing.canvas_size
    one_to_one = DrawingCanvas(window.session)   # the same drawing, unscaled
    qtbot.addWidget(one_to_one)
    assert one_to_one.size().toTuple() == (size, size) and one_to_one.scale == 1
    assert np.array_equal(on_screen(one_to_one), canvas.image())
    for side in (280, 560):   # smaller and larger on screen
        canvas.set_side(side)
        expected = np.asarray(Image.fromarray(canvas.image()).resize((side, side), Image.Resampling.BILINEAR), np.float64)
        assert np.abs(on_screen(canvas) - expected).mean() < 2.0
    canvas.undo()
    assert np.array_equal(canvas.image(), canvas.drawing.render())


def test_pen_width_shortcuts_undo_and_clear(qtbot, window):
    canvas = window.canvas
    start = canvas.pen_width
    QTest.keyClick(window, Qt.Key.Key_BracketRight)
    assert canvas.pen_width == start + 2
    assert window.pad.pen_label.text() == f"{start + 2:g} px"
    assert window.pad.pen_slider.value() == start + 2
    QTest.keyClick(window, Qt.Key.Key_BracketLeft)
    QTest.keyClick(window, Qt.Key.Key_BracketLeft)
    assert canvas.pen_width == start - 2
    draw(canvas, one())
    draw(canvas, zero())
    assert len(canvas.drawing.strokes) == 2
    QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert len(canvas.drawing.strokes) == 1
    QTest.keyClick(window, Qt.Key.Key_Escape)
    assert canvas.drawing.is_empty() and not canvas.image().any()
    draw(canvas, one())
    QTest.keyClick(window, Qt.Key.Key_Delete)
    assert canvas.drawing.is_empty()
    qtbot.waitUntil(lambda: window.panel.verdict_label.text() == "draw a digit", timeout=2000)


@pytest.mark.parametrize("digit, points", [(1, one()), (0, zero())])
def test_drawn_digits_are_read_correctly_by_the_shipped_model(qtbot, app_env, digit, points):
    win = MainWindow(default_model_path())
    qtbot.addWidget(win)
    win.show()
    assert win.session.model_path == default_model_path()
    draw(win.canvas, points)
    prediction = win.session.predictor.predict_now()
    assert int(np.argmax(prediction.probabilities[0])) == digit
    assert win.panel.digit.text() == str(digit)


def test_side_by_side_shows_both_models(qtbot, window):
    window.compare_box.setChecked(True)
    assert window.answers.compare_panel.isVisibleTo(window)
    draw(window.canvas, one())
    prediction = window.session.predictor.predict_now()
    assert len(prediction.probabilities) == 2 and all(p is not None for p in prediction.probabilities)
    assert window.answers.compare_panel.digit.text() in "0123456789"


def test_the_window_shows_the_network_drawing_to_input_and_the_pen_does_not_change_it(qtbot, window):
    """The live prediction runs `drawing_to_input` on the canvas strokes: with the default mode a 4-px
    and a 40-px pen give the network the same input; "your pen, as drawn" shows the difference."""
    from digitpad.drawing.network_input import drawing_to_input

    def drawn_with(width, mode):
        window.canvas.clear()
        window.session.set_input_mode(mode)
        window.canvas.set_pen_width(width)
        draw(window.canvas, zero())
        qtbot.waitUntil(lambda: window.session.last is not None and window.session.last.digit is not None, timeout=2000)
        window.session.predictor.predict_now()
        d = window.canvas.drawing
        assert np.array_equal(window.session.last.digit, drawing_to_input(d.strokes, d.pen_width, d.canvas_size, mode))
        assert np.array_equal(window.input_pane.input_view.digit, window.session.last.digit)
        return window.session.last.digit

    assert window.input_pane.mode_combo.currentData() == "strokes"
    assert np.array_equal(drawn_with(4, "strokes"), drawn_with(40, "strokes"))
    thin, fat = drawn_with(4, "image"), drawn_with(40, "image")
    assert window.input_pane.mode_combo.currentData() == "image"
    assert np.abs(thin - fat).max() > 0.5
