"""Sequential: a stack of layers run forward in order and backward in reverse."""

from __future__ import annotations

import numpy as np

from digitpad.nn import parallel
from digitpad.nn.activations import ReLU, Softmax, softmax
from digitpad.nn.layers import BatchNorm, Conv2D, Dense, MaxPool2D
from digitpad.nn.module import Module, Param
from digitpad.nn.sequence_layers import Conv1D, MaxPool1D


class Sequential(Module):
    """``Sequential([layer, ...], input_shape=(1, 28, 28))``.

    ``input_shape`` is the per-sample shape (no batch axis); it is checked against every layer
    when the model is built, so a wrong architecture fails at once with the layer that is wrong.
    A model that starts with a ``Dense(n, ...)`` takes ``(n,)`` without being told; any other first
    layer (a convolution, a flatten) needs ``input_shape``, since its input's size is not in it.
    """

    def __init__(self, layers: list[Module], input_shape: tuple[int, ...] | None = None):
        super().__init__()
        self.layers = list(layers)
        if input_shape is None:
            input_shape = _inferred_input_shape(self.layers)
        self.input_shape = tuple(int(d) for d in input_shape)
        self.metadata: dict = {}  # free-form, saved with the model (training settings, accuracy...)
        values = sum(int(np.prod(shape)) for shape in self.output_shapes())  # also validates the chain
        # Shards pay off for convolutional networks, whose passes outside BLAS (copies, pooling,
        # element-wise layers) dominate.  Without convolutions BLAS already uses every core, and
        # one-thread products in shards were measured slower (mlp inference: 0.05 s -> 0.10 s / 10k).
        convolutional = any(isinstance(layer, (Conv2D, Conv1D)) for layer in self.layers)
        self._values_per_sample = values if convolutional else 0  # one sample's layer outputs, to size shards
        self._needs_input_grad, self._first_needed = True, 0  # backward runs layers[_first_needed:]
        self._execution = _execution_order(self.layers)
        self._data_parallel = parallel.DataParallel(self._execution)
        self._sharded = False  # whether the last forward ran in shards (then so does backward)

    # --- computation -------------------------------------------------------------------------
    def forward(self, x):
        """The layers in `execution_order`.  A batch large enough for several threads (`nn.set_num_threads`) runs
        in shards, one per thread, with the same result (`digitpad.nn.parallel`)."""
        shards = parallel.shard_count(len(x), self._values_per_sample)
        self._sharded = shards > 1
        if self._sharded:
            return self._data_parallel.forward(x, shards, _run_layers)
        return _run_layers(self._execution, x)

    def _predict_forward(self, x):
        """Eval-mode forward for prediction only (no backward follows), in shards when the batch is
        large, as `forward`, with each batch norm folded into the layer before it (`_run_folded`)."""
        shards = parallel.shard_count(len(x), self._values_per_sample)
        if shards > 1:
            return self._data_parallel.forward(x, shards, _run_folded)
        return _run_folded(self._execution, x)

    def backward(self, grad_out):
        """Backpropagate through every layer; returns dL/dx, or None when ``needs_input_grad`` is false."""
        first = self._first_needed
        if self._sharded:
            grad = self._data_parallel.backward(grad_out, lambda chain, part: _run_backward(chain[first:], part))
        else:
            grad = _run_backward(self._execution[first:], grad_out)
        return grad if self._needs_input_grad else None

    @property
    def execution_order(self) -> list[Module]:
        """The layers in the order forward runs them (backward runs them in reverse): the declared order,
        except that a ReLU right before a MaxPool2D or MaxPool1D runs after it (`_execution_order`)."""
        return list(self._execution)

    @property
    def needs_input_grad(self) -> bool:
        """Whether backward computes dL/dx for the model's input (True by default).

        Training needs only the parameter gradients: set it to False and backward stops at the
        first layer with parameters, tells that layer to skip its own dx (its ``needs_input_grad``
        attribute, honoured by Dense, Conv2D and Conv1D), and returns None.  That saves the largest product
        of a first Dense layer and the patch gradient of a first Conv2D."""
        return self._needs_input_grad

    @needs_input_grad.setter
    def needs_input_grad(self, value: bool) -> None:
        first = next((i for i, layer in enumerate(self.layers) if layer.params), len(self.layers))
        if first < len(self.layers):
            self.layers[first].needs_input_grad = bool(value)
        self._needs_input_grad = bool(value)
        self._first_needed = 0 if value else first

    def predict_proba(self, x: np.ndarray, batch_size: int = 1000) -> np.ndarray:
        """Class probabilities (N, classes) in eval mode, batch by batch; the mode is restored after.

        ``x`` is (N, *input_shape) or a single sample of ``input_shape``; it is cast to float32.
        """
        x = np.asarray(x, dtype=np.float32)
        if x.shape == self.input_shape:
            x = x[None]
        if x.shape[1:] != self.input_shape:
            raise ValueError(f"expected inputs of shape (N, {', '.join(map(str, self.input_shape))}), got {x.shape}")
        was_training = self.training
        self.eval()
        try:
            outputs = [self._predict_forward(x[i:i + batch_size]) for i in range(0, len(x), batch_size)]
        finally:
            self.train(was_training)
        if len(outputs) > 1:
            out = np.concatenate(outputs)
        else:
            out = outputs[0] if outputs else np.zeros((0, self.output_shapes()[-1][0]), np.float32)
        return out if isinstance(self.layers[-1], Softmax) else softmax(out)

    def features(self, x: np.ndarray, batch_size: int = 1000) -> np.ndarray:
        """What the last layer (the head) reads, in eval mode, batch by batch, float32 (N, its inputs): the
        features that adapting a model to one writer works on (`digitpad.reading.teach`), computed like
        `predict_proba` (in shards, batch norms folded), the head left out."""
        x, _ = self._batch(x)

        def body(layers: list[Module], part: np.ndarray) -> np.ndarray:
            return _run_folded(layers[:-1], part)

        was_training = self.training
        self.eval()
        outputs = []
        try:
            for i in range(0, len(x), batch_size):
                part = x[i:i + batch_size]
                shards = parallel.shard_count(len(part), self._values_per_sample)
                outputs.append(self._data_parallel.forward(part, shards, body) if shards > 1
                               else body(self._execution, part))
        finally:
            self.train(was_training)
        return np.concatenate(outputs) if outputs else np.zeros((0, *self.output_shapes()[-2]), np.float32)

    def predict(self, x: np.ndarray, batch_size: int = 1000) -> np.ndarray:
        return self.predict_proba(x, batch_size).argmax(axis=1)

    def input_gradient(self, x: np.ndarray, target) -> np.ndarray:
        """∂z/∂x: the gradient of the logits' weighted sum z with respect to the input, by backpropagation
        in eval mode.  The logits are the last layer's output, or its input when the model ends with a
        `Softmax` (the class scores before normalisation).

        ``target``: a class index, one per sample (N,), or (N, classes) weights on the logits, so that
        ``z = logits[target]`` or ``z = Σ_c w_c·logits_c`` (e.g. +1 for one class and −1 for another:
        what separates the two).  ``x`` is (N, *input_shape) or one sample; returns float32 of x's shape.
        Gradient × input, ``x * input_gradient(x, c)``, is the "why this digit" map.

        Backward writes the layers' parameter gradients (as every backward does): do not call it
        between a training step's backward and its optimiser step.
        """
        x, single = self._batch(x)
        dtype = x.dtype
        layers = self._execution[:-1] if isinstance(self._execution[-1], Softmax) else self._execution
        was_training, needed = self.training, self.needs_input_grad
        self.eval()
        self.needs_input_grad = True
        try:
            logits = _run_layers(layers, x)
            weights = np.asarray(target)
            if weights.ndim == 2:
                if weights.shape != logits.shape:
                    raise ValueError(f"target weights must have shape {logits.shape}, got {weights.shape}")
                grad_out = weights.astype(dtype)
            else:
                index = np.broadcast_to(weights, (len(x),)).astype(np.int64)
                if index.min() < 0 or index.max() >= logits.shape[1]:
                    raise ValueError(f"target class must be in 0..{logits.shape[1] - 1}, got {weights}")
                grad_out = np.zeros_like(logits)
                grad_out[np.arange(len(x)), index] = 1.0
            grad = _run_backward(layers, grad_out)
        finally:
            self.needs_input_grad = needed
            self.train(was_training)
        grad = np.ascontiguousarray(grad, dtype=dtype)
        return grad[0] if single else grad

    def _batch(self, x: np.ndarray) -> tuple[np.ndarray, bool]:
        """``x`` as a batch (N, *input_shape) in the parameters' dtype (float32, or float64 for a
        gradient check), and whether it was one sample."""
        dtype = next((p.value.dtype for p in self.parameters()), np.dtype(np.float32))
        x = np.asarray(x, dtype=dtype)
        single = x.shape == self.input_shape
        if single:
            x = x[None]
        if x.shape[1:] != self.input_shape:
            raise ValueError(f"expected inputs of shape (N, {', '.join(map(str, self.input_shape))}), got {x.shape}")
        return x, single

    def layer_outputs(self, x: np.ndarray) -> list[np.ndarray]:
        """Every layer's eval-mode output for ``x`` ((N, *input_shape) or one sample), in the declared
        order: what "inside the network" shows.  The last entry is the model's raw output (logits,
        unless the model ends with a `Softmax`)."""
        x, _ = self._batch(x)
        was_training = self.training
        self.eval()
        outputs = []
        try:
            for layer in self.layers:
                x = layer.forward(x)
                outputs.append(x.copy())  # a layer may reuse its output buffer in the next pass
        finally:
            self.train(was_training)
        return outputs

    # --- modes and parameters --------------------------------------------------------------------
    def train(self, mode: bool = True):
        self.training = mode
        for layer in self.layers:
            layer.train(mode)
        return self

    def parameters(self) -> list[Param]:
        return [p for layer in self.layers for p in layer.parameters()]

    def parameter_count(self) -> int:
        return sum(layer.parameter_count() for layer in self.layers)

    def astype(self, dtype):
        for layer in self.layers:
            layer.astype(dtype)
        return self

    def state(self) -> dict[str, np.ndarray]:
        """Every parameter and buffer, named ``"<layer index>.<name>"`` (the saved file's arrays)."""
        return {f"{i}.{name}": value
                for i, layer in enumerate(self.layers)
                for name, value in (*layer.params.items(), *layer.buffers.items())}

    def load_state(self, arrays: dict[str, np.ndarray]) -> None:
        """Copy arrays into the existing parameters and buffers in place (optimiser handles stay valid)."""
        for key, target in self.state().items():
            target[...] = arrays[key]

    # --- description -----------------------------------------------------------------------------
    def output_shapes(self) -> list[tuple[int, ...]]:
        shapes, shape = [], self.input_shape
        for i, layer in enumerate(self.layers):
            try:
                shape = layer.output_shape(shape)
            except ValueError as exc:
                raise ValueError(f"layer {i} ({type(layer).__name__}): {exc}") from None
            shapes.append(tuple(shape))
        return shapes

    def summary(self) -> str:
        """A table of layers, output shapes and parameter counts (like Keras' ``model.summary()``)."""
        rows = [(f"{i} {type(layer).__name__}", "(N, " + ", ".join(map(str, shape)) + ")", f"{layer.parameter_count():,}")
                for i, (layer, shape) in enumerate(zip(self.layers, self.output_shapes()))]
        head = ("Layer", "Output shape", "Params")
        widths = [max(len(r[c]) for r in [head, *rows]) for c in range(3)]
        line = "-" * (sum(widths) + 4)
        fmt = f"{{:<{widths[0]}}}  {{:<{widths[1]}}}  {{:>{widths[2]}}}"
        body = [fmt.format(*r) for r in rows]
        total = f"Total parameters: {self.parameter_count():,}   (input: {self.input_shape})"
        return "\n".join([line, fmt.format(*head), line, *body, line, total])

    def config(self):
        return {"input_shape": list(self.input_shape),
                "layers": [{"type": type(layer).__name__, "config": layer.config()} for layer in self.layers]}


