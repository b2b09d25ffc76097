"""Which reader a panel under the drawing follows while two are compared: the chosen one (its answer on
the left) or the compared one.  The "Why this digit?" and pen-width panels each hold one `ReaderSide`:
hidden while one reader reads, a choice of the two while two are compared, and each panel says which
it explains."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox

from digitpad.app.model_labels import reader_name
from digitpad.app.readers import ReaderChoice
from digitpad.reading.reader import Answer, Reader


class ReaderSide(QComboBox):
    """The reader a panel follows (`reader`, `choice`, `answer`): the ``session``'s chosen one, or, while
    two are compared and the user picks it here, the compared one.  Shown only while two are compared;
    ``picked()`` when the user picks the other.  It follows ``readers_changed`` before the panel that
    holds it (it connects first: create it before connecting the panel).  Give it its ``parent`` (the
    panel) at once: shown while comparing, a combo without one would be a window of its own."""

    picked = Signal()

    def __init__(self, session, parent):
        super().__init__(parent)
        self.session = session
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setToolTip(self.tr("While two readers are compared, which one this panel follows"))
        self.activated.connect(lambda _: self.picked.emit())
        session.readers_changed.connect(self.refresh)
        self.refresh()

    @property
    def comparing(self) -> bool:
        """Whether two readers are compared (the choice is offered)."""
        return self.session.comparing and self.session.compare_choice is not None

    @property
    def side(self) -> int:
        """0: the chosen reader; 1: the compared one (picked, compared and loaded)."""
        return 1 if self.comparing and self.currentIndex() == 1 and self.session.compared is not None else 0

    def pick(self, side: int) -> None:
        """Follow the chosen reader (0) or the compared one (1), as a click would."""
        self.setCurrentIndex(side if side < self.count() else 0)
        self.picked.emit()

    @property
    def choice(self) -> ReaderChoice | None:
        return self.session.compare_choice if self.side else self.session.choice

    @property
    def reader(self) -> Reader | None:
        return self.session.compared if self.side else self.session.reader

    @property
    def image_path(self) -> Path | None:
        """The followed reader's image network file (None: none)."""
        reader = self.reader
        return reader.path if reader is not None and reader.model is not None else None

    def answer(self) -> Answer | None:
        """The followed reader's latest answer (None: none yet)."""
        last = self.session.last
        answers = [] if last is None else last.answers
        return answers[self.side] if self.side < len(answers) else None

    def refresh(self) -> None:
        """The two readers' names (the pick kept), shown only while they are compared."""
        session, kept = self.session, max(self.currentIndex(), 0)
        self.blockSignals(True)
        self.clear()
        if self.comparing:
            self.addItem(self.tr("{0}, the reader on the left").format(reader_name(session.choice)))
            self.addItem(self.tr("{0}, the compared reader").format(reader_name(session.compare_choice)))
            self.setCurrentIndex(kept)
        self.blockSignals(False)
        self.setVisible(self.comparing)
