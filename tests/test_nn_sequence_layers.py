"""The sequence layers (Conv1D, MaxPool1D, GlobalAvgPool1D, BatchNorm on (N, C, L)): the fast kernel
against the reference, every gradient against finite differences, forward and gradients against
PyTorch's (answers stored in tests/fixtures/sequence_reference.npz, made by make_sequence_reference.py),
a stroke network through Sequential, the model file and ONNX both ways, and clear errors for bad shapes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from digitpad import nn
from digitpad.errors import ArchitectureError, ModelFileError
from digitpad.nn import conv1d_kernels
from digitpad.nn.gradcheck import numerical_gradient
from test_nn_gradients import assert_close, check_module

FIXTURE = Path(__file__).with_name("fixtures") / "sequence_reference.npz"


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture(scope="module")
def torch_answers() -> dict[str, np.ndarray]:
    with np.load(FIXTURE) as f:
        return {key: f[key] for key in f.files}


def stroke_network(head: str = "gap") -> nn.Sequential:
    """The stroke model of issue 24 on (5 channels, 64 instants), with a global-average or a flatten head."""
    layers = [nn.Conv1D(5, 32, 5, padding=2), nn.BatchNorm(32), nn.ReLU(), nn.MaxPool1D(2),
              nn.Conv1D(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool1D(2)]
    if head == "gap":
        layers += [nn.Conv1D(64, 64, 3, padding=1), nn.ReLU(), nn.GlobalAvgPool1D(), nn.Dense(64, 10)]
    else:
        layers += [nn.Flatten(), nn.Dense(64 * 16, 10)]
    return nn.Sequential(layers, input_shape=(5, 64))


def trained_a_little(model: nn.Sequential, rng, steps: int = 3) -> nn.Sequential:
    loss, opt = nn.SoftmaxCrossEntropy(), nn.Adam(model.parameters(), lr=1e-2)
    x, y = rng.standard_normal((16, *model.input_shape)).astype(np.float32), rng.integers(0, 10, 16)
    model.train()
    for _ in range(steps):   # weights and running statistics away from their initial values
        _, grad = loss(model.forward(x), y)
        model.backward(grad)
        opt.step()
    return model.eval()


# --- the kernel ------------------------------------------------------------------------------------

SETTINGS = [(3, 1, 0, 1), (5, 1, 2, 1), (3, 2, 1, 1), (3, 1, 2, 2), (4, 3, 1, 2), (1, 1, 0, 1), (2, 2, 0, 3),
            (2, 1, 2, 1)]   # stride 1: dx as a convolution of δ, except with more padding than d·(k − 1)


@pytest.mark.parametrize("k,stride,padding,dilation", SETTINGS)
def test_the_patch_kernel_computes_the_reference(k, stride, padding, dilation, rng):
    x, weights, bias = rng.standard_normal((3, 4, 17)), rng.standard_normal((5, 4, k)), rng.standard_normal(5)
    kernel = conv1d_kernels.Patches1D(stride, padding, dilation)
    for _ in range(2):   # the second batch reuses the kept buffers
        out = kernel.forward(x, weights, bias)
        np.testing.assert_allclose(out, conv1d_kernels.conv1d(x, weights, bias, stride, padding, dilation), rtol=1e-12)
        grad_out = rng.standard_normal(out.shape)
        dx, dw = kernel.backward(grad_out, weights)
        ref_dx, ref_dw, _ = conv1d_kernels.conv1d_backward(x, weights, grad_out, stride, padding, dilation)
        np.testing.assert_allclose(dx, ref_dx, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(dw, ref_dw, rtol=1e-12, atol=1e-12)
        assert kernel.backward(grad_out, weights, input_grad=False)[0] is None


def test_float32_stays_float32_and_the_output_is_channels_last(rng):
    layer = nn.Conv1D(3, 8, 3, padding=1)
    out = layer.forward(rng.standard_normal((4, 3, 10)).astype(np.float32))
    assert out.dtype == np.float32 and out.shape == (4, 8, 10)
    assert out.transpose(0, 2, 1).flags.c_contiguous   # the NCL view of (N, L, C) memory
    grad = layer.backward(np.ones_like(out))
    assert grad.dtype == layer.grads["W"].dtype == np.float32 and grad.shape == (4, 3, 10)


# --- finite differences ------------------------------------------------------------------------------

@pytest.mark.parametrize("k,stride,padding,dilation", SETTINGS)
def test_conv1d_gradients(k, stride, padding, dilation, rng):
    layer = nn.Conv1D(3, 4, k, stride=stride, padding=padding, dilation=dilation)
    layer.params["b"][...] = rng.standard_normal(4)
    check_module(layer, rng.standard_normal((2, 3, 11)), rng)


@pytest.mark.parametrize("kernel,stride", [(2, None), (3, None), (3, 2), (3, 1), (2, 3), (4, 1)])
def test_maxpool1d_gradients(kernel, stride, rng):
    check_module(nn.MaxPool1D(kernel, stride), rng.standard_normal((2, 3, 13)), rng)


def test_maxpool1d_ties_send_the_gradient_to_one_input():
    x = np.zeros((1, 1, 6))
    pool = nn.MaxPool1D(3, stride=1)   # overlapping windows of equal values
    pool.forward(x)
    grad = pool.backward(np.ones((1, 1, 4)))
    assert grad.sum() == 4 and np.count_nonzero(grad) <= 4


def test_global_avgpool1d_gradients(rng):
    check_module(nn.GlobalAvgPool1D(), rng.standard_normal((3, 4, 7)), rng)


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm_on_sequences(training, rng):
    layer = nn.BatchNorm(3)
    layer.params["gamma"][...] = rng.uniform(0.5, 1.5, 3)
    layer.params["beta"][...] = rng.standard_normal(3)
    layer.buffers["running_mean"][...], layer.buffers["running_var"][...] = rng.standard_normal(3), [0.5, 1.0, 2.0]
    if training:
        check_module(layer, rng.standard_normal((4, 3, 6)) * 2 + 1, rng)
        return
    layer.astype(np.float64).eval()
    x, upstream = rng.standard_normal((4, 3, 6)), rng.standard_normal((4, 3, 6))
    layer.forward(x)
    assert_close(layer.backward(upstream), numerical_gradient(lambda: float(np.sum(layer.forward(x) * upstream)), x))


def test_a_sequence_network_through_the_loss(rng):
    model = nn.Sequential([
        nn.Conv1D(2, 4, 3, padding=1), nn.BatchNorm(4), nn.ReLU(), nn.MaxPool1D(2),
        nn.Conv1D(4, 3, 3, stride=2, padding=2, dilation=2), nn.PReLU(3), nn.GlobalAvgPool1D(), nn.Dense(3, 3),
    ], input_shape=(2, 10)).astype(np.float64)
    x, y = rng.standard_normal((5, 2, 10)), rng.integers(0, 3, 5)
    loss = nn.SoftmaxCrossEntropy()
    _, grad = loss(model.forward(x), y)
    assert_close(model.backward(grad), numerical_gradient(lambda: loss(model.forward(x), y)[0], x), "input")
    for layer in model.layers:
        for name, value in layer.params.items():
            _, grad = loss(model.forward(x), y)
            model.backward(grad)
            analytic = layer.grads[name].copy()
            assert_close(analytic, numerical_gradient(lambda: loss(model.forward(x), y)[0], value),
                         f"{type(layer).__name__}.{name}")
    check_module(nn.Sequential([nn.Conv1D(2, 3, 3), nn.ReLU(), nn.MaxPool1D(2), nn.Flatten(), nn.Dense(9, 2)],
                               input_shape=(2, 8)), rng.standard_normal((3, 2, 8)), rng)


# --- PyTorch's answers ------------------------------------------------------------------------------

def _cases(answers, prefix):
    return sorted({key.split("/")[0] for key in answers if key.startswith(prefix)})


@pytest.mark.parametrize("dtype,rtol,atol", [(np.float64, 1e-10, 1e-12), (np.float32, 1e-5, 1e-5)])
def test_conv1d_matches_pytorch(torch_answers, dtype, rtol, atol):
    a = torch_answers
    cases = _cases(a, "conv_")
    assert len(cases) == 6
    for case in cases:
        k, s, p, d = (int(v) for v in a[f"{case}/settings"])
        layer = nn.Conv1D(a[f"{case}/x"].shape[1], len(a[f"{case}/W"]), k, stride=s, padding=p, dilation=d)
        layer.astype(dtype)
        layer.params["W"][...], layer.params["b"][...] = a[f"{case}/W"], a[f"{case}/b"]
        out = layer.forward(a[f"{case}/x"].astype(dtype))
        dx = layer.backward(a[f"{case}/g"].astype(dtype))
        for name, got in (("out", out), ("dx", dx), ("dW", layer.grads["W"]), ("db", layer.grads["b"])):
            np.testing.assert_allclose(got, a[f"{case}/{name}"], rtol=rtol, atol=atol, err_msg=f"{case} {name}")


def test_pooling_matches_pytorch(torch_answers):
    a = torch_answers
    cases = _cases(a, "pool_")
    assert len(cases) == 5
    for case in cases:
        k, s = (int(v) for v in a[f"{case}/settings"])
        pool = nn.MaxPool1D(k, s)
        np.testing.assert_array_equal(pool.forward(a[f"{case}/x"]), a[f"{case}/out"], err_msg=case)
        np.testing.assert_allclose(pool.backward(a[f"{case}/g"].astype(np.float64)), a[f"{case}/dx"], rtol=1e-12,
                                   err_msg=case)   # overlapping windows add up gradients: in float64, as PyTorch's
    gap = nn.GlobalAvgPool1D()
    np.testing.assert_allclose(gap.forward(a["gap/x"].astype(np.float64)), a["gap/out"], rtol=1e-12)
    np.testing.assert_allclose(gap.backward(a["gap/g"].astype(np.float64)), a["gap/dx"], rtol=1e-12)
    np.testing.assert_allclose(gap.forward(a["gap/x"]), a["gap/out"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("mode", ["train", "eval"])
def test_batchnorm_on_sequences_matches_pytorch_batchnorm1d(torch_answers, mode):
    a = {key.split("/")[1]: value for key, value in torch_answers.items() if key.startswith(f"bn_{mode}/")}
    layer = nn.BatchNorm(3).astype(np.float64).train(mode == "train")
    layer.params["gamma"][...], layer.params["beta"][...] = a["gamma"], a["beta"]
    layer.buffers["running_mean"][...], layer.buffers["running_var"][...] = a["running_mean"], a["running_var"]
    out = layer.forward(a["x"].astype(np.float64))
    dx = layer.backward(a["g"].astype(np.float64))
    for name, got in (("out", out), ("dx", dx), ("dgamma", layer.grads["gamma"]), ("dbeta", layer.grads["beta"]),
                      ("new_running_mean", layer.buffers["running_mean"]),
                      ("new_running_var", layer.buffers["running_var"])):
        np.testing.assert_allclose(got, a[name], rtol=1e-9, atol=1e-12, err_msg=name)


@pytest.mark.parametrize("dtype,rtol,atol", [(np.float64, 1e-9, 1e-12), (np.float32, 1e-5, 1e-6)])
def test_a_stroke_network_matches_pytorch_through_the_loss(torch_answers, dtype, rtol, atol):
    a = {key.split("/")[1]: value for key, value in torch_answers.items() if key.startswith("net/")}
    model = nn.Sequential([
        nn.Conv1D(3, 6, 5, padding=2), nn.BatchNorm(6), nn.ReLU(), nn.MaxPool1D(2),
        nn.Conv1D(6, 8, 3, padding=2, dilation=2), nn.ReLU(), nn.GlobalAvgPool1D(), nn.Dense(8, 4),
    ], input_shape=(3, 16)).astype(dtype)
    params = [p.value for p in model.parameters()]
    for target, name in zip(params, ("W1", "b1", "gamma", "beta", "W2", "b2", "W3", "b3")):
        target[...] = a[name]
    loss = nn.SoftmaxCrossEntropy()
    logits = model.forward(a["x"].astype(dtype))
    value, grad = loss(logits, a["y"])
    dx = model.backward(grad)
    np.testing.assert_allclose(logits, a["logits"], rtol=rtol, atol=atol)
    np.testing.assert_allclose(value, a["loss"], rtol=rtol)
    np.testing.assert_allclose(dx, a["dx"], rtol=rtol, atol=atol)
    for param, name in zip(model.parameters(), ("W1", "b1", "gamma", "beta", "W2", "b2", "W3", "b3")):
        np.testing.assert_allclose(param.grad, a[f"d{name}"], rtol=rtol, atol=atol, err_msg=name)


# --- the stroke network in Sequential ----------------------------------------------------------------

@pytest.mark.parametrize("head", ["gap", "flatten"])
def test_a_stroke_network_describes_predicts_and_explains(head, rng):
    model = trained_a_little(stroke_network(head), rng)
    shapes = model.output_shapes()
    assert shapes[:4] == [(32, 64), (32, 64), (32, 64), (32, 32)] and shapes[-1] == (10,)
    text = model.summary()
    assert "Conv1D" in text and "MaxPool1D" in text and "(N, 64, 16)" in text and "(input: (5, 64))" in text
    x = rng.standard_normal((7, 5, 64)).astype(np.float32)
    probs = model.predict_proba(x)   # batch norm folded into the convolution before it
    assert probs.shape == (7, 10) and np.allclose(probs.sum(axis=1), 1)
    model.eval()
    np.testing.assert_allclose(probs, nn.softmax(model.forward(x)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict_proba(x[3]), probs[3:4], rtol=1e-5, atol=1e-7)
    outputs = model.layer_outputs(x)
    assert [o.shape[1:] for o in outputs] == shapes
    gradient = model.input_gradient(x, 3)
    assert gradient.shape == x.shape and gradient.dtype == np.float32 and np.abs(gradient).max() > 0
    assert model.input_gradient(x[0], 3).shape == (5, 64)
    if head == "gap":
        assert isinstance(model.execution_order[3], nn.ReLU)   # ReLU runs after the pool: the same result


def test_the_first_convolution_skips_its_input_gradient(rng):
    full, lean = stroke_network().astype(np.float64), stroke_network().astype(np.float64)
    lean.load_state(full.state())
    lean.needs_input_grad = False
    x, upstream = rng.standard_normal((4, 5, 64)), rng.standard_normal((4, 10))
    full.forward(x), lean.forward(x)
    assert full.backward(upstream).shape == x.shape
    assert lean.backward(upstream) is None
    for a, b in zip(full.parameters(), lean.parameters()):
        np.testing.assert_array_equal(a.grad, b.grad)


def test_training_learns_a_sequence_task(rng):
    """Which of two channels rises over time: the network must read along the time axis."""
    n, length = 256, 32
    y = rng.integers(0, 2, n)
    x = rng.standard_normal((n, 2, length)).astype(np.float32) * 0.3
    x[np.arange(n), y] += np.linspace(-1, 1, length, dtype=np.float32)
    model = nn.Sequential([nn.Conv1D(2, 8, 5, padding=2), nn.BatchNorm(8), nn.ReLU(), nn.MaxPool1D(2),
                           nn.Conv1D(8, 8, 3, padding=1), nn.ReLU(), nn.GlobalAvgPool1D(), nn.Dense(8, 2)],
                          input_shape=(2, length))
    model.needs_input_grad = False
    loss, opt = nn.SoftmaxCrossEntropy(), nn.Adam(model.parameters(), lr=1e-2)
    for _ in range(60):
        model.train()
        _, grad = loss(model.forward(x), y)
        model.backward(grad)
        opt.step()
    assert (model.predict(x) == y).mean() > 0.95


# --- files: digitpad's own and ONNX ---------------------------------------------------------------------

@pytest.mark.parametrize("head", ["gap", "flatten"])
def test_save_and_load_round_trip(head, tmp_path, rng):
    model = trained_a_little(stroke_network(head), rng)
    path = tmp_path / "strokes.npz"
    nn.save_model(model, path)
    loaded = nn.load_model(path)
    x = rng.standard_normal((5, 5, 64)).astype(np.float32)
    np.testing.assert_array_equal(loaded.predict_proba(x), model.predict_proba(x))
    assert loaded.summary() == model.summary() and loaded.input_shape == (5, 64)
    assert loaded.layers[0].config() == model.layers[0].config()


def test_a_dilated_strided_convolution_round_trips(tmp_path, rng):
    model = nn.Sequential([nn.Conv1D(2, 3, 3, stride=2, padding=2, dilation=3, init="he_normal"), nn.ReLU(),
                           nn.Flatten(), nn.Dense(3 * 7, 4)], input_shape=(2, 16))
    nn.save_model(model, tmp_path / "m.npz")
    loaded = nn.load_model(tmp_path / "m.npz")
    assert loaded.layers[0].config() == {"in_channels": 2, "out_channels": 3, "kernel_size": 3, "stride": 2,
                                         "padding": 2, "dilation": 3, "init": "he_normal"}
    x = rng.standard_normal((3, 2, 16)).astype(np.float32)
    np.testing.assert_array_equal(loaded.predict_proba(x), model.predict_proba(x))


def _run_onnxruntime(path: Path, x: np.ndarray) -> np.ndarray:
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    return session.run(None, {session.get_inputs()[0].name: x})[0]


@pytest.mark.parametrize("head", ["gap", "flatten"])
def test_onnx_export_runs_in_onnxruntime_and_imports_back(head, tmp_path, rng):
    model = trained_a_little(stroke_network(head), rng)
    model.layers.insert(5, nn.PReLU(64))   # per channel on (N, C, L)
    model = nn.Sequential(model.layers, input_shape=(5, 64))
    path = tmp_path / "strokes.onnx"
    nn.export_onnx(model, path)
    proto = onnx.load(str(path))
    ops = [node.op_type for node in proto.graph.node]
    assert ops.count("Conv") == (3 if head == "gap" else 2) and "MaxPool" in ops
    assert ("GlobalAveragePool" in ops) == (head == "gap")
    assert [d.dim_value for d in proto.graph.input[0].type.tensor_type.shape.dim[1:]] == [5, 64]
    x = rng.standard_normal((9, 5, 64)).astype(np.float32)
    expected = model.predict_proba(x)
    np.testing.assert_allclose(_run_onnxruntime(path, x), expected, rtol=1e-5, atol=1e-6)
    back = nn.import_onnx(path)
    assert back.input_shape == (5, 64) and not back.training
    assert [type(layer) for layer in back.layers] == [type(layer) for layer in model.layers]
    assert [layer.config() for layer in back.layers] == [layer.config() for layer in model.layers]
    np.testing.assert_allclose(back.predict_proba(x), expected, rtol=1e-6, atol=1e-7)


def _tensor(name, value):
    return numpy_helper.from_array(np.asarray(value), name)


def test_a_graph_made_elsewhere_with_reduce_mean_imports(tmp_path, rng):
    """Conv (1-D, dilated, strided, bias as an Add), MaxPool, ReduceMean over time and a MatMul head, written
    with the onnx helper API: digitpad reads it as Conv1D, MaxPool1D, GlobalAvgPool1D, Dense."""
    w = rng.normal(0, 0.3, (6, 3, 3)).astype(np.float32)
    b = rng.normal(0, 0.3, (1, 6, 1)).astype(np.float32)
    head = rng.normal(0, 0.3, (6, 4)).astype(np.float32)
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], kernel_shape=[3], strides=[2], pads=[2, 2], dilations=[2]),
             helper.make_node("Add", ["c", "b"], ["cb"]),
             helper.make_node("Relu", ["cb"], ["r"]),
             helper.make_node("MaxPool", ["r"], ["p"], kernel_shape=[2], strides=[1]),
             helper.make_node("ReduceMean", ["p"], ["m"], axes=[-1], keepdims=0),
             helper.make_node("MatMul", ["m", "head"], ["y"])]
    graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3, 20])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])],
                              [_tensor("w", w), _tensor("b", b), _tensor("head", head)])
    path = tmp_path / "made.onnx"
    path.write_bytes(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString())
    model = nn.import_onnx(path)
    assert [type(layer).__name__ for layer in model.layers] == ["Conv1D", "ReLU", "MaxPool1D", "GlobalAvgPool1D",
                                                                 "Dense"]
    x = rng.standard_normal((5, 3, 20)).astype(np.float32)
    np.testing.assert_allclose(model.predict_proba(x), nn.softmax(_run_onnxruntime(path, x)), rtol=1e-5, atol=1e-6)


def test_onnx_sequence_graphs_digitpad_does_not_have_are_refused(tmp_path):
    w = _tensor("w", np.zeros((4, 3, 3), np.float32))

    def graph_file(name, nodes, out_dims=("N", 4)):
        graph = helper.make_graph(nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, 10])],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, list(out_dims))], [w])
        path = tmp_path / f"{name}.onnx"
        path.write_bytes(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]).SerializeToString())
        return path

    cases = {
        "uneven-pads": ([helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 0]),
                         helper.make_node("GlobalAveragePool", ["c"], ["p"]),
                         helper.make_node("Flatten", ["p"], ["y"])], "pads [1, 0]"),
        "pool-then-relu": ([helper.make_node("Conv", ["x", "w"], ["c"]),
                            helper.make_node("GlobalAveragePool", ["c"], ["p"]),
                            helper.make_node("Relu", ["p"], ["y"])], "only before a Flatten"),
        "pool-at-the-end": ([helper.make_node("Conv", ["x", "w"], ["c"]),
                             helper.make_node("GlobalAveragePool", ["c"], ["y"])], "ends with a GlobalAveragePool"),
        "mean-keepdims": ([helper.make_node("Conv", ["x", "w"], ["c"]),
                           helper.make_node("ReduceMean", ["c"], ["y"], axes=[2], keepdims=1)], "ReduceMean only"),
        "two-strides": ([helper.make_node("Conv", ["x", "w"], ["c"], strides=[1, 1]),
                         helper.make_node("ReduceMean", ["c"], ["y"], axes=[2], keepdims=0)], "strides [1, 1]"),
    }
    for name, (nodes, fragment) in cases.items():
        with pytest.raises(ModelFileError) as caught:
            nn.import_onnx(graph_file(name, nodes))
        assert fragment in str(caught.value) and "\n" not in str(caught.value), (name, str(caught.value))


# --- bad shapes and settings ---------------------------------------------------------------------------

@pytest.mark.parametrize("layers,input_shape,fragment", [
    ([nn.Conv1D(3, 4, 3)], (4, 10), "Conv1D expects inputs of shape (3, L), got (4, 10)"),
    ([nn.Conv1D(3, 4, 3)], (3, 10, 10), "Conv1D expects inputs of shape (3, L)"),
    ([nn.Conv1D(3, 4, 5, dilation=3)], (3, 12), "does not fit input (3, 12)"),
    ([nn.MaxPool1D(4)], (3, 3), "MaxPool1D window 4 does not fit input (3, 3)"),
    ([nn.MaxPool1D(2)], (1, 8, 8), "MaxPool1D expects (C, L) inputs"),
    ([nn.GlobalAvgPool1D()], (1, 8, 8), "GlobalAvgPool1D expects (C, L) inputs"),
    ([nn.Conv1D(3, 4, 3), nn.BatchNorm(3)], (3, 10), "BatchNorm(3) got per-sample shape (4, 8)"),
    ([nn.Conv1D(3, 4, 3), nn.GlobalAvgPool1D(), nn.Dense(8, 2)], (3, 10), "Dense expects inputs of shape (8,)"),
])
def test_bad_shapes_are_clear_errors(layers, input_shape, fragment):
    with pytest.raises(ValueError) as caught:
        nn.Sequential(layers, input_shape=input_shape)
    assert fragment in str(caught.value)


@pytest.mark.parametrize("make", [lambda: nn.Conv1D(3, 4, 0), lambda: nn.Conv1D(3, 4, 3, stride=0),
                                  lambda: nn.Conv1D(3, 4, 3, dilation=0), lambda: nn.Conv1D(3, 4, 3, padding=-1),
                                  lambda: nn.MaxPool1D(0), lambda: nn.MaxPool1D(2, stride=0)])
def test_impossible_settings_are_refused(make):
    with pytest.raises(ValueError, match="positive"):
        make()


def test_a_model_file_with_a_bad_sequence_layer_is_an_architecture_error():
    spec = {"input_shape": [5, 64], "layers": [{"type": "Conv1D", "config": {"in_channels": 5, "out_channels": 4,
                                                                             "kernel_size": 3, "dilation": 0}}]}
    with pytest.raises(ArchitectureError, match="dilation=0 is out of range"):
        nn.build_model(spec)
    spec["layers"][0]["config"]["dilation"] = 40
    with pytest.raises(ArchitectureError, match="does not fit input"):
        nn.build_model(spec)
