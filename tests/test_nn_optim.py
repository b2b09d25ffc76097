"""Optimisers against hand-computed steps, and learning-rate schedules."""

import math

import numpy as np
import pytest

from digitpad import nn


def one_param(value, grad, decay=True):
    return nn.Param("w", np.array(value, dtype=np.float64), np.array(grad, dtype=np.float64), decay)


def test_sgd_step():
    p = one_param([1.0, -2.0], [0.5, 0.25])
    nn.SGD([p], lr=0.1).step()
    np.testing.assert_allclose(p.value, [0.95, -2.025])


def test_sgd_coupled_weight_decay_skips_non_decay_params():
    w, b = one_param([1.0], [0.0]), one_param([1.0], [0.0], decay=False)
    nn.SGD([w, b], lr=0.1, weight_decay=0.5).step()
    assert w.value[0] == pytest.approx(1 - 0.1 * 0.5)
    assert b.value[0] == 1.0


def test_momentum_two_steps():
    p = one_param([1.0], [1.0])
    opt = nn.Momentum([p], lr=0.1, momentum=0.9)
    opt.step()  # v = 1, w = 0.9
    opt.step()  # v = 0.9 + 1 = 1.9, w = 0.9 - 0.19 = 0.71
    assert p.value[0] == pytest.approx(0.71)


def test_nesterov_step():
    p = one_param([1.0], [1.0])
    opt = nn.Momentum([p], lr=0.1, momentum=0.9, nesterov=True)
    opt.step()  # v = 1, w = 1 - 0.1 (1 + 0.9) = 0.81
    opt.step()  # v = 1.9, w = 0.81 - 0.1 (1 + 1.71) = 0.539
    assert p.value[0] == pytest.approx(0.539)


def test_adagrad_steps_shrink_with_large_gradients():
    p = one_param([0.0], [2.0])
    opt = nn.Adagrad([p], lr=1.0, eps=0.0)
    opt.step()  # G = 4, step = 2/2 = 1
    assert p.value[0] == pytest.approx(-1.0)
    opt.step()  # G = 8, step = 2/sqrt(8)
    assert p.value[0] == pytest.approx(-1.0 - 2 / math.sqrt(8))


def test_rmsprop_step():
    p = one_param([0.0], [2.0])
    opt = nn.RMSprop([p], lr=0.01, rho=0.9, eps=0.0)
    opt.step()  # E = 0.1·4 = 0.4
    assert p.value[0] == pytest.approx(-0.01 * 2 / math.sqrt(0.4))


def test_adam_bias_correction_makes_first_step_lr_sized():
    p = one_param([0.0, 0.0], [3.0, -1e-3])
    nn.Adam([p], lr=0.01, eps=1e-12).step()
    # m̂ = g, v̂ = g², so the first step is lr · sign(g) whatever the gradient's size
    np.testing.assert_allclose(p.value, [-0.01, 0.01], rtol=1e-6)


def test_adam_second_step_hand_computed():
    p = one_param([0.0], [1.0])
    opt = nn.Adam([p], lr=0.1, betas=(0.9, 0.999), eps=1e-8)
    opt.step()
    p.grad[...] = 2.0
    opt.step()
    m = 0.9 * 0.1 + 0.1 * 2.0
    v = 0.999 * 0.001 + 0.001 * 4.0
    m_hat, v_hat = m / (1 - 0.9 ** 2), v / (1 - 0.999 ** 2)
    assert p.value[0] == pytest.approx(-0.1 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8), rel=1e-6)


def test_adamw_decouples_weight_decay():
    p = one_param([2.0], [0.0])
    nn.AdamW([p], lr=0.1, weight_decay=0.5).step()
    # zero gradient: Adam moves nothing, decay shrinks by lr·λ
    assert p.value[0] == pytest.approx(2.0 * (1 - 0.05))


@pytest.mark.parametrize("optimizer", [nn.SGD, nn.Momentum, nn.Adam])
def test_coupled_weight_decay_is_the_l2_penalty_added_by_hand(optimizer):
    """The product's decay (the optimisers' ``weight_decay``) is the course's L2 penalty λ/2·ΣW²:
    the same step as the penalty's gradient added after backward, on weights only."""
    decayed = [one_param([1.0, -2.0], [0.5, 0.25]), one_param([3.0], [0.1], decay=False)]
    by_hand = [one_param([1.0, -2.0], [0.5, 0.25]), one_param([3.0], [0.1], decay=False)]
    first, second = optimizer(decayed, lr=0.1, weight_decay=0.3), optimizer(by_hand, lr=0.1)
    for _ in range(3):
        first.step()
        nn.L2Penalty(0.3).add_grad(by_hand)
        second.step()
        for p, value in zip(by_hand, ([0.5, 0.25], [0.1])):
            p.grad[...] = value   # the next batch's gradient, written afresh as backward does
        for p, value in zip(decayed, ([0.5, 0.25], [0.1])):
            p.grad[...] = value
    for p, q in zip(decayed, by_hand):
        np.testing.assert_allclose(p.value, q.value, rtol=1e-12)


def test_optimizer_state_is_per_parameter():
    a, b = one_param([1.0], [1.0]), one_param([1.0], [2.0])
    opt = nn.Adam([a, b], lr=0.1)
    opt.step()
    assert set(opt.state) == {a, b}
    assert opt.state[a]["m"][0] != opt.state[b]["m"][0]


