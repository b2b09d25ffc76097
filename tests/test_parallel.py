"""Data-parallel forward/backward (digitpad.nn.parallel): the same step as one thread, really in threads."""

import threading

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from digitpad import nn
from digitpad.nn import parallel


@pytest.fixture
def shards(monkeypatch):
    """Shard even tiny batches, over ``count`` threads."""
    monkeypatch.setattr(parallel, "MIN_SHARD_VALUES", 1)
    monkeypatch.setattr(parallel, "_threads", None)

    def use(count):
        parallel.set_num_threads(count)
    return use


class ThreadProbe(nn.Module):
    """Identity that records which thread ran it, the BLAS thread limit it saw, and can fail in one shard."""

    def __init__(self, fail_in_shard=None):
        super().__init__()
        self.fail, self.seen = {"in_shard": fail_in_shard}, []  # shared with the replicas

    def forward(self, x):
        blas = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
        self.seen.append((threading.get_ident(), self.shard and self.shard.index, blas))
        if self.shard is not None and self.shard.index == self.fail["in_shard"]:
            raise ValueError("shard failed on purpose")
        return x

    def backward(self, grad_out):
        return grad_out


def _network(probe=None, rng_seed=3):
    layers = [nn.Conv2D(2, 4, 3, padding=1, rng=np.random.default_rng(0)), nn.BatchNorm(4), nn.PReLU(4),
              nn.MaxPool2D(2), nn.Conv2D(4, 5, 3, rng=np.random.default_rng(1)), nn.BatchNorm(5), nn.ReLU(),
              nn.Flatten(), nn.Dropout(0.3, rng=np.random.default_rng(rng_seed)),
              nn.Dense(5 * 2 * 2, 6, rng=np.random.default_rng(2)), nn.BatchNorm(6), nn.Tanh(),
              nn.Dense(6, 3, rng=np.random.default_rng(4))]
    if probe is not None:
        layers.insert(1, probe)
    return nn.Sequential(layers, input_shape=(2, 8, 8)).astype(np.float64)


def _step(model, x, y):
    out = model.forward(x)
    value, grad = nn.SoftmaxCrossEntropy()(out, y)
    dx = model.backward(grad)
    return out, dx, {f"{i}.{k}": g.copy() for i, layer in enumerate(model.layers) for k, g in layer.grads.items()}


@pytest.mark.parametrize("threads", [2, 3])
def test_a_sharded_step_computes_the_one_thread_step(shards, threads):
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=(11, 2, 8, 8)), rng.integers(0, 3, 11)  # 11 rows: uneven shards
    shards(1)
    serial = _network()
    expected = _step(serial, x, y)
    shards(threads)
    sharded = _network()
    got = _step(sharded, x, y)
    assert sharded._sharded and not serial._sharded
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-10, atol=1e-12)   # outputs (same dropout mask)
    np.testing.assert_allclose(got[1], expected[1], rtol=1e-9, atol=1e-12)    # input gradient
    assert got[2].keys() == expected[2].keys()
    for name in expected[2]:                                                  # parameter gradients
        np.testing.assert_allclose(got[2][name], expected[2][name], rtol=1e-9, atol=1e-12, err_msg=name)
    for name, value in serial.state().items():                                # running statistics, once
        np.testing.assert_allclose(sharded.state()[name], value, rtol=1e-12, atol=1e-12, err_msg=name)


def test_a_sharded_backward_overwrites_the_gradients(shards):
    """The model's gradients are the shards' sum, written afresh at each backward: what a previous batch
    left there never reaches the step (optimisers have no ``zero_grad``)."""
    shards(2)
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(9, 2, 8, 8)), rng.integers(0, 3, 9)
    twin = _network()        # the same dropout masks, step by step
    _step(twin, x, y)
    expected = _step(twin, x, y)
    model = _network()
    _step(model, x, y)
    for layer in model.layers:
        for grad in layer.grads.values():
            grad.fill(1e6)
    got = _step(model, x, y)
    assert model._sharded
    for name in expected[2]:
        np.testing.assert_array_equal(got[2][name], expected[2][name], err_msg=name)


