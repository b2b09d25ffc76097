"""The reading seam: from drawings to answers, the one way the app, the command line, the benchmarks
and the tests read digits::

    from digitpad import Drawing, Reader
    d = Drawing(strokes, canvas_size=128, pen_width=8)   # strokes: list of (N, 2) float arrays, canvas px, y down
    p = Drawing.from_image("scan.png")                     # a picture: no strokes
    reader = Reader.default()                              # what the app reads with at start: the shipped CNN and stroke model
    reader = Reader.load("mlp")                            # a name from the model store, or a path (.npz, .onnx)
    reader = Reader.load("cnn+strokes")                    # an image network and a stroke model together
    P = reader.probabilities([d, p])                       # (N, 10) float32, one batched call
    answers = reader.read([d, p])                          # [Answer]: digit, probabilities, unsure, runner_up, text

An item is a :class:`~digitpad.drawing.strokes.Drawing` (strokes, or a picture from `Drawing.from_image`)
or a 28x28 digit (uint8, or float in [0, 1], ink bright).  `input_of` makes what the network sees
of it: a drawing's strokes through `drawing_to_input` in the input ``mode`` (``"strokes"``, the app's
default: redrawn at MNIST's thickness whatever the pen; ``"image"``: the pen as drawn; ``"raw"``: its
pixels as they are), a picture's own 28x28 input, a digit as it is.  A model reads them all in one
batch (`to_model_input`, then ``predict_proba``).

A reader holds an image network, a stroke model (`digitpad.drawing.trajectory`: it reads how the digit
was written, from `drawing_to_trajectory`), or both.  Both read a drawing together: their
probabilities are combined as a weighted product (a weighted geometric mean, renormalised)::

    P(d) ∝ P_image(d)^(1 - w) · P_strokes(d)^w

with ``w`` the stroke model's ``stroke_weight`` (saved in its metadata, chosen on validation writers
when it was trained: `digitpad.training.strokes`).  An item without strokes (an opened picture, a 28x28
digit) is read by the image network alone; a reader with a stroke model only cannot read it (its
answer says so).

An :class:`Answer` says what the model reads, and plainly when it hesitates: between two close digits,
or two that handwriting often mixes up (1 and 7, 4 and 9 …) once the second is not negligible.  Its
``text`` is in English (the app shows it translated, `digitpad.app.widgets.probabilities.verdict_text`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad import nn
from digitpad.drawing.network_input import (DEFAULT_MODE, MODES, NUM_CLASSES, SIDE, drawing_to_input, misfit,
                                            to_model_input)
from digitpad.drawing.strokes import Drawing
from digitpad.drawing.trajectory import drawing_to_trajectory, misfit_strokes
from digitpad.errors import ImageError, ModelFileError
from digitpad.reading.store import default_reader_names, open_model, resolve_reader, stroke_weight_of

__all__ = ["Answer", "Inputs", "Reader", "combine", "input_of", "inputs_of", "too_small", "trajectory_of"]

Item = Drawing | np.ndarray

# Pairs of digits that people's handwriting (and MNIST models) often mix up.
CONFUSABLE = {frozenset(pair) for pair in ((1, 7), (4, 9), (1, 4), (4, 7), (3, 5), (5, 6), (7, 9), (3, 8),
                                           (8, 9), (2, 7), (0, 6))}
CLOSE_SECOND = 0.25        # a runner-up above this is a real alternative
CLOSE_RATIO = 0.5          # ... as is one at least half as likely as the winner
CONFUSABLE_SECOND = 0.08   # a confusable runner-up counts from this probability

# The verdicts, in English; the app translates the same three texts (its `verdict_text`).
EMPTY_TEXT = "draw a digit"
NO_STROKES_TEXT = "no strokes: a stroke model reads drawings"
TOO_SMALL_TEXT = "too small to read"

# A drawing whose strokes span less than this share of the canvas side is not read (issue 25, item 2):
# a click, a 3-px tick or a 2-px flick would otherwise be scaled up to a full-size blob or bar and read
# "100 % sure".  5 % is 17 px on the app's 336-px canvas; the smallest digits of the robustness study are
# drawn 30 % high, six times that, and a short line of ordinary size is still read (a 1).
MIN_READABLE_EXTENT = 0.05
UNSURE_TEXT = "unsure: {0} or {1}"             # the digit, the runner-up
SURE_TEXT = "{0:.0%} sure it is a {1}"         # the digit's probability, the digit


@dataclass(frozen=True, eq=False)
class Answer:
    """What a model reads in one item.

    ``digit``: the most likely digit, None for an empty drawing (nothing to read) or one too small to
    read (`too_small`); ``probabilities``: the ten digits' probabilities, float32 (10,) read-only, None
    where there is no digit; ``unsure``: the
    runner-up is close, or a digit often mixed up with the answer; ``runner_up``: the second most likely
    digit (None for an empty drawing); ``text``: the verdict in words, in English.
    """

    digit: int | None
    probabilities: np.ndarray | None
    unsure: bool
    runner_up: int | None
    text: str

    @classmethod
    def from_probabilities(cls, probabilities: np.ndarray | None, empty_text: str = EMPTY_TEXT) -> "Answer":
        """The answer that ``probabilities`` (10,) give; None gives no digit, saying ``empty_text``
        (an empty drawing's, by default)."""
        if probabilities is None:
            return cls(None, None, False, None, empty_text)
        p = np.array(probabilities, np.float32).reshape(NUM_CLASSES)
        p.flags.writeable = False
        order = np.argsort(-p, kind="stable")   # the first of equal probabilities first, as np.argmax
        first, second = int(order[0]), int(order[1])
        p1, p2 = float(p[first]), float(p[second])
        close = p2 > CLOSE_SECOND or p2 > CLOSE_RATIO * p1
        confusable = frozenset((first, second)) in CONFUSABLE and p2 > CONFUSABLE_SECOND
        unsure = close or confusable
        text = UNSURE_TEXT.format(first, second) if unsure else SURE_TEXT.format(p1, first)
        return cls(first, p, unsure, second, text)


def input_of(item: Item, mode: str = DEFAULT_MODE) -> np.ndarray | None:
    """What the network is shown of ``item``: its (28, 28) float32 digit in [0, 1], None for an empty
    drawing.  A drawing's strokes go through `drawing_to_input` in ``mode``; a picture
    (`Drawing.from_image`) gives its own input and a 28x28 digit is taken as it is, whatever the mode."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
    if isinstance(item, Drawing):
        if item.image is not None or not item.strokes:
            return item.image
        return drawing_to_input(item.strokes, item.pen_width, item.canvas_size, mode)
    digits = to_model_input(item)
    if len(digits) != 1:
        raise ImageError(f"an item is one 28x28 digit or a Drawing, got shape {np.shape(item)}")
    return digits[0, 0]


def trajectory_of(item: Item) -> np.ndarray | None:
    """What a stroke model is shown of ``item``: a drawing's strokes through `drawing_to_trajectory`;
    None for an item without strokes (an empty drawing, a picture, a 28x28 digit)."""
    if isinstance(item, Drawing) and item.image is None and item.strokes:
        return drawing_to_trajectory(item.strokes, item.canvas_size)
    return None


@dataclass(frozen=True, eq=False)
class Inputs:
    """What the models are shown of some items (`inputs_of`): each item's 28x28 digit in the input mode
    (None: an empty drawing) and its trajectory (None: no strokes), and whether it is an empty drawing.
    Made once, they can be read by several readers (`Reader.read`'s ``inputs``)."""

    digits: list[np.ndarray | None]
    trajectories: list[np.ndarray | None]
    empty: list[bool]
    too_small: list[bool]


def inputs_of(items: Sequence[Item], mode: str = DEFAULT_MODE) -> Inputs:
    """`input_of` and `trajectory_of` of every item."""
    return Inputs([input_of(item, mode) for item in items], [trajectory_of(item) for item in items],
                  [_is_empty(item) for item in items], [too_small(item) for item in items])


def too_small(item: Item) -> bool:
    """Whether ``item`` is a drawing whose strokes span less than `MIN_READABLE_EXTENT` of its canvas side:
    a dot, a tick, a flick, too small to be read as a digit (decided on the canvas, before any scaling)."""
    if not isinstance(item, Drawing) or item.image is not None or not item.strokes:
        return False
    points = np.concatenate([np.asarray(s, np.float64).reshape(-1, 2) for s in item.strokes])
    return float(np.ptp(points, axis=0).max()) < MIN_READABLE_EXTENT * float(item.canvas_size)


class Reader:
    """What reads digits: an image network (``model``), a stroke model (``strokes``), or both, combined
    with the stroke model's weight (see the module docstring).  ``Reader(model)`` for networks in memory
    (each must fit digitpad's input and classes: `misfit`, `misfit_strokes`); `default` and `load` for
    the model store's.  ``name`` says which models it reads with (a stored one's file stem, "cnn+strokes"
    for two), ``path`` where the image network was loaded from (else the stroke model's; None in memory),
    ``stroke_path`` where the stroke model was.
    """

    def __init__(self, model: nn.Sequential | None, name: str = "model", path: Path | None = None,
                 strokes: nn.Sequential | None = None, stroke_weight: float | None = None,
                 stroke_path: Path | None = None):
        if model is None and strokes is None:
            raise ValueError("a reader needs an image network, a stroke model or both")
        problem = (model is not None and misfit(model)) or (strokes is not None and misfit_strokes(strokes))
        if problem:
            raise ModelFileError(f"{path or name}: {problem}")
        self.model = model
        self.strokes = strokes
        weight = stroke_weight if stroke_weight is not None else stroke_weight_of(strokes)
        if not 0.0 <= weight <= 1.0:
            raise ValueError(f"stroke_weight must be in [0, 1], got {weight}")
        self.stroke_weight = float(weight) if model is not None else 1.0
        self.name = name
        self.path = path
        self.stroke_path = stroke_path if model is not None else (stroke_path or path)

    @property
    def paths(self) -> tuple[Path, ...]:
        """The files the reader's models were loaded from, the image network's first."""
        return tuple(dict.fromkeys(p for p in (self.path, self.stroke_path) if p is not None))

    @classmethod
    def default(cls) -> "Reader":
        """What the app reads with at start: the shipped CNN with the shipped stroke model."""
        return cls.load("+".join(default_reader_names()))

    @classmethod
    def load(cls, name_or_path: str | os.PathLike | Sequence[str | os.PathLike]) -> "Reader":
        """Models of the store by name (``"cnn"``, ``"mlp"``, ``"strokes"``, a model you trained), or
        ``.npz`` or ``.onnx`` files; an image network and a stroke model together joined by ``+``
        (``"cnn+strokes"``) or given as a list (of names or paths: a Path is never split).
        ModelFileError (one line naming it) when there is none, it cannot be read, it does not fit
        digitpad, or two of one kind are joined."""
        found: dict[str, tuple[nn.Sequential, Path]] = {}
        for path in resolve_reader(name_or_path):
            model = open_model(path)
            kind = "image" if misfit(model) is None else "strokes"
            if kind in found:
                raise ModelFileError(f"{name_or_path}: joins two {kind} models; a reader combines one image "
                                     f"network and one stroke model")
            found[kind] = (model, path)
        image, strokes = found.get("image"), found.get("strokes")
        name = "+".join(pair[1].stem for pair in (image, strokes) if pair is not None)
        return cls(image[0] if image else None, name, (image or strokes)[1], strokes[0] if strokes else None,
                   stroke_path=strokes[1] if strokes else None)

    @property
    def kind(self) -> str:
        """``"image"``, ``"strokes"`` or ``"both"``: what the reader reads with."""
        return "both" if self.model is not None and self.strokes is not None else \
            "image" if self.model is not None else "strokes"

    def __repr__(self) -> str:
        return f"Reader({self.name!r})"

    def probabilities(self, items: Sequence[Item], mode: str = DEFAULT_MODE) -> np.ndarray:
        """The ten digits' probabilities of every item, float32 (N, 10), in one batched call of each model.
        ImageError for an item the reader cannot read: an empty drawing (`read` answers it), or one
        without strokes for a stroke model alone."""
        rows, unread = self._read_all(self._inputs(items, mode))
        if unread:
            index, why = unread[0]
            raise ImageError(f"item {index} " + {EMPTY_TEXT: "is an empty drawing: nothing to read (Reader.read answers it)",
                                                 TOO_SMALL_TEXT: "is too small to read (Reader.read answers it)"}.get(
                                                     why, "has no strokes: a stroke model reads drawings"))
        return np.stack(rows) if rows else np.zeros((0, NUM_CLASSES), np.float32)

    def read(self, items: Sequence[Item], mode: str = DEFAULT_MODE, inputs: Inputs | None = None) -> list[Answer]:
        """The answer for every item (``digit`` None for an empty drawing, or a picture read by a stroke
        model alone), the items read in one batched call of each model.  ``inputs``: `inputs_of` the
        items in ``mode``, made already (the app reads one drawing with two readers)."""
        rows, unread = self._read_all(inputs if inputs is not None else self._inputs(items, mode))
        why = dict(unread)
        found = iter(rows)
        return [Answer.from_probabilities(None, why[i]) if i in why else Answer.from_probabilities(next(found))
                for i in range(len(items))]

    def _inputs(self, items: Sequence[Item], mode: str) -> Inputs:
        """The inputs this reader's models take (the others left None, not computed)."""
        none = [None] * len(items)
        return Inputs([input_of(item, mode) for item in items] if self.model is not None else none,
                      [trajectory_of(item) for item in items] if self.strokes is not None else none,
                      [_is_empty(item) for item in items], [too_small(item) for item in items])

    def _read_all(self, inputs: Inputs) -> tuple[list[np.ndarray], list[tuple[int, str]]]:
        """The probabilities of the items this reader can read, in order, and (index, why) for the others."""
        count = len(inputs.empty)
        digits = inputs.digits if self.model is not None else [None] * count
        paths = inputs.trajectories if self.strokes is not None else [None] * count
        unread = [(i, TOO_SMALL_TEXT if inputs.too_small[i] else
                   EMPTY_TEXT if self.model is not None or inputs.empty[i] else NO_STROKES_TEXT)
                  for i in range(count)
                  if inputs.too_small[i] or (digits[i] if self.model is not None else paths[i]) is None]
        skip = {i for i, _ in unread}
        image = self._predict(self.model, [d for i, d in enumerate(digits) if i not in skip and d is not None])
        stroke = self._predict(self.strokes, [t for i, t in enumerate(paths) if i not in skip and t is not None])
        rows, at_image, at_stroke = [], 0, 0
        for i in range(count):
            if i in skip:
                continue
            p_image = p_stroke = None
            if digits[i] is not None:
                p_image, at_image = image[at_image], at_image + 1
            if paths[i] is not None:
                p_stroke, at_stroke = stroke[at_stroke], at_stroke + 1
            rows.append(combine(p_image, p_stroke, self.stroke_weight))
        return rows, unread

    @staticmethod
    def _predict(model: nn.Sequential | None, inputs: list[np.ndarray]) -> np.ndarray:
        if model is None or not inputs:
            return np.zeros((0, NUM_CLASSES), np.float32)
        batch = to_model_input(inputs) if inputs[0].shape == (SIDE, SIDE) else np.stack(inputs)
        return model.predict_proba(batch).astype(np.float32, copy=False)


def combine(image: np.ndarray | None, strokes: np.ndarray | None, stroke_weight: float) -> np.ndarray:
    """The reader's probabilities from the image network's and the stroke model's, (10,) or (N, 10) each
    (either may be None): ``P ∝ image^(1 - w) · strokes^w``, computed in logarithms, float32 rows
    summing to 1."""
    if strokes is None or image is None:
        return np.asarray(image if strokes is None else strokes, np.float32)
    tiny = np.float32(1e-30)
    logits = (1 - stroke_weight) * np.log(np.maximum(image, tiny)) + stroke_weight * np.log(np.maximum(strokes, tiny))
    p = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return (p / p.sum(axis=-1, keepdims=True)).astype(np.float32)


def _is_empty(item: Item) -> bool:
    return isinstance(item, Drawing) and item.image is None and not item.strokes
