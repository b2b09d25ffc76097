"""Stroke-size robustness: how well models read the same digits drawn with thin and fat pens.

Two fixed test sets of drawings (strokes on a square canvas; a fixed seed gives the same every run):

- ``"traced"``: MNIST **test** digits traced into pen strokes (:func:`digitpad.data.drawn.make_drawn_digits`:
  usually 60-80 % of the canvas high and roughly centred, some small, off-centre or slightly rotated);
- ``"pen"``: real pen trajectories of the 6 *measurement writers* of :func:`digitpad.data.pendigits.writer_groups`,
  writers no model is trained or selected on, each placed as people draw: 50-90 % of the canvas high,
  anywhere on it, slightly rotated.

Each drawing is given each pen width and turned into the network's input by
:func:`digitpad.drawing.network_input.drawing_to_input` in each of its pipelines: ``"strokes"`` (the
app's: the strokes re-rendered at MNIST's thickness), ``"image"`` (the pen's pixels, thin strokes
thickened by `to_mnist`) and ``"raw"`` (the pen's pixels as they are).  Every model classifies every
input; the result is the accuracy per (model, pipeline) and pen width, as a table, JSON-able dict
and line plot.

    from digitpad import nn
    from digitpad.evaluation.robustness import run_robustness
    result = run_robustness({"mlp": nn.load_model("models/mlp.npz")}, n=300)
    print(result.to_table())
    result.save_png("robustness.png")

Each accuracy is a proportion over ``n`` drawings, so its standard error is ``sqrt(p (1 - p) / n)``:
about 0.44 points at 98 % with n = 1000 and 1.0 point with n = 200 (:meth:`RobustnessResult.standard_error`).
Differences between widths or modes are paired (the same drawings every time), so they are less noisy
than two independent samples of that size would be.

The preprocessed 28x28 inputs are computed once per (pen width, normalisation) and shared by all models
of a run; they are also kept in a small in-process cache (:func:`clear_cache`) so that running the study
again with other models, as the app does, only costs the models' predictions.
"""

from __future__ import annotations

import hashlib
import io
import math
import numbers
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.atomic import atomic_write_bytes
from digitpad.data.drawn import fit_ink, make_drawn_digits, pick_digits
from digitpad.drawing.network_input import MODES, drawing_to_input
from digitpad.errors import DigitpadError

__all__ = [
    "DEFAULT_WIDTHS",
    "SPREAD_WIDTHS",
    "RobustnessResult",
    "clear_cache",
    "DATASETS",
    "drawn_test_digits",
    "drawn_test_set",
    "pen_test_set",
    "plot_side_by_side",
    "save_side_by_side_png",
    "prepare_drawings",
    "run_robustness",
    "check_study",
]

DEFAULT_WIDTHS = (2, 4, 8, 16, 32)
DEFAULT_CANVAS = 128
DEFAULT_N = 5000  # standard error 0.2 points at 98 %; about 50 s for the two shipped models
# The bounds of a study (`check_study`).  More drawings than MNIST's 10,000 test digits would repeat them
# (and each costs 3 x 784 floats per pen width); a pen wider than half the canvas leaves no room for the
# digit (and a 100,000-px pen took 37 GiB); the table and the plot stay readable with 32 widths.
MAX_N = 10_000
MIN_CANVAS, MAX_CANVAS = 8, 4096
MAX_WIDTH_SHARE = 0.5
MAX_WIDTHS = 32
# The pen widths the app's users actually draw with: the spread (best - worst accuracy) is taken over them.
SPREAD_WIDTHS = (2, 16)
# Cached preprocessed inputs: 1000 drawings x 784 float32 = 3.1 MB per (width, mode); this keeps ~20 of
# those (the app's studies), or 4 of DEFAULT_N.
_CACHE_BYTES = 64 * 2**20
# Images preprocessed or classified between two looks at ``cancel`` (about a second of work or less).
CHUNK = 250

Drawn = list[tuple[list[np.ndarray], int]]
DATASETS = {"traced": "drawn MNIST test digits", "pen": "real pen digits of held-out writers"}
MODE_LABELS = {"strokes": "strokes (app)", "image": "image-normalised", "raw": "raw"}
# Placing a real pen digit as people draw: its height a uniform share of the canvas, rotated a little.
PEN_HEIGHT_RANGE = (0.5, 0.9)
PEN_ROTATION_DEG = 8.0


# --------------------------------------------------------------------------------------------------
# The test set


