"""Live prediction: the drawing (``drawing_to_input``) or an opened picture (``to_mnist``) → the 28x28
input → ``predict_proba`` for one or two models.

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

from digitpad.drawing.preprocess import to_model_input

COALESCE_MS = 15


@dataclass
class Prediction:
    """One run of the pipeline: the 28x28 input (None for an empty canvas) and each model's output."""

    digit: np.ndarray | None
    probabilities: list[np.ndarray | None]
    seconds: float


class LivePredictor(QObject):
    """Runs each model in :attr:`models` on ``source()``, the network's (28, 28) input or None."""

    updated = Signal(object)

    def __init__(self, source: Callable[[], np.ndarray | None], parent=None):
        super().__init__(parent)
        self.source = source
        self.models: list = []
        self.latencies: deque[float] = deque(maxlen=200)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(COALESCE_MS)
        self.timer.timeout.connect(self.predict_now)

    def set_models(self, models: list) -> None:
        self.models = list(models)
        self.predict_now()

    def request(self) -> None:
        """Ask for a prediction soon; requests arriving before it runs are merged into it."""
        if not self.timer.isActive():
            self.timer.start()

    def predict_now(self) -> Prediction:
        self.timer.stop()
        started = time.perf_counter()
        digit = self.source()
        probabilities: list[np.ndarray | None] = [None] * len(self.models)
        if digit is not None:
            x = to_model_input(digit)
            probabilities = [None if model is None else model.predict_proba(x)[0] for model in self.models]
        result = Prediction(digit, probabilities, time.perf_counter() - started)
        if digit is not None:
            self.latencies.append(result.seconds)
        self.updated.emit(result)
        return result
