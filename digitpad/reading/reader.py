"""The reading seam: from drawings to answers, the one way the app, the command line, the benchmarks
and the tests read digits::

    from digitpad import Drawing, Reader
    d = Drawing(strokes, canvas_size=128, pen_width=8)   # strokes: list of (N, 2) float arrays, canvas px, y down
    p = Drawing.from_image("scan.png")                     # a picture: no strokes
    reader = Reader.default()                              # what the app reads with at start: the shipped CNN and stroke model
    reader = Reader.load("mlp")                            # a name from the model store, or a path (.npz, .onnx)
    reader = Reader.load("cnn+strokes")                    # an image network and a stroke model together
    P = reader.probabilities([d, p])                       # (N, 10) float32, one batched call
    answers = reader.read([d, p])                          # [Answer]: digit, probabilities, unsure, runner_up,
                                                           # not_a_digit, not_a_digit_score, text
    mine = reader.teach(drawings, labels)                  # a new reader taught one person's hand

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
when it was trained: `digitpad.training.strokes`), then calibrated: divided by a temperature in
logarithms (`digitpad.reading.calibration`).  An item without strokes (an opened picture, a 28x28
digit) is read by the image network alone; a reader with a stroke model only cannot read it (its
answer says so).  A stroke model's eleventh output, `NOT_A_DIGIT`, is not a digit's: it is the
drawing's not-a-digit score (`split_not_a_digit`), and the ten digits' are renormalised without it.

An :class:`Answer` says what the model reads, and plainly when it hesitates or has no idea: "this
doesn't look like a digit" from the not-a-digit threshold, "unsure: a or b" under the confidence at which
it is right 99.8 % of the time on validation writers, both fitted per reader (`Calibration`, in the
models' metadata).  Its ``text`` is in English (the app shows it translated,
`digitpad.app.widgets.probabilities.verdict_text`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from digitpad import nn
from digitpad.drawing.network_input import (DEFAULT_MODE, MODES, NUM_CLASSES, SIDE, drawing_to_input, misfit,
                                            to_model_input)
from digitpad.drawing.strokes import Drawing
from digitpad.drawing.trajectory import NOT_A_DIGIT, drawing_to_trajectory, misfit_strokes
from digitpad.errors import ImageError, ModelFileError
from digitpad.reading.calibration import Calibration, soften
from digitpad.reading.teach import BONUS, Examples, read_taught
from digitpad.reading.store import calibrations_of, default_reader_names, open_model, resolve_reader, stroke_weight_of

__all__ = ["Answer", "Inputs", "Reader", "combine", "input_of", "inputs_of", "split_not_a_digit", "too_small",
           "trajectory_of"]

Item = Drawing | np.ndarray

# The verdicts, in English; the app translates the same texts (its `verdict_text`).
EMPTY_TEXT = "draw a digit"
NOT_A_DIGIT_TEXT = "this doesn't look like a digit"
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
    read (`too_small`); ``probabilities``: the ten digits' probabilities (calibrated: `Calibration`),
    float32 (10,) read-only, None where there is no digit; ``unsure``: the reader is not sure enough
    (`Calibration.sure_above`); ``runner_up``: the second most likely digit (None for an empty
    drawing); ``not_a_digit``: the drawing does not look like a digit (its ``not_a_digit_score``, the
    stroke model's `NOT_A_DIGIT` probability, is at least `Calibration.not_a_digit_above`; the score is
    None where no stroke model read it); ``text``: the verdict in words, in English.
    """

    digit: int | None
    probabilities: np.ndarray | None
    unsure: bool
    runner_up: int | None
    text: str
    not_a_digit: bool = False
    not_a_digit_score: float | None = None

    @classmethod
    def from_probabilities(cls, probabilities: np.ndarray | None, empty_text: str = EMPTY_TEXT,
                           not_a_digit_score: float | None = None,
                           calibration: Calibration = Calibration()) -> "Answer":
        """The answer that ``probabilities`` (10,) and ``not_a_digit_score`` give with ``calibration``'s
        thresholds; None gives no digit, saying ``empty_text`` (an empty drawing's, by default)."""
        if probabilities is None:
            return cls(None, None, False, None, empty_text)
        p = np.array(probabilities, np.float32).reshape(NUM_CLASSES)
        p.flags.writeable = False
        order = np.argsort(-p, kind="stable")   # the first of equal probabilities first, as np.argmax
        first, second = int(order[0]), int(order[1])
        score = None if not_a_digit_score is None else float(not_a_digit_score)
        if score is not None and score >= calibration.not_a_digit_above:
            return cls(first, p, False, second, NOT_A_DIGIT_TEXT, True, score)
        unsure = float(p[first]) < calibration.sure_above
        text = UNSURE_TEXT.format(first, second) if unsure else SURE_TEXT.format(float(p[first]), first)
        return cls(first, p, unsure, second, text, False, score)


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

    def subset(self, index: Sequence[int]) -> "Inputs":
        """The inputs of the items at ``index``, in that order."""
        return Inputs([self.digits[i] for i in index], [self.trajectories[i] for i in index],
                      [self.empty[i] for i in index], [self.too_small[i] for i in index])


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
    ``stroke_path`` where the stroke model was.  ``calibrations``: how it turns scores into answers,
    per what read an item (``"image"``, ``"strokes"``, ``"both"``: `Calibration`), by default the
    ones fitted for its models and saved in their metadata (`calibrations_of`).
    """

    def __init__(self, model: nn.Sequential | None, name: str = "model", path: Path | None = None,
                 strokes: nn.Sequential | None = None, stroke_weight: float | None = None,
                 stroke_path: Path | None = None, calibrations: dict[str, Calibration] | None = None):
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
        self.calibrations = calibrations if calibrations is not None else calibrations_of(model, strokes)
        self.taught = 0   # how many of a person's examples it was taught (`teach`) ...
        self.examples: dict[str, Examples] = {}   # ... kept per network, "image" and "strokes"
        self._usable: list[int] = []              # ... the indices of those it was given (`forgetting`)

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

    def recalibrated(self, calibrations: dict[str, Calibration]) -> "Reader":
        """The same models (and examples taught) read with other ``calibrations`` (a new reader; the models
        are shared)."""
        return self._copy(calibrations, self.examples, self.taught)

    def _copy(self, calibrations: dict[str, Calibration], examples: dict[str, Examples], taught: int) -> "Reader":
        reader = Reader(self.model, self.name, self.path, self.strokes, self.stroke_weight, self.stroke_path,
                        calibrations)
        reader.examples, reader.taught, reader._usable = examples, taught, self._usable
        return reader

    def teach(self, items: Sequence[Item], labels: Sequence[int], mode: str = DEFAULT_MODE,
              inputs: Inputs | None = None) -> "Reader":
        """A new reader adapted to one person's hand from their ``items`` (drawings, pictures, 28x28 digits)
        and ``labels`` (a digit, or `NOT_A_DIGIT` for a drawing that is not one): each network keeps the
        examples it reads as `Examples` (`digitpad.reading.teach`): the image network the digits, the stroke
        model the drawings with strokes, those that are not digits included.  The models are shared, not
        changed; ``taught`` says how many examples (an item too small to read teaches nothing); this reader
        is left as it is.  ``inputs``: as `read`'s.  ValueError when the counts differ, a label is not 0-10
        or a network has no Dense head (its last layer) to read the examples' features."""
        labels = np.asarray(labels, np.int64).reshape(-1)
        if len(labels) != len(items) or (labels.size and not (0 <= labels.min() and labels.max() <= NOT_A_DIGIT)):
            raise ValueError(f"teach takes one label 0-{NOT_A_DIGIT} per item, got {len(labels)} for {len(items)} items")
        for model in (self.model, self.strokes):
            if model is not None and not isinstance(model.layers[-1], nn.Dense):
                raise ValueError(f"{self.name}: a network taught ends with a Dense layer, not {type(model.layers[-1]).__name__}")
        inputs = inputs if inputs is not None else self._inputs(items, mode)
        usable = [i for i in range(len(items)) if not inputs.too_small[i]]
        examples = {}
        if self.model is not None:
            shown = [i for i in usable if inputs.digits[i] is not None and labels[i] < NUM_CLASSES]
            examples["image"] = Examples.of(self.model, to_model_input([inputs.digits[i] for i in shown]) if shown else
                                            np.zeros((0, *self.model.input_shape), np.float32), labels[shown],
                                            BONUS["image"], shown)
        if self.strokes is not None:
            classes = self.strokes.output_shapes()[-1][0]
            drawn = [i for i in usable if inputs.trajectories[i] is not None and labels[i] < classes]
            examples["strokes"] = Examples.of(self.strokes, np.stack([inputs.trajectories[i] for i in drawn]) if drawn
                                              else np.zeros((0, *self.strokes.input_shape), np.float32), labels[drawn],
                                              BONUS["strokes"], drawn)
        taught = self._copy(self.calibrations, examples, len(usable))
        taught._usable = usable
        return taught

    def forgetting(self, items: Sequence[int]) -> "Reader":
        """This taught reader as if ``items`` (indices into what `teach` was given) had not been taught: what
        cross-validation reads with (`digitpad.evaluation.teaching`), without computing any feature again."""
        forgotten = set(int(i) for i in items)
        reader = self._copy(self.calibrations, {kind: e.without(list(forgotten)) for kind, e in self.examples.items()},
                            sum(i not in forgotten for i in self._usable))
        reader._usable = [i for i in self._usable if i not in forgotten]
        return reader

    @property
    def kind(self) -> str:
        """``"image"``, ``"strokes"`` or ``"both"``: what the reader reads with."""
        return "both" if self.model is not None and self.strokes is not None else \
            "image" if self.model is not None else "strokes"

    def __repr__(self) -> str:
        return f"Reader({self.name!r})"

    def probabilities(self, items: Sequence[Item], mode: str = DEFAULT_MODE) -> np.ndarray:
        """The ten digits' probabilities of every item, calibrated, float32 (N, 10), in one batched call of
        each model.  ImageError for an item the reader cannot read: an empty drawing (`read` answers it),
        or one without strokes for a stroke model alone."""
        return self.scores(items, mode)[0]

    def scores(self, items: Sequence[Item], mode: str = DEFAULT_MODE, inputs: Inputs | None = None
               ) -> tuple[np.ndarray, np.ndarray]:
        """`probabilities`, and every item's not-a-digit score (the stroke model's `NOT_A_DIGIT`
        probability), float32 (N,), NaN where no stroke model read it.  ``inputs``: as `read`'s."""
        rows, unread = self._read_all(inputs if inputs is not None else self._inputs(items, mode))
        if unread:
            index, why = unread[0]
            raise ImageError(f"item {index} " + {EMPTY_TEXT: "is an empty drawing: nothing to read (Reader.read answers it)",
                                                 TOO_SMALL_TEXT: "is too small to read (Reader.read answers it)"}.get(
                                                     why, "has no strokes: a stroke model reads drawings"))
        if not rows:
            return np.zeros((0, NUM_CLASSES), np.float32), np.zeros(0, np.float32)
        return (np.stack([row.probabilities for row in rows]),
                np.array([np.nan if row.score is None else row.score for row in rows], np.float32))

    def read(self, items: Sequence[Item], mode: str = DEFAULT_MODE, inputs: Inputs | None = None) -> list[Answer]:
        """The answer for every item (``digit`` None for an empty drawing, or a picture read by a stroke
        model alone), the items read in one batched call of each model.  ``inputs``: `inputs_of` the
        items in ``mode``, made already (the app reads one drawing with two readers)."""
        rows, unread = self._read_all(inputs if inputs is not None else self._inputs(items, mode))
        why = dict(unread)
        found = iter(rows)
        answers = []
        for i in range(len(items)):
            if i in why:
                answers.append(Answer.from_probabilities(None, why[i]))
                continue
            row = next(found)
            answers.append(Answer.from_probabilities(row.probabilities, not_a_digit_score=row.score,
                                                     calibration=self.calibrations[row.kind]))
        return answers

    def _inputs(self, items: Sequence[Item], mode: str) -> Inputs:
        """The inputs this reader's models take (the others left None, not computed)."""
        none = [None] * len(items)
        return Inputs([input_of(item, mode) for item in items] if self.model is not None else none,
                      [trajectory_of(item) for item in items] if self.strokes is not None else none,
                      [_is_empty(item) for item in items], [too_small(item) for item in items])

    def _read_all(self, inputs: Inputs) -> tuple[list["_Row"], list[tuple[int, str]]]:
        """How the items this reader can read are read, in order, and (index, why) for the others."""
        count = len(inputs.empty)
        digits = inputs.digits if self.model is not None else [None] * count
        paths = inputs.trajectories if self.strokes is not None else [None] * count
        unread = [(i, TOO_SMALL_TEXT if inputs.too_small[i] else
                   EMPTY_TEXT if self.model is not None or inputs.empty[i] else NO_STROKES_TEXT)
                  for i in range(count)
                  if inputs.too_small[i] or (digits[i] if self.model is not None else paths[i]) is None]
        skip = {i for i, _ in unread}
        image = self._predict(self.model, [d for i, d in enumerate(digits) if i not in skip and d is not None],
                              self.examples.get("image"))
        stroke, scores = split_not_a_digit(
            self._predict(self.strokes, [t for i, t in enumerate(paths) if i not in skip and t is not None],
                          self.examples.get("strokes")))
        read = [i for i in range(count) if i not in skip]
        has_image = np.array([digits[i] is not None for i in read], bool)
        has_path = np.array([paths[i] is not None for i in read], bool)
        p_image = np.zeros((len(read), NUM_CLASSES), np.float32)
        p_stroke = np.zeros((len(read), NUM_CLASSES), np.float32)
        p_image[has_image], p_stroke[has_path] = image, stroke
        not_digit = np.full(len(read), np.nan, np.float32)
        if scores is not None:
            not_digit[has_path] = scores
        combined = np.zeros((len(read), NUM_CLASSES), np.float32)
        kinds = np.where(has_image & has_path, "both", np.where(has_image, "image", "strokes"))
        for kind in ("both", "image", "strokes"):     # each kind in one batch, with its temperature
            rows = kinds == kind
            if rows.any():
                combined[rows] = combine(p_image[rows] if kind != "strokes" else None,
                                         p_stroke[rows] if kind != "image" else None,
                                         self.stroke_weight, self.calibrations[kind].temperature)
        return [_Row(combined[k], None if np.isnan(not_digit[k]) else float(not_digit[k]), str(kinds[k]))
                for k in range(len(read))], unread

    @staticmethod
    def _predict(model: nn.Sequential | None, inputs: list[np.ndarray], examples: Examples | None = None) -> np.ndarray:
        if model is None or not inputs:
            return np.zeros((0, model.output_shapes()[-1][0] if model is not None else NUM_CLASSES), np.float32)
        batch = to_model_input(inputs) if inputs[0].shape == (SIDE, SIDE) else np.stack(inputs)
        return read_taught(model, examples, batch)


