"""The network's exact 28x28 input, magnified, with a visible pixel grid; and the main window's column
that shows it with the input mode and the time from canvas to probabilities."""

from __future__ import annotations

import statistics

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from digitpad.app.i18n import number
from digitpad.app.images import grey_qimage
from digitpad.app.widgets.style import MUTED, column
from digitpad.drawing.network_input import SIDE


class InputView(QWidget):
    """Paints a (28, 28) image in [0, 1] at ``cell`` screen pixels per input pixel, grid included."""

    def __init__(self, cell: int = 6, parent=None):
        super().__init__(parent)
        self.cell = cell
        self.digit: np.ndarray | None = None
        self.setFixedSize(self.sizeHint())
        self.setToolTip(self.tr("What the network sees: the drawing as a 28×28 MNIST-style input"))

    def sizeHint(self) -> QSize:
        return QSize(SIDE * self.cell + 1, SIDE * self.cell + 1)

    def set_cell(self, cell: int) -> None:
        """Show each input pixel ``cell`` screen pixels a side (the main window scales it with the canvas)."""
        self.cell = cell
        self.setFixedSize(self.sizeHint())
        self.update()

    def set_digit(self, digit: np.ndarray | None) -> None:
        self.digit = None if digit is None else np.asarray(digit)
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        side = SIDE * self.cell
        painter.fillRect(self.rect(), QColor("black"))
        if self.digit is not None:
            painter.drawImage(QRect(0, 0, side, side), grey_qimage(self.digit))
        painter.setPen(QPen(QColor(70, 70, 80), 1))
        for i in range(SIDE + 1):
            painter.drawLine(i * self.cell, 0, i * self.cell, side)
            painter.drawLine(0, i * self.cell, side, i * self.cell)
        if self.digit is None:
            painter.setPen(QColor("#9ca3af"))
            painter.drawText(QRect(0, 0, side, side), Qt.AlignmentFlag.AlignCenter, self.tr("28 × 28 input"))


class NetworkInputPane(QWidget):
    """What the ``session``'s readers are shown (`input_view`), the input mode (`mode_combo`) and the
    latency of the live prediction (`latency_label`), following each answer.  While a picture is open the
    input mode does not apply (a picture has no strokes: it is image-normalised, `Drawing.from_picture`):
    the switch is disabled and hidden, and `picture_label` says so in its place."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.input_view = InputView(cell=6)
        self.latency_label = QLabel(self.tr("canvas → probabilities:") + "\n–")
        self.latency_label.setStyleSheet(f"color: {MUTED};")
        self.latency_label.setFixedWidth(self.input_view.width())
        self.latency_label.setWordWrap(True)
        self.latency_label.setToolTip(self.tr("Time from canvas to probabilities: drawing_to_input (to_mnist for a picture) + predict_proba"))
        self.mode_combo = QComboBox()
        self.mode_combo.addItem(self.tr("Strokes redrawn"), "strokes")
        self.mode_combo.addItem(self.tr("Your pen as drawn"), "image")
        self.mode_combo.setToolTip(self.tr(
            "What the network sees of a drawing: its strokes redrawn as thick as MNIST's digits, whatever the pen "
            "(a fat pen no longer fills loops), or the pixels of your pen, thin strokes thickened"))
        self.mode_combo.setFixedWidth(self.input_view.width())
        self.mode_combo.activated.connect(self._mode_chosen)
        self.picture_label = QLabel(self.tr("Picture: image normalisation"))
        self.picture_label.setToolTip(self.tr(
            "An opened picture has no strokes to redraw: it is cropped, scaled and centred as MNIST's digits were "
            "(image normalisation), whatever the switch says for drawings. Draw, undo or clear to return to your "
            "drawing."))
        self.picture_label.setWordWrap(True)
        self.picture_label.setFixedWidth(self.input_view.width())
        self.picture_label.setMinimumHeight(self.mode_combo.sizeHint().height())
        self.picture_label.setStyleSheet("color: #374151; background: #e5e7eb; border-radius: 3px; padding: 2px 4px;")
        self.picture_label.hide()
        column(self, self.tr("Network input"), self.input_view, self.mode_combo, self.picture_label, self.latency_label)
        session.input_changed.connect(self._show_mode)
        session.answer_changed.connect(self._answered)
        self._show_mode()

    def set_cell(self, cell: int) -> None:
        """Magnify the input ``cell`` times; the mode and the latency below it keep its width."""
        self.input_view.set_cell(cell)
        self.latency_label.setFixedWidth(self.input_view.width())
        self.mode_combo.setFixedWidth(self.input_view.width())

    def _mode_chosen(self, _index: int) -> None:
        self.session.set_input_mode(self.mode_combo.currentData())

    def _show_mode(self) -> None:
        """The session's input mode; while a picture is open, what happens to a picture instead (the switch
        disabled and hidden: the mode applies to drawings)."""
        picture = self.session.picture is not None
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(self.session.input_mode))
        self.mode_combo.setEnabled(not picture)
        self.mode_combo.setVisible(not picture)
        self.picture_label.setVisible(picture)

    def _answered(self, prediction) -> None:
        self.input_view.set_digit(prediction.digit)
        latencies = self.session.latencies
        if latencies:
            median = statistics.median(latencies) * 1000
            self.latency_label.setText(self.tr("canvas → probabilities: {0} ms\nmedian {1} ms").format(
                number(prediction.seconds * 1000, 1), number(median, 1)))
