"""Optimisers.  Each holds its own state per parameter (keyed by the :class:`Param` handle) and
updates the parameter arrays in place, so the layers see the new values without copying.

``weight_decay`` in SGD/Momentum/Adagrad/RMSprop/Adam is the classic L2 form (λ·w added to the
gradient, as PyTorch); AdamW decouples it (w ← w − lr·λ·w, Loshchilov & Hutter 2019).  Either
way it applies only to parameters whose ``decay`` flag is set.

There is no ``zero_grad``: every layer's backward writes its parameter gradients afresh (it does not
add to them, :mod:`digitpad.nn.module`), and the data-parallel backward writes the shards' sum, so a
step never sees the previous batch's gradients.
"""

from __future__ import annotations

import numpy as np

from digitpad.nn.module import Param


class Optimizer:
    def __init__(self, params: list[Param], lr: float, weight_decay: float = 0.0):
        self.params = list(params)
        if not self.params:
            raise ValueError("the optimiser got no parameters")
        if lr <= 0 or not np.isfinite(lr):
            raise ValueError(f"learning rate must be a positive number, got {lr}")
        self.lr, self.weight_decay = float(lr), float(weight_decay)
        self.state: dict[Param, dict[str, np.ndarray]] = {p: {} for p in self.params}
        self._work: dict[Param, np.ndarray] = {}  # scratch arrays for in-place updates (not state: never saved)
        self.steps = 0

    def _gradient(self, p: Param) -> np.ndarray:
        """The gradient with coupled L2 weight decay added (a new array only when decay applies)."""
        if self.weight_decay and p.decay:
            return p.grad + self.weight_decay * p.value
        return p.grad

    def _buffer(self, p: Param, name: str) -> np.ndarray:
        state = self.state[p]
        if name not in state:
            state[name] = np.zeros_like(p.value)
        return state[name]

    def _scratch(self, p: Param) -> np.ndarray:
        """A work array shaped like p, reused at every step (its contents are meaningless between steps)."""
        if p not in self._work:
            self._work[p] = np.empty_like(p.value)
        return self._work[p]

    def step(self) -> None:
        self.steps += 1
        for p in self.params:
            self._update(p, self._gradient(p))

    def _update(self, p: Param, g: np.ndarray) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class SGD(Optimizer):
    """w ← w − α·g  (gradient descent, x_{n+1} = x_n − α f'(x_n))."""

    def _update(self, p, g):
        p.value -= self.lr * g


class Momentum(Optimizer):
    """Heavy-ball momentum, PyTorch form: v ← μ·v + g;  w ← w − α·v.
    Nesterov: w ← w − α·(g + μ·v)."""

    def __init__(self, params, lr=0.01, momentum=0.9, nesterov=False, weight_decay=0.0):
        super().__init__(params, lr, weight_decay)
        self.momentum, self.nesterov = float(momentum), bool(nesterov)

    def _update(self, p, g):
        v = self._buffer(p, "velocity")
        v *= self.momentum
        v += g
        if self.nesterov:
            p.value -= self.lr * (g + self.momentum * v)
        else:
            p.value -= self.lr * v


class Adagrad(Optimizer):
    """G ← G + g²;  w ← w − α·g / (√G + ε): large past gradients mean smaller steps."""

    def __init__(self, params, lr=0.01, eps=1e-10, weight_decay=0.0):
        super().__init__(params, lr, weight_decay)
        self.eps = float(eps)

    def _update(self, p, g):
        acc = self._buffer(p, "sum_sq")
        acc += g * g
        p.value -= self.lr * g / (np.sqrt(acc) + self.eps)


class RMSprop(Optimizer):
    """E ← ρ·E + (1 − ρ)·g²;  w ← w − α·g / (√E + ε)  (moving average of squared gradients)."""

    def __init__(self, params, lr=0.001, rho=0.9, eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr, weight_decay)
        self.rho, self.eps = float(rho), float(eps)

    def _update(self, p, g):
        avg = self._buffer(p, "mean_sq")
        avg *= self.rho
        avg += (1 - self.rho) * g * g
        p.value -= self.lr * g / (np.sqrt(avg) + self.eps)


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with bias correction, computed as PyTorch does:

    m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²
    w ← w − (α / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
    """

    decoupled = False

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0):
        super().__init__(params, lr, weight_decay)
        self.beta1, self.beta2 = (float(b) for b in betas)
        self.eps = float(eps)

    def _gradient(self, p):
        return p.grad if self.decoupled else super()._gradient(p)

    def _update(self, p, g):
        if self.decoupled and self.weight_decay and p.decay:
            p.value *= 1 - self.lr * self.weight_decay
        m, v, scratch = self._buffer(p, "m"), self._buffer(p, "v"), self._scratch(p)
        b1, b2, t = self.beta1, self.beta2, self.steps
        m *= b1  # m ← β₁m + (1 − β₁)g
        np.multiply(g, 1 - b1, out=scratch)
        m += scratch
        v *= b2  # v ← β₂v + (1 − β₂)g²
        np.multiply(g, g, out=scratch)
        scratch *= 1 - b2
        v += scratch
        denom = np.sqrt(v, out=scratch)  # √v / √(1 − β₂ᵗ) + ε
        denom *= 1 / np.sqrt(1 - b2 ** t)
        denom += self.eps
        np.divide(m, denom, out=denom)
        denom *= self.lr / (1 - b1 ** t)
        p.value -= denom


class AdamW(Adam):
    """Adam with decoupled weight decay: w ← w·(1 − α·λ) before the Adam step."""

    decoupled = True

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01):
        super().__init__(params, lr, betas, eps, weight_decay)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "nesterov": Momentum, "adagrad": Adagrad,
              "rmsprop": RMSprop, "adam": Adam, "adamw": AdamW}


def make_optimizer(name: str, params, lr: float, weight_decay: float = 0.0) -> Optimizer:
    """Build an optimiser from its CLI name (``nesterov`` is Momentum with Nesterov's update)."""
    key = name.lower()
    if key not in OPTIMIZERS:
        raise ValueError(f"unknown optimiser {name!r}; choose one of {', '.join(OPTIMIZERS)}")
    if key == "nesterov":
        return Momentum(params, lr=lr, nesterov=True, weight_decay=weight_decay)
    return OPTIMIZERS[key](params, lr=lr, weight_decay=weight_decay)
