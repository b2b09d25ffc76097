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

Reading with the user's handwriting (Model → Read with my handwriting, on unless turned off; remembered
in ``settings.json``): the chosen reader is the one taught every example of the personal data set
(`Reader.teach`; the digits, from their drawing or picture, and the drawings marked "not a digit"), with
what the teaching changed measured honestly (`teaching_report`).  It is taught again in the background
whenever what it learns from changes: a sample stored by "teach it", the personal set changed in My
digits (`personal_edited`), another reader chosen, the option turned on, and at start.  A newer request
supersedes an older one (`LatestOnly`), and until the taught reader is ready the untaught one reads::

    teach it / My digits / reader chosen ─► reteach ─► worker: its own reader, taught ─► teaching_changed,
                                                                                        readers_changed, answer_changed

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
from digitpad.app import i18n
from digitpad.app.prediction import LivePredictor, Prediction
from digitpad.app.widgets.canvas import CANVAS_SIZE, DEFAULT_PEN_WIDTH
from digitpad.app.workers import LatestOnly
from digitpad.data.personal import PersonalDataset, Sample
from digitpad.drawing.network_input import DEFAULT_MODE, MODES
from digitpad.drawing.strokes import Drawing
from digitpad.drawing.trajectory import NOT_A_DIGIT
from digitpad.errors import DigitpadError
from digitpad.app.readers import ReaderChoice, ReaderOption, default_choice, load_reader, reader_options
from digitpad.evaluation.teaching import TeachingReport, teaching_report
from digitpad.reading.reader import Reader, input_of
from digitpad.reading.store import ModelEntry, list_models

HANDWRITING = "read_with_my_handwriting"
"""The setting of Model → Read with my handwriting (`i18n.SWITCHES`: true or false; on when not set)."""


def reads_with_my_handwriting() -> bool:
    """Whether the chosen reader reads with the user's handwriting (the remembered setting; on by default)."""
    return i18n.setting(HANDWRITING) is not False


def remember_handwriting(on: bool) -> None:
    """Remember Model → Read with my handwriting (one atomic save of ``settings.json``);
    :class:`OutputFileError` when it cannot be saved."""
    i18n.save_setting(HANDWRITING, bool(on))


@dataclass(frozen=True, eq=False)
class Teaching:
    """A finished teaching: the reader choice taught, the personal ``samples`` it was taught (in the
    report's order), what it changed (``report``, whose ``reader`` is the taught reader) and ``why`` it
    was taught: ``"start"``, ``"reader"`` (another reader chosen), ``"teach"`` (a sample stored),
    ``"personal"`` (My digits changed the set) or ``"option"`` (Read with my handwriting turned on)."""

    choice: ReaderChoice
    samples: tuple[Sample, ...]
    report: TeachingReport
    why: str

    @property
    def reader(self) -> Reader:
        return self.report.reader


def teachable(samples: list[Sample]) -> list[Sample]:
    """The samples a reader is taught: every digit (its drawing, else its picture) and the drawings marked
    "not a digit" (one from a picture teaches nothing: no stroke model reads it, no image network learns
    "not a digit")."""
    return [s for s in samples if not s.not_a_digit or s.drawing is not None]


def teaching_item(sample: Sample) -> Drawing | np.ndarray:
    """What a reader is taught of ``sample``: its drawing (strokes and all), else its 28x28 picture."""
    return sample.drawing if sample.drawing is not None else sample.image


