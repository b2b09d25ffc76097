"""The main window's row under the model choice: the drawing pad, what the models are shown (the 28x28
input and the pen's path) and the answers, sized together.

The canvas takes the largest square the window leaves it, from `MIN_SIDE` pixels a side in a small
window (the whole window then fits a 1280x720 screen) to the height of a maximised one; the two inputs
are magnified with it, a whole number of screen pixels per input pixel; the answers take the rest of the
width.  The row's minimum size is worked out once from its columns' smallest sizes, so that nothing
drawn or said later (a longer verdict, a status message) grows the window by itself.  The drawing keeps
its canvas units whatever the canvas's size on screen (`digitpad.app.widgets.canvas`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize
from PySide6.QtWidgets import QSizePolicy, QWidget

from digitpad.drawing.network_input import SIDE

MIN_SIDE = 280      # the smallest canvas on screen, in pixels
MIN_CELL = 5        # the smallest magnification of the 28x28 input: 141 pixels a side
COLUMN_GAP = 24     # between the pad, the inputs and the answers
INPUTS_GAP = 12     # between the 28x28 input and the pen's path


def view_side(cell: int) -> int:
    """The side of the 28x28 input shown at ``cell`` screen pixels per input pixel (its grid included)."""
    return SIDE * cell + 1


class DrawingRow(QWidget):
    """Lays out ``pad`` (a `DrawingPad`), ``inputs`` (a `NetworkInputPane`), ``strokes`` (a
    `StrokeInputPane`) and ``answers`` (an `AnswersPane`) side by side; `side` and `cell` are the
    canvas's side on screen and the inputs' magnification chosen for the row's size."""

    def __init__(self, pad, inputs, strokes, answers, parent=None):
        super().__init__(parent)
        self.pad, self.inputs, self.strokes, self.answers = pad, inputs, strokes, answers
        for widget in (pad, inputs, strokes, answers):
            widget.setParent(self)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.side, self.cell = pad.canvas.width(), MIN_CELL
        self._minimum: QSize | None = None

    # --- sizes -----------------------------------------------------------------------------------
    @staticmethod
    def cell_for(side: int) -> int:
        """The inputs' magnification beside a canvas ``side`` pixels a side: about half its side."""
        return max(MIN_CELL, round(side / (2 * SIDE)))

    def _answers_width(self) -> int:
        return self.answers.minimumSizeHint().width()

    @staticmethod
    def _column_width(pane: QWidget, cell: int) -> int:
        """An input column's width: its view's, or its title's (the first thing in it) if that is wider."""
        return max(view_side(cell), pane.layout().itemAt(0).widget().sizeHint().width())

    def _inputs_width(self, cell: int) -> int:
        return self._column_width(self.inputs, cell) + INPUTS_GAP + self._column_width(self.strokes, cell)

    def width_for(self, side: int, cell: int) -> int:
        """The row's width with the canvas ``side`` pixels a side and the inputs magnified ``cell`` times."""
        return self.pad.size_for(side).width() + 2 * COLUMN_GAP + self._inputs_width(cell) + self._answers_width()

    def _inputs_height(self, cell: int) -> int:
        """The taller of the two input columns with the inputs magnified ``cell`` times."""
        return max(self.inputs.minimumSizeHint().height() - self.inputs.input_view.height(),
                   self.strokes.minimumSizeHint().height() - self.strokes.view.height()) + view_side(cell)

    def height_for(self, side: int, cell: int) -> int:
        """The row's height with the canvas ``side`` pixels a side and the inputs magnified ``cell`` times."""
        return max(self.pad.size_for(side).height(), self._inputs_height(cell), self._answers_height())

    def _answers_height(self) -> int:
        # one more line than now: a verdict or a reader's name that wraps later must not grow the window
        return self.answers.minimumSizeHint().height() + self.answers.fontMetrics().lineSpacing() + 4

    def minimumSizeHint(self) -> QSize:
        if self._minimum is None:   # once: the window's minimum size never follows what is shown
            self._minimum = QSize(self.width_for(MIN_SIDE, MIN_CELL), self.height_for(MIN_SIDE, MIN_CELL))
        return self._minimum

    def sizeHint(self) -> QSize:
        """The canvas at its own size (one screen pixel per canvas unit)."""
        side = self.pad.canvas.drawing.canvas_size
        cell = self.cell_for(side)
        return QSize(self.width_for(side, cell), self.height_for(side, cell)).expandedTo(self.minimumSizeHint())

    def fit(self, width: int, height: int) -> tuple[int, int]:
        """The largest canvas side (and the inputs' magnification beside it) that fits ``width`` x ``height``:
        the canvas first, then inputs as large as the width leaves room for."""
        below = self.pad.size_for(0).height()                 # the pad's title and pen row
        framed = self.pad.size_for(10_000).width() - 10_000   # the canvas's frame
        pen_row = self.pad.size_for(0).width()                # the narrowest the pad can be
        others = 2 * COLUMN_GAP + self._answers_width()
        inputs = {cell: self._inputs_width(cell) for cell in range(MIN_CELL, self.cell_for(max(height, width)) + 1)}

        def needed(side: int, cell: int) -> int:
            return max(side + framed, pen_row) + inputs[cell] + others

        largest = min(height - below, width - others - inputs[MIN_CELL] - framed)
        for side in range(max(largest, MIN_SIDE), MIN_SIDE - 1, -1):
            cell = self.cell_for(side)
            while cell > MIN_CELL and needed(side, cell) > width:
                cell -= 1
            if needed(side, cell) <= width:
                return side, cell
        return MIN_SIDE, MIN_CELL

    # --- layout ----------------------------------------------------------------------------------
    def _place(self) -> None:
        side, cell = self.fit(self.width(), self.height())
        if (side, cell) != (self.side, self.cell) or self.pad.canvas.width() != side:
            self.side, self.cell = side, cell
            self.pad.set_canvas_side(side)
            self.inputs.set_cell(cell)
            self.strokes.set_side(view_side(cell))
        height = self.height()
        x = 0
        for widget, width, gap in ((self.pad, self.pad.size_for(side).width(), COLUMN_GAP),
                                   (self.inputs, self._column_width(self.inputs, cell), INPUTS_GAP),
                                   (self.strokes, self._column_width(self.strokes, cell), COLUMN_GAP)):
            # each column as tall as its contents (the input columns have no room to spare at their foot)
            widget.setGeometry(x, 0, width, height if widget is self.pad else min(height, widget.sizeHint().height()))
            x += width + gap
        self.answers.setGeometry(x, 0, max(self.width() - x, self._answers_width()), height)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place()

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:   # a column's contents changed: place them again
            self._place()
        return super().event(event)
