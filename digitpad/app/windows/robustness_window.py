"""Tools → Stroke robustness…: accuracy of chosen readers on drawings by pen width, and how honest the
app's reader is (Tools → Honest answers…).

**Pen widths**: listed, the app's reader when it combines an image network and a stroke model (each
drawing read as the app reads it: the image network at each pen width with the stroke model, which no
pen width changes), then every image network alone.  A stroke model alone is not listed: no pen width
changes what it reads.  Runs :func:`digitpad.evaluation.robustness.run_robustness` in a background job
and shows its plot and table.

**Honest answers**: the app's reader (the one the main window reads with) measured by
:func:`digitpad.evaluation.honesty.measure_reader` on the digits of writers no model was trained or
calibrated on and on drawings that are not digits (`measure_honest_answers`: reporting its progress
after each set, and stopping there when asked), then its reliability diagram
(`digitpad.evaluation.honesty.plot_reliability`) and, per kind of reader it holds, the digits answered
"not a digit", sure and right, sure and wrong, the expected calibration error, and the drawings that
are not digits given a sure verdict.  It needs the real pen digits, UJI Pen Characters and Omniglot's
strokes (`missing_honesty_data` says which are not found).

Both read the app's data folder (`digitpad.app.data_folder`); when a data set is missing, the window asks
to download it or to choose its folder (`data_folder.ask_for_data`), as training does.
"""

from __future__ import annotations

import math
from html import escape
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QListWidget,
                               QListWidgetItem, QPlainTextEdit, QProgressBar, QPushButton, QSpinBox, QTableWidget,
                               QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget)

from digitpad.app import data_folder
from digitpad.app.i18n import number, number_locale, percent, significant
from digitpad.app.model_labels import model_label, no_model_text
from digitpad.app.widgets.plots import LocaleFormatter, PlotCanvas, locale_ticks
from digitpad.app.workers import BackgroundJob, StopsJobOnClose, start_job
from digitpad.errors import DigitpadError
from digitpad.reading.reader import Reader
from digitpad.reading.store import ModelEntry

DEFAULT_SAMPLES = 300
MODELS_WIDTH = 340
"""The widest the model list grows to show its names (longer ones are shortened in the middle)."""
HONEST_TRACED = 0
"""Traced MNIST test digits among the digits the honest answers are measured on, by default: none (the
writers' own pen digits only: about 30 s with the shipped reader; each 1,000 traced digits add some)."""


def measure(job: BackgroundJob, paths: dict[str, tuple[Path, ...]], samples: int, dataset: str = "traced",
            data_dir=None):
    """Load each reader (the worker's own copies: its model files) and run the robustness study on the data
    in ``data_dir`` (None: the default folders); None if cancelled."""
    try:
        from digitpad.evaluation.robustness import run_robustness
    except ImportError:
        raise DigitpadError("the stroke robustness study (digitpad.evaluation.robustness) is not part of this installation") from None
    models = {name: Reader.load(list(files)) for name, files in paths.items()}
    result = run_robustness(models, n=samples, dataset=dataset, progress=lambda done, total: job.report((done, total)),
                            cancel=job.cancelled, data_dir=data_dir)
    return None if job.cancelled() else result


def missing_honesty_data(traced: int, data_dir=None) -> list[str]:
    """The data the honest answers need and that is not found (``"pendigits"``, ``"uji"``, ``"omniglot"``,
    and ``"mnist"`` when ``traced`` digits are asked for), in that order; empty when all is there."""
    return data_folder.missing(honesty_needs(traced), data_dir)


def honesty_needs(traced: int) -> list[str]:
    """The data sets the honest answers read: the writers' pen digits and characters, the drawings that
    are not digits, and MNIST when ``traced`` digits are asked for."""
    return ["pendigits", "uji", "omniglot"] + (["mnist"] if traced else [])


def measure_honest_answers(job: BackgroundJob, paths: tuple[Path, ...], traced: int, data_dir=None) -> dict | None:
    """`digitpad.evaluation.honesty.measure_reader` of the reader of ``paths`` (the worker's own copy: its
    model files) with ``traced`` traced MNIST digits: the job reports (drawings read, drawings to read)
    after each set and stops between sets when cancelled (None).  Kind -> measured, the combined reader
    first."""
    from digitpad.evaluation.honesty import measure_reader

    def progress(done: int, total: int) -> bool:
        job.report((done, total))
        return not job.cancelled()

    return measure_reader(Reader.load(list(paths)), traced, data_dir, progress)


