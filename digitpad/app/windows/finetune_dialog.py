"""Model → Fine-tune on my digits…: adapt the selected model to the user's handwriting.

Runs :func:`digitpad.training.fine_tune.fine_tune` in a background job and reports the accuracy before and
after, on the MNIST test set and on the personal digits; the result is saved as a new user model.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QDialog, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QMessageBox,
                               QProgressBar, QPushButton, QSpinBox, QVBoxLayout)

from digitpad.app.i18n import number, number_locale, percent
from digitpad.app.windows.training_dialog import NAME_PATTERN, ask_for_mnist
from digitpad.app.workers import (BackgroundJob, StopsJobOnClose, TrainingReporter, button_row, format_duration,
                                  outcome_text, start_job)
from digitpad.data import mnist
from digitpad.data.personal import PersonalDataset
from digitpad.training.fine_tune import fine_tune
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
        self.result.setStyleSheet("font-size: 13pt;")
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
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.bar)
        layout.addWidget(self.result)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.resize(520, 340)

    def start(self) -> None:
        name = self.name.text().strip()
        out = user_models_dir() / f"{name}.npz"
        if not NAME_PATTERN.match(name) or out.exists():
            QMessageBox.warning(self, self.tr("Choose another name"),
                                self.tr("“{0}” is not a free model name (letters, digits, '-', '_', '.'; at most 64 "
                                        "characters).").format(name))
            return
        if mnist.find_mnist_dir(self.data_dir) is None:
            answer = ask_for_mnist(self)
            if not isinstance(answer, Path):
                if answer == "download":
                    QMessageBox.information(self, self.tr("Download MNIST"),
                                            self.tr("Use Model → Train new model… to download MNIST, then fine-tune."))
                return
            self.data_dir = answer
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

    def _on_done(self, report) -> None:
        self.result.setText(self.tr("MNIST test set: {0} → {1}<br>your {2} digit(s): {3} → {4}", "",
                                    report.personal_count).format(
            percent(report.mnist_before, 2), percent(report.mnist_after, 2), number(report.personal_count),
            percent(report.personal_before, 2), percent(report.personal_after, 2)))   # FineTuneReport.summary()
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
