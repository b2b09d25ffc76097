"""Tools → Confusion matrix…: the chosen reader on the MNIST test set (pictures: its image network reads
them) or on real pen digits of held-out writers (drawings: its image network and stroke model read them
together, as the app reads yours); click a cell to see its images, and an image to open it in the main
window as a picture (``picture_chosen``), where "Why this digit?" explains it.  The data is read from the
app's data folder; when it is missing, `ConfusionWindow.start` asks to download it or to choose its folder
first."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from digitpad.app import data_folder
from digitpad.app.i18n import number, percent
from digitpad.app.widgets.plots import PlotCanvas
from digitpad.app.widgets.thumbnails import ThumbnailGrid
from digitpad.app.workers import BackgroundJob, StopsJobOnClose, start_job
from digitpad.app.readers import ReaderChoice, load_reader
from digitpad.data import mnist, pendigits
from digitpad.drawing.strokes import Drawing
from digitpad.errors import DigitpadError
from digitpad.evaluation.metrics import confusion_matrix, plot_confusion

CHUNK = 500
MAX_THUMBNAILS = 400


@dataclass
class TestRun:
    """Predictions of one model on the test set, with the images for browsing the mistakes."""

    images: np.ndarray         # uint8 (N, 28, 28)
    labels: np.ndarray
    predictions: np.ndarray
    confusion: np.ndarray

    @property
    def accuracy(self) -> float:
        return float(np.trace(self.confusion) / max(len(self.labels), 1))


def test_images(dataset: str, data_dir=None) -> tuple[np.ndarray, np.ndarray, list]:
    """uint8 (N, 28, 28) images, labels and the items a reader reads: MNIST's test set (the images
    themselves), or the pen digits of the measurement writers (no model is trained or selected on them):
    their images as the app prepares a drawing, and the drawings, strokes and all."""
    if dataset == "pen":
        writers = pendigits.writer_groups()["measure"]
        digits = pendigits.of_writers(pendigits.load_pendigits(data_dir), writers)
        images, labels = pendigits.network_inputs(digits)
        drawings = [Drawing(list(d.strokes), 1.0, pendigits.TABLET_HEIGHT) for d in digits]
        return images, labels, drawings
    images, labels = mnist.load_mnist("test", data_dir)
    return images, labels, list(images)


def evaluate_on_test_set(job: BackgroundJob, choice: ReaderChoice | Path, data_dir=None, dataset: str = "mnist") -> TestRun | None:
    """Read the test items chunk by chunk with the reader of ``choice``, reporting (done, total); None if
    cancelled.  DigitpadError when a stroke model alone is asked to read MNIST's pictures."""
    reader = load_reader(ReaderChoice.parse(choice))   # the worker's own copy: the UI keeps predicting with its own
    if reader.model is None and dataset != "pen":
        raise DigitpadError("a stroke model reads drawings, and MNIST's test set is pictures: use Tools → "
                            "Confusion on real pen digits")
    images, labels, items = test_images(dataset, data_dir)
    predictions = np.empty(len(labels), np.int64)
    for start in range(0, len(labels), CHUNK):
        if job.cancelled():
            return None
        predictions[start:start + CHUNK] = reader.probabilities(items[start:start + CHUNK]).argmax(axis=1)
        job.report((min(start + CHUNK, len(labels)), len(labels)))
    return TestRun(images, labels.astype(np.int64), predictions, confusion_matrix(labels.astype(np.int64), predictions))


