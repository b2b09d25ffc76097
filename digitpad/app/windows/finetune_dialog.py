"""Model → Fine-tune on my digits…: adapt the selected model to the user's handwriting.

Runs :func:`digitpad.training.fine_tune.fine_tune` in a background job and reports the accuracy before and
after, on the MNIST test set and on the personal digits (those kept aside, never trained on, apart from
those trained on; a set too small to keep any aside says so); the result is saved as a new user model.  A
personal set too small to fine-tune on with profit (`digitpad.training.fine_tune.small_set`) is warned of
before the run.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QMessageBox,
                               QProgressBar, QPushButton, QSpinBox, QVBoxLayout)

from digitpad.app import data_folder
from digitpad.app.i18n import number, number_locale, percent
from digitpad.app.windows.training_dialog import NAME_PATTERN
from digitpad.app.workers import (BackgroundJob, StopsJobOnClose, TrainingReporter, button_row, format_duration,
                                  outcome_text, start_job)
from digitpad.data.personal import PersonalDataset
from digitpad.training.fine_tune import SMALL_SET_PER_DIGIT, SMALL_SET_TOTAL, fine_tune, small_set, thin_digits
from digitpad.training.progress import BatchProgress, TrainingMessage
from digitpad.reading.store import ModelEntry
from digitpad.user_dirs import user_models_dir


def _fine_tune(job: BackgroundJob, source: Path, out: Path, epochs: int, weight: float, mnist_images: int,
               data_dir, dataset):
    return fine_tune(source, out, epochs=epochs, personal_weight=weight, mnist_images=mnist_images,
                     data_dir=data_dir, dataset=dataset, callback=TrainingReporter(job), cancel=job.cancelled)


class FineTuneDialog(StopsJobOnClose, QDialog):
    """Emits ``model_saved(path)`` when the fine-tuned model has been written."""

    model_saved = Signal(Path)

    def __init__(self, entry: ModelEntry, dataset: PersonalDataset, parent=None):
        super().__init__(parent)
        self.entry, self.dataset = entry, dataset
        self.job: BackgroundJob | None = None
        self.data_dir = None
        self._last_epoch: int | None = None   # the epoch of the last batch reported
        self.setLocale(number_locale())       # the spin boxes' numbers in the app's language
        self.setWindowTitle(self.tr("Fine-tune {0} on my digits").format(entry.name))
        count = len(dataset.digits())   # the drawings marked "not a digit" are not trained on (`arrays`)
        intro = QLabel(self.tr("Continue training <b>{0}</b> on MNIST digits plus your <b>{1}</b> digit(s) "
                               "(each repeated 5 times and weighted more heavily), then compare before and "
                               "after.", "", count).format(entry.name, number(count)))
        intro.setWordWrap(True)
        self.warning = QLabel(self.small_set_text(dataset.arrays()[1]))
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #b45309;")
        self.warning.setVisible(bool(self.warning.text()))
        self.name = QLineEdit(f"{entry.name}-mine-{time.strftime('%Y%m%d-%H%M')}")
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 20)
        self.epochs.setValue(2)
        self.weight = QDoubleSpinBox()
        self.weight.setRange(1.0, 50.0)
        self.weight.setValue(5.0)
        self.weight.setSuffix(self.tr(" × an MNIST digit"))
        self.mnist_images = QSpinBox()
        self.mnist_images.setRange(1000, 60000)
        self.mnist_images.setSingleStep(1000)
        self.mnist_images.setValue(12000)
        self.mnist_images.setGroupSeparatorShown(True)
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.addRow(self.tr("New model name"), self.name)
        form.addRow(self.tr("Epochs"), self.epochs)
        form.addRow(self.tr("Weight of your digits"), self.weight)
        form.addRow(self.tr("MNIST digits mixed in"), self.mnist_images)
        self.bar = QProgressBar()
        self.status = QLabel(self.tr("Not started.") if count else self.tr("You have no stored digits yet."))
        self.status.setWordWrap(True)
        self.result = QLabel()
        self.result.setStyleSheet("font-size: 12pt;")
        self.result.setWordWrap(True)
        self.start_button = QPushButton(self.tr("Fine-tune"))
        self.start_button.setEnabled(count > 0)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(lambda: self.job and self.job.cancel())
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        buttons = button_row(self.start_button, self.cancel_button, close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.result)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.resize(520, 340)
        self._fit_height()

    def start(self) -> None:
        name = self.name.text().strip()
        out = user_models_dir() / f"{name}.npz"
        if not NAME_PATTERN.match(name) or out.exists():
            QMessageBox.warning(self, self.tr("Choose another name"),
                                self.tr("“{0}” is not a free model name (letters, digits, '-', '_', '.'; at most 64 "
                                        "characters).").format(name))
            return
        self.data_dir = data_folder.data_dir()   # the data folder chosen (in any window), else the default ones
        if data_folder.missing(["mnist"], self.data_dir):
            answer = data_folder.ask_for_data(self, ["mnist"])
            if answer is None:
                return
            if answer == data_folder.DOWNLOAD:
                self.job = start_job(data_folder.download_data, ["mnist"], data_folder.download_dir(), parent=self,
                                     progress=self._on_download_progress,
                                     succeeded=lambda result: self._on_downloaded(result, out),
                                     failed=self._on_failed, finished=self._on_download_finished)
                self.start_button.setEnabled(False)
                self.cancel_button.setEnabled(True)
                self.status.setText(self.tr("Downloading…"))
                return
            self.data_dir = answer
        self._fine_tune(out)

    def _on_download_progress(self, value) -> None:
        _, done, total = value
        self.status.setText(data_folder.progress_text(value))
        self.bar.setRange(0, 1000)
        self.bar.setValue(int(1000 * done / total) if total else 0)

    def _on_downloaded(self, result, out: Path) -> None:
        """Fine-tune with MNIST just downloaded, or from the folder chosen after a failed download (said
        once, in one sentence: `data_folder.downloaded`); else nothing."""
        self.bar.setRange(0, 100)
        self.bar.setValue(0)
        self.status.setText(data_folder.failure_title(result) if isinstance(result, data_folder.DownloadFailure)
                            else self.tr("Not started."))
        folder = data_folder.downloaded(self, result)
        if folder is not None:
            self.data_dir = folder
            self._fine_tune(out)

    def _on_download_finished(self, job: BackgroundJob) -> None:
        if job is self.job:   # no fine-tuning started after it
            self.start_button.setEnabled(True)
            self.cancel_button.setEnabled(False)

    def _fine_tune(self, out: Path) -> None:
        self.job = start_job(_fine_tune, self.entry.path, out, self.epochs.value(), self.weight.value(),
                             self.mnist_images.value(), self.data_dir, self.dataset, parent=self,
                             progress=self._on_progress, succeeded=self._on_done, failed=self._on_failed,
                             finished=self._on_finished)
        self._last_epoch = None
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.status.setText(self.tr("Measuring the model before fine-tuning…"))

    def _on_progress(self, data) -> None:
        if isinstance(data, BatchProgress):
            self._last_epoch = data.epoch
            self.bar.setRange(0, data.epochs * data.batches)
            self.bar.setValue((data.epoch - 1) * data.batches + data.batch)
            self.status.setText(self.tr("epoch {0}/{1} · batch {2}/{3} · loss {4} · ETA {5}").format(
                data.epoch, data.epochs, data.batch, data.batches, number(data.loss, 3), format_duration(data.eta_s)))
        elif isinstance(data, TrainingMessage):   # the trainer's summary (English)
            self.status.setText(self.tr("Measuring the model after fine-tuning…"))

    def _fit_height(self) -> None:
        """As tall as the texts need at the dialog's width (a warning, a result of three lines): never cut."""
        layout = self.layout()
        layout.activate()
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def small_set_text(self, labels) -> str:
        """The warning for a personal set too small to fine-tune on with profit (``labels``: its digits'),
        or "" for a set large enough."""
        if not len(labels) or not small_set(labels):
            return ""
        parts = []
        if len(labels) < SMALL_SET_TOTAL:
            parts.append(self.tr("Only %n digit(s) to learn from.", "", len(labels)))
        if thin := thin_digits(labels):
            parts.append(self.tr("Fewer than {0} of the digits {1}.").format(SMALL_SET_PER_DIGIT, ", ".join(map(str, thin))))
        parts.append(self.tr("Fine-tuning on so few can make the model lean toward the digits you taught: teach "
                             "at least {0} of each digit, {1} or more in all.").format(SMALL_SET_PER_DIGIT, SMALL_SET_TOTAL))
        return " ".join(parts)

    def _on_done(self, report) -> None:
        lines = [self.tr("MNIST test set: {0} → {1}").format(percent(report.mnist_before, 2), percent(report.mnist_after, 2))]
        if report.held_out_count:   # FineTuneReport.summary()
            lines.append(self.tr("your {0} digit(s) kept aside, not trained on: {1} → {2}", "", report.held_out_count)
                         .format(number(report.held_out_count), percent(report.held_out_before, 2),
                                 percent(report.held_out_after, 2)))
            lines.append(self.tr("your {0} digit(s) trained on: {1} → {2}", "", report.personal_count).format(
                number(report.personal_count), percent(report.personal_before, 2), percent(report.personal_after, 2)))
        else:
            lines.append(self.tr("your {0} digit(s), the ones it trained on (too few to keep some aside): {1} → {2}",
                                 "", report.personal_count).format(
                number(report.personal_count), percent(report.personal_before, 2), percent(report.personal_after, 2)))
        self.result.setText("<br>".join(lines))
        self._fit_height()
        if report.saved is None:
            self.status.setText(self.tr("{0}. Nothing was saved.").format(
                outcome_text(report.status, report.message, self.epochs.value(), self._last_epoch)))
            return
        self.status.setText(self.tr("Saved as “{0}”; it is now in the model list.").format(report.saved.stem))
        self.model_saved.emit(report.saved)

    def _on_failed(self, message: str) -> None:
        self.status.setText(self.tr("Failed: {0}").format(message))
        QMessageBox.warning(self, self.tr("Fine-tuning failed"), message)

    def _on_finished(self, job: BackgroundJob) -> None:
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
