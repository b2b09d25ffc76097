"""Data-parallel forward and backward over the CPU's cores.

A large batch is cut into shards of consecutive rows, one per thread.  Each shard runs through its own
*replica* of the layers (`Module.replica`: the same parameter arrays, its own caches and gradients),
and after backward the replicas' gradients are added up into the model's.  NumPy releases the GIL
inside its array loops and BLAS runs in the calling thread (held to one thread while shards run, so
the cores are not oversubscribed), so every pass uses every core: the element-wise passes, pooling
and copies as well as the matrix products.

The step stays the step of the whole batch.  Batch norm adds up the shards' partial sums
(`Shard.total`) and dropout draws the whole batch's mask once (`Shard.rows_of`), so a parallel step
computes what the one-thread step computes, up to float rounding (the sums are added in another order).
For a given thread count the rounding is fixed too: a seeded run repeats exactly.

    nn.set_num_threads(1)   # one thread: no sharding
"""

from __future__ import annotations

import os
import queue
import threading
import weakref
from contextlib import contextmanager
from functools import reduce
from typing import Callable

import numpy as np

MIN_SHARD_VALUES = 1 << 20  # a shard's layer outputs hold at least this many values (4 MB of float32)

_threads: int | None = None


def set_num_threads(count: int) -> None:
    """How many threads a model's forward and backward may use (like ``torch.set_num_threads``)."""
    global _threads
    if int(count) < 1:
        raise ValueError(f"the number of threads must be at least 1, got {count}")
    _threads = int(count)


def get_num_threads() -> int:
    """The thread count set with `set_num_threads`; by default the CPUs this process may run on."""
    if _threads is None:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return _threads


