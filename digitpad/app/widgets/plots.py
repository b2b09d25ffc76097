"""Matplotlib figures inside Qt windows (imported only by the windows that plot, to keep start-up fast),
their tick labels written in the app's language (`LocaleFormatter`: "0.5", « 0,5 », "99.5%", « 99,5 % »)."""

from __future__ import annotations

import math

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator
from PySide6.QtWidgets import QSizePolicy

from digitpad.app import i18n

TRAIN_COLOUR = "#2563eb"
VALIDATION_COLOUR = "#f97316"
EMPTY_LOSS_TOP = 2.5
"""The empty loss axis reaches just above ln 10 ≈ 2.3, the loss of a first guess among ten digits."""


class PlotCanvas(FigureCanvasQTAgg):
    """A Qt widget holding one matplotlib :class:`Figure` (``self.figure``)."""

    def __init__(self, width: float = 6.0, height: float = 4.0, dpi: int = 100, layout: str | None = "constrained",
                 parent=None):
        super().__init__(Figure(figsize=(width, height), dpi=dpi, layout=layout))
        self.setParent(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(int(width * dpi * 0.6), int(height * dpi * 0.6))


class LocaleFormatter(Formatter):
    """Tick labels in the app's language (`i18n.number`, or `i18n.percent` of a share), each written
    with as many decimals as the ticks need to be written exactly (0.5 steps: one decimal; 8 %, 8.5 %,
    9 %: "8.0%", "8.5%", "9.0%"), so that no two ticks read the same; at most ``most_decimals``."""

    def __init__(self, percent: bool = False, most_decimals: int = 4):
        self.percent = percent
        self.most_decimals = most_decimals
        self.decimals = 1

    def set_locs(self, locs) -> None:
        super().set_locs(locs)
        values = [100 * float(v) if self.percent else float(v) for v in locs]
        values = [v for v in values if math.isfinite(v)]
        steps = [abs(b - a) for a, b in zip(values, values[1:]) if b != a]
        tolerance = 1e-6 * (min(steps) if steps else 1.0)
        self.decimals = next((d for d in range(self.most_decimals + 1)
                              if all(abs(round(v, d) - v) <= tolerance for v in values)), self.most_decimals)

    def __call__(self, value, pos=None) -> str:
        return i18n.percent(value, self.decimals) if self.percent else i18n.number(value, self.decimals)


def locale_ticks(ax, x: bool = True, y: bool = True, y_percent: bool = False) -> None:
    """Write an axes' tick labels in the app's language (the y axis as percentages of shares if asked)."""
    if x:
        ax.xaxis.set_major_formatter(LocaleFormatter())
    if y:
        ax.yaxis.set_major_formatter(LocaleFormatter(percent=y_percent))


class TrainingCurves(PlotCanvas):
    """Loss and accuracy against (fractional) epochs: the running training values batch by batch and
    the validation values at the end of each epoch.  The epoch axis spans the planned epochs from the
    start; before any value, the axes show their usual range (accuracy 0–100 %) and say so."""

    def __init__(self, parent=None):
        super().__init__(7.0, 2.8, parent=parent)
        self.epochs = 1
        self.reset()

    def reset(self, epochs: int | None = None) -> None:
        """Forget the curves; ``epochs``: the planned epochs, the span of the epoch axis."""
        if epochs is not None:
            self.epochs = max(int(epochs), 1)
        self.train_x: list[float] = []
        self.train_loss: list[float] = []
        self.train_acc: list[float] = []
        self.val_x: list[float] = []
        self.val_loss: list[float] = []
        self.val_acc: list[float] = []
        self.redraw()

    def set_epochs(self, epochs: int) -> None:
        """The planned epochs changed (the settings form): the empty axes follow."""
        if max(int(epochs), 1) != self.epochs:
            self.epochs = max(int(epochs), 1)
            self.redraw()

    def add_batch(self, epoch_position: float, loss: float, accuracy: float) -> None:
        self.train_x.append(epoch_position)
        self.train_loss.append(loss)
        self.train_acc.append(accuracy)

    def add_epoch(self, epoch: int, val_loss: float, val_accuracy: float) -> None:
        self.val_x.append(float(epoch))
        self.val_loss.append(val_loss)
        self.val_acc.append(val_accuracy)

    def redraw(self) -> None:
        figure = self.figure
        figure.clear()
        loss_ax, acc_ax = figure.subplots(1, 2)
        empty = not self.train_x and not self.val_x
        last = max(self.train_x + self.val_x, default=0.0)
        for ax, train, val, title in ((loss_ax, self.train_loss, self.val_loss, self.tr("loss")),
                                      (acc_ax, self.train_acc, self.val_acc, self.tr("accuracy"))):
            ax.plot(self.train_x, train, color=TRAIN_COLOUR, lw=1.4, label=self.tr("training (running)"))
            ax.plot(self.val_x, val, color=VALIDATION_COLOUR, lw=1.6, marker="o", ms=4, label=self.tr("validation"),
                    clip_on=not self.val_x)   # the last epoch's marker sits on the frame: drawn whole
            ax.set_title(title, fontsize=10)
            ax.set_xlabel(self.tr("epoch"), fontsize=9)
            ax.tick_params(labelsize=8)
            ax.grid(alpha=0.3)
            ax.set_xlim(0, max(self.epochs, math.ceil(last)))
            ax.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
            ax.yaxis.set_major_locator(MaxNLocator(nbins=5))
            locale_ticks(ax, y_percent=ax is acc_ax)
            if empty:
                ax.text(0.5, 0.5, self.tr("no data yet"), transform=ax.transAxes, ha="center", va="center",
                        color="#9ca3af", fontsize=9)
        if empty:
            loss_ax.set_ylim(0, EMPTY_LOSS_TOP)
            acc_ax.set_ylim(0, 1)
        else:
            loss_ax.set_ylim(bottom=max(loss_ax.get_ylim()[0], 0))   # a loss is never negative
            values = self.train_acc + self.val_acc
            low, high = min(values), max(values)
            pad = max(0.08 * (high - low), 0.005)
            acc_ax.set_ylim(max(low - pad, 0.0), min(high + pad, 1.0))
        acc_ax.legend(fontsize=8, loc="lower right")
        self.draw_idle()
