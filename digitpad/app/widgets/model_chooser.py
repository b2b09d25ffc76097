"""The main window's model row: the reader the session reads with and, ticked, the one compared with it.

Both lists offer the same readers (`digitpad.app.readers.reader_options`), in three groups: the
picture and the pen (an image network with a stroke model, combined), the picture only (an image
network), the pen only (a stroke model); a file that cannot be read is listed greyed out."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QMessageBox, QWidget

from digitpad.app.model_labels import group_title, option_label, option_tooltip
from digitpad.app.readers import ReaderChoice
from digitpad.errors import DigitpadError


class ModelChooser(QWidget):
    """Lists the session's readers (an unreadable model greyed out, the reason as its tooltip) and chooses
    with it; a reader that cannot be used is said in a message box and the choice stays.  Each item's
    data is its choice's ``spec``."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.choices: dict[str, ReaderChoice] = {}   # spec → choice, for the items listed
        self.model_combo = QComboBox()
        self.model_combo.setMinimumContentsLength(24)
        self.model_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.model_combo.activated.connect(self._model_chosen)
        self.compare_box = QCheckBox(self.tr("Compare with"))
        self.compare_box.toggled.connect(self._compare_toggled)
        self.compare_combo = QComboBox()
        self.compare_combo.setMinimumContentsLength(24)
        self.compare_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.compare_combo.activated.connect(self._compare_chosen)
        for combo in (self.model_combo, self.compare_combo):
            combo.setToolTip(self.tr("Picture and pen: an image network reads the picture and a stroke model the "
                                     "path of the pen, and their answers are combined.\nPicture only: an image "
                                     "network.  Pen only: a stroke model (it cannot read an opened picture)."))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(QLabel(self.tr("Read with")))
        row.addWidget(self.model_combo, 1)
        row.addSpacing(16)
        row.addWidget(self.compare_box)
        row.addWidget(self.compare_combo, 1)
        row.addStretch(0)
        session.models_listed.connect(self._list)
        session.readers_changed.connect(self._show_choice)
        self._list()
        self._show_choice()

    def _list(self) -> None:
        """Fill both lists with the session's readers, keeping the current choices."""
        session = self.session
        options = session.options()
        self.choices = {o.choice.spec: o.choice for o in options if o.choice is not None}
        for combo, current in ((self.model_combo, session.choice), (self.compare_combo, session.compare_choice)):
            combo.blockSignals(True)
            combo.clear()
            for option in options:
                if option.choice is None:   # a group's header: not selectable
                    combo.addItem(group_title(option.group))
                    item = combo.model().item(combo.count() - 1)
                    item.setEnabled(False)
                    font = QFont(combo.font())
                    font.setBold(True)
                    item.setFont(font)
                    continue
                combo.addItem(option_label(option), option.choice.spec)
                combo.setItemData(combo.count() - 1, option_tooltip(option), Qt.ItemDataRole.ToolTipRole)
                if option.problem is not None:
                    combo.model().item(combo.count() - 1).setEnabled(False)
            if current is not None and current.spec not in self.choices:   # not in the catalogue (yet)
                self.choices[current.spec] = current
                combo.addItem(self.tr("{0} (file)").format(current.name), current.spec)
            self._show(combo, current)
            combo.blockSignals(False)

    @staticmethod
    def _show(combo: QComboBox, choice: ReaderChoice | None) -> None:
        if choice is not None:
            combo.setCurrentIndex(combo.findData(choice.spec))

    def _show_choice(self) -> None:
        session = self.session
        self.compare_box.blockSignals(True)
        self.compare_box.setChecked(session.comparing)
        self.compare_box.blockSignals(False)
        self.compare_combo.setEnabled(session.comparing)
        for combo, current in ((self.model_combo, session.choice), (self.compare_combo, session.compare_choice)):
            self._show(combo, current)

    def select(self, choice: ReaderChoice | Path | str) -> bool:
        """Read with ``choice`` (a reader choice, a model file or a spec); on a bad file say why and keep
        the current reader."""
        return self._try(self.session.select, choice)

    def unusable(self, problem: str) -> None:
        QMessageBox.critical(self, self.tr("Cannot use this model"), self.tr("This model cannot be used: {0}").format(problem))

    def _try(self, change, *args) -> bool:
        try:
            change(*args)
        except DigitpadError as exc:
            self.unusable(str(exc))
            return False
        return True

    def _model_chosen(self, _index: int) -> None:
        choice = self.choices.get(self.model_combo.currentData())
        if choice is not None and choice != self.session.choice:
            self.select(choice)

    def _compare_chosen(self, _index: int) -> None:
        choice = self.choices.get(self.compare_combo.currentData())
        if choice is not None:
            self._try(self.session.set_compare, choice)

    def _compare_toggled(self, on: bool) -> None:
        self._try(self.session.set_comparing, on)
