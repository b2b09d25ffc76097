"""Your drawing at every pen width: each digit's probability against the pen, 2-48 px, for the raw
pixels and for what the app feeds the network (`digitpad.evaluation.width_sweep`).

The plot follows the recorded strokes, not the pen slider: it is recomputed (in a worker, on the
model's own copy, at most a few times a second) when a stroke is added, undone or cleared, or the
model or pipeline changes.  Clicking the plot shows the drawing rendered at that width and the two
28x28 inputs.  It follows the chosen reader's image network or, while two readers are compared and the
user picks it (`ReaderSide`), the compared one's, and says which.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digitpad.app.images import digit_pixmap
from digitpad.app.widgets.plots import PlotCanvas, locale_ticks
from digitpad.app.widgets.reader_side import ReaderSide
from digitpad.app.workers import LatestOnly, worker_model
from digitpad.drawing.strokes import render_strokes
from digitpad.errors import printable
from digitpad.evaluation.width_sweep import WidthSweep, sweep_pen_widths

THROTTLE_MS = 250
DIGIT_COLOURS = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#111827", "#bcbd22", "#17becf"]
SHOWN_FROM = 0.05   # a digit gets its own coloured, labelled curve once it reaches this probability


def _sweep_job(job, loaded: dict, path: Path, strokes: list[np.ndarray], canvas: int, modes: tuple[str, ...]):
    return sweep_pen_widths(worker_model(loaded, path), strokes, canvas, modes=modes)


def strokes_key(strokes: list[np.ndarray]) -> tuple:
    """Identifies a drawing's centre lines (not its pen): equal keys, equal strokes."""
    return tuple((len(s), hash(np.ascontiguousarray(s).tobytes())) for s in strokes)


