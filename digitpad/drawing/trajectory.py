"""The stroke model's input, in one place: a drawing's pen path as a short sequence.

An image network sees how a digit looks; the stroke model reads how it was written: the order and
direction of the strokes, where the pen was lifted.  `drawing_to_trajectory` turns a drawing's strokes
(the centre lines the app records, in canvas pixels, y down) into `TRAJECTORY_SHAPE` = (channels,
`TRAJECTORY_LENGTH`) float32:

- **resampled along the path**: `TRAJECTORY_LENGTH` points spaced evenly along the pen-down path (the
  jumps between strokes are not path), every stroke given at least one point, so that a mouse, a
  tablet at 100 ms, a finger and any sampling rate give the same input;
- **normalised for position and size, the aspect kept**: the points are centred on the middle of their
  bounding box and divided by its long side (a 1 stays thin);  a mark smaller than `MIN_EXTENT` of the
  canvas is not blown up to full size;
- **channels**: ``x``, ``y`` (y down, in about [-0.5, 0.5]), ``dx``, ``dy`` (the unit direction of the pen
  at that point: a continental 1's up-stroke and a 7's bar drawn left to right differ here), and
  ``pen_up``, 1 at the first point of every stroke after the first (the pen was lifted before it);
- pen width plays no part.

A stroke model gives ten digit scores and may give an eleventh, `NOT_A_DIGIT`: the drawing is not a
digit (a letter, a symbol, a doodle, a scribble; `digitpad.data.negatives`).

Measured on the validation writers (pendigits' 4, UJI's 2, the conventions drawn from their digits,
2,000 traced MNIST digits no model trained on), one PyTorch run of the stroke architecture each, 6
epochs: 32 points read them as well as 64 (pendigits 99.9 against 99.8 %, UJI 97.5 and traced MNIST 97.6 %
both, every convention set within a digit); 64 are kept so that a drawing of many strokes (each takes a point)
keeps its shape.  Position, size and direction encoded otherwise (raw steps, 128 points) were not
measured.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from digitpad import nn

TRAJECTORY_LENGTH = 64
CHANNELS = ("x", "y", "dx", "dy", "pen_up")
TRAJECTORY_SHAPE = (len(CHANNELS), TRAJECTORY_LENGTH)
NOT_A_DIGIT = 10         # a stroke model's optional eleventh output: not a digit
MIN_EXTENT = 0.02        # of the canvas: marks smaller than this keep their size
_TINY = 1e-9


def drawing_to_trajectory(strokes: Sequence[np.ndarray], canvas_size: float) -> np.ndarray | None:
    """The stroke model's input for ``strokes`` ((n, 2) x, y arrays, y down) drawn on a canvas of
    ``canvas_size`` pixels: float32 `TRAJECTORY_SHAPE`, None when there is nothing drawn."""
    strokes = [np.asarray(s, np.float64).reshape(-1, 2) for s in strokes]
    strokes = [s for s in strokes if len(s)][:TRAJECTORY_LENGTH]
    if not strokes:
        return None
    points = np.concatenate(strokes)
    if not np.isfinite(points).all():
        raise ValueError("a stroke has a point that is not a finite number")
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2
    scale = max(float((high - low).max()), MIN_EXTENT * float(canvas_size), _TINY)

    lengths = [np.linalg.norm(np.diff(s, axis=0), axis=1) for s in strokes]
    counts = _points_per_stroke(np.array([float(steps.sum()) for steps in lengths]))
    out = np.zeros(TRAJECTORY_SHAPE, np.float32)
    at = 0
    for stroke, steps, count in zip(strokes, lengths, counts):
        xy, direction = _resample(stroke, steps, count)
        out[0:2, at:at + count] = ((xy - centre) / scale).T
        out[2:4, at:at + count] = direction.T
        if at:
            out[4, at] = 1.0
        at += count
    return out


def _points_per_stroke(lengths: np.ndarray) -> np.ndarray:
    """How many of the `TRAJECTORY_LENGTH` points each stroke gets: in proportion to its length, at least
    one each (there are at most `TRAJECTORY_LENGTH` strokes)."""
    n = len(lengths)
    total = float(lengths.sum())
    share = lengths / total * (TRAJECTORY_LENGTH - n) if total > _TINY else np.full(n, (TRAJECTORY_LENGTH - n) / n)
    counts = 1 + np.floor(share).astype(int)
    left = TRAJECTORY_LENGTH - int(counts.sum())
    counts[np.argsort(-(share - np.floor(share)), kind="stable")[:left]] += 1   # largest remainders first
    return counts


def _resample(stroke: np.ndarray, steps: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray]:
    """``count`` points evenly along ``stroke`` (both ends kept when count > 1), and the unit direction of
    the segment each lies on ((0, 0) for a dot)."""
    along = np.concatenate([[0.0], np.cumsum(steps)])
    length = along[-1]
    if length <= _TINY or len(stroke) < 2:
        return np.repeat(stroke[:1], count, axis=0), np.zeros((count, 2))
    targets = np.linspace(0.0, length, count) if count > 1 else np.array([0.0])
    xy = np.stack([np.interp(targets, along, stroke[:, 0]), np.interp(targets, along, stroke[:, 1])], axis=1)
    moving = steps > _TINY
    segment_ends = along[1:][moving]
    vectors = np.diff(stroke, axis=0)[moving] / steps[moving, None]
    which = np.minimum(np.searchsorted(segment_ends, targets, side="left"), len(vectors) - 1)
    return xy, vectors[which]


def misfit_strokes(model: nn.Sequential) -> str | None:
    """Why ``model`` is not a stroke model digitpad can use (it takes `TRAJECTORY_SHAPE` and gives ten
    digit scores, or eleven with `NOT_A_DIGIT`'s); None when it is one."""
    if model.input_shape != TRAJECTORY_SHAPE:
        return f"expects input {model.input_shape}; digitpad's stroke models read {TRAJECTORY_SHAPE} trajectories"
    output = model.output_shapes()[-1]
    if output not in ((NOT_A_DIGIT,), (NOT_A_DIGIT + 1,)):
        return f"outputs {output} values per trajectory, not 10 digit scores (and a not-a-digit score)"
    return None