def test_backward_overwrites_every_gradient_so_there_is_nothing_to_zero():
    """Optimisers have no ``zero_grad``: each backward writes every parameter's gradient afresh, so
    stale values left by the previous batch never reach a step (every layer with parameters)."""
    rng = np.random.default_rng(3)
    model = nn.Sequential([nn.Conv2D(2, 3, 3, padding=1, rng=rng), nn.BatchNorm(3), nn.PReLU(3),
                           nn.MaxPool2D(2), nn.Flatten(), nn.Dense(3 * 3 * 3, 5, rng=rng), nn.PReLU(),
                           nn.Dense(5, 4, rng=rng)], input_shape=(2, 6, 6)).astype(np.float64)
    model.needs_input_grad = False   # as training runs it: the first layer skips only its dx
    x, y = rng.normal(size=(7, 2, 6, 6)), rng.integers(0, 4, 7)
    opt = nn.SGD(model.parameters(), lr=0.1)

    def gradients():
        model.train()
        model.backward(nn.SoftmaxCrossEntropy()(model.forward(x), y)[1])
        return [p.grad.copy() for p in opt.params]

    clean = gradients()
    for p in opt.params:
        p.grad.fill(1e6)   # what a previous batch might have left
    for got, expected in zip(gradients(), clean, strict=True):
        np.testing.assert_array_equal(got, expected)


def test_optimizer_updates_layer_arrays_in_place():
    layer = nn.Dense(2, 1)
    before = layer.params["W"].copy()
    layer.grads["W"][...] = 1.0
    nn.SGD(layer.parameters(), lr=0.5).step()
    np.testing.assert_allclose(layer.params["W"], before - 0.5)


def test_bad_learning_rate_is_refused():
    with pytest.raises(ValueError, match="learning rate"):
        nn.SGD([one_param([0.0], [0.0])], lr=-1)


def test_step_schedule_with_warmup():
    opt = nn.SGD([one_param([0.0], [0.0])], lr=1.0)
    sched = nn.StepLR(opt, step_size=10, gamma=0.5, warmup_steps=4)
    assert opt.lr == pytest.approx(0.25)
    lrs = [sched.step() for _ in range(30)]
    assert lrs[:3] == pytest.approx([0.5, 0.75, 1.0])
    assert lrs[3 + 9] == pytest.approx(1.0) and lrs[3 + 10] == pytest.approx(0.5)
    assert lrs[3 + 20] == pytest.approx(0.25)


def test_one_cycle_rises_then_anneals_to_its_floor():
    opt = nn.SGD([one_param([0.0], [0.0])], lr=1.0)
    sched = nn.OneCycleLR(opt, total_steps=100, warmup_fraction=0.25, start_div=25, end_div=1e4)
    assert opt.lr == pytest.approx(1 / 25)                      # step 0: base / 25
    lrs = [opt.lr] + [sched.step() for _ in range(99)]          # the rate of steps 0..99
    peak = int(np.argmax(lrs))
    assert peak == 25 and lrs[peak] == pytest.approx(1.0)
    assert all(a < b for a, b in zip(lrs[:25], lrs[1:26]))      # a straight rise...
    assert np.allclose(np.diff(lrs[:26]), (1 - 1 / 25) / 25)
    assert all(a > b for a, b in zip(lrs[25:], lrs[26:]))       # ...then a cosine fall
    assert lrs[-1] == pytest.approx(1e-4)                        # the last step ends on base / end_div
    midway = 25 + (99 - 25) / 2
    assert sched.lr_at(int(midway)) == pytest.approx(1e-4 + (1 - 1e-4) * 0.5 * (1 + np.cos(np.pi * 0.5)), rel=0.05)


def test_head_init_starts_the_softmax_near_uniform():
    """A named architecture's logits layer is Glorot × 0.1: the first loss is ln 10 on real-looking inputs, where a
    Glorot head on the He-initialised convnet starts near 3.9."""
    from digitpad.training import architectures

    rng = np.random.default_rng(0)
    x = rng.random((256, 1, 28, 28), dtype=np.float32) * (rng.random((256, 1, 28, 28)) < 0.2)
    y = rng.integers(0, 10, 256)
    model = architectures.build("convnet", seed=0)
    assert model.layers[-1].init == "head_uniform"
    first, _ = nn.SoftmaxCrossEntropy()(model.forward(x), y)
    assert abs(first - np.log(10)) < 0.05
    model.layers[-1].params["W"] /= nn.init.HEAD_GAIN           # what a Glorot head would be
    glorot, _ = nn.SoftmaxCrossEntropy()(model.forward(x), y)
    assert glorot > first + 0.3
    w = nn.init.head_uniform((100, 10), 100, 10, np.random.default_rng(0))
    assert np.abs(w).max() <= 0.1 * np.sqrt(6 / 110) and w.dtype == np.float32
    assert "glorot_uniform" in nn.init.INITIALIZERS             # the course's initialisation stays available


def test_cosine_schedule_endpoints():
    opt = nn.SGD([one_param([0.0], [0.0])], lr=1.0)
    sched = nn.CosineLR(opt, total_steps=100, min_lr=0.1)
    assert opt.lr == pytest.approx(1.0)
    lrs = [sched.step() for _ in range(120)]
    assert lrs[49] == pytest.approx(0.1 + 0.9 * 0.5)
    assert lrs[99] == pytest.approx(0.1) and lrs[-1] == pytest.approx(0.1)
    assert all(a >= b for a, b in zip(lrs, lrs[1:]))
