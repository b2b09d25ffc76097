"""Teach it (issue 27): a few of a person's drawings, taught to the app's reader, fix what it gets wrong
about them, and break nothing for anyone else.

For every held-out writer of each pen source (pendigits' 4 validation and 6 measurement writers, UJI's 2
and 3: writers no model was trained on), ``k`` = 1, 2, 3 of their drawings per digit are taught
(`Reader.teach`, several random draws) and their *other* drawings are read before and after.  UJI's
writers wrote each digit twice: k = 1 only.  A European hand is measured too: the same pendigits writers
with their 1s drawn continental and their 7s crossed (`digitpad.data.conventions`), the conventions the
reader knows least.  After each teaching, MNIST's test set and the other held-out writers are read by the
taught reader: teaching changes the networks' heads only, so they are read from their features computed
once (`Sequential.features`; checked against the full reader on a few drawings).

Targets (issue 27), with k = 2: writers read below 97 % before reach >= 98 % (median) and >= 97 % each;
no writer worse by more than 0.5 point; MNIST test >= 99.5 % after teaching; teaching 20 drawings <= 5 s.

    python benchmarks/bench_teach.py [--draws 3] [--out bench-results/teach.json]

Prints the tables and writes the JSON.  The method's settings (`digitpad.reading.teach`) were chosen on
the validation writers; the measurement writers' rows are the report.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.data import conventions, mnist, pendigits, uji
from digitpad.reading.teach import BONUS, CLOSE
from digitpad.data.pen_sets import CANVAS_SIZE
from digitpad.drawing.network_input import to_model_input
from digitpad.drawing.strokes import Drawing
from digitpad.nn.activations import softmax
from digitpad.reading.reader import Inputs, Reader, combine, inputs_of, split_not_a_digit

KS = (1, 2, 3)
PEN_WIDTH = 8.0
TARGET_K = 2
SLANT = 0.6          # a slant of 31 degrees


@dataclass
class Writer:
    name: str
    source: str          # pendigits, uji, european
    group: str           # validation, measure
    drawings: list[Drawing]
    labels: np.ndarray
    inputs: Inputs | None = None
    image_features: np.ndarray | None = None
    stroke_features: np.ndarray | None = None


def writers(data_dir=None) -> list[Writer]:
    """The held-out writers of each source, and the European hand of the pendigits ones."""
    pen, groups = pendigits.load_pendigits(data_dir), pendigits.writer_groups()
    characters, uji_groups = uji.digits_of(uji.load_uji(data_dir)), uji.writer_groups()
    rng = np.random.default_rng(27)
    found = []

    def writer(name, source, group, strokes, labels):
        drawings = [Drawing([np.asarray(s, np.float32) for s in st], PEN_WIDTH, CANVAS_SIZE) for st in strokes]
        found.append(Writer(name, source, group, drawings, np.asarray(labels, np.int64)))

    for group in ("validation", "measure"):
        for w in groups[group]:
            digits = [d for d in pen if d.writer == w]
            writer(f"pendigits {w}", "pendigits", group, [list(d.strokes) for d in digits], [d.label for d in digits])
            european = [conventions.continental_one(list(d.strokes), rng) if d.label == 1 else
                        conventions.crossed_seven(list(d.strokes), rng) if d.label == 7 else list(d.strokes)
                        for d in digits]
            writer(f"pendigits {w}, European", "european", group, european, [d.label for d in digits])
            writer(f"pendigits {w}, slanted", "slanted", group, [slanted(d.strokes) for d in digits],
                   [d.label for d in digits])
        for w in uji_groups[group]:
            digits = [c for c in characters if c.writer == w]
            writer(f"UJI {w}", "uji", group, [list(c.strokes) for c in digits], [c.digit for c in digits])
    return found


def slanted(strokes) -> list[np.ndarray]:
    """A digit written with a strong forward slant (`SLANT`: x moves right as y goes up, about the digit's
    middle): one writer's consistent hand, which the reader has rarely seen so far from upright."""
    middle = float(np.concatenate(strokes)[:, 1].mean())
    return [np.stack([s[:, 0] - SLANT * (s[:, 1] - middle), s[:, 1]], axis=1).astype(np.float32) for s in strokes]


def from_features(model, examples, features: np.ndarray) -> np.ndarray:
    """A network's probabilities of drawings whose features are given, moved toward its examples
    (`read_taught` without computing the features again)."""
    head = model.layers[-1]
    logits = features @ head.params["W"] + head.params["b"]
    return softmax(logits + examples.bonus(features) if examples is not None else logits)