class ConfusionWindow(StopsJobOnClose, QWidget):
    """Evaluates once `start` is called (with ``data_dir``, else the app's data folder); :attr:`run` holds
    the result once done.  ``picture_chosen(image, name)``: an image of a cell was clicked (uint8 (28, 28),
    and its name such as "test image #8 (a 5 read as 6)")."""

    picture_chosen = Signal(object, str)

    def __init__(self, model_name: str, model_path: ReaderChoice | Path, data_dir=None, parent=None, dataset: str = "mnist"):
        super().__init__(parent, Qt.WindowType.Window)
        self.model_name = model_name
        self.dataset = dataset
        self.choice = ReaderChoice.parse(model_path)
        self.data_dir = data_dir
        self.job: BackgroundJob | None = None
        self.run: TestRun | None = None
        if dataset == "pen":
            title = self.tr("Confusion matrix — {0}, real pen digits of held-out writers")
            evaluating = self.tr("Evaluating {0} on real pen digits of held-out writers…")
        else:
            title = self.tr("Confusion matrix — {0}, the MNIST test set")
            evaluating = self.tr("Evaluating {0} on the MNIST test set…")
        self.setWindowTitle(title.format(model_name))
        self.evaluating = evaluating.format(model_name)
        self.status = QLabel(self.evaluating)
        self.status.setWordWrap(True)
        self.bar = QProgressBar()
        self.plot = PlotCanvas(6.2, 5.4, layout=None)
        self.plot.mpl_connect("button_press_event", self._on_click)
        self.cell_title = QLabel(self.tr("Click a cell of the matrix to see its test images."))
        self.cell_title.setWordWrap(True)
        self.thumbnails = ThumbnailGrid(side=42)
        self.thumbnails.setMinimumWidth(380)
        self.thumbnails.setCursor(Qt.CursorShape.PointingHandCursor)
        self.thumbnails.setToolTip(self.tr("Click an image to open it in the main window as a picture: "
                                           "“Why this digit?” explains what the reader sees in it."))
        self.thumbnails.itemClicked.connect(self._thumbnail_clicked)
        self.shown: tuple[int, int, np.ndarray] | None = None   # the cell shown and its images' indices
        cancel = QPushButton(self.tr("Stop"))
        cancel.clicked.connect(self._stop)
        self.stop_button = cancel

        top = QHBoxLayout()
        top.addWidget(self.status, 1)
        top.addWidget(self.bar)
        top.addWidget(cancel)
        side = QVBoxLayout()
        side.addWidget(self.cell_title)
        side.addWidget(self.thumbnails, 1)
        body = QHBoxLayout()
        body.addWidget(self.plot, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self.resize(1080, 600)

    def needs(self) -> list[str]:
        """The data sets this window reads: MNIST's test set, or the real pen digits."""
        return ["pendigits"] if self.dataset == "pen" else ["mnist"]

    def start(self) -> bool:
        """Evaluate; when the data is missing, first ask to download it (then evaluate) or to choose its
        folder (`data_folder.ask_for_data`).  False when the user cancelled: nothing runs."""
        folder = self.data_dir if self.data_dir is not None else data_folder.data_dir()
        if missing := data_folder.missing(self.needs(), folder):
            answer = data_folder.ask_for_data(self if self.isVisible() else self.parentWidget(), missing)
            if answer is None:
                return False
            if answer == data_folder.DOWNLOAD:
                self.status.setText(self.tr("Downloading…"))
                self.job = start_job(data_folder.download_data, missing, data_folder.download_dir(), parent=self,
                                     progress=self._on_download_progress, succeeded=self._on_downloaded,
                                     failed=self._on_failed, finished=self._on_download_finished)
                return True
            folder = answer
        self._evaluate(folder)
        return True

    def _evaluate(self, folder) -> None:
        self.data_dir = folder
        self.status.setText(self.evaluating)
        self.bar.setRange(0, 0)
        self.job = start_job(evaluate_on_test_set, self.choice, folder, self.dataset, parent=self,
                             progress=self._on_progress, succeeded=self._on_done, failed=self._on_failed,
                             finished=self._on_finished)

    def _on_download_progress(self, value) -> None:
        _, done, total = value
        self.status.setText(data_folder.progress_text(value))
        self.bar.setRange(0, 1000)
        self.bar.setValue(int(1000 * done / total) if total else 0)

    def _on_downloaded(self, result) -> None:
        """Evaluate on the data just downloaded, or in the folder chosen after a failed download (said once,
        in one sentence: `data_folder.downloaded`)."""
        if result is None:
            self.status.setText(self.tr("Stopped."))
            return
        if isinstance(result, data_folder.DownloadFailure):
            self.status.setText(data_folder.failure_title(result))
            self.bar.hide()
        folder = data_folder.downloaded(self, result)
        if folder is not None:
            self.bar.show()
            self.stop_button.show()
            self._evaluate(folder)

    def _on_download_finished(self, job: BackgroundJob) -> None:
        if job is self.job:   # no evaluation started after it
            self._on_finished(job)

    def _stop(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.status.setText(self.tr("Stopped."))

    def _on_progress(self, value) -> None:
        done, total = value
        self.bar.setRange(0, total)
        self.bar.setValue(done)

    def _on_finished(self, job: BackgroundJob) -> None:
        self.stop_button.hide()
        self.bar.hide()

    def _on_failed(self, message: str) -> None:
        self.status.setText(self.tr("Evaluation failed: {0}").format(message))

    def _on_done(self, run: TestRun | None) -> None:
        if run is None:
            return
        self.run = run
        errors = int(len(run.labels) - np.trace(run.confusion))
        self.status.setText(self.tr("{0}: accuracy {1} on {2} test images ({3} wrong). Red outlines: "
                                    "the 1/4/7 and 4/9 confusions.").format(self.model_name, percent(run.accuracy, 2),
                                                                            number(len(run.labels)), number(errors)))
        title = (self.tr("{0} on real pen digits of held-out writers") if self.dataset == "pen"
                 else self.tr("{0} on the MNIST test set"))
        plot_confusion(run.confusion, title.format(self.model_name), figure=self.plot.figure)
        matrix_axes, colour_axes = self.plot.figure.axes[:2]   # the library's plot labels, in the app's language
        matrix_axes.set_xlabel(self.tr("predicted digit"))
        matrix_axes.set_ylabel(self.tr("true digit"))
        colour_axes.set_ylabel(self.tr("images (log scale)"))
        for text in matrix_axes.texts:   # the counts in the cells, in the app's language (« 1 133 »)
            if text.get_text().isdigit():
                text.set_text(number(int(text.get_text())))
        self.plot.draw_idle()
        worst = max(((t, p) for t in range(10) for p in range(10) if t != p), key=lambda c: run.confusion[c])
        self.show_cell(*worst)

    def _on_click(self, event) -> None:
        axes = self.plot.figure.axes
        if self.run is None or not axes or event.inaxes is not axes[0] or event.xdata is None:
            return
        self.show_cell(int(round(event.ydata)), int(round(event.xdata)))

    def show_cell(self, true: int, predicted: int) -> None:
        """Show the test images of digit ``true`` that the model read as ``predicted``."""
        run = self.run
        indices = np.flatnonzero((run.labels == true) & (run.predictions == predicted))
        count = len(indices)
        text = (self.tr("<b>{0}</b> test image(s) of a <b>{1}</b> read correctly as <b>{2}</b>", "", count)
                if true == predicted else
                self.tr("<b>{0}</b> test image(s) of a <b>{1}</b> misread as <b>{2}</b>", "", count))
        text = text.format(number(count), true, predicted)
        if len(indices) > MAX_THUMBNAILS:
            text = self.tr("{0} (first {1} shown)").format(text, MAX_THUMBNAILS)
        if count:
            text += "<br><span style='color:#6b7280'>" + self.tr("Click an image to open it in the main window.") + "</span>"
        self.cell_title.setText(text)
        indices = indices[:MAX_THUMBNAILS]
        self.shown = (true, predicted, indices)
        self.thumbnails.set_images(run.images[indices], [f"#{i}" for i in indices])

    def _thumbnail_clicked(self, item) -> None:
        self.choose_image(self.thumbnails.row(item))

    def choose_image(self, position: int) -> None:
        """Open the ``position``-th image of the cell shown in the main window (``picture_chosen``)."""
        if self.shown is None or not 0 <= position < len(self.shown[2]):
            return
        true, predicted, indices = self.shown
        index = int(indices[position])
        name = (self.tr("pen digit #{0} (a {1} read as {2})") if self.dataset == "pen"
                else self.tr("test image #{0} (a {1} read as {2})")).format(index, true, predicted)
        self.picture_chosen.emit(self.run.images[index], name)