def _inferred_input_shape(layers: list[Module]) -> tuple[int, ...]:
    """``(n,)`` for a first ``Dense(n, ...)``; otherwise the shape cannot be known: say what to pass."""
    if layers and isinstance(layers[0], Dense):
        return (layers[0].in_features,)
    first = type(layers[0]).__name__ if layers else "no layer"
    raise ValueError(f"Sequential cannot tell the input shape from its first layer ({first}): "
                     f"pass input_shape=, e.g. Sequential(layers, input_shape=(1, 28, 28)) for MNIST images")


def _execution_order(layers: list[Module]) -> list[Module]:
    """The layers in the order forward runs them: as declared, except that a ReLU right before a
    MaxPool2D or MaxPool1D runs after it.  max(ReLU(x)) = ReLU(max(x)) exactly, and the gradients agree too: the
    pool routes to the same input (the first maximum; inputs ReLU ties at 0 get no gradient either
    way), so the result is bit for bit the declared one while ReLU works on a quarter of the values.
    The swap never moves a layer with parameters, so layer indices up to the first of those hold."""
    order = list(layers)
    i = 0
    while i + 1 < len(order):
        if type(order[i]) is ReLU and isinstance(order[i + 1], (MaxPool2D, MaxPool1D)):
            order[i], order[i + 1] = order[i + 1], order[i]
            i += 2
        else:
            i += 1
    return order


def _run_layers(layers: list[Module], x: np.ndarray) -> np.ndarray:
    for layer in layers:
        x = layer.forward(x)
    return x


def _run_backward(layers: list[Module], grad: np.ndarray) -> np.ndarray | None:
    """Backward through the layers in reverse (None when the first of them skips its input gradient)."""
    for layer in reversed(layers):
        grad = layer.backward(grad)
    return grad


def _run_folded(layers: list[Module], x: np.ndarray) -> np.ndarray:
    """The layers' eval-mode forward, a BatchNorm right after a Dense, Conv2D or Conv1D layer folded into that
    layer (its ``forward_folded`` with `BatchNorm.inference_affine`): no separate pass over the activations."""
    i = 0
    while i < len(layers):
        layer = layers[i]
        following = layers[i + 1] if i + 1 < len(layers) else None
        if isinstance(layer, (Dense, Conv2D, Conv1D)) and isinstance(following, BatchNorm):
            x = layer.forward_folded(x, *following.inference_affine())
            i += 2
        else:
            x = layer.forward(x)
            i += 1
    return x
