"""Background jobs: run a function in a QThread, with progress, cancellation and a result or an error.

The function receives the :class:`BackgroundJob` and calls ``job.report(value)`` to send progress to
the UI thread and ``job.cancelled()`` to learn whether the user asked it to stop; a job that can wait
while the user is asked something calls ``job.checkpoint()`` instead, which waits while the UI thread
holds the job (`hold`, `release`), and ``job.checkpoint(last=True)`` once it commits its result, after
which it can no longer be held.  Signals are queued
across threads, so slots run in the UI thread.  The job is the one worker class every window uses
(training, downloads, evaluation, robustness, fine-tuning), each started with :func:`start_job`.
Training reports typed messages (`TrainingReporter`: the dataclasses of `digitpad.training.progress`).
"""

from __future__ import annotations

import ctypes
import gc
import sys
import threading
import time
import traceback
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from digitpad.app.i18n import percent
from digitpad.errors import DigitpadError
from digitpad.reading.store import open_model
from digitpad.training.progress import BatchProgress, EpochStats, TrainingCallback, TrainingMessage, TrainingStart


class BackgroundJob(QThread):
    """``BackgroundJob(fn, *args)`` runs ``fn(job, *args)`` in its own thread once started."""

    progress = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)

    def __init__(self, fn: Callable[..., Any], *args: Any, parent=None):
        super().__init__(parent)
        self._fn, self._args = fn, args
        self._cancel = threading.Event()
        self._go = threading.Event()   # cleared while the UI thread holds the job
        self._go.set()
        self._lock = threading.Lock()
        self._committed = False        # past its last checkpoint: it can no longer be held
        self._waiting = False

    def report(self, value: Any) -> None:
        """Send ``value`` to the ``progress`` slots (call from the job's function)."""
        self.progress.emit(value)

    def cancel(self) -> None:
        """Ask the job to stop; the function sees it through :meth:`cancelled`."""
        self._cancel.set()

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def hold(self) -> bool:
        """Ask the job to wait at its next `checkpoint` until `release` (the UI thread asks the user
        something that decides what the job does); False if the job has passed its last checkpoint and
        goes on whatever the answer."""
        with self._lock:
            if self._committed:
                return False
            self._go.clear()
            return True

    def release(self) -> None:
        """Let a held job go on (after `cancel`, if the answer was to stop)."""
        self._go.set()

    def waiting(self) -> bool:
        """Whether the job is waiting at a checkpoint, held."""
        return self._waiting

    def checkpoint(self, last: bool = False) -> bool:
        """In the job: wait while held, then say whether the job is cancelled.  ``last``: the job commits
        its result after this one (it cannot be held afterwards: `hold` says so)."""
        while True:
            if not self._go.is_set():
                self._waiting = True
                self._go.wait()
                self._waiting = False
            with self._lock:
                if self._go.is_set():   # not held again between the wait and the lock
                    self._committed = self._committed or last
                    return self._cancel.is_set()

    def stop(self, timeout_ms: int = 10_000) -> bool:
        """Cancel and wait for the thread to end (e.g. when a window closes); True if it ended."""
        self.cancel()
        self.release()   # a held job must reach its next checkpoint to see the cancel
        return self.wait(timeout_ms) if self.isRunning() else True

    def run(self) -> None:
        try:
            result = self._fn(self, *self._args)
        except DigitpadError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # noqa: BLE001 - any bug must reach the user as a message, not kill the app
            traceback.print_exc()
            self.failed.emit(self.tr("unexpected error: {0}: {1}").format(type(exc).__name__, exc))
        else:
            self.succeeded.emit(result)


