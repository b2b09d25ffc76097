"""Soak the desktop app in one process: thousands of live predictions as a person would make them.

    python tests/soak_app.py --predictions 10000 --json soak.json

The main window reads with the default reader (the shipped CNN with the shipped stroke model) and the
next one listed (the shipped MLP with the stroke model) compared.  Digits from the
MNIST test set, traced into pen strokes (`digitpad.data.drawn`), are drawn on the canvas with real mouse
events; every stroke segment asks for a live prediction, and the predictor's timer, set to 0 ms
instead of 15 ms so the run does not sleep, runs the same path as in use (canvas → ``to_mnist`` →
``predict_proba`` for both models → probability bars).  Between drawings it undoes, clears, changes
the pen with ``[`` and ``]``, switches models, toggles the comparison, stores a digit in "my digits",
and opens and closes every tool window.

It prints one line per 1,000 predictions and, with ``--json``, writes the figures: predictions made,
seconds, resident memory and the reference count of ``None`` after a warm-up and at the end.  On
Python 3.11, ``None`` is an ordinary object: a C extension that drops a reference to it at every call
(PySide6-Essentials 6.12.0 does, in every Qt method returning nothing) makes the count fall until the
interpreter aborts with "Fatal Python error: none_dealloc".  `tests/test_app_soak.py` runs this file
in a subprocess and checks the figures.
"""

from __future__ import annotations

import argparse
import faulthandler
import gc
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QEvent, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from digitpad.app.application import application  # noqa: E402
from digitpad.app.widgets.canvas import CANVAS_SIZE  # noqa: E402
from digitpad.app.windows.main_window import MainWindow  # noqa: E402
from digitpad.data import mnist  # noqa: E402
from digitpad.data.drawn import make_drawn_digits  # noqa: E402
from test_hardening_models import write_bad_model_folder  # noqa: E402  (tests/ is this script's folder)

WARM_UP = 1000          # predictions before the reference figures are taken
TOOLS_EVERY = 50        # drawings between two rounds of opening and closing the tool windows
SETTLE_DRAWINGS = 3     # drawings after a round before None's count is followed again
DIGITS = 400            # distinct traced digits, drawn in turn
PEN_WIDTHS = (4, 8, 12, 16, 20, 24, 32)


