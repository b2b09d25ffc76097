"""Tests for preprocessing pictures: reading images (digitpad.drawing.pictures), MNIST-style normalisation
(digitpad.drawing.mnist_style) and stroke width (digitpad.drawing.stroke_width).

Stroke-width metric: the mean absolute difference (MAD, per pixel, values in [0, 1]) between the 28x28
inputs of the same MNIST-derived drawing rendered with two pen widths on a 128-pixel canvas.
"""

from __future__ import annotations

import struct
import time
import tracemalloc
import zlib

import numpy as np
import pytest
from PIL import Image
from scipy import ndimage

from digitpad.data.drawn import make_drawn_digits, render_drawn
from digitpad.data.mnist import load_mnist
from digitpad.errors import ImageError
from digitpad.drawing.mnist_style import to_mnist
from digitpad.drawing.pictures import load_image
from digitpad.drawing.stroke_width import MNIST_STROKE_THICKNESS, skeletonize, stroke_thickness
from digitpad.drawing.strokes import render_strokes

BOTH = pytest.mark.parametrize("normalize", [False, True])


@pytest.fixture(scope="module")
def mnist_test(mnist_dir):
    return load_mnist("test", mnist_dir)


@pytest.fixture(scope="module")
def two_stroke_digit() -> np.ndarray:
    """A "7"-like drawing on a 420-pixel canvas, white on black."""
    strokes = [np.array([[120.0, 90.0], [300.0, 95.0], [200.0, 340.0]]), np.array([[170.0, 210.0], [260.0, 205.0]])]
    return render_strokes(strokes, 22, 420)


def _ink_box(digit: np.ndarray, level: float = 0.05) -> tuple[int, int]:
    rows = np.flatnonzero((digit > level).any(axis=1))
    cols = np.flatnonzero((digit > level).any(axis=0))
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def _mad(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a - b).mean())


# ---------------------------------------------------------------------------------------- geometry


@BOTH
@pytest.mark.parametrize("where", [(0.3, 0.3), (0.5, 0.5), (0.75, 0.2)])
@pytest.mark.parametrize("scale", [0.25, 0.8])
def test_centre_of_mass_lands_at_14_14(normalize, where, scale):
    size = 300
    x, y = where[0] * size, where[1] * size
    h = scale * size / 2
    strokes = [np.array([[x - h / 2, y - h], [x + h / 2, y - h / 3], [x, y + h]]), np.array([[x - h / 2, y], [x, y]])]
    digit = to_mnist(render_strokes(strokes, max(2, h / 6), size), normalize_stroke=normalize)
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert 0 <= digit.min() and digit.max() <= 1
    centre = np.array(ndimage.center_of_mass(digit))
    assert np.hypot(*(centre - 14)) < 1.0


@BOTH
def test_long_side_of_bounding_box_is_20(normalize, two_stroke_digit):
    for image in (two_stroke_digit, two_stroke_digit.T):  # tall and wide
        height, width = _ink_box(to_mnist(image, normalize_stroke=normalize))
        assert 19 <= max(height, width) <= 21


def test_aspect_ratio_of_a_rectangle_is_kept():
    image = np.zeros((400, 400), np.uint8)
    image[50:350, 120:270] = 255  # 300 high, 150 wide
    height, width = _ink_box(to_mnist(image, normalize_stroke=False), 0.5)
    assert height == 20 and width == 10
    wide = to_mnist(np.ascontiguousarray(image.T), normalize_stroke=False)
    assert _ink_box(wide, 0.5) == (10, 20)


@BOTH
def test_thin_tall_one_is_not_stretched_sideways(normalize):
    image = np.zeros((420, 420), np.uint8)
    image[60:360, 200:203] = 255  # a 3-pixel-wide vertical line
    digit = to_mnist(image, normalize_stroke=normalize)
    height, width = _ink_box(digit, 0.1)
    assert height >= 19 and width <= (4 if normalize else 1)


@BOTH
def test_dark_on_light_equals_light_on_dark(normalize, two_stroke_digit):
    reference = to_mnist(two_stroke_digit, normalize_stroke=normalize)
    inverted = to_mnist(255 - two_stroke_digit, normalize_stroke=normalize)
    np.testing.assert_allclose(inverted, reference, atol=1e-6)
    explicit = to_mnist(255 - two_stroke_digit, normalize_stroke=normalize, background="light")
    np.testing.assert_allclose(explicit, reference, atol=1e-6)


