"""The course's worked examples learn with the engine."""

import numpy as np

from digitpad import nn


def test_xor_with_a_2_4_1_network():
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    y = np.array([[0], [1], [1], [0]], dtype=np.float32)
    model = nn.Sequential([nn.Dense(2, 4, rng=np.random.default_rng(1)), nn.Tanh(),
                           nn.Dense(4, 1, rng=np.random.default_rng(2)), nn.Sigmoid()], input_shape=(2,))
    loss, opt = nn.BinaryCrossEntropy(), nn.Adam(model.parameters(), lr=0.05)
    for _ in range(1500):
        _, grad = loss(model.forward(x), y)
        model.backward(grad)
        opt.step()
    out = model.forward(x)
    np.testing.assert_array_equal(out > 0.5, y > 0.5)
    assert np.abs(out - y).max() < 0.1


def test_admission_logistic_regression():
    """Admitted if a·m + b·p + c > 0; minimise Σ(c_i − σ(a m_i + b p_i + c))² as in the notes."""
    rng = np.random.default_rng(0)
    marks = rng.uniform(0, 20, size=(200, 2)).astype(np.float32)  # exam mark m, project mark p
    admitted = (0.6 * marks[:, 0] + 0.4 * marks[:, 1] > 11).astype(np.float32)[:, None]
    x = (marks - 10) / 5  # normalised inputs, as the notes advise
    model = nn.Sequential([nn.Dense(2, 1, init="zeros"), nn.Sigmoid()], input_shape=(2,))
    loss, opt = nn.MSE(), nn.SGD(model.parameters(), lr=5.0)
    for _ in range(2000):
        _, grad = loss(model.forward(x), admitted)
        model.backward(grad)
        opt.step()
    accuracy = np.mean((model.forward(x) > 0.5) == (admitted > 0.5))
    assert accuracy >= 0.97
    a, b = model.layers[0].params["W"][:, 0]
    assert a > b > 0  # the exam weighs more, as in the rule that made the data


def test_softmax_classifier_on_three_blobs():
    rng = np.random.default_rng(0)
    centres = np.array([[0, 3], [3, -2], [-3, -2]], dtype=np.float32)
    labels = rng.integers(0, 3, 600)
    x = centres[labels] + rng.standard_normal((600, 2)).astype(np.float32) * 0.8
    model = nn.Sequential([nn.Dense(2, 3)], input_shape=(2,))
    loss, opt = nn.SoftmaxCrossEntropy(), nn.Momentum(model.parameters(), lr=0.1)
    first = None
    for _ in range(200):
        value, grad = loss(model.forward(x), labels)
        first = value if first is None else first
        model.backward(grad)
        opt.step()
    assert value < first / 4
    assert np.mean(model.predict(x) == labels) > 0.97
