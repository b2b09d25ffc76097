"""Every layer, activation, loss and small network against central finite differences (float64)."""

import numpy as np
import pytest

from digitpad import nn
from digitpad.nn.gradcheck import numerical_gradient

RTOL, ATOL = 1e-5, 1e-7  # finite differences in float64 with eps = 1e-6 are good to ~1e-9


def assert_close(analytic, numeric, what=""):
    np.testing.assert_allclose(analytic, numeric, rtol=RTOL, atol=ATOL, err_msg=what)


def _reseed_dropout(layers):
    for layer in layers:
        if isinstance(layer, nn.Dropout):
            layer.rng = np.random.default_rng(123)  # the same mask on every forward pass


def check_module(module, x, rng):
    """Compare backward() with finite differences of f = Σ forward(x) · G for a random G."""
    module.astype(np.float64).train()
    layers = module.layers if isinstance(module, nn.Sequential) else [module]
    _reseed_dropout(layers)
    out = module.forward(x)
    upstream = rng.standard_normal(out.shape)

    def f():
        _reseed_dropout(layers)
        return float(np.sum(module.forward(x) * upstream))

    f()
    grad_x = module.backward(upstream)
    assert grad_x.shape == x.shape
    assert_close(grad_x, numerical_gradient(f, x), "input")
    for layer in layers:
        for name, value in layer.params.items():
            f()
            layer.backward(upstream) if layer is module else module.backward(upstream)
            analytic = layer.grads[name].copy()
            numeric = numerical_gradient(f, value)
            assert_close(analytic, numeric, f"{type(layer).__name__}.{name}")


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.mark.parametrize("make", [
    lambda: nn.Dense(5, 4),
    lambda: nn.Dense(5, 4, init="he_normal"),
    lambda: nn.Flatten(),
])
def test_dense_like_layers(make, rng):
    check_module(make(), rng.standard_normal((3, 5)), rng)


@pytest.mark.parametrize("kwargs", [
    dict(kernel_size=3), dict(kernel_size=3, padding=1), dict(kernel_size=2, stride=2),
    dict(kernel_size=3, stride=2, padding=1),
])
@pytest.mark.parametrize("channels", [2, 8])  # each kernel through the layer: test_nn_conv_kernels.py
def test_conv2d(kwargs, channels, rng):
    check_module(nn.Conv2D(channels, 3, **kwargs), rng.standard_normal((2, channels, 6, 5)), rng)


@pytest.mark.parametrize("kernel,stride", [(2, None), (3, None), (3, 2), (2, 1)])
def test_maxpool(kernel, stride, rng):
    check_module(nn.MaxPool2D(kernel, stride), rng.standard_normal((2, 3, 7, 6)), rng)


@pytest.mark.parametrize("shape", [(6, 4), (4, 3, 5, 5)])
def test_batchnorm_train_mode(shape, rng):
    layer = nn.BatchNorm(shape[1])
    layer.params["gamma"][...] = rng.uniform(0.5, 1.5, shape[1])
    layer.params["beta"][...] = rng.standard_normal(shape[1])
    check_module(layer, rng.standard_normal(shape) * 2 + 1, rng)


def test_batchnorm_eval_mode(rng):
    layer = nn.BatchNorm(3).astype(np.float64)
    layer.buffers["running_mean"][...] = [0.5, -1, 2]
    layer.buffers["running_var"][...] = [2, 0.5, 1]
    layer.eval()
    x = rng.standard_normal((4, 3))
    upstream = rng.standard_normal((4, 3))
    layer.forward(x)
    grad_x = layer.backward(upstream)
    numeric = numerical_gradient(lambda: float(np.sum(layer.forward(x) * upstream)), x)
    assert_close(grad_x, numeric)


def test_dropout_with_fixed_mask(rng):
    check_module(nn.Dropout(0.4), rng.standard_normal((4, 6)), rng)


@pytest.mark.parametrize("make", [
    nn.Sigmoid, nn.Tanh, nn.ReLU, lambda: nn.LeakyReLU(0.1), lambda: nn.ELU(1.3), nn.Softmax,
    lambda: nn.PReLU(), lambda: nn.Maxout(3),
])
def test_activations(make, rng):
    check_module(make(), rng.standard_normal((4, 6)), rng)


def test_prelu_per_channel(rng):
    check_module(nn.PReLU(num_parameters=3), rng.standard_normal((2, 3, 4, 4)), rng)


