"""Tools → Stroke robustness…: accuracy of chosen readers on drawings by pen width.

Listed: the app's reader when it combines an image network and a stroke model (each drawing read as the
app reads it: the image network at each pen width with the stroke model, which no pen width changes),
then every image network alone.  A stroke model alone is not listed: no pen width changes what it reads.

Runs :func:`digitpad.evaluation.robustness.run_robustness` in a background job and shows its plot and table.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPlainTextEdit,
                               QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget)

from digitpad.app.model_labels import model_label
from digitpad.app.widgets.plots import PlotCanvas
from digitpad.app.workers import BackgroundJob, StopsJobOnClose, start_job
from digitpad.errors import DigitpadError
from digitpad.reading.reader import Reader
from digitpad.reading.store import ModelEntry

DEFAULT_SAMPLES = 300


def measure(job: BackgroundJob, paths: dict[str, tuple[Path, ...]], samples: int, dataset: str = "traced"):
    """Load each reader (the worker's own copies: its model files) and run the robustness study; None if
    cancelled."""
    try:
        from digitpad.evaluation.robustness import run_robustness
    except ImportError:
        raise DigitpadError("the stroke robustness study (digitpad.evaluation.robustness) is not part of this installation") from None
    models = {name: Reader.load(list(files)) for name, files in paths.items()}
    result = run_robustness(models, n=samples, dataset=dataset, progress=lambda done, total: job.report((done, total)),
                            cancel=job.cancelled)
    return None if job.cancelled() else result


class RobustnessWindow(StopsJobOnClose, QWidget):
    """Pick models and a sample count, run, and read the accuracy-per-pen-width plot and table."""

    def __init__(self, entries: list[ModelEntry], selected: str | None = None, parent=None,
                 combined: Reader | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Stroke robustness"))
        self.job: BackgroundJob | None = None
        self.result = None
        self.models = QListWidget()
        if combined is not None and combined.kind == "both":
            item = QListWidgetItem(self.tr("{0} (the app's reader)").format(combined.name))
            item.setToolTip(self.tr("The app's reader: the image network and the stroke model together"))
            item.setData(Qt.ItemDataRole.UserRole, (combined.name, combined.paths))
            item.setCheckState(Qt.CheckState.Checked)
            self.models.addItem(item)
        for entry in entries:
            item = QListWidgetItem(model_label(entry))
            item.setData(Qt.ItemDataRole.UserRole, (entry.name, (entry.path,)))
            item.setCheckState(Qt.CheckState.Checked if entry.kind == "shipped" or entry.name == selected
                               else Qt.CheckState.Unchecked)
            self.models.addItem(item)
        self.models.setMaximumWidth(300)
        self.samples = QSpinBox()
        self.samples.setRange(10, 10000)
        self.samples.setSingleStep(100)
        self.samples.setValue(DEFAULT_SAMPLES)
        self.samples.setSuffix(self.tr(" drawings"))
        self.dataset = QComboBox()
        self.dataset.addItem(self.tr("Real pen digits (held-out writers)"), "pen")
        self.dataset.addItem(self.tr("MNIST test digits, traced"), "traced")
        self.dataset.setCurrentIndex(self.dataset.findData("traced"))
        self.dataset.setToolTip(self.tr("Real pen digits: about 1,500 digits of 6 writers no model is trained on "
                                        "(digitpad download --pendigits)"))
        self.run_button = QPushButton(self.tr("Run"))
        self.run_button.setDefault(True)
        self.run_button.clicked.connect(self.start)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(lambda: self.job and self.job.cancel())
        self.bar = QProgressBar()
        self.status = QLabel(self.tr("Test the models on drawings made with pens 2–32 px wide, through each of "
                                     "the app's pipelines: strokes redrawn at MNIST's thickness (what the app "
                                     "uses), the pen's pixels with thin strokes thickened, and the raw pixels.\n"
                                     "The app's reader reads each drawing as the app does: its image network at "
                                     "each pen width, with its stroke model, which reads the path of the pen and "
                                     "which no pen width changes."))
        self.status.setWordWrap(True)
        self.plot = PlotCanvas(6.4, 4.2)
        self.table = QPlainTextEdit()
        self.table.setReadOnly(True)
        self.table.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.table.setMaximumHeight(170)

        controls = QVBoxLayout()
        controls.addWidget(QLabel(self.tr("Models")))
        controls.addWidget(self.models, 1)
        controls.addWidget(QLabel(self.tr("Test drawings")))
        controls.addWidget(self.dataset)
        controls.addWidget(self.samples)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        controls.addLayout(buttons)
        results = QVBoxLayout()
        results.addWidget(self.status)
        results.addWidget(self.bar)
        results.addWidget(self.plot, 1)
        results.addWidget(self.table)
        layout = QHBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(results, 1)
        self.resize(1040, 720)

    def chosen(self) -> dict[str, tuple[Path, ...]]:
        items = (self.models.item(i) for i in range(self.models.count()))
        return dict(item.data(Qt.ItemDataRole.UserRole) for item in items
                    if item.checkState() == Qt.CheckState.Checked)

    def start(self) -> None:
        paths = self.chosen()
        if not paths:
            self.status.setText(self.tr("Tick at least one model."))
            return
        self.job = start_job(measure, paths, self.samples.value(), self.dataset.currentData(), parent=self,
                             progress=self._on_progress, succeeded=self._on_done, failed=self._on_failed,
                             finished=self._on_finished)
        self.run_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self.status.setText(self.tr("Drawing and classifying {0:,} digits per pen width…").format(self.samples.value()))

    def _on_progress(self, value) -> None:
        done, total = value
        self.bar.setRange(0, total)
        self.bar.setValue(done)

    def _on_done(self, result) -> None:
        if result is None:
            self.status.setText(self.tr("Stopped."))
            return
        self.result = result
        self.plot.figure.clear()
        result.plot(figure=self.plot.figure)
        axes = self.plot.figure.axes[0]   # the library's axis labels and title, in the app's language
        axes.set_xlabel(self.tr("pen width (px on a {0}-px canvas)").format(result.canvas))
        axes.set_ylabel(self.tr("accuracy (%)"))
        pen = result.dataset == "pen"
        title = self.tr("Real pen digits of held-out writers, n = {0:,}") if pen else self.tr("Drawn MNIST test digits, n = {0:,}")
        title = title.format(result.n)
        axes.set_title(title if result.complete else self.tr("{0} (stopped)").format(title))
        self.plot.draw_idle()
        self.table.setPlainText(result.to_table())
        if pen:
            text = self.tr("Accuracy by pen width on {0:,} real pen digits of held-out writers (the canvas is "
                           "128 px, as in the app's preprocessing study).")
        else:
            text = self.tr("Accuracy by pen width on {0:,} traced MNIST test digits (the canvas is 128 px, as in "
                           "the app's preprocessing study).")
        self.status.setText(text.format(result.n))

    def _on_failed(self, message: str) -> None:
        self.status.setText(self.tr("Failed: {0}").format(message))

    def _on_finished(self, job: BackgroundJob) -> None:
        self.run_button.setEnabled(True)
        self.stop_button.setEnabled(False)
