"""Stroke width: thinning ink to its skeleton, measuring how thick its strokes are, redrawing them.

Stroke-width normalisation (`digitpad.drawing.mnist_style.to_mnist`'s ``normalize_stroke``) makes
thin- and fat-pen drawings of the same digit look alike: the ink is thinned to its skeleton (Zhang &
Suen, "A fast parallel algorithm for thinning digital patterns", CACM 27(3), 1984) and re-drawn
around it with MNIST's typical stroke thickness, measured on the training set with
`stroke_thickness`.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image
from scipy import ndimage

from digitpad.drawing.pictures import bounding_box

__all__ = ["BINARY_LEVEL", "MNIST_STROKE_THICKNESS", "THIN_STROKE", "normalise_stroke", "skeletonize",
           "stroke_thickness"]

# Median of `stroke_thickness` over the 60 000 MNIST training digits (28x28 pixels, scaled to [0, 1]);
# quartiles 2.22 and 3.31.
MNIST_STROKE_THICKNESS = 2.64
# Strokes thinner than MNIST's lower quartile are redrawn; thicker ones are kept as drawn.  Measured
# with the shipped MLP on 1000 drawn digits (128-px canvas, pens 2-16 px): accuracy spread over pen
# widths 0.9 points this way, against 5.3 redrawing every digit and 4.9 never redrawing.
THIN_STROKE = 2.22
# Ink at or above this level counts as stroke when binarising (skeletons, thickness).  It lies halfway
# between two 8-bit levels (102 and 103) so that float rounding never decides a pixel.
BINARY_LEVEL = 102.5 / 255
# Long side, in pixels, of the binary working image used for stroke normalisation (between half and
# all of this).
WORK_SIDE = 80
# Calibration of `normalise_stroke` so that its outputs' median `stroke_thickness` equals MNIST's.
_STROKE_GAIN = 0.98


def _zhang_suen_tables() -> tuple[np.ndarray, np.ndarray]:
    """Deletion look-up tables for Zhang-Suen's two sub-iterations, indexed by the 8-neighbour code.

    Bit k-2 of the code is neighbour P_k, P2 = north, then clockwise (P3 = north-east, ..., P9 =
    north-west).  A pixel is deleted when 2 <= B <= 6 (B = number of ink neighbours), A == 1 (A = number
    of 0->1 transitions around P2..P9,P2) and P2*P4*P6 == 0 and P4*P6*P8 == 0 (first sub-iteration) or
    P2*P4*P8 == 0 and P2*P6*P8 == 0 (second).
    """
    codes = np.arange(256)
    p = {k: (codes >> (k - 2)) & 1 for k in range(2, 10)}
    ring = [p[k] for k in range(2, 10)] + [p[2]]
    a = sum((ring[i] == 0) & (ring[i + 1] == 1) for i in range(8))
    b = sum(p.values())
    common = (b >= 2) & (b <= 6) & (a == 1)
    first = common & (p[2] * p[4] * p[6] == 0) & (p[4] * p[6] * p[8] == 0)
    second = common & (p[2] * p[4] * p[8] == 0) & (p[2] * p[6] * p[8] == 0)
    return first, second


_ZS_TABLES = _zhang_suen_tables()
# (row, column) offsets of P2..P9 in the padded array.
_NEIGHBOURS = ((0, 1), (0, 2), (1, 2), (2, 2), (2, 1), (2, 0), (1, 0), (0, 0))


def skeletonize(binary: np.ndarray) -> np.ndarray:
    """Thin a binary image (or a stack of them, shape (..., H, W)) to a one-pixel-wide skeleton.

    Zhang & Suen (1984): two parallel sub-iterations, each deleting the contour pixels whose
    8-neighbourhood says they are removable without breaking connectivity or shortening end points,
    repeated until nothing changes.  Each sub-iteration is vectorised over all pixels through a
    256-entry table of neighbourhood codes.  Non-zero input is foreground; returns a bool array.
    """
    image = np.asarray(binary)
    if image.ndim < 2:
        raise ValueError(f"skeletonize needs an array of at least 2 dimensions, got shape {image.shape}")
    pad = [(0, 0)] * (image.ndim - 2) + [(1, 1), (1, 1)]
    padded = np.pad(image != 0, pad).astype(np.uint8)
    height, width = image.shape[-2:]
    centre = padded[..., 1 : height + 1, 1 : width + 1]
    changed = True
    while changed:
        changed = False
        for table in _ZS_TABLES:
            code = np.zeros(centre.shape, np.uint8)
            for bit, (dr, dc) in enumerate(_NEIGHBOURS):
                code |= padded[..., dr : dr + height, dc : dc + width] << bit
            delete = table[code] & (centre == 1)
            if delete.any():
                centre[delete] = 0
                changed = True
    return centre.astype(bool)


def stroke_thickness(image: np.ndarray) -> float:
    """Mean stroke width in pixels: ink mass divided by skeleton length.

    ``image`` is a 2-D ink image with values in [0, 1] (ink bright), e.g. a 28x28 MNIST digit scaled
    to [0, 1].  The mass is the sum of the grey values; the skeleton is that of the pixels at or above
    BINARY_LEVEL of the brightest ink (a hair-thin line drawn large comes out faint once scaled down,
    and must still be measured along its whole length), its length the number of its pixels.
    Returns 0.0 when there is no stroke.
    """
    ink = np.asarray(image, np.float32)
    peak = float(ink.max()) if ink.size else 0.0
    if peak <= 0:
        return 0.0
    length = int(skeletonize(ink >= BINARY_LEVEL * peak).sum())
    return float(ink.sum()) / length if length else 0.0


def _working_binary(ink: np.ndarray) -> np.ndarray:
    """Binary version of a cropped ink image at WORK_SIDE/2..WORK_SIDE pixels on its long side.

    Larger crops are binarised first and then max-pooled, so that thin lines stay connected; smaller
    ones are enlarged by an integer factor (bilinear) before binarising, for a smoother skeleton.
    """
    side = max(ink.shape)
    if side > WORK_SIDE:
        factor = math.ceil(side / WORK_SIDE)
        binary = ink >= BINARY_LEVEL
        rows = np.arange(0, binary.shape[0], factor)
        cols = np.arange(0, binary.shape[1], factor)
        return np.logical_or.reduceat(np.logical_or.reduceat(binary, rows, axis=0), cols, axis=1)
    factor = max(1, math.ceil(WORK_SIDE / 2 / side))
    if factor > 1:
        size = (ink.shape[1] * factor, ink.shape[0] * factor)
        ink = np.asarray(Image.fromarray(np.ascontiguousarray(ink)).resize(size, Image.Resampling.BILINEAR))
    return ink >= BINARY_LEVEL


def normalise_stroke(ink: np.ndarray, box_side: int) -> np.ndarray:
    """Redraw the digit's skeleton with MNIST's typical stroke thickness.

    The pen radius is chosen relative to the skeleton's extent so that, once the result is scaled to
    a box of ``box_side`` pixels (MNIST's 20), strokes are MNIST_STROKE_THICKNESS pixels wide: with a
    skeleton ``L`` pixels long on its long side, the redrawn digit is ``L + 2r`` long, and
    ``2r * box_side / (L + 2r) = T``.  The new stroke profile is the anti-aliased
    ``clip(r + 0.5 - d, 0, 1)`` of the distance ``d`` to the skeleton (exact Euclidean distance
    transform).  _STROKE_GAIN corrects for what the formula leaves out (end caps, resampling),
    calibrated on MNIST-derived drawings.
    """
    skeleton = skeletonize(_working_binary(ink))
    box = bounding_box(skeleton)
    if box is None:
        return ink
    r0, r1, c0, c1 = box
    skeleton = skeleton[r0:r1, c0:c1]
    length = max(skeleton.shape)
    radius = _STROKE_GAIN * MNIST_STROKE_THICKNESS * length / (box_side - MNIST_STROKE_THICKNESS) / 2
    margin = math.ceil(radius) + 2
    distance = ndimage.distance_transform_edt(~np.pad(skeleton, margin))
    return np.clip(np.float32(radius + 0.5) - distance.astype(np.float32), 0, 1)
