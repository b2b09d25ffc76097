"""Stroke-size robustness of the shipped models: accuracy on drawn MNIST test digits (by default all
10,000, each drawn once: standard error 0.14 points at 98 %) at pen widths 2-32 px on a 128-px canvas,
with and without stroke-width normalisation, the targets for the app's strokes (>= 98 % at every pen
width from 2 to 16 px, at most 1 point between the best and worst of them), and the time it takes.

    python benchmarks/bench_robustness.py [--n 10000] [--seed 0] [--models cnn mlp] [--baseline PATH ...] [--png PATH]

`digitpad robustness` draws 5,000 by default (about 50 s; standard error 0.2 points at 98 %); with
``--n 1000`` (10 s, 0.44 points) two seeds can differ by a point.  ``--baseline`` adds models trained
without augmentation (e.g. ``digitpad train --model convnet --out /tmp/plain.npz``) to show what
augmentation and stroke normalisation each buy.  The run starts from an empty input cache; the time is
split into preprocessing (drawing, rendering, `to_mnist`) and each model's predictions.  Prints the
table and writes ``bench-results/robustness.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

from digitpad import nn
from digitpad.atomic import atomic_write_text
from digitpad.evaluation.robustness import DEFAULT_WIDTHS, SPREAD_WIDTHS, clear_cache, run_robustness
from digitpad.training.model_store import list_models, resolve

TARGET_ACCURACY = 0.98  # at every pen width in SPREAD_WIDTHS (2-16 px), strokes normalised as in the app
TARGET_SPREAD = 0.01    # best minus worst accuracy over those widths


class TimedModel:
    """Wraps a model and adds up the seconds spent in its predict_proba."""

    def __init__(self, model):
        self.model, self.seconds, self.images = model, 0.0, 0

    def predict_proba(self, x):
        start = time.perf_counter()
        try:
            return self.model.predict_proba(x)
        finally:
            self.seconds += time.perf_counter() - start
            self.images += len(x)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", nargs="+", default=None, help="names or paths (default: the shipped models)")
    parser.add_argument("--baseline", action="append", type=Path, default=[], metavar="PATH",
                        help="a model trained without augmentation (repeatable)")
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--widths", nargs="+", type=float, default=list(DEFAULT_WIDTHS))
    parser.add_argument("--canvas", type=int, default=128)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--png", type=Path, default=None, help="also save the plot")
    parser.add_argument("--out", type=Path, default=Path("bench-results/robustness.json"))
    args = parser.parse_args()

    if args.models is None:
        paths = {entry.name: entry.path for entry in list_models() if entry.kind == "shipped"}
    else:
        paths = {resolve(name).stem: resolve(name) for name in args.models}
    for path in args.baseline:
        paths[f"{path.stem} (baseline)"] = path
    if not paths:
        print("no models to measure", file=sys.stderr)
        return 2
    widths = [int(w) if float(w).is_integer() else float(w) for w in args.widths]
    models = {name: TimedModel(nn.load_model(path)) for name, path in paths.items()}

    clear_cache()
    start = time.perf_counter()
    result = run_robustness(models, widths=widths, canvas=args.canvas, n=args.n, seed=args.seed,
                            data_dir=args.data_dir)
    total = time.perf_counter() - start
    predict = {name: round(model.seconds, 2) for name, model in models.items()}
    preprocess = total - sum(model.seconds for model in models.values())

    print(result.to_table())
    print(f"\n{len(models)} models x {len(widths)} widths x 2 modes, n = {args.n}: {total:.1f} s "
          f"(drawing + rendering + to_mnist {preprocess:.1f} s; predictions "
          + ", ".join(f"{name} {s:.1f} s" for name, s in predict.items()) + ")")
    targets = {}
    for name in models:
        worst, spread = result.worst((name, True)), result.spread((name, True))
        targets[name] = {"worst": worst, "spread": spread, "accuracy_met": bool(worst >= TARGET_ACCURACY),
                         "spread_met": bool(spread <= TARGET_SPREAD)}
        print(f"{name}: worst of {SPREAD_WIDTHS[0]}-{SPREAD_WIDTHS[1]} px {100 * worst:.2f} % "
              f"(target >= {100 * TARGET_ACCURACY:g}: {'met' if worst >= TARGET_ACCURACY else 'MISSED'}, "
              f"standard error {100 * result.standard_error(worst):.2f}), spread {100 * spread:.2f} points "
              f"(target <= {100 * TARGET_SPREAD:g}: {'met' if spread <= TARGET_SPREAD else 'MISSED'})")
    report = {
        "benchmark": "robustness",
        "machine": {"platform": platform.platform(), "python": platform.python_version(), "cpus": os.cpu_count(),
                    "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None},
        "models": {name: str(path) for name, path in paths.items()},
        "timing_s": {"total": round(total, 2), "preprocess": round(preprocess, 2), "predict": predict},
        "targets": targets,
        **result.as_dict(),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(args.out, json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")
    if args.png:
        result.save_png(args.png)
        print(f"plot saved to {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
