"""Learning-rate schedules.  A schedule owns the optimiser's ``lr``: call ``step()`` once per
training step (batch) and it sets ``optimizer.lr = lr_at(step)``.  Every schedule may start with a
linear warm-up from ~0 to the base rate over ``warmup_steps``.
"""

from __future__ import annotations

import math

from digitpad.nn.optim import Optimizer


class Schedule:
    def __init__(self, optimizer: Optimizer, warmup_steps: int = 0):
        self.optimizer, self.base_lr = optimizer, optimizer.lr
        self.warmup_steps, self.steps = int(warmup_steps), 0
        optimizer.lr = self.lr_at(0)

    def lr_at(self, step: int) -> float:
        if step < self.warmup_steps:
            return self.base_lr * (step + 1) / self.warmup_steps
        return self._decayed(step - self.warmup_steps)

    def _decayed(self, step: int) -> float:
        return self.base_lr

    def step(self) -> float:
        self.steps += 1
        self.optimizer.lr = self.lr_at(self.steps)
        return self.optimizer.lr


class ConstantLR(Schedule):
    """The base rate after warm-up."""


class StepLR(Schedule):
    """lr = base · γ^⌊step / step_size⌋ (after warm-up)."""

    def __init__(self, optimizer, step_size: int, gamma: float = 0.1, warmup_steps: int = 0):
        self.step_size, self.gamma = int(step_size), float(gamma)
        super().__init__(optimizer, warmup_steps)

    def _decayed(self, step):
        return self.base_lr * self.gamma ** (step // self.step_size)


class CosineLR(Schedule):
    """lr = min + (base − min) · (1 + cos(π · t / T)) / 2 over T = total − warm-up steps, then min."""

    def __init__(self, optimizer, total_steps: int, warmup_steps: int = 0, min_lr: float = 0.0):
        self.total_steps, self.min_lr = int(total_steps), float(min_lr)
        super().__init__(optimizer, warmup_steps)

    def _decayed(self, step):
        span = max(self.total_steps - self.warmup_steps, 1)
        progress = min(step / span, 1.0)
        return self.min_lr + (self.base_lr - self.min_lr) * 0.5 * (1 + math.cos(math.pi * progress))


class OneCycleLR(Schedule):
    """The one-cycle policy (Smith & Topin 2018): over the first ``warmup_fraction`` of ``total_steps``
    lr rises linearly from base / ``start_div`` to the base rate, then falls along a half cosine to
    base / ``end_div`` at the last step.  Made for short runs: most steps at a high rate, and a long
    annealing that the last epoch ends on."""

    def __init__(self, optimizer, total_steps: int, warmup_fraction: float = 0.25, start_div: float = 25.0,
                 end_div: float = 1e4):
        self.total_steps = max(int(total_steps), 1)
        self.start_div, self.end_div = float(start_div), float(end_div)
        self.rise = max(int(round(warmup_fraction * self.total_steps)), 1)
        super().__init__(optimizer, warmup_steps=0)

    def lr_at(self, step: int) -> float:
        low, high, end = self.base_lr / self.start_div, self.base_lr, self.base_lr / self.end_div
        if step < self.rise:
            return low + (high - low) * step / self.rise
        progress = min((step - self.rise) / max(self.total_steps - 1 - self.rise, 1), 1.0)
        return end + (high - end) * 0.5 * (1 + math.cos(math.pi * progress))
