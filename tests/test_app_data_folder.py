"""Data in the app (issue 26, items 4-6): the folder chosen once is remembered and used by every window;
Edit → Preferences… shows and changes it; every window that reads data offers Download / Choose folder… /
Cancel when it is missing; a failed download is one sentence, its details behind "Show Details…"."""

from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton, QTextEdit

from digitpad.app import data_folder, i18n
from digitpad.app.windows.main_window import MainWindow
from digitpad.data import mnist
from digitpad.data.personal import PersonalDataset
from digitpad.errors import DatasetError, OutputFileError


@pytest.fixture
def no_data(app_env, tmp_path, monkeypatch) -> Path:
    """No data set in any default folder (an empty $DIGITPAD_DATA_DIR, no checkout data/, an empty cache);
    returns the settings file."""
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(empty))
    monkeypatch.setattr(mnist, "project_data_dir", lambda: None)
    monkeypatch.setattr(mnist, "user_cache_dir", lambda: tmp_path / "no-cache")
    i18n.install_language("en")
    assert data_folder.remembered_folder() is None and data_folder.missing(data_folder.DATA_SETS) == list(data_folder.DATA_SETS)
    return i18n.settings_path()


@pytest.fixture
def shared(tmp_path, mnist_dir, pendigits_dir) -> Path:
    """A folder laid out as ``digitpad download`` shares it: mnist/ and pendigits/ side by side (links)."""
    root = tmp_path / "shared"
    for name, sources in (("mnist", mnist_dir.glob("*.gz")), ("pendigits", [pendigits_dir / "pendigits-orig.tra"])):
        (root / name).mkdir(parents=True)
        for source in sources:
            (root / name / source.name).symlink_to(source)
    return root


def main_window(qtbot, app_env) -> MainWindow:
    win = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(win)
    win.show()
    return win


def answer(monkeypatch, button: str, seen: list | None = None) -> None:
    """Every message box run with ``exec`` is answered by clicking ``button`` (its text); ``seen`` collects
    the boxes."""
    def run(box):
        if seen is not None:
            seen.append(box)
        for candidate in box.buttons():
            if candidate.text() == button or box.standardButton(candidate) == getattr(QMessageBox.StandardButton, button, None):
                candidate.click()
                return 0
        raise AssertionError(f"no {button!r} button in {[b.text() for b in box.buttons()]}")
    monkeypatch.setattr(QMessageBox, "exec", run)


def never_asked(monkeypatch) -> None:
    monkeypatch.setattr(QMessageBox, "exec", lambda box: pytest.fail(f"asked: {box.text()}"))


# --- item 4: chosen once, remembered, used everywhere --------------------------------------------------

def test_the_folder_chosen_in_the_training_prompt_is_used_everywhere_and_remembered(qtbot, app_env, no_data, shared,
                                                                                    monkeypatch, message_boxes):
    win = main_window(qtbot, app_env)
    dialog = win.open_training()
    prompts = []
    answer(monkeypatch, "Choose folder…", prompts)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(shared))   # mnist/'s parent
    began = []
    monkeypatch.setattr(dialog, "_begin_training", lambda config, out, data_dir=None, resume=None: began.append(dialog.data_dir))
    dialog.start()
    folder = shared / "mnist"
    assert [box.windowTitle() for box in prompts] == ["Data not found"]
    assert began == [folder]                                                     # trained on it
    assert json.loads(no_data.read_text(encoding="utf-8"))["data_dir"] == str(folder)   # and remembered

    never_asked(monkeypatch)                                                     # the same run: nothing asks again
    confusion = win.open_confusion()
    assert confusion is not None and confusion.data_dir == folder
    qtbot.waitUntil(lambda: confusion.run is not None, timeout=60_000)
    assert confusion.run.confusion.sum() == 10_000
    pen = win.open_confusion("pen")                                              # the pen digits beside it
    qtbot.waitUntil(lambda: pen.run is not None, timeout=60_000)
    assert pen.data_dir == folder and 1400 <= pen.run.confusion.sum() <= 1600

    again = main_window(qtbot, app_env)                                               # a new main window: settings
    assert data_folder.data_dir() == folder
    assert again.open_preferences().folder.text() == str(folder)
    PersonalDataset().add(pen.run.images[0], 1)
    fine_tune = again.open_fine_tune()
    tuned = []
    monkeypatch.setattr(fine_tune, "_fine_tune", lambda out: tuned.append(fine_tune.data_dir))
    fine_tune.start()
    assert tuned == [folder]
    robustness = again.open_robustness()
    measured = []
    monkeypatch.setattr(robustness, "_measure", lambda paths, data: measured.append(data))
    monkeypatch.setattr(robustness, "_measure_honesty", lambda traced, data: measured.append(data))
    for dataset in ("traced", "pen"):
        robustness.dataset.setCurrentIndex(robustness.dataset.findData(dataset))
        robustness.start()
    assert measured == [folder, folder]
    assert message_boxes == []


