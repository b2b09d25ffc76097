"""Showing a reader's answer: the predicted digit, its verdict in the app's language and ten bars (dimmed,
with no digit highlighted, when the drawing does not look like a digit); and the main window's column
with the answers of the chosen and the compared reader (each an image network, a stroke model or both,
combined) and the buttons that correct them."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from digitpad.app.i18n import percent
from digitpad.app.model_labels import reader_title
from digitpad.app.widgets.style import column
from digitpad.drawing.trajectory import NOT_A_DIGIT
from digitpad.reading.reader import NO_STROKES_TEXT, TOO_SMALL_TEXT, Answer

ACCENT = QColor("#2563eb")
BAR = QColor("#bfd2f8")
TRACK = QColor("#eef1f5")
DIMMED = QColor("#d1d5db")        # the bars of a drawing that does not look like a digit
DIMMED_TEXT = QColor("#9ca3af")   # ... their digits and percentages, and a dash for the large digit
UNSURE = "#b45309"


def verdict_text(answer: Answer) -> str:
    """The answer's verdict (`Answer.text`, English) in the application's language."""
    if answer.digit is None:
        if answer.text == NO_STROKES_TEXT:
            return QCoreApplication.translate("Verdict", "no strokes to read")   # short: the panel has one line for it
        if answer.text == TOO_SMALL_TEXT:
            return QCoreApplication.translate("Verdict", "too small to read: draw bigger")
        return QCoreApplication.translate("Verdict", "draw a digit")
    if answer.not_a_digit:
        return QCoreApplication.translate("Verdict", "this doesn't look like a digit")
    if answer.unsure:
        return QCoreApplication.translate("Verdict", "unsure: {0} or {1}").format(answer.digit, answer.runner_up)
    return QCoreApplication.translate("Verdict", "{0} sure it is a {1}").format(
        percent(float(answer.probabilities[answer.digit]), 0), answer.digit)


class ProbabilityBars(QWidget):
    """Ten horizontal bars, digits 0-9, with percentages; the most likely digit is highlighted, unless the
    bars are ``dimmed`` (grey, nothing highlighted: the drawing does not look like a digit).  A row is
    ``ROW`` pixels high, down to ``MIN_ROW`` in a small window and up to ``MAX_ROW`` in a tall one."""

    ROW, MIN_ROW, MAX_ROW = 22, 15, 30

    def __init__(self, parent=None):
        super().__init__(parent)
        self.probabilities: np.ndarray | None = None
        self.dimmed = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumWidth(200)
        self.setMaximumHeight(self.MAX_ROW * 10)

    def sizeHint(self) -> QSize:
        return QSize(260, self.ROW * 10)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, self.MIN_ROW * 10)

    def set_probabilities(self, probabilities: np.ndarray | None, dimmed: bool = False) -> None:
        """Show ``probabilities`` (10,) (None: empty bars), grey and with no digit highlighted if ``dimmed``."""
        self.probabilities = None if probabilities is None else np.asarray(probabilities, np.float64)
        self.dimmed = dimmed
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        metrics_width = painter.fontMetrics().horizontalAdvance(percent(1.0, 1))
        label_w, value_w = 22, metrics_width + 10
        track_w = max(self.width() - label_w - value_w, 10)
        top = None if self.probabilities is None or self.dimmed else int(np.argmax(self.probabilities))
        text_colour = DIMMED_TEXT if self.dimmed else self.palette().windowText().color()
        row = self.height() / 10
        inset = row * 5 / self.ROW   # the track's margin above and below, in proportion
        for digit in range(10):
            y = digit * row
            p = 0.0 if self.probabilities is None else float(self.probabilities[digit])
            is_top = digit == top
            font.setBold(is_top)
            painter.setFont(font)
            painter.setPen(ACCENT if is_top else text_colour)
            painter.drawText(QRectF(0, y, label_w, row), Qt.AlignmentFlag.AlignVCenter, str(digit))
            track = QRectF(label_w, y + inset, track_w, row - 2 * inset)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(TRACK)
            painter.drawRoundedRect(track, 3, 3)
            if p > 0:
                painter.setBrush(ACCENT if is_top else DIMMED if self.dimmed else BAR)
                painter.drawRoundedRect(QRectF(track.left(), track.top(), max(track_w * p, 2), track.height()), 3, 3)
            painter.setPen(ACCENT if is_top else text_colour)
            text = "–" if self.probabilities is None else percent(p, 1)
            painter.drawText(QRectF(label_w + track_w, y, value_w, row),
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
        # the height of the digits' ink and a margin, not the font's line (room for accents and descenders
        # a digit never has): the answers fit beside a canvas in a small window
        self.digit.setFixedHeight(QFontMetrics(big).tightBoundingRect("0123456789").height() + 14)
        self.verdict_label = QLabel()
        self.verdict_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict_label.setWordWrap(True)   # a long verdict must not widen the window
        verdict_font = QFont(self.font())
        verdict_font.setPointSize(verdict_font.pointSize() + 2)
        self.verdict_label.setFont(verdict_font)
        self.bars = ProbabilityBars()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        for widget in (self.title, self.digit, self.verdict_label, self.bars):
            layout.addWidget(widget)
        self.setMaximumWidth(460)
        self.show_answer(None)

    def set_title(self, text: str, tooltip: str = "") -> None:
        self.title.setText(text)
        self.title.setToolTip(tooltip)

    def show_answer(self, answer: Answer | None) -> None:
        """Show a model's answer; None (no model) shows what an empty drawing does.  A drawing that does
        not look like a digit shows a dash, not a digit, and its bars dimmed."""
        said = answer or Answer.from_probabilities(None)
        shown = said.digit is not None and not said.not_a_digit
        self.digit.setText(str(said.digit) if shown else "–")
        self.digit.setStyleSheet(f"color: {UNSURE if said.unsure else ACCENT.name()};" if shown
                                 else f"color: {DIMMED_TEXT.name()};")
        self.verdict_label.setText(verdict_text(said))
        self.verdict_label.setToolTip(self._verdict_tooltip(said))
        self.verdict_label.setStyleSheet(f"color: {UNSURE}; font-weight: 600;" if said.unsure
                                         else "font-weight: 600;" if said.not_a_digit else "")
        self.bars.set_probabilities(said.probabilities, dimmed=said.not_a_digit)

    @staticmethod
    def _verdict_tooltip(answer: Answer) -> str:
        """What the verdict leaves unsaid: why a picture has no answer, what the dimmed bars are."""
        if answer.text == NO_STROKES_TEXT:
            return QCoreApplication.translate("Verdict",
                                              "A stroke model reads the path of the pen: an opened picture has none.")
        if answer.not_a_digit:
            return QCoreApplication.translate(
                "Verdict", "The stroke model gives {0} to “not a digit”. The dimmed bars say which digit it "
                "would be if it were one.").format(percent(answer.not_a_digit_score, 0))
        return ""


class AnswersPane(QWidget):
    """The ``session``'s answers: the chosen model's `panel` and, while comparing, the `compare_panel`
    beside it; ``correct(label)`` when a correction button is clicked: a digit (`correct_buttons`) or
    `NOT_A_DIGIT` (`not_a_digit_button`)."""

    correct = Signal(int)

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.panel = PredictionPanel()
        self.compare_panel = PredictionPanel()
        self.compare_panel.hide()
        panels = QHBoxLayout()
        panels.setSpacing(24)
        panels.addWidget(self.panel, 1)
        panels.addWidget(self.compare_panel, 1)
        self.correct_buttons = []
        correct_row = QHBoxLayout()
        correct_row.addWidget(QLabel(self.tr("Wrong? Correct it:")))
        for digit in range(10):
            button = QPushButton(str(digit))
            button.setFixedWidth(32)
            button.setToolTip(self.tr("This is a {0}: store the drawing in my digits").format(digit))
            button.clicked.connect(lambda _=False, d=digit: self.correct.emit(d))
            self.correct_buttons.append(button)
            correct_row.addWidget(button)
        self.not_a_digit_button = QPushButton(self.tr("Not a digit"))
        self.not_a_digit_button.setToolTip(self.tr("This is not a digit: store the drawing in my digits as a "
                                                   "drawing that is not one"))
        self.not_a_digit_button.clicked.connect(lambda _=False: self.correct.emit(NOT_A_DIGIT))
        correct_row.addWidget(self.not_a_digit_button)
        correct_row.addStretch(1)
        layout = column(self, self.tr("Prediction"), panels, correct_row)
        layout.setStretch(1, 1)   # a tall window: the bars grow (up to their largest) as much as the room below
        session.readers_changed.connect(self._show_readers)
        session.answer_changed.connect(self._answered)
        self._show_readers()

    def _show_readers(self) -> None:
        session = self.session
        chosen = session.choice if session.reader is not None else None
        title, tooltip = reader_title(session, chosen), reader_title(session, chosen, full=True)
        if chosen is not None and session.reader.taught:   # reading with the user's handwriting (Session.teaching)
            title = self.tr("{0} · your handwriting").format(title)
            tooltip += "\n" + self.tr("Taught your drawings in My digits (Model → Read with my handwriting)")
        self.panel.set_title(title, tooltip)
        compared = session.compare_choice
        self.compare_panel.set_title(reader_title(session, compared) if compared else "",
                                     reader_title(session, compared, full=True) if compared else "")
        self.compare_panel.setVisible(session.comparing)

    def _answered(self, prediction) -> None:
        answers = prediction.answers + [None] * (2 - len(prediction.answers))
        self.panel.show_answer(answers[0])
        self.compare_panel.show_answer(answers[1])
