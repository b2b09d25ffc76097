"""Showing a model's softmax output: the predicted digit, a plain-words verdict and ten bars."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

ACCENT = QColor("#2563eb")
BAR = QColor("#bfd2f8")
TRACK = QColor("#eef1f5")
UNSURE = "#b45309"

# Pairs of digits that people's handwriting (and MNIST models) often mix up.
CONFUSABLE = {frozenset(pair) for pair in ((1, 7), (4, 9), (1, 4), (4, 7), (3, 5), (5, 6), (7, 9), (3, 8),
                                           (8, 9), (2, 7), (0, 6))}
CLOSE_SECOND = 0.25        # a runner-up above this is a real alternative
CLOSE_RATIO = 0.5          # ... as is one at least half as likely as the winner
CONFUSABLE_SECOND = 0.08   # a confusable runner-up counts from this probability


@dataclass(frozen=True)
class Verdict:
    """The prediction in words: ``digit`` is None for an empty canvas."""

    digit: int | None
    text: str
    unsure: bool


def verdict(probabilities: np.ndarray | None) -> Verdict:
    """Say what the model thinks, and plainly when it hesitates between two digits (in the
    application's language)."""
    if probabilities is None:
        return Verdict(None, QCoreApplication.translate("Verdict", "draw a digit"), False)
    order = np.argsort(probabilities)[::-1]
    first, second = int(order[0]), int(order[1])
    p1, p2 = float(probabilities[first]), float(probabilities[second])
    close = p2 > CLOSE_SECOND or p2 > CLOSE_RATIO * p1
    confusable = frozenset((first, second)) in CONFUSABLE and p2 > CONFUSABLE_SECOND
    if close or confusable:
        return Verdict(first, QCoreApplication.translate("Verdict", "unsure: {0} or {1}").format(first, second), True)
    return Verdict(first, QCoreApplication.translate("Verdict", "{0:.0%} sure it is a {1}").format(p1, first), False)


class ProbabilityBars(QWidget):
    """Ten horizontal bars, digits 0-9, with percentages; the most likely digit is highlighted."""

    ROW = 24

    def __init__(self, parent=None):
        super().__init__(parent)
        self.probabilities: np.ndarray | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(200)

    def sizeHint(self) -> QSize:
        return QSize(260, self.ROW * 10)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.ROW * 10)

    def set_probabilities(self, probabilities: np.ndarray | None) -> None:
        self.probabilities = None if probabilities is None else np.asarray(probabilities, np.float64)
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        metrics_width = painter.fontMetrics().horizontalAdvance("100.0%")
        label_w, value_w = 22, metrics_width + 10
        track_w = max(self.width() - label_w - value_w, 10)
        top = None if self.probabilities is None else int(np.argmax(self.probabilities))
        for digit in range(10):
            y = digit * self.ROW
            p = 0.0 if self.probabilities is None else float(self.probabilities[digit])
            is_top = digit == top
            font.setBold(is_top)
            painter.setFont(font)
            painter.setPen(ACCENT if is_top else self.palette().windowText().color())
            painter.drawText(QRectF(0, y, label_w, self.ROW), Qt.AlignmentFlag.AlignVCenter, str(digit))
            track = QRectF(label_w, y + 5, track_w, self.ROW - 10)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK)
            painter.drawRoundedRect(track, 3, 3)
            if p > 0:
                painter.setBrush(ACCENT if is_top else BAR)
                painter.drawRoundedRect(QRectF(track.left(), track.top(), max(track_w * p, 2), track.height()), 3, 3)
            painter.setPen(ACCENT if is_top else self.palette().windowText().color())
            text = "–" if self.probabilities is None else f"{p:.1%}"
            painter.drawText(QRectF(label_w + track_w, y, value_w, self.ROW),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, text)


class PredictionPanel(QWidget):
    """One model's view of the drawing: its name, the digit in large type, the verdict and the bars."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel()
        self.title.setStyleSheet("color: #4b5563; font-weight: 600;")
        self.title.setWordWrap(True)
        self.digit = QLabel("–")
        self.digit.setAlignment(Qt.AlignmentFlag.AlignCenter)
        big = QFont(self.font())
        big.setPointSize(48)
        big.setBold(True)
        self.digit.setFont(big)
        self.digit.setMinimumHeight(80)
        self.verdict_label = QLabel()
        self.verdict_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        verdict_font = QFont(self.font())
        verdict_font.setPointSize(verdict_font.pointSize() + 2)
        self.verdict_label.setFont(verdict_font)
        self.bars = ProbabilityBars()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        for widget in (self.title, self.digit, self.verdict_label, self.bars):
            layout.addWidget(widget)
        self.setMaximumWidth(460)
        self.show_probabilities(None)

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def show_probabilities(self, probabilities: np.ndarray | None) -> Verdict:
        said = verdict(probabilities)
        self.digit.setText("–" if said.digit is None else str(said.digit))
        self.digit.setStyleSheet(f"color: {UNSURE if said.unsure else ACCENT.name()};" if said.digit is not None
                                 else "color: #9ca3af;")
        self.verdict_label.setText(said.text)
        self.verdict_label.setStyleSheet(f"color: {UNSURE}; font-weight: 600;" if said.unsure else "")
        self.bars.set_probabilities(probabilities)
        return said
