"""Tests for digitpad.data.augment on real MNIST digits."""

from __future__ import annotations


import numpy as np
import pytest
from scipy.ndimage import gaussian_filter

from digitpad.data import augment, mnist


@pytest.fixture(scope="module")
def train_images(mnist_dir) -> np.ndarray:
    images, _ = mnist.load_mnist("train", mnist_dir)
    return images.astype(np.float32) / 255


@pytest.fixture(scope="module")
def digits(train_images) -> np.ndarray:
    return train_images[:500].copy()


@pytest.fixture(scope="module")
def framed(train_images) -> np.ndarray:
    """Digits with an empty 4-pixel border, so moderate transforms keep all their ink in the frame."""
    ink = train_images[:3000] > 0
    border = ink[:, :4].any((1, 2)) | ink[:, -4:].any((1, 2)) | ink[:, :, :4].any((1, 2)) | ink[:, :, -4:].any((1, 2))
    return train_images[:3000][~border]


def centre_of_mass(images: np.ndarray) -> np.ndarray:
    """Per image (row, col) of the ink's centre of mass."""
    mass = images.sum(axis=(1, 2))
    rows = (images.sum(axis=2) * np.arange(28)).sum(axis=1) / mass
    cols = (images.sum(axis=1) * np.arange(28)).sum(axis=1) / mass
    return np.stack([rows, cols], axis=1)


def ink(images: np.ndarray) -> np.ndarray:
    return images.sum(axis=(1, 2))


ALL_FUNCTIONS = {
    "random_affine": augment.random_affine,
    "elastic_distort": augment.elastic_distort,
    "augment_batch": augment.augment_batch,
    "stroke_jitter": augment.stroke_jitter,
    "Augmenter": augment.Augmenter(),
}


# --- common contract -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ALL_FUNCTIONS)
def test_deterministic_for_fixed_seed(digits, name):
    function = ALL_FUNCTIONS[name]
    first = function(digits, np.random.default_rng(7))
    second = function(digits, np.random.default_rng(7))
    other = function(digits, np.random.default_rng(8))
    np.testing.assert_array_equal(first, second)
    assert not np.array_equal(first, other)


@pytest.mark.parametrize("name", ALL_FUNCTIONS)
def test_shape_dtype_range_and_input_untouched(digits, name):
    function = ALL_FUNCTIONS[name]
    before = digits.copy()
    out = function(digits, np.random.default_rng(0))
    assert out.shape == digits.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert not np.shares_memory(out, digits)
    np.testing.assert_array_equal(digits, before)
    flat = function(digits.reshape(-1, 784).astype(np.float64), np.random.default_rng(0))
    assert flat.shape == (len(digits), 784) and flat.dtype == np.float32
    np.testing.assert_allclose(flat.reshape(out.shape), out, atol=1e-6)


def test_bad_shape_rejected():
    with pytest.raises(ValueError, match="28, 28"):
        augment.random_affine(np.zeros((4, 27, 28), np.float32), np.random.default_rng(0))


def test_empty_batch(digits):
    empty = digits[:0]
    assert augment.Augmenter()(empty, np.random.default_rng(0)).shape == (0, 28, 28)


# --- affine --------------------------------------------------------------------------------------


def test_zero_affine_is_identity(digits):
    out = augment.random_affine(digits, np.random.default_rng(0), 0.0, 0.0, (1.0, 1.0), 0.0)
    np.testing.assert_allclose(out, digits, atol=1e-6)
    np.testing.assert_allclose(augment.warp_affine(digits), digits, atol=1e-6)


@pytest.mark.parametrize("shift", [(2.5, -1.5), (-3.0, 0.25)])
def test_shift_moves_centre_of_mass(framed, shift):
    out = augment.warp_affine(framed, shifts=shift)
    moved = centre_of_mass(out) - centre_of_mass(framed)
    np.testing.assert_allclose(moved, np.broadcast_to([shift[1], shift[0]], moved.shape), atol=1e-3)
    np.testing.assert_allclose(ink(out), ink(framed), rtol=1e-4)


