"""Weight initialisers (Glorot & Bengio 2010; He et al. 2015) and the library's default generator.

Each initialiser takes a shape, its fan-in and fan-out, and a ``numpy.random.Generator``, and
returns a float32 array:

- Glorot uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out))
- Glorot normal:  N(0, s²) with s = sqrt(2 / (fan_in + fan_out))
- He uniform:     U(-a, a) with a = sqrt(6 / fan_in)
- He normal:      N(0, s²) with s = sqrt(2 / fan_in)
- Head uniform:   Glorot uniform × HEAD_GAIN, for the layer that outputs the logits

Why a small head: He-initialised ReLU layers keep the activations' scale, and MNIST's pixels are
not centred, so a Glorot last layer gives logits of standard deviation ~2 (the convnet preset: a
first loss of 3.9, where a uniform guess costs ln 10 = 2.30).  The network then spends its first
hundreds of steps unlearning confident wrong answers.  A head 10× smaller starts at ln 10 and,
measured on the convnet preset (one epoch, Adam 1e-3 constant, two seeds), reads the test set at
97.5 % instead of 97.1 % (PyTorch, whose default init is smaller everywhere: 97.4 %).
"""

from __future__ import annotations

import numpy as np

_default_rng = np.random.default_rng(0)


def manual_seed(seed: int) -> None:
    """Reseed the generator layers use when they are not given one (like ``torch.manual_seed``)."""
    global _default_rng
    _default_rng = np.random.default_rng(seed)


def default_rng() -> np.random.Generator:
    return _default_rng


def glorot_uniform(shape, fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-limit, limit, size=shape).astype(np.float32)


def glorot_normal(shape, fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    std = np.sqrt(2.0 / (fan_in + fan_out))
    return (rng.standard_normal(size=shape) * std).astype(np.float32)


def he_uniform(shape, fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    limit = np.sqrt(6.0 / fan_in)
    return rng.uniform(-limit, limit, size=shape).astype(np.float32)


def he_normal(shape, fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    std = np.sqrt(2.0 / fan_in)
    return (rng.standard_normal(size=shape) * std).astype(np.float32)


def zeros(shape, fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """All zeros: fine for biases, but breaks symmetry badly for weights (every unit learns alike)."""
    return np.zeros(shape, dtype=np.float32)


HEAD_GAIN = 0.1


def head_uniform(shape, fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """Glorot uniform scaled by HEAD_GAIN: a classifier's output layer whose softmax starts near uniform."""
    return glorot_uniform(shape, fan_in, fan_out, rng) * np.float32(HEAD_GAIN)


INITIALIZERS = {
    "glorot_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "he_uniform": he_uniform,
    "he_normal": he_normal,
    "head_uniform": head_uniform,
    "zeros": zeros,
}


def get_initializer(name: str):
    try:
        return INITIALIZERS[name]
    except KeyError:
        raise ValueError(f"unknown initialiser {name!r}; choose one of {', '.join(INITIALIZERS)}") from None