def resident_mb() -> float:
    """Resident set size of this process in MB (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 1024


class Soak:
    def __init__(self, window: MainWindow, seed: int):
        self.window = window
        self.app = QApplication.instance()
        self.rng = np.random.default_rng(seed)
        self.predictions = 0
        window.session.predictor.timer.setInterval(0)
        window.session.predictor.updated.connect(self._counted)
        images, labels = mnist.load_mnist("test")
        self.drawings = make_drawn_digits(images, labels, DIGITS, self.rng, canvas=CANVAS_SIZE)
        self.actions = {"drawings": 0, "undo": 0, "clear": 0, "pen": 0, "switch model": 0,
                        "toggle compare": 0, "teach": 0, "tool windows": 0}

    def _counted(self, prediction) -> None:
        self.predictions += 1

    def _settle(self) -> None:
        """Let queued events (the prediction timer, repaints) run, as the event loop does between inputs."""
        self.app.processEvents()

    def draw(self, strokes) -> None:
        """Each stroke as a press, a move per point and a release, through QTest as from a mouse (the
        strokes in canvas units, on the canvas as large as the window shows it)."""
        canvas = self.window.canvas
        for stroke in strokes:
            points = [canvas.to_widget(x, y).toPoint() for x, y in stroke]
            QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
            self._settle()
            for point in points[1:]:
                QTest.mouseMove(canvas, point)
                self._settle()
            QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])
            self._settle()
        self.actions["drawings"] += 1

    def step(self, index: int) -> None:
        """One drawing and, now and then, the other things a person does between drawings.

        Drawing 0 does every one of them, so the warm-up has loaded everything the session uses."""
        window = self.window
        strokes, label = self.drawings[index % len(self.drawings)]
        self.draw(strokes)
        canvas = window.canvas
        if index % 3 == 0:
            strokes_before = len(canvas.drawing.strokes)
            QTest.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)   # undo a stroke
            self._settle()
            self._check(len(canvas.drawing.strokes) == strokes_before - 1, "Ctrl+Z removed no stroke")
            self.actions["undo"] += 1
        if index % 5 == 0:
            width = canvas.pen_width
            QTest.keyClick(window, Qt.Key.Key_BracketRight if index % 2 else Qt.Key.Key_BracketLeft)
            self._settle()
            self._check(canvas.pen_width != width, "[ or ] did not change the pen")
            self.actions["pen"] += 1
        if index % 40 == 0:
            window.teach(label)
            self.actions["teach"] += 1
        QTest.keyClick(window, Qt.Key.Key_Escape)                                          # clear
        self._settle()
        self._check(canvas.drawing.is_empty(), "Esc did not clear the drawing")
        self.actions["clear"] += 1
        window.canvas.set_pen_width(float(PEN_WIDTHS[index % len(PEN_WIDTHS)]))
        if index % 10 == 0:
            self.swap_models()
        if index % 30 == 0:
            window.compare_box.toggle()          # off, and on again after one drawing
            self.actions["toggle compare"] += 1
        elif not window.compare_box.isChecked():
            window.compare_box.toggle()
        if index % TOOLS_EVERY == 0:
            self.tool_windows()

    @staticmethod
    def _check(ok: bool, what: str) -> None:
        if not ok:
            raise SystemExit(f"soak: {what}")

    def swap_models(self) -> None:
        """Choose the compared reader as the main one and the main one as the compared one."""
        window = self.window
        main, compare = window.session.choice, window.session.compare_choice
        for combo, choice in ((window.model_combo, compare), (window.compare_combo, main)):
            row = combo.findData(choice.spec)
            combo.setCurrentIndex(row)
            combo.activated.emit(row)
            self._settle()
        self.actions["switch model"] += 1

    def tool_windows(self) -> None:
        """Open each tool window, let it start its work, and close it (which stops its job)."""
        for opener in (self.window.open_personal, self.window.open_robustness,
                       self.window.open_confusion, self.window.open_training, self.window.open_insides,
                       self.window.show_shortcuts, self.window.show_about):
            tool = opener()
            QTest.qWait(20)
            tool.close()
            self._settle()
        # A window manager gives the focus back to the main window when a tool window closes; the
        # offscreen platform does not, and the main window's shortcuts need it.
        self.window.activateWindow()
        self._settle()
        # The closed windows are deleted by deferred-delete events, which processEvents() leaves for the
        # event loop: deliver them now, so that the drawing stretch after this round does not count the
        # references to None that those windows give back (thousands for Inside the network).
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        gc.collect()
        self.actions["tool windows"] += 1


def figures(soak: Soak) -> dict:
    gc.collect()
    return {"predictions": soak.predictions, "none_refcount": sys.getrefcount(None),
            "rss_mb": round(resident_mb(), 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--predictions", type=int, default=10_000, help="live predictions to make (default: 10000)")
    parser.add_argument("--seed", type=int, default=0, help="which digits and actions (default: 0)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures to this file")
    args = parser.parse_args(argv)
    faulthandler.enable()

    with tempfile.TemporaryDirectory(prefix="digitpad-soak-") as home:
        # Private user folders: the user's models folder holds one file of each bad kind that once
        # stopped the app at start (none can be used), and the taught digits go to a scratch folder.
        os.environ["DIGITPAD_MODELS_DIR"] = str(Path(home) / "models")
        os.environ["DIGITPAD_PERSONAL_DIR"] = str(Path(home) / "personal")
        bad_models = sorted(write_bad_model_folder(Path(home) / "models", Path(home) / "work"))
        app = application()
        window = MainWindow()
        window.show()
        unreadable = sorted(entry.path.name for entry in window.session.entries if entry.problem)
        soak = Soak(window, args.seed)
        soak.window.compare_box.setChecked(True)
        started = time.perf_counter()
        trace, warm, index, next_report = [], None, 0, 1000
        # None's count over the drawing-only stretches between tool-window rounds: any change there
        # comes from the live-prediction path itself.
        drawing_change, stretch = 0, None
        while soak.predictions < args.predictions:
            if index % TOOLS_EVERY == 0 and stretch is not None:
                drawing_change += figures(soak)["none_refcount"] - stretch
                stretch = None
            soak.step(index)
            index += 1
            if warm is None and soak.predictions >= min(WARM_UP, args.predictions // 2):
                warm = figures(soak)
            # A stretch starts a few drawings after a tool-window round: the closed windows give their
            # references back over the next event-loop turns (deferred deletes, jobs ending), which is
            # the round's business, not the drawing's.
            if warm is not None and stretch is None and index % TOOLS_EVERY >= SETTLE_DRAWINGS:
                stretch = figures(soak)["none_refcount"]
            if soak.predictions >= next_report:
                now = figures(soak) | {"seconds": round(time.perf_counter() - started, 1)}
                trace.append(now)
                print(f"{now['predictions']:>7} predictions  {now['seconds']:>7.1f} s  "
                      f"RSS {now['rss_mb']:>7.1f} MB  refcount(None) {now['none_refcount']}", flush=True)
                next_report += 1000
        end = figures(soak)
        if stretch is not None:
            drawing_change += end["none_refcount"] - stretch
        seconds = time.perf_counter() - started
        result = {
            "python": sys.version.split()[0],
            "pyside6": __import__("PySide6").__version__,
            "numpy": np.__version__,
            "models": sorted({window.session.choice.name, window.session.compare_choice.name}),
            "bad_models": bad_models,
            "unreadable_models_listed": unreadable,
            "predictions": soak.predictions,
            "seconds": round(seconds, 1),
            "predictions_per_second": round(soak.predictions / seconds, 1),
            "actions": soak.actions,
            "warm": warm,
            "end": end,
            "none_refcount_change": end["none_refcount"] - warm["none_refcount"],
            "none_refcount_change_while_drawing": drawing_change,
            "rss_growth_mb": round(end["rss_mb"] - warm["rss_mb"], 1),
            "trace": trace,
        }
        window.close()
        window.deleteLater()
        app.processEvents()
    print(json.dumps({k: v for k, v in result.items() if k != "trace"}))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
