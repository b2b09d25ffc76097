"""Engine speed: training samples/s (batch 128, float32, Adam) and single-image inference latency
for the architectures, the image networks' and the stroke models' (1-D convolutions over pen
trajectories (N, 5, 64): ``strokes``, ``strokes-quick``), against PyTorch's CPU build when it is importable
(``pip install torch==2.13.0``; never a project dependency), timed alternately in the same run
(PyTorch in a worker process of its own, so the two thread pools never meet).

    python benchmarks/bench_engine.py [--seconds 3] [--repeats 3] [--models quick mlp convnet cnn-bn strokes strokes-quick]
                                      [--profile]

PyTorch can come from another environment for the run alone, e.g. its site-packages on PYTHONPATH
(when its numpy is the same version as this one's).

Where ``OPENBLAS_CORETYPE`` or ``OPENBLAS_L2_SIZE`` is set (this development machine forces Haswell
kernels), the same measurement runs a second time in a child process with both unset, as users'
machines run it; each table names the kernel OpenBLAS used (threadpoolctl).  Nothing is changed in
this process.  Prints the tables and writes ``bench-results/engine.json``.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import multiprocessing
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from digitpad import nn
from digitpad.training import architectures

BATCH = 128


def describe(name: str) -> dict:
    """The JSON description of a benchmarked architecture (`digitpad.training.architectures`)."""
    return architectures.describe(name)


def build(name: str) -> nn.Sequential:
    """The architecture ``name``, initialised from seed 0."""
    return architectures.build(name, seed=0)


def input_shape(name: str) -> tuple[int, ...]:
    return tuple(describe(name).get("input_shape", (1, 28, 28)))


def blas_info() -> dict:
    from threadpoolctl import threadpool_info

    pools = [p for p in threadpool_info() if p.get("user_api") == "blas"]
    return {"blas": [{k: p.get(k) for k in ("internal_api", "version", "architecture", "num_threads")} for p in pools],
            "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"),
            "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE")}


def digitpad_runner(name: str, rng):
    model = build(name)
    model.needs_input_grad = False  # as PyTorch, whose input tensor does not require a gradient
    loss, opt = nn.SoftmaxCrossEntropy(), nn.Adam(model.parameters(), lr=1e-3)
    x = rng.random((BATCH, *input_shape(name)), dtype=np.float32)
    y = rng.integers(0, 10, BATCH)
    one = x[:1].copy()

    def train_step():
        model.train()
        _, grad = loss(model.forward(x), y)
        model.backward(grad)
        opt.step()

    def infer_one():
        model.predict_proba(one)

    return (lambda seconds: rate(train_step, seconds)), (lambda: latency_ms(infer_one))


def matmul_flops_per_sample(name: str) -> float:
    """Multiply-add FLOPs (2 per multiply) of one training sample's matrix products in digitpad's
    step: forward, weight gradient, and input gradient for every layer but the first with weights."""
    model = build(name)
    shape, total, first = model.input_shape, 0.0, True
    for layer in model.layers:
        out = layer.output_shape(shape)
        if isinstance(layer, nn.Conv2D):
            products = 2.0 * np.prod(out) * layer.in_channels * layer.kernel_size ** 2
        elif isinstance(layer, nn.Conv1D):
            products = 2.0 * np.prod(out) * layer.in_channels * layer.kernel_size
        elif isinstance(layer, nn.Dense):
            products = 2.0 * layer.in_features * layer.out_features
        else:
            products = 0.0
        if products:
            total += products * (2 if first else 3)
            first = False
        shape = out
    return total


def sgemm_gflops(seconds: float = 1.0) -> float:
    """The best float32 matrix-product rate of numpy's BLAS, in GFLOP/s, over square products and
    the shapes of a convolution's products (many rows, a few hundred columns)."""
    rng = np.random.default_rng(0)
    best = 0.0
    for m, k, n in ((2048, 2048, 2048), (4096, 1024, 1024), (32768, 288, 64), (32768, 576, 64)):
        a, b = rng.random((m, k), dtype=np.float32), rng.random((k, n), dtype=np.float32)
        out = np.empty((m, n), np.float32)
        calls = rate(lambda: np.matmul(a, b, out=out), seconds)
        best = max(best, calls * 2.0 * m * k * n / 1e9)
    return best


