"""Stroke-size robustness: how well models read the same digits drawn with thin and fat pens.

The study draws one of two fixed test sets (:mod:`digitpad.evaluation.drawn_test_sets`): ``"traced"``,
MNIST **test** digits traced into pen strokes, or ``"pen"``, real pen digits of writers no model is
trained or selected on.  Each drawing is given each pen width and turned into the network's input by
:func:`digitpad.drawing.network_input.drawing_to_input` in each of its pipelines: ``"strokes"`` (the
app's: the strokes re-rendered at MNIST's thickness), ``"image"`` (the pen's pixels, thin strokes
thickened by `to_mnist`) and ``"raw"`` (the pen's pixels as they are).  Every model classifies every
input; the result is the accuracy per (model, pipeline) and pen width, a
:class:`~digitpad.evaluation.robustness_report.RobustnessResult` that reports itself as a table,
JSON-able dict and line plot.

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

import math
import numbers
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from digitpad.data.drawn import fit_ink
from digitpad.drawing.network_input import INPUT_SHAPE, MODES, drawing_to_input
from digitpad.drawing.strokes import Drawing
from digitpad.errors import DigitpadError
from digitpad.evaluation.drawn_test_sets import (DATASETS, DEFAULT_CANVAS, DEFAULT_N, Drawn, data_fingerprint,
                                                 measurement_digits, test_set)
from digitpad.evaluation.robustness_report import RobustnessResult
from digitpad.reading.reader import Reader, combine

__all__ = [
    "DEFAULT_WIDTHS",
    "clear_cache",
    "prepare_drawings",
    "run_robustness",
    "check_study",
]

DEFAULT_WIDTHS = (2, 4, 8, 16, 32)
# The bounds of a study (`check_study`).  More drawings than MNIST's 10,000 test digits would repeat them
# (and each costs 3 x 784 floats per pen width); a pen wider than half the canvas leaves no room for the
# digit (and a 100,000-px pen took 37 GiB); the table and the plot stay readable with 32 widths.
MAX_N = 10_000
MIN_CANVAS, MAX_CANVAS = 8, 4096
MAX_WIDTH_SHARE = 0.5
MAX_WIDTHS = 32
# Cached preprocessed inputs: 1000 drawings x 784 float32 = 3.1 MB per (width, mode); this keeps ~20 of
# those (the app's studies), or 4 of DEFAULT_N.
_CACHE_BYTES = 64 * 2**20
# Images preprocessed or classified between two looks at ``cancel`` (about a second of work or less).
CHUNK = 250


def prepare_drawings(drawn: Drawn, width: float, canvas: int, mode: str) -> tuple[np.ndarray, np.ndarray]:
    """Each drawing drawn with pen ``width`` (kept on the canvas, `fit_ink`) through `drawing_to_input`.

    Returns (inputs float32 (n, 1, 28, 28), valid bool (n,)); ``valid`` is False where no ink was found
    (such an input is left blank and counts as misread).
    """
    inputs = np.zeros((len(drawn), *INPUT_SHAPE), np.float32)
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
        if isinstance(model, Reader):
            if model.model is None:
                raise TypeError(f"reader {name!r} has no image network: pen widths change nothing of a stroke model")
        elif not callable(getattr(model, "predict_proba", None)):
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

    ``models``: name -> model with ``predict_proba((N, 1, 28, 28))`` (e.g. `digitpad.nn.load_model`), or a
    `Reader` with an image network: one that also has a stroke model reads each drawing combined, the image
    network at each width and pipeline with the stroke model's answer, which no pen width changes.
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
        n = min(n, len(measurement_digits(data_dir)))
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

    base_key = (data_fingerprint(dataset, data_dir), dataset, n, canvas, seed)
    drawn: Drawn | None = None
    labels: np.ndarray | None = None
    stroke_answers: dict[str, np.ndarray] = {}   # a combined reader's stroke probabilities of the drawings
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
                model = models[name]
                if isinstance(model, Reader) and model.strokes is not None and name not in stroke_answers:
                    drawn = drawn if drawn is not None else test_set(dataset, n, canvas, seed, data_dir)
                    stroke_answers[name] = Reader(None, strokes=model.strokes).probabilities(
                        [Drawing(strokes, 1.0, canvas) for strokes, _ in drawn])
                predicted = []
                for i in range(0, n, CHUNK):
                    if i and stopped():
                        return result
                    if isinstance(model, Reader):
                        p = combine(model.model.predict_proba(inputs[i:i + CHUNK]),
                                    stroke_answers[name][i:i + CHUNK] if name in stroke_answers else None,
                                    model.stroke_weight)
                    else:
                        p = model.predict_proba(inputs[i:i + CHUNK])
                    predicted.append(np.asarray(p).argmax(axis=1))
                predicted = np.concatenate(predicted)
                accuracy[(name, mode)][w] = float(((predicted == mode_labels) & valid).mean())
                step()
    result.elapsed_s = time.perf_counter() - start
    return result
