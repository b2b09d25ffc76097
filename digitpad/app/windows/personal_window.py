"""Model → My digits…: view, export, import and clear the personal data set ("teach it" samples: digits,
and drawings marked "not a digit", counted apart).  Import… adds the samples of a file Export… wrote
(`PersonalDataset.import_npz`: checked whole first; a file that is not one is a one-line message naming
it, and nothing is added).

On a session, the window also says what reading with the user's handwriting changed (`Session.teaching`,
`TeachingText`): how many of the drawings are read right before and after teaching, measured on drawings
not taught (each read by a reader taught the others), and the drawings the taught reader now reads
differently, before → now.  Importing or clearing teaches the reader again (`Session.personal_edited`)."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from digitpad.app.i18n import number
from digitpad.app.widgets.thumbnails import ThumbnailGrid
from digitpad.data.personal import PersonalDataset, Sample
from digitpad.errors import DigitpadError, printable
from digitpad.evaluation.teaching import TeachingReport


class TeachingText(QObject):
    """What teaching the reader the user's drawings changed, in the app's language (a QObject for
    ``self.tr``'s plurals)."""

    def summary(self, report: TeachingReport) -> str:
        """One line for the status bar: before → after on drawings not taught, and how many are read
        differently now."""
        taught = len(report.labels)
        if taught < 2:
            return self.tr("Taught your drawing; teach a few more to see how the reader reads the ones it was not "
                           "taught.")
        return self.tr("Taught {0} of your drawing(s): read right when each is left out of the teaching {1} → {2} "
                       "of {0}; the reader now reads {3} of them differently.", "", taught).format(
            number(taught), number(report.right_before), number(report.right_left_out), number(len(report.changed)))

    def details(self, report: TeachingReport) -> str:
        """The same for My digits, in rich text."""
        taught = len(report.labels)
        text = "<b>" + self.tr("Reading with your handwriting.") + "</b> "
        if taught < 2:
            return text + self.tr("The reader is taught your one drawing; teach a few more to see how it reads the "
                                  "ones it was not taught.")
        text += self.tr("The reader is taught your {0} drawing(s). Read right when each is left out of the teaching "
                        "(read by a reader taught all the others, never by one that saw it), before → after: "
                        "<b>{1} → {2}</b> of {0}.", "", taught).format(
            number(taught), number(report.right_before), number(report.right_left_out))
        changed = len(report.changed)
        if changed:
            return text + "<br>" + self.tr("Now read differently, before → now: {0} drawing(s).", "", changed).format(
                number(changed))
        return text + "<br>" + self.tr("None of them is read differently now.")

    def reading(self, digit: int | None) -> str:
        """One reading of a drawing: its digit, "not a digit" (-1), or "—" (not read: too small)."""
        return "—" if digit is None else self.tr("not a digit") if digit == -1 else str(digit)

    def change(self, report: TeachingReport, index: int) -> tuple[str, str]:
        """A drawing read differently: its caption ("1 → 7") and tooltip."""
        before, now = self.reading(report.before[index]), self.reading(report.now[index])
        return (self.tr("{0} → {1}").format(before, now),
                self.tr("Taught as {0}; read {1} before the teaching, {2} now.").format(
                    self.reading(int(report.labels[index])), before, now))


def teaching_summary(report: TeachingReport) -> str:
    """`TeachingText.summary`: what a teaching changed, in one line."""
    return TeachingText().summary(report)


class PersonalWindow(QWidget):
    """Thumbnails of the stored samples with their labels ("not a digit" for a negative); Export… writes
    an .npz, Import… adds one's samples, Clear… deletes all.  With a ``session``: what teaching the reader
    these drawings changed (the module docstring), following the session."""

    def __init__(self, dataset: PersonalDataset, parent=None, session=None):
        super().__init__(parent, Qt.WindowType.Window)
        self.dataset = dataset
        self.session = session
        self.texts = TeachingText(self)
        self.setWindowTitle(self.tr("My digits"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.thumbnails = ThumbnailGrid(side=56)
        self.teaching_label = QLabel()
        self.teaching_label.setWordWrap(True)
        self.changed = ThumbnailGrid(side=40)   # the drawings the taught reader reads differently
        self.changed.setFixedHeight(2 * self.changed.gridSize().height() + 8)
        refresh = QPushButton(self.tr("Refresh"))
        refresh.setToolTip(self.tr("Read the folder again (drawings added by another digitpad) and teach the "
                                   "reader again"))
        refresh.clicked.connect(self.reload)
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
        layout.addWidget(self.teaching_label)
        layout.addWidget(self.changed)
        layout.addLayout(buttons)
        self.resize(720, 560)
        self.refresh()
        if session is not None:
            session.teaching_changed.connect(self.show_teaching)
        self.show_teaching()

    def show_teaching(self) -> None:
        """What reading with the user's handwriting changed (`Session.teaching`), or why there is nothing to say."""
        session = self.session
        teaching = session.teaching if session is not None and session.handwriting else None
        if session is None:
            text = ""
        elif not session.handwriting:
            text = self.tr("Reading with your handwriting is off (Model → Read with my handwriting).")
        elif session.teaching_problem:
            text = self.tr("Could not teach the reader your handwriting: {0}").format(escape(session.teaching_problem))
        elif session.teaching_busy:
            text = self.tr("Teaching the reader your handwriting…")
        else:
            text = "" if teaching is None else self.texts.details(teaching.report)
        self.teaching_label.setText(text)
        self.teaching_label.setVisible(bool(text))
        changed = teaching.report.changed if teaching is not None else []
        shown = [self.texts.change(teaching.report, i) for i in changed]
        self.changed.set_images([teaching.samples[i].image for i in changed], [caption for caption, _ in shown])
        for row, (_, tip) in enumerate(shown):
            self.changed.item(row).setToolTip(tip)
        self.changed.setVisible(bool(changed))

    def _edited(self) -> None:
        """The set changed here: show it, and teach the reader again."""
        self.refresh()
        if self.session is not None:
            self.session.personal_edited()

    def reload(self) -> None:
        """Refresh: read the folder again and teach the reader again."""
        self._edited()

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
            self._edited()   # a sample that could not be saved: those before it are there
            QMessageBox.warning(self, self.tr("Cannot import this file"), str(exc))
            return False
        self._edited()
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
            self._edited()
