"""Time to a good model: wall time until the MNIST test accuracy reaches 98.5, 99.0 and 99.3 %, for the
digitpad training presets and for the same architecture and settings in PyTorch (when torch is
importable: ``pip install torch==2.13.0``; never a project dependency).

Each run is a fresh process of its own, one after the other (never two at once on the machine), and
its clock starts before the MNIST files are read, so data loading counts, as it does for a user.
digitpad runs the product's own path (`digitpad.training.run`'s training set and `Trainer`); PyTorch runs
the same layers (PyTorch's default initialisation, as a PyTorch user gets), the same training and
validation split, batch size, optimiser, learning-rate schedule (the identical per-step rates) and
epochs.  Four times an epoch the test set is evaluated with the clock paused; a level's time is the
first checkpoint at or above it.  The "end" columns are the whole run as the preset is configured:
what `digitpad train --model quick` costs, test evaluation excluded.

    python benchmarks/bench_time_to_accuracy.py [--presets quick convnet] [--repeats 1] [--epochs N]

Target: the quick preset reaches 99.0 % in at most 30 s, and digitpad reaches each level in no more
wall time than PyTorch with the same settings.  Prints a table and writes
``bench-results/time_to_accuracy.json`` with both BLAS settings of the run (as set, not changed here).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

LEVELS = (0.985, 0.990, 0.993)
CHECKS_PER_EPOCH = 4
QUICK_TARGET_S = 30.0


def config_of(preset: str):
    """The preset's config; ``DIGITPAD_BENCH_EPOCHS`` (set by ``--epochs``) shortens a long one."""
    from digitpad.training.config import preset_config

    epochs = os.environ.get("DIGITPAD_BENCH_EPOCHS")
    return preset_config(preset, epochs=int(epochs)) if epochs else preset_config(preset)


def _checkpoints(batches: int) -> set[int]:
    return {max(1, round(batches * k / CHECKS_PER_EPOCH)) for k in range(1, CHECKS_PER_EPOCH + 1)}


def run_digitpad(preset: str, start: float) -> dict:
    from digitpad.data import mnist
    from digitpad.drawing.network_input import to_model_input
    from digitpad.training.progress import TrainingCallback
    from digitpad.training.trainer import Trainer
    from digitpad.training.training_set import build_training_set

    config = config_of(preset)
    paused = [0.0]
    points = []
    test_x = test_y = None

    class Checkpoints(TrainingCallback):
        def on_train_begin(self, info):
            self.marks = _checkpoints(info["batches"])
            self.batches = info["batches"]

        def on_batch_end(self, progress):
            if progress.batch in self.marks:
                now = time.perf_counter()
                accuracy = float(np.mean(trainer.model.predict(test_x) == test_y))
                trainer.model.train()
                points.append((now - start - paused[0], progress.epoch - 1 + progress.batch / self.batches, accuracy))
                paused[0] += time.perf_counter() - now

    images, labels = mnist.load_mnist("train")
    pause = time.perf_counter()
    test_images, test_labels = mnist.load_mnist("test")
    test_x, test_y = to_model_input(test_images), test_labels
    paused[0] += time.perf_counter() - pause
    trainer = Trainer(config, callback=Checkpoints())
    data = build_training_set(images, labels, config, None, None)
    result = trainer.fit(data)
    end = time.perf_counter() - start - paused[0]
    final = float(np.mean(result.model.predict(test_x) == test_y))   # the best-validation weights, as saved
    return {"points": points, "end_s": end, "end_accuracy": final, "epochs": config.epochs}


