"""Cancelling a training from its dialog: the training waits while "Stop training?" is open, so the answer
always applies, even to a training that ends meanwhile; once its model is being saved, the dialog says it
is too late instead of asking."""

from __future__ import annotations

import json
import threading
import time

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from digitpad.app.windows import training_dialog
from digitpad.training.progress import BatchProgress
from digitpad.training.run import checkpoint_path_for, stopped_runs
from test_app_training import open_dialog

ASKED_FOR_S = 1.0   # how long the question stays open: longer than the rest of these tiny trainings takes


def answer(text: str, ready, seen: list, then=None) -> None:
    """Once the question is on screen and ``ready()`` has held for `ASKED_FOR_S`, record what ``seen`` needs
    (via ``then``) and click the button ``text``."""
    since = []

    def poll():
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox) and ready():
            since.append(since[0] if since else time.monotonic())
            if time.monotonic() - since[0] >= ASKED_FOR_S:
                seen.append(then() if then else True)
                next(b for b in box.buttons() if b.text() == text).click()
                return
        else:
            since.clear()
        QTimer.singleShot(20, poll)

    QTimer.singleShot(20, poll)


def ended_before_saving(monkeypatch):
    """Make the training stop, once trained, before it decides whether to save, until ``go_on`` is set:
    the moment a training ends while the dialog asks.  Returns (ended, go_on)."""
    ended, go_on = threading.Event(), threading.Event()
    real = training_dialog.train_and_save

    def train_and_save(config, out, *, keep_if, **kwargs):
        def keep(result):
            ended.set()
            assert go_on.wait(60)
            return keep_if(result)
        return real(config, out, keep_if=keep, **kwargs)

    monkeypatch.setattr(training_dialog, "train_and_save", train_and_save)
    return ended, go_on


def test_a_training_that_ends_while_the_dialog_asks_is_discarded_when_asked(qtbot, app_env, monkeypatch):
    ended, go_on = ended_before_saving(monkeypatch)
    win, dialog = open_dialog(qtbot, app_env, "ends-while-asked", limit=2000)
    out = app_env / "ends-while-asked.npz"
    saved, seen = [], []
    dialog.model_saved.connect(saved.append)
    dialog.start_button.click()
    job = dialog.job
    qtbot.waitUntil(ended.is_set, timeout=60_000)   # trained: it would save now
    QTimer.singleShot(0, go_on.set)                 # ... and goes on to save once the question is open
    # (without the wait, the training saves and ends while asked: the question is answered then)
    answer("Stop and discard", lambda: dialog.job is not job or job.waiting(), seen,
           then=lambda: (out.exists(), list(saved)))
    dialog.request_cancel()
    assert seen == [(False, [])]                    # nothing saved while the question was open
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    assert not out.exists() and saved == []
    status = dialog.status.text()
    assert status.startswith("Finished 1 epoch") and status.endswith(". Discarded as you asked: nothing was saved.")
    assert dialog.start_button.isEnabled()


def test_a_training_that_ends_while_the_dialog_asks_is_saved_when_kept(qtbot, app_env, monkeypatch):
    ended, go_on = ended_before_saving(monkeypatch)
    win, dialog = open_dialog(qtbot, app_env, "kept-while-asked", limit=2000)
    seen = []
    dialog.start_button.click()
    job = dialog.job
    qtbot.waitUntil(ended.is_set, timeout=60_000)
    QTimer.singleShot(0, go_on.set)
    answer("Stop and keep", job.waiting, seen)
    with qtbot.waitSignal(dialog.model_saved, timeout=60_000) as saved:
        dialog.request_cancel()
    assert seen == [True] and saved.args[0] == app_env / "kept-while-asked.npz" and saved.args[0].is_file()
    assert dialog.status.text().startswith("Finished 1 epoch") and "Saved as “kept-while-asked”" in dialog.status.text()


def test_the_training_waits_while_asked_and_continues_when_told(qtbot, app_env):
    win, dialog = open_dialog(qtbot, app_env, "continued", limit=2000, epochs=8)   # still training when asked
    batches, seen = [], []
    dialog.start_button.click()
    job = dialog.job
    job.progress.connect(lambda value: batches.append(value) if isinstance(value, BatchProgress) else None)
    qtbot.waitUntil(lambda: bool(batches), timeout=60_000)
    answer("Continue training", job.waiting, seen, then=lambda: (len(batches), dialog.bar.value()))
    with qtbot.waitSignal(dialog.model_saved, timeout=60_000) as saved:
        dialog.request_cancel()
        counted = len(batches)
    assert seen and seen[0][0] == counted, dialog.status.text()   # held: no batch trained while asked
    status = dialog.status.text()   # trained to its end (all its epochs, or stopped early), and saved
    assert saved.args[0] == app_env / "continued.npz" and "Saved as" in status and "cancelled" not in status


