"""A mark too small to be a digit is not read (issue 25, item 2): a click, a tick or a flick on the canvas
is answered "too small to read" instead of being scaled up to a full-size blob and read "100 % sure",
decided from the strokes' extent on the canvas; a digit drawn small, or a 1 as a short line, still reads."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.data import pendigits
from digitpad.drawing.strokes import Drawing
from digitpad.errors import ImageError
from digitpad.reading.reader import MIN_READABLE_EXTENT, TOO_SMALL_TEXT, Reader, too_small

CANVAS = 336   # the app's canvas


def marks():
    return {"a click": [np.array([[170.0, 170.0]])],
            "a 3-px tick": [np.array([[170.0, 170.0], [172.0, 172.0], [173.0, 170.0]])],
            "a 2-px flick": [np.array([[100.0, 100.0], [101.5, 101.0]])],
            "a 15-px scribble": [np.array([[100.0, 100.0], [115.0, 104.0], [103.0, 110.0], [112.0, 96.0]])]}


@pytest.fixture(scope="module")
def readers():
    default = Reader.default()
    return {"combined": default, "image": Reader(default.model), "strokes": Reader(None, strokes=default.strokes)}


def test_dots_ticks_and_flicks_are_too_small_to_read_by_every_reader(readers):
    drawings = [Drawing(strokes, 8, CANVAS) for strokes in marks().values()]
    assert all(too_small(d) for d in drawings)
    for name, reader in readers.items():
        answers = reader.read(drawings)
        assert all(a.digit is None and a.probabilities is None and a.text == TOO_SMALL_TEXT for a in answers), name
        with pytest.raises(ImageError, match="item 0 is too small to read"):
            reader.probabilities(drawings[:1])


def test_a_short_line_of_ordinary_size_is_still_a_one(readers):
    for height in (0.2, 0.3, 0.5):
        one = Drawing([np.array([[168.0, 168.0 - height * CANVAS / 2], [170.0, 168.0 + height * CANVAS / 2]])], 8, CANVAS)
        assert not too_small(one)
        assert readers["combined"].read([one])[0].digit == 1, height


def test_real_digits_drawn_small_are_still_read(readers, pendigits_dir):
    """Measurement writers' digits drawn 10 % of the canvas high (twice the threshold): read as usual."""
    digits = pendigits.of_writers(pendigits.load_pendigits(pendigits_dir), pendigits.writer_groups()["measure"])[:200]
    drawings = []
    for digit in digits:
        points = np.concatenate(digit.strokes)
        low, size = points.min(axis=0), np.ptp(points, axis=0).max()
        scale = 2 * MIN_READABLE_EXTENT * CANVAS / size
        drawings.append(Drawing([(s - low) * scale + 150 for s in digit.strokes], 8, CANVAS))
    assert not any(too_small(d) for d in drawings)
    read = readers["combined"].probabilities(drawings).argmax(axis=1)
    assert np.mean(read == np.array([d.label for d in digits])) >= 0.99


def test_the_app_says_too_small_in_its_language(qtbot, app_env):
    from digitpad.app import i18n
    from digitpad.app.windows.main_window import MainWindow
    from test_app_canvas import draw

    i18n.install_language("en")
    window = MainWindow()
    qtbot.addWidget(window)
    draw(window.canvas, [(170, 170), (172, 172), (173, 170)])
    window.session.predict_now()
    assert window.panel.verdict_label.text() == "too small to read: draw bigger"
    assert window.panel.digit.text() == "–"
    french = window.set_language("fr")
    qtbot.addWidget(french)
    french.session.predict_now()
    assert french.panel.verdict_label.text() == "trop petit pour être lu\xa0: dessinez plus grand"
    i18n.install_language("en")