def run_torch(preset: str, start: float) -> dict:
    import torch

    from digitpad.data import mnist
    from digitpad.training import architectures
    from digitpad.training.trainer import make_schedule
    from digitpad.training.training_set import split_validation

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_engine import torch_module_from_spec

    config = config_of(preset)
    torch.set_num_threads(os.cpu_count() or 1)
    torch.manual_seed(config.seed)
    images, labels = mnist.load_mnist("train")
    test_images, test_labels = mnist.load_mnist("test")
    train_idx, val_idx = split_validation(len(images), config)
    x = torch.from_numpy(images[train_idx].astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(labels[train_idx].astype(np.int64))
    val_x = torch.from_numpy(images[val_idx].astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    test_x = torch.from_numpy(test_images.astype(np.float32) / 255).reshape(-1, 1, 28, 28)
    test_y = torch.from_numpy(test_labels.astype(np.int64))
    model = torch_module_from_spec(architectures.describe(config.model, config.dropout, config.batchnorm))
    if config.optimizer != "adam" or config.weight_decay:
        raise SystemExit(f"the PyTorch twin runs Adam without weight decay; {preset} uses {config.optimizer}")
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    batches = -(-len(x) // config.batch_size)

    class Rate:  # the digitpad schedule's exact per-step rates
        lr = config.lr

    rates = make_schedule(config, Rate(), batches)
    loss_fn = torch.nn.CrossEntropyLoss()
    generator = torch.Generator().manual_seed(config.seed + 1)
    marks, paused, points = _checkpoints(batches), 0.0, []

    def test_accuracy() -> float:
        model.eval()
        with torch.no_grad():
            accuracy = float((model(test_x).argmax(1) == test_y).float().mean())
        model.train()
        return accuracy

    best, best_state = -1.0, None
    for epoch in range(config.epochs):
        model.train()
        order = torch.randperm(len(x), generator=generator)
        for b in range(batches):
            for group in opt.param_groups:
                group["lr"] = rates.lr_at(epoch * batches + b)
            idx = order[b * config.batch_size:(b + 1) * config.batch_size]
            opt.zero_grad()
            loss_fn(model(x[idx]), y[idx]).backward()
            opt.step()
            if b + 1 in marks:
                now = time.perf_counter()
                accuracy = test_accuracy()
                points.append((now - start - paused, epoch + (b + 1) / batches, accuracy))
                paused += time.perf_counter() - now
        model.eval()
        with torch.no_grad():   # validation each epoch and the best weights kept, as digitpad's trainer does
            val = float((model(val_x).argmax(1) == torch.from_numpy(labels[val_idx].astype(np.int64))).float().mean())
        if val > best:
            best, best_state = val, {k: v.clone() for k, v in model.state_dict().items()}
    end = time.perf_counter() - start - paused
    model.load_state_dict(best_state)
    return {"points": points, "end_s": end, "end_accuracy": test_accuracy(), "epochs": config.epochs,
            "torch": torch.__version__, "threads": torch.get_num_threads()}


def first_time(points, level: float) -> float | None:
    return next((t for t, _, accuracy in points if accuracy >= level), None)


def worker(framework: str, preset: str) -> None:
    start = time.perf_counter()
    result = (run_digitpad if framework == "digitpad" else run_torch)(preset, start)
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench_engine import blas_info

    result["blas_settings"] = blas_info()
    print(json.dumps(result))


def spawn(framework: str, preset: str) -> dict:
    done = subprocess.run([sys.executable, __file__, "--worker", framework, preset], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{framework} {preset} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--presets", nargs="+", default=["quick", "convnet"])
    parser.add_argument("--repeats", type=int, default=1, help="alternating rounds (digitpad, PyTorch, ...)")
    parser.add_argument("--no-torch", action="store_true", help="digitpad only")
    parser.add_argument("--epochs", type=int, default=None,
                        help="run every preset for this many epochs (its schedule spread over them) instead of its own")
    parser.add_argument("--worker", nargs=2, metavar=("FRAMEWORK", "PRESET"), help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=Path("bench-results/time_to_accuracy.json"))
    args = parser.parse_args()
    if args.worker:
        worker(*args.worker)
        return 0
    if args.epochs:
        os.environ["DIGITPAD_BENCH_EPOCHS"] = str(args.epochs)
    frameworks = ["digitpad"] + ([] if args.no_torch or importlib.util.find_spec("torch") is None else ["pytorch"])
    runs = []
    for preset in args.presets:
        for round_ in range(args.repeats):
            for framework in frameworks:
                result = spawn("digitpad" if framework == "digitpad" else "torch", preset)
                result.update(preset=preset, framework=framework, round=round_ + 1)
                runs.append(result)
                print(f"  {preset} {framework} round {round_ + 1}: end {result['end_accuracy']:.2%} "
                      f"in {result['end_s']:.1f} s", file=sys.stderr, flush=True)

    head = f"{'preset':<9} {'framework':<9} {'round':>5} " + "".join(f"{f'to {100 * level:.1f} %':>10}" for level in LEVELS) \
           + f"{'end acc':>9} {'end s':>7} {'epochs':>7}"
    print(f"Wall time (s) to MNIST test accuracy, data loading included ({platform.machine()}, {os.cpu_count()} cores; "
          f"OPENBLAS_CORETYPE={os.environ.get('OPENBLAS_CORETYPE')}, OPENBLAS_L2_SIZE={os.environ.get('OPENBLAS_L2_SIZE')})")
    print(head)
    print("-" * len(head))
    for run in runs:
        times = [first_time(run["points"], level) for level in LEVELS]
        run["time_to"] = {f"{level:.3f}": t for level, t in zip(LEVELS, times)}
        print(f"{run['preset']:<9} {run['framework']:<9} {run['round']:>5} "
              + "".join(f"{'–' if t is None else f'{t:.1f}':>10}" for t in times)
              + f"{100 * run['end_accuracy']:>8.2f}% {run['end_s']:>7.1f} {run['epochs']:>7}")
    summary = {}
    if "pytorch" in frameworks:
        print("\nratio digitpad / PyTorch wall time (median over rounds; < 1: digitpad is faster)")
        for preset in args.presets:
            for level in LEVELS:
                key = f"{level:.3f}"
                pairs = [(a["time_to"][key], b["time_to"][key]) for a in runs for b in runs
                         if a["preset"] == b["preset"] == preset and a["round"] == b["round"]
                         and a["framework"] == "digitpad" and b["framework"] == "pytorch"]
                ratios = [a / b for a, b in pairs if a is not None and b is not None]
                summary[f"{preset} to {key}"] = float(np.median(ratios)) if ratios else None
                text = "not reached by both" if not ratios else f"{np.median(ratios):.2f}"
                print(f"  {preset:<9} to {100 * level:.1f} %: {text}")
    quick = [first_time(r["points"], 0.99) for r in runs if r["preset"] == "quick" and r["framework"] == "digitpad"]
    if quick:
        met = all(t is not None and t <= QUICK_TARGET_S for t in quick)
        ends = [r for r in runs if r["preset"] == "quick" and r["framework"] == "digitpad"]
        end_met = all(r["end_accuracy"] >= 0.99 and r["end_s"] <= QUICK_TARGET_S for r in ends)
        summary["target quick 99.0 % in <= 30 s (first checkpoint)"] = met
        summary["target quick run ends >= 99.0 % in <= 30 s"] = end_met
        print(f"target: quick preset at 99.0 % within {QUICK_TARGET_S:.0f} s: {'met' if met else 'MISSED'}; "
              f"its whole run ends at >= 99.0 % within {QUICK_TARGET_S:.0f} s: {'met' if end_met else 'MISSED'}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"runs": runs, "summary": summary}, indent=2) + "\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
