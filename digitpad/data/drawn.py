"""A "drawn digits" test set: real MNIST digits turned into pen strokes on a canvas.

Each digit's strokes are traced from its pixels (`digitpad.data.tracing.trace_digit`: the skeleton's
centre lines, smoothed, with the ends and bars that thinning loses restored).  The strokes are mapped
onto a square canvas the way a person might draw them: the digit is usually 60-80 % of the canvas
high and roughly centred, some samples are small (~35 %), off-centre or slightly rotated (up to 10
degrees) (`make_drawn_digits`).  Rendering the strokes with different pen widths (`render_drawn`)
gives the same digit drawn with thin and fat pens -- what the app sees -- so the preprocessing and
the models can be tested on it; `drawn_training_images` prepares such drawings as training images.
"""

from __future__ import annotations

import math

import numpy as np

from digitpad.data.tracing import Strokes, digit_strokes, ink_and_skeletons
from digitpad.drawing.network_input import drawing_to_input
from digitpad.drawing.strokes import render_strokes

__all__ = ["drawn_training_images", "fit_ink", "make_drawn_digits", "pick_digits", "render_drawn"]

HEIGHT_RANGE = (0.60, 0.80)  # digit height / canvas height, usual samples
SMALL_HEIGHT_RANGE = (0.30, 0.40)
SMALL_PROBABILITY = 0.15
ROTATE_PROBABILITY = 0.5
MAX_ROTATION_DEG = 10.0
OFF_CENTRE_PROBABILITY = 0.25
MAX_WIDTH_FRACTION = 0.9  # a wide digit is shrunk to fit this fraction of the canvas width


def _place(strokes: Strokes, rng: np.random.Generator, canvas: int) -> Strokes:
    """Scale, rotate and position a digit's strokes on the canvas with random variations."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    centre = (low + high) / 2
    small = rng.random() < SMALL_PROBABILITY
    fraction = rng.uniform(*(SMALL_HEIGHT_RANGE if small else HEIGHT_RANGE))
    angle = math.radians(rng.uniform(-MAX_ROTATION_DEG, MAX_ROTATION_DEG))
    if rng.random() >= ROTATE_PROBABILITY:
        angle = 0.0
    off_centre = rng.random() < OFF_CENTRE_PROBABILITY
    shift_draw = rng.uniform(-1, 1, size=2)

    height, width = max(high[1] - low[1], 1.0), max(high[0] - low[0], 1.0)
    scale = min(fraction * canvas / height, MAX_WIDTH_FRACTION * canvas / width)
    cos, sin = math.cos(angle), math.sin(angle)
    transform = scale * np.array([[cos, sin], [-sin, cos]])  # row vectors: p @ transform
    moved = [(stroke - centre) @ transform for stroke in strokes]
    extent = np.concatenate(moved)
    span_low, span_high = extent.min(axis=0), extent.max(axis=0)
    target = canvas / 2 - (span_low + span_high) / 2
    if off_centre:
        room = np.maximum(canvas - (span_high - span_low), 0) / 2
        target = target + 0.8 * room * shift_draw
    return [stroke + target for stroke in moved]


def pick_digits(count: int, n: int, rng: np.random.Generator) -> np.ndarray:
    """The indices of the ``n`` digits (of ``count``) that `make_drawn_digits` draws with a fresh ``rng``:
    at random, without replacement when ``n <= count``.  Its first use of ``rng``, so that the digits
    behind a seeded set of drawings can be found again (to read them as images, say)."""
    return rng.choice(count, size=n, replace=n > count) if n else np.zeros(0, int)


def make_drawn_digits(
    images: np.ndarray, labels: np.ndarray, n: int, rng: np.random.Generator, canvas: int = 128
) -> list[tuple[Strokes, int]]:
    """Make ``n`` drawings (strokes on a ``canvas``-pixel square, label) from MNIST digits.

    ``images``: (N, 28, 28) uint8 (or float in [0, 1]) digits, ``labels``: (N,).  Digits are picked at
    random (without replacement when ``n <= N``); all randomness comes from ``rng``.
    """
    images = np.asarray(images)
    labels = np.asarray(labels)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or labels.shape != images.shape[:1]:
        raise ValueError(
            f"need (N, 28, 28) images and (N,) labels, got {images.shape} and {labels.shape}"
        )
    if n < 0 or (n > 0 and len(images) == 0):
        raise ValueError(f"cannot make {n} drawings from {len(images)} digits")
    if canvas < 8:
        raise ValueError(f"canvas must be at least 8 pixels, got {canvas}")
    chosen = pick_digits(len(images), n, rng)
    binaries, skeletons = ink_and_skeletons(images[chosen])
    return [
        (_place(digit_strokes(binary, skeleton), rng, canvas), int(labels[index]))
        for binary, skeleton, index in zip(binaries, skeletons, chosen)
    ]


def render_drawn(
    drawn: list[tuple[Strokes, int]], pen_width: float, canvas: int = 128
) -> np.ndarray:
    """Render drawings from `make_drawn_digits`: uint8 (n, canvas, canvas), white ink on black.

    A fat pen would push the ink of a large or off-centre drawing over the canvas edge; a person
    keeps the digit on the canvas, so such a drawing is shrunk and moved just enough (`fit_ink`).
    """
    out = np.zeros((len(drawn), canvas, canvas), np.uint8)
    for i, (strokes, _label) in enumerate(drawn):
        out[i] = render_strokes(fit_ink(strokes, pen_width, canvas), pen_width, canvas)
    return out


def fit_ink(strokes: Strokes, pen_width: float, canvas: int, margin: float = 1.0) -> Strokes:
    """The strokes, scaled about their centre and shifted so that the ink (centre lines plus half the
    pen) stays ``margin`` pixels inside the canvas; unchanged when it already does."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    reach = pen_width / 2 + margin
    room = canvas - 2 * reach
    extent = float((high - low).max())
    scale = min(1.0, room / extent) if extent > 0 else 1.0
    centre = (low + high) / 2
    half = (high - low) * scale / 2
    new_centre = np.clip(centre, reach + half, canvas - reach - half)
    if scale == 1.0 and np.array_equal(new_centre, centre):
        return strokes
    return [(stroke - centre) * scale + new_centre for stroke in strokes]


def drawn_training_images(images: np.ndarray, labels: np.ndarray, n: int, rng: np.random.Generator,
                          canvas: int = 128, pen_widths: tuple[float, float] = (2.0, 20.0)
                          ) -> tuple[np.ndarray, np.ndarray]:
    """``n`` training images that look like the app's drawings: digits from ``images`` traced into
    strokes (`make_drawn_digits`), each given its own random pen width, and prepared by
    `drawing_to_input` exactly as the app prepares a drawing.  Returns uint8 (n, 28, 28) images and
    their labels.

    A data-preparation step run once before training (one `drawing_to_input` per drawing).
    """
    drawn = make_drawn_digits(images, labels, n, rng, canvas)
    widths = rng.uniform(*pen_widths, size=n)
    out = np.zeros((n, 28, 28), np.uint8)
    for i, ((strokes, _), width) in enumerate(zip(drawn, widths)):
        digit = drawing_to_input(fit_ink(strokes, width, canvas), width, canvas)
        if digit is not None:
            out[i] = np.round(digit * 255)
    return out, np.array([label for _, label in drawn], dtype=labels.dtype)
