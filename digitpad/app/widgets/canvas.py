"""The drawing canvas: white anti-aliased ink on black, recorded as strokes.

Every pen movement is rendered with :func:`digitpad.drawing.strokes.render_segment_into` into a float32
coverage array, the same arithmetic that :meth:`digitpad.drawing.strokes.Drawing.render` uses, so the pixels
on screen are exactly the pixels the network is given.  Mouse, tablet and touch input all draw
(touch arrives as synthesised mouse events).  The canvas can also show a picture opened from a file
in place of the drawing; the next pen stroke dismisses it and brings the drawing back.  The drawing and
the picture are the app's `Session`'s: the canvas shows them and edits the drawing.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QTabletEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.app.images import grey_qimage
from digitpad.drawing.strokes import Drawing, coverage_to_uint8, render_coverage, render_segment_into

CANVAS_SIZE = 336          # pixels; 12 x 28
DEFAULT_PEN_WIDTH = 18.0
MIN_PEN_WIDTH, MAX_PEN_WIDTH = 2, 48


class DrawingCanvas(QWidget):
    """A fixed-size square canvas; ``changed`` is emitted after every rendered segment and edit."""

    changed = Signal()
    pen_width_changed = Signal(float)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session   # the app's Session: its drawing and opened picture are what this shows
        self._shown: tuple = (None, None)   # the picture shown and its image (a tuple: see why_view.Subject)
        self._pen_down = False
        size = session.drawing.canvas_size
        self.coverage = render_coverage(self.drawing.strokes, self.drawing.pen_width, size)
        self._rendered = self.drawing
        self.setFixedSize(size, size)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setToolTip(self.tr("Draw a digit (mouse, pen or finger)"))
        self.changed.connect(session.drawing_edited)
        session.input_changed.connect(self._input_changed)

    def sizeHint(self) -> QSize:
        return QSize(self.drawing.canvas_size, self.drawing.canvas_size)

    # --- state -----------------------------------------------------------------------------------
    @property
    def drawing(self) -> Drawing:
        """The session's drawing, which the pen edits."""
        return self.session.drawing

    def image(self) -> np.ndarray:
        """The canvas as uint8 (size, size), white on black: identical to ``self.drawing.render()``."""
        return coverage_to_uint8(self.coverage)

    @property
    def pen_width(self) -> float:
        return self.drawing.pen_width

    def set_pen_width(self, width: float) -> None:
        """Change the pen; the drawing (one pen width for all strokes) is re-rendered with it."""
        width = float(min(max(width, MIN_PEN_WIDTH), MAX_PEN_WIDTH))
        if width == self.drawing.pen_width:
            return
        self.drawing.pen_width = width
        self.pen_width_changed.emit(width)
        if not self.drawing.is_empty():
            self._rerender()

    def undo(self) -> bool:
        """Remove the picture, or else the last stroke; False if there was nothing to undo."""
        if self.session.dismiss_picture():
            return True
        if not self.drawing.undo():
            return False
        self._rerender()
        return True

    def clear(self) -> None:
        """Remove the picture, or else every stroke."""
        if self.session.dismiss_picture():
            return
        self.drawing.clear()
        self.coverage.fill(0)
        self.update()
        self.changed.emit()

    def set_drawing(self, drawing: Drawing) -> None:
        """Replace the drawing (e.g. a stored one); its canvas size must match this canvas."""
        if drawing.canvas_size != self.drawing.canvas_size:
            raise ValueError(f"drawing is {drawing.canvas_size} px, this canvas is {self.drawing.canvas_size} px")
        self.session.set_drawing(drawing)

    def _input_changed(self) -> None:
        """The session's drawing was replaced, or a picture opened or dismissed."""
        if self._rendered is not self.drawing:
            self._rendered = self.drawing
            self.pen_width_changed.emit(self.drawing.pen_width)
            self.coverage = render_coverage(self.drawing.strokes, self.drawing.pen_width, self.drawing.canvas_size)
        self.update()

    def _rerender(self) -> None:
        self.coverage = render_coverage(self.drawing.strokes, self.drawing.pen_width, self.drawing.canvas_size)
        self.update()
        self.changed.emit()

    # --- input -----------------------------------------------------------------------------------
    def _pen_press(self, pos: QPointF) -> None:
        self.session.dismiss_picture()
        self._pen_down = True
        was_empty = self.drawing.is_empty()
        self._render(self.drawing.new_stroke(pos.x(), pos.y()))
        if was_empty:
            self.update()  # remove the "draw a digit here" hint

    def _pen_move(self, pos: QPointF) -> None:
        if self._pen_down:
            self._render(self.drawing.add_point(pos.x(), pos.y()))

    def _render(self, segment) -> None:
        if segment is None:
            return
        box = render_segment_into(self.coverage, segment[0], segment[1], self.drawing.pen_width)
        if box is not None:
            r0, r1, c0, c1 = box
            self.update(QRect(c0, r0, c1 - c0, r1 - r0))
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pen_press(event.position())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._pen_move(event.position())

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pen_move(event.position())
            self._pen_down = False

    def tabletEvent(self, event: QTabletEvent) -> None:
        kind = event.type()
        if kind == QTabletEvent.Type.TabletPress:
            self._pen_press(event.position())
        elif kind == QTabletEvent.Type.TabletMove:
            self._pen_move(event.position())
        elif kind == QTabletEvent.Type.TabletRelease:
            self._pen_move(event.position())
            self._pen_down = False
        event.accept()  # no synthesised mouse event: the tablet's sub-pixel positions are used

    # --- painting --------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        picture = self.session.picture
        if picture is not None:
            if self._shown[0] is not picture:
                self._shown = (picture, grey_qimage(picture.pixels))
            painter.fillRect(self.rect(), QColor("black"))
            scaled = self._shown[1].scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation)
            painter.drawImage((self.width() - scaled.width()) // 2, (self.height() - scaled.height()) // 2, scaled)
            painter.setPen(QPen(QColor("#f59e0b"), 2))
            painter.drawRect(self.rect().adjusted(1, 1, -1, -1))
            return
        rect = event.rect()
        pixels = np.ascontiguousarray(self.image()[rect.top():rect.bottom() + 1, rect.left():rect.right() + 1])
        painter.drawImage(rect.topLeft(), grey_qimage(pixels))
        if self.drawing.is_empty():
            painter.setPen(QColor("#6b7280"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("draw a digit here"))