class RobustnessWindow(StopsJobOnClose, QWidget):
    """Two tabs: **Pen widths** (pick models and a sample count, run, and read the accuracy-per-pen-width
    plot and table) and **Honest answers** (measure the app's reader ``combined``, the one the main window
    reads with, and read its reliability diagram and figures).  One job runs at a time."""

    PEN_WIDTHS, HONESTY = 0, 1

    def __init__(self, entries: list[ModelEntry], selected: str | None = None, parent=None,
                 combined: Reader | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Stroke robustness"))
        self.setLocale(number_locale())   # the spin boxes' numbers in the app's language
        self.job: BackgroundJob | None = None
        self.result = None
        self.app_reader = combined
        self.honesty: dict | None = None
        self.models = QListWidget()
        if combined is not None and combined.kind == "both":
            item = QListWidgetItem(self.tr("{0} (the app's reader)").format(combined.name))
            item.setToolTip(self.tr("The app's reader: the image network and the stroke model together"))
            item.setData(Qt.ItemDataRole.UserRole, (combined.name, combined.paths))
            item.setCheckState(Qt.CheckState.Checked)
            self.models.addItem(item)
        for entry in entries:
            item = QListWidgetItem(model_label(entry))
            item.setToolTip(model_label(entry))   # the whole name, where a long one is shortened in the list
            item.setData(Qt.ItemDataRole.UserRole, (entry.name, (entry.path,)))
            item.setCheckState(Qt.CheckState.Checked if entry.kind == "shipped" or entry.name == selected
                               else Qt.CheckState.Unchecked)
            self.models.addItem(item)
        self._fit_model_names()
        self.samples = QSpinBox()
        self.samples.setRange(10, 10000)
        self.samples.setSingleStep(100)
        self.samples.setValue(DEFAULT_SAMPLES)
        self.samples.setSuffix(self.tr(" drawings"))
        self.dataset = QComboBox()
        self.dataset.addItem(self.tr("Real pen digits (held-out writers)"), "pen")
        self.dataset.addItem(self.tr("MNIST test digits, traced"), "traced")
        self.dataset.setCurrentIndex(self.dataset.findData("traced"))
        self.dataset.setToolTip(self.tr("Real pen digits: about {0} digits of {1} writers no model is trained on").format(
            number(1500), number(6)))
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
        self.table.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)   # a table's rows stay rows: it scrolls
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
        widths = QWidget()
        widths_layout = QHBoxLayout(widths)
        widths_layout.addLayout(controls)
        widths_layout.addLayout(results, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(widths, self.tr("Pen widths"))
        self.tabs.addTab(self._build_honesty_tab(), self.tr("Honest answers"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.resize(1040, 720)

    def _fit_model_names(self) -> None:
        """The model list as wide as its longest name, within bounds: a longer name is shortened in its
        middle (its kind and accuracy stay in view) and shown whole in its tooltip."""
        models = self.models
        models.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        extra = 2 * models.frameWidth() + models.verticalScrollBar().sizeHint().width() + 8
        models.setFixedWidth(min(max(models.sizeHintForColumn(0) + extra, 220), MODELS_WIDTH))
        check = models.style().pixelMetric(models.style().PixelMetric.PM_IndicatorWidth) + 12
        room = models.width() - extra - check
        metrics = models.fontMetrics()
        for row in range(models.count()):
            item = models.item(row)
            if metrics.horizontalAdvance(item.text()) > room:
                item.setText(metrics.elidedText(item.text(), Qt.TextElideMode.ElideMiddle, room))

    def _build_honesty_tab(self) -> QWidget:
        reader = self.app_reader
        name = reader.name if reader is not None else ""
        if reader is None:
            text = no_model_text()
        else:
            text = self.tr("How honest is the app's reader, <b>{0}</b>? It reads the digits of writers no model was "
                           "trained or calibrated on, and drawings that are not digits (letters, characters of other "
                           "alphabets, shapes, scribbles, digits crossed out). The diagram shows, for each confidence it "
                           "gives, how often it is right: an honest reader stays on the diagonal.").format(escape(name))
        self.honest_intro = intro = QLabel(text)
        intro.setWordWrap(True)
        self.honest_traced = QSpinBox()
        self.honest_traced.setRange(0, 10000)
        self.honest_traced.setSingleStep(500)
        self.honest_traced.setValue(HONEST_TRACED)
        self.honest_traced.setGroupSeparatorShown(True)
        self.honest_traced.setToolTip(self.tr("Traced MNIST test digits measured beside the writers' own pen digits "
                                              "(needs MNIST; each thousand adds some seconds)"))
        self.honest_button = QPushButton(self.tr("Measure"))
        self.honest_button.setEnabled(reader is not None)
        self.honest_button.clicked.connect(self.start_honesty)
        self.honest_stop = QPushButton(self.tr("Stop"))
        self.honest_stop.setEnabled(False)
        self.honest_stop.clicked.connect(lambda: self.job and self.job.cancel())
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Traced MNIST digits too:")))
        row.addWidget(self.honest_traced)
        row.addStretch(1)
        row.addWidget(self.honest_button)
        row.addWidget(self.honest_stop)
        self.honest_bar = QProgressBar()
        self.honest_status = QLabel(self.tr("Not measured yet: about half a minute."))
        self.honest_status.setWordWrap(True)
        self.honest_status.setTextFormat(Qt.TextFormat.RichText)   # what it says of files and models is escaped
        self.honest_plot = PlotCanvas(6.4, 3.6)
        self.honest_table = QTableWidget(0, len(self.honesty_columns()))
        self.honest_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.honest_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.honest_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for column, (title, tip, _) in enumerate(self.honesty_columns()):
            item = QTableWidgetItem(title)
            item.setToolTip(tip)
            self.honest_table.setHorizontalHeaderItem(column, item)
        # as wide as its texts (the headers' two lines, the readers' names), never cut
        self.honest_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.honest_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.honest_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.honest_table.setSizeAdjustPolicy(QAbstractItemView.SizeAdjustPolicy.AdjustToContents)
        self._fit_table()
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.honest_bar)
        layout.addWidget(self.honest_status)
        layout.addWidget(self.honest_plot, 1)
        layout.addWidget(self.honest_table, 0, Qt.AlignmentFlag.AlignLeft)
        return tab

    def honesty_columns(self) -> list[tuple[str, str, tuple[str, str]]]:
        """The honest answers' table: each column's title, its tooltip and where its figure is (set, field)."""
        return [
            (self.tr("digits answered\n“not a digit”"),
             self.tr("Real digits the reader refuses to read: fewer is better"), ("digits: all", "not_a_digit")),
            (self.tr("digits:\nsure and right"),
             self.tr("Real digits answered “N % sure it is a d” with the right digit: more is better"),
             ("digits: all", "sure")),
            (self.tr("digits:\nsure and wrong"),
             self.tr("Real digits answered “sure” with a wrong digit: the answers an honest reader never gives"),
             ("digits: all", "sure_wrong")),
            (self.tr("calibration\nerror (ECE)"),
             self.tr("Expected calibration error: how far, on average, the confidence shown is from how often the "
                     "reader is right at it"), ("digits: all", "ece")),
            (self.tr("not digits given\na sure verdict"),
             self.tr("Drawings that are not digits answered “N % sure it is a d”: fewer is better"),
             ("not digits: all", "sure")),
        ]

    def kind_names(self) -> dict[str, str]:
        """Each kind of reader, in the app's language (the diagram's legend and the table's rows)."""
        return {"both": self.tr("image network and stroke model combined"), "image": self.tr("the image network alone"),
                "strokes": self.tr("the stroke model alone")}

    def percent(self, value: float | None, decimals: int = 2) -> str:
        """A share as a percentage in the app's language ("0.35%", « 0,35 % »); a dash for none."""
        if value is None:
            return "–"
        return percent(value, decimals)

    def _fit_table(self) -> None:
        table = self.honest_table
        table.resizeRowsToContents()
        rows = sum(table.rowHeight(row) for row in range(table.rowCount()))
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth() + 2)

    def chosen(self) -> dict[str, tuple[Path, ...]]:
        items = (self.models.item(i) for i in range(self.models.count()))
        return dict(item.data(Qt.ItemDataRole.UserRole) for item in items
                    if item.checkState() == Qt.CheckState.Checked)

    def _running(self, running: bool) -> None:
        """One job at a time: while one runs, neither tab starts another, and its Stop stops it."""
        self.run_button.setEnabled(not running)
        self.honest_button.setEnabled(not running and self.app_reader is not None)

    # --- the data ---------------------------------------------------------------------------------
    @staticmethod
    def say(status: QLabel, text: str) -> None:
        """``text`` in a status line, escaped where the line is rich text (the honest answers')."""
        status.setText(escape(text, quote=False) if status.textFormat() == Qt.TextFormat.RichText else text)

    def with_data(self, needs: list[str], status: QLabel, bar: QProgressBar, stop: QPushButton,
                  then: Callable[[Path | None], None]) -> bool:
        """``then(folder)`` with the app's data folder (None: the default folders) when the data sets
        ``needs`` are found; else ask to download them (progress in ``status`` and ``bar``, ``stop`` stops
        it; then ``then``) or to choose their folder (`data_folder.ask_for_data`).  False when the user
        cancelled (the status says what is missing)."""
        folder = data_folder.data_dir()
        if missing := data_folder.missing(needs, folder):
            answer = data_folder.ask_for_data(self, missing)
            if answer is None:
                self.say(status, self.tr("Not run: {0} not found.").format(data_folder.missing_text(missing)))
                return False
            if answer == data_folder.DOWNLOAD:
                def progress(value) -> None:
                    _, done, total = value
                    self.say(status, data_folder.progress_text(value))
                    bar.setRange(0, 1000)
                    bar.setValue(int(1000 * done / total) if total else 0)

                def finished(job: BackgroundJob) -> None:
                    if job is self.job:   # no measure started after it
                        self._running(False)
                        stop.setEnabled(False)

                self.say(status, self.tr("Downloading…"))
                self.job = start_job(data_folder.download_data, missing, data_folder.download_dir(), parent=self,
                                     progress=progress,
                                     succeeded=lambda result: self._on_downloaded(result, status, bar, then),
                                     failed=lambda message: self.say(status, self.tr("Failed: {0}").format(message)),
                                     finished=finished)
                self._running(True)
                stop.setEnabled(True)
                return True
            folder = answer
        then(folder)
        return True

    def _on_downloaded(self, result, status: QLabel, bar: QProgressBar, then: Callable[[Path | None], None]) -> None:
        """Go on with the data just downloaded, or in the folder chosen after a failed download (said once,
        in one sentence: `data_folder.downloaded`)."""
        bar.setRange(0, 1)
        bar.setValue(0)
        if result is None:
            status.setText(self.tr("Stopped."))
            return
        if isinstance(result, data_folder.DownloadFailure):
            self.say(status, data_folder.failure_title(result))
        folder = data_folder.downloaded(self, result)
        if folder is not None:
            then(folder)

    # --- pen widths -------------------------------------------------------------------------------
    def start(self) -> None:
        """Run the pen-width study on the chosen models, once the data it draws from is here."""
        paths = self.chosen()
        if not paths:
            self.status.setText(self.tr("Tick at least one model."))
            return
        if self.job is not None and self.job.isRunning():
            return
        needs = ["pendigits"] if self.dataset.currentData() == "pen" else ["mnist"]
        self.with_data(needs, self.status, self.bar, self.stop_button, lambda folder: self._measure(paths, folder))

    def _measure(self, paths: dict[str, tuple[Path, ...]], folder: Path | None) -> None:
        self.job = start_job(measure, paths, self.samples.value(), self.dataset.currentData(), folder, parent=self,
                             progress=self._on_progress, succeeded=self._on_done, failed=self._on_failed,
                             finished=self._on_finished)
        self._running(True)
        self.stop_button.setEnabled(True)
        self.status.setText(self.tr("Drawing and classifying {0} digits per pen width…").format(number(self.samples.value())))

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
        locale_ticks(axes, x=False)
        axes.set_xticks(result.widths, [significant(width, 6) for width in result.widths])
        modes = self.mode_names()   # the legend: each model's colour and marker, each pipeline's line, in the app's language
        if result.accuracy:
            axes.legend(*result.legend_entries(lambda mode: modes.get(mode, mode)), fontsize="small", loc="best")
        pen = result.dataset == "pen"
        title = self.tr("Real pen digits of held-out writers, n = {0}") if pen else self.tr("Drawn MNIST test digits, n = {0}")
        title = title.format(number(result.n))
        axes.set_title(title if result.complete else self.tr("{0} (stopped)").format(title))
        self.plot.draw_idle()
        self.table.setPlainText(self.table_text(result))
        if pen:
            text = self.tr("Accuracy by pen width on {0} real pen digits of held-out writers (the canvas is "
                           "128 px, as in the app's preprocessing study).")
        else:
            text = self.tr("Accuracy by pen width on {0} traced MNIST test digits (the canvas is 128 px, as in "
                           "the app's preprocessing study).")
        self.status.setText(text.format(number(result.n)))

    def mode_names(self) -> dict[str, str]:
        """Each pipeline of the pen-width study, in the app's language (the legend and the table)."""
        return {"strokes": self.tr("strokes redrawn (the app's)"), "image": self.tr("image-normalised"),
                "raw": self.tr("raw pixels")}

    def table_text(self, result) -> str:
        """`RobustnessResult.to_table` in the app's language and its numbers: one row per model and
        pipeline, the accuracy (%) at each pen width and the spread over the widths users draw with."""
        from digitpad.evaluation.robustness_report import SPREAD_WIDTHS

        low, high = SPREAD_WIDTHS
        spread = any(low <= width <= high for width in result.widths)
        decimals = 2 if result.n >= 5000 else 1   # the standard error is 0.2 points or less from n = 5,000

        def figure(value: float) -> str:
            return "–" if math.isnan(value) else number(100 * value, decimals)

        modes = self.mode_names()
        rows = [[self.tr("model"), self.tr("pipeline"), *(self.tr("{0} px").format(significant(w, 6))
                                                         for w in result.widths)]]
        if spread:
            rows[0].append(self.tr("spread {0}–{1}").format(low, high))
        for key, values in result.accuracy.items():
            rows.append([key[0], modes.get(key[1], key[1]), *map(figure, values)]
                        + ([figure(result.spread(key))] if spread else []))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        lines = [self.tr("Accuracy (%) by pen width, n = {0} (canvas {1} px, seed {2})").format(
            number(result.n), result.canvas, result.seed)
            + ("" if result.complete else " " + self.tr("(stopped: incomplete)"))]
        for i, row in enumerate(rows):
            cells = [cell.ljust(widths[c]) if c < 2 else cell.rjust(widths[c]) for c, cell in enumerate(row)]
            lines.append("  ".join(cells).rstrip())
            if i == 0:
                lines.append("-" * len(lines[-1]))
        measured = [a for values in result.accuracy.values() for a in values if not math.isnan(a)]
        if measured and result.n:
            errors = [100 * result.standard_error(a) for a in measured]
            lines.append(self.tr("standard error per figure: √(p(1−p)/n) = {0} to {1} points (n = {2}; the columns "
                                 "use the same drawings)").format(number(min(errors), 2), number(max(errors), 2),
                                                                  number(result.n)))
        empty = {mode: sum(counts) for mode, counts in result.empty.items() if sum(counts)}
        if empty:
            lines.append(self.tr("drawings in which preprocessing found no ink (counted as misread): {0}").format(
                ", ".join(f"{modes.get(mode, mode)} {number(count)}" for mode, count in empty.items())))
        return "\n".join(lines)

    def _on_failed(self, message: str) -> None:
        self.status.setText(self.tr("Failed: {0}").format(message))

    def _on_finished(self, job: BackgroundJob) -> None:
        self._running(False)
        self.stop_button.setEnabled(False)

    # --- honest answers --------------------------------------------------------------------------
    def start_honesty(self) -> None:
        """Measure the app's reader (`measure_honest_answers`) in a background job, unless data is missing."""
        if self.app_reader is None or (self.job is not None and self.job.isRunning()):
            return
        traced = self.honest_traced.value()
        self.with_data(honesty_needs(traced), self.honest_status, self.honest_bar, self.honest_stop,
                       lambda folder: self._measure_honesty(traced, folder))

    def _measure_honesty(self, traced: int, folder: Path | None) -> None:
        self.job = start_job(measure_honest_answers, self.app_reader.paths, traced, folder, parent=self,
                             progress=self._on_honesty_progress, succeeded=self._on_honesty_done,
                             failed=self._on_honesty_failed, finished=self._on_honesty_finished)
        self._running(True)
        self.honest_stop.setEnabled(True)
        self.honest_bar.setRange(0, 0)   # busy until the sets are loaded
        self.honest_status.setText(self.tr("Reading the held-out writers' digits and the drawings that are not "
                                           "digits with each kind of reader {0} holds…").format(escape(self.app_reader.name)))

    def _on_honesty_progress(self, value) -> None:
        done, total = value
        self.honest_bar.setRange(0, max(total, 1))
        self.honest_bar.setValue(done)

    def _on_honesty_done(self, measured: dict | None) -> None:
        if measured is None:
            self.honest_status.setText(self.tr("Stopped."))
            return
        self.honesty = measured
        self.show_honesty(measured)

    def show_honesty(self, measured: dict) -> None:
        """The reliability diagram of each kind of reader and the table of its figures."""
        from digitpad.evaluation.honesty import plot_reliability

        names = self.kind_names()
        app_kind = self.app_reader.kind if self.app_reader is not None else None
        figure = self.honest_plot.figure
        figure.clear()
        figure.set_layout_engine("none")   # the library lays the diagram out once (tight)...
        plot_reliability(measured, figure=figure, names=names,
                         texts=(self.tr("confidence (the top probability shown)"), self.tr("accuracy"),
                                self.tr("Reliability on held-out writers' digits")))
        axes = figure.axes[0]
        for axis in (axes.xaxis, axes.yaxis):
            axis.set_major_formatter(LocaleFormatter(percent=True))
        handles, _ = axes.get_legend_handles_labels()   # the legend's numbers in the app's language too
        labels = [self.tr("{0} (ECE {1})").format(names.get(kind, kind), self.percent(m["sets"]["digits: all"]["ece"]))
                  for kind, m in measured.items()]
        axes.legend(handles, labels, loc="lower right", fontsize="small")
        for collection in axes.collections:   # a marker at 100 % is drawn whole, not cut by the frame
            collection.set_clip_on(False)
        if app_kind in measured and len(axes.collections) == len(measured):   # the app's reader's markers on top
            top = max(collection.get_zorder() for collection in axes.collections)
            axes.collections[list(measured).index(app_kind)].set_zorder(top + 0.5)
        figure.set_layout_engine("constrained")   # ...and the window again at each size, with the texts above
        self.honest_plot.draw_idle()

        table = self.honest_table
        table.setRowCount(len(measured))
        columns = self.honesty_columns()
        for row, (kind, m) in enumerate(measured.items()):
            title = names.get(kind, kind)
            if kind == app_kind:
                title = self.tr("{0}\n(the app's reader)").format(title)
            table.setVerticalHeaderItem(row, QTableWidgetItem(title))
            for column, (_, _, (set_name, field)) in enumerate(columns):
                item = QTableWidgetItem(self.percent(m["sets"][set_name][field]))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, column, item)
        self._fit_table()
        first = next(iter(measured.values()))["sets"]
        self.honest_status.setText(self.tr("{0}: measured on {1} digits of held-out writers and {2} drawings that are "
                                           "not digits; each figure is a share of them.").format(
            escape(self.app_reader.name) if self.app_reader is not None else "",
            number(first["digits: all"]["count"]), number(first["not digits: all"]["count"])))

    def _on_honesty_failed(self, message: str) -> None:
        self.honest_status.setText(self.tr("Failed: {0}").format(escape(message)))

    def _on_honesty_finished(self, job: BackgroundJob) -> None:
        self._running(False)
        self.honest_stop.setEnabled(False)
        if self.honest_bar.maximum() == 0:   # failed or stopped before the first set: no busy bar left behind
            self.honest_bar.setRange(0, 1)
            self.honest_bar.setValue(0)
