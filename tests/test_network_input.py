"""The network's input in one place: the contract every model keeps (shape, classes, `to_model_input`),
and `drawing_to_input`, the one path from a drawing's strokes to the network's 28x28 input."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import digitpad
from digitpad.data import mnist, pendigits
from digitpad.data.drawn import make_drawn_digits
from digitpad.drawing.network_input import INPUT_SHAPE, NUM_CLASSES, SIDE, drawing_to_input, to_model_input
from digitpad.drawing.stroke_width import MNIST_STROKE_THICKNESS, stroke_thickness
from digitpad.errors import ImageError

ROOT = Path(__file__).resolve().parents[1]


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


# --- the contract ------------------------------------------------------------------------------------


def test_the_contract_is_stated_once():
    """The shape and the classes have one home, network_input (28 is MNIST's size, from mnist_style);
    every other module imports them.  The engine may not import the product: the ONNX importer's
    image shape is its own, and must agree."""
    from digitpad.nn.io import onnx_import

    found = {}
    for path in sorted(ROOT.joinpath("digitpad").rglob("*.py")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if match := re.match(r"(NUM_CLASSES|SIDE|MNIST_SIZE|IMAGE_SIDE|IMAGE|INPUT_SHAPE) = ", line):
                found.setdefault(match.group(1), []).append(path.relative_to(ROOT).as_posix())
    assert found == {"SIDE": ["digitpad/drawing/network_input.py"], "INPUT_SHAPE": ["digitpad/drawing/network_input.py"],
                     "NUM_CLASSES": ["digitpad/drawing/network_input.py"], "MNIST_SIZE": ["digitpad/drawing/mnist_style.py"],
                     "IMAGE": ["digitpad/nn/io/onnx_import.py"]}
    assert INPUT_SHAPE == (1, SIDE, SIDE) == onnx_import.IMAGE == (1, 28, 28) and NUM_CLASSES == 10



def test_to_model_input_shapes_and_scaling():
    one = np.full((28, 28), 0.5, np.float32)
    assert to_model_input(one).shape == (1, 1, 28, 28)
    batch = to_model_input([one, one, one])
    assert batch.shape == (3, 1, 28, 28) and batch.dtype == np.float32
    scaled = to_model_input(np.full((2, 28, 28), 255, np.uint8))
    assert scaled.dtype == np.float32 and scaled.max() == 1.0
    assert to_model_input(np.zeros((4, 1, 28, 28))).shape == (4, 1, 28, 28)


@pytest.mark.parametrize(
    "value, message",
    [
        (np.zeros((28, 27)), "28x28"),
        (np.full((28, 28), 1.5), r"\[0, 1\]"),
        (np.full((28, 28), np.nan), r"finite"),
        (np.zeros((28, 28), np.int32), "dtype int32"),
        ([np.zeros((28, 28)), None], "None"),
    ],
)
def test_to_model_input_rejects_bad_digits(value, message):
    with pytest.raises(ImageError, match=message):
        to_model_input(value)
