"""Augmenting pen trajectories: the same digit as the same person might write it another time.

Image augmentation (:mod:`digitpad.data.augment`) moves pixels; a drawing is strokes, so here the
centre lines change before anything is rendered, the way handwriting varies:

- the whole digit: rotation (±10°), slant (shear ±0.3), width against height (×0.8-1.2);
- each stroke on its own: a small shift and rotation about the digit's centre (a bar placed a little
  off, a flag at another angle), so multi-stroke digits vary in how their parts meet;
- the pen's sampling: each stroke resampled along its length at a random spacing (1.5-6 % of the
  digit's size), the dense polylines of a tablet or the coarse ones of a 100 ms sampler alike;
- pen lifts and joins: now and then a stroke is cut in two with a small gap, or two strokes are
  joined into one, as when a person lifts the pen or does not.

Everything comes from the ``rng`` passed in, so a seeded training set repeats exactly.
"""

from __future__ import annotations

import math

import numpy as np

Strokes = list[np.ndarray]

MAX_ROTATION_DEG = 10.0
MAX_SLANT = 0.3
ASPECT_RANGE = (0.8, 1.2)
STROKE_SHIFT = 0.03          # of the digit's size
STROKE_ROTATION_DEG = 4.0
SPACING_RANGE = (0.015, 0.06)
LIFT_PROBABILITY = 0.08
JOIN_PROBABILITY = 0.08


def resample(stroke: np.ndarray, spacing: float) -> np.ndarray:
    """Points every ``spacing`` along the polyline (its two ends kept); a dot stays a dot."""
    steps = np.linalg.norm(np.diff(stroke, axis=0), axis=1)
    length = float(steps.sum())
    if length <= spacing or len(stroke) < 2:
        return stroke[[0, -1]] if len(stroke) > 1 else stroke
    along = np.concatenate([[0.0], np.cumsum(steps)])
    targets = np.linspace(0.0, length, max(2, int(math.ceil(length / spacing)) + 1))
    return np.stack([np.interp(targets, along, stroke[:, 0]), np.interp(targets, along, stroke[:, 1])], axis=1)


def augment_strokes(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """One random variation of a digit's strokes ((n, 2) float arrays, y down); the input is not changed."""
    strokes = [np.asarray(s, np.float64) for s in strokes if len(s)]
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    centre, size = (low + high) / 2, max(float((high - low).max()), 1e-6)

    angle = math.radians(rng.uniform(-MAX_ROTATION_DEG, MAX_ROTATION_DEG))
    cos, sin = math.cos(angle), math.sin(angle)
    aspect = rng.uniform(*ASPECT_RANGE)
    # row vectors: p @ matrix; slant moves the top of the digit sideways (y down: -shear * y)
    matrix = np.array([[aspect, 0.0], [0.0, 1.0]]) @ np.array([[1.0, 0.0], [-rng.uniform(-MAX_SLANT, MAX_SLANT), 1.0]]) \
        @ np.array([[cos, sin], [-sin, cos]])
    out = []
    for stroke in strokes:
        a = math.radians(rng.uniform(-STROKE_ROTATION_DEG, STROKE_ROTATION_DEG))
        turn = np.array([[math.cos(a), math.sin(a)], [-math.sin(a), math.cos(a)]])
        shift = rng.uniform(-STROKE_SHIFT, STROKE_SHIFT, size=2) * size
        moved = ((stroke - centre) @ turn + shift) @ matrix + centre
        out.append(resample(moved, rng.uniform(*SPACING_RANGE) * size))
    return _lifts_and_joins(out, rng)


def _lifts_and_joins(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    if len(strokes) > 1 and rng.random() < JOIN_PROBABILITY:
        i = int(rng.integers(len(strokes) - 1))
        strokes = strokes[:i] + [np.concatenate([strokes[i], strokes[i + 1]])] + strokes[i + 2:]
    if rng.random() < LIFT_PROBABILITY:
        i = int(rng.integers(len(strokes)))
        stroke = strokes[i]
        if len(stroke) >= 6:
            cut = int(rng.integers(2, len(stroke) - 2))
            gap = max(1, int(round(len(stroke) * 0.04)))
            strokes = strokes[:i] + [stroke[:cut], stroke[min(cut + gap, len(stroke) - 1):]] + strokes[i + 1:]
    return strokes
