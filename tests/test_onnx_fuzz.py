"""Property-based fuzzing of the ONNX importer (`digitpad.nn.import_onnx`), as ``test_hardening_fuzz.py``
fuzzes the other readers: the seed graphs (one exported by digitpad with every layer, one written with
onnx.helper alone with Constant nodes, MatMul + Add and a Reshape) are mutated at the byte level
(flips, truncation, splices) and at the protobuf level (tensor dims, types and data, operators,
attributes, wiring, external data, the input's shape, metadata).

The property: a model that predicts finite probabilities, or a :class:`ModelFileError` with a one-line
message naming the file; never another exception, a hang (deadline 10 s per case), or a peak
allocation (tracemalloc) out of proportion with the file.  Small derandomized example counts in CI;
``DIGITPAD_FUZZ_SCALE`` multiplies them (``fuzz/run_fuzz.sh 50 onnx``).
"""

from __future__ import annotations

import itertools
import os
import tracemalloc
from pathlib import Path

import numpy as np
import onnx
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper, numpy_helper

from digitpad import nn
from digitpad.errors import ModelFileError

SCALE = float(os.environ.get("DIGITPAD_FUZZ_SCALE", "1"))
_counter = itertools.count()


def fuzz(examples: int, deadline_ms: int | None = 10_000):
    """Hypothesis settings as in test_hardening_fuzz: ``examples`` times DIGITPAD_FUZZ_SCALE, a deadline
    that only catches hangs, derandomized in CI."""
    return settings(max_examples=max(1, int(examples * SCALE)), deadline=deadline_ms, derandomize=SCALE == 1,
                    database=None, suppress_health_check=list(HealthCheck))


class Blob(bytes):
    """Bytes with a short repr (hypothesis prints the seed on failure)."""

    def __repr__(self) -> str:
        return f"<{len(self)} bytes>"


def _exported_seed(directory: Path) -> Blob:
    nn.manual_seed(1)
    model = nn.Sequential([nn.Conv2D(1, 3, 3, stride=2, padding=1), nn.BatchNorm(3), nn.PReLU(3), nn.MaxPool2D(2),
                           nn.LeakyReLU(0.2), nn.Flatten(), nn.Dropout(0.1), nn.Dense(3 * 7 * 7, 16), nn.BatchNorm(16),
                           nn.ELU(), nn.Dense(16, 12), nn.Maxout(2), nn.Tanh(), nn.Dense(6, 10), nn.Sigmoid(),
                           nn.Dense(10, 10), nn.Softmax()], input_shape=(1, 28, 28))
    model.metadata = {"name": "seed", "test_accuracy": 0.5}
    path = directory / "exported.onnx"
    nn.export_onnx(model, path, card={"name": "seed", "command": "digitpad train"})
    return Blob(path.read_bytes())


def _helper_seed() -> Blob:
    rng = np.random.default_rng(0)
    inits = [numpy_helper.from_array(rng.normal(0, 0.1, (784, 12)).astype(np.float32), "w1"),
             numpy_helper.from_array(rng.normal(0, 0.1, 12).astype(np.float32), "b1"),
             numpy_helper.from_array(rng.normal(0, 0.1, (10, 12)).astype(np.float32), "w2"),
             numpy_helper.from_array(np.float32([0.2]), "slope")]
    nodes = [helper.make_node("Constant", [], ["shape"], value=numpy_helper.from_array(np.int64([-1, 784]), "s")),
             helper.make_node("Reshape", ["x", "shape"], ["flat"], name="flatten"),
             helper.make_node("MatMul", ["flat", "w1"], ["m"], name="fc1"),
             helper.make_node("Add", ["m", "b1"], ["h"], name="fc1_bias"),
             helper.make_node("PRelu", ["h", "slope"], ["a"], name="prelu"),
             helper.make_node("Identity", ["a"], ["i"]),
             helper.make_node("Constant", [], ["ratio"], value_float=0.3),
             helper.make_node("Dropout", ["i", "ratio"], ["d"], name="drop"),
             helper.make_node("Gemm", ["d", "w2"], ["y"], name="fc2", transB=1, alpha=0.5)]
    graph = helper.make_graph(nodes, "helper", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 28, 28])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 10])], inits)
    return Blob(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)]).SerializeToString())


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> list[Blob]:
    return [_exported_seed(tmp_path_factory.mktemp("seed")), _helper_seed()]


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("onnx-fuzz")