def test_input_types_give_the_same_digit(two_stroke_digit):
    reference = to_mnist(two_stroke_digit)
    paper = 255 - two_stroke_digit
    variants = [
        two_stroke_digit.astype(np.float32) / 255,
        two_stroke_digit.astype(np.float64) / 255,
        two_stroke_digit.astype(np.uint16) * 257,
        np.repeat(paper[:, :, None], 3, axis=2),
        np.dstack([paper, paper, paper, np.full_like(paper, 255)]),
        # dark ink on a transparent background
        np.dstack([np.zeros((420, 420, 3), np.uint8), two_stroke_digit]),
        two_stroke_digit[:, :, None],
    ]
    for variant in variants:
        np.testing.assert_allclose(to_mnist(variant), reference, atol=2e-3)


@BOTH
def test_empty_and_nearly_empty_pictures_give_none(normalize):
    rng = np.random.default_rng(0)
    dot = np.zeros((420, 420), np.uint8)
    dot[200, 200] = 255
    for image in (
        np.zeros((420, 420), np.uint8),
        np.full((100, 100), 255, np.uint8),
        np.full((50, 60), 0.5, np.float32),
        (rng.random((300, 300)) * 0.05).astype(np.float32),
        dot,
    ):
        assert to_mnist(image, normalize_stroke=normalize) is None


def test_faint_noise_is_ignored(two_stroke_digit):
    rng = np.random.default_rng(1)
    noisy = np.clip(two_stroke_digit + rng.integers(0, 25, two_stroke_digit.shape), 0, 255).astype(np.uint8)
    assert _mad(to_mnist(noisy, normalize_stroke=False), to_mnist(two_stroke_digit, normalize_stroke=False)) < 0.01


@BOTH
def test_huge_image_works_in_bounded_memory(normalize):
    image = np.full((8000, 8000), 255, np.uint8)
    image[1500:6500, 3000:3900] = 0  # the stem of a "1"
    image[1500:2400, 2200:3900] = 0  # its flag
    tracemalloc.start()
    try:
        start = time.perf_counter()
        digit = to_mnist(image, normalize_stroke=normalize)
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert digit is not None and 19 <= max(_ink_box(digit)) <= 21
    assert peak < 600e6  # measured ~25 MB
    assert elapsed < 10  # measured ~0.2 s


def test_small_digit_in_huge_image_keeps_its_detail():
    image = np.zeros((6000, 6000), np.uint8)
    image[3000:3060, 4000:4030] = 255  # 60 x 30 pixels in a 6000-pixel picture
    assert _ink_box(to_mnist(image, normalize_stroke=False), 0.5) == (20, 10)


@pytest.mark.parametrize(
    "image, message",
    [
        (np.zeros((0, 10), np.uint8), "empty"),
        (np.zeros((10, 0, 3), np.uint8), "empty"),
        (np.full((10, 10), np.nan), "NaN"),
        (np.full((10, 10), np.inf, np.float32), "NaN or infinite"),
        (np.full((10, 10), 2.0), r"\[0, 1\]"),
        (np.zeros((10, 10), object), "dtype object"),
        (np.zeros((10, 10), complex), "dtype complex128"),
        (np.zeros((10, 10), np.int64), "dtype int64"),
        (np.zeros((2, 10, 10, 3), np.uint8), "shape"),
        (np.zeros((10, 10, 2), np.uint8), "shape"),
        (np.zeros(10, np.uint8), "shape"),
        ([[1, 2], [3]], "rectangular"),
    ],
)
def test_invalid_arrays_raise_image_error(image, message):
    with pytest.raises(ImageError, match=message):
        to_mnist(image)


def test_bad_background_option_is_rejected():
    with pytest.raises(ValueError, match="background"):
        to_mnist(np.zeros((5, 5), np.uint8), background="white")


# ---------------------------------------------------------------------------------------- canvas speed


# ---------------------------------------------------------------------------------------- files


def _png(path, array):
    Image.fromarray(array).save(path)
    return path


