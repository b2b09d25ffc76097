"""Every point the pointer reports reaches the drawing: Qt's merging of fast mouse and tablet moves is off,
so a fast stroke drawn while the app is busy keeps its points and a 7 its corner."""

from __future__ import annotations

import ctypes.util
import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication

from digitpad.app.application import application
from digitpad.app.widgets.canvas import DrawingCanvas

ROOT = Path(__file__).resolve().parents[1]
COMPRESSION = (Qt.ApplicationAttribute.AA_CompressHighFrequencyEvents, Qt.ApplicationAttribute.AA_CompressTabletEvents)


def fast_seven(points: int = 240) -> np.ndarray:
    """A 7 in canvas units: the bar to a sharp corner, then down; ``points`` points, the corner among them."""
    corner = points // 3
    bar = np.linspace([70.0, 60.0], [260.0, 62.0], corner + 1)
    down = np.linspace([260.0, 62.0], [140.0, 290.0], points - corner)[1:]
    return np.concatenate([bar, down])


def test_the_app_and_every_canvas_turn_the_merging_of_moves_off(qtbot):
    for attribute in COMPRESSION:   # as the X11 platform leaves them when the application starts
        QCoreApplication.setAttribute(attribute, True)
    application()
    assert not any(QCoreApplication.testAttribute(a) for a in COMPRESSION)
    for attribute in COMPRESSION:
        QCoreApplication.setAttribute(attribute, True)
    from digitpad.app.session import Session

    canvas = DrawingCanvas(Session())   # a canvas in any window keeps every point too
    qtbot.addWidget(canvas)
    assert not any(QCoreApplication.testAttribute(a) for a in COMPRESSION)


def test_a_fast_stroke_drawn_while_the_ui_thread_is_busy_keeps_every_point_in_order(qtbot, window):
    """The moves queue up while the UI thread works (here: sleeps); handled afterwards, every one of them
    is in the stroke, in order, the corner included, on the window's scaled canvas."""
    canvas = window.canvas
    assert canvas.scale != 1   # the window's canvas is scaled to the window
    seven = fast_seven()
    positions = [canvas.to_widget(x, y) for x, y in seven]

    def post(kind, position):
        buttons = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseButtonRelease else Qt.MouseButton.LeftButton
        button = Qt.MouseButton.NoButton if kind == QEvent.Type.MouseMove else Qt.MouseButton.LeftButton
        QApplication.postEvent(canvas, QMouseEvent(kind, position, canvas.mapToGlobal(position), button, buttons,
                                                   Qt.KeyboardModifier.NoModifier))

    post(QEvent.Type.MouseButtonPress, positions[0])
    for position in positions[1:]:
        post(QEvent.Type.MouseMove, position)
    post(QEvent.Type.MouseButtonRelease, positions[-1])
    time.sleep(0.3)   # the UI thread is busy: nothing is handled yet
    assert canvas.drawing.is_empty()
    QApplication.processEvents()
    (stroke,) = canvas.drawing.strokes
    np.testing.assert_allclose(stroke, seven, atol=1e-9)
    window.session.predict_now()
    assert window.panel.digit.text() in "0123456789"


# --- the real thing: an X server's pointer, with the UI thread busy --------------------------------------

X_SCRIPT = textwrap.dedent('''
    """Draw a fast stroke with the X server's pointer (XTest) while the UI thread sleeps; print the stroke."""
    import ctypes, json, sys, time
    from PySide6.QtCore import QCoreApplication, Qt
    from digitpad.app.application import application
    from digitpad.app.windows.main_window import MainWindow

    app = application()
    window = MainWindow(sys.argv[1])
    if sys.argv[2] == "merge":   # the platform's default: shows that the test sees the difference
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_CompressHighFrequencyEvents, True)
    window.setGeometry(0, 0, 1280, 720)
    window.show()
    def settle(seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            app.processEvents()
            time.sleep(0.005)
    settle(1.0)
    x11, xtest = ctypes.CDLL("libX11.so.6"), ctypes.CDLL("libXtst.so.6")
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XFlush.argtypes = [ctypes.c_void_p]
    xtest.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_ulong]
    xtest.XTestFakeButtonEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
    display = x11.XOpenDisplay(None)
    canvas = window.canvas
    on_canvas = [canvas.to_widget(x, y).toPoint() for x, y in json.loads(sys.argv[3])]
    points = [canvas.mapToGlobal(p) for p in on_canvas]
    xtest.XTestFakeMotionEvent(display, -1, points[0].x(), points[0].y(), 0)
    xtest.XTestFakeButtonEvent(display, 1, True, 0)
    x11.XFlush(display)
    settle(0.5)
    for point in points[1:]:   # the UI thread does not handle events meanwhile: they queue up
        xtest.XTestFakeMotionEvent(display, -1, point.x(), point.y(), 0)
        x11.XFlush(display)
        time.sleep(0.002)
    time.sleep(0.3)
    settle(1.0)
    xtest.XTestFakeButtonEvent(display, 1, False, 0)
    x11.XFlush(display)
    settle(0.5)
    print(json.dumps({"widget": [[p.x(), p.y()] for p in on_canvas],
                      "strokes": [(s * canvas.scale).tolist() for s in canvas.drawing.strokes]}))
''')


def draw_with_the_x_pointer(tmp_path: Path, model: Path, mode: str, points: np.ndarray) -> dict:
    script = tmp_path / "x_pointer.py"
    script.write_text(X_SCRIPT)
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x720x24", sys.executable, str(script), str(model),
                           mode, json.dumps(points.tolist())], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(shutil.which("xvfb-run") is None or ctypes.util.find_library("Xtst") is None,
                    reason="needs xvfb-run and libXtst to move a real X pointer")
def test_under_x11_no_move_of_a_fast_stroke_is_merged(tmp_path, app_env):
    """On a real X server (Xvfb), a fast stroke's 100 pointer moves reach the canvas while the UI thread is
    busy: all of them, in order, where the pointer was.  With Qt's default merging, which the app turns off,
    the same moves arrive as a handful, the corner lost."""
    seven = fast_seven(101)
    kept = draw_with_the_x_pointer(tmp_path, app_env / "tiny.npz", "keep", seven)
    (stroke,) = kept["strokes"]
    assert len(stroke) == len(seven)
    np.testing.assert_allclose(stroke, kept["widget"], atol=1.0)   # where the pointer was, in order
    merged = draw_with_the_x_pointer(tmp_path, app_env / "tiny.npz", "merge", seven)
    assert len(merged["strokes"][0]) < len(seven) // 4