def test_per_image_shifts(framed):
    shifts = np.random.default_rng(0).uniform(-3, 3, (len(framed), 2))
    moved = centre_of_mass(augment.warp_affine(framed, shifts=shifts)) - centre_of_mass(framed)
    np.testing.assert_allclose(moved, shifts[:, ::-1], atol=1e-3)


@pytest.mark.parametrize("angle, k", [(90, 1), (-90, -1), (180, 2)])
def test_right_angle_rotation_matches_rot90(digits, angle, k):
    out = augment.warp_affine(digits, angles=angle)
    np.testing.assert_allclose(out, np.rot90(digits, k, axes=(1, 2)), atol=1e-5)


def test_rotation_about_centre_keeps_centre_of_mass_radius(framed):
    out = augment.warp_affine(framed, angles=30.0)
    before = np.linalg.norm(centre_of_mass(framed) - 13.5, axis=1)
    after = np.linalg.norm(centre_of_mass(out) - 13.5, axis=1)
    np.testing.assert_allclose(after, before, atol=0.1)


@pytest.mark.parametrize("scale", [0.5, 0.8, 1.2])
def test_scale_changes_ink_by_area(framed, scale):
    ratio = ink(augment.warp_affine(framed, scales=scale)) / ink(framed)
    assert np.median(ratio) == pytest.approx(scale**2, rel=0.03)


def test_shear_slants_vertical_line():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 4:24, 14] = 1.0
    out = augment.warp_affine(image, shears=0.5)[0]
    top, bottom = ((out[row] * np.arange(28)).sum() / out[row].sum() for row in (6, 21))
    assert bottom - top == pytest.approx(0.5 * 15, abs=0.2)  # x' = x + 0.5 y: lower rows move right


def test_random_affine_stays_within_ranges(framed):
    out = augment.random_affine(framed, np.random.default_rng(1), max_shift=2.0, max_rotation=0.0,
                                scale=(1.0, 1.0), max_shear=0.0)  # fmt: skip
    moved = centre_of_mass(out) - centre_of_mass(framed)
    assert np.abs(moved).max() <= 2.0 + 1e-3
    assert np.abs(moved).max() > 1.5  # the range is actually used


# --- elastic -------------------------------------------------------------------------------------


def test_elastic_keeps_ink_roughly(digits):
    ratio = ink(augment.elastic_distort(digits, np.random.default_rng(0))) / ink(digits)
    assert ratio.mean() == pytest.approx(1.0, abs=0.05)
    assert np.median(ratio) == pytest.approx(1.0, abs=0.05)


def test_elastic_changes_images_but_only_locally(digits):
    out = augment.elastic_distort(digits, np.random.default_rng(0))
    assert np.abs(out - digits).mean() > 0.01
    shift = np.linalg.norm(centre_of_mass(out) - centre_of_mass(digits), axis=1)
    assert np.median(shift) < 2.0  # sigma = 6 fields are smooth: the whole digit drifts ~1 px


def test_elastic_alpha_zero_is_identity(digits):
    out = augment.elastic_distort(digits, np.random.default_rng(0), alpha=0.0)
    np.testing.assert_allclose(out, digits, atol=1e-6)


def test_gaussian_matrix_equals_scipy_filter():
    noise = np.random.default_rng(0).uniform(-1, 1, (3, 28, 28)).astype(np.float32)
    g = augment._gaussian_matrix(6.0)
    np.testing.assert_allclose(g @ noise @ g.T, gaussian_filter(noise, (0, 6.0, 6.0), mode="reflect"), atol=1e-6)