def drawn_test_set(n: int = DEFAULT_N, canvas: int = DEFAULT_CANVAS, seed: int = 0,
                   data_dir: str | Path | None = None) -> Drawn:
    """``n`` drawings (strokes, label) made from MNIST test digits on a ``canvas``-pixel square.

    Deterministic: the same (n, canvas, seed) and MNIST files give the same drawings (digits, placement,
    rotation).  Render them with :func:`digitpad.data.drawn.render_drawn`.  Raises DatasetError when the
    MNIST test files are missing (``data_dir``, else the usual search path of
    :func:`digitpad.data.mnist.load_mnist`).
    """
    from digitpad.data import mnist

    images, labels = mnist.load_mnist("test", data_dir)
    return make_drawn_digits(images, labels, n, np.random.default_rng(seed), canvas)


def drawn_test_digits(n: int = DEFAULT_N, seed: int = 0, data_dir: str | Path | None = None
                      ) -> tuple[np.ndarray, np.ndarray]:
    """The MNIST test digits (uint8 images, labels) that ``drawn_test_set(n, canvas, seed)`` drew, in its
    order: the same digits read as images, to tell a misread drawing from a misread digit."""
    from digitpad.data import mnist

    images, labels = mnist.load_mnist("test", data_dir)
    chosen = pick_digits(len(images), n, np.random.default_rng(seed))
    return images[chosen], labels[chosen]


def pen_test_set(canvas: int = DEFAULT_CANVAS, seed: int = 0, data_dir: str | Path | None = None) -> Drawn:
    """The measurement writers' pen digits (strokes, label), each placed on a ``canvas``-pixel square
    as people draw: 50-90 % of the canvas high, rotated up to 8 degrees, anywhere on the canvas with
    its centre lines inside.  Raises DatasetError when the pen digits are missing."""
    digits = _measurement_digits(data_dir)
    rng = np.random.default_rng([seed, 5])
    order = rng.permutation(len(digits))     # any first n of them are a random sample of the writers' digits
    return [(_place_pen_digit(list(digits[i].strokes), rng, canvas), digits[i].label) for i in order]


def _measurement_digits(data_dir: str | Path | None):
    from digitpad.data import pendigits

    return pendigits.of_writers(pendigits.load_pendigits(data_dir), pendigits.writer_groups()["measure"])


def _place_pen_digit(strokes: list[np.ndarray], rng: np.random.Generator, canvas: int) -> list[np.ndarray]:
    angle = math.radians(rng.uniform(-PEN_ROTATION_DEG, PEN_ROTATION_DEG))
    turn = np.array([[math.cos(angle), math.sin(angle)], [-math.sin(angle), math.cos(angle)]])
    points = np.concatenate(strokes)
    centre = (points.min(axis=0) + points.max(axis=0)) / 2
    turned = [(stroke - centre) @ turn for stroke in strokes]
    low, high = np.concatenate(turned).min(axis=0), np.concatenate(turned).max(axis=0)
    scale = rng.uniform(*PEN_HEIGHT_RANGE) * canvas / max(float(high[1] - low[1]), 1.0)
    scale = min(scale, 0.95 * canvas / max(float(high[0] - low[0]), 1.0))   # a wide digit stays on the canvas
    low, high = low * scale, high * scale
    offset = np.array([rng.uniform(-lo, canvas - hi) for lo, hi in zip(low, high)])
    return [stroke * scale + offset for stroke in turned]


def test_set(dataset: str, n: int, canvas: int, seed: int, data_dir: str | Path | None) -> Drawn:
    """``n`` drawings of ``dataset`` ("traced" or "pen"; the pen set has as many as its writers wrote)."""
    if dataset == "traced":
        return drawn_test_set(n, canvas, seed, data_dir)
    return pen_test_set(canvas, seed, data_dir)[:n]


