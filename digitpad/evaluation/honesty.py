"""Honest answers, fitted and measured on people no model was trained on.

`digit_sets` are a writer group's digits as written (``pendigits``, ``uji``, ``traced MNIST``:
`held_out_sets`, without the synthesised conventions, which repeat the same writers' digits);
`non_digit_sets` are the group's drawings that are not digits (`digitpad.data.negatives`: UJI letters
of the group's writers, Omniglot characters of its alphabets, shapes and scribbles, digits crossed out
or together).  On the ``validation`` group `fit_calibration` fits a reader's `Calibration` (its
temperature, then its not-a-digit and sure thresholds: `digitpad.reading.calibration`); on the
``measure`` group `measure_honesty` reports, per set:

- **digits**: answered "not a digit", **sure and right**, **sure and wrong**, unsure, the accuracy and
  the expected calibration error (ECE) of the probabilities shown;
- **not digits**: answered "not a digit", given a **sure digit verdict**, unsure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from digitpad.data.negatives import non_digit_samples
from digitpad.data.pen_sets import CANVAS_SIZE
from digitpad.drawing.strokes import Drawing
from digitpad.evaluation.held_out import PEN_WIDTH, HeldOut, held_out_sets
from digitpad.reading.calibration import (Calibration, expected_calibration_error, fit_temperature,
                                          not_a_digit_threshold, reliability, soften, sure_threshold)
from digitpad.reading.reader import Reader, combine, inputs_of, too_small

DIGIT_SETS = ("pendigits", "uji", "traced MNIST")
VALIDATION_TRACED = 2000     # traced MNIST digits that calibrate (the shipped CNN's validation digits)


def digit_sets(group: str, traced: int, data_dir=None) -> dict[str, HeldOut]:
    """``group``'s digits as written (`DIGIT_SETS`), with ``traced`` traced MNIST digits."""
    sets = held_out_sets(group, traced, data_dir)
    return {name: sets[name] for name in DIGIT_SETS if name in sets}


def non_digit_sets(group: str, data_dir=None) -> dict[str, list[Drawing]]:
    """``group``'s drawings that are not digits, by source, as the app would hold them."""
    return {name: [Drawing([np.asarray(s, np.float32) for s in strokes], PEN_WIDTH, CANVAS_SIZE) for strokes in found]
            for name, found in non_digit_samples(group, data_dir).items()}


@dataclass
class Scored:
    """A set read with temperature 1: log-probabilities (N, 10), not-a-digit scores (N,; NaN: none) and,
    for digits, the labels."""

    log_probabilities: np.ndarray
    scores: np.ndarray
    labels: np.ndarray | None = None


def readers_of(reader: Reader) -> dict[str, Reader]:
    """The readers of each kind ``reader`` holds (``"image"``, ``"strokes"``, ``"both"``): what reads an
    item depends on what it has (strokes or a picture) and on the models."""
    kinds = {}
    if reader.model is not None:
        kinds["image"] = Reader(reader.model, reader.name, calibrations=reader.calibrations)
    if reader.strokes is not None:
        kinds["strokes"] = Reader(None, reader.name, strokes=reader.strokes, calibrations=reader.calibrations)
    if reader.kind == "both":
        kinds["both"] = reader
    return kinds


def calibrate(reader: Reader, traced: int = VALIDATION_TRACED, data_dir=None) -> dict[str, Calibration]:
    """`fit_calibration` of each kind of ``reader`` (`readers_of`) on the validation writers' digits (with
    ``traced`` traced MNIST digits) and drawings that are not digits."""
    digits, non_digits = digit_sets("validation", traced, data_dir), non_digit_sets("validation", data_dir)
    read_digits = {name: score_kinds(reader, held.drawings, held.labels) for name, held in digits.items()}
    read_other = {name: score_kinds(reader, drawings) for name, drawings in non_digits.items()}
    return {kind: fit_calibration({name: r[kind] for name, r in read_digits.items()},
                                  {name: r[kind] for name, r in read_other.items()})
            for kind in readers_of(reader)}


def score_kinds(reader: Reader, drawings: list[Drawing], labels: np.ndarray | None = None) -> dict[str, Scored]:
    """One set read with temperature 1 by each kind of ``reader`` (`readers_of`), each model reading it
    once: the combined reading is `combine` of its parts' (every drawing here has strokes).  The
    drawings too small to read are left out: they are answered so whatever the models say."""
    keep = [i for i, d in enumerate(drawings) if not too_small(d)]
    kept = [drawings[i] for i in keep]
    labels = None if labels is None else labels[keep]
    inputs = inputs_of(kept)
    plain = {kind: Calibration(1.0, c.sure_above, c.not_a_digit_above) for kind, c in reader.calibrations.items()}
    read = {kind: one.recalibrated(plain).scores(kept, inputs=inputs)
            for kind, one in readers_of(reader).items() if kind != "both"}
    if reader.kind == "both":
        read["both"] = (combine(read["image"][0], read["strokes"][0], reader.stroke_weight), read["strokes"][1])
    return {kind: Scored(np.log(np.maximum(p, 1e-30)), s, labels) for kind, (p, s) in read.items()}


