"""Honest answers on people no model was trained or calibrated on: "not a digit", sure and wrong, sure and
right, calibration (issue 25), for the app's reader (the image CNN and the stroke model combined) and for
each model alone.

Digits: the measurement writers' own digits (pendigits' 6 writers, UJI's 3) and traced MNIST test digits
(``--traced``).  Not digits: UJI's letters of the same 3 writers (the digit look-alikes left out),
Omniglot's characters of its 2 measurement alphabets (never seen: `digitpad.data.omniglot`), and
synthesised shapes, scribbles, crossed-out and overlapping digits made with the measurement seed
(`digitpad.data.negatives`).  Each reader answers with the calibration saved in its models (fitted on the
validation writers and alphabet: `digitpad.evaluation.honesty`).  Targets, for the app's reader:

- drawings that are not digits given a sure digit verdict <= 3 %;
- real digits answered "not a digit" <= 0.5 %;
- sure and wrong <= 0.2 % of real digits, sure and right >= 97 %;
- expected calibration error <= 1 %.

    python benchmarks/bench_honesty.py [--reader cnn+strokes] [--traced 2000] [--out bench-results/honesty.json]
                                       [--png docs/images/reliability.png]

Prints the tables and writes the JSON (with the reliability diagram of each reader).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

from digitpad.evaluation.honesty import KIND_TITLES, format_honesty, measure_reader, plot_reliability
from digitpad.reading.reader import Reader

TARGETS = {"not digits given a sure verdict": ("not digits: all", "sure", "<=", 0.03),
           "digits answered not a digit": ("digits: all", "not_a_digit", "<=", 0.005),
           "digits sure and wrong": ("digits: all", "sure_wrong", "<=", 0.002),
           "digits sure and right": ("digits: all", "sure", ">=", 0.97),
           "expected calibration error": ("digits: all", "ece", "<=", 0.01)}


def check_targets(measured: dict) -> dict:
    """Each target's value and whether it is met."""
    out = {}
    for name, (row, key, sense, bound) in TARGETS.items():
        value = measured["sets"][row][key]
        out[name] = {"value": value, "bound": bound, "sense": sense,
                     "met": bool(value <= bound if sense == "<=" else value >= bound)}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reader", default=None, help="models joined by + (default: the app's, cnn+strokes)")
    parser.add_argument("--traced", type=int, default=2000, help="traced MNIST test digits among the digits")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("bench-results/honesty.json"))
    parser.add_argument("--png", type=Path, default=None, help="also save the reliability diagram (the README's)")
    args = parser.parse_args()

    reader = Reader.load(args.reader) if args.reader else Reader.default()
    start = time.perf_counter()
    results = measure_reader(reader, args.traced, args.data_dir)
    seconds = time.perf_counter() - start
    for kind, measured in results.items():
        measured["targets"] = check_targets(measured)
        print(format_honesty(measured, f"\n{reader.name}: {KIND_TITLES[kind]}" + (" (the app's reader)" if kind == "both" else "")))
        for name, target in measured["targets"].items():
            print(f"  {name}: {100 * target['value']:.2f} % {target['sense']} {100 * target['bound']:g} %: "
                  f"{'met' if target['met'] else 'NOT met'}")
    info = {"python": platform.python_version(), "machine": platform.machine(), "cpus": os.cpu_count(),
            **{name: os.environ.get(name) for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"reader": reader.name, "traced": args.traced, "seconds": round(seconds, 1),
                                    "readers": results, "environment": info}, indent=2))
    print(f"\nmeasured in {seconds:.0f} s; wrote {args.out}")
    if args.png:
        plot_reliability(results).savefig(args.png, dpi=100)
        print(f"wrote {args.png}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
