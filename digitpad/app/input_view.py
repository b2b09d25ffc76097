"""The network's exact 28x28 input, magnified, with a visible pixel grid."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QWidget

from digitpad.app.images import grey_qimage

SIDE = 28


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