def fit_calibration(digits: dict[str, Scored], non_digits: dict[str, Scored]) -> Calibration:
    """A reader's calibration from its validation sets: the temperature minimising the digits' negative
    log-likelihood, the not-a-digit threshold rejecting at most `MAX_DIGITS_REJECTED` of them (1.0 when
    the reader gives no score), and the sure threshold at which the digits it keeps are right
    `SURE_PRECISION` of the time."""
    log_p = np.concatenate([s.log_probabilities for s in digits.values()])
    labels = np.concatenate([s.labels for s in digits.values()])
    scores = np.concatenate([s.scores for s in digits.values()])
    temperature = fit_temperature(log_p, labels)
    has_score = not np.isnan(scores).any()
    other = not_a_digit_threshold(scores) if has_score else 1.0
    kept = scores < other if has_score else np.ones(len(labels), bool)
    p = soften(log_p[kept], temperature)
    sure = sure_threshold(p.max(axis=1), p.argmax(axis=1) == labels[kept])
    return Calibration(temperature, sure, other)


@dataclass
class SetHonesty:
    """How one set was answered, as shares of its drawings."""

    count: int
    not_a_digit: float
    sure: float
    sure_wrong: float | None = None       # digits only
    accuracy: float | None = None
    ece: float | None = None


def honesty_of(scored: Scored, calibration: Calibration) -> SetHonesty:
    """How a set read with temperature 1 is answered with ``calibration``."""
    p = soften(scored.log_probabilities, calibration.temperature)
    rejected = np.nan_to_num(scored.scores, nan=-1.0) >= calibration.not_a_digit_above
    sure = ~rejected & (p.max(axis=1) >= calibration.sure_above)
    n = len(p)
    if scored.labels is None:
        return SetHonesty(n, float(rejected.mean()), float(sure.mean()))
    right = p.argmax(axis=1) == scored.labels
    return SetHonesty(n, float(rejected.mean()), float((sure & right).mean()), float((sure & ~right).mean()),
                      float(right.mean()), expected_calibration_error(p, scored.labels))


def measure_honesty(digits: dict[str, Scored], non_digits: dict[str, Scored], calibration: Calibration) -> dict:
    """Per set and for all digits and all drawings that are not digits together (the sets pooled): `SetHonesty`
    as a dict; and the digits' reliability diagram."""
    pooled_digits = Scored(np.concatenate([s.log_probabilities for s in digits.values()]),
                           np.concatenate([s.scores for s in digits.values()]),
                           np.concatenate([s.labels for s in digits.values()]))
    pooled_other = Scored(np.concatenate([s.log_probabilities for s in non_digits.values()]),
                          np.concatenate([s.scores for s in non_digits.values()]))
    rows = {f"digits: {name}": honesty_of(s, calibration) for name, s in digits.items()}
    rows["digits: all"] = honesty_of(pooled_digits, calibration)
    rows.update({f"not digits: {name}": honesty_of(s, calibration) for name, s in non_digits.items()})
    rows["not digits: all"] = honesty_of(pooled_other, calibration)
    diagram = reliability(soften(pooled_digits.log_probabilities, calibration.temperature), pooled_digits.labels)
    return {"sets": {name: vars(row) for name, row in rows.items()}, "reliability": diagram,
            "calibration": calibration.to_metadata()}