def test_a_folder_that_does_not_hold_the_data_is_refused(qtbot, app_env, no_data, tmp_path, monkeypatch, message_boxes):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(tmp_path))
    assert data_folder.choose_folder(None, ["mnist", "pendigits"]) is None
    (kind, title, text), = message_boxes
    assert kind == "warning" and title == "Data not found"
    assert "• MNIST (train-images-idx3-ubyte.gz, " in text and "• Real pen digits (pendigits-orig.tra)" in text
    assert data_folder.remembered_folder() is None


def test_a_folder_gone_since_falls_back_to_the_default_folders(app_env, no_data, tmp_path, mnist_dir, monkeypatch):
    gone = tmp_path / "unplugged"
    data_folder.remember_folder(gone)
    assert data_folder.remembered_folder() == gone and data_folder.data_dir() is None
    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(mnist_dir))
    assert data_folder.missing(["mnist", "pendigits"], data_folder.data_dir()) == []
    assert data_folder.download_dir() == mnist_dir


def test_a_data_folder_setting_that_is_not_a_name_is_ignored_and_said(app_env, no_data):
    no_data.parent.mkdir(parents=True, exist_ok=True)
    no_data.write_text(json.dumps({"language": "en", "data_dir": 42}), encoding="utf-8")
    assert data_folder.remembered_folder() is None and i18n.chosen_language() == "en"
    assert "the data folder is not a folder's name; ignored" in i18n.settings_problem()


def test_a_folder_that_cannot_be_remembered_is_said_and_used_until_quitting(app_env, no_data, shared, monkeypatch,
                                                                           message_boxes):
    def refuse(name, value):
        raise OutputFileError(f"{no_data}: cannot save the settings (Read-only file system)")

    monkeypatch.setattr(i18n, "save_setting", refuse)
    monkeypatch.setattr(data_folder, "_unsaved", [])
    data_folder.keep(None, shared / "mnist")
    assert [(kind, title) for kind, title, _ in message_boxes] == [("warning", "Cannot remember the data folder")]
    assert "The folder is used until you quit." in message_boxes[0][2]
    assert data_folder.data_dir() == shared / "mnist"


# --- Preferences -----------------------------------------------------------------------------------

def test_the_preferences_show_change_and_clear_the_data_folder(qtbot, app_env, no_data, shared, tmp_path,
                                                               mnist_dir, monkeypatch):
    win = main_window(qtbot, app_env)
    dialog = win.open_preferences()
    assert dialog.folder.text() == "The default folders" and not dialog.default_button.isEnabled()
    assert dialog.folder_hint.text().startswith(f"Searched in this order: {tmp_path / 'empty'}, ")
    assert [label.text() for label in dialog.found.values()] == ["not found"] * 4

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(shared))
    dialog.choose_button.click()
    folder = shared / "mnist"                                       # the parent chosen stands for its mnist/
    assert dialog.folder.text() == str(folder) and dialog.default_button.isEnabled()
    assert dialog.folder_hint.text() == ("Chosen by you. Downloads go there too. DIGITPAD_DATA_DIR is not used while "
                                         "a folder is chosen.")
    assert {name: label.text() for name, label in dialog.found.items()} == {
        "mnist": "found in the folder", "pendigits": "found in pendigits/ beside it", "uji": "not found",
        "omniglot": "not found"}
    assert data_folder.data_dir() == folder and json.loads(no_data.read_text(encoding="utf-8"))["data_dir"] == str(folder)

    dialog.default_button.click()                                  # back to the default folders
    assert data_folder.remembered_folder() is None and "data_dir" not in json.loads(no_data.read_text(encoding="utf-8"))
    assert dialog.folder.text() == "The default folders" and not dialog.default_button.isEnabled()

    monkeypatch.setenv("DIGITPAD_DATA_DIR", str(mnist_dir))        # the default folders find the shared data
    data_folder.remember_folder(tmp_path / "unplugged")
    dialog = win.open_preferences()
    assert dialog.folder_hint.text().startswith(f"{tmp_path / 'unplugged'} is not there now. Searched in this order: ")
    assert dialog.found["mnist"].text() == f"found in {data_folder.shown(mnist_dir)}"
    assert dialog.found["uji"].text().startswith("found in ") and dialog.default_button.isEnabled()


