"""Writing a :class:`Sequential` as a standard ONNX graph (reading one back: :mod:`digitpad.nn.io.onnx_import`).

Every layer of the engine has an exact ONNX form (opset 17), one operator or two:

===============  ====================================================================================
Dense            ``Gemm(x, W, b)``, W (in, out) as stored
Conv2D           ``Conv`` with the same (out, in, k, k) weights, square kernel, stride and padding
MaxPool2D        ``MaxPool`` without padding (a ragged border is dropped: floor, as ``ceil_mode=0``)
Conv1D           ``Conv`` with the same (out, in, k) weights, stride, padding at both ends and dilation
MaxPool1D        ``MaxPool`` over 1-D windows, without padding (floor, as ``ceil_mode=0``)
GlobalAvgPool1D  ``GlobalAveragePool`` ((N, C, L) → (N, C, 1)) then ``Flatten(axis=1)``
Flatten          ``Flatten(axis=1)``: the NCHW row-major order of the engine's Flatten
Dropout          ``Dropout`` with its ratio, which inference runs as the identity
BatchNorm        ``BatchNormalization`` with the running statistics, ε, and ONNX's momentum (1 − ours)
ReLU ... ELU     ``Relu``, ``LeakyRelu(alpha)``, ``PRelu(slope)`` (per channel on axis 1), ``Elu(alpha)``,
                 ``Sigmoid``, ``Tanh``, ``Softmax(axis=-1)`` (the engine's softmax is over the last axis)
Maxout(k)        ``Reshape(N, F/k, k)`` then ``ReduceMax(axes=[2], keepdims=0)``
===============  ====================================================================================

The graph's input ``input`` is float32 (N, *input_shape) (images (N, C, H, W) or sequences (N, C, L))
with a symbolic batch size ``N``; its output ``probabilities`` is (N, classes): what ``predict_proba``
returns, so a final ``Softmax`` is added when the model ends with its logits.  The digitpad version,
the model's metadata and, when given, a summary of its model card go into the graph's (and the
model's) ``metadata_props``.  Any other layer (a subclass, a layer of your own) is refused with
:class:`OnnxExportError` naming it.

``onnx`` is an optional dependency (``pip install "digitpad[onnx]"``), imported only when used.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from digitpad.atomic import atomic_write
from digitpad.errors import DigitpadError, ModelFileError
from digitpad.nn.activations import ELU, LeakyReLU, Maxout, PReLU, ReLU, Sigmoid, Softmax, Tanh
from digitpad.nn.layers import BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D
from digitpad.nn.sequence_layers import Conv1D, GlobalAvgPool1D, MaxPool1D
from digitpad.version import __version__

OPSET = 17
INPUT_NAME, OUTPUT_NAME, BATCH = "input", "probabilities", "N"
# metadata_props keys (values are strings; the last two hold JSON)
VERSION_KEY, METADATA_KEY, CARD_KEY = "digitpad_version", "digitpad_metadata", "digitpad_model_card"
CARD_SUMMARY_KEYS = ("name", "created", "digitpad_version", "parameters", "test_accuracy",
                     "test_per_class_accuracy", "epochs_run", "command", "notes")
INSTALL_HINT = 'pip install "digitpad[onnx]"'


class OnnxExportError(DigitpadError, ValueError):
    """A model cannot be written as ONNX: a layer with no faithful ONNX form, or no ``onnx`` package."""


def require_onnx(doing: str):
    """The ``onnx`` module, or a one-line :class:`ModelFileError` saying how to install it."""
    try:
        import onnx
    except ImportError:
        raise ModelFileError(f"{doing} needs the onnx package: {INSTALL_HINT}") from None
    return onnx


def card_summary(card: dict) -> dict:
    """The part of a model card (``<model>.card.json``) an exported graph carries: what the model is,
    how it was made and how well it did (not its training history)."""
    return {key: card[key] for key in CARD_SUMMARY_KEYS if card.get(key) is not None}


def export_onnx(model, path, card: dict | None = None) -> None:
    """Write ``model`` (a :class:`Sequential`) to ``path`` as an ONNX graph, atomically.

    ``card``: the model card, if there is one (its summary goes into the metadata).  A layer with no
    faithful ONNX form raises :class:`OnnxExportError` naming it; a missing ``onnx`` package raises a
    one-line error saying how to install it; a path that cannot be written, :class:`ModelFileError`."""
    path = Path(path)
    nodes, initializers = graph_nodes(model)  # refuses an unknown layer before needing onnx
    try:
        onnx = require_onnx("exporting to ONNX")
    except ModelFileError as exc:
        raise OnnxExportError(str(exc)) from None
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    proto_nodes = [helper.make_node(op, inputs, outputs, name=name, **attributes)
                   for op, inputs, outputs, name, attributes in nodes]
    tensors = [numpy_helper.from_array(value, name) for name, value in initializers.items()]
    classes = model.output_shapes()[-1]
    graph = helper.make_graph(
        proto_nodes, "digitpad", [helper.make_tensor_value_info(INPUT_NAME, onnx.TensorProto.FLOAT,
                                                                [BATCH, *model.input_shape])],
        [helper.make_tensor_value_info(OUTPUT_NAME, onnx.TensorProto.FLOAT, [BATCH, *classes])], tensors)
    properties = metadata_properties(model, card)
    graph_has_metadata = "metadata_props" in {f.name for f in onnx.GraphProto.DESCRIPTOR.fields}
    if graph_has_metadata:  # onnx >= 1.16 (IR version 10)
        for key, value in properties.items():
            graph.metadata_props.add(key=key, value=value)
    proto = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)],
                              producer_name="digitpad", producer_version=__version__,
                              doc_string=describe(model, card))
    proto.ir_version = 10 if graph_has_metadata else 8   # what opset 17 needs, or graph metadata
    helper.set_model_props(proto, properties)
    onnx.checker.check_model(proto)
    data = proto.SerializeToString()
    try:
        with atomic_write(path, "wb") as f:
            f.write(data)
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot write the ONNX file ({exc.strerror or exc})") from None


def describe(model, card: dict | None) -> str:
    """A one-line description of the model for the graph's doc_string."""
    name = (card or {}).get("name") or model.metadata.get("name") or "model"
    accuracy = (card or {}).get("test_accuracy", model.metadata.get("test_accuracy"))
    text = f"digitpad {name}: {model.parameter_count():,} parameters"
    if isinstance(accuracy, (int, float)):
        text += f", MNIST test accuracy {accuracy:.2%}"
    return text