def shard_count(batch: int, values_per_sample: int) -> int:
    """Number of shards for a batch: one per thread, as long as each shard's layer outputs hold at
    least MIN_SHARD_VALUES values, so that starting a thread and meeting the other shards (tens of
    microseconds) stays small next to the shard's work.  On two cores that shards convolutional
    networks' training batches, and not a small MLP's, whose products BLAS already runs on both."""
    return max(1, min(get_num_threads(), batch, batch * values_per_sample // MIN_SHARD_VALUES))


# --- BLAS held to one thread while shards run ----------------------------------------------------------
_blas_lock = threading.Lock()
_blas_users = 0
_blas_limiter = None
_blas_controller = None


@contextmanager
def _single_threaded_blas():
    """BLAS runs in the calling thread for the duration.  Nested and concurrent uses (two models
    training in two threads) share one limit: the first entry sets it, the last exit restores it."""
    global _blas_users, _blas_limiter
    with _blas_lock:
        if _blas_users == 0:
            _blas_limiter = _as_any_thread(lambda: _controller().limit(limits=1, user_api="blas"))
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0:
                _as_any_thread(_blas_limiter.restore_original_limits)
                _blas_limiter = None


def _as_any_thread(change):
    """Run a change of BLAS limits from whichever thread we are in.  threadpoolctl lets only one thread
    set OpenBLAS's (process-wide) limit: the first that does, for as long as it lives -- and a thread
    Qt started (a training job) counts as alive for ever, after which every other thread's limit is
    silently ignored and the shards oversubscribe the cores (measured: 5,300 -> 1,400 samples/s).
    Changes here are serialised by ``_blas_lock``, so control is taken for the change and given back."""
    from threadpoolctl import OpenBLASController

    OpenBLASController.clear_controlling_thread(force=True)
    try:
        return change()
    finally:
        OpenBLASController.clear_controlling_thread(force=True)


def _controller():
    """threadpoolctl's view of the loaded BLAS libraries, found once (finding them takes milliseconds)."""
    global _blas_controller
    if _blas_controller is None:
        from threadpoolctl import ThreadpoolController

        _blas_controller = ThreadpoolController()
    return _blas_controller


# --- what a replica knows about its shard ---------------------------------------------------------------
class _Exchange:
    """Where the shards of one parallel call meet: every shard posts a value and gets all of them."""

    def __init__(self, count: int):
        self.barrier = threading.Barrier(count)
        self.slots: list = [None] * count

    def all_gather(self, index: int, value) -> list:
        self.slots[index] = value
        self.barrier.wait()  # every value posted
        values = list(self.slots)
        self.barrier.wait()  # every value read: the slots may be reused
        return values


class Shard:
    """Rows ``start:stop`` of a batch of ``batch_size``, processed by replica chain ``index`` (0 is the leader)."""

    def __init__(self, exchange: _Exchange, index: int, start: int, stop: int, batch_size: int):
        self.exchange, self.index, self.start, self.stop, self.batch_size = exchange, index, start, stop, batch_size

    @property
    def leader(self) -> bool:
        """Shard 0: the one that updates shared state (batch norm's running statistics)."""
        return self.index == 0

    def total(self, value):
        """The sum of ``value`` over every shard, added in shard order: the same result in each shard."""
        return reduce(lambda a, b: a + b, self.exchange.all_gather(self.index, value))

    def rows_of(self, make_whole_batch: Callable[[], np.ndarray]) -> np.ndarray:
        """The leader makes an array for the whole batch (e.g. a dropout mask, drawn as the one-thread
        step draws it); each shard gets its own rows of it."""
        whole = self.exchange.all_gather(self.index, make_whole_batch() if self.leader else None)[0]
        return whole[self.start:self.stop]


# --- the runner ------------------------------------------------------------------------------------------
class _Workers:
    """Threads kept for shards 1, 2, ... of one DataParallel, started when first needed and stopped
    when it is garbage-collected.  (A new thread per call cost about 5 % of a convnet training step.)"""

    def __init__(self):
        self._inboxes: list[queue.SimpleQueue] = []
        weakref.finalize(self, _stop_workers, self._inboxes)

    def start(self, tasks: list[Callable[[], None]]) -> None:
        """Hand task i to worker i; returns at once."""
        while len(self._inboxes) < len(tasks):
            inbox = queue.SimpleQueue()
            threading.Thread(target=_work, args=(inbox,), name="digitpad-shard", daemon=True).start()
            self._inboxes.append(inbox)
        for inbox, task in zip(self._inboxes, tasks):
            inbox.put(task)


def _work(inbox: queue.SimpleQueue) -> None:
    while (task := inbox.get()) is not None:
        task()
        del task  # holds the runner while this thread waits: it would never be collected


def _stop_workers(inboxes: list[queue.SimpleQueue]) -> None:
    for inbox in inboxes:
        inbox.put(None)


class DataParallel:
    """Forward and backward of a list of layers, shard by shard in threads (Sequential uses it when
    `shard_count` gives more than one shard)."""

    def __init__(self, layers: list):
        self.layers = layers
        self._replicas: list[list] = []
        self._replica_key = None
        self._bounds: list[int] = []
        self._workers = _Workers()

    def _replicas_for(self, count: int) -> list[list]:
        """``count`` replica chains, remade when a parameter array or a layer's settings changed."""
        key = (count, tuple(id(v) for layer in self.layers for v in layer.params.values()),
               tuple(getattr(layer, "needs_input_grad", None) for layer in self.layers))
        if key != self._replica_key:
            self._replicas = [[layer.replica() for layer in self.layers] for _ in range(count)]
            self._replica_key = key
        for chain in self._replicas:
            for layer, twin in zip(self.layers, chain):
                twin.training = layer.training
        return self._replicas

    def _run(self, work: Callable[[list, np.ndarray], np.ndarray], parts: list[np.ndarray]) -> list:
        """``work(chain, part)`` for every shard, shard 0 in this thread; the first error is raised
        (a shard that fails breaks the exchange, so none waits forever for it)."""
        count = len(parts)
        exchange = _Exchange(count)
        results, errors = [None] * count, [None] * count
        for index, chain in enumerate(self._replicas):
            shard = Shard(exchange, index, self._bounds[index], self._bounds[index + 1], self._bounds[-1])
            for twin in chain:
                twin.shard = shard

        finished = queue.SimpleQueue()

        def run(index):
            try:
                results[index] = work(self._replicas[index], parts[index])
            except BaseException as exc:  # re-raised in the caller's thread below
                errors[index] = exc
                exchange.barrier.abort()
            finally:
                finished.put(index)

        with _single_threaded_blas():
            self._workers.start([lambda i=i: run(i) for i in range(1, count)])
            run(0)
            for _ in range(count):
                finished.get()
        failures = [e for e in errors if e is not None]
        if failures:
            first = next((e for e in failures if not isinstance(e, threading.BrokenBarrierError)), failures[0])
            raise first
        return results

    def forward(self, x: np.ndarray, count: int, run_chain: Callable[[list, np.ndarray], np.ndarray]) -> np.ndarray:
        """``run_chain(layers, part)`` on ``count`` shards of x, one replica chain each; the outputs joined."""
        n = len(x)
        self._bounds = [n * i // count for i in range(count + 1)]
        self._replicas_for(count)
        return np.concatenate(self._run(run_chain, self._split(x)))

    def backward(self, grad_out: np.ndarray, run_chain: Callable[[list, np.ndarray], np.ndarray | None]) -> np.ndarray | None:
        """``run_chain(layers, part)`` backward on the shards of the last forward; the replicas' parameter
        gradients are summed into the model's layers.  Returns the joined input gradients, or None."""
        grads_in = self._run(run_chain, self._split(grad_out))
        for i, layer in enumerate(self.layers):
            for name, grad in layer.grads.items():
                parts = [chain[i].grads[name] for chain in self._replicas]
                np.add(parts[0], parts[1], out=grad)
                for part in parts[2:]:
                    grad += part
        return None if grads_in[0] is None else np.concatenate(grads_in)

    def _split(self, batch: np.ndarray) -> list[np.ndarray]:
        if len(batch) != self._bounds[-1]:
            raise ValueError(f"backward got a gradient for {len(batch)} samples after a forward of {self._bounds[-1]}")
        return [batch[a:b] for a, b in zip(self._bounds[:-1], self._bounds[1:])]
