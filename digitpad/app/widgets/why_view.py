""""Why this digit?": maps of what pushed the chosen reader to its answer, one per model it reads with.

Over the image network's 28x28 input, orange pixels push toward the digit, blue ones away from it
(`digitpad.evaluation.explain`); along the stroke model's path, each of its 64 points coloured the same
way (gradient × input summed over the point's channels, `stroke_contributions`), over the faint path.
When the verdict is "unsure: a or b", three maps per model: for a, for b, and "a rather than b", what
separates the two.  When the verdict is "this doesn't look like a digit" (the stroke model's), the stroke
model's map is for its "not a digit" output, what made it say so, and the image network, which knows only
digits, has none.  The image network's gradient × input is smoothed (SmoothGrad over noisy copies and a
light blur: `smooth_gradient_times_input_for`, measured against occlusion in `digitpad.evaluation.explain`)
and follows the pen (one batched backward of 4 copies, about 15 ms, in the UI thread); occlusion (image
network only) runs in a worker on the model's own copy and arrives a moment later.  The panel follows
the chosen reader (the left answer when two are compared) or, picked in its `ReaderSide`, the compared
one, and says which.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digitpad.app.images import heat_rgb, rgb_qimage
from digitpad.app.model_labels import reader_name
from digitpad.app.widgets.reader_side import ReaderSide
from digitpad.app.widgets.stroke_view import StrokeView, stroke_contributions
from digitpad.app.workers import LatestOnly, worker_model
from digitpad.drawing.trajectory import NOT_A_DIGIT
from digitpad.errors import printable
from digitpad.evaluation.explain import occlusion_maps_for, smooth_gradient_times_input_for
from digitpad.reading.reader import Answer

METHODS = ("gradient", "occlusion")
GRADIENT_MAPS_MS = 100   # the image network's smoothed gradients (about 15 ms) follow the pen at most this often
STROKE_MAPS_MS = 120   # a stroke model's backward is slower than the image network's today: coalesced
MUTED = "#6b7280"


@dataclass
class Subject:
    """What is explained: the model (and its file, for the occlusion worker's copy), its input and digits;
    the stroke model, its trajectory and its classes (the same digits, or `NOT_A_DIGIT` alone).

    Kept in this plain object rather than as attributes of the Qt widget: with PySide6 6.11, assigning
    a callable (a model is one) to an attribute of a QObject again and again leaks references (to None,
    among others) at each assignment, and the soak test saw None's count climb while drawing."""

    model: object = None
    model_path: Path | None = None
    digit: np.ndarray | None = None
    classes: list[int] = field(default_factory=list)
    strokes: object = None                 # the stroke model, and the trajectory it reads
    trajectory: np.ndarray | None = None
    stroke_classes: list[int] = field(default_factory=list)

    @property
    def not_a_digit(self) -> bool:
        """Whether the answer explained is "this doesn't look like a digit"."""
        return self.stroke_classes == [NOT_A_DIGIT]


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
    """Shows the maps for the latest answer of the ``session``'s chosen reader (or, while two are compared,
    the one picked in `side`), while shown (`explain` for any model and input)."""

    def __init__(self, session=None, parent=None):
        super().__init__(parent)
        self.session = session
        self.method_combo = QComboBox()
        self.method_combo.addItem(self.tr("Gradient × input"), "gradient")
        self.method_combo.addItem(self.tr("Occlusion"), "occlusion")
        self.method_combo.setToolTip(self.tr(
            "Gradient × input: each pixel times how much it raises the digit's score (backpropagation, live), "
            "averaged over slightly noisy copies of the drawing and over neighbouring pixels, so that the map shows "
            "regions rather than speckle (SmoothGrad).\n"
            "Occlusion: how much the digit's probability falls when a 4×4 patch around the pixel is blanked "
            "(slower, arrives a moment later)."))
        self.method_combo.activated.connect(lambda _: self._refresh())
        self.tiles = [HeatTile(cell=4) for _ in range(3)]
        self.captions = [QLabel() for _ in range(3)]
        self.stroke_tiles = [StrokeView(side=112) for _ in range(3)]
        self.stroke_captions = [QLabel() for _ in range(3)]
        self.image_title, self.stroke_title = QLabel(), QLabel()
        grid = QGridLayout()
        grid.setHorizontalSpacing(10)
        grid.addWidget(self.image_title, 0, 0, 1, 3)
        grid.addWidget(self.stroke_title, 0, 4, 1, 3)
        grid.setColumnMinimumWidth(3, 14)
        grid.setColumnStretch(7, 1)   # the maps packed to the left
        for column, (tile, caption) in enumerate(zip(self.tiles + self.stroke_tiles, self.captions + self.stroke_captions)):
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column += column // 3   # a gap between the image network's maps and the stroke model's
            grid.addWidget(tile, 1, column)
            grid.addWidget(caption, 2, column)
        for title in (self.image_title, self.stroke_title):
            title.setStyleSheet("font-weight: 600;")
        self.follows = QLabel()
        self.follows.setStyleSheet(f"color: {MUTED};")
        self.legend = QLabel()
        self.legend.setStyleSheet(f"color: {MUTED};")
        self.legend.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Method")))
        top.addWidget(self.method_combo)
        top.addSpacing(16)
        top.addWidget(self.follows)
        self.side = ReaderSide(session, self) if session is not None else None   # before the panel's connections
        if self.side is not None:
            self.side.picked.connect(self._picked)
            top.addWidget(self.side)
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
        self.stroke_maps: np.ndarray | None = None   # (K, points) as shown, while the reader has a stroke model
        self.stroke_timer = QTimer(self)   # the stroke model's maps follow the pen at most this often
        self.stroke_timer.setSingleShot(True)
        self.stroke_timer.setInterval(STROKE_MAPS_MS)
        self.stroke_timer.timeout.connect(self._show_stroke_maps)
        self.gradient_timer = QTimer(self)   # the first drawing's maps at once, then at most this often
        self.gradient_timer.setSingleShot(True)
        self.gradient_timer.setInterval(GRADIENT_MAPS_MS)
        self.gradient_timer.timeout.connect(self._gradient_due)
        self._gradient_pending = False
        self._refresh()
        if session is not None:
            session.answer_changed.connect(self._answered)
            session.readers_changed.connect(self._show_follows)
            self._show_follows()

    def _show_follows(self) -> None:
        """Say which reader the maps explain: the chosen one, or while two are compared the one picked in
        `side` (the left one unless the user picks the compared one)."""
        side = self.side
        if side.comparing:
            self.follows.setText(self.tr("Explains"))
            return
        name = reader_name(side.choice if side.reader is not None else None)
        self.follows.setText(self.tr("Explains {0}").format(name) if name else "")

    def _picked(self) -> None:
        self._show_follows()
        self._answered()

    def _answered(self, _prediction=None) -> None:
        """Explain the latest answer of the reader followed, if this panel is on screen (else when it is
        shown)."""
        session, side = self.session, self.side
        last = session.last
        if last is not None and self.isVisible():
            reader = side.reader
            self.explain(None if reader is None else reader.model, side.image_path, last.digit, side.answer(),
                         None if reader is None else reader.strokes, last.trajectory)

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

    def explain(self, model, model_path: Path | None, digit: np.ndarray | None, answer: Answer | None,
                strokes=None, trajectory: np.ndarray | None = None) -> None:
        """Explain a reader's ``answer``: with its image network ``model`` over the input ``digit``, and
        with its stroke model ``strokes`` along ``trajectory`` (None: that part is not explained).  A
        "not a digit" answer is explained by the stroke model alone, which gave it."""
        classes = stroke_classes = []
        if answer is not None and answer.not_a_digit:
            stroke_classes = [NOT_A_DIGIT]
        elif answer is not None and answer.digit is not None:
            classes = stroke_classes = [answer.digit, answer.runner_up] if answer.unsure else [answer.digit]
        if (model is None or digit is None) and (strokes is None or trajectory is None):
            classes = stroke_classes = []
        self.subject = Subject(model, model_path, digit, classes, strokes, trajectory, stroke_classes)
        self._refresh()

    @property
    def classes(self) -> list[int]:
        """The digits the image network's maps explain: the answer, and the runner-up when the verdict is
        unsure; none for "this doesn't look like a digit"."""
        return self.subject.classes

    @property
    def digit(self) -> np.ndarray | None:
        return self.subject.digit

    def _refresh(self) -> None:
        subject = self.subject
        self.legend.setText(self.tr("orange: pushes toward “not a digit” · blue: pushes away") if subject.not_a_digit
                            else self.tr("orange: pushes toward the digit · blue: pushes away"))
        if subject.strokes is None or subject.trajectory is None or not subject.stroke_classes:
            self.stroke_timer.stop()
            self._show_stroke_maps()   # nothing to compute: say why at once
        elif not self.stroke_timer.isActive():
            self.stroke_timer.start()
        if not subject.classes or subject.model is None or subject.digit is None:
            self._show_maps(None)
        elif self.method == "gradient":
            if self.gradient_timer.isActive():   # the pen moves: the latest drawing's maps when the timer ends
                self._gradient_pending = True
            else:
                self._show_gradient_maps()
        elif subject.model_path is not None:
            self._captions_pending()
            self.occlusion.submit(self._loaded, subject.model_path, subject.digit.copy(), list(subject.classes))

    def _show_gradient_maps(self) -> None:
        """The smoothed gradient × input maps of the current subject (SmoothGrad, in the UI thread: 15 ms),
        then none again for `GRADIENT_MAPS_MS` (the drawings meanwhile wait for `_gradient_due`)."""
        self._gradient_pending = False
        subject = self.subject
        if self.method == "gradient" and subject.classes and subject.model is not None and subject.digit is not None:
            self._show_maps(smooth_gradient_times_input_for(subject.model, subject.digit, subject.classes))
            self.gradient_timer.start()

    def _gradient_due(self) -> None:
        if self._gradient_pending:
            self._show_gradient_maps()

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

    def _texts(self, classes: list[int]) -> list[str]:
        """The captions of the maps for ``classes``."""
        if classes == [NOT_A_DIGIT]:
            return [self.tr("for “not a digit”")]
        texts = [self.tr("for {0}").format(classes[0])]
        if len(classes) == 2:
            texts += [self.tr("for {0}").format(classes[1]), self.tr("{0} rather than {1}").format(*classes)]
        return texts

    def _show_maps(self, maps: np.ndarray | None) -> None:
        """One map for a sure answer; for "unsure: a or b" the maps of a and b and their difference."""
        self.maps = maps
        subject = self.subject
        self.image_title.setText(self.tr("Image network {0}").format(printable(subject.model_path.stem)) if subject.model is not None
                                 and subject.model_path is not None else self.tr("Image network"))
        if maps is None:
            for tile, caption in zip(self.tiles, self.captions):
                tile.set_rgb(None)
                caption.setText("")
            self.tiles[0].show()
            self.captions[0].show()
            no_network = subject.model is None and self.side is not None and self.side.reader is not None
            self.captions[0].setText(self.tr("none in this reader") if no_network
                                     else self.tr("not a digit") if subject.not_a_digit else self.tr("draw a digit"))
            self.captions[0].setToolTip(self.tr("The image network knows only digits: the stroke model says this is "
                                                "not one.") if subject.not_a_digit and not no_network else "")
            for widget in (*self.tiles[1:], *self.captions[1:]):
                widget.hide()
            return
        shown = [maps[0]]
        texts = self._texts(self.classes)
        if len(self.classes) == 2:
            shown += [maps[1], maps[0] - maps[1]]
        scale = max(float(np.abs(m).max()) for m in shown) or 1.0   # one scale: the tiles compare
        for i, (tile, caption) in enumerate(zip(self.tiles, self.captions)):
            visible = i < len(shown)
            tile.setVisible(visible)
            caption.setVisible(visible)
            if visible:
                tile.set_rgb(heat_rgb(self.digit, shown[i], scale))
                caption.setText(texts[i])

    def _show_stroke_maps(self) -> None:
        """The stroke model's gradient × input along the path, per point, on one scale (whatever the
        method: occlusion is the image network's); says why there is none."""
        subject = self.subject
        self.stroke_maps = None
        has_model = subject.strokes is not None
        self.stroke_title.setText(self.tr("Stroke model {0}").format(self._stroke_name()) if has_model
                                  else self.tr("Stroke model"))
        if not has_model or subject.trajectory is None or not subject.stroke_classes:
            if not has_model:
                message = self.tr("none in this reader")
            elif subject.trajectory is None and self.session is not None and self.session.picture is not None:
                message = self.tr("a picture has no strokes")
            else:
                message = self.tr("draw a digit")
            self.stroke_tiles[0].set_trajectory(None, message)
            self.stroke_tiles[0].show()
            self.stroke_captions[0].setText("")
            self.stroke_captions[0].show()
            for widget in (*self.stroke_tiles[1:], *self.stroke_captions[1:]):
                widget.hide()
            return
        maps = stroke_contributions(subject.strokes, subject.trajectory, subject.stroke_classes)
        shown = [maps[0]] + ([maps[1], maps[0] - maps[1]] if len(subject.stroke_classes) == 2 else [])
        self.stroke_maps = np.stack(shown)
        scale = float(np.abs(self.stroke_maps).max()) or 1.0
        texts = self._texts(subject.stroke_classes) + [""] * 3
        for i, (tile, caption, text) in enumerate(zip(self.stroke_tiles, self.stroke_captions, texts)):
            visible = i < len(shown)
            tile.setVisible(visible)
            caption.setVisible(visible)
            if visible:
                tile.set_trajectory(subject.trajectory, values=shown[i], scale=scale)
                caption.setText(text)

    def _stroke_name(self) -> str:
        if self.side is None or self.side.choice is None:
            return ""
        image = self.side.image_path
        return next((printable(p.stem) for p in self.side.choice.paths if p != image), "")

    def shutdown(self) -> None:
        self.stroke_timer.stop()
        self.gradient_timer.stop()
        self.occlusion.shutdown()