def test_sharded_training_follows_the_one_thread_training(shards):
    rng = np.random.default_rng(8)
    x, y = rng.normal(size=(16, 2, 8, 8)), rng.integers(0, 3, 16)
    models = {}
    for threads in (1, 2):
        shards(threads)
        model = _network()
        model.needs_input_grad = False
        opt = nn.Adam(model.parameters(), lr=0.01)
        for _ in range(5):
            model.train()
            _step(model, x, y)
            opt.step()
        models[threads] = model
    for name, value in models[1].state().items():
        np.testing.assert_allclose(models[2].state()[name], value, rtol=1e-8, atol=1e-8, err_msg=name)  # conv biases before BN: ~0


def test_shards_run_in_their_own_threads_with_one_blas_thread_each(shards):
    before = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    shards(2)
    probe = ThreadProbe()
    model = _network(probe)
    _step(model, np.ones((6, 2, 8, 8)), np.zeros(6, int))
    seen = probe.seen  # a list shared with the replicas
    assert sorted(index for _, index, _ in seen) == [0, 1]
    assert len({ident for ident, _, _ in seen}) == 2
    assert all(blas == [1] * len(before) for _, _, blas in seen), (before, seen)
    assert [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"] == before


def test_a_failing_shard_raises_its_error_and_nothing_hangs(shards):
    before = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    shards(2)
    model = _network(ThreadProbe(fail_in_shard=1))  # shard 0 waits for shard 1 in the batch norm
    with pytest.raises(ValueError, match="on purpose"):
        model.forward(np.ones((6, 2, 8, 8)))
    assert [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"] == before
    model.layers[1].fail["in_shard"] = None  # the model works again: no exchange is left broken
    assert model.forward(np.ones((6, 2, 8, 8))).shape == (6, 3)


def test_two_models_training_at_once_leave_blas_as_it_was(shards):
    before = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]
    shards(2)
    rng = np.random.default_rng(9)
    x, y = rng.normal(size=(8, 2, 8, 8)), rng.integers(0, 3, 8)
    errors = []

    def train():
        try:
            model = _network()
            for _ in range(20):
                _step(model, x, y)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
    threads = [threading.Thread(target=train) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == [] and not any(thread.is_alive() for thread in threads)
    assert [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"] == before


def test_shard_count_follows_threads_and_work(monkeypatch):
    monkeypatch.setattr(parallel, "_threads", None)
    parallel.set_num_threads(4)
    assert parallel.shard_count(128, 70_000) == 4              # a convnet's batch: one shard per thread
    assert parallel.shard_count(128, 3_866) == 1               # a small MLP's batch: BLAS threads suffice
    assert parallel.shard_count(3, 10 ** 7) == 3               # never more shards than samples
    parallel.set_num_threads(1)
    assert parallel.shard_count(128, 70_000) == 1
    with pytest.raises(ValueError, match="at least 1"):
        parallel.set_num_threads(0)


def test_backward_with_a_gradient_of_the_wrong_batch_is_refused(shards):
    shards(2)
    model = _network()
    model.forward(np.ones((6, 2, 8, 8)))
    with pytest.raises(ValueError, match="4 samples after a forward of 6"):
        model.backward(np.ones((4, 3)))


def test_sharded_prediction_equals_one_thread_prediction(shards):
    rng = np.random.default_rng(10)
    x = rng.normal(size=(9, 2, 8, 8))
    model = _network()
    for _ in range(3):  # running statistics away from their initial values
        model.forward(rng.normal(size=(9, 2, 8, 8)))
    shards(1)
    expected = model.predict_proba(x)
    shards(3)
    assert parallel.shard_count(len(x), model._values_per_sample) == 3
    np.testing.assert_allclose(model.predict_proba(x), expected, rtol=1e-12, atol=1e-15)
    assert model.training  # the mode is restored


def test_blas_is_limited_in_shards_after_a_qt_thread_trained(shards, qapp):
    # threadpoolctl lets only the first thread that set OpenBLAS's limit set it again, and a QThread
    # counts as alive for ever: sharding in a training job once made later limits silently fail.
    from PySide6.QtCore import QThread

    shards(2)
    before = [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"]

    in_job, probe = ThreadProbe(), ThreadProbe()

    class Job(QThread):
        def run(self):
            _step(_network(in_job), np.ones((6, 2, 8, 8)), np.zeros(6, int))
    _step(_network(ThreadProbe()), np.ones((6, 2, 8, 8)), np.zeros(6, int))  # this thread first, then the job
    job = Job()
    job.start()
    assert job.wait(60_000)
    _step(_network(probe), np.ones((6, 2, 8, 8)), np.zeros(6, int))           # then this thread again
    assert [blas for _, _, blas in in_job.seen + probe.seen] == [[1] * len(before)] * 4
    assert [p["num_threads"] for p in threadpool_info() if p["user_api"] == "blas"] == before


def test_shard_threads_are_kept_from_call_to_call_and_stop_with_the_model(shards):
    import gc
    import time

    def shard_threads():
        return sum(thread.name == "digitpad-shard" for thread in threading.enumerate())
    shards(2)
    probe = ThreadProbe()
    model = _network(probe)
    before = shard_threads()
    for _ in range(3):
        _step(model, np.ones((6, 2, 8, 8)), np.zeros(6, int))
    assert len({ident for ident, index, _ in probe.seen if index == 1}) == 1  # the same worker every time
    assert shard_threads() == before + 1
    del model
    gc.collect()
    deadline = time.monotonic() + 10
    while shard_threads() > before and time.monotonic() < deadline:
        time.sleep(0.01)
    assert shard_threads() == before


def test_a_seeded_sharded_run_repeats_exactly(shards):
    shards(2)
    rng = np.random.default_rng(12)
    x, y = rng.normal(size=(10, 2, 8, 8)), rng.integers(0, 3, 10)
    states = []
    for _ in range(2):
        model = _network()
        opt = nn.Adam(model.parameters(), lr=0.01)
        for _ in range(3):
            _step(model, x, y)
            opt.step()
        states.append(model.state())
    for name, value in states[0].items():
        np.testing.assert_array_equal(states[1][name], value, err_msg=name)


def _sequence_network():
    layers = [nn.Conv1D(3, 4, 5, padding=2, rng=np.random.default_rng(0)), nn.BatchNorm(4), nn.ReLU(),
              nn.MaxPool1D(2), nn.Conv1D(4, 5, 3, stride=2, padding=2, dilation=2, rng=np.random.default_rng(1)),
              nn.PReLU(5), nn.GlobalAvgPool1D(), nn.Dropout(0.3, rng=np.random.default_rng(3)),
              nn.Dense(5, 3, rng=np.random.default_rng(2))]
    return nn.Sequential(layers, input_shape=(3, 12)).astype(np.float64)


@pytest.mark.parametrize("threads", [2, 3])
def test_a_sharded_sequence_network_trains_as_one_thread(shards, threads):
    """Conv1D replicas keep buffers of their own: a sharded step, and five of training, are the one-thread ones."""
    rng = np.random.default_rng(13)
    x, y = rng.normal(size=(11, 3, 12)), rng.integers(0, 3, 11)
    shards(1)
    expected = _step(_sequence_network(), x, y)
    shards(threads)
    sharded = _sequence_network()
    got = _step(sharded, x, y)
    assert sharded._sharded
    np.testing.assert_allclose(got[0], expected[0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(got[1], expected[1], rtol=1e-9, atol=1e-12)
    for name in expected[2]:
        np.testing.assert_allclose(got[2][name], expected[2][name], rtol=1e-9, atol=1e-12, err_msg=name)
    models = {}
    for count in (1, threads):
        shards(count)
        model = _sequence_network()
        model.needs_input_grad = False
        opt = nn.Adam(model.parameters(), lr=0.01)
        for _ in range(5):
            model.train()
            _step(model, x, y)
            opt.step()
        models[count] = model
    assert models[threads]._sharded
    for name, value in models[1].state().items():
        np.testing.assert_allclose(models[threads].state()[name], value, rtol=1e-8, atol=1e-8, err_msg=name)
    shards(1)
    single = models[1].predict_proba(x)
    shards(threads)
    np.testing.assert_allclose(models[1].predict_proba(x), single, rtol=1e-12, atol=1e-15)
