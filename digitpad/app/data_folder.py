"""The data the app reads -- MNIST, the real pen digits, UJI Pen Characters, Omniglot's strokes: the folder
the user chose for it, remembered, and the one prompt every window shows when a data set is missing.

The folder is chosen once, in the prompt's "Choose folder…" or in Edit → Preferences…, and remembered in
``settings.json`` (`i18n.save_setting`, as the language is); every window that reads data then reads it
there (`data_dir`): training, fine-tuning, the confusion matrices, stroke robustness and the honest
answers.  It is the folder holding MNIST's files (a folder whose ``mnist/`` holds them stands for that
``mnist/``); the other sets are looked for in it, in a ``pendigits/``, ``uji/`` or ``omniglot/`` folder in
it, or in one beside it (`digitpad.data.mnist.source_dirs`).  Without one, or while it is gone (an
unplugged disk), the default folders are searched (`digitpad.data.mnist.search_dirs`:
``$DIGITPAD_DATA_DIR``, a source checkout's ``data/``, the per-user cache).

When a set is missing, `ask_for_data` offers Download / Choose folder… / Cancel; `download_data` (a
background job's function) downloads into the chosen folder, else where ``digitpad download`` puts them;
`downloaded` says a failed download in one sentence, with the full story behind "Show Details…".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from digitpad.app import i18n
from digitpad.app.i18n import number
from digitpad.data import mnist, omniglot, pendigits, uji
from digitpad.data.mnist_idx import ALL_FILES
from digitpad.errors import DatasetError, OutputFileError, printable

SETTING = "data_dir"
DATA_SETS = ("mnist", "pendigits", "uji", "omniglot")
DOWNLOAD = "download"
"""`ask_for_data`'s answer when the user asks to download what is missing."""
MEGABYTES = {"mnist": 11, "pendigits": 2, "uji": 1, "omniglot": 7}
"""What each set's download weighs, about (MNIST's four .gz files; UCI's zips; Omniglot's two zips)."""
OFFLINE = re.compile(r"Name or service not known|Temporary failure in name resolution|No address associated with "
                     r"hostname|nodename nor servname|getaddrinfo failed|Network is unreachable|No route to host")
"""What a download that found no network says (`urllib`'s reasons, on Linux, macOS and Windows)."""
_unsaved: list[Path] = []
"""A folder chosen whose setting could not be saved: used until the app quits."""


# --- the folder --------------------------------------------------------------------------------------

def remembered_folder() -> Path | None:
    """The data folder the user chose (it may be gone since), or None for the default folders."""
    if _unsaved:
        return _unsaved[0]
    value = i18n.setting(SETTING)
    return Path(value).expanduser() if value else None


def remember_folder(folder: Path | None) -> None:
    """Remember ``folder`` as the data folder (None: back to the default folders).
    :class:`OutputFileError` when the setting cannot be saved: the folder is still used until the app quits."""
    _unsaved.clear()
    try:
        i18n.save_setting(SETTING, None if folder is None else str(Path(folder).absolute()))
    except OutputFileError:
        if folder is not None:
            _unsaved.append(Path(folder).absolute())
        raise


def data_dir() -> Path | None:
    """The folder every window reads data from: the one remembered while it is there, else None (the
    default folders)."""
    folder = remembered_folder()
    return folder if folder is not None and folder.is_dir() else None


def download_dir() -> Path:
    """Where a download goes: the data folder, else where ``digitpad download`` puts the data."""
    return data_dir() or mnist.default_download_dir()


def find(name: str, folder: Path | None = None) -> Path | None:
    """Where the data set ``name`` (one of `DATA_SETS`) is found with ``folder`` as the data folder
    (None: in the default folders), or None."""
    finders = {"mnist": mnist.find_mnist_dir, "pendigits": pendigits.find_pendigits, "uji": uji.find_uji,
               "omniglot": omniglot.find_omniglot}
    found = finders[name](folder)
    return found.parent if found is not None and found.is_file() else found   # the pen digits: their file


def missing(names: Sequence[str], folder: Path | None = None) -> list[str]:
    """The sets of ``names`` not found with ``folder`` as the data folder (None: the default folders)."""
    return [name for name in names if find(name, folder) is None]


def holding(folder: Path, names: Sequence[str]) -> Path | None:
    """The data folder ``folder`` stands for if the sets ``names`` are all found with it: ``folder``
    itself, or its ``mnist/`` (a parent of the sets' folders chosen); None when neither holds them."""
    for candidate in (folder, folder / "mnist"):
        if candidate.is_dir() and not missing(names, candidate):
            return candidate
    return None


def shown(path: Path) -> str:
    """A folder as said to the user: ``~/…`` for the home folder's, printable."""
    try:
        return printable(str(Path("~") / Path(path).relative_to(Path.home())))
    except ValueError:
        return printable(str(path))


def searched() -> list[Path]:
    """The folders looked in for MNIST: the data folder, else the default ones."""
    return mnist.search_dirs(data_dir())


# --- texts -------------------------------------------------------------------------------------------

