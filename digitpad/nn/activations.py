"""Activation layers of the course, each with its derivative beside it."""

from __future__ import annotations

import numpy as np

from digitpad.nn.module import Module


class Sigmoid(Module):
    """σ(x) = 1 / (1 + e^-x);  σ'(x) = σ(x)(1 − σ(x))."""

    def forward(self, x):
        # tanh form: numerically stable for large |x|, no overflow warning
        self.out = 0.5 * (np.tanh(0.5 * x) + 1.0)
        return self.out

    def backward(self, grad_out):
        return grad_out * self.out * (1.0 - self.out)


class Tanh(Module):
    """tanh(x);  tanh'(x) = 1 − tanh²(x)."""

    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, grad_out):
        return grad_out * (1.0 - self.out * self.out)


class ReLU(Module):
    """max(0, x);  derivative 1 for x > 0, else 0."""

    def forward(self, x):
        self.out = np.maximum(x, 0)
        return self.out

    def backward(self, grad_out):
        return grad_out * (self.out > 0)


class LeakyReLU(Module):
    """max(αx, x) for 0 < α < 1 (α = 0.01 by default; the notes also use 0.1)."""

    def __init__(self, alpha: float = 0.01):
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x):
        self.positive = x > 0
        return np.where(self.positive, x, self.alpha * x)

    def backward(self, grad_out):
        return np.where(self.positive, grad_out, self.alpha * grad_out)

    def config(self):
        return {"alpha": self.alpha}


class PReLU(Module):
    """Leaky ReLU whose slope a is learned (He et al. 2015): f(x) = x if x > 0 else a·x.

    ``num_parameters`` is 1 (one slope shared) or the number of channels (axis 1).
    da = Σ dy · x over the inputs where x ≤ 0.
    """

    no_decay = frozenset({"alpha"})

    def __init__(self, num_parameters: int = 1, init: float = 0.25):
        super().__init__()
        self.num_parameters, self.init = int(num_parameters), float(init)
        self._add_param("alpha", np.full(self.num_parameters, self.init, dtype=np.float32))

    def _shape(self, x):
        if self.num_parameters == 1:
            return (1,) * x.ndim
        return (1, -1) + (1,) * (x.ndim - 2)

    def forward(self, x):
        self.x = x
        self.negative = x <= 0
        alpha = self.params["alpha"].reshape(self._shape(x))
        return np.where(self.negative, alpha * x, x)

    def backward(self, grad_out):
        shape = self._shape(grad_out)
        contribution = np.where(self.negative, grad_out * self.x, 0)
        if self.num_parameters == 1:
            self.grads["alpha"][...] = contribution.sum()
        else:
            axes = tuple(a for a in range(grad_out.ndim) if a != 1)
            self.grads["alpha"][...] = contribution.sum(axis=axes)
        alpha = self.params["alpha"].reshape(shape)
        return np.where(self.negative, alpha * grad_out, grad_out)

    def config(self):
        return {"num_parameters": self.num_parameters, "init": self.init}


class ELU(Module):
    """x for x > 0, α(eˣ − 1) otherwise;  derivative 1, or f(x) + α for x ≤ 0."""

    def __init__(self, alpha: float = 1.0):
        super().__init__()
        self.alpha = float(alpha)

    def forward(self, x):
        self.positive = x > 0
        self.out = np.where(self.positive, x, self.alpha * np.expm1(np.minimum(x, 0)))
        return self.out

    def backward(self, grad_out):
        return np.where(self.positive, grad_out, grad_out * (self.out + self.alpha))

    def config(self):
        return {"alpha": self.alpha}


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """softmax(x)_j = e^{x_j − max x} / Σ_i e^{x_i − max x} (shifted, so it never overflows)."""
    shifted = x - x.max(axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


class Softmax(Module):
    """Softmax over the last axis.  Backward applies the Jacobian D_j S_i = S_i(δ_ij − S_j) to the
    upstream gradient g without forming it: dx_j = S_j (g_j − Σ_i g_i S_i)."""

    def forward(self, x):
        self.out = softmax(x)
        return self.out

    def backward(self, grad_out):
        dot = np.sum(grad_out * self.out, axis=-1, keepdims=True)
        return self.out * (grad_out - dot)


class Maxout(Module):
    """Maxout (Goodfellow et al. 2013): the max over groups of k consecutive features.

    Put it after a Dense layer of k·n outputs to get max(w₁ᵀx + b₁, …, w_kᵀx + b_k) per unit.
    The gradient flows only to the winning feature of each group (the first one on ties).
    """

    def __init__(self, k: int = 2):
        super().__init__()
        self.k = int(k)

    def forward(self, x):
        n, f = x.shape
        groups = x.reshape(n, f // self.k, self.k)
        self.winner = groups.argmax(axis=2)
        self.in_shape = x.shape
        return np.take_along_axis(groups, self.winner[..., None], axis=2)[..., 0]

    def backward(self, grad_out):
        n, f = self.in_shape
        grad = np.zeros((n, f // self.k, self.k), dtype=grad_out.dtype)
        np.put_along_axis(grad, self.winner[..., None], grad_out[..., None], axis=2)
        return grad.reshape(n, f)

    def output_shape(self, input_shape):
        if len(input_shape) != 1 or input_shape[0] % self.k:
            raise ValueError(f"Maxout({self.k}) needs a feature count divisible by {self.k}, got {tuple(input_shape)}")
        return (input_shape[0] // self.k,)

    def config(self):
        return {"k": self.k}
