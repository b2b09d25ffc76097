"""Trajectory augmentation: varied strokes that stay the same digit, repeatably."""

from __future__ import annotations

import numpy as np

from digitpad.data import pendigits
from digitpad.data.trajectory_augment import augment_strokes, resample


def test_resample_spaces_points_evenly_and_keeps_the_ends():
    line = np.array([[0.0, 0.0], [10.0, 0.0], [10.0, 10.0]])
    points = resample(line, 2.0)
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1)
    assert np.allclose(points[0], line[0]) and np.allclose(points[-1], line[-1])
    assert len(points) == 11 and np.allclose(steps, 2.0)
    dot = np.array([[3.0, 4.0]])
    assert np.array_equal(resample(dot, 1.0), dot)


def test_augmented_digits_vary_stay_in_scale_and_repeat_with_the_seed(pendigits_dir):
    digits = pendigits.load_pendigits(pendigits_dir)[:200]
    for digit in digits:
        original = np.concatenate(digit.strokes)
        a = augment_strokes(list(digit.strokes), np.random.default_rng(1))
        b = augment_strokes(list(digit.strokes), np.random.default_rng(1))
        c = augment_strokes(list(digit.strokes), np.random.default_rng(2))
        assert all(np.array_equal(x, y) for x, y in zip(a, b)) and len(a) == len(b)
        joined = np.concatenate(a)
        assert not (len(a) == len(c) and all(np.array_equal(x, y) for x, y in zip(a, c)))
        size = np.ptp(original, axis=0).max()
        assert 0.6 * size <= np.ptp(joined, axis=0).max() <= 1.5 * size    # the same digit, not a new scale
        assert np.abs(joined.mean(axis=0) - original.mean(axis=0)).max() <= 0.25 * size
        assert np.isfinite(joined).all() and all(len(s) for s in a)
    counts = [len(augment_strokes(list(d.strokes), np.random.default_rng(i))) - len(d.strokes)
              for i, d in enumerate(digits)]
    assert min(counts) <= -1 or max(counts) >= 1                          # some pen lifts or joins happen
