"""Model → Train new model…: the settings form, MNIST download, and live training progress.

Training runs :func:`digitpad.training.run.train_and_save` in a :class:`BackgroundJob`; the main window
keeps drawing and predicting with its current model meanwhile.  The dialog is not modal.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDialog, QDoubleSpinBox, QFormLayout,
                               QGroupBox, QHBoxLayout, QLabel, QLineEdit, QMessageBox, QProgressBar,
                               QPushButton, QSpinBox, QVBoxLayout)

from digitpad.app import data_folder
from digitpad.app.i18n import number, number_locale, percent
from digitpad.app.widgets.plots import TrainingCurves
from digitpad.app.widgets.style import MUTED, WrappedLabel
from digitpad.app.workers import BackgroundJob, TrainingReporter, button_row, format_duration, outcome_text, start_job
from digitpad.data import mnist_idx
from digitpad.errors import TrainingError
from digitpad.nn.optim import OPTIMIZERS
from digitpad.user_dirs import user_models_dir
from digitpad.training.architectures import reads_strokes
from digitpad.training.config import PRESETS, SCHEDULES, TrainConfig, preset_config
from digitpad.training.trainer import read_checkpoint_header
from digitpad.training.progress import BatchProgress, EpochStats, TrainingMessage, TrainingStart
from digitpad.training.run import StoppedRun, checkpoint_path_for, stopped_runs, train_and_save

DEFAULT_PRESET = "quick"
MNIST_TRAINING_IMAGES = mnist_idx.TRAIN_IMAGES.count
NAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
REDRAW_INTERVAL_S = 0.5


def _train(job: BackgroundJob, config: TrainConfig, out: Path, data_dir: Path | None, dialog: "TrainingDialog",
           resume: Path | None = None):
    """Train (or resume from the checkpoint ``resume``) and save in ``job``.  While the dialog asks whether
    to stop, the training waits: between two batches, or, if it has just ended, before saving; so the
    answer always decides.  A run stopped and discarded leaves nothing, its checkpoint neither; one stopped
    and kept (or one the app quit) keeps its checkpoint, to be resumed."""
    outcome = train_and_save(config, out, data_dir=data_dir, callback=TrainingReporter(job), cancel=job.checkpoint,
                             keep_if=lambda result: _keep(job, dialog), resume=resume)
    if outcome[2] is None and job.cancelled() and not dialog.keep_cancelled:
        checkpoint_path_for(out).unlink(missing_ok=True)
    return outcome


def _keep(job: BackgroundJob, dialog: "TrainingDialog") -> bool:
    """Whether to save the model trained: once the question (if one is open) is answered, a run stopped by
    the user is saved only if asked to keep it, even one that ended while the question was open."""
    return not job.checkpoint(last=True) or dialog.keep_cancelled


class TrainingDialog(QDialog):
    """Emits ``model_saved(path)`` when a trained model has been written to the user models folder."""

    model_saved = Signal(Path)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Train a new model"))
        self.job: BackgroundJob | None = None
        self.data_dir: Path | None = None
        self.keep_cancelled = False
        self._batches = 1
        self._last_redraw = 0.0
        self._config: TrainConfig | None = None   # the running one's
        self._last_epoch: int | None = None       # the epoch of the last batch reported
        self.setLocale(number_locale())           # the spin boxes' numbers in the app's language
        self._build()

    # --- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        defaults = TrainConfig()
        self.preset = QComboBox()
        self.preset.addItems(list(PRESETS))
        self.preset.setCurrentText(DEFAULT_PRESET)
        self.preset_hint = WrappedLabel()
        self.preset_hint.setStyleSheet(f"color: {MUTED};")
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("e.g. my-convnet"))
        self.epochs = _spin(1, 200, defaults.epochs)
        self.batch_size = _spin(1, 4096, defaults.batch_size)
        self.optimizer = QComboBox()
        self.optimizer.addItems(list(OPTIMIZERS))
        self.optimizer.setCurrentText(defaults.optimizer)
        self.lr = QDoubleSpinBox()
        self.lr.setDecimals(5)
        self.lr.setRange(0.00001, 1.0)
        self.lr.setSingleStep(0.0005)
        self.lr.setValue(defaults.lr)
        self.schedule = QComboBox()
        for name in SCHEDULES:
            self.schedule.addItem(name, name)
        self.dropout = QDoubleSpinBox()
        self.dropout.setRange(-0.05, 0.9)
        self.dropout.setSingleStep(0.05)
        self.dropout.setSpecialValueText(self.tr("preset default"))
        self.dropout.setValue(-0.05)
        self.batchnorm = QComboBox()
        for text, value in ((self.tr("preset default"), None), (self.tr("on"), True), (self.tr("off"), False)):
            self.batchnorm.addItem(text, value)
        self.augment = QCheckBox(self.tr("affine, elastic, stroke width"))
        self.normalize_strokes = QCheckBox(self.tr("prepare images like drawings"))
        self.seed = _spin(0, 2**31 - 1, defaults.seed)
        self.limit = _spin(0, MNIST_TRAINING_IMAGES, 0)
        self.limit.setSpecialValueText(self.tr("all {0}").format(number(MNIST_TRAINING_IMAGES)))
        self.limit.setSingleStep(1000)
        self.split_hint = WrappedLabel()   # what the images are used for: training, and validation
        self.split_hint.setStyleSheet(f"color: {MUTED};")
        self.preset.currentTextChanged.connect(self._preset_chosen)
        self.limit.valueChanged.connect(lambda _: self._show_split())

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for label, widget in ((self.tr("Name"), self.name), (self.tr("Architecture"), self.preset),
                              ("", self.preset_hint),
                              (self.tr("Epochs"), self.epochs), (self.tr("Batch size"), self.batch_size),
                              (self.tr("Optimiser"), self.optimizer), (self.tr("Learning rate"), self.lr),
                              (self.tr("Schedule"), self.schedule),
                              (self.tr("Dropout"), self.dropout), (self.tr("Batch norm"), self.batchnorm),
                              (self.tr("Augmentation"), self.augment),
                              (self.tr("Stroke normalisation"), self.normalize_strokes), (self.tr("Seed"), self.seed),
                              (self.tr("MNIST images"), self.limit), ("", self.split_hint)):
            form.addRow(label, widget)
        self.settings = QGroupBox(self.tr("Settings"))
        column = QVBoxLayout(self.settings)
        column.addLayout(form)
        column.addStretch(1)   # the rows keep their heights; the free height goes below them
        self.settings.setMaximumWidth(520)   # room for the longer French labels

        self.stopped = QComboBox()   # the trainings stopped before their end, to resume
        self.stopped.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.resume_button = QPushButton(self.tr("Resume"))
        self.resume_button.clicked.connect(self.resume)
        self.resume_box = QGroupBox(self.tr("Stopped trainings"))
        self.resume_box.setMaximumWidth(520)
        row = QHBoxLayout(self.resume_box)
        row.addWidget(self.stopped, 1)
        row.addWidget(self.resume_button)
        self._show_stopped()

        self.bar = QProgressBar()
        self.bar.setFormat("%p%")
        self.status = QLabel(self.tr("Not started."))
        self.status.setWordWrap(True)
        # Room for the final two-line report (result, then saved name and accuracy) wrapped once more:
        # the curves below take all the height they are given, and a shorter label clipped the report.
        self.status.setMinimumHeight(3 * self.status.fontMetrics().lineSpacing())
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.curves = TrainingCurves()
        self.epochs.valueChanged.connect(self._epochs_changed)
        self._preset_chosen(self.preset.currentText())
        progress = QVBoxLayout()
        progress.addWidget(self.status)
        progress.addWidget(self.bar)
        progress.addWidget(self.curves, 1)
        self.progress_box = QGroupBox(self.tr("Progress"))
        self.progress_box.setLayout(progress)

        self.start_button = QPushButton(self.tr("Start training"))
        self.start_button.setDefault(True)
        self.start_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel training"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.request_cancel)
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.close)
        buttons = button_row(self.start_button, self.cancel_button, close)

        left = QVBoxLayout()
        left.addWidget(self.settings, 1)
        left.addWidget(self.resume_box)
        top = QHBoxLayout()
        top.addLayout(left)
        top.addWidget(self.progress_box, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(buttons)
        self.resize(1080, max(560, self.sizeHint().height()))

    def _show_stopped(self) -> None:
        """List the stopped trainings of the user models folder (the box hidden when there are none)."""
        self.stopped.clear()
        for run in stopped_runs(user_models_dir()):
            self.stopped.addItem(self.tr("{0}: epoch {1} of {2} done, best {3}").format(
                run.name, run.epoch, run.config.epochs, percent(run.best_val_accuracy, 2)), run)
        self.resume_box.setVisible(self.stopped.count() > 0)

    def _suggest_name(self, preset: str) -> None:
        self.name.setText(f"{preset}-{time.strftime('%Y%m%d-%H%M')}")

    def _preset_chosen(self, preset: str) -> None:
        """Fill the form with the preset's settings (the quick one's, or the trainer's defaults) and say
        what to expect from them."""
        self._suggest_name(preset)
        config = preset_config(preset)
        self.epochs.setValue(config.epochs)
        self.batch_size.setValue(config.batch_size)
        self.optimizer.setCurrentText(config.optimizer)
        self.lr.setValue(config.lr)
        self.schedule.setCurrentIndex(self.schedule.findData(config.schedule))
        hints = {
            "quick": self.tr("The fastest good model: about 25 s on two cores, 99 % after 15 s and 99.3 % at the end "
                             "on MNIST's test set."),
            "cnn-bn": self.tr("The shipped CNN's network. Its best settings (99.6 %, real pen digits included) take "
                              "about 45 minutes: see the model card of models/cnn.npz."),
            "strokes-quick": self.tr("A stroke model, quickly: it reads the path of the pen (real pen digits and "
                                     "traced MNIST digits), about a minute and a half on two cores. Then read with your image "
                                     "network and it together."),
            "strokes": self.tr("The shipped stroke model's network and settings: reads the path of the pen; "
                               "several minutes on two cores."),
        }
        self.preset_hint.setText(hints.get(preset, self.tr("The trainer's general settings: set epochs and rates below.")))
        images = not reads_strokes(preset)   # these settings shape MNIST's images, which a stroke model never sees
        for widget in (self.augment, self.normalize_strokes, self.limit):
            widget.setEnabled(images)
        self._show_split()

    def _epochs_changed(self, epochs: int) -> None:
        if not self.is_running():
            self.curves.set_epochs(epochs)

    def split(self) -> tuple[int, int] | None:
        """(images to train on, images to validate on) of the MNIST images these settings use, as the
        training will split them (the preset's hold-out, scaled to a limit); None for a stroke model,
        which trains on pen trajectories, not on MNIST's images."""
        if reads_strokes(self.preset.currentText()):
            return None
        config = self.config()
        images = config.limit or MNIST_TRAINING_IMAGES
        held = config.held_out(images)
        return images - held, held

    def _show_split(self) -> None:
        split = self.split()
        if split is None:
            self.split_hint.setText(self.tr("A stroke model trains on the writers' pen trajectories (counted when "
                                            "training starts)."))
        elif split[0] <= 0 or split[1] <= 0:
            self.split_hint.setText(self.tr("Too few images to hold some out for validation."))
        else:
            self.split_hint.setText(self.tr("{0} to train on, {1} held out to validate").format(
                number(split[0]), number(split[1])))

    def config(self) -> TrainConfig:
        dropout = self.dropout.value()
        batchnorm = self.batchnorm.currentData()   # None: the preset's default
        return preset_config(self.preset.currentText(), epochs=self.epochs.value(),
                             batch_size=self.batch_size.value(), optimizer=self.optimizer.currentText(),
                             lr=self.lr.value(), schedule=self.schedule.currentData(),
                             dropout=None if dropout < 0 else round(dropout, 3), batchnorm=batchnorm,
                             augment=self.augment.isChecked(), normalize_strokes=self.normalize_strokes.isChecked(),
                             seed=self.seed.value(), limit=self.limit.value() or None)

    # --- running ---------------------------------------------------------------------------------
    def is_running(self) -> bool:
        return self.job is not None and self.job.isRunning()

    def start(self) -> None:
        """Check the settings and the data, then train (downloading MNIST first if asked to)."""
        if self.is_running():
            return
        name = self.name.text().strip()
        if not NAME_PATTERN.match(name):
            QMessageBox.warning(self, self.tr("Choose another name"),
                                self.tr("A model name uses letters, digits, '-', '_' and '.', starts with a letter "
                                        "or digit and has at most 64 characters."))
            return
        out = user_models_dir() / f"{name}.npz"
        if out.exists():
            QMessageBox.warning(self, self.tr("Choose another name"),
                                self.tr("A model named {0} already exists in {1}.").format(name, out.parent))
            return
        config = self.config()
        try:
            config.validate()
        except TrainingError as exc:  # a one-line message
            QMessageBox.warning(self, self.tr("Check the settings"), str(exc))
            return
        self._train_with_data(config, out)

    def resume(self) -> None:
        """Continue the stopped training chosen, from the end of its last epoch, with its own settings; its
        model is written where it was going (replacing the one kept when it was stopped)."""
        run: StoppedRun | None = self.stopped.currentData()
        if self.is_running() or run is None:
            return
        self._train_with_data(run.config, run.model_path, run.checkpoint)

    def _train_with_data(self, config: TrainConfig, out: Path, resume: Path | None = None) -> None:
        """Train once the data it needs is there: found, chosen, or downloaded first if asked to."""
        self.data_dir = data_folder.data_dir()   # the data folder chosen (in any window), else the default ones
        # an image network trains on MNIST; a stroke model on pen digits, traced MNIST digits and not digits
        needs = data_folder.DATA_SETS if reads_strokes(config.model) else ("mnist",)
        if missing := data_folder.missing(needs, self.data_dir):
            answer = data_folder.ask_for_data(self, missing)
            if answer is None:
                return
            if answer == data_folder.DOWNLOAD:
                self._start_job(data_folder.download_data, missing, data_folder.download_dir(),
                                on_progress=self._on_download_progress,
                                on_success=lambda result: self._on_downloaded(result, config, out, resume))
                self.status.setText(self.tr("Downloading…"))
                return
            self.data_dir = answer
        self._begin_training(config, out, resume=resume)

    def _on_downloaded(self, result, config: TrainConfig, out: Path, resume: Path | None = None) -> None:
        """Train with the data just downloaded, or with the folder chosen after a failed download (said
        once, in one sentence: `data_folder.downloaded`); else nothing."""
        self.bar.setRange(0, 100)
        self.bar.setValue(0)
        if isinstance(result, data_folder.DownloadFailure):
            self.status.setText(data_folder.failure_title(result))
        folder = data_folder.downloaded(self, result)
        if folder is None:
            if result is None:
                self.status.setText(self.tr("Not started."))
            return
        self._begin_training(config, out, folder, resume)

    def _begin_training(self, config: TrainConfig, out: Path, data_dir: Path | None = None,
                        resume: Path | None = None) -> None:
        if data_dir is not None:  # just downloaded there, or chosen after a failed download
            self.data_dir = data_dir
        self.keep_cancelled = False
        self._config, self._last_epoch = config, None
        self.curves.reset(config.epochs)
        if resume is not None:   # the epochs already done, on the curves from the start
            for done in read_checkpoint_header(resume)["history"]:
                self.curves.add_epoch(done["epoch"], done["val_loss"], done["val_accuracy"])
        self.bar.setValue(0)
        self.status.setText(self.tr("Loading the pen digits…") if reads_strokes(config.model) else self.tr("Loading MNIST…"))
        self._start_job(_train, config, out, self.data_dir, self, resume, on_progress=self._on_training_progress,
                        on_success=self._on_trained)

    def _start_job(self, fn, *args, on_progress, on_success) -> None:
        self.settings.setEnabled(False)
        self.resume_box.setEnabled(False)
        self.start_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.job = start_job(fn, *args, parent=self, progress=on_progress, succeeded=on_success,
                             failed=self._on_failed, finished=self._on_job_finished)

    def request_cancel(self) -> None:
        """Ask whether to stop, keeping or discarding the model trained so far.  The training waits while
        the question is open (at its next batch, or before saving if it ends meanwhile), so the answer
        always applies; once its model is being saved it can no longer be stopped, and the dialog says so."""
        if not self.is_running():
            return
        job = self.job
        if not job.hold():
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("The training has ended; its model is being saved."))
            return
        try:
            box = QMessageBox(QMessageBox.Icon.Question, self.tr("Stop training?"),
                              self.tr("Stop training now? The model trained so far can be evaluated and saved, "
                                      "or discarded."), parent=self)
            keep = box.addButton(self.tr("Stop and keep"), QMessageBox.ButtonRole.AcceptRole)
            discard = box.addButton(self.tr("Stop and discard"), QMessageBox.ButtonRole.DestructiveRole)
            box.addButton(self.tr("Continue training"), QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() in (keep, discard) and job is self.job:
                self.cancel(keep=box.clickedButton() is keep)
        finally:
            job.release()

    def cancel(self, keep: bool = False) -> None:
        """Stop the running job at its next batch; ``keep`` saves the model trained so far."""
        if self.is_running():
            self.keep_cancelled = keep
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.status.setText(self.tr("Stopping… the model so far will be evaluated and saved.") if keep
                                else self.tr("Stopping…"))

    def _on_download_progress(self, value) -> None:
        _, done, total = value
        self.status.setText(data_folder.progress_text(value))
        self.bar.setRange(0, 1000)
        self.bar.setValue(int(1000 * done / total) if total else 0)

    def _on_training_progress(self, data) -> None:
        if isinstance(data, TrainingStart):
            self._batches = data.batches
            self.bar.setRange(0, data.epochs * data.batches)
            text = (self.tr("Training on {0} pen trajectories, validating on {1} ({2} parameters)…")
                    if reads_strokes(self._config.model) else
                    self.tr("Training on {0} images, validating on {1} ({2} parameters)…"))
            self.status.setText(text.format(number(data.train), number(data.validation), number(data.parameters)))
        elif isinstance(data, BatchProgress):
            self._last_epoch = data.epoch
            self.bar.setValue((data.epoch - 1) * data.batches + data.batch)
            self.status.setText(self.tr("epoch {0}/{1} · batch {2}/{3} · loss {4} · acc. {5} · "
                                        "{6} samples/s · ETA {7}").format(
                data.epoch, data.epochs, data.batch, data.batches, number(data.loss, 3), percent(data.accuracy, 1),
                number(data.samples_per_s), format_duration(data.eta_s)))
            self.curves.add_batch(data.epoch - 1 + data.batch / data.batches, data.loss, data.accuracy)
            if time.monotonic() - self._last_redraw > REDRAW_INTERVAL_S:
                self._redraw()
        elif isinstance(data, EpochStats):
            self.curves.add_epoch(data.epoch, data.val_loss, data.val_accuracy)
            self._redraw()
        elif isinstance(data, TrainingMessage):   # the trainer's summary (English): said in full once saved
            self.status.setText(self.tr("Evaluating on the test set and saving…"))

    def _redraw(self) -> None:
        self._last_redraw = time.monotonic()
        self.curves.redraw()

    def outcome(self, result) -> str:
        """How the run ended (`TrainResult`), in the app's language."""
        config = self._config
        return outcome_text(result.status, result.message, len(result.history), self._last_epoch,
                            config.patience if config is not None else None, result.best_epoch,
                            result.best_val_accuracy)

    def _on_trained(self, outcome) -> None:
        result, test, saved = outcome
        if saved is None:
            # the run ended while the user was asked whether to stop, and the answer was to discard it
            discarded = result.status != "cancelled" and self.job is not None and self.job.cancelled()
            self.status.setText((self.tr("{0}. Discarded as you asked: nothing was saved.") if discarded
                                 else self.tr("{0}. Nothing was saved.")).format(self.outcome(result)))
            return
        errors = int(round((1 - test.accuracy) * test.count))   # run.accuracy_summary, in the app's language
        self.status.setText(self.tr("{0}.\nSaved as “{1}” — test accuracy {2} ({3} error(s)).", "", errors).format(
            self.outcome(result), saved.stem, percent(test.accuracy, 2), number(errors)))
        self.model_saved.emit(saved)

    def _on_failed(self, message: str) -> None:
        self.status.setText(self.tr("Failed: {0}").format(message))
        QMessageBox.warning(self, self.tr("Training failed"), message)

    def _on_job_finished(self, job: BackgroundJob) -> None:
        job.deleteLater()
        if job is not self.job:
            return  # the download that preceded the training job
        self.job = None
        self.settings.setEnabled(True)
        self.resume_box.setEnabled(True)
        self._show_stopped()
        self.start_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self._redraw()

    def closeEvent(self, event) -> None:
        """Closing the dialog during training asks whether to stop (and keep or discard) first."""
        if self.is_running():
            self.request_cancel()
            if self.is_running() and not self.job.cancelled():
                event.ignore()
                return  # the job ends in the background and still reports a saved model
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop any job without asking (the application is quitting)."""
        if self.job is not None:
            self.job.stop()


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(value)
    spin.setGroupSeparatorShown(True)
    return spin
