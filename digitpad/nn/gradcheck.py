"""Finite-difference gradient checking (central differences, float64)."""

from __future__ import annotations

from typing import Callable

import numpy as np


def numerical_gradient(f: Callable[[], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """∂f/∂x by central differences, (f(x + εeᵢ) − f(x − εeᵢ)) / 2ε for every entry of x (modified in place, restored)."""
    grad = np.zeros_like(x, dtype=np.float64)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        original = flat[i]
        flat[i] = original + eps
        plus = f()
        flat[i] = original - eps
        minus = f()
        flat[i] = original
        gflat[i] = (plus - minus) / (2 * eps)
    return grad

