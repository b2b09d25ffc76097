"""Live prediction: what the network sees of the drawing on screen (``source()``, the session's
``network_input``: the drawing's input in the chosen mode, or an opened picture's) → each chosen
`Reader`'s `Answer`.  The app's `Session` runs one and tells the views (``answer_changed``).

Requests are coalesced by a short single-shot timer: while the pen moves, the pipeline runs at most
once per interval (about every segment at normal drawing speed), so the window stays smooth.  The
whole pipeline takes a few milliseconds with the shipped CNN, which is why it runs in the UI thread.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass
from typing import Callable

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from digitpad.reading.reader import Answer, Reader

COALESCE_MS = 15


@dataclass
class Prediction:
    """One run of the pipeline: the network's 28x28 input (None for an empty canvas), each reader's
    answer (None where no model is chosen) and the time it all took."""

    digit: np.ndarray | None
    answers: list[Answer | None]
    seconds: float

    @property
    def probabilities(self) -> list[np.ndarray | None]:
        """Each reader's probabilities (None for an empty canvas, or where no model is chosen)."""
        return [None if answer is None else answer.probabilities for answer in self.answers]


class LivePredictor(QObject):
    """Reads ``source()``, the network's (28, 28) input or None, with each reader in :attr:`readers`."""

    updated = Signal(object)

    def __init__(self, source: Callable[[], np.ndarray | None], parent=None):
        super().__init__(parent)
        self.source = source
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
        digit = self.source()
        empty = Answer.from_probabilities(None)
        answers = [None if reader is None else empty if digit is None else reader.read([digit])[0]
                   for reader in self.readers]
        result = Prediction(digit, answers, time.perf_counter() - started)
        if digit is not None:
            self.latencies.append(result.seconds)
        self.updated.emit(result)
        return result
