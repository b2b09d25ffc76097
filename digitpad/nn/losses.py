"""Losses.  Calling one returns ``(mean loss, dLoss/dprediction)``, averaged over the batch."""

from __future__ import annotations

import numpy as np

_PROB_EPS = 1e-7  # keeps log() finite on probabilities of exactly 0 or 1


def _one_hot(labels: np.ndarray, num_classes: int, dtype) -> np.ndarray:
    labels = np.asarray(labels)
    if labels.ndim == 2:  # already one-hot or soft targets
        return labels.astype(dtype, copy=False)
    if labels.size and (labels.min() < 0 or labels.max() >= num_classes):
        raise ValueError(f"labels must lie in [0, {num_classes - 1}], got values from {labels.min()} to {labels.max()}")
    out = np.zeros((labels.shape[0], num_classes), dtype=dtype)
    out[np.arange(labels.shape[0]), labels] = 1
    return out


class Loss:
    def __call__(self, prediction: np.ndarray, target: np.ndarray) -> tuple[float, np.ndarray]:
        return self.forward(prediction, target)

    def forward(self, prediction, target):  # pragma: no cover - abstract
        raise NotImplementedError


def log_softmax(logits: np.ndarray) -> np.ndarray:
    """log softmax(z) = z − max z − log Σ_k e^{z_k − max z}, row by row (log-sum-exp: finite for any
    finite logits)."""
    with np.errstate(over="ignore"):  # a gap beyond the float range only makes a probability 0
        shifted = logits - logits.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _picked(values: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """``values[n, labels[n]]`` for each row n: the entry of each sample's true class."""
    labels = np.asarray(labels)
    if labels.ndim != 1 or len(labels) != len(values):
        raise ValueError(f"per-sample losses need one integer label per row, got labels of shape {labels.shape}")
    return values[np.arange(len(labels)), labels]


class SoftmaxCrossEntropy(Loss):
    """Softmax and categorical cross-entropy fused, on logits z:

    L = −(1/N) Σ_n log softmax(z_n)_{y_n}, with log softmax(z) = z − max z − log Σ e^{z − max z}
    (log-sum-exp, finite for any finite logits, :func:`log_softmax`).  dL/dz = (ŷ − y) / N.
    Targets are integer labels (N,) or one-hot / soft rows (N, K).

    Per sample (:meth:`per_sample`), for integer labels: ℓ_n = log Σ_k e^{z_nk} − z_{n,y_n}.
    Weighted (:meth:`weighted`), each sample counting w_n: L = mean(w·ℓ) / mean(w), and
    dL/dz_n = (w_n / mean(w)) · (ŷ_n − y_n) / N.
    """

    def forward(self, logits, target):
        log_probs = log_softmax(logits)
        y = _one_hot(target, logits.shape[1], logits.dtype)
        n = logits.shape[0]
        with np.errstate(invalid="ignore"):  # 0 · (−inf) for classes with no target mass
            loss = -float(np.sum(np.where(y > 0, y * log_probs, 0))) / n
        grad = (np.exp(log_probs) - y) / n
        return loss, grad.astype(logits.dtype, copy=False)

    def per_sample(self, logits: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """ℓ_n = −log softmax(z_n)_{y_n} = log Σ_k e^{z_nk} − z_{n,y_n} for each sample (N,), integer
        labels; their mean is :meth:`forward`'s loss."""
        return -_picked(log_softmax(logits), labels)

    def weighted(self, logits: np.ndarray, labels: np.ndarray, weights: np.ndarray) -> tuple[float, np.ndarray]:
        """The loss and gradient with sample n counting ``weights[n]`` (e.g. a user's own digits counted
        five times as much as an MNIST digit): L = mean(w·ℓ) / mean(w), dL/dz_n = (w_n / mean(w)) ·
        (ŷ_n − y_n) / N.  Equal weights give :meth:`forward`'s gradient."""
        _, grad = self.forward(logits, labels)
        weights = np.asarray(weights)
        grad *= (weights / weights.mean())[:, None]
        return float(np.mean(weights * self.per_sample(logits, labels)) / weights.mean()), grad


class CrossEntropy(Loss):
    """Categorical cross-entropy on probabilities ŷ (after a Softmax layer): L = −(1/N) Σ y·log ŷ.

    dL/dŷ = −y / (N·ŷ).  Prefer :class:`SoftmaxCrossEntropy` on logits: it is exact and stable.
    Probabilities are clipped to [eps, 1] first, so that a probability of 0 costs −log eps, not ∞.
    Per sample (:meth:`per_sample`), for integer labels: ℓ_n = −log max(ŷ_{n,y_n}, eps).
    """

    def __init__(self, eps: float = _PROB_EPS):
        self.eps = eps

    def forward(self, probs, target):
        y = _one_hot(target, probs.shape[1], probs.dtype)
        p = np.clip(probs, self.eps, 1.0)
        n = probs.shape[0]
        return -float(np.sum(y * np.log(p))) / n, (-y / p / n).astype(probs.dtype, copy=False)

    def per_sample(self, probs: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """ℓ_n = −log max(ŷ_{n,y_n}, eps) for each sample (N,), integer labels."""
        return -np.log(np.clip(_picked(probs, labels), self.eps, 1.0))


class BinaryCrossEntropy(Loss):
    """L = −mean(y log x + (1 − y) log(1 − x)) on probabilities x;  dL/dx = (x − y) / (x(1 − x)) / size."""

    def forward(self, probs, target):
        y = np.asarray(target, dtype=probs.dtype).reshape(probs.shape)
        p = np.clip(probs, _PROB_EPS, 1.0 - _PROB_EPS)
        loss = -float(np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
        return loss, ((p - y) / (p * (1 - p)) / probs.size).astype(probs.dtype, copy=False)


class MSE(Loss):
    """Mean squared error over all elements, as ``torch.nn.MSELoss``: L = mean((o − t)²), dL/do = 2(o − t)/size.

    (The course's ½‖O* − O‖² is the same up to a constant factor.)
    """

    def forward(self, output, target):
        diff = output - np.asarray(target, dtype=output.dtype).reshape(output.shape)
        return float(np.mean(diff * diff)), 2 * diff / output.size


class L1(Loss):
    """Mean absolute error, as ``torch.nn.L1Loss``: L = mean|o − t|, dL/do = sign(o − t)/size."""

    def forward(self, output, target):
        diff = output - np.asarray(target, dtype=output.dtype).reshape(output.shape)
        return float(np.mean(np.abs(diff))), np.sign(diff) / output.size
