"""The one path from a drawing to the network's input, :func:`drawing_to_input`.

The app keeps a drawing as the centre lines of its strokes.  A network trained on MNIST has seen
strokes of one thickness relative to the digit (MNIST_STROKE_THICKNESS, 2.64 px once the digit's
long side is 20 px, measured on the training set), so the default mode, ``"strokes"``, ignores the
pen the user chose: it re-renders the centre lines with the pen that gives that thickness after the
20-pixel fit, then fits and centres them as MNIST did.  Thin and fat pens give the same input, and a
32-px pen no longer fills the loop of a 6.

With ``L`` the centre lines' long side, drawn at ``WORK_SIDE`` pixels, a pen of radius ``r`` makes
the ink ``L + 2r`` long; scaled to 20 pixels the stroke is ``2r * 20 / (L + 2r)`` wide, which is
MNIST_STROKE_THICKNESS for ``r = T * L / (2 * (20 - T))``.  ``_STROKE_GAIN`` corrects what the formula
leaves out (round caps, area resampling), calibrated so that `stroke_thickness` of the results has
MNIST's median on real pen digits.

The networks learn from augmented images (:mod:`digitpad.data.augment`), and the augmentation's
bilinear resampling softens every edge: on MNIST's training digits the mean gradient over the ink falls
from 0.41 to 0.32.  Drawings rendered from centre lines are as crisp as raw MNIST (0.42), so the
default mode softens them to what the networks were trained on, a Gaussian of INK_SOFTNESS pixels on
the 28x28 input (0.31-0.33 then, on traced and on real pen digits; `tests/test_network_input.py`
measures it).  On the validation drawings this cut the shipped CNN's misreads of traced digits from 54
to 50 of 5,000 and the MLP's from 97 to 88, and the CNN's of the 4 validation writers' pen digits from
13 to 10 of 999.

The other modes are for comparison (the app's "pen as drawn" view, the robustness study): ``"image"``
renders the pen as drawn and lets `to_mnist` normalise thin strokes from the pixels, ``"raw"`` takes
the pixels as they are.  Pictures opened from files have no strokes and go through `to_mnist`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import ndimage

from digitpad.drawing.preprocess import MNIST_BOX, MNIST_STROKE_THICKNESS, fit_and_centre, to_mnist
from digitpad.drawing.strokes import render_coverage, render_strokes

MODES = ("strokes", "image", "raw")
DEFAULT_MODE = "strokes"
WORK_SIDE = 80           # the centre lines' long side while rendering, in pixels
INK_SOFTNESS = 0.57      # pixels (28x28): the edge softness of the augmented training images
_STROKE_GAIN = 0.9       # median stroke_thickness 2.70 on real pen digits, 2.54 on MNIST-traced drawings (MNIST: 2.64)


def drawing_to_input(strokes: Sequence[np.ndarray], pen_width: float, canvas_size: int,
                     mode: str = DEFAULT_MODE) -> np.ndarray | None:
    """The network's (28, 28) float32 input in [0, 1] for a drawing, or None for an empty one.

    ``strokes``: (N, 2) float arrays of (x, y) canvas pixels, y down; ``pen_width`` and
    ``canvas_size``: the pen and the square canvas they were drawn with (used by the "image" and
    "raw" modes, which render the drawing as the user saw it).
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    lines = [np.asarray(stroke, np.float64).reshape(-1, 2) for stroke in strokes]
    lines = [line for line in lines if len(line)]
    if not lines:
        return None
    if mode == "strokes":
        return _from_centre_lines(lines)
    return to_mnist(render_strokes(lines, pen_width, canvas_size), normalize_stroke=mode == "image",
                    background="dark")


def _from_centre_lines(lines: list[np.ndarray]) -> np.ndarray | None:
    points = np.concatenate(lines)
    low, high = points.min(axis=0), points.max(axis=0)
    extent = float((high - low).max())
    if extent > 1e-6:
        scale, side = WORK_SIDE / extent, WORK_SIDE
        radius = _STROKE_GAIN * MNIST_STROKE_THICKNESS * side / (2 * (MNIST_BOX - MNIST_STROKE_THICKNESS))
    else:   # a single dot: a disc, as `to_mnist` makes of one
        scale, side, radius = 1.0, 0.0, WORK_SIDE / 2
    margin = math.ceil(radius) + 2
    size = math.ceil(side) + 2 * margin + 1
    placed = [(line - low) * scale + margin for line in lines]
    digit = fit_and_centre(render_coverage(placed, 2 * radius, size))
    if digit is None:
        return None
    soft = ndimage.gaussian_filter(digit, INK_SOFTNESS, mode="constant", truncate=3.0)
    return np.clip(soft, 0.0, 1.0, out=soft)