def profile(name: str, rng, steps: int = 5) -> None:
    """Per-layer forward and backward times of one digitpad training step (median over ``steps``), the
    layers in the order they run, on the whole batch in one thread (a training step cuts it into
    shards, one per thread: see digitpad.nn.parallel)."""
    model = build(name)
    model.needs_input_grad = False
    loss, opt = nn.SoftmaxCrossEntropy(), nn.Adam(model.parameters(), lr=1e-3)
    x, y = rng.random((BATCH, *model.input_shape), dtype=np.float32), rng.integers(0, 10, BATCH)
    layers = model.execution_order
    times = np.zeros((steps + 1, len(layers) + 1, 2))  # the first step warms up
    for step in range(steps + 1):
        h = x
        for i, layer in enumerate(layers):
            start = time.perf_counter()
            h = layer.forward(h)
            times[step, i, 0] = time.perf_counter() - start
        _, grad = loss(h, y)
        for i in reversed(range(model._first_needed, len(layers))):
            start = time.perf_counter()
            grad = layers[i].backward(grad)
            times[step, i, 1] = time.perf_counter() - start
        start = time.perf_counter()
        opt.step()
        times[step, -1, 1] = time.perf_counter() - start
    ms = np.median(times[1:], axis=0) * 1000
    print(f"{name}: per-layer ms (median of {steps} steps, batch {BATCH}, one thread for all but BLAS)")
    for i, label in enumerate([f"{i:2d} {type(layer).__name__}" for i, layer in enumerate(layers)] + ["   Adam step"]):
        print(f"  {label:<16} forward {ms[i, 0]:8.2f}  backward {ms[i, 1]:8.2f}")
    print(f"  {'total':<16} forward {ms[:, 0].sum():8.2f}  backward {ms[:, 1].sum():8.2f}")


class TorchWorker:
    """PyTorch runs in its own process, driven step by step from here, so the two libraries'
    thread pools never share one: in one process, numpy's multithreaded OpenBLAS calls were
    measured up to 1000x slower after ``import torch`` on this 2-core machine."""

    def __init__(self, process, conn):
        self.process, self.conn = process, conn
        self.info = self._ask(("info",))

    @classmethod
    def start(cls) -> "TorchWorker | None":
        if importlib.util.find_spec("torch") is None:
            return None
        ctx = multiprocessing.get_context("spawn")
        conn, child = ctx.Pipe()
        process = ctx.Process(target=_torch_worker, args=(child,), daemon=True)
        process.start()
        return cls(process, conn)

    def _ask(self, message):
        self.conn.send(message)
        return self.conn.recv()

    def runner(self, name: str):
        return (lambda seconds: self._ask(("train", name, seconds))), (lambda: self._ask(("infer", name)))

    def close(self) -> None:
        self.conn.send(None)
        self.process.join(timeout=10)


def _torch_worker(conn) -> None:
    import torch

    runners = {}
    while (message := conn.recv()) is not None:
        if message[0] == "info":
            conn.send((torch.__version__, torch.get_num_threads()))
            continue
        kind, name, *rest = message
        if name not in runners:
            runners[name] = torch_runner(name, np.random.default_rng(1))
        step, one = runners[name]
        conn.send(rate(step, *rest) if kind == "train" else latency_ms(one))