def give_back_memory() -> None:
    """Hand the memory a finished job freed back to the system.  A training's batches and data sets are
    NumPy arrays of megabytes; once some are freed, glibc serves the next ones from its heaps (its mmap
    threshold rises) and keeps those pages when they are freed in turn: the app stayed at 1.1 GB after a
    training.  ``malloc_trim`` returns them (Linux with glibc; elsewhere nothing is done)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL("libc.so.6").malloc_trim(0)
        except (OSError, AttributeError):   # another C library (musl): nothing to trim
            pass


def start_job(fn: Callable[..., Any], *args: Any, parent: QObject, progress: Callable | None = None,
              succeeded: Callable | None = None, failed: Callable | None = None,
              finished: Callable[[BackgroundJob], Any] | None = None) -> BackgroundJob:
    """Run ``fn(job, *args)`` in a new :class:`BackgroundJob` owned by ``parent`` and return it, started:
    ``progress(value)``, ``succeeded(result)``, ``failed(message)`` and ``finished(job)`` (the thread
    ended, after the others) are called in the UI thread, each when given."""
    job = BackgroundJob(fn, *args, parent=parent)
    for signal, slot in ((job.progress, progress), (job.succeeded, succeeded), (job.failed, failed)):
        if slot is not None:
            signal.connect(slot)
    if finished is not None:
        job.finished.connect(lambda: finished(job))
    job.finished.connect(give_back_memory)
    job.start()
    return job


def worker_model(cache: dict, path):
    """The model at ``path`` for a worker thread: its own copy, loaded once and kept in ``cache`` (one
    entry; the worker's only).  Layers keep scratch buffers, so the UI thread's model is never shared."""
    if path not in cache:
        cache.clear()
        cache[path] = open_model(path)
    return cache[path]


class LatestOnly(QObject):
    """Runs ``fn(job, *args)`` for the newest request only: while one runs, further `submit` calls
    replace one pending request, started when the running one ends.  Views that follow the pen
    (occlusion, the pen-width plot) use it so that slow work never queues up.

    ``done`` carries ``(args, result)`` of each finished request that no newer one superseded;
    ``failed`` a one-line message.  ``fn`` gets this object as ``job`` (``job.cancelled()``).

    The work runs on a plain Python thread and the UI thread collects the result with a short
    timer: the worker never touches Qt.  A QThread per request was measured to corrupt ``None``'s
    reference count under PySide6 6.11 (thousands of references lost in a few hundred drawings
    while the UI thread drew plots), which on Python 3.11 ends in "Fatal Python error: none_dealloc".
    """

    done = Signal(object)
    failed = Signal(str)
    POLL_MS = 15

    def __init__(self, fn: Callable[..., Any], parent=None):
        super().__init__(parent)
        self._fn = fn
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="digitpad-view")
        self._future: Future | None = None
        self._running_args: tuple | None = None
        self._pending: tuple | None = None
        self._closed = False
        self._cancel = threading.Event()
        self._timer = QTimer(self)
        self._timer.setInterval(self.POLL_MS)
        self._timer.timeout.connect(self._collect)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def submit(self, *args: Any) -> None:
        if self._closed:
            return
        if self._future is not None:
            self._pending = args
            return
        self._start(args)

    def _start(self, args: tuple) -> None:
        self._pending, self._running_args = None, args
        self._future = self._pool.submit(self._fn, self, *args)
        self._timer.start()

    def _collect(self) -> None:
        """UI thread: hand over a finished result (unless a newer request waits) and start the next."""
        future = self._future
        if future is None or not future.done():
            return
        self._future, args = None, self._running_args
        if self._pending is None:
            self._timer.stop()
        if not self._closed and self._pending is None:
            try:
                result = future.result()
            except DigitpadError as exc:
                self.failed.emit(str(exc))
            except Exception as exc:  # noqa: BLE001 - a bug must reach the user as a message, not kill the app
                traceback.print_exception(exc)
                self.failed.emit(f"unexpected error: {type(exc).__name__}: {exc}")
            else:
                self.done.emit((args, result))
        if self._pending is not None and not self._closed:
            self._start(self._pending)

    def busy(self) -> bool:
        return self._future is not None or self._pending is not None

    def shutdown(self) -> None:
        """Drop the pending request and wait for the running one (a window closing, the app quitting)."""
        self._closed, self._pending = True, None
        self._cancel.set()
        self._timer.stop()
        self._pool.shutdown(wait=True)
        self._future = None


class TrainingReporter(TrainingCallback):
    """Forwards a :class:`~digitpad.training.trainer.Trainer`'s progress to a job as typed messages:
    `TrainingStart`, `BatchProgress` (at most every ``interval_s`` and at each epoch's last batch),
    `EpochStats` and `TrainingMessage`."""

    def __init__(self, job: BackgroundJob, interval_s: float = 0.1):
        self.job, self.interval_s = job, interval_s
        self._last = 0.0

    def on_train_begin(self, info: dict) -> None:
        self.job.report(TrainingStart.from_info(info))

    def on_batch_end(self, progress: BatchProgress) -> None:
        now = time.monotonic()
        if now - self._last >= self.interval_s or progress.batch == progress.batches:
            self._last = now
            self.job.report(progress)

    def on_epoch_end(self, stats: EpochStats) -> None:
        self.job.report(stats)

    def on_message(self, text: str) -> None:
        self.job.report(TrainingMessage(text))


class TrainingOutcome(QObject):
    """How a training run ended, in the app's language (a QObject for ``self.tr``'s plurals, which lupdate
    reads from ``tr`` and not from ``QCoreApplication.translate``)."""

    def text(self, status: str, message: str, epochs: int, last_epoch: int | None = None,
             patience: int | None = None, best_epoch: int = 0, best_accuracy: float = 0.0) -> str:
        if status == "completed":
            text = self.tr("Finished %n epoch(s)", "", epochs)
        elif status == "early-stopped" and patience:
            text = self.tr("Stopped early after epoch {0}: no better validation accuracy for %n epoch(s)", "",
                           patience).format(epochs)
        elif status == "cancelled":
            text = (self.tr("Training cancelled in epoch {0}").format(last_epoch) if last_epoch
                    else self.tr("Training cancelled"))
        elif status == "diverged":
            text = self.tr("Training diverged in epoch {0} (the loss blew up); the last good weights were kept: "
                           "try a lower learning rate").format(last_epoch or epochs + 1)
        else:
            return message
        if best_epoch:
            text += self.tr("; best validation accuracy {0} at epoch {1}").format(percent(best_accuracy, 2), best_epoch)
        return text


def outcome_text(status: str, message: str, epochs: int, last_epoch: int | None = None, patience: int | None = None,
                 best_epoch: int = 0, best_accuracy: float = 0.0) -> str:
    """How a training run ended, in the app's language (the trainer's ``message`` is English, and said
    only for a status this does not know): ``epochs`` completed, ``last_epoch`` the one it stopped in
    (the last reported), ``patience`` the epochs early stopping waits, and the best validation accuracy."""
    return TrainingOutcome().text(status, message, epochs, last_epoch, patience, best_epoch, best_accuracy)


def format_duration(seconds: float) -> str:
    """``m:ss`` or ``h:mm:ss``."""
    seconds = max(int(seconds), 0)
    if seconds >= 3600:
        return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
    return f"{seconds // 60}:{seconds % 60:02d}"


class StopsJobOnClose:
    """Mixin for windows that own one background job in ``self.job`` (or None): closing the window
    stops the job and waits for its thread, and ``shutdown()`` does the same when the app quits."""

    job: BackgroundJob | None = None

    def shutdown(self) -> None:
        if self.job is not None:
            self.job.stop()

    def closeEvent(self, event) -> None:
        self.shutdown()
        super().closeEvent(event)


def button_row(*widgets: QWidget) -> QHBoxLayout:
    """A row of buttons aligned to the right, as dialogs end."""
    row = QHBoxLayout()
    row.addStretch(1)
    for widget in widgets:
        row.addWidget(widget)
    return row