def prepare_drawings(drawn: Drawn, width: float, canvas: int, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Each drawing drawn with pen ``width`` (kept on the canvas, `fit_ink`) through `drawing_to_input`.

    Returns (inputs float32 (n, 1, 28, 28), valid bool (n,)); ``valid`` is False where no ink was found
    (such an input is left blank and counts as misread).
    """
    inputs = np.zeros((len(drawn), 1, 28, 28), np.float32)
    valid = np.zeros(len(drawn), bool)
    for i, (strokes, _) in enumerate(drawn):
        digit = drawing_to_input(fit_ink(strokes, width, canvas), width, canvas, mode)
        if digit is not None:
            inputs[i, 0] = digit
            valid[i] = True
    return inputs, valid


class _InputCache:
    """Preprocessed inputs keyed by (data fingerprint, dataset, n, canvas, seed, width, mode); LRU, bounded."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, tuple[np.ndarray, np.ndarray, np.ndarray]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple):
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: tuple, item: tuple[np.ndarray, np.ndarray, np.ndarray]) -> None:
        for array in item:
            array.setflags(write=False)
        with self._lock:
            self._items[key] = item
            self._items.move_to_end(key)
            while len(self._items) > 1 and sum(a.nbytes for v in self._items.values() for a in v) > self.max_bytes:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_CACHE = _InputCache(_CACHE_BYTES)


def clear_cache() -> None:
    """Forget the preprocessed inputs kept from earlier runs (e.g. to time a run from scratch)."""
    _CACHE.clear()


def _fingerprint(dataset: str, data_dir: str | Path | None) -> str:
    """A digest of the test data that would be used (the loaders cache their arrays in-process)."""
    if dataset == "pen":
        from digitpad.data import pendigits

        path = pendigits.find_pendigits(data_dir)
        return f"pen:{path}:{path.stat().st_mtime_ns}" if path else "pen:missing"
    from digitpad.data import mnist

    images, labels = mnist.load_mnist("test", data_dir)
    digest = hashlib.blake2b(digest_size=16)
    digest.update(np.ascontiguousarray(labels).tobytes())
    digest.update(np.ascontiguousarray(images).tobytes())
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------------
# The result


def _width_label(width: float) -> str:
    return f"{width:g}"


def _mode_label(mode: str) -> str:
    return MODE_LABELS.get(mode, mode)