def test_the_preferences_are_in_the_edit_menu(qtbot, app_env, no_data):
    win = main_window(qtbot, app_env)
    edit = next(action.menu() for action in win.menuBar().actions() if action.text() == "&Edit")
    item = next(action for action in edit.actions() if action.text() == "&Preferences…")
    item.trigger()
    assert win.tools._named["preferences"].isVisible()


# --- item 5: every data window asks ------------------------------------------------------------------

def test_every_window_that_reads_data_asks_for_it_when_it_is_missing(qtbot, app_env, no_data, monkeypatch, message_boxes):
    asked = []
    monkeypatch.setattr(data_folder, "ask_for_data", lambda parent, names: asked.append(list(names)))   # Cancel
    win = main_window(qtbot, app_env)
    assert win.open_confusion() is None and asked.pop() == ["mnist"]
    assert win.open_confusion("pen") is None and asked.pop() == ["pendigits"]
    assert win.tools.windows == []                                  # cancelled: no window left open

    robustness = win.open_robustness()
    for dataset, needs in (("traced", "MNIST"), ("pen", "the real pen digits")):
        robustness.dataset.setCurrentIndex(robustness.dataset.findData(dataset))
        robustness.run_button.click()
        assert robustness.job is None and robustness.status.text() == f"Not run: {needs} not found."
    assert asked[-2:] == [["mnist"], ["pendigits"]]
    robustness.honest_traced.setValue(500)
    robustness.honest_button.click()
    assert robustness.job is None and asked.pop() == ["pendigits", "uji", "omniglot", "mnist"]

    dialog = win.open_training()
    dialog.start()
    assert dialog.job is None and asked.pop() == ["mnist"]
    dialog.preset.setCurrentText("strokes-quick")
    dialog.start()
    assert asked.pop() == ["mnist", "pendigits", "uji", "omniglot"]

    PersonalDataset().add(robustness_digit(), 1)
    fine_tune = win.open_fine_tune()
    fine_tune.start()
    assert fine_tune.job is None and asked.pop() == ["mnist"]
    assert message_boxes == []
    for text in (robustness.status.text(), robustness.honest_status.text(), dialog.status.text()):
        assert "digitpad download" not in text


def robustness_digit():
    import numpy as np

    digit = np.zeros((28, 28), np.uint8)
    digit[4:24, 12:16] = 255
    return digit


def test_the_prompt_offers_download_choose_folder_and_cancel(qtbot, app_env, no_data, monkeypatch):
    seen = []
    answer(monkeypatch, "Cancel", seen)
    assert data_folder.ask_for_data(None, ["pendigits", "uji"]) is None
    box, = seen
    assert [button.text() for button in box.buttons() if box.buttonRole(button) != QMessageBox.ButtonRole.RejectRole] \
        == ["Download", "Choose folder…"]
    text = box.text()
    assert text.startswith("This needs data that is not on this computer:\n• Real pen digits: 7,494 digits written on "
                           "a tablet by 30 people (about 2 MB)\n• UJI Pen Characters: letters and digits of 11 writers")
    assert "Looked in " in text and text.endswith("Download it now, or choose a folder that already holds it?")
    answer(monkeypatch, "Download")
    assert data_folder.ask_for_data(None, ["mnist"]) == data_folder.DOWNLOAD


def test_the_confusion_window_downloads_what_is_missing_then_evaluates(qtbot, app_env, no_data, mnist_dir, tmp_path,
                                                                      monkeypatch):
    def download(dest_dir=None, progress=None):        # a download that copies the real files
        dest_dir.mkdir(parents=True, exist_ok=True)
        for source in mnist_dir.glob("*.gz"):
            progress(source.name, source.stat().st_size, source.stat().st_size)
            (dest_dir / source.name).symlink_to(source)
        return dest_dir

    monkeypatch.setattr(mnist, "download_mnist", download)
    answer(monkeypatch, "Download")
    win = main_window(qtbot, app_env)
    confusion = win.open_confusion()
    qtbot.waitUntil(lambda: confusion.run is not None, timeout=60_000)
    assert confusion.data_dir == tmp_path / "empty"             # where `digitpad download` puts it: $DIGITPAD_DATA_DIR
    assert confusion.run.confusion.sum() == 10_000 and "accuracy" in confusion.status.text()


# --- item 6: a failed download in one sentence -------------------------------------------------------

def offline(monkeypatch) -> None:
    """No network: every request fails as it does offline (the name of the server cannot be resolved)."""
    def fail(*args, **kwargs):
        raise urllib.error.URLError(socket.gaierror(-2, "Name or service not known"))
    monkeypatch.setattr(urllib.request, "urlopen", fail)