def test_the_seeds_are_valid(seeds, fuzz_dir):
    """Mutations start from graphs digitpad reads (else the fuzzing would only test rejection)."""
    for seed in seeds:
        path = fuzz_dir / f"seed{next(_counter)}.onnx"
        path.write_bytes(seed)
        assert nn.import_onnx(path).predict_proba(np.zeros((2, 1, 28, 28), np.float32)).shape == (2, 10)


NUMBERS = st.sampled_from([0, 1, 2, 3, -1, -2, 7, 10, 28, 784, 10**5, 2**24, 2**31, 2**62, -(2**63)])
FLOATS = st.one_of(st.floats(allow_nan=True, allow_infinity=True, width=32), st.sampled_from([0.0, 1.0, -1.0, 1e30]))
OPS = st.sampled_from(["Gemm", "MatMul", "Add", "Conv", "MaxPool", "BatchNormalization", "Relu", "LeakyRelu", "PRelu",
                       "Elu", "Sigmoid", "Tanh", "Softmax", "Flatten", "Reshape", "ReduceMax", "Dropout", "Identity",
                       "Constant", "LSTM", "If", "Loop", "Transpose", "", "Relu\n"])


def _tensors(model) -> list:
    tensors = list(model.graph.initializer)
    for node in model.graph.node:
        tensors += [a.t for a in node.attribute if a.type == onnx.AttributeProto.TENSOR]
    return tensors