def split_not_a_digit(probabilities: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """A stroke model's (N, 10) or (N, 11) probabilities as the ten digits' (renormalised, so they are the
    digit's probability if the drawing is one) and the `NOT_A_DIGIT` probability (None for 10 outputs)."""
    if probabilities.shape[-1] == NUM_CLASSES:
        return probabilities, None
    digits = probabilities[..., :NUM_CLASSES]
    total = np.maximum(digits.sum(axis=-1, keepdims=True), np.float32(1e-30))
    return (digits / total).astype(np.float32), probabilities[..., NOT_A_DIGIT].astype(np.float32)


def combine(image: np.ndarray | None, strokes: np.ndarray | None, stroke_weight: float,
            temperature: float = 1.0) -> np.ndarray:
    """The reader's probabilities from the image network's and the stroke model's, (10,) or (N, 10) each
    (either may be None): ``P ∝ (image^(1 - w) · strokes^w)^(1 / T)``, ``T`` the reader's temperature
    (`digitpad.reading.calibration`), computed in logarithms, float32 rows summing to 1."""
    if (strokes is None or image is None) and temperature == 1.0:
        return np.asarray(image if strokes is None else strokes, np.float32)
    tiny = np.float32(1e-30)
    if strokes is None or image is None:
        return soften(np.log(np.maximum(image if strokes is None else strokes, tiny)), temperature)
    logits = (1 - stroke_weight) * np.log(np.maximum(image, tiny)) + stroke_weight * np.log(np.maximum(strokes, tiny))
    return soften(logits, temperature)


class _Row(NamedTuple):
    """How one item was read: its calibrated probabilities, its not-a-digit score (None without a stroke
    model) and by what (``"image"``, ``"strokes"``, ``"both"``)."""

    probabilities: np.ndarray
    score: float | None
    kind: str


def _is_empty(item: Item) -> bool:
    return isinstance(item, Drawing) and item.image is None and not item.strokes
