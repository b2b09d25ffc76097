"""The main window's model row: the model the session reads with and, ticked, the one compared with it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QMessageBox, QWidget

from digitpad.app.model_labels import model_label
from digitpad.errors import DigitpadError


class ModelChooser(QWidget):
    """Lists the session's models (an unreadable one greyed out, the reason as its tooltip) and chooses
    with it; a model that cannot be used is said in a message box and the choice stays."""

    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.session = session
        self.model_combo = QComboBox()
        self.model_combo.setMinimumContentsLength(28)
        self.model_combo.activated.connect(self._model_chosen)
        self.compare_box = QCheckBox(self.tr("Compare with"))
        self.compare_box.toggled.connect(self._compare_toggled)
        self.compare_combo = QComboBox()
        self.compare_combo.setMinimumContentsLength(28)
        self.compare_combo.activated.connect(self._compare_chosen)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(QLabel(self.tr("Model")))
        row.addWidget(self.model_combo)
        row.addSpacing(16)
        row.addWidget(self.compare_box)
        row.addWidget(self.compare_combo)
        row.addStretch(1)
        session.models_listed.connect(self._list)
        session.readers_changed.connect(self._show_choice)
        self._list()
        self._show_choice()

    def _list(self) -> None:
        """Fill both lists with the session's models, keeping the current choices."""
        session = self.session
        known = {entry.path for entry in session.entries}
        extra = [p for p in (session.model_path, session.compare_path) if p is not None and p not in known]
        for combo, current in ((self.model_combo, session.model_path), (self.compare_combo, session.compare_path)):
            combo.blockSignals(True)
            combo.clear()
            for entry in session.entries:
                combo.addItem(model_label(entry), str(entry.path))
                if entry.problem:
                    combo.model().item(combo.count() - 1).setEnabled(False)
                    combo.setItemData(combo.count() - 1, self.tr("This model cannot be used: {0}").format(entry.problem),
                                      Qt.ItemDataRole.ToolTipRole)
            for path in extra:
                combo.addItem(self.tr("{0} (file)").format(path.stem), str(path))
            if current is not None:
                combo.setCurrentIndex(combo.findData(str(current)))
            combo.blockSignals(False)

    def _show_choice(self) -> None:
        session = self.session
        self.compare_box.blockSignals(True)
        self.compare_box.setChecked(session.comparing)
        self.compare_box.blockSignals(False)
        self.compare_combo.setEnabled(session.comparing)
        for combo, current in ((self.model_combo, session.model_path), (self.compare_combo, session.compare_path)):
            if current is not None:
                combo.setCurrentIndex(combo.findData(str(current)))

    def select(self, path: Path) -> bool:
        """Read with the model at ``path``; on a bad file say why and keep the current model."""
        return self._try(self.session.select_model, Path(path))

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
        data = self.model_combo.currentData()
        if data and Path(data) != self.session.model_path:
            self.select(Path(data))

    def _compare_chosen(self, _index: int) -> None:
        data = self.compare_combo.currentData()
        if data:
            self._try(self.session.set_compare, Path(data))

    def _compare_toggled(self, on: bool) -> None:
        self._try(self.session.set_comparing, on)
