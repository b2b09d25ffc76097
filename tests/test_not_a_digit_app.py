"""What the app answers for marks that are not digits (issue 25, items 1 and 2; pytest-qt, offscreen): a click
or a tick on the canvas is "too small to read"; a scribble over the whole canvas "doesn't look like a
digit", said in the app's language over dimmed bars with no digit highlighted; and "Why this digit?"
explains that verdict, not a digit."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtGui import QColor, QImage

from digitpad import nn
from digitpad.app import i18n
from digitpad.app.widgets.probabilities import ACCENT, BAR, DIMMED, PredictionPanel, verdict_text
from digitpad.app.widgets.stroke_view import stroke_contributions
from digitpad.app.widgets.why_view import WhyPanel
from digitpad.drawing.strokes import Drawing
from digitpad.drawing.trajectory import NOT_A_DIGIT, TRAJECTORY_SHAPE
from digitpad.reading.reader import NOT_A_DIGIT_TEXT, TOO_SMALL_TEXT, Answer, input_of, trajectory_of
from digitpad.reading.store import shipped_dir
from test_app_canvas import draw, zero
from test_reader import probs

CANVAS = 336   # the app's canvas
MARKS = {"a click": [(170, 170)], "a 3-px tick": [(170, 170), (172, 172), (173, 170)]}


def scribble(seed: int, points: int = 150, span: float = 0.95) -> list[tuple[float, float]]:
    """A long wandering stroke over the whole canvas: a seeded random walk that keeps turning, stretched to
    span ``span`` of the canvas across and down."""
    rng = np.random.default_rng(seed)
    heading = np.cumsum(rng.normal(0.0, 0.8, points))
    path = np.cumsum(np.stack([np.cos(heading), np.sin(heading)], axis=1), axis=0)
    path = (path - path.min(axis=0)) / np.ptp(path, axis=0)
    return [tuple(xy) for xy in CANVAS * ((1 - span) / 2 + span * path)]


def painted(widget) -> set[tuple[int, int, int]]:
    """The colours of the widget's pixels as it paints itself."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    rows = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes()).reshape(height, image.bytesPerLine())
    bgra = rows[:, :width * 4].reshape(-1, 4)
    return {(int(r), int(g), int(b)) for b, g, r, _ in np.unique(bgra, axis=0)}


def rgb(colour: QColor) -> tuple[int, int, int]:
    return colour.red(), colour.green(), colour.blue()


@pytest.fixture
def window(qtbot, app_env):
    """The main window in English, reading with the default reader (the shipped CNN and stroke model)."""
    from digitpad.app.windows.main_window import MainWindow

    i18n.install_language("en")
    win = MainWindow()
    qtbot.addWidget(win)
    yield win
    i18n.install_language("en")


@pytest.fixture
def english(qapp):
    i18n.install_language("en")
    yield
    i18n.install_language("en")


@pytest.mark.parametrize("mark", MARKS)
def test_a_click_and_a_tick_on_the_canvas_are_too_small_to_read(window, mark):
    draw(window.canvas, MARKS[mark])
    assert len(window.canvas.drawing.strokes) == 1
    answer = window.session.predict_now().answers[0]
    assert answer.text == TOO_SMALL_TEXT and answer.digit is None and not answer.not_a_digit
    assert window.panel.verdict_label.text() == "too small to read: draw bigger"
    assert window.panel.digit.text() == "–" and window.panel.bars.probabilities is None


def test_a_scribble_over_the_whole_canvas_does_not_look_like_a_digit(qtbot, window):
    for seed in range(3):
        window.canvas.clear()
        points = scribble(seed)
        assert np.ptp(np.array(points), axis=0).min() >= 0.9 * CANVAS
        draw(window.canvas, points)
        answer = window.session.predict_now().answers[0]
        assert answer.not_a_digit and answer.text == NOT_A_DIGIT_TEXT, (seed, answer.text)
        assert window.panel.verdict_label.text() == "this doesn't look like a digit"
        assert window.panel.digit.text() == "–" and window.panel.bars.dimmed
    french = window.set_language("fr")
    qtbot.addWidget(french)
    french.session.predict_now()
    assert french.panel.verdict_label.text() == "ceci ne ressemble pas à un chiffre"


