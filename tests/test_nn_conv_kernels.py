"""The convolution kernels (`digitpad.nn.conv_kernels`): the im2col reference against the formula
and finite differences, each fast kernel against the reference (forward, dW, db, dx; strides,
padding, channels, odd sizes), their buffers kept from batch to batch, the choice between them, and
the layer's gradients through each of them."""

import numpy as np
import pytest

from digitpad import nn
from digitpad.nn import conv_kernels
from digitpad.nn.conv_kernels import Patches, ShiftedRows
from digitpad.nn.gradcheck import numerical_gradient

KERNELS = [Patches, ShiftedRows]

# (N, C, H, W, out, k, stride, padding)
CASES = [
    (2, 3, 7, 7, 4, 3, 1, 0),
    (2, 3, 7, 7, 4, 3, 1, 1),
    (3, 8, 7, 6, 5, 3, 2, 1),     # a stride, odd and unequal sides
    (2, 1, 9, 5, 2, 2, 2, 0),     # an even kernel, stride = k
    (1, 5, 6, 8, 3, 5, 1, 2),     # 5×5, padding 2
    (2, 4, 5, 5, 3, 1, 1, 0),     # 1×1
    (2, 2, 8, 7, 3, 3, 3, 1),     # stride 3, a ragged border dropped
    (1, 16, 4, 4, 8, 4, 1, 0),    # the kernel covers the image: one position
]
IDS = ["x".join(map(str, case)) for case in CASES]


def _arrays(case, rng, dtype=np.float64):
    n, c, h, w, o, k, s, p = case
    x = rng.standard_normal((n, c, h, w)).astype(dtype)
    weights = rng.standard_normal((o, c, k, k)).astype(dtype)
    bias = rng.standard_normal(o).astype(dtype)
    ho, wo = (conv_kernels.output_size(size, k, s, p) for size in (h, w))
    grad = rng.standard_normal((n, o, ho, wo)).astype(dtype)
    return x, weights, bias, grad


def _channels_last(a):
    return np.ascontiguousarray(a.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)


@pytest.fixture
def force(monkeypatch):
    """force(kind): every layer takes that kernel, whatever `conv_kernels.choose` would pick."""
    def force(kind):
        monkeypatch.setattr(conv_kernels, "choose", lambda *args, **kwargs: kind)
    return force