def test_load_image_reads_common_formats(tmp_path, two_stroke_digit):
    paper = 255 - two_stroke_digit
    reference = to_mnist(two_stroke_digit)
    rgba = np.dstack([np.zeros((420, 420, 3), np.uint8), two_stroke_digit])  # dark ink, transparent paper
    palette = Image.fromarray(paper).convert("P")
    palette.save(tmp_path / "palette.png")
    Image.fromarray(paper.astype(np.uint16) * 257).save(tmp_path / "deep.png")
    Image.fromarray(paper).save(tmp_path / "photo.jpg", quality=95)
    Image.fromarray(paper.astype(np.int32) * 1000, "I").save(tmp_path / "wide.tif")
    Image.fromarray(paper.astype(np.float32) / 255).save(tmp_path / "float.tif")
    transparent = Image.new("P", (420, 420))  # index 0 transparent, 1 black
    transparent.putpalette([255, 255, 255, 0, 0, 0])
    transparent.putdata((two_stroke_digit > 127).astype(np.uint8).ravel().tolist())
    transparent.save(tmp_path / "transparent.png", transparency=0)
    files = {
        "grey.png": _png(tmp_path / "grey.png", paper),
        "rgb.png": _png(tmp_path / "rgb.png", np.repeat(paper[:, :, None], 3, 2)),
        "rgba.png": _png(tmp_path / "rgba.png", rgba),
        "palette.png": tmp_path / "palette.png",
        "deep.png": tmp_path / "deep.png",
        "photo.jpg": tmp_path / "photo.jpg",
        "wide.tif": tmp_path / "wide.tif",
        "float.tif": tmp_path / "float.tif",
        "transparent.png": tmp_path / "transparent.png",
    }
    for name, path in files.items():
        image = load_image(path)
        assert image.ndim == 2 and image.shape == (420, 420), name
        if name == "deep.png":
            assert image.dtype == np.uint16
        assert _mad(to_mnist(image), reference) < (0.02 if name == "transparent.png" else 0.01), name


def test_load_image_composites_light_ink_on_black(tmp_path, two_stroke_digit):
    light = np.dstack([np.full((420, 420, 3), 255, np.uint8), two_stroke_digit])
    image = load_image(_png(tmp_path / "light.png", light))
    assert image[0, 0] == 0 and image.max() == 255


def test_load_image_errors_name_the_file(tmp_path):
    corrupt = tmp_path / "corrupt.png"
    good = tmp_path / "good.png"
    Image.fromarray(np.arange(10000, dtype=np.uint8).reshape(100, 100)).save(good)
    corrupt.write_bytes(good.read_bytes()[:200])  # truncated inside the pixel data
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    for path, message in (
        (corrupt, "damaged"),
        (text, "not an image, or in a format digitpad cannot read"),
        (empty, "the file is empty"),
        (tmp_path, "folder"),
        (tmp_path / "missing.png", "no such file"),
    ):
        with pytest.raises(ImageError, match=message) as info:
            load_image(path)
        assert str(path) in str(info.value) and "\n" not in str(info.value)
        assert "Pillow" not in str(info.value) and "PIL" not in str(info.value)   # issue 26, item 25


def _png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims the given size (no pixel data): a cheap decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def test_decompression_bomb_raises_image_error_stating_the_limit(tmp_path, monkeypatch):
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(_png_claiming(100_000, 100_000))
    with pytest.raises(ImageError, match=r"bomb.png: the picture is too large \(10,000,000,000 pixels\); "
                                         r"digitpad reads pictures of up to 89,478,485 pixels$"):
        load_image(bomb)
    # Over the limit but under twice it (where Pillow only warns) is refused too.
    small = _png(tmp_path / "small.png", np.zeros((40, 40), np.uint8))
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    with pytest.raises(ImageError, match=r"small.png: the picture is too large \(1,600 pixels\); .* up to 1,000 pixels"):
        load_image(small)


# ---------------------------------------------------------------------------------------- skeletons


def test_skeleton_of_a_thick_bar_is_a_thin_line():
    image = np.zeros((40, 80), bool)
    image[15:25, 10:70] = True
    skeleton = skeletonize(image)
    assert skeleton.dtype == bool and (skeleton <= image).all()
    assert skeleton.sum(axis=0)[15:65].max() == 1  # one pixel thick
    assert skeleton.sum() >= 45  # and nearly as long as the bar
    assert ndimage.label(skeleton, np.ones((3, 3)))[1] == 1