def test_the_panel_says_not_a_digit_over_dimmed_bars_with_nothing_highlighted(qtbot, english):
    p = probs(d4=0.9, d9=0.05)
    not_a_digit = Answer.from_probabilities(p, not_a_digit_score=0.9)
    assert not_a_digit.not_a_digit and not_a_digit.digit == 4 and not not_a_digit.unsure
    panel = PredictionPanel()
    qtbot.addWidget(panel)
    panel.resize(320, 420)
    panel.show()

    panel.show_answer(Answer.from_probabilities(probs(d4=0.99)))   # a digit: highlighted
    assert panel.digit.text() == "4" and not panel.bars.dimmed
    assert {rgb(ACCENT), rgb(BAR)} <= painted(panel.bars) and rgb(DIMMED) not in painted(panel.bars)

    panel.show_answer(not_a_digit)
    assert panel.verdict_label.text() == verdict_text(not_a_digit) == "this doesn't look like a digit"
    assert panel.digit.text() == "–" and ACCENT.name() not in panel.digit.styleSheet()
    np.testing.assert_array_equal(panel.bars.probabilities, p.astype(np.float32))   # still shown, dimmed
    assert panel.bars.dimmed
    colours = painted(panel.bars)
    assert rgb(DIMMED) in colours and rgb(ACCENT) not in colours and rgb(BAR) not in colours
    assert "90%" in panel.verdict_label.toolTip()

    i18n.install_language("fr")
    assert verdict_text(not_a_digit) == "ceci ne ressemble pas à un chiffre"
    panel.show_answer(not_a_digit)
    assert panel.verdict_label.text() == "ceci ne ressemble pas à un chiffre"
    assert panel.verdict_label.toolTip().startswith("Le modèle de tracé donne 90\u00a0% à «\u00a0pas un chiffre\u00a0».")


def test_why_this_digit_explains_the_not_a_digit_verdict_with_the_stroke_model(qtbot, english):
    """The stroke model said it: its map is for its not-a-digit output; the image network, which knows only
    digits, explains none, and says why."""
    strokes = nn.Sequential([nn.Flatten(), nn.Dense(int(np.prod(TRAJECTORY_SHAPE)), NOT_A_DIGIT + 1,
                                                    rng=np.random.default_rng(0)), nn.Softmax()], TRAJECTORY_SHAPE)
    path = shipped_dir() / "cnn.npz"
    cnn = nn.load_model(path)
    drawing = Drawing([np.array(zero(), np.float64)], 8, CANVAS)
    digit, trajectory = input_of(drawing), trajectory_of(drawing)
    panel = WhyPanel()
    qtbot.addWidget(panel)

    panel.explain(cnn, path, digit, Answer.from_probabilities(probs(d0=0.99)), strokes, trajectory)   # a digit
    qtbot.waitUntil(lambda: panel.stroke_maps is not None, timeout=5_000)
    assert panel.classes == [0] and panel.maps is not None and panel.stroke_captions[0].text() == "for 0"
    assert panel.legend.text() == "orange: pushes toward the digit · blue: pushes away"

    not_a_digit = Answer.from_probabilities(probs(d0=0.99), not_a_digit_score=0.8)
    panel.explain(cnn, path, digit, not_a_digit, strokes, trajectory)
    assert panel.classes == [] and panel.maps is None
    assert panel.captions[0].text() == "not a digit" and "knows only digits" in panel.captions[0].toolTip()
    qtbot.waitUntil(lambda: panel.stroke_captions[0].text() == "for “not a digit”", timeout=5_000)
    np.testing.assert_allclose(panel.stroke_maps, stroke_contributions(strokes, trajectory, [NOT_A_DIGIT]), atol=1e-6)
    assert [c.text() for c in panel.stroke_captions if not c.isHidden()] == ["for “not a digit”"]
    assert panel.legend.text() == "orange: pushes toward “not a digit” · blue: pushes away"
