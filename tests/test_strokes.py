"""Tests for digitpad.drawing.strokes: drawings and their anti-aliased rendering."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digitpad.errors import ImageError
from digitpad.drawing.strokes import (
    Drawing,
    coverage_to_uint8,
    render_coverage,
    render_segment_into,
    render_segments_into,
    render_strokes,
)


def _typical_digit(rng: np.random.Generator, strokes: int = 5, points: int = 40, size: int = 420):
    """Random wiggly strokes, like mouse input: ``strokes`` x ``points`` points ~4 px apart."""
    out = []
    for _ in range(strokes):
        angle = rng.uniform(0, 2 * math.pi)
        steps = []
        for _ in range(points - 1):
            angle += rng.normal(0, 0.3)
            steps.append(4 * np.array([math.cos(angle), math.sin(angle)]))
        start = rng.uniform(0.3 * size, 0.7 * size, 2)
        out.append(np.vstack([start, start + np.cumsum(steps, axis=0)]))
    return out


@pytest.mark.parametrize("width", [1, 2, 3, 4.5, 8, 13, 21, 32])
@pytest.mark.parametrize("y", [100.0, 100.5, 100.27])
def test_horizontal_line_ink_width_equals_pen_width(width, y):
    coverage = render_coverage([np.array([[40.0, y], [160.0, y]])], width, 200)
    column = coverage[:, 100]
    assert column.sum() == pytest.approx(width, abs=0.08)
    # Quantised: the pixels at least half covered span the pen width to within a pixel.
    assert abs(int((render_strokes([np.array([[40.0, y], [160.0, y]])], width, 200)[:, 100] >= 128).sum()) - width) <= 1


@pytest.mark.parametrize("width", [2, 5, 9, 16, 32])
def test_single_point_is_round_dot_of_pen_diameter(width):
    centre = np.array([50.3, 49.6])
    coverage = render_coverage([centre[None]], width, 100)
    radius = width / 2
    # Area of the disc; the one-pixel linear edge ramp adds exactly pi/12 to pi r^2.
    assert coverage.sum() == pytest.approx(math.pi * (radius**2 + 1 / 12), rel=0.01)
    rows, cols = np.mgrid[0:100, 0:100]
    distance = np.hypot(cols + 0.5 - centre[0], rows + 0.5 - centre[1])
    assert (coverage[distance <= radius - 0.5] == 1).all()
    assert (coverage[distance >= radius + 0.5] == 0).all()


def test_edges_are_antialiased_and_ink_is_white_on_black():
    image = render_strokes([np.array([[10.0, 12.0], [90.0, 71.0]])], 6, 100)
    assert image.dtype == np.uint8 and image.shape == (100, 100)
    assert image[0, 99] == 0 and image.max() == 255
    partial = (image > 0) & (image < 255)
    assert partial.sum() > 100  # both edges along ~100 px of diagonal line


def test_round_caps_extend_half_the_pen_beyond_the_end_point():
    coverage = render_coverage([np.array([[30.0, 50.5], [70.0, 50.5]])], 10, 100)
    row = coverage[50]  # ink covers x in [30 - 5, 70 + 5] = pixels 25..74 exactly
    assert row[24] == 0 and (row[25:75] == 1).all() and row[75] == 0


def test_rendering_is_deterministic():
    strokes = _typical_digit(np.random.default_rng(3))
    assert np.array_equal(render_strokes(strokes, 17, 420), render_strokes(strokes, 17, 420))


def test_empty_drawing_renders_black():
    assert not render_strokes([], 10, 64).any()


def test_strokes_outside_canvas_are_clipped():
    image = render_strokes([np.array([[-50.0, 10.0], [150.0, 10.0]]), np.array([[500.0, 500.0]])], 8, 100)
    assert image[10].min() == 255 and image[50:].max() == 0
    canvas = np.zeros((100, 100), np.float32)
    assert render_segment_into(canvas, (300, 300), (400, 300), 8) is None
    assert not canvas.any()


def _render_incrementally(strokes, width, size):
    drawing = Drawing([], width, size)
    canvas = np.zeros((size, size), np.float32)
    for stroke in strokes:
        render_segment_into(canvas, *drawing.new_stroke(*stroke[0]), width)
        for x, y in stroke[1:]:
            segment = drawing.add_point(x, y)
            if segment is not None:
                render_segment_into(canvas, *segment, width)
    return drawing, canvas


def test_incremental_rendering_equals_full_rendering_for_a_typical_digit():
    strokes = _typical_digit(np.random.default_rng(0))
    drawing, canvas = _render_incrementally(strokes, 23.0, 420)
    assert np.array_equal(canvas, render_coverage(strokes, 23.0, 420))
    assert np.array_equal(coverage_to_uint8(canvas), drawing.render())


points = st.tuples(st.floats(-20, 120, allow_nan=False), st.floats(-20, 120, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(
    strokes=st.lists(st.lists(points, min_size=1, max_size=12), min_size=1, max_size=4),
    width=st.floats(0.3, 40),
)
def test_incremental_rendering_equals_full_rendering_property(strokes, width):
    arrays = [np.array(stroke, dtype=np.float64) for stroke in strokes]
    _, canvas = _render_incrementally(arrays, width, 100)
    assert np.array_equal(canvas, render_coverage(arrays, width, 100))


def test_segment_order_does_not_matter():
    strokes = _typical_digit(np.random.default_rng(1), strokes=2, points=15, size=120)
    canvas = np.zeros((120, 120), np.float32)
    segments = [(s[i], s[i + 1]) for s in strokes for i in range(len(s) - 1)] + [(s[0], s[0]) for s in strokes]
    for p0, p1 in reversed(segments):
        render_segment_into(canvas, p0, p1, 9)
    assert np.array_equal(canvas, render_coverage(strokes, 9, 120))


def test_segments_rendered_together_give_the_pixels_of_one_by_one():
    """The canvas renders the moves queued since its last paint in one call: the same pixels."""
    strokes = _typical_digit(np.random.default_rng(2), strokes=3, points=30, size=200)
    one_by_one = _render_incrementally(strokes, 11.0, 200)[1]
    together = np.zeros((200, 200), np.float32)
    drawing = Drawing([], 11.0, 200)
    for stroke in strokes:   # a few moves at a time, as paints come
        queued = [drawing.new_stroke(*stroke[0])] + [drawing.add_point(x, y) for x, y in stroke[1:]]
        queued = [segment for segment in queued if segment is not None]
        for start in range(0, len(queued), 7):
            render_segments_into(together, queued[start:start + 7], 11.0)
    assert np.array_equal(together, one_by_one)
    r0, r1, c0, c1 = render_segments_into(canvas := np.zeros((200, 200), np.float32), [((10, 20), (30, 20)),
                                                                                       ((50, 60), (50, 90))], 4)
    assert canvas[:r0].max() == 0 and canvas[r1:].max() == 0 and canvas[:, :c0].max() == 0
    assert canvas[:, c1:].max() == 0 and (r0, c0) < (20, 10) and (r1, c1) > (90, 50)
    assert render_segments_into(canvas, [], 4) is None
    assert render_segments_into(canvas, [((500, 500), (600, 500))], 4) is None


def test_render_segment_into_reports_changed_region():
    canvas = np.zeros((50, 50), np.float32)
    r0, r1, c0, c1 = render_segment_into(canvas, (10, 20), (30, 20), 4)
    assert canvas[:r0].max() == 0 and canvas[r1:].max() == 0
    assert canvas[:, :c0].max() == 0 and canvas[:, c1:].max() == 0
    assert canvas[r0:r1, c0:c1].max() == 1


@pytest.mark.parametrize("width", [0, -3, float("nan"), float("inf")])
def test_bad_pen_width_is_rejected(width):
    with pytest.raises(ValueError, match="pen width"):
        render_strokes([np.zeros((1, 2))], width, 10)


@pytest.mark.parametrize("size", [0, -1, 2.5, True])
def test_bad_canvas_size_is_rejected(size):
    with pytest.raises(ValueError, match="canvas size"):
        render_strokes([], 3, size)


@pytest.mark.parametrize(
    "stroke", [np.zeros((0, 2)), np.zeros((3, 3)), np.zeros(4), np.array([[1.0, np.nan]]), [["a", "b"]]]
)
def test_bad_strokes_are_rejected(stroke):
    with pytest.raises(ValueError, match="stroke 0"):
        render_strokes([stroke], 3, 10)


def test_render_segment_into_needs_a_float32_canvas():
    with pytest.raises(ValueError, match="float32"):
        render_segment_into(np.zeros((10, 10)), (1, 1), (2, 2), 3)


def test_drawing_editing_helpers():
    drawing = Drawing([], 8, 64)
    assert drawing.is_empty() and not drawing.undo()
    p0, p1 = drawing.new_stroke(10, 12)
    assert np.array_equal(p0, p1) and np.array_equal(p0, [10, 12])
    assert drawing.add_point(10, 12) is None  # repeated point: nothing to draw
    p0, p1 = drawing.add_point(20, 22)
    assert np.array_equal(p0, [10, 12]) and np.array_equal(p1, [20, 22])
    drawing.add_point(30, 20)
    assert drawing.strokes[0].shape == (3, 2)
    drawing.new_stroke(40, 40)
    assert len(drawing.strokes) == 2
    assert drawing.undo() and len(drawing.strokes) == 1
    drawing.clear()
    assert drawing.is_empty() and not drawing.render().any()
    # add_point with no stroke starts one
    assert drawing.add_point(5, 5) is not None and len(drawing.strokes) == 1


def test_drawing_json_round_trip_is_exact(tmp_path):
    strokes = _typical_digit(np.random.default_rng(4), strokes=3, points=7)
    drawing = Drawing(strokes, 13.5, 420, label=7)
    again = Drawing.from_json(drawing.to_json())
    assert again.pen_width == 13.5 and again.canvas_size == 420 and again.label == 7
    assert all(np.array_equal(a, b) for a, b in zip(again.strokes, drawing.strokes))
    assert np.array_equal(again.render(), drawing.render())
    path = tmp_path / "seven.json"
    drawing.save(path)
    assert np.array_equal(Drawing.load(path).render(), drawing.render())


@pytest.mark.parametrize(
    "text, message",
    [
        ("{not json", "not a readable drawing"),
        ('{"format": "other"}', "not a digitpad drawing"),
        ('{"format": "digitpad-drawing", "version": 99}', "unsupported drawing version"),
        ('{"format": "digitpad-drawing", "version": 1, "size": 10, "pen_width": 2, "strokes": 5}', "strokes"),
        ('{"format": "digitpad-drawing", "version": 1, "size": 10, "pen_width": -2, "strokes": []}', "pen width"),
        ('{"format": "digitpad-drawing", "version": 1, "size": 0, "pen_width": 2, "strokes": []}', "canvas size"),
        ('{"format": "digitpad-drawing", "version": 1, "size": 9, "pen_width": 2, "strokes": [[]]}', "stroke 0"),
        (
            '{"format": "digitpad-drawing", "version": 1, "size": 9, "pen_width": 2, "strokes": [], "label": 12}',
            "label",
        ),
    ],
)
def test_bad_drawing_json_raises_image_error(text, message):
    with pytest.raises(ImageError, match=message):
        Drawing.from_json(text)


def test_loading_a_bad_drawing_file_names_it(tmp_path):
    missing = tmp_path / "nope.json"
    with pytest.raises(ImageError, match="nope.json"):
        Drawing.load(missing)
    broken = tmp_path / "broken.json"
    broken.write_text("[1, 2")
    with pytest.raises(ImageError, match="broken.json"):
        Drawing.load(broken)


def test_a_repeated_point_draws_nothing_more_as_in_the_app():
    # Found by the property above: the full renderer drew a dot at the repeated point, which the
    # app's Drawing skips; the dot's float32 distances differ from the segment end's in the last bit.
    stroke = [np.array([[0.0, 1.1], [0.0, 14.0], [0.0, 14.0]])]
    _, canvas = _render_incrementally(stroke, 39.0, 100)
    assert np.array_equal(canvas, render_coverage(stroke, 39.0, 100))