def _teach(job: LatestOnly, choice: ReaderChoice, samples: tuple[Sample, ...], why: str, generation: int,
           mode: str):
    """The worker: its own reader for ``choice`` (the UI thread's models are never shared: layers keep
    scratch buffers), taught ``samples`` shown in the input ``mode``; the UI thread gets the taught reader
    once the worker is done with it."""
    reader = load_reader(choice)
    if job.cancelled():
        return None
    try:
        report = teaching_report(reader, [teaching_item(s) for s in samples], [s.label for s in samples], mode)
    except ValueError as exc:   # a network without a Dense head to read the examples' features
        raise DigitpadError(str(exc)) from None
    return Teaching(choice, samples, report, why)


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
    ``picture_changed()``), the input mode changed (``input_mode``); ``teaching_changed()`` when reading
    with the user's handwriting changed (`handwriting`, `teaching`, `teaching_busy`, `teaching_problem`:
    turned on or off, a teaching started, ended or failed) and ``taught(Teaching)`` when a taught reader
    replaced the chosen one (``readers_changed`` and ``answer_changed`` follow).

    Only the chosen reader is taught: the compared one (compare mode) reads as it was trained, so that
    the two side by side show what the teaching changes.
    """

    answer_changed = Signal(object)
    readers_changed = Signal()
    models_listed = Signal()
    input_changed = Signal()
    picture_changed = Signal()
    teaching_changed = Signal()
    taught = Signal(object)

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
        self.handwriting = reads_with_my_handwriting()   # Model → Read with my handwriting
        self.teaching: Teaching | None = None             # the chosen reader's last teaching
        self.teaching_problem: str | None = None          # why the last teaching failed
        self._generation = 0                               # the newest teaching asked for
        self._teacher = LatestOnly(_teach, self)
        self._teacher.done.connect(self._taught)
        self._teacher.failed.connect(self._teaching_failed)

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
                self.select(choice, why="start")
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
        """The chosen reader (None: no model): taught the user's handwriting (`teaching`) when it reads
        with it, else `untaught`."""
        teaching = self.teaching
        if self.handwriting and teaching is not None and teaching.choice == self.choice:
            return teaching.reader
        return self.untaught

    @property
    def untaught(self) -> Reader | None:
        """The chosen reader as it was trained (None: no model)."""
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

    def select(self, choice: ReaderChoice | Path | str, why: str = "reader") -> None:
        """Read with ``choice`` (a `ReaderChoice`, a model file or a spec); DigitpadError (the current
        reader stays) when it cannot be used.  A file that is not in the catalogue is listed from now on.
        The new reader reads as it was trained until it is taught the user's handwriting (`reteach`, ``why``)."""
        choice = ReaderChoice.parse(choice)
        self._load(choice)
        self.choice = choice
        self._remember_files(choice)
        self.refresh_models()
        self._apply()
        self.reteach(why)

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
        if self.teaching is not None:   # the examples are seen as the drawings are: taught again in this mode
            self.reteach("mode")

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
        `NOT_A_DIGIT` for a drawing that is not a digit (a negative: its drawing carries no label), and
        teach the chosen reader again (`reteach`) when it reads with the user's handwriting.
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
        self.reteach("teach")
        # reads only files added by another process
        return len(self.personal.negatives() if negative else self.personal.digits())

    # --- reading with the user's handwriting -----------------------------------------------------
    def personal_edited(self) -> None:
        """The personal data set changed other than by `teach` (My digits: imported, cleared): teach again."""
        self.reteach("personal")

    def set_handwriting(self, on: bool) -> None:
        """Read with the user's handwriting (the taught reader) or not (the reader as it was trained), now,
        and remember it; :class:`OutputFileError` when it cannot be remembered (the reader changes all the same)."""
        if on != self.handwriting:
            self.handwriting = on
            self.teaching = None
            self._apply()
            self.reteach("option")
        remember_handwriting(on)

    @property
    def teaching_busy(self) -> bool:
        """Whether a teaching is under way (the untaught reader, or the reader taught before, reads meanwhile)."""
        return self._teacher.busy()

    def reteach(self, why: str = "personal") -> None:
        """Teach the chosen reader the personal data set again, in the background (`Teaching.why` says
        ``why``); a newer call supersedes this one.  With the option off, no reader, or nothing to learn
        from, the chosen reader reads as it was trained at once."""
        self._generation += 1
        self.teaching_problem = None
        samples = tuple(teachable(self.personal.load()[0])) if self.handwriting and self.choice is not None else ()
        if not samples:
            had = self.teaching is not None
            self.teaching = None
            if had:
                self._apply()
        else:
            self._teacher.submit(self.choice, samples, why, self._generation, self.input_mode)
        self.teaching_changed.emit()

    def _taught(self, finished: tuple[tuple, Teaching | None]) -> None:
        (choice, _samples, _why, generation, _mode), teaching = finished
        if teaching is None or generation != self._generation or choice != self.choice or not self.handwriting:
            self.teaching_changed.emit()   # superseded (by another reader, the option turned off, a newer set)
            return
        self.teaching = teaching
        self._apply()                      # the bars and every view read with the taught reader
        self.teaching_changed.emit()
        self.taught.emit(teaching)

    def _teaching_failed(self, message: str) -> None:
        self.teaching_problem = message
        self.teaching_changed.emit()

    def shutdown(self) -> None:
        """Drop a pending teaching and wait for the running one (the app quits)."""
        self._teacher.shutdown()
