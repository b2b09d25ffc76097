"""drawing_to_input: the one path from a drawing's strokes to the network's 28x28 input."""

from __future__ import annotations

import numpy as np
import pytest

import digitpad
from digitpad.data import mnist, pendigits
from digitpad.data.drawn import make_drawn_digits
from digitpad.drawing.network_input import drawing_to_input
from digitpad.drawing.preprocess import MNIST_STROKE_THICKNESS, stroke_thickness


def one_minus_cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(1 - (a.ravel() @ b.ravel()) / (np.linalg.norm(a) * np.linalg.norm(b)))


@pytest.fixture(scope="module")
def pen_digits(pendigits_dir):
    return pendigits.load_pendigits(pendigits_dir)[::25]      # 300 digits of all 30 writers


@pytest.fixture(scope="module")
def traced(mnist_dir):
    images, labels = mnist.load_mnist("test", mnist_dir)
    return make_drawn_digits(images[:300], labels[:300], 300, np.random.default_rng(0), canvas=128)


def test_the_top_level_function_is_the_module_one():
    assert digitpad.drawing_to_input is drawing_to_input


def test_an_input_is_an_mnist_digit(pen_digits):
    digit = drawing_to_input(pen_digits[0].strokes, 4, 500)
    assert digit.shape == (28, 28) and digit.dtype == np.float32 and 0 <= digit.min() and digit.max() <= 1
    rows, cols = np.nonzero(digit > 0.2)     # the softened edge (INK_SOFTNESS) spreads the faintest ink a pixel
    assert max(rows.max() - rows.min(), cols.max() - cols.min()) + 1 in (20, 21)     # the 20-px box
    mass = digit.sum()
    centre = (digit.sum(axis=1) @ np.arange(28) / mass, digit.sum(axis=0) @ np.arange(28) / mass)
    assert abs(centre[0] - 14) <= 0.5 and abs(centre[1] - 14) <= 0.5
    assert drawing_to_input([], 4, 500) is None and drawing_to_input([np.zeros((0, 2))], 4, 500) is None


def test_the_pen_width_changes_nothing_and_the_strokes_are_as_thick_as_mnists(pen_digits, traced):
    """Metric: the largest absolute pixel difference between pens 2 and 32; bound: 0 (the strokes
    are re-rendered at MNIST's thickness whatever the pen).  As drawn ("image" mode) the same
    digits differ by 1 - cosine of 0.2 or more between those pens."""
    for strokes, canvas in [(d.strokes, 500) for d in pen_digits] + [(s, 128) for s, _ in traced]:
        assert np.array_equal(drawing_to_input(strokes, 2, canvas), drawing_to_input(strokes, 32, canvas))
    as_drawn = [one_minus_cosine(drawing_to_input(s, 2, 128, "image"), drawing_to_input(s, 32, 128, "image"))
                for s, _ in traced[:100]]
    assert np.median(as_drawn) > 0.2
    for digits in ([drawing_to_input(d.strokes, 4, 500) for d in pen_digits],
                   [drawing_to_input(s, 4, 128) for s, _ in traced]):
        median = np.median([stroke_thickness(d) for d in digits])
        assert abs(median - MNIST_STROKE_THICKNESS) < 0.15, median     # MNIST's quartiles: 2.22-3.31


def mean_ink_gradient(images) -> float:
    """Edge sharpness: the median over digits of the mean gradient magnitude on their ink (values >= 0.05)."""
    x = np.asarray(images, np.float32)
    gy, gx = np.gradient(x, axis=(1, 2))
    ink = x >= 0.05
    return float(np.median((np.hypot(gx, gy) * ink).sum(axis=(1, 2)) / ink.sum(axis=(1, 2))))


def test_drawings_are_as_soft_as_the_augmented_images_the_networks_learn_from(mnist_dir, pen_digits, traced,
                                                                                monkeypatch):
    """Metric: the mean gradient over the ink.  The augmentation's resampling softens MNIST's edges by
    a fifth or more; drawings, as crisp as raw MNIST when rendered from centre lines, are softened by
    INK_SOFTNESS to within 6 % of the augmented images."""
    from digitpad.data.augment import Augmenter
    from digitpad.drawing import network_input

    images, _ = mnist.load_mnist("train", mnist_dir)
    raw = images[:3000].astype(np.float32) / 255
    augmented = mean_ink_gradient(Augmenter()(raw, np.random.default_rng(0)))
    assert mean_ink_gradient(raw) > 1.2 * augmented

    def drawings():
        return ([drawing_to_input(d.strokes, 4, 500) for d in pen_digits],
                [drawing_to_input(s, 4, 128) for s, _ in traced])

    for digits in drawings():
        assert abs(mean_ink_gradient(digits) - augmented) < 0.06 * augmented
    monkeypatch.setattr(network_input, "INK_SOFTNESS", 0.0)
    for digits in drawings():
        assert abs(mean_ink_gradient(digits) - mean_ink_gradient(raw)) < 0.1 * mean_ink_gradient(raw)


def test_the_other_modes_render_the_pen_as_drawn(traced):
    strokes, _ = traced[0]
    raw = drawing_to_input(strokes, 2, 128, "raw")
    image = drawing_to_input(strokes, 2, 128, "image")
    assert raw.shape == image.shape == (28, 28) and not np.array_equal(raw, image)   # thin strokes thickened
    assert stroke_thickness(image) > stroke_thickness(raw)
    with pytest.raises(ValueError, match="mode must be one of strokes, image, raw"):
        drawing_to_input(strokes, 2, 128, "pixels")


def test_a_dot_and_a_straight_line_are_digits_too():
    dot = drawing_to_input([np.array([[50.0, 50.0]])], 8, 128)
    line = drawing_to_input([np.array([[60.0, 20.0], [60.0, 100.0]])], 8, 128)
    assert dot is not None and dot.sum() > 0
    assert line is not None and (line > 0.5).any(axis=1).sum() >= 19 and (line > 0.5).any(axis=0).sum() <= 4