def measure_reader(reader: Reader, traced: int, data_dir=None,
                   progress: Callable[[int, int], bool] | None = None, most: int | None = None,
                   parts: bool = True) -> dict[str, dict] | None:
    """`measure_honesty` of ``reader`` and, with ``parts``, of each of its models alone (`readers_of`,
    the combined one first), on the measurement writers (with ``traced`` traced MNIST test digits) and
    drawings that are not digits, with the calibration saved in its models; each set evenly thinned to
    at most ``most`` drawings when given.  ``progress(done, total)``, drawings read of all to read, is
    called after each set; when it returns False the measure stops and None is returned."""
    digits, non_digits = digit_sets("measure", traced, data_dir), non_digit_sets("measure", data_dir)
    kinds = sorted(readers_of(reader), key=lambda kind: kind != "both")[:None if parts else 1]

    def thinned(count: int) -> np.ndarray:
        return np.arange(count) if most is None or count <= most else np.linspace(0, count - 1, most).astype(int)

    sets = [(name, [held.drawings[i] for i in keep], held.labels[keep])
            for name, held in digits.items() for keep in [thinned(len(held.labels))]] + \
        [(name, [drawings[i] for i in thinned(len(drawings))], None) for name, drawings in non_digits.items()]
    total, done = sum(len(drawings) for _, drawings, _ in sets), 0
    if progress is not None and not progress(done, total):
        return None
    read_digits: dict[str, dict[str, Scored]] = {}
    read_other: dict[str, dict[str, Scored]] = {}
    for name, drawings, labels in sets:
        (read_other if labels is None else read_digits)[name] = score_kinds(reader, drawings, labels)
        done += len(drawings)
        if progress is not None and not progress(done, total):
            return None
    return {kind: measure_honesty({name: r[kind] for name, r in read_digits.items()},
                                  {name: r[kind] for name, r in read_other.items()}, reader.calibrations[kind])
            for kind in kinds}


PLOTTED_BIN = 10
KIND_TITLES = {"both": "image network and stroke model combined", "image": "the image network alone",
               "strokes": "the stroke model alone"}


def format_honesty(measured: dict, title: str) -> str:
    """`measure_honesty` as a text table, in %, under ``title`` and its calibration."""
    def cell(value):
        return f"{100 * value:8.2f}" if value is not None else f"{'-':>8}"

    sets, calibration = measured["sets"], measured["calibration"]
    width = max(len(name) for name in sets)
    lines = [f"{title} (temperature {calibration['temperature']:.3f}; sure from {calibration['sure_above']:.4f}; "
             f"not a digit from {calibration['not_a_digit_above']:.4f}), % of each set",
             f"{'set':<{width}} {'count':>7} {'not dig.':>8} {'sure':>8} {'sure+wr.':>8} {'accuracy':>8} {'ECE':>8}"]
    lines += [f"{name:<{width}} {row['count']:>7,} {cell(row['not_a_digit'])} {cell(row['sure'])} "
              f"{cell(row['sure_wrong'])} {cell(row['accuracy'])} {cell(row['ece'])}" for name, row in sets.items()]
    return "\n".join(lines)


def plot_reliability(measured: dict[str, dict], figure=None, names: dict[str, str] | None = None,
                     texts: tuple[str, str, str] = ("confidence (the top probability shown)", "accuracy",
                                                    "reliability on held-out writers' digits")):
    """The reliability diagram of each kind's `measure_honesty` (``measured``: kind -> figures): per
    confidence bin holding at least `PLOTTED_BIN` answers (fewer say little), the accuracy against the
    mean confidence, a marker's area by the bin's count, beside the diagonal of a perfectly calibrated
    reader.  ``names``: each kind's legend label; ``texts``: the x label, y label and title (the app passes
    them translated).  Draws into ``figure`` (a new one when None) and returns it."""
    from matplotlib.figure import Figure

    figure = figure if figure is not None else Figure(figsize=(5.0, 4.2))
    axes = figure.add_subplot(1, 1, 1)
    shown = {kind: [row for row in m["reliability"] if row["count"] >= PLOTTED_BIN] for kind, m in measured.items()}
    low = min([0.5] + [row["confidence"] for rows in shown.values() for row in rows])
    low = np.floor(low * 10) / 10
    axes.plot([low, 1], [low, 1], color="0.6", linestyle="--", linewidth=1, label="_diagonal")
    for kind, m in measured.items():
        rows = shown[kind]
        confidence = [row["confidence"] for row in rows]
        accuracy = [row["accuracy"] for row in rows]
        total = sum(row["count"] for row in m["reliability"])
        sizes = [12 + 300 * row["count"] / total for row in rows]
        label = (names or KIND_TITLES).get(kind, kind) + f" (ECE {100 * m['sets']['digits: all']['ece']:.2f} %)"
        line, = axes.plot(confidence, accuracy, linewidth=1)
        axes.scatter(confidence, accuracy, s=sizes, color=line.get_color(), alpha=0.7, label=label)
    axes.set_xlim(low, 1.005)
    axes.set_ylim(low, 1.005)
    axes.set_xlabel(texts[0])
    axes.set_ylabel(texts[1])
    axes.set_title(texts[2])
    axes.legend(loc="lower right", fontsize="small")
    axes.grid(alpha=0.3)
    figure.tight_layout()
    return figure