def titles() -> dict[str, str]:
    """Each data set's name at the start of a line, in the app's language."""
    return {"mnist": QCoreApplication.translate("DataFolder", "MNIST"),
            "pendigits": QCoreApplication.translate("DataFolder", "Real pen digits"),
            "uji": QCoreApplication.translate("DataFolder", "UJI Pen Characters"),
            "omniglot": QCoreApplication.translate("DataFolder", "Omniglot's strokes")}


def names_in_text() -> dict[str, str]:
    """Each data set's name within a sentence, in the app's language."""
    return {"mnist": QCoreApplication.translate("DataFolder", "MNIST"),
            "pendigits": QCoreApplication.translate("DataFolder", "the real pen digits"),
            "uji": QCoreApplication.translate("DataFolder", "UJI Pen Characters"),
            "omniglot": QCoreApplication.translate("DataFolder", "Omniglot's strokes")}


def descriptions() -> dict[str, str]:
    """What each data set is, and its download's weight, in the app's language (the prompt's lines)."""
    return {
        "mnist": QCoreApplication.translate("DataFolder", "MNIST: {0} handwritten digits (about {1} MB)").format(
            number(70_000), number(MEGABYTES["mnist"])),
        "pendigits": QCoreApplication.translate("DataFolder", "Real pen digits: {0} digits written on a tablet by {1} "
                                                "people (about {2} MB)").format(
            number(sum(pendigits.CLASS_COUNTS)), number(len(pendigits.WRITERS)), number(MEGABYTES["pendigits"])),
        "uji": QCoreApplication.translate("DataFolder", "UJI Pen Characters: letters and digits of {0} writers "
                                          "(about {1} MB)").format(number(len(uji.WRITERS)), number(MEGABYTES["uji"])),
        "omniglot": QCoreApplication.translate("DataFolder", "Omniglot's strokes: characters of other alphabets "
                                               "(about {0} MB)").format(number(MEGABYTES["omniglot"])),
    }


def file_names() -> dict[str, str]:
    """The files of each data set, as found on disk."""
    return {"mnist": ", ".join(spec.gz_name for spec in ALL_FILES), "pendigits": pendigits.FILE_NAME,
            "uji": f"{uji.file_name(uji.WRITERS[0])} … {uji.file_name(uji.WRITERS[-1])}",
            "omniglot": ", ".join(omniglot.ZIP_MD5)}


def placement_text() -> str:
    return QCoreApplication.translate("DataFolder", "The folder holds MNIST's files; the other data sets may be in "
                                      "it, or in a pendigits/, uji/ or omniglot/ folder in it or beside it.")


def missing_text(names: Sequence[str]) -> str:
    """The sets ``names``, listed in a sentence ("the real pen digits, UJI Pen Characters")."""
    said = names_in_text()
    return ", ".join(said[name] for name in names)


def progress_text(value: tuple[str, int, int | None]) -> str:
    """A download's progress (`download_data`'s reports: set, bytes done, bytes in all or None)."""
    name, done, total = value
    name = names_in_text().get(name, name)
    if total:
        return QCoreApplication.translate("DataFolder", "Downloading {0}: {1} MB of {2} MB").format(
            name, number(done / 1e6, 1), number(total / 1e6, 1))
    return QCoreApplication.translate("DataFolder", "Downloading {0}: {1} MB").format(name, number(done / 1e6, 1))


# --- the prompt --------------------------------------------------------------------------------------

