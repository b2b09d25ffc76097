"""What the stroke model sees: the drawing's trajectory (`digitpad.drawing.trajectory`), drawn.

A `StrokeView` paints the `TRAJECTORY_LENGTH` points of ``trajectory_of(drawing)`` where they lie
(x, y, centred and scaled as the model reads them), the path between them coloured from its start
(light) to its end (dark) with a few arrowheads along it for the direction, the pen's jumps between
strokes dashed and the points where the pen came down again (``pen_up`` = 1) ringed.  Given a signed
value per point (`stroke_contributions`: gradient × input summed over the channels), it paints those
instead, over the faint path: orange pushes toward the digit, blue away, as in the image maps.

`StrokeInputPane` is the main window's view of it, under the 28x28 input: it follows the session's
answers and says so when no chosen reader has a stroke model or the item has no strokes.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from digitpad.app.images import AGAINST_COLOUR, FOR_COLOUR
from digitpad.app.widgets.style import MUTED, section_label

START, END = np.array([125, 211, 252], np.float64), np.array([30, 64, 175], np.float64)   # light → dark blue
JUMP, FAINT, BACKGROUND = QColor("#9ca3af"), QColor(70, 70, 80), QColor("#111827")
ARROW_EVERY = 8   # points between two arrowheads


def stroke_contributions(model, trajectory: np.ndarray, classes: list[int]) -> np.ndarray:
    """Gradient × input of the stroke ``model`` along the path, summed over the channels: (K, points)
    float32, one row per digit of ``classes``, each point's signed share of that digit's logit (one
    batched backward, `Sequential.input_gradient`)."""
    x = np.repeat(np.asarray(trajectory, np.float32)[None], len(classes), axis=0)
    grad = model.input_gradient(x, np.asarray(classes))
    return (grad * x).sum(axis=1).astype(np.float32)


class StrokeView(QWidget):
    """Paints a (channels, points) trajectory, or its per-point ``values`` over it (`set_trajectory`);
    without one, ``message``."""

    def __init__(self, side: int = 169, parent=None):
        super().__init__(parent)
        self.side = side
        self.trajectory: np.ndarray | None = None
        self.values: np.ndarray | None = None
        self.scale = 1.0
        self.message = ""
        self.setFixedSize(self.sizeHint())

    def sizeHint(self) -> QSize:
        return QSize(self.side, self.side)

    def set_side(self, side: int) -> None:
        """Paint the path ``side`` screen pixels a side."""
        self.side = side
        self.setFixedSize(self.sizeHint())
        self.update()

    def set_trajectory(self, trajectory: np.ndarray | None, message: str = "", values: np.ndarray | None = None,
                       scale: float | None = None) -> None:
        """Show ``trajectory`` ((5, points): x, y, dx, dy, pen_up), coloured by ``values`` (points,) when
        given (on ``scale``, default their largest magnitude); None shows ``message``."""
        self.trajectory = None if trajectory is None else np.asarray(trajectory, np.float32)
        self.values = None if values is None or trajectory is None else np.asarray(values, np.float32)
        top = float(np.abs(self.values).max()) if self.values is not None and self.values.size else 0.0
        self.scale = float(scale) if scale else (top or 1.0)
        self.message = message
        self.update()

    def points(self) -> np.ndarray:
        """The trajectory's points in widget pixels, (points, 2)."""
        margin = 0.1 * self.side
        return (self.trajectory[0:2].T + 0.5) * (self.side - 2 * margin) + margin

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), BACKGROUND)
        if self.trajectory is None:
            painter.setPen(QColor("#9ca3af"))
            painter.drawText(QRectF(6, 6, self.width() - 12, self.height() - 12),
                             Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self.message)
            return
        points = self.points()
        pen_up = self.trajectory[4] > 0.5
        n = len(points)
        faint = self.values is not None
        at = [QPointF(x, y) for x, y in points.tolist()]   # made once: painting follows the pen
        colours = np.rint(START + (END - START) * (np.arange(n) / max(n - 1, 1))[:, None]).astype(int).tolist()
        jump = QPen(JUMP, 1.2, Qt.PenStyle.DashLine)
        for i in range(1, n):
            if pen_up[i]:   # the pen was lifted: a jump, not ink
                painter.setPen(jump)
            else:
                painter.setPen(QPen(FAINT if faint else QColor(*colours[i]), 2.2, Qt.PenStyle.SolidLine,
                                    Qt.PenCapStyle.RoundCap))
            painter.drawLine(at[i - 1], at[i])
        if faint:
            self._paint_values(painter, points)
        else:
            self._paint_direction(painter, points, pen_up)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(QColor("#f9fafb"), 1.4))
        painter.drawEllipse(QPointF(*points[0]), 4.5, 4.5)   # where the pen started
        for i in np.flatnonzero(pen_up):
            painter.setPen(QPen(QColor("#fbbf24"), 1.4))
            painter.drawEllipse(QPointF(*points[i]), 3.5, 3.5)   # where it came down again

    def _paint_direction(self, painter: QPainter, points: np.ndarray, pen_up: np.ndarray) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        for i in range(ARROW_EVERY // 2, len(points) - 1, ARROW_EVERY):
            if pen_up[i + 1] or pen_up[i]:
                continue
            direction = points[i + 1] - points[i]
            length = float(np.hypot(*direction))
            if length < 1e-6:
                continue
            ux, uy = direction / length
            tip = points[i] + direction / 2 + np.array([ux, uy]) * 4
            left = tip - np.array([ux, uy]) * 8 + np.array([-uy, ux]) * 4
            right = tip - np.array([ux, uy]) * 8 - np.array([-uy, ux]) * 4
            painter.setBrush(QColor("#e0f2fe"))
            painter.drawPolygon(QPolygonF([QPointF(*tip), QPointF(*left), QPointF(*right)]))

    def _paint_values(self, painter: QPainter, points: np.ndarray) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        order = np.argsort(np.abs(self.values))   # the strongest painted last, on top
        for i in order:
            value = float(self.values[i])
            strength = min(abs(value) / self.scale, 1.0) ** 0.6
            colour = FOR_COLOUR if value >= 0 else AGAINST_COLOUR
            rgb = np.rint(np.array([90, 90, 100]) * (1 - strength) + colour * strength).astype(int)
            painter.setBrush(QColor(*rgb))
            radius = 1.5 + 3.5 * strength
            painter.drawEllipse(QPointF(*points[i]), radius, radius)


class StrokeInputPane(QWidget):
    """What the ``session``'s stroke model is shown of the drawing (`view`, with a `caption`), following
    each answer; a message instead when no reader chosen has a stroke model or the item has no strokes."""

    def __init__(self, session, side: int = 169, parent=None):
        super().__init__(parent)
        self.session = session
        self.view = StrokeView(side)
        self.view.setToolTip(self.tr("What the stroke model sees: the pen's path resampled to 64 points, light "
                                     "at its start, dark at its end, arrows for its direction; dashed: the pen "
                                     "lifted; ringed: where it came down again"))
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setFixedWidth(side)
        self.caption.setStyleSheet(f"color: {MUTED};")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.title = section_label(self.tr("Stroke model input"))
        self.title.setMaximumWidth(side)   # a longer translation is cut by the column, never widens it
        layout.addWidget(self.title)
        layout.addWidget(self.view)
        layout.addWidget(self.caption)
        session.answer_changed.connect(self._answered)
        session.readers_changed.connect(self._answered)

    def set_side(self, side: int) -> None:
        """Show the path ``side`` screen pixels a side (the main window scales it with the canvas)."""
        self.view.set_side(side)
        self.caption.setFixedWidth(side)
        self.title.setMaximumWidth(max(side, self.title.sizeHint().width()))   # the title whole, even if wider

    def has_stroke_model(self) -> bool:
        return any(reader is not None and reader.strokes is not None for reader in self.session.readers())

    def _answered(self, _prediction=None) -> None:
        session = self.session
        last = session.last
        trajectory = None if last is None else last.trajectory
        if not self.has_stroke_model():
            self.view.set_trajectory(None, self.tr("no stroke model in this reader"))
            self.caption.setText(self.tr("Choose a reader with the pen to see it."))
        elif trajectory is None:
            picture = session.picture is not None
            self.view.set_trajectory(None, self.tr("a picture has no strokes") if picture else self.tr("the pen's path"))
            self.caption.setText(self.tr("The picture is read by the image network alone.") if picture else "")
        else:
            self.view.set_trajectory(trajectory)
            strokes = int(trajectory[4].sum()) + 1
            self.caption.setText(self.tr("%n stroke(s), 64 points", "", strokes))