@pytest.mark.parametrize("loss, prediction, target", [
    (nn.SoftmaxCrossEntropy(), lambda r: r.standard_normal((5, 4)) * 3, lambda r: r.integers(0, 4, 5)),
    (nn.SoftmaxCrossEntropy(), lambda r: r.standard_normal((5, 4)), lambda r: r.dirichlet(np.ones(4), 5)),
    (nn.CrossEntropy(), lambda r: r.dirichlet(np.ones(4), 5), lambda r: r.integers(0, 4, 5)),
    (nn.BinaryCrossEntropy(), lambda r: r.uniform(0.05, 0.95, (5, 3)), lambda r: r.integers(0, 2, (5, 3))),
    (nn.MSE(), lambda r: r.standard_normal((5, 3)), lambda r: r.standard_normal((5, 3))),
    (nn.L1(), lambda r: r.standard_normal((5, 3)), lambda r: r.standard_normal((5, 3))),
])
def test_losses(loss, prediction, target, rng):
    p, t = prediction(rng), target(rng)
    _, grad = loss(p, t)
    numeric = numerical_gradient(lambda: loss(p, t)[0], p)
    assert_close(grad, numeric)


def test_softmax_cross_entropy_never_nan_on_huge_logits():
    logits = np.array([[1e4, -1e4, 0.0], [-3e38, 3e38, 0.0]], dtype=np.float32)
    value, grad = nn.SoftmaxCrossEntropy()(logits, np.array([1, 1]))
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert value == pytest.approx(2e4 / 2, rel=1e-6)  # first row: −log softmax = 2e4, second: 0
    np.testing.assert_allclose(grad[0], [0.5, -0.5, 0.0], atol=1e-7)


def test_per_sample_and_weighted_cross_entropy(rng):
    """The forms the trainer uses (weighted training loss, validation loss on probabilities) are the
    loss module's: per-sample terms whose mean is the loss, weights whose gradient is exact."""
    logits, y = rng.standard_normal((6, 4)) * 3, rng.integers(0, 4, 6)
    loss = nn.SoftmaxCrossEntropy()
    value, grad = loss(logits, y)
    per = loss.per_sample(logits, y)
    shifted = logits - logits.max(axis=1, keepdims=True)
    np.testing.assert_allclose(per, np.log(np.exp(shifted).sum(axis=1)) - shifted[np.arange(6), y])
    assert per.shape == (6,) and per.mean() == pytest.approx(value)
    same, same_grad = loss.weighted(logits, y, np.full(6, 2.0))
    assert same == pytest.approx(value) and np.allclose(same_grad, grad)
    w = np.array([1, 1, 1, 1, 5, 5.0])
    weighted, weighted_grad = loss.weighted(logits, y, w)
    assert weighted == pytest.approx(np.sum(w * per) / np.sum(w))
    assert_close(weighted_grad, numerical_gradient(lambda: loss.weighted(logits, y, w)[0], logits))
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(nn.CrossEntropy(eps=1e-12).per_sample(probs, y), per, rtol=1e-9)
    assert nn.CrossEntropy(eps=1e-12).per_sample(np.eye(4)[[1]], [0]) == pytest.approx([-np.log(1e-12)])


@pytest.mark.parametrize("penalty", [nn.L1Penalty(0.3), nn.L2Penalty(0.7)])
def test_penalties(penalty, rng):
    layer = nn.Dense(3, 2).astype(np.float64)
    params = layer.parameters()
    for p in params:
        p.grad.fill(0)
    penalty.add_grad(params)
    w = layer.params["W"]
    numeric = numerical_gradient(lambda: penalty.loss(params), w)
    assert_close(layer.grads["W"], numeric)
    assert np.all(layer.grads["b"] == 0)  # biases are excluded by default


def test_whole_cnn_with_batchnorm_pool_dropout(rng):
    model = nn.Sequential([
        nn.Conv2D(1, 3, 3, padding=1), nn.BatchNorm(3), nn.ReLU(), nn.MaxPool2D(2),
        nn.Conv2D(3, 2, 2), nn.ELU(), nn.Flatten(), nn.Dropout(0.3), nn.Dense(2 * 2 * 2, 4),
        nn.BatchNorm(4), nn.Tanh(), nn.Dense(4, 3),
    ], input_shape=(1, 6, 6))
    check_module(model, rng.standard_normal((4, 1, 6, 6)), rng)