def ask_for_data(parent: QWidget, names: Sequence[str]) -> Path | str | None:
    """The sets ``names`` are missing: ask to download them (`DOWNLOAD`) or to choose the folder holding
    them (that folder, remembered, is returned), else None (Cancel).  The one prompt of every window."""
    described = descriptions()
    looked = ", ".join(shown(folder) for folder in searched())
    text = "\n".join([QCoreApplication.translate("DataFolder", "This needs data that is not on this computer:"),
                      *(f"• {described[name]}" for name in names), "",
                      QCoreApplication.translate("DataFolder", "Looked in {0}.").format(looked), "",
                      QCoreApplication.translate("DataFolder", "Download it now, or choose a folder that already "
                                                 "holds it?")])
    box = QMessageBox(QMessageBox.Icon.Question, QCoreApplication.translate("DataFolder", "Data not found"), text,
                      parent=parent)
    download = box.addButton(QCoreApplication.translate("DataFolder", "Download"), QMessageBox.ButtonRole.AcceptRole)
    choose = box.addButton(QCoreApplication.translate("DataFolder", "Choose folder…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(download)
    box.exec()
    if box.clickedButton() is download:
        return DOWNLOAD
    if box.clickedButton() is choose:
        return choose_folder(parent, names)
    return None


def choose_folder(parent: QWidget, names: Sequence[str]) -> Path | None:
    """Ask for the folder holding the sets ``names``: the data folder it stands for (`holding`),
    remembered; None when none was chosen or it does not hold them (said)."""
    start = remembered_folder() or Path.home()
    picked = QFileDialog.getExistingDirectory(parent, QCoreApplication.translate("DataFolder", "Folder with the data"),
                                              str(start))
    if not picked:
        return None
    folder = holding(Path(picked), names)
    if folder is None:
        files = file_names()
        lacking = missing(names, Path(picked))
        QMessageBox.warning(parent, QCoreApplication.translate("DataFolder", "Data not found"),
                            "\n".join([QCoreApplication.translate("DataFolder", "{0} does not hold:").format(
                                shown(Path(picked))),
                                *(f"• {titles()[name]} ({files[name]})" for name in lacking), "", placement_text()]))
        return None
    keep(parent, folder)
    return folder


def keep(parent: QWidget, folder: Path | None) -> None:
    """`remember_folder`, saying in a message box when the setting cannot be saved."""
    try:
        remember_folder(folder)
    except OutputFileError as exc:
        QMessageBox.warning(parent, QCoreApplication.translate("DataFolder", "Cannot remember the data folder"),
                            QCoreApplication.translate("DataFolder", "{0}\nThe folder is used until you quit.").format(exc))


# --- downloading -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DownloadFailure:
    """`download_data` could not download the set ``name`` into ``folder``; ``details``: why, in full."""

    name: str
    details: str
    folder: Path
    names: tuple[str, ...]   # every set asked for

    @property
    def offline(self) -> bool:
        return OFFLINE.search(self.details) is not None


class _Cancelled(Exception):
    """The job was asked to stop in the middle of a download (not an OSError: no download code catches it)."""


def download_data(job, names: Sequence[str], folder: Path) -> Path | DownloadFailure | None:
    """A background job's function: download the sets ``names`` into ``folder``, reporting (set, bytes
    done, bytes in all or None); the folder, a `DownloadFailure` for the first set that failed (the rest
    are not tried), or None when cancelled (a partial file is never left under its real name)."""
    downloads = {"mnist": mnist.download_mnist, "pendigits": pendigits.download_pendigits,
                 "uji": uji.download_uji, "omniglot": omniglot.download_omniglot}
    for name in names:
        def progress(_file: str, done: int, total: int | None, name=name) -> None:
            if job.cancelled():
                raise _Cancelled
            job.report((name, done, total))

        if job.cancelled():
            return None
        try:
            downloads[name](folder, progress=progress)
        except _Cancelled:
            return None
        except DatasetError as exc:
            return DownloadFailure(name, str(exc), Path(folder), tuple(names))
    return Path(folder)


def failure_sentence(failure: DownloadFailure) -> str:
    """A failed download in one sentence, in the app's language: what failed and what to do
    (``DIGITPAD_DATA_DIR`` only while no data folder is chosen: a chosen one comes first)."""
    name = names_in_text()[failure.name]
    chosen = data_dir() is not None
    if "cannot write" in failure.details:
        return QCoreApplication.translate("DataFolder", "Could not download {0}: {1} cannot be written. Choose "
                                          "another data folder (Edit → Preferences…).").format(name, shown(failure.folder))
    if failure.offline:
        return (QCoreApplication.translate("DataFolder", "Could not download {0}: no internet connection. Choose a "
                                           "folder that holds it.") if chosen else
                QCoreApplication.translate("DataFolder", "Could not download {0}: no internet connection. Choose a "
                                           "folder that holds it, or set DIGITPAD_DATA_DIR.")).format(name)
    return (QCoreApplication.translate("DataFolder", "Could not download {0}. Choose a folder that holds it.") if chosen
            else QCoreApplication.translate("DataFolder", "Could not download {0}. Choose a folder that holds it, or "
                                            "set DIGITPAD_DATA_DIR.")).format(name)


def failure_title(failure: DownloadFailure) -> str:
    """A failed download in a few words, for a window's status line (the message box says the rest)."""
    return QCoreApplication.translate("DataFolder", "Could not download {0}.").format(names_in_text()[failure.name])


def failure_details(failure: DownloadFailure) -> str:
    """Everything the download said (English), one attempt a line, behind "Show Details…"."""
    return "\n".join([QCoreApplication.translate("DataFolder", "Folder: {0}").format(failure.folder),
                      failure.details.replace("; ", ";\n")])


def failure_box(parent: QWidget, failure: DownloadFailure) -> tuple[QMessageBox, object]:
    """The message box of a failed download, not shown yet, and its Choose folder… button."""
    box = QMessageBox(QMessageBox.Icon.Warning, QCoreApplication.translate("DataFolder", "Download failed"),
                      failure_sentence(failure), parent=parent)
    box.setDetailedText(failure_details(failure))
    choose = box.addButton(QCoreApplication.translate("DataFolder", "Choose folder…"), QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(QMessageBox.StandardButton.Close)
    return box, choose


def downloaded(parent: QWidget, result: Path | DownloadFailure | None) -> Path | None:
    """After `download_data`: the folder to read the data from, or None.  A failure is said once, in
    `failure_box`; its Choose folder… returns the folder chosen there (`choose_folder`)."""
    if not isinstance(result, DownloadFailure):
        return result
    box, choose = failure_box(parent, result)
    box.exec()
    if box.clickedButton() is choose:
        return choose_folder(parent, result.names)
    return None