def metadata_properties(model, card: dict | None) -> dict[str, str]:
    """The graph's ``metadata_props``: the digitpad version, the model's metadata (JSON) and the model
    card's summary (JSON) when there is a card."""
    properties = {VERSION_KEY: __version__, METADATA_KEY: json.dumps(model.metadata, default=str)}
    if card:
        properties[CARD_KEY] = json.dumps(card_summary(card), default=str)
    return properties


def graph_nodes(model) -> tuple[list[tuple], dict[str, np.ndarray]]:
    """The ONNX nodes, as ``(op_type, inputs, outputs, name, attributes)``, and the initializers
    (float32 or int64 arrays by name) of ``model``; raises :class:`OnnxExportError` at the first
    layer with no faithful ONNX form."""
    nodes: list[tuple] = []
    initializers: dict[str, np.ndarray] = {}
    current = INPUT_NAME
    shapes = [model.input_shape, *model.output_shapes()]
    for index, layer in enumerate(model.layers):
        writer = _WRITERS.get(type(layer))
        if writer is None:
            raise OnnxExportError(f"layer {index} ({type(layer).__name__}) has no faithful ONNX form; "
                                  f"exportable layers: {', '.join(sorted(cls.__name__ for cls in _WRITERS))}")
        prefix = f"{index}_{type(layer).__name__}"

        def constant(name: str, value, dtype=np.float32) -> str:
            key = f"{prefix}.{name}"
            initializers[key] = np.array(value, dtype=dtype)  # a copy, C-contiguous; a scalar stays 0-D
            return key

        produced = writer(layer, current, prefix, constant, shapes[index])
        for op, inputs, attributes in produced:
            inputs = [current if name is None else name for name in inputs]
            output = f"{prefix}_{len(nodes)}"
            nodes.append((op, inputs, [output], f"{prefix}" if len(produced) == 1 else f"{prefix}_{op}",
                          attributes))
            current = output
    if not isinstance(model.layers[-1], Softmax):
        nodes.append(("Softmax", [current], [OUTPUT_NAME], "probabilities", {"axis": -1}))
    else:
        nodes[-1] = (*nodes[-1][:2], [OUTPUT_NAME], *nodes[-1][3:])
    return nodes, initializers


