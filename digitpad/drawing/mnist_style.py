"""Turn pictures of digits (files, arrays, the app's canvas) into MNIST-style 28x28 inputs.

MNIST's own normalisation (LeCun et al., "Gradient-based learning applied to document recognition",
1998, and the MNIST page): each digit was size-normalised to fit a 20x20 box keeping its aspect ratio,
with anti-aliasing, then placed in a 28x28 image so that its centre of mass lies at the centre.  On the
real training set the bounding box's long side is 20 px for every digit and the centre of mass, in
pixel-index coordinates, is (14.0, 14.0) with a standard deviation of 0.29 px per axis -- the spread of
a whole-pixel shift -- so `to_mnist` places the resized digit at the whole-pixel offset that brings its
centre of mass nearest to (14, 14).

Optional stroke-width normalisation (`digitpad.drawing.stroke_width`) makes thin- and fat-pen
drawings of the same digit look alike.  The picture itself -- a file or an array -- is read and
cropped to its ink by `digitpad.drawing.pictures`.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from digitpad.drawing.pictures import bounding_box, check_picture, picture_ink
from digitpad.drawing.stroke_width import THIN_STROKE, normalise_stroke, stroke_thickness

__all__ = ["MNIST_BOX", "MNIST_SIZE", "NORMALIZE_STROKE_DEFAULT", "fit_and_centre", "normalize_digits", "to_mnist"]

MNIST_SIZE = 28         # the side of MNIST's images, hence of every network's input (network_input.SIDE)
MNIST_BOX = 20
MNIST_CENTRE = 14.0
# Chosen by measurement on 400 MNIST-derived drawings (digitpad.data.drawn) on a 128-pixel canvas: the 28x28
# inputs of pens 2/8/16/32 px wide differ from those of a 4-px pen by 1 - cosine 0.06/0.05/0.09/0.25
# with normalisation against 0.15/0.18/0.33/0.46 without.
NORMALIZE_STROKE_DEFAULT = True
# A picture with less ink than this many full pixels (in the working image) is treated as empty.
MIN_INK_PIXELS = 5.0
RESAMPLE = Image.Resampling.BOX


# --------------------------------------------------------------------------------------------------
# Size normalisation and centring


def _fit_box(ink: np.ndarray) -> np.ndarray:
    """Scale a cropped digit so its long side is MNIST_BOX pixels, keeping its aspect ratio.

    The short side is at least one pixel (a thin "1" is not widened further).  Area averaging
    (Pillow's BOX filter on a float image) anti-aliases when shrinking.
    """
    height, width = ink.shape
    scale = MNIST_BOX / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = Image.fromarray(np.ascontiguousarray(ink, np.float32)).resize(size, RESAMPLE)
    return np.clip(np.asarray(resized), 0, 1)


def _place_by_mass(digit: np.ndarray) -> np.ndarray:
    """Paste into 28x28 at the whole-pixel offset putting the centre of mass nearest (14, 14).

    The offset is clamped so that no ink is cut off (it only matters for digits whose mass sits very
    near one end of their box).
    """
    height, width = digit.shape
    mass = float(digit.sum())
    rows = np.arange(height, dtype=np.float32)
    cols = np.arange(width, dtype=np.float32)
    centre_row = float(digit.sum(axis=1) @ rows) / mass
    centre_col = float(digit.sum(axis=0) @ cols) / mass
    top = min(max(round(MNIST_CENTRE - centre_row), 0), MNIST_SIZE - height)
    left = min(max(round(MNIST_CENTRE - centre_col), 0), MNIST_SIZE - width)
    out = np.zeros((MNIST_SIZE, MNIST_SIZE), np.float32)
    out[top : top + height, left : left + width] = digit
    return out


def to_mnist(
    image: np.ndarray,
    *,
    normalize_stroke: bool = NORMALIZE_STROKE_DEFAULT,
    background: str = "auto",
) -> np.ndarray | None:
    """Normalise a picture of one digit the way MNIST was made; float32 (28, 28) in [0, 1], ink = 1.

    ``image``: 2-D grey or 3-D RGB/RGBA array of any size, uint8, uint16, bool or float in [0, 1].
    ``background``: "auto" (the median colour of the picture's border is the background), "dark"
    (light ink on dark, like the app's canvas) or "light" (dark ink on paper).
    ``normalize_stroke``: when the strokes come out thinner than almost all of MNIST's (a fine pen,
    a big drawing), redraw them with MNIST's typical thickness (see `stroke_width.normalise_stroke`).
    Thick strokes are left alone: thinning a fat pen's filled loops would turn an 8 into a 1.

    Steps: ink = distance from the background colour, scaled by the picture's contrast, with faint
    noise (< NOISE_LEVEL) dropped; crop to the ink's bounding box; scale the long side to 20 pixels
    with area averaging; paste so the centre of mass is at (14, 14).  Returns None when the picture
    holds (almost) no ink.  Raises ImageError for arrays that are not pictures.
    """
    if background not in ("auto", "dark", "light"):
        raise ValueError(f"background must be 'auto', 'dark' or 'light', got {background!r}")
    ink = picture_ink(check_picture(image), background)
    if ink is None or float(ink.sum()) < MIN_INK_PIXELS:
        return None
    digit = _fit_box(ink)
    if normalize_stroke and stroke_thickness(digit) < THIN_STROKE:
        digit = _fit_box(normalise_stroke(ink, MNIST_BOX))
    return _place_by_mass(digit)


def fit_and_centre(ink: np.ndarray) -> np.ndarray | None:
    """MNIST's last two steps on an ink image (float in [0, 1], ink bright): crop to the ink, scale the
    long side to 20 pixels with area averaging, paste so the centre of mass is at (14, 14).  None
    when there is no ink."""
    box = bounding_box(np.asarray(ink) > 0)
    if box is None:
        return None
    r0, r1, c0, c1 = box
    return _place_by_mass(_fit_box(ink[r0:r1, c0:c1]))


def normalize_digits(images: np.ndarray) -> np.ndarray:
    """MNIST-style digits (N, 28, 28) uint8 passed through `to_mnist` with stroke normalisation, as the
    app prepares a drawing: training on them makes a model see what drawings will look like.

    A data-preparation step run once before training (one `to_mnist` call per digit, about half a
    millisecond each); an image with no ink stays blank.
    """
    out = np.zeros(images.shape, np.uint8)
    for i, image in enumerate(images):
        digit = to_mnist(image, normalize_stroke=True, background="dark")
        if digit is not None:
            out[i] = np.round(digit * 255)
    return out
