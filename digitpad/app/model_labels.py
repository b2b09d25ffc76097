"""Model and reader names as the app's lists and titles show them, in the application's language."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from digitpad.app.i18n import percent
from digitpad.app.readers import ReaderChoice, ReaderOption
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
        return QCoreApplication.translate("MainWindow", "{0} (shipped, {1})").format(name, percent(accuracy, 2))
    if entry.kind == "user":
        if accuracy is None:
            return QCoreApplication.translate("MainWindow", "{0} (user)").format(name)
        return QCoreApplication.translate("MainWindow", "{0} (user, {1})").format(name, percent(accuracy, 2))
    return entry.label


def describe(entry: ModelEntry | None, path: Path) -> str:
    """A model's title: its `model_label` when it is listed (``entry``), else its file's name."""
    return model_label(entry) if entry else QCoreApplication.translate("MainWindow", "{0} (file)").format(path.name)


def no_model_text() -> str:
    return QCoreApplication.translate("MainWindow", "No model yet: use Model → Train new model…")


def group_title(group: str) -> str:
    """The header of a group of readers in the model lists."""
    titles = {"both": QCoreApplication.translate("MainWindow", "Picture and pen"),
              "image": QCoreApplication.translate("MainWindow", "Picture only"),
              "strokes": QCoreApplication.translate("MainWindow", "Pen only")}
    return titles.get(group, "")


def option_label(option: ReaderOption) -> str:
    """A reader as the model lists show it: one model's `model_label`, indented under its group's header;
    an image network and a stroke model as "cnn + strokes", "(default)" for what the app starts with."""
    if len(option.entries) == 1:
        return "    " + model_label(option.entries[0])
    names = [printable(entry.name) for entry in option.entries]
    if option.default:
        return "    " + QCoreApplication.translate("MainWindow", "{0} + {1} (default)").format(*names)
    return "    " + QCoreApplication.translate("MainWindow", "{0} + {1}").format(*names)


def option_tooltip(option: ReaderOption) -> str:
    """What a reader of the model lists reads with, or why its file cannot be used."""
    if option.problem is not None:
        return QCoreApplication.translate("MainWindow", "This model cannot be used: {0}").format(option.problem)
    names = [printable(entry.name) for entry in option.entries]
    if option.group == "both":
        return QCoreApplication.translate("MainWindow", "{0} reads the picture, {1} the path of the pen; their "
                                                        "answers are combined").format(*names)
    if option.group == "strokes":
        return QCoreApplication.translate("MainWindow", "{0} reads the path of the pen only").format(*names)
    return QCoreApplication.translate("MainWindow", "{0} reads the picture only").format(*names)


def reader_title(session, choice: ReaderChoice | None, full: bool = False) -> str:
    """A reader's title over its answer: one model's label ("cnn (shipped, 99.61%)"), two models' names
    ("cnn + strokes"; ``full``: their labels, for a tooltip)."""
    if choice is None:
        return no_model_text()
    if len(choice.paths) == 1 or full:
        return " + ".join(describe(session.entry(path), path) for path in choice.paths)
    return QCoreApplication.translate("MainWindow", "{0} + {1}").format(*(printable(p.stem) for p in choice.paths))


def reader_name(choice: ReaderChoice | None) -> str:
    """A reader's short name, its models' names joined by " + " ("cnn + strokes")."""
    return "" if choice is None else " + ".join(printable(path.stem) for path in choice.paths)