@st.composite
def mutated(draw, seeds):
    seed = draw(st.sampled_from(seeds))
    kind = draw(st.sampled_from(["flip", "truncate", "splice", "dims", "dtype", "data", "op", "attribute", "wire",
                                 "drop", "duplicate", "external", "input", "metadata", "opset"]))
    if kind == "flip":
        data = bytearray(seed)
        for _ in range(draw(st.integers(1, 8))):
            data[draw(st.integers(0, len(data) - 1))] ^= draw(st.integers(1, 255))
        return Blob(data)
    if kind == "truncate":
        return Blob(seed[: draw(st.integers(0, len(seed) - 1))])
    if kind == "splice":
        at = draw(st.integers(0, len(seed)))
        return Blob(seed[:at] + draw(st.binary(min_size=1, max_size=40)) + seed[at:])
    model = onnx.ModelProto()
    model.ParseFromString(bytes(seed))
    nodes = model.graph.node
    for _ in range(draw(st.integers(1, 3))):
        tensors = _tensors(model)
        if kind == "dims" and tensors:
            tensor = draw(st.sampled_from(tensors))
            del tensor.dims[:]
            tensor.dims.extend(draw(st.lists(NUMBERS.filter(lambda n: -(2**63) <= n < 2**63), max_size=9)))
        elif kind == "dtype" and tensors:
            draw(st.sampled_from(tensors)).data_type = draw(st.integers(0, 24))
        elif kind == "data" and tensors:
            tensor = draw(st.sampled_from(tensors))
            choice = draw(st.integers(0, 2))
            if choice == 0:
                tensor.raw_data = draw(st.binary(max_size=64))
            elif choice == 1:  # the values moved to the typed field, maybe with NaN
                values = draw(st.lists(FLOATS, max_size=16))
                tensor.ClearField("raw_data")
                tensor.float_data.extend(values)
            else:
                array = np.frombuffer(tensor.raw_data[: len(tensor.raw_data) // 4 * 4], "<f4").copy()
                if array.size:
                    array[draw(st.integers(0, array.size - 1))] = draw(FLOATS)
                    tensor.raw_data = array.tobytes()
        elif kind == "op" and len(nodes):
            node = nodes[draw(st.integers(0, len(nodes) - 1))]
            node.op_type = draw(OPS)
            if draw(st.booleans()):
                node.domain = draw(st.sampled_from(["", "ai.onnx", "com.microsoft", "ai.onnx.ml"]))
        elif kind == "attribute" and len(nodes):
            node = nodes[draw(st.integers(0, len(nodes) - 1))]
            name = draw(st.sampled_from(["alpha", "beta", "transA", "transB", "axis", "epsilon", "momentum", "pads",
                                         "strides", "kernel_shape", "dilations", "group", "auto_pad", "ceil_mode",
                                         "keepdims", "axes", "training_mode", "ratio", "allowzero", "spatial"]))
            for attribute in [a for a in node.attribute if a.name == name]:
                node.attribute.remove(attribute)
            value = draw(st.one_of(NUMBERS.filter(lambda n: -(2**63) <= n < 2**63), FLOATS,
                                   st.lists(NUMBERS.filter(lambda n: -(2**63) <= n < 2**63), min_size=1, max_size=6),
                                   st.sampled_from(["SAME_UPPER", "VALID", "NOTSET", "bogus\n"])))
            node.attribute.append(helper.make_attribute(name, value))
        elif kind == "wire" and len(nodes):
            node = nodes[draw(st.integers(0, len(nodes) - 1))]
            names = [n for other in nodes for n in (*other.input, *other.output)] + ["", "nowhere", "x"]
            if len(node.input) and draw(st.booleans()):
                node.input[draw(st.integers(0, len(node.input) - 1))] = draw(st.sampled_from(names))
            else:
                node.output.append(draw(st.sampled_from(names)))
        elif kind == "drop" and len(nodes):
            del nodes[draw(st.integers(0, len(nodes) - 1))]
        elif kind == "duplicate" and len(nodes):
            index = draw(st.integers(0, len(nodes) - 1))
            copy = onnx.NodeProto()
            copy.CopyFrom(nodes[index])
            nodes.insert(draw(st.integers(0, len(nodes))), copy)
        elif kind == "external" and tensors:
            tensor = draw(st.sampled_from(tensors))
            tensor.data_location = TensorProto.EXTERNAL
            tensor.external_data.add(key="location", value="/etc/passwd")
        elif kind == "input":
            dims = model.graph.input[0].type.tensor_type.shape.dim
            dim = dims[draw(st.integers(0, len(dims) - 1))]
            if draw(st.booleans()):
                dim.dim_value = draw(NUMBERS.filter(lambda n: 0 <= n < 2**63))
            else:
                dim.dim_param = draw(st.text(max_size=5))
            if draw(st.integers(0, 3)) == 0:
                model.graph.input[0].type.tensor_type.elem_type = draw(st.integers(0, 16))
        elif kind == "metadata":
            model.ClearField("metadata_props")
            value = draw(st.one_of(st.text(max_size=30), st.sampled_from(['{"name": 3}', "[]", "{" * 5000, '{"a":1}'])))
            model.metadata_props.add(key="digitpad_metadata", value=value)
        elif kind == "opset":
            model.opset_import[0].version = draw(NUMBERS.filter(lambda n: -(2**63) <= n < 2**63))
    return Blob(model.SerializeToString())


@fuzz(250)
@given(data=st.data())
def test_onnx_importer_fuzz(seeds, fuzz_dir, data):
    blob = data.draw(mutated(seeds))
    path = fuzz_dir / f"case{next(_counter)}.onnx"
    path.write_bytes(blob)
    tracemalloc.start()
    try:
        try:
            model = nn.load_model(path)
        except ModelFileError as exc:
            message = str(exc)
            assert message and "\n" not in message and str(path) in message, repr(message)
            event("refused: " + message[len(str(path)) + 2:].split(" ")[0])
        else:
            probabilities = model.predict_proba(np.random.default_rng(0).random((3, 1, 28, 28), np.float32))
            assert probabilities.shape[0] == 3 and np.all(np.isfinite(probabilities))
            assert np.allclose(probabilities.sum(axis=1), 1, atol=1e-4)
            event("read")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
        path.unlink()
    # weights as float32 and a few copies of them, and the activations of a few small batches
    assert peak < 16 * len(blob) + (48 << 20), f"peak allocation {peak:,} bytes for a {len(blob):,}-byte file"