# --- the reference -----------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_reference_is_the_formula(case):
    """out[n, o, y, x] = b[o] + Σ_c Σ_ij W[o, c, i, j] · xp[n, c, s·y + i, s·x + j], summed in loops."""
    x, weights, bias, _ = _arrays(case, np.random.default_rng(0))
    *_, k, s, p = case
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)))
    ho, wo = (conv_kernels.output_size(size, k, s, p) for size in x.shape[2:])
    expected = np.empty((len(x), len(weights), ho, wo))
    for y in range(ho):
        for x_ in range(wo):
            window = xp[:, :, s * y:s * y + k, s * x_:s * x_ + k]
            expected[:, :, y, x_] = np.einsum("ncij,ocij->no", window, weights) + bias
    np.testing.assert_allclose(conv_kernels.conv2d(x, weights, bias, s, p), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("case", CASES[:4] + CASES[6:7], ids=IDS[:4] + IDS[6:7])
def test_reference_backward_is_the_derivative_of_its_forward(case):
    rng = np.random.default_rng(1)
    x, weights, bias, grad = _arrays(case, rng)
    *_, s, p = case

    def f():
        return float(np.sum(conv_kernels.conv2d(x, weights, bias, s, p) * grad))

    dx, dw, db = conv_kernels.conv2d_backward(x, weights, grad, s, p)
    for analytic, value in ((dx, x), (dw, weights), (db, bias)):
        np.testing.assert_allclose(analytic, numerical_gradient(f, value), rtol=1e-6, atol=1e-8)
    no_dx, dw2, db2 = conv_kernels.conv2d_backward(x, weights, grad, s, p, input_grad=False)
    assert no_dx is None
    np.testing.assert_array_equal(dw2, dw)
    np.testing.assert_array_equal(db2, db)


def test_col2im_is_the_adjoint_of_im2col():
    """⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩: what makes dx = col2im(δ·W) the gradient."""
    rng = np.random.default_rng(2)
    for shape, k, s in (((2, 3, 7, 6), 3, 1), ((1, 2, 9, 9), 3, 2), ((2, 1, 5, 4), 2, 2)):
        x = rng.standard_normal(shape)
        cols = conv_kernels.im2col(x, k, s)
        c = rng.standard_normal(cols.shape)
        assert np.vdot(cols, c) == pytest.approx(np.vdot(x, conv_kernels.col2im(c, shape, k, s)), rel=1e-12)


# --- each fast kernel against the reference ----------------------------------------------------------

@pytest.mark.parametrize("kind", KERNELS)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_kernel_matches_the_reference(kind, case):
    x, weights, bias, grad = _arrays(case, np.random.default_rng(3))
    *_, s, p = case
    kernel = kind(s, p)
    np.testing.assert_allclose(kernel.forward(x, weights, bias), conv_kernels.conv2d(x, weights, bias, s, p),
                               rtol=1e-12, atol=1e-12)
    dx, dw = kernel.backward(grad, weights)
    ref_dx, ref_dw, _ = conv_kernels.conv2d_backward(x, weights, grad, s, p)
    assert dx.shape == x.shape and dw.shape == weights.shape
    np.testing.assert_allclose(dx, ref_dx, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dw, ref_dw, rtol=1e-12, atol=1e-12)
    no_dx, dw_only = kernel.backward(grad, weights, input_grad=False)
    assert no_dx is None
    np.testing.assert_allclose(dw_only, ref_dw, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kind", KERNELS)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_kernel_in_float32_matches_the_reference(kind, case):
    x, weights, bias, grad = _arrays(case, np.random.default_rng(4), np.float32)
    *_, s, p = case
    kernel = kind(s, p)
    out = kernel.forward(x, weights, bias)
    dx, dw = kernel.backward(grad, weights)
    assert out.dtype == dx.dtype == dw.dtype == np.float32
    x64, w64 = x.astype(np.float64), weights.astype(np.float64)
    ref_dx, ref_dw, _ = conv_kernels.conv2d_backward(x64, w64, grad.astype(np.float64), s, p)
    np.testing.assert_allclose(out, conv_kernels.conv2d(x64, w64, bias.astype(np.float64), s, p), rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(dx, ref_dx, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(dw, ref_dw, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("kind", KERNELS)
@pytest.mark.parametrize("stride", [1, 2])
def test_kernel_same_result_for_either_memory_order(kind, stride):
    """NCHW memory or the NCHW view of channels-last memory (what the layers pass on): the same numbers."""
    rng = np.random.default_rng(2)
    x = rng.standard_normal((3, 8, 7, 6)).astype(np.float32)
    weights = rng.standard_normal((4, 8, 3, 3)).astype(np.float32)
    bias = rng.standard_normal(4).astype(np.float32)
    a, b = kind(stride, 1), kind(stride, 1)
    ya, yb = a.forward(x, weights, bias), b.forward(_channels_last(x), weights, bias)
    np.testing.assert_array_equal(ya, yb)
    assert ya.transpose(0, 2, 3, 1).flags.c_contiguous  # the output is channels-last memory
    g = rng.standard_normal(ya.shape).astype(np.float32)
    (dxa, dwa), (dxb, dwb) = a.backward(g, weights), b.backward(_channels_last(g), weights)
    np.testing.assert_allclose(dxa, dxb, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(dwa, dwb, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_shifted_rows_in_several_blocks(case, monkeypatch):
    monkeypatch.setattr(ShiftedRows, "BLOCK_ROWS", 7)  # many blocks, the last one ragged
    x, weights, bias, grad = _arrays(case, np.random.default_rng(5))
    *_, s, p = case
    kernel = ShiftedRows(s, p)
    np.testing.assert_allclose(kernel.forward(x, weights, bias), conv_kernels.conv2d(x, weights, bias, s, p),
                               rtol=1e-12, atol=1e-12)
    dx, dw = kernel.backward(grad, weights)
    ref_dx, ref_dw, _ = conv_kernels.conv2d_backward(x, weights, grad, s, p)
    np.testing.assert_allclose(dx, ref_dx, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(dw, ref_dw, rtol=1e-12, atol=1e-12)


# --- buffers kept from batch to batch ----------------------------------------------------------------

@pytest.mark.parametrize("kind", KERNELS)
def test_kernel_reuses_its_buffers_safely(kind):
    """A second batch of the same shape reuses the buffers (their zero border included), and backward
    sees that batch; a change of batch size, side or kernel size remakes them."""
    rng = np.random.default_rng(0)
    kernel = kind(1, 1)
    weights = rng.standard_normal((4, 8, 3, 3)).astype(np.float32)
    bias = rng.standard_normal(4).astype(np.float32)
    for n, size, k in ((3, 6, 3), (3, 6, 3), (1, 6, 3), (3, 6, 3), (1, 5, 3), (1, 5, 2), (1, 5, 3)):
        w = weights if k == 3 else weights[:, :, :2, :2].copy()
        x = rng.standard_normal((n, 8, size, size)).astype(np.float32) + 5  # nothing but the border is zero
        out = kernel.forward(x, w, bias)
        g = rng.standard_normal(out.shape).astype(np.float32)
        dx, dw = kernel.backward(g, w)
        fresh = kind(1, 1)
        np.testing.assert_array_equal(out, fresh.forward(x, w, bias))
        fresh_dx, fresh_dw = fresh.backward(g, w)
        np.testing.assert_array_equal(dx, fresh_dx)
        np.testing.assert_array_equal(dw, fresh_dw)
        ref_dx, ref_dw, _ = conv_kernels.conv2d_backward(x, w, g, 1, 1)
        np.testing.assert_allclose(dw, ref_dw, rtol=1e-4, atol=1e-3)


def test_layer_follows_batch_shape_and_kernel_changes(monkeypatch):
    """A layer keeps each kernel it used, with its buffers; a change of batch shape, or a batch that
    takes the other kernel, must not leave either pointing at old memory."""
    rng = np.random.default_rng(1)
    layer = nn.Conv2D(8, 4, 3, padding=1, rng=np.random.default_rng(5))
    choose = conv_kernels.choose
    for n, size, kind in ((1, 6, None), (3, 6, None), (1, 6, None), (1, 6, ShiftedRows), (1, 6, None),
                          (1, 5, None), (1, 5, ShiftedRows), (2, 6, ShiftedRows), (2, 6, None)):
        monkeypatch.setattr(conv_kernels, "choose", choose if kind is None else lambda *args, kind=kind: kind)
        x = rng.standard_normal((n, 8, size, size)).astype(np.float32)
        g = rng.standard_normal((n, 4, size, size)).astype(np.float32)
        fresh = nn.Conv2D(8, 4, 3, padding=1, rng=np.random.default_rng(5))
        np.testing.assert_allclose(layer.forward(x), fresh.forward(x), rtol=1e-5, atol=1e-5)
        assert isinstance(layer.kernel, kind or Patches)  # these small batches take patches by themselves
        np.testing.assert_allclose(layer.backward(g), fresh.backward(g), rtol=1e-5, atol=1e-5)
        np.testing.assert_allclose(layer.grads["W"], fresh.grads["W"], rtol=1e-4, atol=1e-4)


def test_a_replica_has_kernels_of_its_own():
    """Data-parallel shards run replicas in threads at once: they share weights, never buffers."""
    rng = np.random.default_rng(2)
    layer = nn.Conv2D(2, 3, 3, padding=1)
    twin = layer.replica()
    assert twin.workspace is not layer.workspace
    x1, x2 = (rng.standard_normal((2, 2, 5, 5)).astype(np.float32) for _ in range(2))
    y1 = layer.forward(x1).copy()
    twin.forward(x2)
    g = rng.standard_normal(y1.shape).astype(np.float32)
    layer.backward(g)
    _, ref_dw, ref_db = conv_kernels.conv2d_backward(x1, layer.params["W"], g, 1, 1)
    np.testing.assert_allclose(layer.grads["W"], ref_dw, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(layer.grads["b"], ref_db, rtol=1e-5, atol=1e-5)


# --- the choice --------------------------------------------------------------------------------------

@pytest.mark.parametrize("padding, stride, size, kind", [
    (0, 1, 13, Patches),      # 13² rows for 11² outputs: 40 % discarded
    (1, 1, 14, ShiftedRows),  # 16² rows for 14² outputs: 31 %
    (1, 2, 14, Patches),      # a stride keeps a quarter of the rows
])
def test_patches_when_shifted_rows_would_mostly_be_discarded(padding, stride, size, kind):
    shape = (256, 32, size, size)  # a patch matrix over PATCH_LIMIT values
    assert conv_kernels.choose(shape, (8, 32, 3, 3), stride, padding) is kind
    layer = nn.Conv2D(32, 8, 3, stride=stride, padding=padding)
    layer.forward(np.zeros(shape, np.float32))
    assert type(layer.kernel) is kind


def test_patches_for_few_channels_or_few_images():
    assert conv_kernels.choose((128, 1, 28, 28), (32, 1, 3, 3), 1, 1) is Patches     # C·k² = 9: a first layer
    assert conv_kernels.choose((128, 7, 28, 28), (32, 7, 3, 3), 1, 1) is Patches     # C·k² = 63
    assert conv_kernels.choose((128, 8, 28, 28), (32, 8, 3, 3), 1, 1) is ShiftedRows
    assert conv_kernels.choose((1, 32, 14, 14), (64, 32, 3, 3), 1, 1) is Patches     # one image: inference
    assert conv_kernels.choose((128, 32, 14, 14), (64, 32, 3, 3), 1, 1) is ShiftedRows  # training


# --- the layer through each kernel ---------------------------------------------------------------------

@pytest.mark.parametrize("kind", KERNELS)
@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_layer_gradients_are_the_reference(kind, case, force):
    """Conv2D's forward and backward (dW and dx from the kernel, db = Σ δ its own) against the reference."""
    force(kind)
    n, c, h, w, o, k, s, p = case
    layer = nn.Conv2D(c, o, k, stride=s, padding=p).astype(np.float64)
    x, _, _, grad = _arrays(case, np.random.default_rng(6))
    layer.params["b"][...] = np.arange(o)
    out = layer.forward(_channels_last(x))
    np.testing.assert_allclose(out, conv_kernels.conv2d(x, layer.params["W"], layer.params["b"], s, p), rtol=1e-12)
    dx = layer.backward(grad)
    ref_dx, ref_dw, ref_db = conv_kernels.conv2d_backward(x, layer.params["W"], grad, s, p)
    assert isinstance(layer.kernel, kind)
    np.testing.assert_allclose(dx, ref_dx, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.grads["W"], ref_dw, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(layer.grads["b"], ref_db, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("kind", KERNELS)
@pytest.mark.parametrize("kwargs", [
    dict(kernel_size=3), dict(kernel_size=3, padding=1), dict(kernel_size=2, stride=2),
    dict(kernel_size=3, stride=2, padding=1),
])
def test_layer_against_finite_differences(kind, kwargs, force, monkeypatch):
    """Through the layer (float64), with each kernel, shifted rows in many blocks, the last one ragged."""
    force(kind)
    monkeypatch.setattr(ShiftedRows, "BLOCK_ROWS", 7)
    rng = np.random.default_rng(0)
    layer = nn.Conv2D(8, 3, **kwargs).astype(np.float64)
    x = rng.standard_normal((2, 8, 6, 5))
    upstream = rng.standard_normal(layer.forward(x).shape)

    def f():
        return float(np.sum(layer.forward(x) * upstream))

    f()
    dx = layer.backward(upstream)
    assert isinstance(layer.kernel, kind)
    np.testing.assert_allclose(dx, numerical_gradient(f, x), rtol=1e-5, atol=1e-7)
    for name, value in layer.params.items():
        f()
        layer.backward(upstream)
        np.testing.assert_allclose(layer.grads[name], numerical_gradient(f, value), rtol=1e-5, atol=1e-7, err_msg=name)


@pytest.mark.parametrize("kind", KERNELS)
@pytest.mark.parametrize("channels", [1, 8])
def test_first_conv_layer_skips_its_input_gradient(kind, channels, force):
    force(kind)
    rng = np.random.default_rng(0)
    model = nn.Sequential([nn.Conv2D(channels, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Dense(2 * 5 * 5, 3)],
                          input_shape=(channels, 5, 5)).astype(np.float64)
    model.needs_input_grad = False
    x, upstream = rng.standard_normal((2, channels, 5, 5)), rng.standard_normal((2, 3))
    model.forward(x)
    assert model.backward(upstream) is None
    conv = model.layers[0]
    assert isinstance(conv.kernel, kind)
    for name, value in conv.params.items():
        model.forward(x)
        model.backward(upstream)
        numeric = numerical_gradient(lambda: float(np.sum(model.forward(x) * upstream)), value)
        np.testing.assert_allclose(conv.grads[name], numeric, rtol=1e-5, atol=1e-7, err_msg=name)