# Each writer returns the layer's operators as (op_type, inputs, attributes); the first reads ``x``
# and each later one the output of the one before it (``None`` in inputs stands for that).


def _dense(layer, x, prefix, constant, shape):
    return [("Gemm", [x, constant("W", layer.params["W"]), constant("b", layer.params["b"])], {})]


def _conv(layer, x, prefix, constant, shape):
    k, s, p = layer.kernel_size, layer.stride, layer.padding
    return [("Conv", [x, constant("W", layer.params["W"]), constant("b", layer.params["b"])],
             {"kernel_shape": [k, k], "strides": [s, s], "pads": [p, p, p, p], "dilations": [1, 1], "group": 1})]


def _maxpool(layer, x, prefix, constant, shape):
    k, s = layer.kernel_size, layer.stride
    return [("MaxPool", [x], {"kernel_shape": [k, k], "strides": [s, s], "pads": [0, 0, 0, 0], "ceil_mode": 0})]


def _conv1d(layer, x, prefix, constant, shape):
    p = layer.padding
    return [("Conv", [x, constant("W", layer.params["W"]), constant("b", layer.params["b"])],
             {"kernel_shape": [layer.kernel_size], "strides": [layer.stride], "pads": [p, p],
              "dilations": [layer.dilation], "group": 1})]


def _maxpool1d(layer, x, prefix, constant, shape):
    return [("MaxPool", [x], {"kernel_shape": [layer.kernel_size], "strides": [layer.stride], "pads": [0, 0],
                              "ceil_mode": 0})]


def _global_avgpool1d(layer, x, prefix, constant, shape):
    return [("GlobalAveragePool", [x], {}), ("Flatten", [None], {"axis": 1})]


def _batchnorm(layer, x, prefix, constant, shape):
    inputs = [x, constant("gamma", layer.params["gamma"]), constant("beta", layer.params["beta"]),
              constant("running_mean", layer.buffers["running_mean"]),
              constant("running_var", layer.buffers["running_var"])]
    return [("BatchNormalization", inputs, {"epsilon": layer.eps, "momentum": 1.0 - layer.momentum})]


def _prelu(layer, x, prefix, constant, shape):
    alpha = layer.params["alpha"]
    if layer.num_parameters > 1:  # per channel (axis 1): broadcast against (N, C, H, W) or (N, C)
        alpha = alpha.reshape((-1,) + (1,) * (len(shape) - 1))
    return [("PRelu", [x, constant("slope", alpha)], {})]


def _maxout(layer, x, prefix, constant, shape):
    groups = shape[0] // layer.k
    return [("Reshape", [x, constant("shape", [0, groups, layer.k], np.int64)], {}),
            ("ReduceMax", [None], {"axes": [2], "keepdims": 0})]


def _simple(op, **attributes_of):
    def write(layer, x, prefix, constant, shape):
        return [(op, [x], {name: getter(layer) for name, getter in attributes_of.items()})]
    return write


def _dropout(layer, x, prefix, constant, shape):
    return [("Dropout", [x, constant("ratio", layer.p)], {})]


_WRITERS = {
    Dense: _dense, Conv2D: _conv, MaxPool2D: _maxpool, Conv1D: _conv1d, MaxPool1D: _maxpool1d,
    GlobalAvgPool1D: _global_avgpool1d, BatchNorm: _batchnorm, PReLU: _prelu, Maxout: _maxout,
    Dropout: _dropout, Flatten: _simple("Flatten", axis=lambda layer: 1),
    ReLU: _simple("Relu"), LeakyReLU: _simple("LeakyRelu", alpha=lambda layer: layer.alpha),
    ELU: _simple("Elu", alpha=lambda layer: layer.alpha), Sigmoid: _simple("Sigmoid"), Tanh: _simple("Tanh"),
    Softmax: _simple("Softmax", axis=lambda layer: -1),
}
