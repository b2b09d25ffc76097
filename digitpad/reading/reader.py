"""The reading seam: from drawings to answers, the one way the app, the command line, the benchmarks
and the tests read digits::

    from digitpad import Drawing, Reader
    d = Drawing(strokes, canvas_size=128, pen_width=8)   # strokes: list of (N, 2) float arrays, canvas px, y down
    p = Drawing.from_image("scan.png")                     # a picture: no strokes
    reader = Reader.default()                              # what the app reads with at start (the shipped CNN)
    reader = Reader.load("mlp")                            # a name from the model store, or a path (.npz, .onnx)
    P = reader.probabilities([d, p])                       # (N, 10) float32, one batched call
    answers = reader.read([d, p])                          # [Answer]: digit, probabilities, unsure, runner_up, text

An item is a :class:`~digitpad.drawing.strokes.Drawing` (strokes, or a picture from `Drawing.from_image`)
or a 28x28 digit (uint8, or float in [0, 1], ink bright).  `input_of` makes what the network sees
of it: a drawing's strokes through `drawing_to_input` in the input ``mode`` (``"strokes"``, the app's
default: redrawn at MNIST's thickness whatever the pen; ``"image"``: the pen as drawn; ``"raw"``: its
pixels as they are), a picture's own 28x28 input, a digit as it is.  A model reads them all in one
batch (`to_model_input`, then ``predict_proba``).

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
from digitpad.drawing.network_input import DEFAULT_MODE, MODES, NUM_CLASSES, drawing_to_input, misfit, to_model_input
from digitpad.drawing.strokes import Drawing
from digitpad.errors import ImageError, ModelFileError
from digitpad.reading.store import default_model_path, open_model, resolve

__all__ = ["Answer", "Reader", "input_of"]

Item = Drawing | np.ndarray

# Pairs of digits that people's handwriting (and MNIST models) often mix up.
CONFUSABLE = {frozenset(pair) for pair in ((1, 7), (4, 9), (1, 4), (4, 7), (3, 5), (5, 6), (7, 9), (3, 8),
                                           (8, 9), (2, 7), (0, 6))}
CLOSE_SECOND = 0.25        # a runner-up above this is a real alternative
CLOSE_RATIO = 0.5          # ... as is one at least half as likely as the winner
CONFUSABLE_SECOND = 0.08   # a confusable runner-up counts from this probability

# The verdicts, in English; the app translates the same three texts (its `verdict_text`).
EMPTY_TEXT = "draw a digit"
UNSURE_TEXT = "unsure: {0} or {1}"             # the digit, the runner-up
SURE_TEXT = "{0:.0%} sure it is a {1}"         # the digit's probability, the digit


@dataclass(frozen=True, eq=False)
class Answer:
    """What a model reads in one item.

    ``digit``: the most likely digit, None for an empty drawing (nothing to read); ``probabilities``:
    the ten digits' probabilities, float32 (10,) read-only, None for an empty drawing; ``unsure``: the
    runner-up is close, or a digit often mixed up with the answer; ``runner_up``: the second most likely
    digit (None for an empty drawing); ``text``: the verdict in words, in English.
    """

    digit: int | None
    probabilities: np.ndarray | None
    unsure: bool
    runner_up: int | None
    text: str

    @classmethod
    def from_probabilities(cls, probabilities: np.ndarray | None) -> "Answer":
        """The answer that ``probabilities`` (10,) give; None gives the answer for an empty drawing."""
        if probabilities is None:
            return cls(None, None, False, None, EMPTY_TEXT)
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


class Reader:
    """A model that reads digits: ``Reader(model)`` for a model in memory (it must fit digitpad's input
    and classes, `misfit`), `default` and `load` for the model store's.  ``name`` says which model it is
    (the file's stem for a stored one), ``path`` where it was loaded from (None for one in memory)."""

    def __init__(self, model: nn.Sequential, name: str = "model", path: Path | None = None):
        problem = misfit(model)
        if problem:
            raise ModelFileError(f"{path or name}: {problem}")
        self.model = model
        self.name = name
        self.path = path

    @classmethod
    def default(cls) -> "Reader":
        """What the app reads with at start: the shipped CNN."""
        return cls.load(default_model_path())

    @classmethod
    def load(cls, name_or_path: str | os.PathLike) -> "Reader":
        """A model of the store by name (``"cnn"``, ``"mlp"``, a model you trained), or a ``.npz`` or
        ``.onnx`` file; ModelFileError (one line naming it) when there is none, it cannot be read or it
        does not fit digitpad."""
        path = resolve(name_or_path)
        return cls(open_model(path), path.stem, path)

    def __repr__(self) -> str:
        return f"Reader({self.name!r})"

    def probabilities(self, items: Sequence[Item], mode: str = DEFAULT_MODE) -> np.ndarray:
        """The ten digits' probabilities of every item, float32 (N, 10), in one batched call of the model.
        ImageError for an empty drawing (it has none: `read` answers it)."""
        inputs = [input_of(item, mode) for item in items]
        empty = [i for i, digit in enumerate(inputs) if digit is None]
        if empty:
            raise ImageError(f"item {empty[0]} is an empty drawing: nothing to read (Reader.read answers it)")
        return self._predict(inputs)

    def read(self, items: Sequence[Item], mode: str = DEFAULT_MODE) -> list[Answer]:
        """The answer for every item (``digit`` None for an empty drawing), the drawn ones read in one
        batched call of the model."""
        inputs = [input_of(item, mode) for item in items]
        drawn = [digit for digit in inputs if digit is not None]
        rows = iter(self._predict(drawn))
        return [Answer.from_probabilities(None if digit is None else next(rows)) for digit in inputs]

    def _predict(self, digits: list[np.ndarray]) -> np.ndarray:
        if not digits:
            return np.zeros((0, NUM_CLASSES), np.float32)
        return self.model.predict_proba(to_model_input(digits)).astype(np.float32, copy=False)