def test_skeleton_keeps_topology_and_is_idempotent():
    rows, cols = np.mgrid[0:60, 0:60]
    ring = np.abs(np.hypot(rows - 30, cols - 30) - 20) < 4
    skeleton = skeletonize(ring)
    assert ndimage.label(skeleton, np.ones((3, 3)))[1] == 1
    assert ndimage.label(~skeleton)[1] == 2  # the hole is still there
    assert np.array_equal(skeletonize(skeleton), skeleton)


def test_skeletonize_works_on_stacks(mnist_test):
    digits = mnist_test[0][:20] >= 102
    stacked = skeletonize(digits)
    assert np.array_equal(stacked, np.stack([skeletonize(d) for d in digits]))


def test_stroke_thickness_of_a_line_is_its_width():
    for width in (3, 6, 10):
        line = render_strokes([np.array([[20.0, 100.0], [180.0, 100.0]])], width, 200) / 255
        assert stroke_thickness(line) == pytest.approx(width, rel=0.1)
    assert stroke_thickness(np.zeros((28, 28))) == 0.0


def test_mnist_stroke_thickness_constant_matches_the_data(mnist_test):
    thickness = np.median([stroke_thickness(d / 255) for d in mnist_test[0][:500]])
    assert thickness == pytest.approx(MNIST_STROKE_THICKNESS, abs=0.4)


# ---------------------------------------------------------------------------------------- MNIST


@pytest.fixture(scope="module")
def drawn_inputs(mnist_test):
    """200 MNIST-derived drawings rendered with pens 2, 4 and 16 wide, through to_mnist both ways."""
    images, labels = mnist_test
    drawn = make_drawn_digits(images[:2000], labels[:2000], 200, np.random.default_rng(7), canvas=128)
    out = {}
    for width in (2, 4, 16):
        rendered = render_drawn(drawn, width, 128)
        for normalize in (False, True):
            out[width, normalize] = np.stack([to_mnist(r, normalize_stroke=normalize) for r in rendered])
    return out


def test_stroke_normalisation_brings_pen_widths_together(drawn_inputs):
    """Metric: mean absolute difference of the 28x28 inputs of the same drawings at pens 2 and 16.

    Thin pens are redrawn at MNIST's thickness; a 16-px pen is already in MNIST's range and kept."""
    with_norm = _mad(drawn_inputs[2, True], drawn_inputs[16, True])
    without = _mad(drawn_inputs[2, False], drawn_inputs[16, False])
    assert with_norm < 0.08  # measured 0.064
    assert with_norm < 0.55 * without  # measured 0.133 without


def test_normalised_strokes_fall_in_mnist_thickness_range(drawn_inputs):
    thin = np.median([stroke_thickness(d) for d in drawn_inputs[2, True]])
    assert thin == pytest.approx(MNIST_STROKE_THICKNESS, abs=0.35)  # a fine pen is redrawn (measured 2.64)
    raw_thin = np.median([stroke_thickness(d) for d in drawn_inputs[2, False]])
    assert raw_thin < 1.5  # ... because it would be far thinner than MNIST's strokes otherwise
    thick = np.median([stroke_thickness(d) for d in drawn_inputs[16, True]])
    assert 2.22 <= thick <= 4.5  # a 16-px pen is within MNIST's own range (measured 3.59) and kept


def test_real_mnist_digits_survive_the_round_trip(mnist_test):
    digits = mnist_test[0][:300]
    reference = digits / np.float32(255)
    enlarged = [np.asarray(Image.fromarray(d).resize((128, 128), Image.Resampling.BILINEAR)) for d in digits]
    again = np.stack([to_mnist(e, normalize_stroke=False) for e in enlarged])
    cosine = (again * reference).sum((1, 2)) / np.sqrt((again**2).sum((1, 2)) * (reference**2).sum((1, 2)))
    assert _mad(again, reference) < 0.04  # measured ~0.030
    assert cosine.mean() > 0.94  # measured ~0.957
    direct = np.stack([to_mnist(d, normalize_stroke=False) for d in digits])
    assert _mad(direct, reference) < 0.01  # measured ~0.003: MNIST is already normalised