def torch_module_from_spec(spec: dict):
    import torch

    layers = []
    for entry in spec["layers"]:
        kind, cfg = entry["type"], entry.get("config", {})
        if kind == "Conv2D":
            layers.append(torch.nn.Conv2d(cfg["in_channels"], cfg["out_channels"], cfg["kernel_size"],
                                          stride=cfg.get("stride", 1), padding=cfg.get("padding", 0)))
        elif kind == "Conv1D":
            layers.append(torch.nn.Conv1d(cfg["in_channels"], cfg["out_channels"], cfg["kernel_size"],
                                          stride=cfg.get("stride", 1), padding=cfg.get("padding", 0),
                                          dilation=cfg.get("dilation", 1)))
        elif kind == "MaxPool1D":
            layers.append(torch.nn.MaxPool1d(cfg["kernel_size"], cfg.get("stride")))
        elif kind == "GlobalAvgPool1D":
            layers += [torch.nn.AdaptiveAvgPool1d(1), torch.nn.Flatten()]
        elif kind == "Dense":
            layers.append(torch.nn.Linear(cfg["in_features"], cfg["out_features"]))
        elif kind == "BatchNorm":
            previous = layers[-1]
            cls = torch.nn.BatchNorm2d if isinstance(previous, torch.nn.Conv2d) else torch.nn.BatchNorm1d
            layers.append(cls(cfg["num_features"]))
        elif kind == "ReLU":
            layers.append(torch.nn.ReLU())
        elif kind == "MaxPool2D":
            layers.append(torch.nn.MaxPool2d(cfg["kernel_size"], cfg.get("stride")))
        elif kind == "Flatten":
            layers.append(torch.nn.Flatten())
        elif kind == "Dropout":
            layers.append(torch.nn.Dropout(cfg["p"]))
        else:
            raise ValueError(f"no PyTorch equivalent for {kind}")
    return torch.nn.Sequential(*layers)


def torch_runner(name: str, rng):
    import torch

    model = torch_module_from_spec(describe(name))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = torch.nn.CrossEntropyLoss()
    x = torch.from_numpy(rng.random((BATCH, *input_shape(name)), dtype=np.float32))
    y = torch.from_numpy(rng.integers(0, 10, BATCH))
    one = x[:1].clone()

    def train_step():
        model.train()
        opt.zero_grad()
        loss(model(x), y).backward()
        opt.step()

    def infer_one():
        model.eval()
        with torch.no_grad():
            torch.softmax(model(one), dim=1)

    return train_step, infer_one


def settle() -> None:
    """Pause so that the other library's idle worker threads stop spinning (OpenBLAS and OpenMP
    threads busy-wait a while after each call; on 2 cores they would steal the measured run's CPU)."""
    time.sleep(0.5)


def rate(fn, seconds: float) -> float:
    """Calls per second over about ``seconds`` (after one warm-up call)."""
    settle()
    fn()
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        fn()
        count += 1
    return count / (time.perf_counter() - start)


def latency_ms(fn, calls: int = 200) -> float:
    """Median single-call latency in ms."""
    settle()
    for _ in range(10):
        fn()
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times) * 1000)


BLAS_VARIABLES = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")


def measure(args) -> tuple[dict, list[dict]]:
    """The throughput and latency rows, with this process's BLAS setting and kernel."""
    rng = np.random.default_rng(0)
    if args.profile:
        for name in args.models:
            profile(name, rng)
    gemm = sgemm_gflops()
    print(f"numpy float32 matrix products: best {gemm:.0f} GFLOP/s on this machine", flush=True)
    torch_worker = None if args.no_torch else TorchWorker.start()
    torch_version, torch_threads = torch_worker.info if torch_worker else (None, None)
    rows = []
    try:
        for name in args.models:
            runners = {"digitpad": digitpad_runner(name, rng)}
            if torch_worker:
                runners["pytorch"] = torch_worker.runner(name)
            train = {k: 0.0 for k in runners}
            infer = {k: float("inf") for k in runners}
            for _ in range(args.repeats):  # alternate so both see the same machine state; best round
                for key, (step, _) in runners.items():
                    train[key] = max(train[key], step(args.seconds) * BATCH)
                for key, (_, one) in runners.items():
                    infer[key] = min(infer[key], one())
            flops = matmul_flops_per_sample(name)
            row = {"model": name, "parameters": build(name).parameter_count(),
                   "train_samples_per_s": train, "inference_ms": infer,
                   "matmul_gflop_per_sample": flops / 1e9,
                   "gemm_bound_samples_per_s": gemm * 1e9 / flops}
            if torch_worker:
                row["train_ratio_vs_pytorch"] = train["digitpad"] / train["pytorch"]
                row["inference_speedup_vs_pytorch"] = infer["pytorch"] / infer["digitpad"]
            rows.append(row)
    finally:
        if torch_worker:
            torch_worker.close()
    info = {"machine": platform.machine(), "cpus": os.cpu_count(), "numpy": np.__version__, "sgemm_gflops": gemm,
            "pytorch": torch_version, "pytorch_threads": torch_threads, **blas_info()}
    return info, rows


