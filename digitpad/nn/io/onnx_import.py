"""Reading an ONNX graph as a :class:`Sequential` (writing one: :mod:`digitpad.nn.io.onnx_export`).

The graph must be one chain of the operators the engine has: ``Gemm``, ``MatMul`` (+ ``Add`` as its
bias), ``Conv``, ``MaxPool``, ``BatchNormalization``, ``Relu``, ``LeakyRelu``, ``PRelu``, ``Elu``,
``Sigmoid``, ``Tanh``, ``Softmax``, ``Flatten``/``Reshape`` (to (N, features)), ``Dropout``,
``Identity`` (``Constant`` nodes may hold their weights and shapes; ``Reshape`` + ``ReduceMax`` is a
``Maxout``), on a float32 NCHW input of 1×28×28 or 784 values per sample, or on float32 sequences
(N, C, L) (a pen's trajectory: 1-D ``Conv`` and ``MaxPool``, and the mean over time as
``GlobalAveragePool`` + ``Flatten``/``Reshape`` or ``ReduceMean`` over the last axis).  Anything else
is a one-line :class:`ModelFileError` naming the first unsupported operator and its node.  An image
model always takes (N, 1, 28, 28) images, as the app and the CLI give them: a graph on 784 values
gets a ``Flatten`` first (the image's rows, in order); a sequence model takes the graph's (N, C, L).

Model files are data, not code.  The file is parsed as a protobuf message and nothing else: no
checker, no shape inference, no external files (a tensor stored outside the file is refused), nothing
run.  The file's size is bounded before it is read, every tensor's declared size (the product of its
dims) against a cap per tensor and a cap for all of them together before any is converted, every
layer's output (and each convolution's patches) against a cap on activations, and every number must
be finite.  A final ``Softmax`` (and any ``Dropout`` after it) is dropped: ``predict_proba`` applies
it, and the model then ends with its logits, as trained ones do.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from digitpad.errors import ModelFileError
from digitpad.nn.activations import ELU, LeakyReLU, Maxout, PReLU, ReLU, Sigmoid, Softmax, Tanh
from digitpad.nn.layers import BatchNorm, Conv2D, Dense, Dropout, Flatten, MaxPool2D
from digitpad.nn.sequence_layers import Conv1D, GlobalAvgPool1D, MaxPool1D
from digitpad.nn.io.checks import (MAX_ACTIVATIONS, MAX_FILE_BYTES, MAX_PARAMETERS, activation_values, check_outputs,
                                   regular_model_file)
from digitpad.nn.io.onnx_export import CARD_KEY, METADATA_KEY, require_onnx
from digitpad.nn.sequential import Sequential

MAX_TENSOR_ELEMENTS = 1 << 24                      # 16.8 M values (64 MB) in one tensor
MAX_NODES = 2000
MAX_RANK = 8
MAX_METADATA_BYTES = 1 << 20
IMAGE = (1, 28, 28)
INPUT_SHAPES = (IMAGE, (784,))   # the images a graph may take; an image model always takes the image
SUPPORTED = ("Gemm", "MatMul", "Add", "Conv", "MaxPool", "BatchNormalization", "Relu", "LeakyRelu", "PRelu",
             "Elu", "Sigmoid", "Tanh", "Softmax", "Flatten", "Reshape", "ReduceMax", "Dropout", "Identity",
             "Constant", "GlobalAveragePool", "ReduceMean")
ONNX_DOMAINS = ("", "ai.onnx")

# TensorProto.DataType and AttributeProto.AttributeType values (fixed by the ONNX standard)
FLOAT, INT32, INT64, BOOL, FLOAT16, DOUBLE = 1, 6, 7, 9, 10, 11
_DTYPES = {FLOAT: "<f4", DOUBLE: "<f8", FLOAT16: "<f2", INT64: "<i8", INT32: "<i4", BOOL: "|b1"}
_TYPE_NAMES = {0: "UNDEFINED", 2: "UINT8", 3: "INT8", 4: "UINT16", 5: "INT16", 8: "STRING", 12: "UINT32",
               13: "UINT64", 14: "COMPLEX64", 15: "COMPLEX128", 16: "BFLOAT16"}
_ATTR_FLOAT, _ATTR_INT, _ATTR_STRING, _ATTR_TENSOR, _ATTR_FLOATS, _ATTR_INTS = 1, 2, 3, 4, 6, 7
EXTERNAL = 1   # TensorProto.DataLocation


def import_onnx(path) -> Sequential:
    """Load the ONNX graph at ``path`` as an eval-mode :class:`Sequential` with the file's metadata.

    Any problem (missing, damaged, truncated or oversized file, an unsupported operator, external
    data, a graph that is not one chain of layers) raises :class:`ModelFileError` naming the file."""
    path = regular_model_file(path)
    size = path.stat().st_size
    if size == 0:
        raise ModelFileError(f"{path}: not an ONNX model; the file is empty")
    if size > MAX_FILE_BYTES:
        raise ModelFileError(f"{path}: {size:,} bytes, more than a digit model can need ({MAX_FILE_BYTES:,}); refused")
    onnx = require_onnx(f"{path}: reading an ONNX file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot read the file ({exc.strerror or exc})") from None
    proto = onnx.ModelProto()
    try:
        proto.ParseFromString(data)
    except Exception as exc:  # noqa: BLE001 - protobuf's DecodeError, or its C parser's RuntimeError
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ModelFileError(f"{path}: damaged or truncated ONNX file (not a valid ONNX protobuf: {reason})") from None
    model = _GraphReader(proto, path).model()
    model.eval()
    check_outputs(model, path)
    return model


class _GraphReader:
    """One pass over a parsed ModelProto: checks, then the chain of nodes turned into layers."""

    def __init__(self, proto, path: Path):
        self.proto, self.path = proto, path
        self.graph = proto.graph
        self.constants: dict[str, object] = {}   # name -> TensorProto (initializers, Constant outputs)
        self.layers: list = []
        self.shape: tuple[int, ...] = ()          # per-sample shape of the chain's current tensor
        self.current = ""                         # name of the chain's current tensor
        self.last_affine = None                   # the Dense/Conv2D made by the node right before
        self.maxout = 0                           # k while a Reshape to (F/k, k) waits for its ReduceMax
        self.pooled = False                       # while a GlobalAveragePool's (C, 1) waits for its Flatten
        self.activations = 0

    def fail(self, message: str):
        """Raise the one-line error; names and strings from the file are shown with line breaks escaped."""
        text = f"{self.path}: {message}"
        raise ModelFileError("".join(c if c.isprintable() else repr(c)[1:-1] for c in text))

    # --- the whole file ----------------------------------------------------------------------------
    def model(self) -> Sequential:
        if not self.proto.HasField("graph"):
            self.fail("not an ONNX model (no graph; damaged or truncated file?)")
        self.opset = self._opset()
        nodes = [_Node(node) for node in self.graph.node[:MAX_NODES + 1]]
        if len(nodes) > MAX_NODES:
            self.fail(f"{len(nodes):,} nodes, more than a digit model can have ({MAX_NODES:,})")
        self._check_operators(nodes)
        self._collect_constants(nodes)
        self.shape, self.fixed_batch = self._graph_input()
        input_shape = self.shape if len(self.shape) == 2 else IMAGE   # a sequence model takes its sequences
        if self.shape == (784,):  # the app and the CLI give images: 784 values are their rows, flattened
            self.layers.append(Flatten())
        for index, node in enumerate(nodes):
            if node.op_type != "Constant":
                self._chain_node(node, index)
        if self.maxout:
            self.fail(f"the graph ends with a Reshape to {self.shape} (digitpad reads that only before a ReduceMax)")
        if self.pooled:
            self.fail("the graph ends with a GlobalAveragePool (digitpad reads it only before a Flatten to (N, C))")
        self._graph_output()
        end = len(self.layers)
        while end and isinstance(self.layers[end - 1], Dropout):  # the identity at inference
            end -= 1
        if end and isinstance(self.layers[end - 1], Softmax) and len(self.shape) == 1:
            del self.layers[end - 1:]  # predict_proba applies the softmax; the model ends with its logits
        if all(isinstance(layer, Flatten) for layer in self.layers):
            self.fail("the graph has no layer digitpad can run")
        try:
            model = Sequential(self.layers, input_shape=input_shape)
        except ValueError as exc:
            self.fail(f"the layers do not fit together ({exc})")
        model.metadata = self._metadata()
        return model

    def _opset(self) -> int:
        versions = [entry.version for entry in self.proto.opset_import if _text(entry.domain) in ONNX_DOMAINS]
        if not versions:
            self.fail("declares no ONNX operator set (damaged or truncated file, or not an ONNX model)")
        if not 7 <= versions[0] <= 1000:
            self.fail(f"ONNX operator set version {versions[0]} is not one digitpad reads (7 or later)")
        return int(versions[0])

    @staticmethod
    def _node_name(node, index: int) -> str:
        return f"node {node.name!r}" if node.name else f"node #{index} (unnamed)"

    def _check_operators(self, nodes) -> None:
        """The first node whose operator digitpad has no layer for, named before anything else is read."""
        for index, node in enumerate(nodes):
            if node.domain not in ONNX_DOMAINS or node.op_type not in SUPPORTED:
                op = node.op_type if node.domain in ONNX_DOMAINS else f"{node.domain}.{node.op_type}"
                self.fail(f"unsupported operator {op!r:.60} ({self._node_name(node, index)[:80]}); digitpad reads "
                          f"{', '.join(s for s in SUPPORTED if s not in ('Add', 'ReduceMax', 'Constant'))}")

    def _collect_constants(self, nodes) -> None:
        """Every tensor in the file, checked for external data and bounded by its declared size before
        any is converted."""
        if len(self.graph.sparse_initializer):
            self.fail("holds sparse tensors, which digitpad does not read")
        tensors = []
        for tensor in self.graph.initializer:
            tensors.append((_text(tensor.name), tensor))
        for index, node in enumerate(nodes):
            if node.op_type != "Constant":
                continue
            if len(node.output) != 1:
                self.fail(f"{self._node_name(node, index)} (Constant) must have one output")
            attributes = {_text(a.name): a for a in node.attribute}
            if "value" in attributes and attributes["value"].type == _ATTR_TENSOR:
                tensors.append((node.output[0], attributes["value"].t))
            elif len(attributes) == 1 and next(iter(attributes)) in ("value_float", "value_floats", "value_int",
                                                                        "value_ints"):
                tensors.append((node.output[0], _ListTensor(next(iter(attributes.values())))))
            else:
                self.fail(f"{self._node_name(node, index)} (Constant) holds a kind of value digitpad does not read "
                          f"({', '.join(attributes) or 'none'})")
        total = 0
        for name, tensor in tensors:
            if name in self.constants:
                self.fail(f"tensor {name!r:.60} is defined twice")
            if not isinstance(tensor, _ListTensor) and (tensor.data_location == EXTERNAL or len(tensor.external_data)):
                self.fail(f"tensor {name!r:.60} is stored outside the file (external data); digitpad reads only "
                          "self-contained ONNX files")
            total += self._declared_size(name, tensor)
            if total > MAX_PARAMETERS:
                self.fail(f"its tensors declare more than {MAX_PARAMETERS:,} values; not a digit model")
            self.constants[name] = tensor

    def _declared_size(self, name: str, tensor) -> int:
        if isinstance(tensor, _ListTensor):
            return len(tensor.values)
        dims = list(tensor.dims)
        if len(dims) > MAX_RANK or any(d < 0 for d in dims):
            self.fail(f"tensor {name!r:.60} has impossible dimensions {dims[:10]}")
        count = math.prod(dims)
        if count > MAX_TENSOR_ELEMENTS:
            self.fail(f"tensor {name!r:.60} declares {count:,} values (dims {dims}), more than the "
                      f"{MAX_TENSOR_ELEMENTS:,} digitpad allows in one tensor")
        return count

    def array(self, name: str, where: str) -> np.ndarray:
        """The constant ``name`` as a NumPy array (float32, or int64 for integers), its size checked
        against its data before the array is made."""
        tensor = self.constants.get(name)
        if tensor is None:
            self.fail(f"{where} needs {name!r:.60} as a constant (an initializer), and the file has none by that name")
        if isinstance(tensor, _ListTensor):
            return tensor.array()
        dtype = _DTYPES.get(tensor.data_type)
        if dtype is None:
            kind = _TYPE_NAMES.get(tensor.data_type, str(tensor.data_type))
            self.fail(f"tensor {name!r:.60} holds {kind} values; digitpad reads float and integer tensors")
        if tensor.HasField("segment"):
            self.fail(f"tensor {name!r:.60} is split in segments, which digitpad does not read")
        dims = tuple(tensor.dims)
        count = math.prod(dims)
        itemsize = np.dtype(dtype).itemsize
        if tensor.raw_data:
            if len(tensor.raw_data) != count * itemsize:
                self.fail(f"tensor {name!r:.60} declares dims {list(dims)} ({count:,} values) but holds "
                          f"{len(tensor.raw_data):,} bytes (damaged or truncated file?)")
            values = np.frombuffer(tensor.raw_data, dtype=dtype)
        else:
            field = {FLOAT: tensor.float_data, DOUBLE: tensor.double_data, INT64: tensor.int64_data}.get(
                tensor.data_type, tensor.int32_data)
            if len(field) != count:
                self.fail(f"tensor {name!r:.60} declares dims {list(dims)} ({count:,} values) but holds "
                          f"{len(field):,} (damaged or truncated file?)")
            if tensor.data_type == FLOAT16:  # float16 bit patterns stored in int32_data
                values = np.array(field, dtype=np.uint16).view(np.float16)
            else:
                values = np.array(field, dtype=dtype)
        values = values.reshape(dims)
        if values.dtype.kind == "f":
            values = values.astype(np.float32)
            if not np.all(np.isfinite(values)):
                self.fail(f"tensor {name!r:.60} holds NaN or infinite values (or numbers too large for float32)")
            return values
        return values.astype(np.int64)

    def _graph_input(self) -> tuple[tuple[int, ...], int | None]:
        """The per-sample shape of the one real input ((1, 28, 28) or (784,), or a sequence's (C, L)) and
        its fixed batch size (None when symbolic)."""
        inputs = [value for value in self.graph.input if _text(value.name) not in self.constants]
        if len(inputs) != 1:
            self.fail(f"has {len(inputs)} inputs; digitpad reads graphs with one input (an image or 784 values)")
        value = inputs[0]
        kind = value.type.WhichOneof("value")
        if kind != "tensor_type" or value.type.tensor_type.elem_type != FLOAT:
            elem = value.type.tensor_type.elem_type if kind == "tensor_type" else kind
            self.fail(f"input {value.name!r:.60} is not a float32 tensor (type {_TYPE_NAMES.get(elem, elem)})")
        if not value.type.tensor_type.HasField("shape"):
            self.fail(f"input {value.name!r:.60} has no declared shape; digitpad needs (N, 1, 28, 28) or (N, 784)")
        dims = [d.dim_value if d.WhichOneof("value") == "dim_value" else None
                for d in value.type.tensor_type.shape.dim]
        sample = tuple(dims[1:])
        sequence = (len(sample) == 2 and all(d is not None and d >= 1 for d in sample)
                    and math.prod(sample) <= MAX_ACTIVATIONS)
        if not dims or (sample not in INPUT_SHAPES and not sequence):
            shown = ", ".join(str(d.dim_value) if d.WhichOneof("value") == "dim_value" else (_text(d.dim_param)[:20] or "?")
                              for d in value.type.tensor_type.shape.dim[:10])
            self.fail(f"input {value.name!r:.60} has shape ({shown}); digitpad reads (N, 1, 28, 28) or (N, 784) "
                      "float32 images, or (N, C, L) float32 sequences")
        self.current = _text(value.name)
        return sample, dims[0] or None

    def _graph_output(self) -> None:
        outputs = list(self.graph.output)
        if len(outputs) != 1:
            self.fail(f"has {len(outputs)} outputs; digitpad reads graphs with one output (the class scores)")
        if _text(outputs[0].name) != self.current:
            self.fail(f"the output {outputs[0].name!r:.60} is not the end of the chain of layers "
                      "(damaged or truncated file, or a graph with branches)")
        if len(self.shape) != 1:
            self.fail(f"the graph outputs {self.shape} values per sample; digitpad needs class scores (N, classes)")

    def _metadata(self) -> dict:
        """The digitpad metadata the file carries (name, accuracy ...), where it is a JSON object, and
        where the graph came from."""
        entries = [*self.proto.metadata_props, *getattr(self.graph, "metadata_props", ())]  # graph's: onnx >= 1.16
        props = {_text(entry.key): _text(entry.value) for entry in entries if len(entry.value) <= MAX_METADATA_BYTES}
        metadata = _json_object(props.get(METADATA_KEY))
        card = _json_object(props.get(CARD_KEY))
        if card:
            metadata["model_card"] = card
        producer = " ".join(_text(p) for p in (self.proto.producer_name, self.proto.producer_version) if p)[:100]
        metadata.setdefault("name", self.path.stem)
        metadata["source"] = f"ONNX ({producer})" if producer else "ONNX"
        return metadata

    # --- the chain ---------------------------------------------------------------------------------
    def _chain_node(self, node, index: int) -> None:
        where = f"{self._node_name(node, index)} ({node.op_type})"
        if not node.input or node.input[0] != self.current:
            read = node.input[0] if node.input else "nothing"
            self.fail(f"{where} reads {read!r:.60}, not the output of the layer before it; digitpad reads a "
                      "single chain of layers")
        for name in node.input[1:]:
            if name and name not in self.constants:
                self.fail(f"{where} reads {name!r:.60}, which is not a constant; digitpad reads a single chain of layers")
        if not node.output or not node.output[0]:
            self.fail(f"{where} has no output")
        if self.maxout and node.op_type != "ReduceMax":
            self.fail(f"{where} follows a Reshape to {self.shape}, which digitpad reads only before a ReduceMax (Maxout)")
        pooled = self.pooled
        if pooled and node.op_type not in ("Flatten", "Reshape"):
            self.fail(f"{where} follows a GlobalAveragePool, which digitpad reads only before a Flatten to (N, C)")
        attributes = _Attributes(node, where, self.fail)
        handler = getattr(self, "_" + node.op_type)
        affine_before, self.last_affine = self.last_affine, None
        layer = handler(node, attributes, where, affine_before)
        if pooled:
            if layer is not None or self.maxout or len(self.shape) != 1:
                self.fail(f"{where}: digitpad reads a GlobalAveragePool only before a Flatten to (N, C)")
            self.pooled = False
        if layer is not None:
            try:
                self.shape = tuple(layer.output_shape(self.shape))
            except ValueError as exc:
                self.fail(f"{where}: {exc}")
            self.layers.append(layer)
        self.activations += activation_values(layer, self.shape)
        if self.activations > MAX_ACTIVATIONS:
            self.fail(f"its layers' outputs exceed {MAX_ACTIVATIONS:,} values per sample; not a digit model")
        self.current = node.output[0]

    def _needs_rank(self, rank: int, where: str) -> None:
        if len(self.shape) != rank:
            wanted = {3: "(N, C, H, W) images", 2: "(N, C, L) sequences"}.get(rank, "(N, features) vectors")
            self.fail(f"{where} gets {(None, *self.shape)}; digitpad runs it on {wanted}")

    def _weight(self, name: str, where: str, ndim: int) -> np.ndarray:
        value = self.array(name, where)
        if value.ndim != ndim or value.dtype != np.float32:
            self.fail(f"{where}: {name!r:.60} has shape {value.shape}, expected {ndim} dimensions of floats")
        return value

    def _bias(self, name: str, size: int, where: str, shapes: tuple[tuple[int, ...], ...]) -> np.ndarray:
        value = self.array(name, where)
        if value.dtype != np.float32 or (value.size != 1 and value.shape not in shapes):
            self.fail(f"{where}: bias {name!r:.60} of shape {value.shape} does not give one value per output ({size})")
        return np.broadcast_to(value.reshape(-1), (size,))

    def _Gemm(self, node, attributes, where, _):
        self._needs_rank(1, where)
        if attributes.int("transA", 0):
            self.fail(f"{where} with transA=1 is not a layer digitpad has")
        if len(node.input) < 2:
            self.fail(f"{where} has no weights")
        weights = self._weight(node.input[1], where, 2)
        weights = weights.T if attributes.int("transB", 0) else weights
        if weights.shape[0] != self.shape[0]:
            self.fail(f"{where}: weights of shape {weights.shape} do not fit {self.shape[0]} input features")
        layer = Dense(weights.shape[0], weights.shape[1], rng=np.random.default_rng(0))
        layer.params["W"][...] = weights * np.float32(attributes.float("alpha", 1.0))
        if len(node.input) > 2 and node.input[2]:
            out = weights.shape[1]
            bias = self._bias(node.input[2], out, where, ((out,), (1, out)))
            layer.params["b"][...] = bias * np.float32(attributes.float("beta", 1.0))
        self.last_affine = layer
        return layer

    def _MatMul(self, node, attributes, where, _):
        self._needs_rank(1, where)
        if len(node.input) != 2:
            self.fail(f"{where} needs two inputs")
        weights = self._weight(node.input[1], where, 2)
        if weights.shape[0] != self.shape[0]:
            self.fail(f"{where}: weights of shape {weights.shape} do not fit {self.shape[0]} input features")
        layer = Dense(weights.shape[0], weights.shape[1], rng=np.random.default_rng(0))
        layer.params["W"][...] = weights
        self.last_affine = layer
        return layer

    def _Add(self, node, attributes, where, affine):
        """An Add right after a MatMul, Gemm or Conv, of one value per output: that layer's bias."""
        if affine is None or len(node.input) != 2:
            self.fail(f"{where}: digitpad reads Add only as the bias of the MatMul, Gemm or Conv right before it")
        size = affine.out_features if isinstance(affine, Dense) else affine.out_channels
        shapes = {Dense: ((size,), (1, size)), Conv1D: ((size, 1), (1, size, 1))}.get(
            type(affine), ((size, 1, 1), (1, size, 1, 1)))
        affine.params["b"][...] += self._bias(node.input[1], size, where, shapes)
        self.last_affine = affine
        return None

    def _Conv(self, node, attributes, where, _):
        if len(self.shape) == 2:
            return self._conv1d(node, attributes, where)
        self._needs_rank(3, where)
        if len(node.input) < 2:
            self.fail(f"{where} has no weights")
        weights = self._weight(node.input[1], where, 4)
        out, channels, k, k2 = weights.shape
        if attributes.int("group", 1) != 1:
            self.fail(f"{where} with group={attributes.int('group', 1)} is not a layer digitpad has (groups of 1 only)")
        if k != k2 or attributes.ints("kernel_shape", [k, k2]) != [k, k2]:
            self.fail(f"{where}: kernel {k}×{k2}; digitpad's Conv2D has square kernels")
        if channels != self.shape[0]:
            self.fail(f"{where}: weights for {channels} input channels, the input has {self.shape[0]}")
        if any(d != 1 for d in attributes.ints("dilations", [1, 1])):
            self.fail(f"{where} with dilations is not a layer digitpad has")
        stride = self._square(attributes.ints("strides", [1, 1]), "strides", where)
        padding = self._padding(attributes, k, stride, where)
        layer = Conv2D(channels, out, k, stride=stride, padding=padding, rng=np.random.default_rng(0))
        layer.params["W"][...] = weights
        if len(node.input) > 2 and node.input[2]:
            layer.params["b"][...] = self._bias(node.input[2], out, where, ((out,),))
        self.last_affine = layer
        return layer

    def _conv1d(self, node, attributes, where):
        """A Conv over sequences (N, C, L): a Conv1D, with its dilation; pads the same at both ends."""
        if len(node.input) < 2:
            self.fail(f"{where} has no weights")
        weights = self._weight(node.input[1], where, 3)
        out, channels, k = weights.shape
        if attributes.int("group", 1) != 1:
            self.fail(f"{where} with group={attributes.int('group', 1)} is not a layer digitpad has (groups of 1 only)")
        if attributes.ints("kernel_shape", [k]) != [k]:
            self.fail(f"{where}: kernel_shape {attributes.ints('kernel_shape', [k])} does not match weights of shape "
                      f"{weights.shape}")
        if channels != self.shape[0]:
            self.fail(f"{where}: weights for {channels} input channels, the input has {self.shape[0]}")
        stride, dilation = (self._one(attributes.ints(name, [1]), name, where) for name in ("strides", "dilations"))
        padding = self._padding(attributes, dilation * (k - 1) + 1, stride, where, sides=2)
        layer = Conv1D(channels, out, k, stride=stride, padding=padding, dilation=dilation,
                       rng=np.random.default_rng(0))
        layer.params["W"][...] = weights
        if len(node.input) > 2 and node.input[2]:
            layer.params["b"][...] = self._bias(node.input[2], out, where, ((out,),))
        self.last_affine = layer
        return layer

    def _one(self, values: list[int], name: str, where: str) -> int:
        if len(values) != 1 or not 1 <= values[0] <= 1000:
            self.fail(f"{where}: {name} {values}; digitpad needs one positive value for a sequence")
        return values[0]

    def _square(self, values: list[int], name: str, where: str) -> int:
        if len(values) != 2 or values[0] != values[1] or not 1 <= values[0] <= 1000:
            self.fail(f"{where}: {name} {values}; digitpad needs the same positive value for height and width")
        return values[0]

    def _padding(self, attributes, k: int, stride: int, where: str, sides: int = 4) -> int:
        auto = attributes.string("auto_pad", "NOTSET")
        if auto == "VALID":
            return 0
        if auto in ("SAME_UPPER", "SAME_LOWER"):
            if stride != 1 or k % 2 == 0:
                self.fail(f"{where}: auto_pad={auto} with kernel {k} and stride {stride} pads unevenly, "
                          "which digitpad's convolutions do not")
            return (k - 1) // 2
        if auto != "NOTSET":
            self.fail(f"{where}: unknown auto_pad {auto!r:.30}")
        pads = attributes.ints("pads", [0] * sides)
        if len(pads) != sides or len(set(pads)) != 1 or not 0 <= pads[0] < k:
            self.fail(f"{where}: pads {pads}; digitpad pads every side by the same amount, less than the kernel ({k})")
        return pads[0]

    def _MaxPool(self, node, attributes, where, _):
        if len(node.output) > 1 and node.output[1]:
            self.fail(f"{where} with an Indices output is not a layer digitpad has")
        if len(self.shape) == 2:
            return self._maxpool1d(attributes, where)
        self._needs_rank(3, where)
        k = self._square(attributes.ints("kernel_shape", []), "kernel_shape", where)
        stride = self._square(attributes.ints("strides", [1, 1]), "strides", where)
        if any(d != 1 for d in attributes.ints("dilations", [1, 1])):
            self.fail(f"{where} with dilations is not a layer digitpad has")
        if attributes.string("auto_pad", "NOTSET") not in ("NOTSET", "VALID") or any(attributes.ints("pads", [0] * 4)):
            self.fail(f"{where} with padding is not a layer digitpad has (its MaxPool2D does not pad)")
        _, h, w = self.shape
        if attributes.int("ceil_mode", 0) and ((h - k) % stride or (w - k) % stride):
            self.fail(f"{where} with ceil_mode=1 keeps a ragged border that digitpad's MaxPool2D drops")
        return MaxPool2D(k, stride=stride)

    def _maxpool1d(self, attributes, where):
        k = self._one(attributes.ints("kernel_shape", []), "kernel_shape", where)
        stride = self._one(attributes.ints("strides", [1]), "strides", where)
        if any(d != 1 for d in attributes.ints("dilations", [1])):
            self.fail(f"{where} with dilations is not a layer digitpad has")
        if attributes.string("auto_pad", "NOTSET") not in ("NOTSET", "VALID") or any(attributes.ints("pads", [0] * 2)):
            self.fail(f"{where} with padding is not a layer digitpad has (its MaxPool1D does not pad)")
        if attributes.int("ceil_mode", 0) and (self.shape[1] - k) % stride:
            self.fail(f"{where} with ceil_mode=1 keeps a ragged tail that digitpad's MaxPool1D drops")
        return MaxPool1D(k, stride=stride)

    def _GlobalAveragePool(self, node, attributes, where, _):
        """The mean over time of (N, C, L), (N, C, 1), before a Flatten: a GlobalAvgPool1D."""
        self._needs_rank(2, where)
        self.pooled = True
        return GlobalAvgPool1D()

    def _ReduceMean(self, node, attributes, where, _):
        """The mean over the last axis of (N, C, L), that axis dropped: a GlobalAvgPool1D."""
        self._needs_rank(2, where)
        axes = attributes.ints("axes", None)
        if axes is None and len(node.input) > 1 and node.input[1]:
            axes = self.array(node.input[1], where).reshape(-1).tolist()
        if axes not in ([2], [-1]) or attributes.int("keepdims", 1) != 0:
            self.fail(f"{where}: digitpad reads ReduceMean only as the mean over time of (N, C, L) (axes=[2], "
                      "keepdims=0)")
        return GlobalAvgPool1D()

    def _BatchNormalization(self, node, attributes, where, _):
        if len(self.shape) not in (1, 2, 3):
            self._needs_rank(3, where)
        if attributes.int("training_mode", 0) or any(node.output[1:]):
            self.fail(f"{where} in training mode is not what digitpad runs (inference: running statistics)")
        if attributes.int("spatial", 1) != 1:
            self.fail(f"{where} with spatial=0 is not a layer digitpad has")
        if len(node.input) != 5:
            self.fail(f"{where} needs scale, bias, mean and variance")
        channels = self.shape[0]
        arrays = [self._bias(name, channels, where, ((channels,),)) for name in node.input[1:]]
        epsilon = _shortest(attributes.float("epsilon", 1e-5))
        momentum = attributes.float("momentum", 0.9)
        if not (epsilon >= 0 and 0 <= momentum <= 1):
            self.fail(f"{where}: epsilon {epsilon} or momentum {momentum} out of range")
        if np.any(arrays[3] + np.float32(epsilon) <= 0):
            self.fail(f"{where}: a negative variance (damaged file)")
        layer = BatchNorm(channels, eps=epsilon, momentum=round(1.0 - momentum, 7))
        layer.params["gamma"][...], layer.params["beta"][...] = arrays[0], arrays[1]
        layer.buffers["running_mean"][...], layer.buffers["running_var"][...] = arrays[2], arrays[3]
        return layer

    def _Relu(self, node, attributes, where, _):
        return ReLU()

    def _Sigmoid(self, node, attributes, where, _):
        return Sigmoid()

    def _Tanh(self, node, attributes, where, _):
        return Tanh()

    def _LeakyRelu(self, node, attributes, where, _):
        return LeakyReLU(self._finite(attributes.float("alpha", 0.01), "alpha", where))

    def _Elu(self, node, attributes, where, _):
        return ELU(self._finite(attributes.float("alpha", 1.0), "alpha", where))

    def _finite(self, value: float, name: str, where: str) -> float:
        if not math.isfinite(value):
            self.fail(f"{where}: {name}={value} is not a finite number")
        return _shortest(value)

    def _PRelu(self, node, attributes, where, _):
        if len(node.input) != 2:
            self.fail(f"{where} needs a slope")
        slope = self.array(node.input[1], where)
        channels = self.shape[0]
        per_channel = {3: ((channels, 1, 1), (1, channels, 1, 1)), 2: ((channels, 1), (1, channels, 1))}.get(
            len(self.shape), ((channels,), (1, channels)))
        if slope.dtype != np.float32 or (slope.size != 1 and slope.shape not in per_channel):
            self.fail(f"{where}: slope of shape {slope.shape}; digitpad's PReLU has one slope, or one per channel")
        layer = PReLU(slope.size)
        layer.params["alpha"][...] = slope.reshape(-1)
        return layer

    def _Softmax(self, node, attributes, where, _):
        rank = len(self.shape) + 1
        axis = attributes.int("axis", -1 if self.opset >= 13 else 1)
        last = axis in (-1, rank - 1) and (self.opset >= 13 or rank == 2)
        if not last:
            self.fail(f"{where} over axis {axis} of a {rank}-D tensor; digitpad's Softmax is over the last axis")
        return Softmax()

    def _Flatten(self, node, attributes, where, _):
        rank = len(self.shape) + 1
        axis = attributes.int("axis", 1)
        if axis not in (1, 1 - rank):
            self.fail(f"{where} with axis={axis}; digitpad's Flatten keeps the batch axis (axis=1)")
        return Flatten() if len(self.shape) > 1 else None   # (N, features) stays as it is

    def _Reshape(self, node, attributes, where, _):
        """A flatten to (N, features); at the start, 784 values to (N, 1, 28, 28); or (N, F/k, k) before
        a ReduceMax (Maxout)."""
        if len(node.input) != 2:
            self.fail(f"{where} needs a target shape")
        target = self.array(node.input[1], where)
        if target.dtype != np.int64 or target.ndim != 1 or not 2 <= len(target) <= 4:
            self.fail(f"{where}: target shape {target.reshape(-1)[:8].tolist()} is not a flatten digitpad can read")
        target = [int(d) for d in target]
        allow_zero = attributes.int("allowzero", 0)
        size = math.prod(self.shape)
        batch = target[0] in (-1, self.fixed_batch) or (target[0] == 0 and not allow_zero)
        rest = target[1:]
        if batch and target[0] == -1 and -1 in rest:
            batch = False
        if batch and rest.count(-1) <= 1 and all(d > 0 or d == -1 for d in rest):
            known = math.prod(d for d in rest if d != -1)
            resolved = tuple(size // known if d == -1 else d for d in rest) if known and size % known == 0 else None
            if resolved is not None and math.prod(resolved) == size:
                if len(resolved) == 1:
                    return Flatten() if len(self.shape) > 1 else None
                if resolved == IMAGE and self.shape == (784,) and len(self.layers) == 1:
                    self.layers.pop()  # 784 values back to the image they are: no Flatten at all
                    self.shape = resolved
                    return None
                if len(resolved) == 2 and len(self.shape) == 1:
                    self.maxout, self.shape = resolved[1], resolved
                    return None
        self.fail(f"{where}: reshape of {self.shape} to {target}; digitpad reads Reshape only as a flatten to "
                  "(N, features)")

    def _ReduceMax(self, node, attributes, where, _):
        """The max over groups of k features, after a Reshape to (N, F/k, k): a Maxout(k)."""
        axes = attributes.ints("axes", None)
        if axes is None and len(node.input) > 1 and node.input[1]:
            axes = self.array(node.input[1], where).reshape(-1).tolist()
        k = self.maxout
        if not k or axes not in ([2], [-1]) or attributes.int("keepdims", 1) != 0:
            self.fail(f"{where}: digitpad reads ReduceMax only as a Maxout (after a Reshape to (N, F/k, k), "
                      "over axis 2, keepdims=0)")
        self.maxout, self.shape = 0, (self.shape[0] * k,)
        return Maxout(k)

    def _Dropout(self, node, attributes, where, _):
        if any(node.output[1:]):  # the mask output is used: this is training, not inference
            self.fail(f"{where} with its mask used is not what digitpad runs (inference)")
        ratio = attributes.float("ratio", 0.5)
        if len(node.input) > 1 and node.input[1]:
            value = self.array(node.input[1], where)
            if value.size != 1 or value.dtype != np.float32:
                self.fail(f"{where}: ratio of shape {value.shape} is not one number")
            ratio = float(value.reshape(-1)[0])
        if len(node.input) > 2 and node.input[2] and bool(self.array(node.input[2], where).reshape(-1)[:1].any()):
            self.fail(f"{where} in training mode is not what digitpad runs (inference)")
        if not 0 <= ratio < 1:
            self.fail(f"{where}: ratio {ratio} is not in [0, 1)")
        return Dropout(_shortest(ratio))

    def _Identity(self, node, attributes, where, affine):
        self.last_affine = affine  # an Identity between a MatMul and its bias changes nothing
        return None


class _Node:
    """A NodeProto's operator, name, domain, inputs and outputs as text (protobuf gives bytes for a
    string that is not UTF-8), and its attributes."""

    def __init__(self, proto):
        self.op_type, self.name, self.domain = _text(proto.op_type), _text(proto.name), _text(proto.domain)
        self.input = [_text(name) for name in proto.input]
        self.output = [_text(name) for name in proto.output]
        self.attribute = proto.attribute


def _text(value) -> str:
    """A protobuf string field as text: invalid UTF-8 (which protobuf hands over as bytes) replaced."""
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


class _ListTensor:
    """A Constant node's ``value_float(s)`` / ``value_int(s)`` attribute, as a tensor."""

    def __init__(self, attribute):
        name = _text(attribute.name)
        self.floats = name.startswith("value_float")
        if name in ("value_float", "value_int"):
            self.values = [attribute.f if self.floats else attribute.i]
            self.scalar = True
        else:
            self.values = list(attribute.floats if self.floats else attribute.ints)[:MAX_TENSOR_ELEMENTS + 1]
            self.scalar = False

    def array(self) -> np.ndarray:
        value = np.array(self.values, dtype=np.float32 if self.floats else np.int64)
        return value.reshape(()) if self.scalar else value


class _Attributes:
    """A node's attributes by name, each read with the type the operator defines."""

    def __init__(self, node, where: str, fail):
        self.by_name = {_text(attribute.name): attribute for attribute in node.attribute}
        self.where, self.fail = where, fail

    def _get(self, name: str, kind: int, label: str):
        attribute = self.by_name.get(name)
        if attribute is not None and attribute.type != kind:
            self.fail(f"{self.where}: attribute {name} is not {label}")
        return attribute

    def int(self, name: str, default: int) -> int:
        attribute = self._get(name, _ATTR_INT, "an integer")
        return default if attribute is None else int(attribute.i)

    def float(self, name: str, default: float) -> float:
        attribute = self._get(name, _ATTR_FLOAT, "a number")
        return default if attribute is None else float(attribute.f)

    def ints(self, name: str, default):
        attribute = self._get(name, _ATTR_INTS, "a list of integers")
        if attribute is None:
            return default
        if len(attribute.ints) > 16:
            self.fail(f"{self.where}: attribute {name} has {len(attribute.ints)} values")
        return [int(v) for v in attribute.ints]

    def string(self, name: str, default: str) -> str:
        attribute = self._get(name, _ATTR_STRING, "a string")
        return default if attribute is None else attribute.s.decode("utf-8", "replace")


def _shortest(value: float) -> float:
    """A float32 attribute as the shortest decimal that is that float32 (0.1, not 0.10000000149): what a
    digitpad model that was exported held."""
    return float(str(np.float32(value)))


def _json_object(text: str | None) -> dict:
    if not text:
        return {}
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return {}
    return value if isinstance(value, dict) else {}
