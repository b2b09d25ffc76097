"""The base of every layer: parameters with their gradients, train/eval mode, shapes, config.

A layer owns its forward and its backward side by side.  ``forward(x)`` caches what ``backward``
needs; ``backward(grad_out)`` returns dL/dx and *writes* dL/dparam into ``grads`` (it does not
accumulate).  ``params`` and ``grads`` are dicts with the same keys; optimisers update the arrays
in ``params`` in place, so the dict entries and the :class:`Param` handles stay the same objects.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np

LAYER_TYPES: dict[str, type["Module"]] = {}


@dataclass(eq=False)
class Param:
    """A handle on one parameter array and its gradient (hashable by identity, like a torch Parameter).

    ``decay`` says whether weight decay and L1/L2 penalties apply (weights yes; biases, batch-norm
    scales and shifts, PReLU slopes no).
    """

    name: str
    value: np.ndarray
    grad: np.ndarray
    decay: bool = field(default=True)


class Module:
    """Base layer.  Subclasses set ``self.params`` / ``self.buffers`` in ``__init__``."""

    no_decay: frozenset[str] = frozenset()  # parameter names excluded from weight decay
    shard = None  # a replica's `digitpad.nn.parallel.Shard` while it runs part of a batch

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        LAYER_TYPES[cls.__name__] = cls

    def __init__(self) -> None:
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.buffers: dict[str, np.ndarray] = {}  # saved state that is not learned (running stats)
        self.training = True
        self._handles: dict[str, Param] = {}

    def _add_param(self, name: str, value: np.ndarray) -> None:
        self.params[name] = value
        self.grads[name] = np.zeros_like(value)
        self._handles[name] = Param(name, value, self.grads[name], decay=name not in self.no_decay)

    # --- computation -------------------------------------------------------------------------
    def forward(self, x: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def backward(self, grad_out: np.ndarray) -> np.ndarray:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return self.forward(x)

    def replica(self) -> "Module":
        """A twin for one shard of a data-parallel batch (`digitpad.nn.parallel`): it shares this
        layer's parameters and buffers, and has its own gradients and forward caches."""
        twin = copy.copy(self)
        twin.grads = {name: np.zeros_like(grad) for name, grad in self.grads.items()}
        twin._handles = {}
        return twin

    def _batch_total(self, value):
        """``value`` summed over the shards of the batch; the value itself when the layer runs unsharded."""
        return value if self.shard is None else self.shard.total(value)

    # --- shapes and description ------------------------------------------------------------------
    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Per-sample output shape for a per-sample input shape (no batch axis); elementwise by default."""
        return tuple(input_shape)

    def config(self) -> dict:
        """Constructor arguments, JSON-serialisable, so that ``type(self)(**config)`` rebuilds the layer."""
        return {}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.config().items())
        return f"{type(self).__name__}({args})"

    # --- modes and parameters --------------------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        self.training = mode
        return self

    def eval(self) -> "Module":
        return self.train(False)

    def parameters(self) -> list[Param]:
        """The same handles on every call, so optimisers can key their state by them."""
        return list(self._handles.values())

    def parameter_count(self) -> int:
        return int(sum(v.size for v in self.params.values()))

    def astype(self, dtype) -> "Module":
        """Convert parameters, gradients and buffers (float64 for gradient checks); returns self."""
        for store in (self.params, self.grads, self.buffers):
            for key, value in store.items():
                store[key] = value.astype(dtype)
        for name, handle in self._handles.items():
            handle.value, handle.grad = self.params[name], self.grads[name]
        return self
