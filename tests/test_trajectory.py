"""`drawing_to_trajectory`: the stroke model's input is the pen's path, whatever the sampling, the canvas,
the position or the pen."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.data import pendigits
from digitpad.drawing.strokes import Drawing
from digitpad.drawing.trajectory import MIN_EXTENT, TRAJECTORY_LENGTH, TRAJECTORY_SHAPE, drawing_to_trajectory
from digitpad.reading.reader import trajectory_of


def densified(stroke: np.ndarray, per_segment: int) -> np.ndarray:
    """The same polyline with ``per_segment`` points on each of its segments (a faster sampler)."""
    t = np.linspace(0.0, 1.0, per_segment, endpoint=False)[:, None]
    parts = [a + t * (b - a) for a, b in zip(stroke[:-1], stroke[1:])]
    return np.concatenate([*parts, stroke[-1:]])


def test_the_same_path_sampled_densely_or_sparsely_gives_the_same_input(pendigits_dir):
    for digit in pendigits.load_pendigits(pendigits_dir)[:300]:
        sparse = drawing_to_trajectory(digit.strokes, 500)
        dense = drawing_to_trajectory([densified(s, 9) for s in digit.strokes], 500)
        assert sparse.shape == TRAJECTORY_SHAPE and sparse.dtype == np.float32
        np.testing.assert_allclose(dense, sparse, atol=1e-4)


def test_a_curve_sampled_at_a_tablets_or_a_mouses_rate_gives_nearly_the_same_input():
    angles = np.linspace(0.2, 2 * np.pi - 0.2, 400)
    circle = np.stack([100 + 40 * np.cos(angles), 100 + 60 * np.sin(angles)], axis=1)
    fine, coarse = drawing_to_trajectory([circle], 200), drawing_to_trajectory([np.vstack([circle[::25], circle[-1:]])], 200)
    assert np.abs(fine[:2] - coarse[:2]).max() < 0.02          # positions: within 2 % of the digit
    assert np.abs(fine[2:4] - coarse[2:4]).max() < 0.25        # directions: the chords' turn


@pytest.mark.parametrize("scale, shift, canvas", [(1.0, (0, 0), 128), (3.5, (200, -40), 900), (0.4, (7, 9), 64)])
def test_any_canvas_size_and_position_gives_the_same_input(pendigits_dir, scale, shift, canvas):
    for digit in pendigits.load_pendigits(pendigits_dir)[:100]:
        moved = [s * scale + np.array(shift, np.float32) for s in digit.strokes]
        np.testing.assert_allclose(drawing_to_trajectory(moved, canvas), drawing_to_trajectory(digit.strokes, 500),
                                   atol=1e-4)


def test_pen_width_plays_no_part_and_pictures_have_no_trajectory():
    strokes = [np.array([[10, 10], [60, 10], [30, 90]], np.float32)]
    thin, fat = Drawing(strokes, 2, 128), Drawing(strokes, 32, 128)
    np.testing.assert_array_equal(trajectory_of(thin), trajectory_of(fat))
    assert trajectory_of(Drawing([], 8, 128)) is None and drawing_to_trajectory([], 128) is None
    picture = Drawing.from_picture(np.pad(np.full((12, 4), 255, np.uint8), 10))
    assert trajectory_of(picture) is None


def test_the_aspect_is_kept_pen_ups_marked_and_directions_unit_vectors():
    one = np.array([[50.0, 10.0], [50.0, 110.0]])            # a plain 1: tall and thin
    bar = np.array([[30.0, 60.0], [70.0, 60.0]])             # a bar across it, drawn left to right, last
    t = drawing_to_trajectory([one, bar], 128)
    assert np.allclose(t[0, : np.argmax(t[4])], 0.0)           # the 1 stays at x = 0: not stretched to the width
    assert t[1].min() == pytest.approx(-0.5) and t[1].max() == pytest.approx(0.5)
    starts = np.flatnonzero(t[4])
    assert len(starts) == 1 and 64 * 100 / 140 - 2 < starts[0] < 64 * 100 / 140 + 2   # points share by length
    assert np.allclose(t[2, starts[0]:], 1.0) and np.allclose(t[3, : starts[0]], 1.0)  # right; down
    np.testing.assert_allclose(np.hypot(t[2], t[3]), 1.0, atol=1e-6)


def test_every_stroke_gets_a_point_and_a_dot_has_no_direction():
    zero = np.stack([50 + 30 * np.cos(np.linspace(0, 6.2, 60)), 50 + 40 * np.sin(np.linspace(0, 6.2, 60))], axis=1)
    dot = np.array([[50.0, 50.0], [50.0, 50.0]])
    t = drawing_to_trajectory([zero, dot], 128)
    assert t[4, -1] == 1.0 and np.allclose(t[2:4, -1], 0.0) and np.allclose(t[:2, -1], 0.0, atol=0.02)
    many = [np.array([[i, 0.0], [i, 1.0]]) for i in range(TRAJECTORY_LENGTH + 10)]
    assert drawing_to_trajectory(many, 128)[4].sum() == TRAJECTORY_LENGTH - 1   # the first 64 strokes, one point each


def test_a_tiny_mark_is_not_blown_up_and_bad_points_are_refused():
    tick = [np.array([[60.0, 60.0], [61.0, 60.5]])]
    t = drawing_to_trajectory(tick, 128)
    assert np.abs(t[:2]).max() <= 1.0 / (2 * MIN_EXTENT * 128) + 1e-6
    with pytest.raises(ValueError, match="finite"):
        drawing_to_trajectory([np.array([[0.0, np.nan], [1.0, 1.0]])], 128)


def test_public_beside_drawing_to_input():
    import digitpad

    assert digitpad.drawing_to_trajectory is drawing_to_trajectory and "drawing_to_trajectory" in digitpad.__all__
