"""The main window on a laptop's screen and maximised: it fits 1280x720 with nothing cut, the canvas and
the 28x28 input grow with the window (the drawing keeps its canvas units), status messages and answers
never resize the window, and the split between the two bottom panels stays put from one drawing to the
next."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QApplication, QPushButton

from digitpad.app import i18n
from digitpad.app.application import fit_on_screen
from digitpad.app.windows.main_window import MainWindow
from digitpad.drawing.network_input import drawing_to_input
from digitpad.reading.reader import Answer
from test_app_canvas import draw, one, zero
from test_app_french import clipped

LAPTOP = (1280, 720)
FULL_HD = (1920, 1080)


@pytest.fixture
def language(request, tmp_path, monkeypatch, qapp):
    monkeypatch.setenv("DIGITPAD_CONFIG_DIR", str(tmp_path / "config"))
    i18n.install_language(getattr(request, "param", "en"))
    yield request.param if hasattr(request, "param") else "en"
    i18n.install_language("en")


def shown(qtbot, app_env, size=None) -> MainWindow:
    """The main window with the default reader (the shipped CNN and stroke model: sure answers, a map each)."""
    win = MainWindow()
    qtbot.addWidget(win)
    if size:
        win.resize(*size)
    win.show()
    settle()
    return win


def settle() -> None:
    for _ in range(3):
        QApplication.processEvents()


def answered(qtbot, win, points) -> None:
    win.canvas.clear()
    draw(win.canvas, points)
    win.session.predict_now()
    settle()


def inside(win, widget) -> bool:
    """Whether ``widget`` lies whole inside the window."""
    corner = widget.mapTo(win, widget.rect().topLeft())
    return win.rect().contains(QRect(corner, widget.size()))


@pytest.mark.parametrize("language", ["en", "fr"], indirect=True)
def test_the_window_fits_a_1280x720_screen_with_nothing_cut(qtbot, app_env, language):
    win = shown(qtbot, app_env)
    smallest = win.minimumSizeHint()
    assert smallest.width() <= 1240 and smallest.height() <= 680, smallest   # with a title bar and a panel
    for size in (smallest.toTuple(), LAPTOP):
        win.resize(*size)
        settle()
        assert win.size().toTuple() == size
        answered(qtbot, win, one())
        assert win.teach(1)   # a status message
        settle()
        assert win.size().toTuple() == size
        assert clipped(win) == [], size
        buttons = [*win.answers.correct_buttons, win.answers.not_a_digit_button, *win.pad.findChildren(QPushButton)]
        for widget in (win.canvas, win.input_pane.input_view, win.stroke_pane.view, win.panel.bars, *buttons,
                       win.why_panel.legend, win.width_plot.plot, win.statusBar()):
            assert widget.isVisible() and inside(win, widget), (size, widget)
        why = win.why_dock.widget()   # a sure answer's maps, whole
        qtbot.waitUntil(lambda: win.why_panel.stroke_maps is not None, timeout=5_000)
        settle()
        assert win.why_panel.classes == [1]
        assert not why.horizontalScrollBar().isVisible() and not why.verticalScrollBar().isVisible(), (
            size, why.size(), win.why_panel.minimumSizeHint(), win.why_panel.size())
        assert win.pad.geometry().bottom() <= win.row.height()   # the pen row under the canvas, whole


def test_the_canvas_and_the_network_input_grow_with_the_window(qtbot, app_env, language):
    win = shown(qtbot, app_env, LAPTOP)
    laptop = win.canvas.width(), win.input_pane.input_view.width(), win.stroke_pane.view.width()
    win.resize(*FULL_HD)   # maximised on a full-HD screen
    settle()
    full_hd = win.canvas.width(), win.input_pane.input_view.width(), win.stroke_pane.view.width()
    assert win.canvas.width() == win.canvas.height() >= 600 and full_hd[0] > 1.7 * laptop[0]
    assert full_hd[1] > 1.4 * laptop[1] and full_hd[2] == full_hd[1]
    # no empty band: the drawing column fills the row's height, and the row the window's width
    assert win.row.height() - win.pad.size_for(win.canvas.width()).height() < 8
    assert win.answers.geometry().right() >= win.row.width() - 1
    assert win.canvas.drawing.canvas_size == 336   # the drawing keeps its canvas units
    win.resize(*LAPTOP)   # and back
    settle()
    assert (win.canvas.width(), win.input_pane.input_view.width(), win.stroke_pane.view.width()) == laptop


def test_a_stroke_gives_the_same_network_input_on_a_small_and_a_large_canvas(qtbot, app_env, language):
    win = shown(qtbot, app_env, LAPTOP)
    inputs, strokes = [], []
    for size in (win.minimumSizeHint().toTuple(), FULL_HD):
        win.resize(*size)
        settle()
        answered(qtbot, win, zero())
        inputs.append(win.session.last.digit.copy())
        strokes.append(win.canvas.drawing.strokes[0].copy())
    np.testing.assert_allclose(strokes[0], strokes[1], atol=1e-9)
    np.testing.assert_allclose(strokes[0], np.array(zero()), atol=1e-9)   # in canvas units, whatever the scale
    np.testing.assert_allclose(inputs[0], inputs[1], atol=1e-6)
    drawn = win.canvas.drawing   # as an unscaled canvas (a drawing made anywhere else) gives the network
    np.testing.assert_allclose(inputs[0], drawing_to_input([np.array(zero())], drawn.pen_width, 336,
                                                           win.session.input_mode), atol=1e-6)


def test_status_messages_and_answers_never_resize_the_window(qtbot, app_env, language):
    win = shown(qtbot, app_env)   # at its smallest, where a growing content would grow the window
    size, smallest = win.size(), win.minimumSizeHint()
    win.statusBar().showMessage("A long status message " * 30)
    answered(qtbot, win, one())
    win.compare_box.setChecked(True)
    answered(qtbot, win, zero())
    win.panel.show_answer(Answer.from_probabilities(None, "too small to read: draw bigger"))
    settle()
    assert win.size() == size and win.minimumSizeHint() == smallest


def test_the_bottom_panels_keep_their_split_from_one_drawing_to_the_next(qtbot, app_env, language):
    win = shown(qtbot, app_env, LAPTOP)
    answered(qtbot, win, one())
    split = win.why_dock.geometry(), win.width_dock.geometry()
    answered(qtbot, win, zero())
    qtbot.waitUntil(lambda: win.width_plot.sweep is not None, timeout=20_000)
    settle()
    assert (win.why_dock.geometry(), win.width_dock.geometry()) == split
    # an unsure answer: three maps a model instead of one
    session = win.session
    unsure = np.full(10, 0.01)
    unsure[3], unsure[5] = 0.5, 0.42
    win.why_panel.explain(session.model, session.image_path, session.last.digit, Answer.from_probabilities(unsure))
    settle()
    assert win.why_panel.classes == [3, 5]
    assert (win.why_dock.geometry(), win.width_dock.geometry()) == split
    answered(qtbot, win, one())
    assert (win.why_dock.geometry(), win.width_dock.geometry()) == split


def test_the_app_opens_at_its_preferred_size_or_what_the_screen_allows(qtbot, app_env):
    win = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(win)
    fit_on_screen(win)
    win.show()
    free = win.screen().availableGeometry()
    assert win.minimumSizeHint().width() <= win.width() <= max(win.sizeHint().width(), win.minimumSizeHint().width())
    assert win.height() <= max(free.height(), win.minimumSizeHint().height())
    assert win.sizeHint().width() <= 1400 and win.sizeHint().height() <= 800
