""""Why this digit?": heat maps over the network's 28x28 input of what pushed the model to its answer.

Orange pixels push toward the digit, blue ones away from it (`digitpad.evaluation.explain`).  When the
verdict is "unsure: a or b", three maps: for a, for b, and "a rather than b", what separates the two.
Gradient × input follows the pen (one batched backward, a few milliseconds, in the UI thread);
occlusion runs in a worker on the model's own copy and arrives a moment later.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digitpad.app.images import heat_rgb, rgb_qimage
from digitpad.app.workers import LatestOnly, worker_model
from digitpad.evaluation.explain import gradient_times_input_for, occlusion_maps_for
from digitpad.reading.reader import Answer

METHODS = ("gradient", "occlusion")
MUTED = "#6b7280"


@dataclass
class Subject:
    """What is explained: the model (and its file, for the occlusion worker's copy), its input and digits.

    Kept in this plain object rather than as attributes of the Qt widget: with PySide6 6.11, assigning
    a callable (a model is one) to an attribute of a QObject again and again leaks references (to None,
    among others) at each assignment, and the soak test saw None's count climb while drawing."""

    model: object = None
    model_path: Path | None = None
    digit: np.ndarray | None = None
    classes: list[int] = field(default_factory=list)


class HeatTile(QWidget):
    """A (28, 28, 3) heat image enlarged to ``cell`` pixels per input pixel, without smoothing."""

    def __init__(self, cell: int = 4, parent=None):
        super().__init__(parent)
        self.cell = cell
        self.rgb: np.ndarray | None = None
        self.setFixedSize(self.sizeHint())

    def sizeHint(self) -> QSize:
        return QSize(28 * self.cell, 28 * self.cell)

    def set_rgb(self, rgb: np.ndarray | None) -> None:
        self.rgb = rgb
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("black"))
        if self.rgb is not None:
            painter.drawImage(QRect(0, 0, self.width(), self.height()), rgb_qimage(self.rgb))


def _occlusion_job(job, loaded: dict, path: Path, digit: np.ndarray, classes: list[int]) -> np.ndarray:
    """Worker: occlusion maps with the worker's own copy of the model."""
    return occlusion_maps_for(worker_model(loaded, path), digit, classes)


class WhyPanel(QWidget):
    """Shows the maps for the latest answer of the ``session``'s chosen model, while shown (`explain`
    for any model and input)."""

    def __init__(self, session=None, parent=None):
        super().__init__(parent)
        self.session = session
        self.method_combo = QComboBox()
        self.method_combo.addItem(self.tr("Gradient × input"), "gradient")
        self.method_combo.addItem(self.tr("Occlusion"), "occlusion")
        self.method_combo.setToolTip(self.tr(
            "Gradient × input: each pixel times how much it raises the digit's score (backpropagation, live).\n"
            "Occlusion: how much the digit's probability falls when a 4×4 patch around the pixel is blanked "
            "(slower, arrives a moment later)."))
        self.method_combo.activated.connect(lambda _: self._refresh())
        self.tiles = [HeatTile(cell=5) for _ in range(3)]
        self.captions = [QLabel() for _ in range(3)]
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        for column, (tile, caption) in enumerate(zip(self.tiles, self.captions)):
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(tile, 0, column)
            grid.addWidget(caption, 1, column)
        self.legend = QLabel(self.tr("orange: pushes toward the digit · blue: pushes away"))
        self.legend.setStyleSheet(f"color: {MUTED};")
        self.legend.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Method")))
        top.addWidget(self.method_combo)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(grid)
        layout.addWidget(self.legend)
        layout.addStretch(1)
        self._loaded: dict = {}   # the occlusion worker's model copy (touched only by its thread)
        self.occlusion = LatestOnly(_occlusion_job, self)
        self.occlusion.done.connect(self._occlusion_arrived)
        self.subject = Subject()
        self.maps: np.ndarray | None = None
        self._show_maps(None)
        if session is not None:
            session.answer_changed.connect(self._answered)

    def _answered(self, _prediction=None) -> None:
        """Explain the session's latest answer, if this panel is on screen (else when it is shown)."""
        last = self.session.last
        if last is not None and self.isVisible():
            self.explain(self.session.model, self.session.model_path, last.digit, last.answers[0] if last.answers else None)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.session is not None:
            self._answered()

    @property
    def method(self) -> str:
        return self.method_combo.currentData()

    def set_method(self, method: str) -> None:
        self.method_combo.setCurrentIndex(self.method_combo.findData(method))
        self._refresh()

    def explain(self, model, model_path: Path | None, digit: np.ndarray | None, answer: Answer | None) -> None:
        """Explain ``model``'s ``answer`` for the input ``digit`` (None: nothing to explain)."""
        classes = []
        if model is not None and digit is not None and answer is not None and answer.digit is not None:
            classes = [answer.digit, answer.runner_up] if answer.unsure else [answer.digit]
        self.subject = Subject(model, model_path, digit, classes)
        self._refresh()

    @property
    def classes(self) -> list[int]:
        """The digits explained: the answer, and the runner-up when the verdict is unsure."""
        return self.subject.classes

    @property
    def digit(self) -> np.ndarray | None:
        return self.subject.digit

    def _refresh(self) -> None:
        subject = self.subject
        if not subject.classes:
            self._show_maps(None)
        elif self.method == "gradient":
            self._show_maps(gradient_times_input_for(subject.model, subject.digit, subject.classes))
        elif subject.model_path is not None:
            self._captions_pending()
            self.occlusion.submit(self._loaded, subject.model_path, subject.digit.copy(), list(subject.classes))

    def _occlusion_arrived(self, done) -> None:
        (_, path, digit, classes), maps = done
        subject = self.subject
        if self.method == "occlusion" and path == subject.model_path and classes == subject.classes \
                and subject.digit is not None and np.array_equal(digit, subject.digit):
            self._show_maps(maps)

    def _captions_pending(self) -> None:
        for caption in self.captions:
            if caption.isVisible():
                caption.setText(self.tr("computing…"))

    def _show_maps(self, maps: np.ndarray | None) -> None:
        """One map for a sure answer; for "unsure: a or b" the maps of a and b and their difference."""
        self.maps = maps
        if maps is None:
            for tile, caption in zip(self.tiles, self.captions):
                tile.set_rgb(None)
                caption.setText("")
            self.tiles[0].show()
            self.captions[0].setText(self.tr("draw a digit"))
            for widget in (*self.tiles[1:], *self.captions[1:]):
                widget.hide()
            return
        shown = [maps[0]]
        texts = [self.tr("for {0}").format(self.classes[0])]
        if len(self.classes) == 2:
            shown += [maps[1], maps[0] - maps[1]]
            texts += [self.tr("for {0}").format(self.classes[1]),
                      self.tr("{0} rather than {1}").format(*self.classes)]
        scale = max(float(np.abs(m).max()) for m in shown) or 1.0   # one scale: the tiles compare
        for i, (tile, caption) in enumerate(zip(self.tiles, self.captions)):
            visible = i < len(shown)
            tile.setVisible(visible)
            caption.setVisible(visible)
            if visible:
                tile.set_rgb(heat_rgb(self.digit, shown[i], scale))
                caption.setText(texts[i])

    def shutdown(self) -> None:
        self.occlusion.shutdown()
