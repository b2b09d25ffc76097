"""Live prediction: the drawing on screen (``source()``, the session's ``item``: the drawing with its
strokes, or an opened picture's drawing without them) → each chosen `Reader`'s `Answer`.  A reader
with an image network and a stroke model combines the two for a drawing (`Reader.read`); the
prediction also keeps what each model is shown: the image network's 28x28 input (in the chosen
``mode()``) and the stroke model's trajectory.  The app's `Session` runs one and tells the views
(``answer_changed``).

Requests are coalesced by a short single-shot timer: while the pen moves, the pipeline runs at most
once per interval (about every segment at normal drawing speed), so the window stays smooth.  The
whole pipeline takes a few milliseconds with the shipped models, which is why it runs in the UI thread.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from digitpad.drawing.strokes import Drawing
from digitpad.reading.reader import Answer, Reader, inputs_of

COALESCE_MS = 15


@dataclass
class Prediction:
    """One run of the pipeline: the image network's 28x28 input (``digit``, None for an empty canvas),
    the stroke model's trajectory (None without strokes: an empty canvas, a picture), each reader's
    answer (None where no model is chosen) and the time it all took."""

    digit: np.ndarray | None
    answers: list[Answer | None]
    seconds: float
    trajectory: np.ndarray | None = None

    @property
    def probabilities(self) -> list[np.ndarray | None]:
        """Each reader's probabilities (None for an empty canvas, a picture a stroke model alone cannot
        read, or where no model is chosen)."""
        return [None if answer is None else answer.probabilities for answer in self.answers]


class LivePredictor(QObject):
    """Reads ``source()``, a `Drawing`, with each reader in :attr:`readers` in the input mode ``mode()``."""

    updated = Signal(object)

    def __init__(self, source: Callable[[], Drawing], mode: Callable[[], str], parent=None):
        super().__init__(parent)
        self.source = source
        self.mode = mode
        self.readers: list[Reader | None] = []
        self.latencies: deque[float] = deque(maxlen=200)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(COALESCE_MS)
        self.timer.timeout.connect(self.predict_now)

    def set_readers(self, readers: list[Reader | None]) -> None:
        self.readers = list(readers)
        self.predict_now()

    def request(self) -> None:
        """Ask for a prediction soon; requests arriving before it runs are merged into it."""
        if not self.timer.isActive():
            self.timer.start()

    def predict_now(self) -> Prediction:
        self.timer.stop()
        started = time.perf_counter()
        item, mode = self.source(), self.mode()
        inputs = inputs_of([item], mode)    # made once, read by every reader
        answers = [None if reader is None else reader.read([item], mode, inputs)[0] for reader in self.readers]
        digit = inputs.digits[0]
        result = Prediction(digit, answers, time.perf_counter() - started, inputs.trajectories[0])
        if digit is not None:
            self.latencies.append(result.seconds)
        self.updated.emit(result)
        return result
