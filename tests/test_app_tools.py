"""The tool windows: confusion matrix, stroke robustness, fine-tuning."""

from __future__ import annotations

import importlib.util
import sys
import types

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from digitpad.app.confusion_window import ConfusionWindow
from digitpad.app.robustness_window import RobustnessWindow
from digitpad.data.personal import PersonalDataset


def test_confusion_window_evaluates_and_shows_a_clicked_cell(qtbot, window):
    confusion = window.open_confusion()
    assert isinstance(confusion, ConfusionWindow)
    qtbot.waitUntil(lambda: confusion.run is not None, timeout=30_000)
    run = confusion.run
    assert run.confusion.sum() == 10_000 and 0.5 < run.accuracy < 1
    assert "accuracy" in confusion.status.text() and confusion.thumbnails.count() > 0
    confusion.plot.draw()
    axes = confusion.plot.figure.axes[0]
    x, y = axes.transData.transform((9, 4))                 # the cell true 4, predicted 9
    ratio = confusion.plot.devicePixelRatioF()
    QTest.mouseClick(confusion.plot, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(round(x / ratio), round(confusion.plot.height() - y / ratio)))
    expected = int(run.confusion[4, 9])
    assert f"<b>{expected}</b> test images of a <b>4</b> misread as <b>9</b>" in confusion.cell_title.text()
    assert confusion.thumbnails.count() == min(expected, 400)


def contract_stub():
    """A stand-in with run_robustness's documented contract, used only while digitpad.evaluation.robustness is absent."""
    module = types.ModuleType("digitpad.evaluation.robustness")

    class Result:
        def __init__(self, names, widths):
            self.widths = list(widths)
            self.accuracy = {(n, norm): [0.9 - 0.01 * i for i in range(len(widths))]
                             for n in names for norm in (True, False)}

        def to_table(self):
            return "\n".join(f"{k}: {v}" for k, v in self.accuracy.items())

        def plot(self, figure=None):
            ax = figure.add_subplot()
            for key, values in self.accuracy.items():
                ax.plot(self.widths, values, label=str(key))
            return figure

    def run_robustness(models, widths=(2, 4, 8, 16, 32), canvas=128, n=100, seed=0, normalize=(True, False),
                       progress=None, cancel=None):
        for i in range(len(widths)):
            progress and progress(i + 1, len(widths))
        return Result(models, widths)

    module.run_robustness = run_robustness
    return module


def test_robustness_window_runs_and_shows_plot_and_table(qtbot, window, monkeypatch):
    if importlib.util.find_spec("digitpad.evaluation.robustness") is None:
        monkeypatch.setitem(sys.modules, "digitpad.evaluation.robustness", contract_stub())
    robustness = window.open_robustness()
    assert isinstance(robustness, RobustnessWindow)
    assert "tiny" in robustness.chosen()         # the selected model is ticked
    robustness.samples.setValue(20)
    robustness.run_button.click()
    qtbot.waitUntil(lambda: robustness.result is not None, timeout=60_000)
    assert robustness.plot.figure.axes and robustness.table.toPlainText().strip()
    assert ("tiny", True) in robustness.result.accuracy
    assert robustness.bar.value() == robustness.bar.maximum()


def test_fine_tune_dialog_saves_a_new_model(qtbot, window, message_boxes):
    data = PersonalDataset()
    digit = np.zeros((28, 28), np.uint8)
    digit[4:24, 12:16] = 255
    for label in (1, 7):
        data.add(digit, label)
    dialog = window.open_fine_tune()
    dialog.epochs.setValue(1)
    dialog.mnist_images.setValue(2000)
    with qtbot.waitSignal(dialog.model_saved, timeout=60_000) as saved:
        dialog.start_button.click()
    assert saved.args[0].is_file() and "→" in dialog.result.text()
    assert window.model_combo.findData(str(saved.args[0])) >= 0
    assert message_boxes == []