def test_whole_network_through_the_loss(rng):
    model = nn.Sequential([nn.Dense(4, 6), nn.PReLU(), nn.Dense(6, 3)], input_shape=(4,)).astype(np.float64)
    x, y = rng.standard_normal((5, 4)), rng.integers(0, 3, 5)
    loss = nn.SoftmaxCrossEntropy()
    _, g = loss(model.forward(x), y)
    model.backward(g)
    for layer in model.layers:
        for name, value in layer.params.items():
            numeric = numerical_gradient(lambda: loss(model.forward(x), y)[0], value)
            assert_close(layer.grads[name], numeric, name)


def test_first_layer_skips_its_input_gradient(rng):
    """needs_input_grad = False: the same parameter gradients, and no dx for the images."""
    def model():
        return nn.Sequential([nn.Flatten(), nn.Dense(12, 5), nn.ReLU(), nn.Dense(5, 3)], input_shape=(3, 2, 2))

    x, upstream = rng.standard_normal((4, 3, 2, 2)), rng.standard_normal((4, 3))
    full, lean = model().astype(np.float64), model().astype(np.float64)
    lean.load_state(full.state())
    lean.needs_input_grad = False
    full.forward(x), lean.forward(x)
    assert full.backward(upstream).shape == x.shape
    assert lean.backward(upstream) is None
    for a, b in zip(full.parameters(), lean.parameters()):
        np.testing.assert_array_equal(a.grad, b.grad)
    lean.needs_input_grad = True
    lean.forward(x)
    np.testing.assert_array_equal(lean.backward(upstream), full.backward(upstream))


def _logit_model():
    return nn.Sequential([
        nn.Conv2D(1, 3, 3, padding=1), nn.BatchNorm(3), nn.ReLU(), nn.MaxPool2D(2), nn.Flatten(),
        nn.Dropout(0.4), nn.Dense(3 * 3 * 3, 4), nn.LeakyReLU(), nn.Dense(4, 3),
    ], input_shape=(1, 6, 6)).astype(np.float64)


def _trained_statistics(model, rng):
    model.train()
    for _ in range(3):   # running statistics away from their initial 0 / 1
        model.forward(rng.standard_normal((8, 1, 6, 6)) * 2 + 0.5)


@pytest.mark.parametrize("softmax_head", [False, True])
def test_input_gradient_of_a_class_logit(softmax_head, rng):
    """input_gradient(x, c) = ∂logit_c/∂x in eval mode (dropout off, running statistics), checked
    against finite differences of the logits; a Softmax head is skipped (the logits are its input)."""
    model = _logit_model()
    _trained_statistics(model, rng)
    if softmax_head:
        model = nn.Sequential([*model.layers, nn.Softmax()], input_shape=(1, 6, 6))
    x = rng.standard_normal((2, 1, 6, 6))
    target = np.array([2, 0])
    logits_of = nn.Sequential(model.layers[:-1] if softmax_head else model.layers, input_shape=(1, 6, 6))

    def f():
        logits_of.eval()
        return float(logits_of.forward(x)[np.arange(2), target].sum())

    model.train()
    analytic = model.input_gradient(x, target)
    assert model.training  # the mode is restored
    assert_close(analytic, numerical_gradient(f, x))
    weights = np.array([[1.0, -1.0, 0.0], [0.0, 0.5, 2.0]])   # a weighted sum: what separates classes
    np.testing.assert_allclose(model.input_gradient(x, weights),
                               model.input_gradient(x, 0) * weights[:, 0, None, None, None]
                               + model.input_gradient(x, 1) * weights[:, 1, None, None, None]
                               + model.input_gradient(x, 2) * weights[:, 2, None, None, None], rtol=1e-10)
    single = model.input_gradient(x[1], 0)
    assert single.shape == (1, 6, 6)
    with pytest.raises(ValueError, match="target class"):
        model.input_gradient(x, 3)


def test_layer_outputs_are_the_eval_forward(rng):
    model = _logit_model()
    _trained_statistics(model, rng)
    x = rng.standard_normal((2, 1, 6, 6))
    outputs = model.layer_outputs(x)
    assert [o.shape[1:] for o in outputs] == model.output_shapes()
    model.eval()
    np.testing.assert_allclose(outputs[-1], model.forward(x), rtol=1e-12)