def read_features(reader: Reader, image: np.ndarray, strokes: np.ndarray) -> np.ndarray:
    """The reader's probabilities of drawings whose features are given."""
    p_image = from_features(reader.model, reader.examples.get("image"), image).astype(np.float32)
    if reader.strokes is None:
        return combine(p_image, None, 0.0, reader.calibrations["image"].temperature)
    p_strokes, _ = split_not_a_digit(from_features(reader.strokes, reader.examples.get("strokes"), strokes).astype(np.float32))
    return combine(p_image, p_strokes, reader.stroke_weight, reader.calibrations["both"].temperature)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--draws", type=int, default=3, help="random draws of the taught drawings per writer and k")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--out", type=Path, default=Path("bench-results/teach.json"))
    args = parser.parse_args()

    results = {}
    people = writers(args.data_dir)
    test_images, test_labels = mnist.load_mnist("test", args.data_dir)
    for base in (Reader.default(), Reader.load(Reader.default().path)):   # the app's reader; the CNN alone
        for person in people:   # what the networks are shown of each drawing, and their features, once
            person.inputs = inputs_of(person.drawings)
            person.image_features = base.model.features(to_model_input(person.inputs.digits))
            if base.strokes is not None:
                person.stroke_features = base.strokes.features(np.stack(person.inputs.trajectories))
        mnist_features = base.model.features(to_model_input(test_images))
        rows = measure(base, people, mnist_features, test_labels, args.draws)
        mnist_before = float(np.mean(from_features(base.model, None, mnist_features).argmax(1) == test_labels))
        summary = summarise(rows, mnist_before)
        print_tables(base, rows, summary)
        results[base.name] = {"mnist_before": mnist_before, "summary": summary, "rows": rows}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "benchmark": "teach", "draws": args.draws, "readers": results, "settings": {"bonus": BONUS, "close": CLOSE},
        "machine": platform.machine(), "cpus": os.cpu_count(),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE"), "OPENBLAS_L2_SIZE": os.environ.get("OPENBLAS_L2_SIZE"),
    }, indent=1))
    print(f"\nwrote {args.out}")
    app = results[Reader.default().name]["summary"]["targets"]
    return 0 if all(t["met"] for t in app.values()) else 1


def measure(base: Reader, people: list[Writer], mnist_features: np.ndarray, test_labels: np.ndarray,
            draws: int) -> list[dict]:
    """One row per writer, k and draw: the writer's other drawings, MNIST and the other writers, read
    before and after teaching."""
    rows, checked = [], False
    for person in people:
        others = [p for p in people if p is not person and p.source in ("pendigits", "uji")]
        other_image = np.concatenate([p.image_features for p in others])
        other_strokes = np.concatenate([p.stroke_features for p in others]) if base.strokes is not None else None
        other_labels = np.concatenate([p.labels for p in others])
        others_before = float(np.mean(read_features(base, other_image, other_strokes).argmax(1) == other_labels))
        for k in KS:
            if np.bincount(person.labels, minlength=10).min() <= k:
                continue   # nothing of some digit left to read
            for draw in range(draws):
                rng = np.random.default_rng([draw, k])
                taught = np.concatenate([rng.choice(np.flatnonzero(person.labels == d), k, replace=False) for d in range(10)])
                rest = np.setdiff1d(np.arange(len(person.labels)), taught)
                started = time.perf_counter()
                reader = base.teach([person.drawings[i] for i in taught], person.labels[taught])
                seconds = time.perf_counter() - started
                others_drawn = [person.drawings[i] for i in rest]
                before = [a.digit for a in base.read(others_drawn, inputs=person.inputs.subset(rest))]
                after = [a.digit for a in reader.read(others_drawn, inputs=person.inputs.subset(rest))]
                if not checked:   # the features' shortcut reads what the taught reader reads
                    direct = reader.probabilities([person.drawings[i] for i in rest[:20]])
                    shortcut = read_features(reader, person.image_features[rest[:20]], person.stroke_features[rest[:20]])
                    assert np.allclose(direct, shortcut, atol=1e-4), np.abs(direct - shortcut).max()
                    checked = True
                rows.append({
                    "writer": person.name, "source": person.source, "group": person.group, "k": k, "draw": draw,
                    "taught": int(len(taught)), "read": int(len(rest)),
                    "before": float(np.mean(np.array(before) == person.labels[rest])),
                    "after": float(np.mean(np.array(after) == person.labels[rest])),
                    "seconds": seconds,
                    "mnist_after": float(np.mean(from_features(reader.model, reader.examples["image"], mnist_features)
                                                 .argmax(1) == test_labels)),
                    "others_before": others_before,
                    "others_after": float(np.mean(read_features(reader, other_image, other_strokes).argmax(1) == other_labels)),
                })
    return rows


