"""The fixed test sets of drawings the stroke-size robustness study measures (:mod:`digitpad.evaluation.robustness`).

Two sets of drawings (strokes on a square canvas; a fixed seed gives the same every run):

- ``"traced"``: MNIST **test** digits traced into pen strokes (:func:`digitpad.data.drawn.make_drawn_digits`:
  usually 60-80 % of the canvas high and roughly centred, some small, off-centre or slightly rotated);
- ``"pen"``: real pen trajectories of the 6 *measurement writers* of :func:`digitpad.data.pendigits.writer_groups`,
  writers no model is trained or selected on, each placed as people draw: 50-90 % of the canvas high,
  anywhere on it, slightly rotated.

:func:`data_fingerprint` tells which test data a set would be made from, so that inputs computed from
it can be cached.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import numpy as np

from digitpad.data.drawn import make_drawn_digits, pick_digits

__all__ = [
    "DATASETS",
    "DEFAULT_CANVAS",
    "DEFAULT_N",
    "Drawn",
    "data_fingerprint",
    "drawn_test_digits",
    "drawn_test_set",
    "measurement_digits",
    "pen_test_set",
    "test_set",
]

DEFAULT_CANVAS = 128
DEFAULT_N = 5000  # standard error 0.2 points at 98 %; about 50 s for the two shipped models

# A set of drawings: each the strokes ((k, 2) x, y points on the canvas) and the digit drawn.
Drawn = list[tuple[list[np.ndarray], int]]
# The sets by name, with the words tables and plots describe them in.
DATASETS = {"traced": "drawn MNIST test digits", "pen": "real pen digits of held-out writers"}
# Placing a real pen digit as people draw: its height a uniform share of the canvas, rotated a little.
PEN_HEIGHT_RANGE = (0.5, 0.9)
PEN_ROTATION_DEG = 8.0


def drawn_test_set(n: int = DEFAULT_N, canvas: int = DEFAULT_CANVAS, seed: int = 0,
                   data_dir: str | Path | None = None) -> Drawn:
    """``n`` drawings (strokes, label) made from MNIST test digits on a ``canvas``-pixel square.

    Deterministic: the same (n, canvas, seed) and MNIST files give the same drawings (digits, placement,
    rotation).  Render them with :func:`digitpad.data.drawn.render_drawn`.  Raises DatasetError when the
    MNIST test files are missing (``data_dir``, else the usual search path of
    :func:`digitpad.data.mnist.load_mnist`).
    """
    from digitpad.data import mnist

    images, labels = mnist.load_mnist("test", data_dir)
    return make_drawn_digits(images, labels, n, np.random.default_rng(seed), canvas)


def drawn_test_digits(n: int = DEFAULT_N, seed: int = 0, data_dir: str | Path | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
    """The MNIST test digits (uint8 images, labels) that ``drawn_test_set(n, canvas, seed)`` drew, in its
    order: the same digits read as images, to tell a misread drawing from a misread digit."""
    from digitpad.data import mnist

    images, labels = mnist.load_mnist("test", data_dir)
    chosen = pick_digits(len(images), n, np.random.default_rng(seed))
    return images[chosen], labels[chosen]


def pen_test_set(canvas: int = DEFAULT_CANVAS, seed: int = 0, data_dir: str | Path | None = None) -> Drawn:
    """The measurement writers' pen digits (strokes, label), each placed on a ``canvas``-pixel square
    as people draw: 50-90 % of the canvas high, rotated up to 8 degrees, anywhere on the canvas with
    its centre lines inside.  Raises DatasetError when the pen digits are missing."""
    digits = measurement_digits(data_dir)
    rng = np.random.default_rng([seed, 5])
    order = rng.permutation(len(digits))     # any first n of them are a random sample of the writers' digits
    return [(_place_pen_digit(list(digits[i].strokes), rng, canvas), digits[i].label) for i in order]


def measurement_digits(data_dir: str | Path | None):
    """The measurement writers' pen digits (:class:`digitpad.data.pendigits.PenDigit`), unplaced."""
    from digitpad.data import pendigits

    return pendigits.of_writers(pendigits.load_pendigits(data_dir), pendigits.writer_groups()["measure"])


def _place_pen_digit(strokes: list[np.ndarray], rng: np.random.Generator, canvas: int) -> list[np.ndarray]:
    angle = math.radians(rng.uniform(-PEN_ROTATION_DEG, PEN_ROTATION_DEG))
    turn = np.array([[math.cos(angle), math.sin(angle)], [-math.sin(angle), math.cos(angle)]])
    points = np.concatenate(strokes)
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    turned = [(stroke - centre) @ turn for stroke in strokes]
    low, high = np.concatenate(turned).min(axis=0), np.concatenate(turned).max(axis=0)
    scale = rng.uniform(*PEN_HEIGHT_RANGE) * canvas / max(float(high[1] - low[1]), 1.0)
    scale = min(scale, 0.95 * canvas / max(float(high[0] - low[0]), 1.0))   # a wide digit stays on the canvas
    low, high = low * scale, high * scale
    offset = np.array([rng.uniform(-lo, canvas - hi) for lo, hi in zip(low, high)])
    return [stroke * scale + offset for stroke in turned]


def test_set(dataset: str, n: int, canvas: int, seed: int, data_dir: str | Path | None) -> Drawn:
    """``n`` drawings of ``dataset`` ("traced" or "pen"; the pen set has as many as its writers wrote)."""
    if dataset == "traced":
        return drawn_test_set(n, canvas, seed, data_dir)
    return pen_test_set(canvas, seed, data_dir)[:n]


def data_fingerprint(dataset: str, data_dir: str | Path | None) -> str:
    """A digest of the test data ``dataset`` would be made from (the loaders cache their arrays in-process)."""
    if dataset == "pen":
        from digitpad.data import pendigits

        path = pendigits.find_pendigits(data_dir)
        return f"pen:{path}:{path.stat().st_mtime_ns}" if path else "pen:missing"
    from digitpad.data import mnist

    images, labels = mnist.load_mnist("test", data_dir)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(np.ascontiguousarray(labels).tobytes())
    digest.update(np.ascontiguousarray(images).tobytes())
    return digest.hexdigest()

