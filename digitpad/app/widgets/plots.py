"""Matplotlib figures inside Qt windows (imported only by the windows that plot, to keep start-up fast)."""

from __future__ import annotations

from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from PySide6.QtWidgets import QSizePolicy

TRAIN_COLOUR = "#2563eb"
VALIDATION_COLOUR = "#f97316"


class PlotCanvas(FigureCanvasQTAgg):
    """A Qt widget holding one matplotlib :class:`Figure` (``self.figure``)."""

    def __init__(self, width: float = 6.0, height: float = 4.0, dpi: int = 100, layout: str | None = "constrained",
                 parent=None):
        super().__init__(Figure(figsize=(width, height), dpi=dpi, layout=layout))
        self.setParent(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(int(width * dpi * 0.6), int(height * dpi * 0.6))


class TrainingCurves(PlotCanvas):
    """Loss and accuracy against (fractional) epochs: the running training values batch by batch and
    the validation values at the end of each epoch."""

    def __init__(self, parent=None):
        super().__init__(7.0, 2.8, parent=parent)
        self.reset()

    def reset(self) -> None:
        self.train_x: list[float] = []
        self.train_loss: list[float] = []
        self.train_acc: list[float] = []
        self.val_x: list[float] = []
        self.val_loss: list[float] = []
        self.val_acc: list[float] = []
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
        for ax, train, val, title in ((loss_ax, self.train_loss, self.val_loss, self.tr("loss")),
                                      (acc_ax, self.train_acc, self.val_acc, self.tr("accuracy"))):
            ax.plot(self.train_x, train, color=TRAIN_COLOUR, lw=1.4, label=self.tr("training (running)"))
            ax.plot(self.val_x, val, color=VALIDATION_COLOUR, lw=1.6, marker="o", ms=4, label=self.tr("validation"))
            ax.set_title(title, fontsize=10)
            ax.set_xlabel(self.tr("epoch"), fontsize=9)
            ax.tick_params(labelsize=8)
            ax.grid(alpha=0.3)
            ax.set_xlim(left=0)
        acc_ax.yaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
        acc_ax.legend(fontsize=8, loc="lower right")
        self.draw_idle()
