"""The main window's look shared by its panes: muted text and the small capitals over each column; and a
word-wrapped label that keeps the height of all its lines (`WrappedLabel`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

MUTED = "#6b7280"


class WrappedLabel(QLabel):
    """A word-wrapped label that asks for the height of all its lines at its width, so that a form or a
    dialog never gives it less and cuts its last line (a layout asks a wrapped label for its height at
    some width of its own choosing, not at the width it then gives it)."""

    def __init__(self, text: str = "", parent=None):
        super().__init__(text, parent)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

    def _fit(self) -> None:
        if self.width() <= 0:
            return
        self.setMinimumHeight(0)   # QLabel.heightForWidth is never below the minimum height: a shorter text
        self.setMinimumHeight(max(self.heightForWidth(self.width()), 0))   # would keep a longer one's

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()


def section_label(text: str) -> QLabel:
    """A column's heading (``text`` already translated), in small muted capitals."""
    label = QLabel(text.upper())
    label.setStyleSheet(f"color: {MUTED}; font-size: 8pt; font-weight: 700; letter-spacing: 1px;")
    return label


def column(widget: QWidget, title: str, *parts: QWidget | QLayout) -> QVBoxLayout:
    """Lay ``widget`` out as one of the main window's columns: ``title`` (translated) in small capitals
    over ``parts``, top to bottom with no spacing between rows, the free height below them."""
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(section_label(title))
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addStretch(1)
    return layout
