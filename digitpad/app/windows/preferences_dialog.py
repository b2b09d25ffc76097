"""Edit → Preferences…: the data folder (`digitpad.app.data_folder`) -- which one the app reads data from,
change it, go back to the default folders -- and which data sets are found with it."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QFileDialog, QGridLayout, QGroupBox, QLabel, QLineEdit, QPushButton,
                               QVBoxLayout)

from digitpad.app import data_folder
from digitpad.app.widgets.style import MUTED, WrappedLabel
from digitpad.app.workers import button_row
from digitpad.data import mnist

FOUND_COLOUR = "#15803d"


class PreferencesDialog(QDialog):
    """The data folder, shown and changed at once (remembered in the settings); `refresh` reads it again."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preferences"))
        self.folder = QLineEdit()
        self.folder.setReadOnly(True)
        self.folder.setMinimumWidth(420)
        self.folder_hint = WrappedLabel()
        self.folder_hint.setStyleSheet(f"color: {MUTED};")
        self.choose_button = QPushButton(self.tr("Choose folder…"))
        self.choose_button.clicked.connect(self.choose)
        self.default_button = QPushButton(self.tr("Use the default folders"))
        self.default_button.clicked.connect(lambda: self.set_folder(None))

        self.found: dict[str, QLabel] = {}
        sets = QGridLayout()
        sets.setColumnStretch(1, 1)
        sets.setHorizontalSpacing(16)
        for row, (name, title) in enumerate(data_folder.titles().items()):
            sets.addWidget(QLabel(title), row, 0, Qt.AlignmentFlag.AlignTop)
            label = self.found[name] = WrappedLabel()
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            sets.addWidget(label, row, 1)
        placement = WrappedLabel(data_folder.placement_text())
        placement.setStyleSheet(f"color: {MUTED};")

        box = QGroupBox(self.tr("Data"))
        layout = QVBoxLayout(box)
        layout.addWidget(QLabel(self.tr("The folder the app reads its data sets from:")))
        layout.addWidget(self.folder)
        layout.addWidget(self.folder_hint)
        layout.addLayout(button_row(self.choose_button, self.default_button))
        layout.addSpacing(8)
        layout.addWidget(QLabel(self.tr("Found there:")))
        layout.addLayout(sets)
        layout.addSpacing(4)
        layout.addWidget(placement)
        close = QPushButton(self.tr("Close"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        outer = QVBoxLayout(self)
        outer.addWidget(box)
        outer.addStretch(1)
        outer.addLayout(button_row(close))
        self.refresh()
        self.resize(max(640, self.sizeHint().width()), self.sizeHint().height())

    def refresh(self) -> None:
        """Show the data folder and where each data set is found with it."""
        chosen, used = data_folder.remembered_folder(), data_folder.data_dir()
        if used is not None:
            self.folder.setText(str(used))
            hint = self.tr("Chosen by you. Downloads go there too.")
            if os.environ.get(mnist.ENV_VAR):   # a chosen folder comes first
                hint = self.tr("{0} DIGITPAD_DATA_DIR is not used while a folder is chosen.").format(hint)
            self.folder_hint.setText(hint)
        else:
            self.folder.setText(self.tr("The default folders"))
            searched = ", ".join(data_folder.shown(folder) for folder in data_folder.searched())
            hint = self.tr("Searched in this order: {0}. Downloads go to {1}.").format(
                searched, data_folder.shown(data_folder.download_dir()))
            if chosen is not None:   # remembered, but not there now
                hint = self.tr("{0} is not there now. {1}").format(data_folder.shown(chosen), hint)
            self.folder_hint.setText(hint)
        self.folder.setToolTip(self.folder.text())
        self.folder.setCursorPosition(0)
        self.default_button.setEnabled(chosen is not None)
        for name, label in self.found.items():
            where = data_folder.find(name, used)
            if where is None:
                label.setText(self.tr("not found"))
                label.setStyleSheet(f"color: {MUTED};")
            else:
                label.setText(self.tr("found in {0}").format(self.place(where, used)))
                label.setStyleSheet(f"color: {FOUND_COLOUR};")

    def place(self, where: Path, folder: Path | None) -> str:
        """Where a set was found, said from the data folder: "the folder", "pendigits/ in it", "../uji"."""
        if folder is None:
            return data_folder.shown(where)
        if where == folder:
            return self.tr("the folder")
        if where.parent == folder:
            return self.tr("{0}/ in it").format(where.name)
        if where.parent == folder.parent:
            return self.tr("{0}/ beside it").format(where.name)
        return data_folder.shown(where)

    def choose(self) -> None:
        start = data_folder.remembered_folder() or Path.home()
        picked = QFileDialog.getExistingDirectory(self, self.tr("Data folder"), str(start))
        if picked:
            self.set_folder(data_folder.holding(Path(picked), ["mnist"]) or Path(picked))

    def set_folder(self, folder: Path | None) -> None:
        """Make ``folder`` the data folder (None: the default folders), remembered, and show it."""
        data_folder.keep(self, folder)
        self.refresh()
