"""The tool windows: confusion matrix, stroke robustness, fine-tuning."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from digitpad.app.windows.confusion_window import ConfusionWindow
from digitpad.app.windows.robustness_window import RobustnessWindow
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
    images = "test image" if expected == 1 else "test images"
    assert f"<b>{expected:,}</b> {images} of a <b>4</b> misread as <b>9</b>" in confusion.cell_title.text()
    assert confusion.thumbnails.count() == min(expected, 400)


def test_confusion_on_real_pen_digits_of_held_out_writers(qtbot, window, data_dir_with_pendigits):
    confusion = window.open_confusion("pen")
    qtbot.waitUntil(lambda: confusion.run is not None, timeout=30_000)
    run = confusion.run
    assert 1400 <= run.confusion.sum() <= 1600 and run.images.shape[1:] == (28, 28)
    assert "real pen digits of held-out writers" in confusion.windowTitle()
    confusion.show_cell(1, 7)
    assert confusion.thumbnails.count() == int(run.confusion[1, 7])


def test_robustness_window_runs_and_shows_plot_and_table(qtbot, window, data_dir_with_pendigits):
    robustness = window.open_robustness()
    assert isinstance(robustness, RobustnessWindow)
    assert "tiny" in robustness.chosen()         # the selected model is ticked
    robustness.samples.setValue(20)
    for dataset in ("traced", "pen"):
        robustness.result = None
        robustness.dataset.setCurrentIndex(robustness.dataset.findData(dataset))
        robustness.run_button.click()
        qtbot.waitUntil(lambda: robustness.result is not None, timeout=60_000)
        assert robustness.result.dataset == dataset and robustness.result.n == 20
        assert robustness.plot.figure.axes and robustness.table.toPlainText().strip()
        assert {mode for _, mode in robustness.result.accuracy} == {"strokes", "image", "raw"}
        assert robustness.bar.value() == robustness.bar.maximum()
    assert "real pen digits of held-out writers" in robustness.status.text()
    qtbot.waitUntil(lambda: robustness.run_button.isEnabled(), timeout=5_000)


def fine_tune_dialog_with_two_digits(window):
    """The fine-tune dialog, opened with two taught digits (a bar stored as a 1 and as a 7)."""
    data = PersonalDataset()
    digit = np.zeros((28, 28), np.uint8)
    digit[4:24, 12:16] = 255
    for label in (1, 7):
        data.add(digit, label)
    return window.open_fine_tune()


def test_fine_tune_dialog_saves_a_new_model(qtbot, window, message_boxes):
    dialog = fine_tune_dialog_with_two_digits(window)
    dialog.epochs.setValue(1)
    dialog.mnist_images.setValue(2000)
    with qtbot.waitSignal(dialog.model_saved, timeout=60_000) as saved:
        dialog.start_button.click()
    assert saved.args[0].is_file() and "→" in dialog.result.text()
    assert window.model_combo.findData(str(saved.args[0])) >= 0
    assert message_boxes == []


def test_fine_tuning_into_a_full_disk_is_one_clear_line(qtbot, window, message_boxes, monkeypatch):
    """The fine-tune saves through the one save of every model (`modelcard.save_model_with_card`): a full
    disk reaches the user as the line a training run or `digitpad average` gives, not "unexpected error"."""
    import errno
    import os

    from digitpad import atomic
    from digitpad.user_dirs import user_models_dir

    dialog = fine_tune_dialog_with_two_digits(window)
    dialog.epochs.setValue(1)
    dialog.mnist_images.setValue(1000)

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    out = user_models_dir() / f"{dialog.name.text()}.npz"
    with monkeypatch.context() as full_disk:
        full_disk.setattr(atomic.os, "fsync", no_space)
        dialog.start_button.click()
        qtbot.waitUntil(lambda: bool(message_boxes), timeout=60_000)
    [(kind, title, text)] = message_boxes
    assert (kind, title) == ("warning", "Fine-tuning failed")
    assert text == f"{out}: cannot save the model (No space left on device)"
    assert not out.exists() and not list(out.parent.glob("*.part-*"))
