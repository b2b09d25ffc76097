"""Reading held-out writers: the image network, the stroke model and the two combined, set by set.

`held_out_sets` makes the drawings of one writer group (``validation`` to choose with, ``measure`` to
report; `digitpad.data.pen_sets`), as the app would hold them (`Drawing`s with their strokes):

- ``pendigits`` and ``uji``: the group's writers' digits as they wrote them;
- one set per handwriting convention (``crossed 7``, ``slashed 0`` …): the group's digits of that kind
  drawn that way (`digitpad.data.conventions`), and the conventions the writers used themselves
  (``continental 1 (as written)``, ``4 in one stroke (as written)`` …);
- ``traced MNIST`` (``traced`` > 0): MNIST digits traced into strokes (the tracer's stroke order):
  test digits for ``measure``; for ``validation``, the shipped CNN's own validation digits
  (`traced_validation_digits`: MNIST training digits it never trained on, and no stroke model does).

`read_sets` reads every set once with each model (`SetReading`: the probabilities, so that weights can
be tried without reading again); `choose_stroke_weight` picks the stroke model's weight beside an image
network on validation sets: the best mean accuracy over the sets among the weights that read no set
worse than the image network alone.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from digitpad import nn
from digitpad.data import conventions
from digitpad.data.pen_sets import CANVAS_SIZE, SOURCES, convention_sets, writer_samples
from digitpad.drawing.strokes import Drawing
from digitpad.reading.reader import Reader, combine

# The shipped CNN's validation split (its card: --val-size 5000 --seed 1, every ingredient): traced, they
# choose a stroke model's weight beside it, as digits neither was trained on.
CNN_VALIDATION = (5000, 1)
TRACED_CANVAS = 128
WEIGHT_GRID = np.round(np.linspace(0.0, 1.0, 21), 2)
PEN_WIDTH = 8.0                      # any: the app's strokes pipeline redraws the centre lines


@dataclass
class HeldOut:
    """One set of drawings and their digits."""

    drawings: list[Drawing]
    labels: np.ndarray


def held_out_sets(group: str, traced: int = 0, data_dir=None) -> dict[str, HeldOut]:
    """The sets of ``group``'s writers (see the module docstring), by name."""
    samples = writer_samples(group, data_dir)

    def held(pairs, canvas=CANVAS_SIZE) -> HeldOut:
        return HeldOut([Drawing([np.asarray(s, np.float32) for s in strokes], PEN_WIDTH, canvas) for strokes, _ in pairs],
                       np.array([label for _, label in pairs], np.int64))

    sets = {source: held(samples[source]) for source in SOURCES}
    everyone = [pair for source in SOURCES for pair in samples[source]]
    for name, pairs in convention_sets(everyone, seed=1).items():
        sets[name] = held(pairs)
    natural: dict[str, list] = {}
    for strokes, label in everyone:
        for name in conventions.natural_conventions(strokes, label):
            natural.setdefault(f"{name} (as written)", []).append((strokes, label))
    sets.update((name, held(pairs)) for name, pairs in sorted(natural.items()))
    if traced:
        sets["traced MNIST"] = held(_traced(group, traced, data_dir), TRACED_CANVAS)
    return sets


@functools.lru_cache(maxsize=4)
def _traced(group: str, n: int, data_dir) -> list:
    """The traced MNIST set of ``group`` (made once per process: tracing takes a few seconds per thousand)."""
    from digitpad.data import mnist
    from digitpad.data.drawn import make_drawn_digits
    from digitpad.evaluation.drawn_test_sets import drawn_test_set

    if group == "measure":
        return drawn_test_set(n, TRACED_CANVAS, 0, data_dir)
    images, labels = mnist.load_mnist("train", data_dir)
    held = traced_validation_digits(len(images))
    return make_drawn_digits(images[held], labels[held], n, np.random.default_rng(7), TRACED_CANVAS)


def traced_validation_digits(n: int = 60_000) -> np.ndarray:
    """The indices of MNIST's training digits that validate and never train: the shipped CNN's validation
    digits (`CNN_VALIDATION`)."""
    from digitpad.data import mnist

    return mnist.validation_split(n, *CNN_VALIDATION)[1]


