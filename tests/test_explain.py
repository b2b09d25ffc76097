"""The "why this digit?" maps and the pen-width sweep, against answers known in closed form and on
real digits with the shipped models."""

import numpy as np
import pytest

from digitpad import nn
from digitpad.data import mnist
from digitpad.drawing.network_input import drawing_to_input
from digitpad.evaluation.explain import (gradient_times_input_for, occlusion_agreement, occlusion_maps_for,
                                         occlusion_masks, smooth_gradient_times_input_for)
from digitpad.evaluation.width_sweep import WIDTHS, sweep_pen_widths
from digitpad.reading.store import shipped_dir


@pytest.fixture
def rng():
    return np.random.default_rng(3)


def linear_model(weights: np.ndarray, bias: np.ndarray | None = None) -> nn.Sequential:
    """Flatten + one Dense layer with the given (784, 10) weights: logit_c = W[:, c]·x + b_c."""
    model = nn.Sequential([nn.Flatten(), nn.Dense(784, 10)], input_shape=(1, 28, 28))
    model.layers[1].params["W"][...] = weights
    model.layers[1].params["b"][...] = 0 if bias is None else bias
    return model


def test_gradient_times_input_of_a_linear_model_is_w_times_x(rng):
    weights = rng.standard_normal((784, 10)).astype(np.float32)
    model = linear_model(weights, rng.standard_normal(10).astype(np.float32))
    digit = rng.random((28, 28)).astype(np.float32)
    for c in (0, 7):
        np.testing.assert_allclose(gradient_times_input_for(model, digit, [c])[0], weights[:, c].reshape(28, 28) * digit,
                                   rtol=1e-5, atol=1e-6)
    # "1 rather than 7", as the why panel shows it: the difference of the two maps of one batched backward
    both = gradient_times_input_for(model, digit, [1, 7])
    np.testing.assert_allclose(both[0] - both[1], (weights[:, 1] - weights[:, 7]).reshape(28, 28) * digit,
                               rtol=1e-5, atol=1e-6)
    # the map's sum is the logit without its bias: gradient × input is exact for a linear model
    assert float(gradient_times_input_for(model, digit, [3])[0].sum()) == pytest.approx(
        float(digit.reshape(-1) @ weights[:, 3]), rel=1e-4)


def test_smoothed_gradient_times_input_of_a_linear_model(rng):
    """A linear model's gradient is the same at every noisy copy: unblurred, the smoothed map is exactly
    W ⊙ x; blurred, the blurred W times x.  The noise is the same at every call (no flicker), and two
    digits in one backward give each digit's own map."""
    from scipy.ndimage import gaussian_filter

    weights = rng.standard_normal((784, 10)).astype(np.float32)
    model = linear_model(weights)
    digit = rng.random((28, 28)).astype(np.float32)
    for samples in (1, 2, 3, 8):
        np.testing.assert_allclose(smooth_gradient_times_input_for(model, digit, [4], samples=samples, blur=0)[0],
                                   weights[:, 4].reshape(28, 28) * digit, rtol=1e-4, atol=1e-5)
    blurred = gaussian_filter(weights[:, 4].reshape(28, 28), 0.7, mode="nearest") * digit
    np.testing.assert_allclose(smooth_gradient_times_input_for(model, digit, [4])[0], blurred, rtol=1e-4, atol=1e-5)
    cnn = nn.load_model(shipped_dir() / "cnn.npz")
    both = smooth_gradient_times_input_for(cnn, digit, [1, 7])
    assert both.shape == (2, 28, 28) and both.dtype == np.float32
    np.testing.assert_array_equal(both, smooth_gradient_times_input_for(cnn, digit, [1, 7]))   # no flicker
    np.testing.assert_allclose(both[1], smooth_gradient_times_input_for(cnn, digit, [7], samples=2)[0], atol=1e-5)
    with pytest.raises(ValueError, match="samples"):
        smooth_gradient_times_input_for(cnn, digit, [1], samples=0)


def test_occlusion_masks_cover_every_pixel():
    masks = occlusion_masks(4, 2)
    assert masks.shape == (13 * 13, 28, 28) and masks.sum(axis=(1, 2)).tolist() == [16] * 169
    assert masks.any(axis=0).all()
    ragged = occlusion_masks(5, 4)   # 0, 4, ..., 20 and then 23 flush with the border
    assert ragged.any(axis=0).all() and ragged.shape[0] == 7 * 7
    with pytest.raises(ValueError, match="patch"):
        occlusion_masks(0, 2)


