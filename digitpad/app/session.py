"""The app's session: what the user works with, held once and shared by every view and window.

A :class:`Session` holds the models listed (the model store's catalogue), the chosen reader and the
compared one (`ReaderChoice`s: an image network, a stroke model or both; and their loaded `Reader`s),
the drawing on the canvas, the input mode, an opened picture and "teach it" (the personal data set).
It runs the live prediction (`LivePredictor`: the drawing, strokes and all, → each reader → `Answer`,
coalesced while the pen moves) and says what changed through its signals; the views subscribe to them
and read the session, and nothing pushes state into a view::

    drawing edited ─► Session.drawing_edited ─► LivePredictor ─► answer_changed ─► panels, input view,
    reader chosen  ─► Session.select         ─► readers_changed                   stroke view, why, width
                                                                                   plot, inside the network…

The session shows no message: a method that cannot do what it is asked raises `DigitpadError` (one
line) and the window says it.  View → Language builds a new window on the same session.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal

from digitpad import nn
from digitpad.app.prediction import LivePredictor, Prediction
from digitpad.app.widgets.canvas import CANVAS_SIZE, DEFAULT_PEN_WIDTH
from digitpad.data.personal import PersonalDataset
from digitpad.drawing.network_input import DEFAULT_MODE, MODES
from digitpad.drawing.strokes import Drawing
from digitpad.drawing.trajectory import NOT_A_DIGIT
from digitpad.errors import DigitpadError
from digitpad.app.readers import ReaderChoice, ReaderOption, default_choice, load_reader, reader_options
from digitpad.reading.reader import Reader, input_of
from digitpad.reading.store import ModelEntry, list_models


@dataclass(frozen=True, eq=False)
class Picture:
    """An opened picture: its pixels as read (the canvas shows them) and the drawing without strokes
    that the readers read (`Drawing.from_picture`: its 28x28 input)."""

    pixels: np.ndarray
    drawing: Drawing


class Session(QObject):
    """``Session(personal)``, then `start` with the model to read with.

    Signals: ``answer_changed(Prediction)`` after every live prediction; ``readers_changed()`` when the
    chosen or compared reader changes or the comparison is turned on or off; ``models_listed()`` when
    the catalogue was re-read (`entries`); ``input_changed()`` when what the network is shown changes
    other than by the pen: the drawing replaced, a picture opened or dismissed (``picture``, and
    ``picture_changed()``), the input mode changed (``input_mode``).
    """

    answer_changed = Signal(object)
    readers_changed = Signal()
    models_listed = Signal()
    input_changed = Signal()
    picture_changed = Signal()

    def __init__(self, personal: PersonalDataset | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.personal = personal or PersonalDataset()
        self.entries: list[ModelEntry] = []
        self.loaded: dict[ReaderChoice, Reader] = {}
        self.choice: ReaderChoice | None = None           # the chosen reader's models
        self.compare_choice: ReaderChoice | None = None   # the compared reader's
        self.files: list[Path] = []                        # models opened from elsewhere, listed too
        self.comparing = False
        self.drawing = Drawing([], DEFAULT_PEN_WIDTH, CANVAS_SIZE)
        self.input_mode = DEFAULT_MODE        # what the network sees of a drawing (drawing_to_input)
        self.picture: Picture | None = None   # an opened picture, read instead of the drawing
        self.last: Prediction | None = None
        self.predictor = LivePredictor(self.item, lambda: self.input_mode, self)
        self.predictor.updated.connect(self._answered)

    # --- models ----------------------------------------------------------------------------------
    def start(self, model: ReaderChoice | Path | str | None = None) -> list[str]:
        """List the models and read with ``model`` (a model file, a `ReaderChoice`, or a spec such as
        ``"cnn+strokes"``), else the default reader (the shipped CNN and stroke model), else the first
        usable choice of the list; the next usable one is the compared reader (not loaded until
        compared).  Returns why ``model`` (or a choice tried after it) cannot be used; a default that
        cannot be is passed over without a word."""
        self.refresh_models()
        problems = []
        candidates: list[ReaderChoice] = []
        if model is not None:
            try:
                candidates.append(ReaderChoice.parse(model))
            except DigitpadError as exc:
                problems.append(str(exc))
        elif (default := default_choice(self.entries)) is not None:
            candidates.append(default)
        candidates += [option.choice for option in self.options() if option.choice and not option.problem]
        for choice in candidates:
            try:
                self.select(choice)
                break
            except DigitpadError as exc:
                if model is not None:
                    problems.append(str(exc))
        else:
            self._apply()   # no usable model: the views say so, and the network input is still shown
        self.compare_choice = next((o.choice for o in self.options()
                                    if o.choice and not o.problem and o.choice != self.choice), None)
        self.models_listed.emit()
        return problems

    def refresh_models(self) -> None:
        """Re-read the shipped and user models (`entries`), keeping the current choices."""
        self.entries = list_models()
        self.models_listed.emit()

    def options(self) -> list[ReaderOption]:
        """The readers the model rows list (`reader_options`), models opened from elsewhere included."""
        known = {entry.path for entry in self.entries}
        files = [ModelEntry(path.stem, path, "file", {}) for path in self.files if path not in known]
        return reader_options(self.entries + files)

    def entry(self, path: Path | None) -> ModelEntry | None:
        """The listed model at ``path`` (None for a file opened from elsewhere)."""
        return next((e for e in self.entries if e.path == path), None)

    def current_entry(self) -> ModelEntry | None:
        """The chosen reader's image network (else its stroke model) as a catalogue entry (a file opened
        from elsewhere gets one), or None."""
        if self.model_path is None:
            return None
        return self.entry(self.model_path) or ModelEntry(self.model_path.stem, self.model_path, "file", {})

    def _load(self, choice: ReaderChoice) -> Reader:
        if choice not in self.loaded:
            try:
                self.loaded[choice] = load_reader(choice)
            except DigitpadError:
                self.refresh_models()   # the catalogue shows the file as unreadable from now on
                raise
        return self.loaded[choice]

    @property
    def reader(self) -> Reader | None:
        """The chosen reader (None: no model)."""
        return None if self.choice is None else self.loaded.get(self.choice)

    @property
    def compared(self) -> Reader | None:
        """The compared reader, once loaded (None: none)."""
        return None if self.compare_choice is None else self.loaded.get(self.compare_choice)

    @property
    def model(self) -> nn.Sequential | None:
        """The chosen reader's image network (None: no model, or a stroke model alone)."""
        return None if self.reader is None else self.reader.model

    @property
    def model_path(self) -> Path | None:
        """Where the chosen reader's image network was loaded from, else its stroke model's (None: no model)."""
        return None if self.reader is None else self.reader.path

    @property
    def image_path(self) -> Path | None:
        """The chosen reader's image network file (None: none)."""
        return self.model_path if self.model is not None else None

    def readers(self) -> list[Reader | None]:
        """The readers the live prediction reads with: the chosen one, then the compared one if on."""
        readers = [self.reader]
        if self.comparing and self.compare_choice is not None:
            readers.append(self.compared)
        return readers

    def select(self, choice: ReaderChoice | Path | str) -> None:
        """Read with ``choice`` (a `ReaderChoice`, a model file or a spec); DigitpadError (the current
        reader stays) when it cannot be used.  A file that is not in the catalogue is listed from now on."""
        choice = ReaderChoice.parse(choice)
        self._load(choice)
        self.choice = choice
        self._remember_files(choice)
        self.refresh_models()
        self._apply()

    def select_model(self, path: Path) -> None:
        """Read with the model at ``path`` alone; DigitpadError (the current reader stays) when it cannot be used."""
        self.select(ReaderChoice.of(path))

    def set_compare(self, choice: ReaderChoice | Path | str) -> None:
        """Compare with ``choice``; DigitpadError (nothing changes) when it cannot be used."""
        choice = ReaderChoice.parse(choice)
        self._load(choice)
        self.compare_choice = choice
        self._remember_files(choice)
        self._apply()

    def _remember_files(self, choice: ReaderChoice) -> None:
        known = {entry.path for entry in self.entries}
        self.files += [p for p in choice.paths if p not in known and p not in self.files]

    def set_comparing(self, on: bool) -> None:
        """Turn the comparison on or off; turned on, the compared reader is loaded (DigitpadError when it
        cannot be used: its answer stays empty)."""
        self.comparing = on
        try:
            if on and self.compare_choice is not None:
                self._load(self.compare_choice)
        finally:
            self._apply()

    def _apply(self) -> None:
        self.readers_changed.emit()
        self.predictor.set_readers(self.readers())

    # --- what the network is shown ---------------------------------------------------------------
    def item(self) -> Drawing:
        """What the readers read: an opened picture's drawing (no strokes), else the drawing on the canvas."""
        return self.drawing if self.picture is None else self.picture.drawing

    def network_input(self) -> np.ndarray | None:
        """What the image network is shown (`input_of`): an opened picture's input, else the drawing's in
        the chosen mode (None for an empty canvas)."""
        return input_of(self.item(), self.input_mode)

    def drawing_edited(self) -> None:
        """The drawing changed under the pen (a segment, an undo, a clear, another pen): predict soon."""
        self.predictor.request()

    def set_drawing(self, drawing: Drawing) -> None:
        """Replace the drawing (a stored one); the canvas shows it."""
        self.drawing = drawing
        self._input_changed()

    def set_input_mode(self, mode: str) -> None:
        """``"strokes"`` (the strokes at MNIST's thickness, whatever the pen) or ``"image"`` (the pen as drawn)."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, got {mode!r}")
        self.input_mode = mode
        self._input_changed()

    def open_picture(self, pixels: np.ndarray) -> bool:
        """Read a picture (a 2-D grey or RGB(A) array) instead of the drawing until `dismiss_picture`;
        False (nothing changes) when it holds no ink."""
        drawing = Drawing.from_picture(pixels)
        if drawing.is_empty():
            return False
        self.picture = Picture(np.asarray(pixels), drawing)
        self.picture_changed.emit()
        self._input_changed()
        return True

    def dismiss_picture(self) -> bool:
        """Go back to the drawing; False if no picture was open."""
        if self.picture is None:
            return False
        self.picture = None
        self.picture_changed.emit()
        self._input_changed()
        return True

    def _input_changed(self) -> None:
        self.input_changed.emit()
        self.predict_now()

    # --- the live prediction ---------------------------------------------------------------------
    def predict_now(self) -> Prediction:
        """Read the network input with every reader now (`answer_changed` follows)."""
        return self.predictor.predict_now()

    @property
    def latencies(self) -> deque[float]:
        """The last live predictions' times from canvas to probabilities, in seconds."""
        return self.predictor.latencies

    def _answered(self, prediction: Prediction) -> None:
        self.last = prediction
        self.answer_changed.emit(prediction)

    # --- teach it --------------------------------------------------------------------------------
    def teach(self, label: int) -> int | None:
        """Store the current input with the right ``label`` in the personal data set: a digit 0-9, or
        `NOT_A_DIGIT` for a drawing that is not a digit (a negative: its drawing carries no label).
        Returns how many samples of that kind the set holds (digits, or drawings marked "not a digit"),
        or None when nothing is drawn.  DigitpadError when it cannot be stored."""
        if self.last is None or self.last.digit is None or (self.picture is None and self.drawing.is_empty()):
            return None   # the canvas may have been cleared since the last answer
        negative = label == NOT_A_DIGIT
        drawing = None
        if self.picture is None:
            d = self.drawing
            drawing = Drawing([s.copy() for s in d.strokes], d.pen_width, d.canvas_size,
                              label=None if negative else label)
        self.personal.add(self.last.digit, label, drawing)
        # reads only files added by another process
        return len(self.personal.negatives() if negative else self.personal.digits())
