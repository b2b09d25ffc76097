"""The drawing canvas: white anti-aliased ink on black, recorded as strokes.

Every pen movement is rendered with :func:`digitpad.drawing.strokes.render_segment_into` into a float32
coverage array, the same arithmetic that :meth:`digitpad.drawing.strokes.Drawing.render` uses, so the pixels
on screen are exactly the pixels the network is given.  Mouse, tablet and touch input all draw
(touch arrives as synthesised mouse events).  The canvas can also show a picture opened from a file
in place of the drawing; the next pen stroke dismisses it and brings the drawing back.  The drawing and
the picture are the app's `Session`'s: the canvas shows them and edits the drawing.

The drawing is kept in canvas units (``drawing.canvas_size``, 336 px a side), whatever the size of the
widget on screen: the main window scales the widget with the window (`set_side`), pointer positions are
divided by the scale and the coverage is painted scaled, so the same stroke gives the same network input
on a small and on a large canvas.  Every point the pointer reports is kept (`keep_every_pointer_event`):
a fast stroke drawn while the app is busy keeps its corners.  Each move only records its point and asks
for a repaint; the segments recorded since the last paint are rendered together, vectorised, before it
(`render_segments_into`, the same pixels): a fast pointer's many moves each cost little.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPen, QTabletEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.app.images import grey_qimage
from digitpad.drawing.strokes import Drawing, coverage_to_uint8, render_coverage, render_segments_into

CANVAS_SIZE = 336          # pixels; 12 x 28
DEFAULT_PEN_WIDTH = 18.0
MIN_PEN_WIDTH, MAX_PEN_WIDTH = 2, 48
SMOOTH_MARGIN = 2          # canvas pixels painted around a repainted area, so that smoothing has its neighbours


def keep_every_pointer_event() -> None:
    """Deliver every mouse and tablet move the window system reports, never several merged into the last.

    Qt merges moves that arrive faster than the app handles them (on X11 by default: the platform turns
    ``AA_CompressHighFrequencyEvents`` on when the application starts, so it is turned off once the
    QApplication exists); under load a fast stroke then lost its points and a 7 its corner.  Application-
    wide attributes: called when the app starts and by each canvas."""
    for attribute in (Qt.ApplicationAttribute.AA_CompressHighFrequencyEvents,
                      Qt.ApplicationAttribute.AA_CompressTabletEvents):
        QCoreApplication.setAttribute(attribute, False)


class DrawingCanvas(QWidget):
    """A square canvas of ``drawing.canvas_size`` units shown at any size (`set_side`); ``changed`` is
    emitted after every rendered segment and edit."""

    changed = Signal()
    pen_width_changed = Signal(float)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session   # the app's Session: its drawing and opened picture are what this shows
        self._shown: tuple = (None, None)   # the picture shown and its image (a tuple: see why_view.Subject)
        self._pen_down = False
        size = session.drawing.canvas_size
        self.coverage = render_coverage(self.drawing.strokes, self.drawing.pen_width, size)
        self._pending: list = []   # segments drawn and not yet rendered into the coverage
        self._rendered = self.drawing
        self.setFixedSize(size, size)   # unscaled until the window says otherwise
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        keep_every_pointer_event()
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setToolTip(self.tr("Draw a digit (mouse, pen or finger)"))
        self.changed.connect(session.drawing_edited)
        session.input_changed.connect(self._input_changed)

    def sizeHint(self) -> QSize:
        return QSize(self.drawing.canvas_size, self.drawing.canvas_size)

    # --- scale -----------------------------------------------------------------------------------
    def set_side(self, side: int) -> None:
        """Show the canvas ``side`` screen pixels a side; the drawing stays in canvas units."""
        self.setFixedSize(side, side)

    @property
    def scale(self) -> float:
        """Screen pixels per canvas unit."""
        return min(self.width(), self.height()) / self.drawing.canvas_size

    def to_canvas(self, pos: QPointF) -> tuple[float, float]:
        """A position on the widget in canvas units."""
        scale = self.scale
        return pos.x() / scale, pos.y() / scale

    def to_widget(self, x: float, y: float) -> QPointF:
        """A point in canvas units on the widget."""
        scale = self.scale
        return QPointF(x * scale, y * scale)

    # --- state -----------------------------------------------------------------------------------
    @property
    def drawing(self) -> Drawing:
        """The session's drawing, which the pen edits."""
        return self.session.drawing

    def image(self) -> np.ndarray:
        """The canvas as uint8 (size, size), white on black: identical to ``self.drawing.render()``."""
        self._flush()
        return coverage_to_uint8(self.coverage)

    def _flush(self) -> None:
        """Render the segments drawn since the last paint, all at once."""
        if self._pending:
            pending, self._pending = self._pending, []
            render_segments_into(self.coverage, pending, self.drawing.pen_width)

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
        self._pending = []
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
            self._pending = []
            self.coverage = render_coverage(self.drawing.strokes, self.drawing.pen_width, self.drawing.canvas_size)
        self.update()

    def _rerender(self) -> None:
        self._pending = []   # they are in the strokes rendered now
        self.coverage = render_coverage(self.drawing.strokes, self.drawing.pen_width, self.drawing.canvas_size)
        self.update()
        self.changed.emit()

    # --- input -----------------------------------------------------------------------------------
    def _pen_press(self, pos: QPointF) -> None:
        self.session.dismiss_picture()
        self._pen_down = True
        was_empty = self.drawing.is_empty()
        self._render(self.drawing.new_stroke(*self.to_canvas(pos)))
        if was_empty:
            self.update()  # remove the "draw a digit here" hint

    def _pen_move(self, pos: QPointF) -> None:
        if self._pen_down:
            self._render(self.drawing.add_point(*self.to_canvas(pos)))

    def _render(self, segment) -> None:
        """Record a new segment for the next paint and ask for the part of the widget it inks."""
        if segment is None:
            return
        self._pending.append(segment)
        (x0, y0), (x1, y1) = segment
        reach = self.drawing.pen_width / 2 + 1   # as far as the segment's coverage goes
        scale = self.scale
        blend = 0 if scale == 1 else math.ceil(scale) + 1   # the screen pixels that smoothing blends it into
        left, top = math.floor((min(x0, x1) - reach) * scale) - blend, math.floor((min(y0, y1) - reach) * scale) - blend
        right = math.ceil((max(x0, x1) + reach) * scale) + blend
        bottom = math.ceil((max(y0, y1) + reach) * scale) + blend
        self.update(QRect(left, top, right - left + 1, bottom - top + 1))
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
        self._flush()
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
        scale = self.scale
        if scale == 1:   # the network's pixels, one for one
            pixels = np.ascontiguousarray(self.image()[rect.top():rect.bottom() + 1, rect.left():rect.right() + 1])
            painter.drawImage(rect.topLeft(), grey_qimage(pixels))
        else:            # the part of the canvas under ``rect``, with a margin for smoothing, scaled
            size = self.drawing.canvas_size
            c0 = max(math.floor(rect.left() / scale) - SMOOTH_MARGIN, 0)
            r0 = max(math.floor(rect.top() / scale) - SMOOTH_MARGIN, 0)
            c1 = min(math.ceil((rect.right() + 1) / scale) + SMOOTH_MARGIN, size)
            r1 = min(math.ceil((rect.bottom() + 1) / scale) + SMOOTH_MARGIN, size)
            pixels = np.ascontiguousarray(coverage_to_uint8(self.coverage[r0:r1, c0:c1]))
            painter.fillRect(rect, QColor("black"))
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(QRectF(c0 * scale, r0 * scale, (c1 - c0) * scale, (r1 - r0) * scale), grey_qimage(pixels))
        if self.drawing.is_empty():
            painter.setPen(QColor("#6b7280"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("draw a digit here"))
