"""Model → My digits…: view, export, import and clear the personal data set ("teach it" samples: digits,
and drawings marked "not a digit", counted apart).  Import… adds the samples of a file Export… wrote
(`PersonalDataset.import_npz`: checked whole first; a file that is not one is a one-line message naming
it, and nothing is added)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from digitpad.app.i18n import number
from digitpad.app.widgets.thumbnails import ThumbnailGrid
from digitpad.data.personal import PersonalDataset, Sample
from digitpad.errors import DigitpadError, printable


class PersonalWindow(QWidget):
    """Thumbnails of the stored samples with their labels ("not a digit" for a negative); Export… writes
    an .npz, Import… adds one's samples, Clear… deletes all."""

    def __init__(self, dataset: PersonalDataset, parent=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.dataset = dataset
        self.setWindowTitle(self.tr("My digits"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.thumbnails = ThumbnailGrid(side=56)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.clicked.connect(self.refresh)
        self.export_button = QPushButton(self.tr("Export…"))
        self.export_button.clicked.connect(self.export)
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.setToolTip(self.tr("Add the digits of a file exported from My digits (here or on another "
                                              "computer); those already here are not added twice"))
        self.import_button.clicked.connect(self.import_dialog)
        self.clear_button = QPushButton(self.tr("Clear…"))
        self.clear_button.clicked.connect(self.clear)
        buttons = QHBoxLayout()
        buttons.addWidget(refresh)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.thumbnails, 1)
        layout.addLayout(buttons)
        self.resize(640, 480)
        self.refresh()

    def refresh(self) -> None:
        samples, problems = self.dataset.load()
        self.thumbnails.set_images([s.image for s in samples], [self.caption(s) for s in samples])
        digits = [s for s in samples if not s.not_a_digit]
        negatives = len(samples) - len(digits)
        folder = escape(printable(str(self.dataset.folder)))
        if samples:   # "5 digits (1: 2, 7: 3) and 2 drawings marked “not a digit”, kept in …"
            counts = ", ".join(self.tr("{0}: {1}").format(d, number(n)) for d in range(10)
                               if (n := sum(s.label == d for s in digits)))
            digits_text = self.tr("<b>{0}</b> digit(s)", "", len(digits)).format(number(len(digits)))
            negatives_text = self.tr("<b>{0}</b> drawing(s) marked “not a digit”", "", negatives).format(number(negatives))
            if digits and negatives:
                text = self.tr("{0} ({1}) and {2}, kept in {3}").format(digits_text, counts, negatives_text, folder)
            elif digits:
                text = self.tr("{0} ({1}), kept in {2}").format(digits_text, counts, folder)
            else:
                text = self.tr("{0}, kept in {1}").format(negatives_text, folder)
        else:
            text = self.tr("No digits yet. Draw one, then click the right digit, or “Not a digit”, under "
                           "“Correct it”. They are kept in {0}.").format(folder)
        if problems:
            text += ("<br><span style='color:#b45309'>" + self.tr("Skipped %n file(s) that cannot be used:", "", len(problems)) + "<br>" + "<br>".join(map(escape, problems)) + "</span>")
        self.summary.setText(text)
        self.export_button.setEnabled(bool(samples))
        self.clear_button.setEnabled(bool(samples or problems))

    def caption(self, sample: Sample) -> str:
        """A thumbnail's caption: the digit it is, or "not a digit"."""
        return self.tr("not a digit") if sample.not_a_digit else self.tr("label {0}").format(sample.label)

    def export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export my digits"), "my-digits.npz",
                                              self.tr("NumPy archive (*.npz)"))
        if not path:
            return
        try:
            count = self.dataset.export_npz(path)
        except (OSError, DigitpadError) as exc:
            QMessageBox.warning(self, self.tr("Export failed"), self.tr("Could not write {0}: {1}").format(path, exc))
            return
        self.summary.setText(self.tr("Exported {0} to {1} (images, labels, 10 for “not a digit”, and drawings; no "
                                     "pickle).").format(self.tr("{0} drawing(s)", "", count).format(number(count)), escape(printable(path))))

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import digits"), "", self.tr("NumPy archive (*.npz)"))
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path) -> bool:
        """Add the samples of the exported file ``path``; a file that cannot be imported is said in a message
        box (one line naming it) and nothing is added."""
        try:
            added, known = self.dataset.import_npz(path)
        except DigitpadError as exc:
            self.refresh()   # a sample that could not be saved: those before it are there
            QMessageBox.warning(self, self.tr("Cannot import this file"), str(exc))
            return False
        self.refresh()
        text = self.tr("Imported {0} drawing(s) from {1}.", "", added).format(number(added), escape(printable(str(path))))
        if known:
            text += " " + self.tr("{0} drawing(s) already here, not added twice.", "", known).format(number(known))
        self.summary.setText(text + "<br>" + self.summary.text())
        return True

    def clear(self) -> None:
        answer = QMessageBox.question(self, self.tr("Delete all your digits?"),
                                      self.tr("Delete every stored digit? This cannot be undone."),
                                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            try:
                self.dataset.clear()
            except DigitpadError as exc:
                QMessageBox.warning(self, self.tr("Cannot delete your digits"), str(exc))
            self.refresh()
