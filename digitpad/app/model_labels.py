"""Model names as the app's lists show them, in the application's language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from digitpad.errors import printable
from digitpad.reading.store import ModelEntry


def model_label(entry: ModelEntry) -> str:
    """``ModelEntry.label`` in the application's language: the name, shipped or user, test accuracy
    (or that the file cannot be read); control characters in a file's name are shown escaped."""
    name = printable(entry.name)
    if entry.problem:
        return QCoreApplication.translate("MainWindow", "{0} (unreadable)").format(name)
    accuracy = entry.test_accuracy
    if entry.kind == "shipped":
        if accuracy is None:
            return QCoreApplication.translate("MainWindow", "{0} (shipped)").format(name)
        return QCoreApplication.translate("MainWindow", "{0} (shipped, {1:.2%})").format(name, accuracy)
    if entry.kind == "user":
        if accuracy is None:
            return QCoreApplication.translate("MainWindow", "{0} (user)").format(name)
        return QCoreApplication.translate("MainWindow", "{0} (user, {1:.2%})").format(name, accuracy)
    return entry.label


def describe(entry: ModelEntry | None, path: Path) -> str:
    """A model's title: its `model_label` when it is listed (``entry``), else its file's name."""
    return model_label(entry) if entry else QCoreApplication.translate("MainWindow", "{0} (file)").format(path.name)


def no_model_text() -> str:
    return QCoreApplication.translate("MainWindow", "No model yet: use Model → Train new model…")