@dataclass
class RobustnessResult:
    """Accuracy of each (model name, pipeline) per pen width; see :func:`run_robustness`.

    ``accuracy[(name, mode)][i]`` is the fraction of the ``n`` drawings of ``dataset`` given pen
    ``widths[i]`` that the model classified correctly (NaN where a cancelled run did not get to it).
    ``empty[mode][i]`` counts the drawings no ink was found in (they count as misread).
    ``complete`` is False for a run stopped through ``cancel``.
    """

    widths: list[float]
    canvas: int
    n: int
    accuracy: dict[tuple[str, str], list[float]]
    seed: int = 0
    empty: dict[str, list[int]] = field(default_factory=dict)
    dataset: str = "traced"
    complete: bool = True
    elapsed_s: float = 0.0

    # --- figures --------------------------------------------------------------------------------
    @property
    def models(self) -> list[str]:
        return list(dict.fromkeys(name for name, _ in self.accuracy))

    def standard_error(self, accuracy: float) -> float:
        """Standard error of an accuracy measured on this result's ``n`` drawings: sqrt(p (1-p) / n)."""
        return math.sqrt(max(accuracy * (1 - accuracy), 0.0) / self.n) if self.n else math.nan

    def spread(self, key: tuple[str, str], low: float = SPREAD_WIDTHS[0], high: float = SPREAD_WIDTHS[1]) -> float:
        """Best minus worst accuracy over the pen widths in [low, high] (NaN if none was measured)."""
        values = [a for w, a in zip(self.widths, self.accuracy[key]) if low <= w <= high and not math.isnan(a)]
        return max(values) - min(values) if values else math.nan

    def worst(self, key: tuple[str, str], low: float = SPREAD_WIDTHS[0], high: float = SPREAD_WIDTHS[1]) -> float:
        """Lowest accuracy over the pen widths in [low, high] (NaN if none was measured)."""
        values = [a for w, a in zip(self.widths, self.accuracy[key]) if low <= w <= high and not math.isnan(a)]
        return min(values) if values else math.nan

    # --- presentation ---------------------------------------------------------------------------
    def to_table(self) -> str:
        """A plain-text table: one row per model and mode, accuracy (%) per pen width, and the
        best-worst spread over widths 2-16, then a line giving the sample size and standard error."""
        low, high = SPREAD_WIDTHS
        has_spread = any(low <= w <= high for w in self.widths)
        name_width = max([5, *(len(name) for name in self.models)])
        header = f"{'model':<{name_width}}  {'pipeline':<16}" + "".join(
            f"{_width_label(w) + ' px':>9}" for w in self.widths)
        if has_spread:
            header += f"  {f'spread {low:g}-{high:g}':>12}"
        lines = [
            f"Accuracy (%) on {self.n:,} {DATASETS.get(self.dataset, self.dataset)} by pen width "
            f"(canvas {self.canvas} px, seed {self.seed}){'' if self.complete else ' -- STOPPED, incomplete'}",
            header,
            "-" * len(header),
        ]
        digits = 2 if self.n >= 5000 else 1  # the standard error is 0.2 points or less from n = 5000
        for key, values in self.accuracy.items():
            name, mode = key
            row = f"{name:<{name_width}}  {_mode_label(mode):<16}" + "".join(
                f"{'--':>9}" if math.isnan(a) else f"{100 * a:>9.{digits}f}" for a in values)
            if has_spread:
                spread = self.spread(key)
                row += f"  {'--' if math.isnan(spread) else f'{100 * spread:.{digits}f}':>12}"
            lines.append(row)
        measured = [a for values in self.accuracy.values() for a in values if not math.isnan(a)]
        if measured:
            errors = [self.standard_error(a) for a in measured]
            lines.append(f"standard error per figure: sqrt(p(1-p)/n) = {100 * min(errors):.2f}-"
                         f"{100 * max(errors):.2f} points (n = {self.n:,}; the columns use the same drawings)")
        empty = {mode: sum(counts) for mode, counts in self.empty.items() if sum(counts)}
        if empty:
            lines.append("drawings preprocessing found no ink in (counted as misread): " + ", ".join(
                f"{_mode_label(mode)} {count}" for mode, count in empty.items()))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_table()

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able dict (NaN, i.e. not measured, becomes None); `from_dict` reads it back."""

        def clean(value: float) -> float | None:
            return None if math.isnan(value) else round(float(value), 6)

        return {
            "widths": [float(w) if not float(w).is_integer() else int(w) for w in self.widths],
            "canvas": self.canvas,
            "n": self.n,
            "seed": self.seed,
            "dataset": self.dataset,
            "complete": self.complete,
            "elapsed_s": round(self.elapsed_s, 3),
            "spread_widths": list(SPREAD_WIDTHS),
            "results": [
                {
                    "model": name,
                    "mode": mode,
                    "accuracy": [clean(a) for a in values],
                    "standard_error": [clean(self.standard_error(a)) for a in values],
                    "spread": clean(self.spread((name, mode))),
                    "worst": clean(self.worst((name, mode))),
                }
                for (name, mode), values in self.accuracy.items()
            ],
            "empty": [{"mode": mode, "counts": list(counts)} for mode, counts in self.empty.items()],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RobustnessResult:
        """The inverse of `as_dict`."""
        return cls(
            widths=list(data["widths"]),
            canvas=int(data["canvas"]),
            n=int(data["n"]),
            seed=int(data.get("seed", 0)),
            dataset=str(data.get("dataset", "traced")),
            accuracy={(row["model"], _row_mode(row)): [math.nan if a is None else float(a) for a in row["accuracy"]]
                      for row in data["results"]},
            empty={_row_mode(row): [int(c) for c in row["counts"]] for row in data.get("empty", [])},
            complete=bool(data.get("complete", True)),
            elapsed_s=float(data.get("elapsed_s", 0.0)),
        )

    def plot(self, figure=None):
        """Accuracy against pen width (log2 axis): one line per model (colour) and pipeline (solid =
        strokes, dashed = image-normalised, dotted = raw).  Draws into ``figure`` (a `matplotlib.figure.Figure`, e.g. the app's
        canvas; a new one if None) without touching pyplot's global state, and returns it."""
        from matplotlib.figure import Figure
        from matplotlib.ticker import FixedLocator, NullLocator

        if figure is None:
            figure = Figure(figsize=(6.4, 4.2), dpi=100, layout="constrained")
        ax = figure.add_subplot()
        colours = {name: f"C{i % 10}" for i, name in enumerate(self.models)}
        styles = {"strokes": ("-", "o"), "image": ("--", "s"), "raw": (":", "^")}
        for (name, mode), values in self.accuracy.items():
            line, marker = styles.get(mode, ("-.", "x"))
            ax.plot(self.widths, [100 * a for a in values], color=colours[name], linestyle=line, marker=marker,
                    markersize=4, label=f"{name}, {_mode_label(mode)}")
        ax.set_xscale("log", base=2)
        ax.xaxis.set_major_locator(FixedLocator(self.widths))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticklabels([_width_label(w) for w in self.widths])
        ax.set_xlabel(f"pen width (px on a {self.canvas}-px canvas)")
        ax.set_ylabel("accuracy (%)")
        title = DATASETS.get(self.dataset, self.dataset)
        ax.set_title(f"{title[0].upper()}{title[1:]}, n = {self.n:,}" + ("" if self.complete else " (stopped)"))
        ax.grid(True, alpha=0.3)
        if self.accuracy:
            ax.legend(fontsize="small", loc="best")
        return figure

    def png_bytes(self, dpi: int = 100) -> bytes:
        """The plot as PNG data."""
        buffer = io.BytesIO()
        self.plot().savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()

    def save_png(self, path: str | Path, dpi: int = 100) -> Path:
        """Write the plot to ``path`` as a PNG, atomically (readers never see a partial file)."""
        path = Path(path)
        atomic_write_bytes(path, self.png_bytes(dpi))
        return path


