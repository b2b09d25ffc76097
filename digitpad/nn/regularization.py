"""L1 and L2 penalties added to the loss, applied to the parameters whose ``decay`` flag is set
(weights; not biases, batch-norm γ/β or PReLU slopes, unless ``include_all=True``).

- L2: λ/2 · Σ W²,  gradient λ·W   (the course's "W ← W − α/k ΣΔW − λW" with SGD)
- L1: λ · Σ |W|,   gradient λ·sign(W)

Decoupled weight decay (Loshchilov & Hutter 2019) is not a penalty: it is the optimisers'
``weight_decay`` argument with :class:`digitpad.nn.AdamW`.

Why they stay though training never calls them: the product regularises through the optimisers'
``weight_decay``, which adds λ·W to the gradient inside the step.  These classes are the same idea
written out as the course teaches it (the course's "weight decay / L2" and "L1 adds λΣ|W|"): a loss
term with its value and its gradient, added to the gradients after backward.  They are the reference
the tests hold the engine to: the penalties' gradients against numerical differentiation
(`tests/test_nn_gradients.py`), and the optimisers' coupled ``weight_decay`` against an L2 penalty
added by hand (`tests/test_nn_optim.py`).  L1 has no optimiser form: it is only here.
"""

from __future__ import annotations

import numpy as np

from digitpad.nn.module import Param


class Penalty:
    def __init__(self, lam: float, include_all: bool = False):
        if lam < 0:
            raise ValueError(f"regularisation strength must be >= 0, got {lam}")
        self.lam, self.include_all = float(lam), include_all

    def _selected(self, params: list[Param]) -> list[Param]:
        return [p for p in params if p.decay or self.include_all]

    def loss(self, params: list[Param]) -> float:
        return float(sum(self._value(p.value) for p in self._selected(params)))

    def add_grad(self, params: list[Param]) -> None:
        """Add the penalty's gradient to each selected parameter's gradient, in place."""
        for p in self._selected(params):
            p.grad += self._grad(p.value)


class L2Penalty(Penalty):
    def _value(self, w):
        return 0.5 * self.lam * np.sum(w * w, dtype=np.float64)

    def _grad(self, w):
        return self.lam * w


class L1Penalty(Penalty):
    def _value(self, w):
        return self.lam * np.sum(np.abs(w), dtype=np.float64)

    def _grad(self, w):
        return self.lam * np.sign(w)
