"""Building a network from its description, the JSON form a model file's header holds (``"model"``)
and a user's architecture file holds::

    {"input_shape": [1, 28, 28],
     "layers": [{"type": "Conv2D", "config": {"in_channels": 1, "out_channels": 32, "kernel_size": 3}},
                {"type": "ReLU"}, ...]}

Every field is validated before anything is allocated: the layer types and their arguments (against
each constructor's annotations), and the model's parameters and each layer's activations for its
input, bounded by the limits of :mod:`~digitpad.nn.io.checks`.
"""

from __future__ import annotations

import inspect
import math

import numpy as np

from digitpad.errors import ArchitectureError
from digitpad.nn.io.checks import MAX_ACTIVATIONS, MAX_LAYERS, MAX_PARAMETERS, activation_values
from digitpad.nn.module import LAYER_TYPES, Module
from digitpad.nn.sequential import Sequential

MAX_DIMENSION = 100_000
_MAY_BE_ZERO = {"padding"}  # integer layer arguments that may be 0; the others (sizes, strides) start at 1


def build_model(spec: dict, source: str = "architecture") -> Sequential:
    """Build a Sequential from ``{"input_shape": [...], "layers": [{"type", "config"}...]}``,
    validating every field first.  Raises :class:`ArchitectureError` naming ``source``.

    Each layer's output shape for the model's input is computed as the layer is made, and the values
    one sample holds over all of them are bounded (:data:`MAX_ACTIVATIONS`), as its parameters are
    (:data:`MAX_PARAMETERS`): a small file cannot describe a model that takes gigabytes to run."""
    if not isinstance(spec, dict) or not isinstance(spec.get("layers"), list) or not spec["layers"]:
        raise ArchitectureError(f"{source}: expected an object with a non-empty \"layers\" list")
    if len(spec["layers"]) > MAX_LAYERS:
        raise ArchitectureError(f"{source}: {len(spec['layers']):,} layers, more than the {MAX_LAYERS:,} digitpad "
                                "allows; not a digit model")
    input_shape = spec.get("input_shape", [1, 28, 28])
    if (not isinstance(input_shape, list) or not 1 <= len(input_shape) <= 3
            or not all(_is_int(d) and 1 <= d <= MAX_DIMENSION for d in input_shape)):
        raise ArchitectureError(f"{source}: \"input_shape\" must be a list of 1 to 3 positive integers, got {input_shape!r}")
    shape = tuple(input_shape)
    activations = math.prod(shape)
    if activations > MAX_ACTIVATIONS:
        raise ArchitectureError(f"{source}: input_shape {list(shape)} is {activations:,} values per sample, more than "
                                f"the {MAX_ACTIVATIONS:,} digitpad allows in one sample's layers; not a digit model")
    layers, total = [], 0
    for i, entry in enumerate(spec["layers"]):
        layer = _build_layer(entry, f"{source}: layer {i}")
        total += layer.parameter_count()
        if total > MAX_PARAMETERS:
            raise ArchitectureError(f"{source}: more than {MAX_PARAMETERS:,} parameters; not a digit model")
        try:
            shape = tuple(layer.output_shape(shape))
        except ValueError as exc:
            raise ArchitectureError(f"{source}: layer {i} ({type(layer).__name__}): {exc}") from None
        activations += activation_values(layer, shape)
        if activations > MAX_ACTIVATIONS:
            raise ArchitectureError(f"{source}: layer {i} ({type(layer).__name__}) outputs {shape} per sample: its "
                                    f"layers' outputs exceed the {MAX_ACTIVATIONS:,} values per sample digitpad "
                                    "allows; not a digit model")
        layers.append(layer)
    return Sequential(layers, input_shape=tuple(input_shape))


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _build_layer(entry, where: str) -> Module:
    if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
        raise ArchitectureError(f"{where}: expected {{\"type\": ..., \"config\": {{...}}}}, got {entry!r:.80}")
    name = entry["type"]
    cls = LAYER_TYPES.get(name)
    if cls is None or cls is Sequential:
        known = ", ".join(sorted(k for k in LAYER_TYPES if k != "Sequential"))
        raise ArchitectureError(f"{where}: unknown layer type {name!r} (known: {known})")
    config = entry.get("config", {})
    if not isinstance(config, dict):
        raise ArchitectureError(f"{where} ({name}): \"config\" must be an object")
    for key, value in config.items():
        expected = _expected_types(cls, key)
        if expected is not None and not any(_has_type(value, kind) for kind in expected):
            raise ArchitectureError(f"{where} ({name}): {key} must be {' or '.join(sorted(expected))}, "
                                    f"got {value!r:.60}")
        low = 0 if key in _MAY_BE_ZERO else 1
        if _is_int(value) and not low <= value <= MAX_DIMENSION:
            raise ArchitectureError(f"{where} ({name}): {key}={value} is out of range ({low} to {MAX_DIMENSION:,})")
        if isinstance(value, float) and not np.isfinite(value):
            raise ArchitectureError(f"{where} ({name}): {key}={value} is not a finite number")
        if not isinstance(value, (int, float, str, type(None))):
            raise ArchitectureError(f"{where} ({name}): {key} has unsupported value {value!r:.60}")
    if estimated_parameters(config) > MAX_PARAMETERS:
        raise ArchitectureError(f"{where} ({name}): {config} would allocate more than {MAX_PARAMETERS:,} parameters")
    try:
        return cls(**config)
    except (TypeError, ValueError) as exc:
        raise ArchitectureError(f"{where} ({name}): {exc}") from None


def _expected_types(cls, key: str) -> set[str] | None:
    """The JSON types the constructor's annotation allows for ``key`` ("int", "float", "str", "bool",
    "None"), or None when the argument is unknown or unannotated (the constructor then decides).
    Arguments taking Python objects (a random generator) accept only null from a file."""
    try:
        parameter = inspect.signature(cls).parameters.get(key)
    except (TypeError, ValueError):
        return None
    if parameter is None or parameter.annotation is inspect.Parameter.empty:
        return None
    return {part.strip() for part in str(parameter.annotation).split("|")} & {"int", "float", "str", "bool", "None"} or {"None"}


def _has_type(value, kind: str) -> bool:
    if kind == "int":
        return _is_int(value)
    if kind == "float":
        return _is_int(value) or isinstance(value, float)
    if kind == "bool":
        return isinstance(value, bool)
    return value is None if kind == "None" else isinstance(value, str)


def estimated_parameters(config: dict) -> int:
    """An upper bound on a layer's parameter count, checked before allocating anything: the product
    of its feature/channel counts and kernel area (Dense: in·out, Conv2D: in·out·k²)."""
    counts = [config.get(key) for key in ("in_features", "out_features", "in_channels", "out_channels",
                                          "num_features", "num_parameters")]
    kernel = config.get("kernel_size", 1)
    total = kernel * kernel if _is_int(kernel) else 1
    for count in counts:
        if _is_int(count):
            total *= max(count, 1)
    return total