def plot_side_by_side(results: Sequence[RobustnessResult], figure=None):
    """Several studies (e.g. traced and pen digits) side by side, one panel each, in one figure."""
    from matplotlib.figure import Figure

    if figure is None:
        figure = Figure(figsize=(6.4 * len(results), 4.2), dpi=100, layout="constrained")
    panels = figure.subfigures(1, len(results)) if len(results) > 1 else [figure]
    for result, panel in zip(results, panels):
        result.plot(panel)
    return figure


def save_side_by_side_png(results: Sequence[RobustnessResult], path: str | Path, dpi: int = 100) -> Path:
    """`plot_side_by_side` written to ``path`` as a PNG, atomically."""
    buffer = io.BytesIO()
    plot_side_by_side(results).savefig(buffer, format="png", dpi=dpi)
    path = Path(path)
    atomic_write_bytes(path, buffer.getvalue())
    return path


# --------------------------------------------------------------------------------------------------
# Running the study


def _row_mode(row: Mapping[str, Any]) -> str:
    """A JSON row's pipeline; files written before pipelines had names say ``normalize``: true/false."""
    if "mode" in row:
        return str(row["mode"])
    return "image" if row.get("normalize") else "raw"


class StudyArgumentError(DigitpadError, ValueError):
    """A size, pen width or seed of a study out of its bounds (one line naming the limit)."""


def check_study(widths: Sequence[float], canvas: int, n: int, seed: int, prefix: str = "") -> None:
    """Refuse, before any work, a study that cannot run or would not fit in memory: :data:`MAX_N`
    drawings at most, a canvas of :data:`MIN_CANVAS` to :data:`MAX_CANVAS` pixels, 1 to
    :data:`MAX_WIDTHS` pen widths each no wider than :data:`MAX_WIDTH_SHARE` of the canvas, a seed of 0
    or more.  ``prefix`` goes before each argument's name in the message (the CLI gives ``"--"``)."""
    def whole(value: object) -> bool:
        return isinstance(value, numbers.Integral) and not isinstance(value, bool)

    if not whole(n) or not 1 <= n <= MAX_N:
        raise StudyArgumentError(f"{prefix}n must be 1 to {MAX_N:,} (the MNIST test set; more drawings would repeat "
                                 f"its digits), got {n}")
    if not whole(canvas) or not MIN_CANVAS <= canvas <= MAX_CANVAS:
        raise StudyArgumentError(f"{prefix}canvas must be {MIN_CANVAS} to {MAX_CANVAS} pixels, got {canvas}")
    widest = canvas * MAX_WIDTH_SHARE
    if not 1 <= len(widths) <= MAX_WIDTHS:
        raise StudyArgumentError(f"{prefix}widths needs 1 to {MAX_WIDTHS} pen widths, got {len(widths)}")
    for w in widths:
        if isinstance(w, bool) or not isinstance(w, numbers.Real) or not (math.isfinite(w) and 0 < w <= widest):
            raise StudyArgumentError(f"{prefix}widths: a pen width must be more than 0 and at most {widest:g} px "
                                     f"(a pen half as wide as the {canvas}-px canvas), got {w}")
    if not whole(seed) or seed < 0:
        raise StudyArgumentError(f"{prefix}seed must be 0 or more, got {seed}")


def _check_arguments(models: Mapping[str, Any], widths: Sequence[float], canvas: int, n: int, seed: int,
                     modes: Sequence[str], dataset: str) -> None:
    if not models:
        raise ValueError("run_robustness needs at least one model")
    for name, model in models.items():
        if not callable(getattr(model, "predict_proba", None)):
            raise TypeError(f"model {name!r} has no predict_proba method")
    check_study(widths, canvas, n, seed)
    if not modes or len(set(modes)) != len(modes) or any(mode not in MODES for mode in modes):
        raise ValueError(f"modes must list some of {', '.join(MODES)} once each, got {list(modes)}")
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {', '.join(DATASETS)}, got {dataset!r}")


