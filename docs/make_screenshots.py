"""Render the app's screenshots offscreen into docs/: the main window with a drawn digit (with its "why
this digit?" maps and the pen-width plot), the same in French, at a laptop's 1280×720 and maximised on a
1920×1080 screen in both languages, a scribble answered "this doesn't look like a digit", an "unsure: 1
or 7" drawing explained, inside the network, the training dialog mid-training, the stroke robustness
window, its Honest answers tab (the reliability diagram) and the confusion-matrix window.

    python docs/make_screenshots.py [--model PATH_OR_NAME] [--out DIR]

Training for the screenshot writes into a temporary models folder, so the user's models are untouched;
the personal digits and settings are a temporary folder's too (the app as a newcomer sees it).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402

from digitpad.app import i18n  # noqa: E402
from digitpad.app.application import application  # noqa: E402
from digitpad.app.windows.main_window import MainWindow  # noqa: E402
from digitpad.reading.store import resolve  # noqa: E402
from digitpad.training.progress import EpochStats  # noqa: E402

DOCS = Path(__file__).resolve().parent


def wait_until(app, condition, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        app.processEvents()
        time.sleep(0.02)
    app.processEvents()
    return True


def draw_four(canvas) -> None:
    """A hand-drawn-looking 4 in two strokes (open top, like many people write it)."""
    draw_strokes(canvas, [[(150, 60), (128, 120), (104, 180), (96, 196), (150, 198), (214, 196), (246, 194)],
                          [(212, 88), (210, 150), (208, 210), (206, 280)]])


def draw_strokes(canvas, strokes) -> None:
    """Draw polylines given in the coordinates of a 336-px canvas, with mouse events."""
    s = canvas.width() / 336
    for stroke in strokes:
        points = [QPoint(round(x * s), round(y * s)) for x, y in _densify(stroke)]
        QTest.mousePress(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[0])
        for point in points[1:]:
            QTest.mouseMove(canvas, point)
        QTest.mouseRelease(canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, points[-1])


def scribble_points() -> list[tuple[float, float]]:
    """A wandering line over most of the canvas (seeded, in a 336-px canvas's coordinates): not a digit."""
    import numpy as np

    rng = np.random.default_rng(4)
    heading = np.cumsum(rng.normal(0, 0.6, 150))
    walk = np.cumsum(np.stack([np.cos(heading), np.sin(heading)], axis=1), axis=0)
    walk = (walk - walk.min(axis=0)) / np.ptp(walk, axis=0).max()
    return [tuple(p) for p in walk * 0.85 * 336 + 0.075 * 336]


def _densify(points, step=6.0):
    out = [points[0]]
    for (x0, y0), (x1, y1) in zip(points, points[1:]):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / step))
        out += [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(1, n + 1)]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=None, help="model for the main window (default: the app's default)")
    parser.add_argument("--out", type=Path, default=DOCS)
    parser.add_argument("--robustness-samples", type=int, default=200)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    newcomer = tempfile.mkdtemp(prefix="digitpad-screenshots-")   # as a newcomer sees it: no digits taught,
    os.environ["DIGITPAD_PERSONAL_DIR"] = os.path.join(newcomer, "personal")   # no settings
    os.environ["DIGITPAD_CONFIG_DIR"] = os.path.join(newcomer, "config")
    app = application()
    model_path = resolve(args.model) if args.model else None
    window = MainWindow(model_path)
    window.resize(1240, 820)
    window.show()
    if window.compare_combo.count() > 1:
        window.compare_box.setChecked(True)
    draw_four(window.canvas)
    window.session.predictor.predict_now()
    wait_until(app, lambda: window.width_plot.sweep is not None and not window.width_plot.worker.busy(), 60)
    window.width_plot.select_width(40)
    app.processEvents()
    window.grab().save(str(args.out / "main-window.png"))
    print(f"wrote {args.out / 'main-window.png'}")

    unsure = MainWindow(model_path)            # "unsure: 1 or 7": the three maps, by occlusion
    unsure.resize(1240, 820)
    unsure.show()
    draw_strokes(unsure.canvas, [[(120, 120), (200, 70), (196, 150), (192, 280)]])
    unsure.why_panel.set_method("occlusion")
    unsure.session.predictor.predict_now()
    wait_until(app, lambda: not unsure.why_panel.occlusion.busy() and unsure.why_panel.maps is not None
               and unsure.width_plot.sweep is not None and not unsure.width_plot.worker.busy(), 60)
    app.processEvents()
    unsure.grab().save(str(args.out / "why-unsure.png"))
    print(f"wrote {args.out / 'why-unsure.png'}")
    insides = unsure.open_insides()
    insides.resize(1000, 760)
    wait_until(app, lambda: bool(insides.outputs), 10)
    insides.enlarge(0, 3)
    app.processEvents()
    insides.grab().save(str(args.out / "inside-the-network.png"))
    print(f"wrote {args.out / 'inside-the-network.png'}")
    unsure.close()

    for language in ("en", "fr"):              # a laptop's screen and a maximised window, in both languages
        i18n.install_language(language)
        for label, size in (("1280x720", (1280, 720)), ("maximised", (1920, 1080))):
            sized = MainWindow(model_path)
            sized.resize(*size)
            sized.show()
            draw_four(sized.canvas)
            sized.session.predictor.predict_now()
            wait_until(app, lambda: sized.width_plot.sweep is not None and not sized.width_plot.worker.busy(), 60)
            app.processEvents()
            name = f"main-window-{label}{'' if language == 'en' else '-fr'}.png"
            sized.grab().save(str(args.out / name))
            print(f"wrote {args.out / name} ({sized.width()}x{sized.height()})")
            sized.close()
    i18n.install_language("en")

    scribble = MainWindow(model_path)          # not a digit: a scribble over the canvas
    scribble.resize(1280, 720)
    scribble.show()
    draw_strokes(scribble.canvas, [scribble_points()])
    scribble.session.predictor.predict_now()
    wait_until(app, lambda: scribble.width_plot.sweep is not None and not scribble.width_plot.worker.busy(), 60)
    app.processEvents()
    scribble.grab().save(str(args.out / "not-a-digit.png"))
    print(f"wrote {args.out / 'not-a-digit.png'}")
    scribble.close()

    i18n.install_language("fr")                # the same window in French
    french = MainWindow(model_path)
    french.resize(1240, 820)
    french.show()
    draw_four(french.canvas)
    french.session.predictor.predict_now()
    wait_until(app, lambda: french.width_plot.sweep is not None and not french.width_plot.worker.busy(), 60)
    app.processEvents()
    french.grab().save(str(args.out / "main-window-fr.png"))
    print(f"wrote {args.out / 'main-window-fr.png'}")
    french.close()
    i18n.install_language("en")
    shots = {}

    with tempfile.TemporaryDirectory() as models_dir:
        os.environ["DIGITPAD_MODELS_DIR"] = models_dir
        dialog = window.open_training()
        dialog.preset.setCurrentText("mlp")
        dialog.name.setText("mlp-screenshot")
        dialog.epochs.setValue(4)
        dialog.limit.setValue(12000)
        dialog.start()
        epochs_seen = []
        dialog.job.progress.connect(lambda v: epochs_seen.append(v) if isinstance(v, EpochStats) else None)
        wait_until(app, lambda: len(epochs_seen) >= 2 and dialog.bar.value() > dialog.bar.maximum() * 0.62, 300)
        dialog._redraw()
        app.processEvents()
        dialog.grab().save(str(args.out / "training-dialog.png"))
        print(f"wrote {args.out / 'training-dialog.png'}")
        dialog.shutdown()

    honest = window.open_honesty()             # the Honest answers tab, measured
    honest.resize(1040, 720)
    honest.start_honesty()
    if not wait_until(app, lambda: honest.job is None or not honest.job.isRunning(), 900):
        print("honest answers did not finish in time", file=sys.stderr)
    app.processEvents()
    honest.grab().save(str(args.out / "honest-answers.png"))
    print(f"wrote {args.out / 'honest-answers.png'}")
    honest.close()

    confusion = window.open_confusion()
    robustness = window.open_robustness()
    robustness.samples.setValue(args.robustness_samples)
    robustness.start()
    wait_until(app, lambda: confusion.run is not None, 300)
    if not wait_until(app, lambda: robustness.result is not None or not robustness.job.isRunning(), 900):
        print("robustness study did not finish in time", file=sys.stderr)
    shots.update({"confusion-window.png": confusion, "robustness-window.png": robustness})
    for name, widget in shots.items():
        app.processEvents()
        widget.grab().save(str(args.out / name))
        print(f"wrote {args.out / name}")
    window.close()
    window.deleteLater()   # tear the windows down while Qt and Python are both still fully alive
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