class WidthPlot(QWidget):
    """The plot and the rendering at the clicked width; it follows the ``session``'s drawing, model and
    input mode at each answer, while shown (`update_drawing` for any drawing)."""

    def __init__(self, session=None, parent=None):
        super().__init__(parent)
        self.session = session
        self.plot = PlotCanvas(5.6, 2.3, dpi=90)
        self.plot.mpl_connect("button_press_event", self._clicked)
        self.canvas_view = QLabel()
        self.inputs_view = [QLabel(), QLabel()]
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for view in (self.canvas_view, *self.inputs_view):
            view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.inputs_captions = [QLabel(), QLabel()]
        side_widget = QWidget()
        side_widget.setFixedWidth(190)
        side = QVBoxLayout(side_widget)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.canvas_view)
        row = QHBoxLayout()
        for view, caption in zip(self.inputs_view, self.inputs_captions):
            column = QVBoxLayout()
            column.addWidget(view)
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(caption)
            row.addLayout(column)
        side.addLayout(row)
        side.addWidget(self.caption)
        side.addStretch(1)
        self.follows = QLabel()
        self.follows.setStyleSheet("color: #6b7280;")
        self.follows.setWordWrap(True)
        body = QHBoxLayout()
        body.addWidget(self.plot, 1)
        body.addWidget(side_widget)
        top = QHBoxLayout()
        top.addWidget(self.follows, 1)
        self.side = ReaderSide(session, self) if session is not None else None   # before the plot's connections
        if self.side is not None:
            self.side.picked.connect(self._picked)
            top.addWidget(self.side)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        self._loaded: dict = {}
        self.worker = LatestOnly(_sweep_job, self)
        self.worker.done.connect(self._arrived)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(THROTTLE_MS)
        self.timer.timeout.connect(self._submit)
        self.sweep: WidthSweep | None = None
        self.strokes: list[np.ndarray] = []
        self.canvas_size = 0
        self.model_path: Path | None = None
        self.app_mode = "strokes"
        self.selected_width: float | None = None
        self._key: tuple | None = None
        self._draw()
        if session is not None:
            session.answer_changed.connect(self._answered)
            session.readers_changed.connect(self._show_follows)
            self._show_follows()

    def _show_follows(self) -> None:
        """Say which model the plot follows: the chosen reader's image network, or while two readers are
        compared that of the one picked in `side`; a stroke model reads the path, which no pen width changes."""
        side = self.side
        image = side.image_path
        if image is None:
            self.follows.setText(self.tr("This reader has no image network: a stroke model reads the path of the "
                                         "pen, which the pen width does not change.") if side.reader is not None else "")
        elif side.comparing:
            self.follows.setText(self.tr("The image network {0} (a stroke model does not depend on the pen width), "
                                         "of the reader").format(printable(image.stem)))
        else:
            self.follows.setText(self.tr("The image network {0}; a stroke model does not depend on the pen "
                                         "width.").format(printable(image.stem)))

    def _picked(self) -> None:
        self._show_follows()
        self._answered()

    def _answered(self, _prediction=None) -> None:
        """Follow the session's drawing (none while a picture is open), if this plot is on screen."""
        session = self.session
        if session.last is None or not self.isVisible():
            return
        strokes = [] if session.picture is not None else session.drawing.strokes
        self.update_drawing(strokes, session.drawing.canvas_size, self.side.image_path, session.input_mode)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.session is not None:
            self._answered()

    def modes(self) -> tuple[str, ...]:
        return ("raw", self.app_mode) if self.app_mode != "raw" else ("raw",)

    def update_drawing(self, strokes: list[np.ndarray], canvas_size: int, model_path: Path | None,
                       app_mode: str) -> None:
        """The drawing changed (or the model, or the pipeline): recompute if the strokes,
        model or pipeline differ from the last request; a new pen width alone changes nothing."""
        key = (strokes_key(strokes), canvas_size, model_path, app_mode)
        if key == self._key:
            return
        self._key = key
        self.strokes = [s.copy() for s in strokes]
        self.canvas_size, self.model_path, self.app_mode = canvas_size, model_path, app_mode
        if not self.strokes or model_path is None:
            self.timer.stop()
            self.sweep = None
            self._draw()
            return
        if not self.timer.isActive():
            self.timer.start()

    def _submit(self) -> None:
        if self.strokes and self.model_path is not None:
            self.worker.submit(self._loaded, self.model_path, self.strokes, self.canvas_size, self.modes())

    def _arrived(self, done) -> None:
        (_, path, strokes, _canvas, modes), sweep = done
        if path != self.model_path or modes != self.modes() or strokes_key(strokes) != strokes_key(self.strokes):
            return
        self.sweep = sweep
        self._draw()

    def curves(self, mode: str) -> np.ndarray | None:
        """(W, 10) probabilities of the plotted sweep for a pipeline, or None."""
        return None if self.sweep is None else self.sweep.probabilities.get(mode)

    def _mode_title(self, mode: str) -> str:
        return {"raw": self.tr("raw pixels"), "strokes": self.tr("network input (strokes)"),
                "image": self.tr("network input (your pen)")}[mode]

    def _draw(self) -> None:
        figure = self.plot.figure
        figure.clear()
        modes = self.modes()
        axes = figure.subplots(1, len(modes), sharey=True, squeeze=False)[0]
        strong_lines = {}   # digit -> its curve: one legend for the panels, whichever panel a digit rises in
        for ax, mode in zip(axes, modes):
            ax.set_title(self._mode_title(mode), fontsize=8)
            ax.set_xlabel(self.tr("pen width (px)"), fontsize=8)
            ax.set_xlim(0, 50)
            ax.set_ylim(-0.02, 1.02)
            ax.tick_params(labelsize=7)
            locale_ticks(ax)   # « 0,2 » in French
            ax.grid(alpha=0.3)
            curves = self.curves(mode)
            if curves is None:
                continue
            for digit in range(10):
                strong = curves[:, digit].max() >= SHOWN_FROM
                line, = ax.plot(self.sweep.widths, curves[:, digit], color=DIGIT_COLOURS[digit] if strong else "#d1d5db",
                                lw=1.6 if strong else 0.8, label=str(digit) if strong else None)
                if strong:
                    strong_lines.setdefault(digit, line)
            if self.selected_width is not None:
                ax.axvline(self.selected_width, color="#111827", lw=0.8, ls="--")
        axes[0].set_ylabel(self.tr("probability"), fontsize=8)
        if self.sweep is not None:
            digits = sorted(strong_lines)
            axes[-1].legend([strong_lines[d] for d in digits], [str(d) for d in digits], fontsize=7,
                            loc="center right", title=self.tr("digit"), title_fontsize=7)
        else:
            axes[0].text(25, 0.5, self.tr("draw a digit"), ha="center", va="center", color="#9ca3af", fontsize=9)
        self.plot.draw_idle()
        self._show_selected()

    def _clicked(self, event) -> None:
        if event.xdata is not None and self.sweep is not None:
            self.select_width(float(event.xdata))

    def select_width(self, width: float) -> None:
        """Show the drawing rendered with a ``width``-pixel pen (the nearest swept width)."""
        if self.sweep is None:
            return
        self.selected_width = float(self.sweep.widths[self.sweep.nearest(width)])
        self._draw()

    def _show_selected(self) -> None:
        sweep, width = self.sweep, self.selected_width
        if sweep is None or width is None:
            for view in (self.canvas_view, *self.inputs_view):
                view.clear()
            for caption in self.inputs_captions:
                caption.clear()
            self.caption.setText(self.tr("Click the plot to see the drawing at that pen width."))
            return
        index = sweep.nearest(width)
        self.canvas_view.setPixmap(digit_pixmap(render_strokes(self.strokes, width, self.canvas_size), 112))
        names = {"raw": self.tr("raw: {0}"), "strokes": self.tr("network: {0}"), "image": self.tr("network: {0}")}
        for view, caption, mode in zip(self.inputs_view, self.inputs_captions, (*sweep.modes, None)):
            if mode is None:
                view.clear()
                caption.clear()
                continue
            view.setPixmap(digit_pixmap(sweep.inputs[mode][index], 56))
            best = int(np.argmax(sweep.probabilities[mode][index]))
            caption.setText(names[mode].format(best))
        self.caption.setText(self.tr("pen {0} px").format(int(width)))

    def shutdown(self) -> None:
        self.timer.stop()
        self.worker.shutdown()