def run_robustness(
    models: Mapping[str, Any],
    widths: Iterable[float] = DEFAULT_WIDTHS,
    canvas: int = DEFAULT_CANVAS,
    n: int = DEFAULT_N,
    seed: int = 0,
    modes: Iterable[str] = ("strokes", "image", "raw"),
    dataset: str = "traced",
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    data_dir: str | Path | None = None,
) -> RobustnessResult:
    """Accuracy of each model on ``n`` drawings of ``dataset`` ("traced" or "pen") by pen width.

    ``models``: name -> model with ``predict_proba((N, 1, 28, 28))`` (e.g. `digitpad.nn.load_model`).
    ``widths``: pen widths in pixels on the ``canvas``-pixel square.  ``modes``: the `drawing_to_input`
    pipelines to compare.  ``seed`` fixes the drawings (`drawn_test_set`, `pen_test_set`); the pen set
    holds as many digits as its writers wrote (about 1,500), so ``n`` larger than that takes them all.

    Work is done in units -- making the drawings, one width, preprocessing one (width, mode),
    classifying one (width, mode) with one model -- and ``progress(done, total)`` is called after each
    (the total is fixed up front; cached units count as done at once).  ``cancel()`` is checked before
    each unit and every CHUNK images within one; when it returns True the run stops and returns a
    **partial** result with ``complete=False`` and NaN for what was not measured -- it does not raise.
    Drawings with no ink found count as misread.  Raises DatasetError when the test data are missing,
    ValueError/TypeError for bad arguments.
    """
    widths = list(widths)
    modes = list(modes)
    _check_arguments(models, widths, canvas, n, seed, modes, dataset)
    start = time.perf_counter()
    names = list(models)
    if dataset == "pen":
        n = min(n, len(_measurement_digits(data_dir)))
    accuracy = {(name, mode): [math.nan] * len(widths) for name in names for mode in modes}
    empty = {mode: [0] * len(widths) for mode in modes}
    result = RobustnessResult(widths=widths, canvas=canvas, n=n, accuracy=accuracy, seed=seed, empty=empty,
                              dataset=dataset)

    total = 1 + len(widths) * (1 + len(modes) * (1 + len(names)))
    done = 0

    def step(units: int = 1) -> None:
        nonlocal done
        done += units
        if progress is not None:
            progress(done, total)

    def stopped() -> bool:
        if cancel is not None and cancel():
            result.complete = False
            result.elapsed_s = time.perf_counter() - start
            return True
        return False

    base_key = (_fingerprint(dataset, data_dir), dataset, n, canvas, seed)
    drawn: Drawn | None = None
    labels: np.ndarray | None = None
    if stopped():
        return result
    step()  # the drawings are made lazily, only if some input is not cached
    for w, width in enumerate(widths):
        cached = {mode: _CACHE.get((*base_key, float(width), mode)) for mode in modes}
        if stopped():
            return result
        if drawn is None and any(item is None for item in cached.values()):
            drawn = test_set(dataset, n, canvas, seed, data_dir)
        step()
        for mode in modes:
            if stopped():
                return result
            if cached[mode] is None:
                if labels is None:
                    labels = np.array([label for _, label in drawn], np.int64)
                parts = []
                for i in range(0, n, CHUNK):
                    if i and stopped():
                        return result
                    parts.append(prepare_drawings(drawn[i:i + CHUNK], width, canvas, mode))
                inputs = np.concatenate([part[0] for part in parts])
                valid = np.concatenate([part[1] for part in parts])
                cached[mode] = (inputs, valid, labels)
                _CACHE.put((*base_key, float(width), mode), cached[mode])
            inputs, valid, mode_labels = cached[mode]
            empty[mode][w] = int((~valid).sum())
            step()
            for name in names:
                if stopped():
                    return result
                predicted = []
                for i in range(0, n, CHUNK):
                    if i and stopped():
                        return result
                    predicted.append(np.asarray(models[name].predict_proba(inputs[i:i + CHUNK])).argmax(axis=1))
                predicted = np.concatenate(predicted)
                accuracy[(name, mode)][w] = float(((predicted == mode_labels) & valid).mean())
                step()
    result.elapsed_s = time.perf_counter() - start
    return result