def test_occlusion_finds_the_only_pixels_that_matter():
    """Only a 4x4 block (rows and columns 12-15) feeds digit 3's logit: occluding anything else cannot
    change p(3), so the map is exactly 0 wherever no covering patch reaches the block, and positive
    on the block itself."""
    weights = np.zeros((784, 10), np.float32)
    block = np.zeros((28, 28), bool)
    block[12:16, 12:16] = True
    weights[block.reshape(-1), 3] = 1.0
    digit = np.full((28, 28), 0.8, np.float32)
    heat = occlusion_maps_for(linear_model(weights), digit, [3], patch=4, stride=2)[0]
    reach = np.zeros((28, 28), bool)
    for mask in occlusion_masks(4, 2):
        if (mask & block).any():
            reach |= mask
    assert np.all(heat[~reach] == 0)
    assert np.all(heat[block] > 0)
    assert heat[block].min() > heat[reach & ~block].max()   # the block pixels are covered by the most helpful patches
    # log p_a - log p_b is the logit difference, so "3 rather than 0" (logit 0 is constant) is the
    # patches' mean drop of logit 3: 0.8 per block pixel under the patch
    masks = occlusion_masks(4, 2)
    drops = 0.8 * (masks & block).sum(axis=(1, 2))
    expected = (drops[:, None, None] * masks).sum(axis=0) / masks.sum(axis=0)
    three, zero = occlusion_maps_for(linear_model(weights), digit, [3, 0])
    np.testing.assert_allclose(three - zero, expected, rtol=1e-4, atol=1e-5)


@pytest.fixture(scope="module")
def test_digits(mnist_dir):
    images, labels = mnist.load_mnist("test", mnist_dir)
    return images[:200].astype(np.float32) / 255, labels[:200]


@pytest.mark.parametrize("name", ["cnn", "mlp"])
def test_maps_of_the_shipped_models_on_real_digits(name, test_digits):
    """On real test digits the evidence lies on the ink: gradient × input is 0 off the ink by its
    definition, and blanking patches of background alone never changes the answer (the map is 0 there)."""
    model = nn.load_model(shipped_dir() / f"{name}.npz")
    images, labels = test_digits
    for digit, label in zip(images[:5], labels[:5]):
        grad = gradient_times_input_for(model, digit, [int(label)])[0]
        assert grad.shape == (28, 28) and grad.dtype == np.float32
        assert np.all(grad[digit == 0] == 0) and np.abs(grad).max() > 0
        occ = occlusion_maps_for(model, digit, [int(label)])[0]
        far = np.ones((28, 28), bool)
        for mask in occlusion_masks():
            if (mask & (digit > 0)).any():
                far &= ~mask
        assert np.all(occ[far] == 0)
        assert occ[digit > 0.5].mean() > 0   # the ink holds the evidence for the true digit


def test_sweep_re_renders_the_strokes_at_every_width():
    model = nn.load_model(shipped_dir() / "cnn.npz")
    strokes = [np.array([[120.0, 60], [118, 200], [116, 290]])]   # a 1
    sweep = sweep_pen_widths(model, strokes, 336)
    assert list(sweep.widths) == list(WIDTHS) and sweep.modes == ("raw", "strokes")
    for mode in sweep.modes:
        assert sweep.inputs[mode].shape == (len(WIDTHS), 28, 28)
        assert sweep.probabilities[mode].shape == (len(WIDTHS), 10)
        np.testing.assert_allclose(sweep.probabilities[mode].sum(axis=1), 1, atol=1e-5)
        i = sweep.nearest(31)
        np.testing.assert_array_equal(sweep.inputs[mode][i], drawing_to_input(strokes, WIDTHS[i], 336, mode))
    # redrawn strokes do not depend on the pen; the raw pixels do
    assert np.ptp(sweep.inputs["strokes"], axis=0).max() == 0
    assert np.ptp(sweep.inputs["raw"], axis=0).max() > 0.5
    assert (sweep.probabilities["strokes"].argmax(axis=1) == 1).all()
    assert sweep_pen_widths(model, [], 336) is None
    with pytest.raises(ValueError, match="pipeline"):
        sweep_pen_widths(model, strokes, 336, modes=("pixels",))


def test_smoothed_maps_agree_with_occlusion_and_are_not_speckle(test_digits):
    """Issue 26, item 12: on real digits the smoothed maps of the shipped CNN rank the patches as occlusion
    does about twice as well as gradient × input, for the answer and for "a rather than b", and far fewer
    neighbouring ink pixels flip sign (figures for 100 digits in `digitpad.evaluation.explain`)."""
    model = nn.load_model(shipped_dir() / "cnn.npz")
    digits = test_digits[0][:30]
    plain = occlusion_agreement(model, digits, gradient_times_input_for)
    smooth = occlusion_agreement(model, digits, smooth_gradient_times_input_for)
    assert smooth["a"] >= plain["a"] + 0.15 and smooth["a-b"] >= plain["a-b"] + 0.08, (plain, smooth)
    assert smooth["flips"] <= plain["flips"] - 0.1, (plain, smooth)

