"""The main window's drawing column: the canvas in its frame, the pen width, undo and clear.  The window
sets the canvas's size on screen (`set_canvas_side`); the drawing keeps its canvas units."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from digitpad.app.i18n import significant
from digitpad.app.widgets.canvas import MAX_PEN_WIDTH, MIN_PEN_WIDTH, DrawingCanvas
from digitpad.app.widgets.style import column


class DrawingPad(QWidget):
    """Draws on the ``session``'s drawing (`canvas`); the slider and the label follow the pen."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.canvas = DrawingCanvas(session)
        self.frame = QFrame()
        self.frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame_layout = QVBoxLayout(self.frame)
        frame_layout.setContentsMargins(1, 1, 1, 1)
        frame_layout.addWidget(self.canvas)
        self.pen_slider = QSlider(Qt.Orientation.Horizontal)
        self.pen_slider.setMinimumWidth(60)
        self.pen_slider.setRange(MIN_PEN_WIDTH, MAX_PEN_WIDTH)
        self.pen_slider.setValue(int(self.canvas.pen_width))
        self.pen_slider.setToolTip(self.tr("Pen width ([ thinner, ] thicker)"))
        self.pen_slider.valueChanged.connect(self.canvas.set_pen_width)
        self.pen_label = QLabel()
        self.pen_label.setMinimumWidth(48)
        undo = QPushButton(self.tr("Undo"))
        undo.setToolTip(self.tr("Remove the last stroke (Ctrl+Z)"))
        undo.clicked.connect(self.canvas.undo)
        clear = QPushButton(self.tr("Clear"))
        clear.setToolTip(self.tr("Start again (Esc or Delete)"))
        clear.clicked.connect(self.canvas.clear)
        for button in (undo, clear):   # narrower than a dialog's buttons beside the smallest canvas
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(button.text()) + 20)
        self.pen_row = QHBoxLayout()
        self.pen_row.addWidget(QLabel(self.tr("Pen")))
        self.pen_row.addWidget(self.pen_slider, 1)
        self.pen_row.addWidget(self.pen_label)
        self.pen_row.addWidget(undo)
        self.pen_row.addWidget(clear)
        column(self, self.tr("Draw"), self.frame, self.pen_row)
        self.canvas.pen_width_changed.connect(self._pen_width_shown)
        self._pen_width_shown(self.canvas.pen_width)

    # --- size ------------------------------------------------------------------------------------
    def set_canvas_side(self, side: int) -> None:
        """Show the canvas ``side`` pixels a side on screen."""
        self.canvas.set_side(side)

    def size_for(self, side: int) -> QSize:
        """The column's smallest size around a canvas ``side`` pixels a side."""
        framed = side + 2 * self.frame.frameWidth() + 2   # the frame and its 1-px margins
        others = self.layout().minimumSize() - self.frame.minimumSizeHint()   # the title and the pen row
        return QSize(max(framed, self.pen_row.minimumSize().width()), others.height() + framed)

    def change_pen(self, step: int) -> None:
        self.canvas.set_pen_width(self.canvas.pen_width + step)

    def _pen_width_shown(self, width: float) -> None:
        self.pen_label.setText(self.tr("{0} px").format(significant(width, 6)))
        self.pen_slider.blockSignals(True)
        self.pen_slider.setValue(int(round(width)))
        self.pen_slider.blockSignals(False)