def per_writer(rows: list[dict], k: int, group: str | None = None) -> dict[str, dict]:
    """Each writer's mean before and after over the draws, for ``k``."""
    out: dict[str, dict] = {}
    for row in rows:
        if row["k"] == k and (group is None or row["group"] == group):
            entry = out.setdefault(row["writer"], {"source": row["source"], "group": row["group"], "before": [], "after": []})
            entry["before"].append(row["before"])
            entry["after"].append(row["after"])
    return {name: {**e, "before": float(np.mean(e["before"])), "after": float(np.mean(e["after"]))} for name, e in out.items()}


def summarise(rows: list[dict], mnist_before: float) -> dict:
    by_k = {}
    for k in KS:
        writers_k = per_writer(rows, k)
        if not writers_k:
            continue
        low = [w for w in writers_k.values() if w["before"] < 0.97]
        k_rows = [r for r in rows if r["k"] == k]
        by_k[k] = {
            "writers": len(writers_k),
            "mean_before": float(np.mean([w["before"] for w in writers_k.values()])),
            "mean_after": float(np.mean([w["after"] for w in writers_k.values()])),
            "below_97_before": len(low),
            "below_97_median_after": float(np.median([w["after"] for w in low])) if low else None,
            "below_97_min_after": float(min(w["after"] for w in low)) if low else None,
            "worst_change": float(min(w["after"] - w["before"] for w in writers_k.values())),
            "mnist_after_min": float(min(r["mnist_after"] for r in k_rows)),
            "others_change_min": float(min(r["others_after"] - r["others_before"] for r in k_rows)),
            "seconds_max": float(max(r["seconds"] for r in k_rows if r["taught"] <= 20) if any(
                r["taught"] <= 20 for r in k_rows) else float("nan")),
        }
    k2 = by_k[TARGET_K]
    targets = {
        "writers below 97 % before: median after k=2 >= 98 %": (k2["below_97_median_after"], ">=", 0.98),
        "writers below 97 % before: each after k=2 >= 97 %": (k2["below_97_min_after"], ">=", 0.97),
        "no writer worse by more than 0.5 point": (min(s["worst_change"] for s in by_k.values()), ">=", -0.005),
        "MNIST test after teaching >= 99.5 %": (min(s["mnist_after_min"] for s in by_k.values()), ">=", 0.995),
        "teaching 20 drawings <= 5 s": (k2["seconds_max"], "<=", 5.0),
    }
    return {"by_k": by_k, "mnist_before": mnist_before, "targets": {
        name: {"value": value, "bound": bound, "sense": sense,
               "met": bool(value is None or (value >= bound if sense == ">=" else value <= bound))}
        for name, (value, sense, bound) in targets.items()}}


def print_tables(base: Reader, rows: list[dict], summary: dict) -> None:
    print(f"Teach it: {base.name} taught k drawings per digit of one writer, the writer's other drawings read\n")
    for group in ("validation", "measure"):
        table = {k: per_writer(rows, k, group) for k in KS}
        names = list(dict.fromkeys(name for k in KS for name in table[k]))
        print(f"{group} writers" + ("  (the method's settings were chosen on these)" if group == "validation" else ""))
        print(f"{'writer':28s} {'before':>8s}" + "".join(f" {'k=' + str(k):>8s}" for k in KS))
        for name in names:
            first = next(table[k][name] for k in KS if name in table[k])
            cells = "".join(f" {table[k][name]['after']:8.2%}" if name in table[k] else f" {'–':>8s}" for k in KS)
            print(f"{name:28s} {first['before']:8.2%}{cells}")
        print()
    print(f"{'k':>2s} {'writers':>8s} {'mean before':>12s} {'mean after':>11s} {'<97% before':>12s} {'their median':>13s} "
          f"{'their min':>10s} {'worst change':>13s} {'MNIST min':>10s} {'others Δ min':>13s} {'s (≤20 taught)':>15s}")
    for k, s in summary["by_k"].items():
        fmt = lambda v: f"{v:.2%}" if v is not None else "–"   # noqa: E731
        print(f"{k:2d} {s['writers']:8d} {s['mean_before']:12.2%} {s['mean_after']:11.2%} {s['below_97_before']:12d} "
              f"{fmt(s['below_97_median_after']):>13s} {fmt(s['below_97_min_after']):>10s} {s['worst_change']:+13.2%} "
              f"{s['mnist_after_min']:10.2%} {s['others_change_min']:+13.2%} "
              f"{'–' if np.isnan(s['seconds_max']) else format(s['seconds_max'], '.2f'):>15s}")
    print(f"\nMNIST test before: {summary['mnist_before']:.2%}\n\ntargets (k = {TARGET_K}):")
    for name, t in summary["targets"].items():
        value = t["value"]
        shown = "–" if value is None else (f"{value:.2f} s" if "s" == name[-1] else f"{value:+.2%}" if "worse" in name else f"{value:.2%}")
        print(f"  {name:58s} {shown:>9s}  {'met' if t['met'] else 'NOT MET'}")


if __name__ == "__main__":
    raise SystemExit(main())
