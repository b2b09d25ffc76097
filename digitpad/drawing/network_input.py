"""The network's input, in one place: what every digitpad network takes and gives (the input
contract), the one converter from 28x28 digits to that input, and the one path from a drawing to it.

The contract: a network takes float32 images of `INPUT_SHAPE` = (1, 28, 28), one grey channel of an
MNIST-sized digit (`SIDE` is `mnist_style.MNIST_SIZE`: the network sees what `to_mnist` makes), with
values in [0, 1], ink bright, stacked (N, 1, 28, 28); it returns `NUM_CLASSES` = 10 scores, one per
digit.  `misfit` says why a model breaks it (the model store refuses such a model), `to_model_input`
stacks 28x28 digits as that input (the app, the command line, training and evaluation all use it), and
`drawing_to_input` makes a drawing's 28x28 digit.  Pictures opened from files have no strokes and go
through `to_mnist`.

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
the pixels as they are.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import ndimage

from digitpad import nn
from digitpad.drawing.mnist_style import MNIST_BOX, MNIST_SIZE, fit_and_centre, to_mnist
from digitpad.drawing.stroke_width import MNIST_STROKE_THICKNESS
from digitpad.drawing.strokes import render_coverage, render_strokes
from digitpad.drawing.trajectory import TRAJECTORY_SHAPE
from digitpad.errors import ImageError

SIDE = MNIST_SIZE                # 28: a network's input is an MNIST-sized digit
INPUT_SHAPE = (1, SIDE, SIDE)    # what every digitpad network takes per image: one grey channel
NUM_CLASSES = 10                 # and the scores it gives, one per digit

MODES = ("strokes", "image", "raw")
DEFAULT_MODE = "strokes"
WORK_SIDE = 80           # the centre lines' long side while rendering, in pixels
INK_SOFTNESS = 0.57      # pixels (28x28): the edge softness of the augmented training images
_STROKE_GAIN = 0.9       # median stroke_thickness 2.70 on real pen digits, 2.54 on MNIST-traced drawings (MNIST: 2.64)


def misfit(model: nn.Sequential) -> str | None:
    """Why ``model`` does not fit digitpad, which gives it (N, 1, 28, 28) images and reads one score per
    digit (a model trained elsewhere, or on other data, may take another input or score other classes);
    None when it fits."""
    if model.input_shape != INPUT_SHAPE:
        return f"expects input {model.input_shape}; digitpad reads {INPUT_SHAPE} images or {TRAJECTORY_SHAPE} pen trajectories"
    output = model.output_shapes()[-1]
    if output != (NUM_CLASSES,):
        return (f"has {output[0]} outputs, not {NUM_CLASSES}" if len(output) == 1
                else f"outputs {output} values per image, not {NUM_CLASSES} digit scores")
    return None


def to_model_input(digits: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
    """28x28 digits stacked as the networks' input: float32 (N, 1, 28, 28) in [0, 1].

    Accepts one (28, 28) digit, an (N, 28, 28) or (N, 1, 28, 28) array, or a list of (28, 28) digits;
    uint8 values are scaled by 1/255 (MNIST's images, the data sets'), floats must already lie in
    [0, 1] (`drawing_to_input`'s and `to_mnist`'s digits, augmented batches).  ImageError otherwise.
    """
    if isinstance(digits, (list, tuple)):
        if any(item is None for item in digits):
            raise ImageError("to_model_input got None (an empty drawing?) among the digits")
        digits = np.stack([np.asarray(item) for item in digits]) if digits else np.zeros((0, SIDE, SIDE))
    array = np.asarray(digits)
    if array.ndim == 2:
        array = array[None]
    if array.ndim == 3:
        array = array[:, None]
    if array.ndim != 4 or array.shape[1:] != INPUT_SHAPE:
        raise ImageError(f"digits must be {SIDE}x{SIDE} (optionally stacked), got shape {np.shape(digits)}")
    if array.dtype == np.uint8:
        scaled = array.astype(np.float32)
        scaled *= np.float32(1 / 255)
        return scaled
    if array.dtype.kind not in "fb":
        raise ImageError(f"digits must be uint8 or float in [0, 1], got dtype {array.dtype}")
    array = array.astype(np.float32)
    if array.size and not (np.isfinite(array).all() and array.min() >= 0 and array.max() <= 1):
        raise ImageError("digit values must be finite and lie in [0, 1]")
    return array


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