def print_table(title: str, info: dict, rows: list[dict]) -> None:
    kernels = ", ".join(f"{p['internal_api']} {p['version']} {p['architecture']}" for p in info["blas"]) or "?"
    print(f"\n{title}: OPENBLAS_CORETYPE={info['OPENBLAS_CORETYPE']}, OPENBLAS_L2_SIZE={info['OPENBLAS_L2_SIZE']}; "
          f"kernel: {kernels}; float32 GEMM {info['sgemm_gflops']:.0f} GFLOP/s")
    header = f"{'model':<10} {'params':>9} {'digitpad samples/s':>19} {'pytorch samples/s':>18} {'ratio':>6} " \
             f"{'GEMM bound':>11} {'digitpad 1-img ms':>18} {'pytorch 1-img ms':>17} {'speedup':>8}"
    print(header)
    print("-" * len(header))
    for r in rows:
        t, i = r["train_samples_per_s"], r["inference_ms"]
        print(f"{r['model']:<10} {r['parameters']:>9,} {t['digitpad']:>19,.0f} {t.get('pytorch', float('nan')):>18,.0f} "
              f"{r.get('train_ratio_vs_pytorch', float('nan')):>6.2f} {r['gemm_bound_samples_per_s']:>11,.0f} "
              f"{i['digitpad']:>18.3f} "
              f"{i.get('pytorch', float('nan')):>17.3f} {r.get('inference_speedup_vs_pytorch', float('nan')):>8.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=list(architectures.ARCHITECTURES))
    parser.add_argument("--seconds", type=float, default=3.0, help="timing window per measurement")
    parser.add_argument("--repeats", type=int, default=3,
                        help="alternating rounds of training and of inference; each library's best round counts")
    parser.add_argument("--out", type=Path, default=Path("bench-results/engine.json"))
    parser.add_argument("--profile", action="store_true", help="print per-layer times of digitpad's training step first")
    parser.add_argument("--no-torch", action="store_true", help="digitpad only")
    parser.add_argument("--as-set-only", action="store_true",
                        help="measure only with the BLAS variables as they are (no second run with them unset)")
    args = parser.parse_args()
    info, rows = measure(args)
    runs = {"as set": {"info": info, "results": rows}}
    print_table("BLAS variables as set", info, rows)
    if not args.as_set_only and any(os.environ.get(v) is not None for v in BLAS_VARIABLES):
        # The same command with the variables unset, for that process alone, as users' machines run it:
        # OpenBLAS then picks its kernel itself (SkylakeX here instead of the forced Haswell).
        env = {k: v for k, v in os.environ.items() if k not in BLAS_VARIABLES}
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "unset.json"
            command = [sys.executable, __file__, "--as-set-only", "--out", str(out), "--models", *args.models,
                       "--seconds", str(args.seconds), "--repeats", str(args.repeats)]
            subprocess.run(command + (["--no-torch"] if args.no_torch else []), env=env, check=True,
                           stdout=subprocess.DEVNULL)
            unset = json.loads(out.read_text())["runs"]["as set"]
        runs["unset"] = unset
        print_table("BLAS variables unset (as on users' machines)", unset["info"], unset["results"])
    print("GEMM bound: samples/s if every matrix product of the training step ran at the best rate above and "
          "nothing else took time (direct convolution; digitpad cannot train faster than this).")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"batch": BATCH, "runs": runs}, indent=2) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
