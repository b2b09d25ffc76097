"""Training from the dialog in a worker thread: progress, responsiveness, cancelling, closing the app."""

from __future__ import annotations

import time

from PySide6.QtCore import QRect, Qt, QTimer

from digitpad.app.windows.main_window import MainWindow
from digitpad.app.windows.training_dialog import TrainingDialog
from digitpad.training.progress import BatchProgress, EpochStats


def open_dialog(qtbot, app_env, name, limit, epochs=1):
    win = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(win)
    win.show()
    dialog = win.open_training()
    assert isinstance(dialog, TrainingDialog)
    dialog.preset.setCurrentText("mlp")
    dialog.name.setText(name)
    dialog.epochs.setValue(epochs)
    dialog.limit.setValue(limit)
    return win, dialog


def test_training_a_tiny_model_keeps_the_window_responsive(qtbot, app_env, message_boxes):
    # 20,000 images: on a quiet machine the whole job (loading, 16,000 training images, the test set) takes
    # about a second, dozens of 20-ms ticks.  With 5,000 it could end in 0.3 s with only 4 ticks.
    win, dialog = open_dialog(qtbot, app_env, "tiny-from-dialog", limit=20_000)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    with qtbot.waitSignal(dialog.model_saved, timeout=180_000) as saved:
        dialog.start_button.click()
        assert dialog.is_running()
    timer.stop()
    assert saved.args[0] == app_env / "tiny-from-dialog.npz" and saved.args[0].is_file()
    assert message_boxes == []
    # The event loop kept running: training in the UI thread would give no ticks until it ended.  (The
    # bound on the gap is loose because this machine may be shared with other CPU-heavy jobs.)
    assert len(ticks) >= 5 and max(b - a for a, b in zip(ticks, ticks[1:])) < 3.0
    assert dialog.curves.train_x and dialog.curves.val_x == [1.0]
    assert dialog.bar.value() == dialog.bar.maximum()
    assert win.model_combo.findData(str(saved.args[0])) >= 0          # listed at once
    qtbot.waitUntil(lambda: dialog.job is None, timeout=5000)
    status = dialog.status  # the two-line final report is shown whole, not clipped by the curves below
    needed = status.fontMetrics().boundingRect(QRect(0, 0, status.width(), 10_000), Qt.TextFlag.TextWordWrap,
                                               status.text()).height()
    assert "Saved as" in status.text() and status.contentsRect().height() >= needed


def test_cancel_stops_within_a_second_and_discards(qtbot, app_env):
    win, dialog = open_dialog(qtbot, app_env, "to-cancel", limit=0, epochs=3)
    batches = []
    dialog.start_button.click()
    dialog.job.progress.connect(lambda value: batches.append(value) if isinstance(value, BatchProgress) else None)
    qtbot.waitUntil(lambda: bool(batches), timeout=30_000)
    asked = time.monotonic()
    dialog.cancel(keep=False)
    # the dialog drops the job once its thread has ended and its last signals were handled (the job
    # object is deleted soon after, so it is not polled itself)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=5000)
    stopped = time.monotonic()
    # Cancel is checked between batches: within a second here, unless the machine is so loaded that a
    # single batch takes longer (the bound then allows a few batches).
    batch_seconds = dialog.batch_size.value() / batches[-1].samples_per_s
    assert stopped - asked < max(1.0, 3 * batch_seconds)
    assert "Nothing was saved" in dialog.status.text() and "cancelled" in dialog.status.text()
    assert not (app_env / "to-cancel.npz").exists()
    assert dialog.start_button.isEnabled()


def test_closing_the_main_window_during_training_stops_the_worker(qtbot, app_env):
    win, dialog = open_dialog(qtbot, app_env, "closed", limit=0, epochs=3)
    dialog.start_button.click()
    job = dialog.job
    qtbot.waitUntil(lambda: dialog.bar.value() > 0, timeout=30_000)
    started = time.monotonic()
    win.close()
    assert not job.isRunning() and time.monotonic() - started < 2.0
    assert not (app_env / "closed.npz").exists()


def test_cancel_and_keep_saves_the_model_so_far(qtbot, app_env):
    win, dialog = open_dialog(qtbot, app_env, "kept", limit=2000, epochs=50)
    epochs = []
    dialog.start_button.click()
    dialog.job.progress.connect(lambda value: epochs.append(value) if isinstance(value, EpochStats) else None)
    qtbot.waitUntil(lambda: bool(epochs), timeout=30_000)
    with qtbot.waitSignal(dialog.model_saved, timeout=30_000) as saved:
        dialog.cancel(keep=True)
    assert saved.args[0] == app_env / "kept.npz" and "cancelled" in dialog.status.text()


def test_missing_mnist_is_downloaded_from_the_dialog(qtbot, app_env, mnist_dir, tmp_path, monkeypatch):
    """No MNIST anywhere: the dialog asks, downloads it for real (from a server on 127.0.0.1 serving the
    real files) with progress, then trains on the downloaded copy."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    from digitpad.app import data_folder
    from digitpad.data import mnist, mnist_idx

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(mnist_dir)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    downloads = tmp_path / "downloaded"
    real_download = mnist.download_mnist
    monkeypatch.setattr(mnist, "default_download_dir", lambda: downloads)   # no data folder chosen: downloads go there
    monkeypatch.setattr(mnist, "download_mnist", lambda dest_dir=None, progress=None: real_download(
        dest_dir, mirrors=[f"http://127.0.0.1:{server.server_port}/"], progress=progress))
    monkeypatch.setattr(mnist, "find_mnist_dir", lambda data_dir=None: None if data_dir is None else data_dir)
    asked = []
    monkeypatch.setattr(data_folder, "ask_for_data", lambda parent, names: asked.append((parent, names)) or "download")
    win, dialog = open_dialog(qtbot, app_env, "after-download", limit=2000)
    progress = []
    shown = dialog._on_download_progress
    monkeypatch.setattr(dialog, "_on_download_progress", lambda value: progress.append(value) or shown(value))
    monkeypatch.delenv("DIGITPAD_DATA_DIR")  # the downloaded copy is the only MNIST the training can find
    try:
        with qtbot.waitSignal(dialog.model_saved, timeout=180_000) as saved:
            dialog.start_button.click()
    finally:
        server.shutdown()
        server.server_close()
    assert asked == [(dialog, ["mnist"])] and saved.args[0] == app_env / "after-download.npz"
    assert dialog.data_dir == downloads
    assert sorted(p.name for p in downloads.glob("*.gz")) == sorted(spec.gz_name for spec in mnist_idx.ALL_FILES)
    assert mnist.check_mnist_dir(downloads) == []  # all four verified
    assert any(name == "mnist" and done for name, done, _ in progress)


def test_the_quick_preset_is_the_dialogs_default_and_fills_its_settings(qtbot, app_env):
    from digitpad.training.config import preset_config

    win = MainWindow(app_env / "tiny.npz")
    qtbot.addWidget(win)
    dialog = win.open_training()
    assert dialog.preset.currentText() == "quick"
    assert "25 s" in dialog.preset_hint.text() and "99 %" in dialog.preset_hint.text()
    assert dialog.config() == preset_config("quick", seed=0)        # its settings, validation split included
    dialog.preset.setCurrentText("mlp")                              # another preset: the general settings
    assert (dialog.epochs.value(), dialog.schedule.currentData()) == (10, "cosine")
    dialog.epochs.setValue(2)
    assert dialog.config().epochs == 2 and dialog.config().model == "mlp"