def test_once_the_model_is_being_saved_the_dialog_says_so_instead_of_asking(qtbot, app_env, monkeypatch):
    committed, go_on = threading.Event(), threading.Event()
    real = training_dialog.train_and_save

    def train_and_save(config, out, *, keep_if, **kwargs):
        def keep(result):
            decided = keep_if(result)   # past the last point where the training can wait
            committed.set()
            assert go_on.wait(60)
            return decided
        return real(config, out, keep_if=keep, **kwargs)

    monkeypatch.setattr(training_dialog, "train_and_save", train_and_save)
    asked = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: asked.append(box.text()) or 0)
    win, dialog = open_dialog(qtbot, app_env, "too-late", limit=2000)
    dialog.start_button.click()
    qtbot.waitUntil(committed.is_set, timeout=60_000)
    dialog.request_cancel()
    assert asked == [] and dialog.status.text() == "The training has ended; its model is being saved."
    assert not dialog.cancel_button.isEnabled()
    with qtbot.waitSignal(dialog.model_saved, timeout=60_000) as saved:
        go_on.set()
    assert saved.args[0] == app_env / "too-late.npz"


def test_closing_the_window_while_asked_stops_the_held_training(qtbot, app_env):
    win, dialog = open_dialog(qtbot, app_env, "closed-while-asked", limit=2000, epochs=50)
    batches, seen = [], []
    dialog.start_button.click()
    job = dialog.job
    job.progress.connect(lambda value: batches.append(value) if isinstance(value, BatchProgress) else None)
    qtbot.waitUntil(lambda: bool(batches), timeout=60_000)

    def close_while_asked():
        started = time.monotonic()
        win.close()   # the app quits: the held training must not keep it waiting
        return time.monotonic() - started, job.isRunning()

    answer("Continue training", job.waiting, seen, then=close_while_asked)
    dialog.request_cancel()
    took, running = seen[0]
    assert not running and took < 5.0
    assert not (app_env / "closed-while-asked.npz").exists()


def stop_after_first_epoch(qtbot, app_env, dialog, name: str, button: str) -> None:
    """Start the dialog's training, wait for its first checkpoint, and stop it with ``button``."""
    checkpoint = checkpoint_path_for(app_env / f"{name}.npz")
    dialog.start_button.click()
    job = dialog.job
    qtbot.waitUntil(checkpoint.exists, timeout=60_000)   # epoch 1 done
    answer(button, job.waiting, [])
    dialog.request_cancel()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=60_000)


def test_a_training_stopped_and_kept_is_resumed_to_its_end(qtbot, app_env):
    win, dialog = open_dialog(qtbot, app_env, "resumed", limit=2000, epochs=40)
    assert dialog.resume_box.isHidden()                  # nothing to resume yet
    stop_after_first_epoch(qtbot, app_env, dialog, "resumed", "Stop and keep")
    out = app_env / "resumed.npz"
    assert out.is_file() and "cancelled" in dialog.status.text()
    assert not dialog.resume_box.isHidden() and dialog.stopped.count() == 1
    (run,) = stopped_runs(app_env)
    assert run.model_path == out and run.epoch >= 1 and dialog.stopped.currentText().startswith(
        f"resumed: epoch {run.epoch} of 40 done, best ")
    with qtbot.waitSignal(dialog.model_saved, timeout=120_000) as saved:
        dialog.resume_button.click()
        assert dialog.is_running() and not dialog.resume_box.isEnabled()
        # the epochs done before the stop are on the curves from the start
        assert dialog.curves.val_x[:run.epoch] == [float(e) for e in range(1, run.epoch + 1)]
    assert saved.args[0] == out
    card = json.loads(out.with_suffix(".card.json").read_text())
    epochs = [h["epoch"] for h in card["history"]]
    assert epochs == list(range(1, len(epochs) + 1)) and len(epochs) > run.epoch   # continued, not restarted
    assert card["status"] in ("completed", "early-stopped"), card["status"]
    assert not checkpoint_path_for(out).exists()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)   # the list is read again once the job ends
    assert dialog.resume_box.isHidden()


def test_a_training_stopped_and_discarded_leaves_nothing_to_resume(qtbot, app_env):
    win, dialog = open_dialog(qtbot, app_env, "discarded", limit=2000, epochs=40)
    stop_after_first_epoch(qtbot, app_env, dialog, "discarded", "Stop and discard")
    assert not (app_env / "discarded.npz").exists() and not checkpoint_path_for(app_env / "discarded.npz").exists()
    assert dialog.resume_box.isHidden() and stopped_runs(app_env) == []
