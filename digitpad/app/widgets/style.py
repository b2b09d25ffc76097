"""The main window's look shared by its panes: muted text and the small capitals over each column."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLayout, QVBoxLayout, QWidget

MUTED = "#6b7280"


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