@dataclass
class SetReading:
    """A set's digits and each model's probabilities (None for a model not given)."""

    labels: np.ndarray
    image: np.ndarray | None
    strokes: np.ndarray | None

    def accuracy(self, stroke_weight: float | None = None, digit: int | None = None) -> float:
        """The accuracy of the image network (``stroke_weight`` 0 or no stroke model), the stroke model
        (1 or no image network) or the two combined; of the digits ``digit`` only, if given."""
        p = combine(self.image if stroke_weight != 1 else None, self.strokes if stroke_weight != 0 else None,
                    0.5 if stroke_weight is None else stroke_weight)
        keep = np.ones(len(self.labels), bool) if digit is None else self.labels == digit
        return float(np.mean(p[keep].argmax(axis=1) == self.labels[keep])) if keep.any() else float("nan")


def read_sets(sets: dict[str, HeldOut], image: nn.Sequential | None, strokes: nn.Sequential | None
              ) -> dict[str, SetReading]:
    """Every set read once by each model given."""
    image_reader = Reader(image) if image is not None else None
    stroke_reader = Reader(None, strokes=strokes) if strokes is not None else None
    return {name: SetReading(held.labels,
                             image_reader.probabilities(held.drawings) if image_reader else None,
                             stroke_reader.probabilities(held.drawings) if stroke_reader else None)
            for name, held in sets.items()}


def choose_stroke_weight(readings: dict[str, SetReading]) -> tuple[float, dict[float, float]]:
    """The stroke model's weight: of the weights of `WEIGHT_GRID` with which no set is read worse than by
    the image network alone, the one with the best mean accuracy over the sets (ties: the one nearest
    0.5); and every weight's mean accuracy.  Weight 0 (the image network alone) always qualifies, so a
    stroke model that only costs accuracy somewhere gets none."""
    alone = {name: r.accuracy(0.0) for name, r in readings.items()}
    means, allowed = {}, []
    for w in map(float, WEIGHT_GRID):
        accuracies = {name: r.accuracy(w) for name, r in readings.items()}
        means[w] = float(np.mean(list(accuracies.values())))
        if all(accuracies[name] >= alone[name] for name in readings):
            allowed.append(w)
    best = max(means[w] for w in allowed)
    return min((w for w in allowed if means[w] >= best - 1e-12), key=lambda w: abs(w - 0.5)), means


def digit_reading(readings: dict[str, SetReading], digit: int, sets=SOURCES) -> SetReading:
    """The digits ``digit`` of the writers' own sets (``sets``: the sources as written), as one reading."""
    parts = [(r, r.labels == digit) for name, r in readings.items() if name in sets]
    return SetReading(np.concatenate([r.labels[k] for r, k in parts]),
                      None if parts[0][0].image is None else np.concatenate([r.image[k] for r, k in parts]),
                      None if parts[0][0].strokes is None else np.concatenate([r.strokes[k] for r, k in parts]))


def reading_rows(readings: dict[str, SetReading], stroke_weight: float) -> dict[str, dict]:
    """Per set (and the 1s and 7s of the writers' own digits): its size and the accuracy of the image
    network alone, the stroke model alone and the two combined (None where a model is missing)."""
    rows = dict(readings)
    if all(source in readings for source in SOURCES):
        rows.update({f"{d}s of the writers (as written)": digit_reading(readings, d) for d in (1, 7)})
    table = {}
    for name, r in rows.items():
        table[name] = {"digits": int(len(r.labels)),
                       "image": r.accuracy(0.0) if r.image is not None else None,
                       "strokes": r.accuracy(1.0) if r.strokes is not None else None,
                       "combined": r.accuracy(stroke_weight) if r.image is not None and r.strokes is not None else None}
    return table


def format_rows(table: dict[str, dict], title: str) -> str:
    """`reading_rows` as a text table."""
    def cell(value):
        return f"{100 * value:8.2f}" if value is not None else f"{'-':>8}"

    width = max(len(name) for name in table)
    lines = [title, f"{'set':<{width}} {'digits':>7} {'image':>8} {'strokes':>8} {'combined':>8}"]
    lines += [f"{name:<{width}} {row['digits']:>7,} {cell(row['image'])} {cell(row['strokes'])} {cell(row['combined'])}"
              for name, row in table.items()]
    return "\n".join(lines)