@pytest.mark.parametrize("alpha, sigma", [(36.0, 6.0), (34.0, 4.0)])
def test_elastic_displacement_size_matches_theory(alpha, sigma):
    """Away from the borders, alpha * (G_sigma * U) with U ~ U(-1, 1) has standard deviation
    alpha * sqrt(1/3) * sqrt(sum of squared 2-D kernel weights) = alpha / (sqrt(12 pi) sigma)."""
    d_rows, d_cols = augment._elastic_displacements(4000, np.random.default_rng(0), alpha, sigma)
    centre = np.concatenate([d_rows[:, 11:17, 11:17].ravel(), d_cols[:, 11:17, 11:17].ravel()])
    assert centre.std() == pytest.approx(alpha / (np.sqrt(12 * np.pi) * sigma), rel=0.05)
    assert abs(centre.mean()) < 0.02


# --- stroke jitter -------------------------------------------------------------------------------


def test_jitter_each_image_is_dilated_eroded_or_unchanged(digits):
    out = augment.stroke_jitter(digits, np.random.default_rng(0), p=0.8)
    bolder = (out >= digits).all(axis=(1, 2)) & (ink(out) > ink(digits))
    thinner = (out <= digits).all(axis=(1, 2)) & (ink(out) < ink(digits))
    same = (out == digits).all(axis=(1, 2))
    assert (bolder | thinner | same).all()
    for group in (bolder, thinner, same):
        assert 0.1 < group.mean() < 0.6  # p/2 = 40% each way, 20% untouched
    assert (ink(out[thinner]) >= 0.5 * ink(digits[thinner]) - 1e-3).all()


def test_jitter_p_zero_is_identity(digits):
    np.testing.assert_array_equal(augment.stroke_jitter(digits, np.random.default_rng(0), p=0.0), digits)


def test_full_dilation_is_cross_maximum():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 10, 10] = 1.0
    dilated = augment._morph(image, np.maximum)[0]
    assert dilated.sum() == 5 and dilated[9, 10] == dilated[11, 10] == dilated[10, 9] == dilated[10, 11] == 1


def test_erosion_never_empties_thin_strokes():
    lines = np.zeros((400, 28, 28), np.float32)
    lines[:, 4:24, 13] = 1.0  # 1-pixel-wide vertical stroke
    lines[:, 20, 5:20] = 1.0  # and a horizontal one
    on_stroke = lines[0] > 0
    out = augment.stroke_jitter(lines, np.random.default_rng(0), p=1.0)
    eroded = (out < lines).any(axis=(1, 2))
    assert eroded.sum() > 100
    assert (out[:, on_stroke] > 0.45).all()  # dimmed by about min_ink at most, never erased
    assert (ink(out[eroded]) >= 0.5 * ink(lines[eroded]) - 1e-3).all()


# --- the pipeline --------------------------------------------------------------------------------


def test_augmenter_toggles(digits):
    rng = np.random.default_rng
    nothing = augment.Augmenter(affine=False, elastic=False, jitter=False)
    np.testing.assert_array_equal(nothing(digits, rng(0)), digits)
    only_jitter = augment.Augmenter(affine=False, elastic=False, jitter_p=1.0)
    np.testing.assert_array_equal(only_jitter(digits, rng(0)), augment.stroke_jitter(digits, rng(0), p=1.0))
    only_affine = augment.Augmenter(elastic=False, jitter=False)
    np.testing.assert_array_equal(only_affine(digits, rng(0)), augment.random_affine(digits, rng(0)))
    only_elastic = augment.Augmenter(affine=False, jitter=False)
    np.testing.assert_array_equal(only_elastic(digits, rng(0)), augment.elastic_distort(digits, rng(0)))


def test_augmented_digits_stay_centred_and_inked(digits):
    out = augment.Augmenter()(digits, np.random.default_rng(0))
    ratio = ink(out) / ink(digits)
    assert 0.8 < np.median(ratio) < 1.3
    assert np.abs(centre_of_mass(out) - centre_of_mass(digits)).max() < 6