def test_the_offline_download_error_is_one_sentence_with_details_hidden(qtbot, app_env, no_data, monkeypatch,
                                                                        message_boxes):
    offline(monkeypatch)
    with pytest.raises(DatasetError) as raised:            # what the download itself says: long
        mnist.download_mnist(no_data.parent / "probe")
    assert len(str(raised.value)) > 400 and str(raised.value).count("Name or service not known") == 3

    win = main_window(qtbot, app_env)
    dialog = win.open_training()
    dialog.preset.setCurrentText("mlp")
    boxes, details_shown = [], []

    def run(box):
        boxes.append(box)
        if box.windowTitle() == "Data not found":
            next(b for b in box.buttons() if b.text() == "Download").click()
            return 0
        box.show()   # as the user sees it: the details folded away
        details_shown.append([edit.isVisible() for edit in box.findChildren(QTextEdit)])
        next(b for b in box.buttons() if box.standardButton(b) == QMessageBox.StandardButton.Close).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", run)
    dialog.start()
    qtbot.waitUntil(lambda: len(boxes) == 2, timeout=30_000)
    failure = boxes[1]
    sentence = "Could not download MNIST: no internet connection. Choose a folder that holds it, or set DIGITPAD_DATA_DIR."
    assert failure.windowTitle() == "Download failed" and failure.text() == sentence
    details = failure.detailedText()
    assert details.count("Name or service not known") == 3 and "https://ossci-datasets.s3.amazonaws.com/mnist/" in details
    assert details_shown == [[False]]                             # behind "Show Details…"
    assert any(isinstance(b, QPushButton) and b.text() == "Choose folder…" for b in failure.buttons())
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10_000)
    assert dialog.status.text() == "Could not download MNIST."    # shown once: the status line is short
    assert "Errno" not in dialog.status.text() and message_boxes == []
    assert dialog.start_button.isEnabled()


def test_choose_folder_after_a_failed_download_goes_on_with_that_folder(qtbot, app_env, no_data, shared, monkeypatch):
    offline(monkeypatch)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(shared / "mnist"))
    clicks = iter(["Download", "Choose folder…"])   # the prompt, then the failed download's box

    def run(box):
        wanted = next(clicks)
        next(b for b in box.buttons() if b.text() == wanted).click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", run)
    win = main_window(qtbot, app_env)
    dialog = win.open_training()
    began = []
    monkeypatch.setattr(dialog, "_begin_training", lambda config, out, data_dir=None, resume=None: began.append(data_dir))
    dialog.start()
    qtbot.waitUntil(lambda: began != [], timeout=30_000)
    assert began == [shared / "mnist"] and data_folder.data_dir() == shared / "mnist"


def test_other_download_failures_are_one_sentence_too(app_env, no_data, tmp_path):
    failure = data_folder.DownloadFailure("pendigits", "could not download the pen digits (https://x: HTTP 503 "
                                          "Service Unavailable); check the internet connection", tmp_path, ("pendigits",))
    assert not failure.offline
    assert data_folder.failure_sentence(failure) == ("Could not download the real pen digits. Choose a folder that "
                                                     "holds it, or set DIGITPAD_DATA_DIR.")
    unwritable = data_folder.DownloadFailure("mnist", f"cannot write MNIST files to {tmp_path}: [Errno 30] "
                                             "Read-only file system; choose another directory with --dir", tmp_path,
                                             ("mnist",))
    assert data_folder.failure_sentence(unwritable) == (f"Could not download MNIST: {tmp_path} cannot be written. "
                                                        "Choose another data folder (Edit → Preferences…).")
    data_folder.remember_folder(tmp_path)                  # a chosen folder comes before $DIGITPAD_DATA_DIR
    assert data_folder.failure_sentence(failure) == "Could not download the real pen digits. Choose a folder that holds it."


def test_a_download_stops_when_its_job_is_cancelled(tmp_path, monkeypatch):
    class Job:
        stop = False
        reports = []

        def report(self, value):
            self.reports.append(value)
            self.stop = True

        def cancelled(self):
            return self.stop

    def download(dest_dir=None, progress=None):
        progress("a.gz", 10, 100)
        progress("a.gz", 20, 100)
        pytest.fail("went on after being cancelled")

    monkeypatch.setattr(mnist, "download_mnist", download)
    job = Job()
    assert data_folder.download_data(job, ["mnist", "pendigits"], tmp_path) is None and job.reports == [("mnist", 10, 100)]
