"""C extensions that lose references to None: the bug that aborted the app after a minute of drawing.

PySide6-Essentials 6.12.0 takes one reference from ``None`` at every call of a Qt method that returns
nothing and never gives it back.  On Python 3.11 ``None`` is an ordinary object: once its count
reaches zero the interpreter aborts ("Fatal Python error: none_dealloc"), after about 1,700 live
predictions in the app.  From Python 3.12 ``None`` is immortal (PEP 683): its count is fixed and a
lost reference cannot free it, so the measurement means nothing there and is skipped.  The other
runtime dependencies with C code (NumPy, SciPy, Pillow, matplotlib's Agg renderer, threadpoolctl) are
measured the same way on the calls the app makes.
"""

from __future__ import annotations

import gc
import io
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from PySide6.QtWidgets import QLabel, QProgressBar, QWidget

CALLS = 300   # per call: a binding that loses one reference per call loses 300, far from aborting
NONE_IS_IMMORTAL = pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="None is immortal from Python 3.12 (PEP 683): its reference "
    "count is constant, so a lost reference can neither be seen nor crash the interpreter")


def references_lost(calls, rounds: int = CALLS) -> int:
    """How many references to None ``rounds`` rounds of ``calls`` took and kept."""
    for call in calls:   # first calls may fill caches
        call()
    gc.collect()
    before = sys.getrefcount(None)
    for _ in range(rounds):
        for call in calls:
            call()
    gc.collect()
    return before - sys.getrefcount(None)


@NONE_IS_IMMORTAL
def test_void_qt_methods_keep_none_alive(qtbot):
    label, bar, widget = QLabel(), QProgressBar(), QWidget()
    for w in (label, bar, widget):
        qtbot.addWidget(w)
    calls = [widget.update, lambda: label.setText("7"), lambda: bar.setValue(3),
             lambda: widget.setToolTip("pen"), lambda: label.setVisible(True)]
    lost = references_lost(calls)
    assert lost < CALLS // 10, (f"{len(calls) * CALLS} calls of void Qt methods lost {lost} references to "
                                f"None: this PySide6 would abort the app on Python {sys.version.split()[0]}")


def _numpy_and_scipy():
    import numpy as np
    from scipy import ndimage

    image = np.zeros((64, 64), np.float32)
    image[20:40, 30:34] = 1.0
    return [lambda: ndimage.zoom(image, 0.5, order=1), lambda: ndimage.label(image > 0.5),
            lambda: ndimage.center_of_mass(image), lambda: np.clip(image, 0, 1, out=image),
            lambda: ndimage.gaussian_filter(image, 0.7, mode="nearest"),   # the why panel's smoothed maps
            lambda: np.argmax(image @ image)]


def _pillow():
    import numpy as np
    from PIL import Image

    image = Image.fromarray(np.full((28, 28), 128, np.uint8))
    return [lambda: image.resize((56, 56), Image.Resampling.BILINEAR), lambda: image.save(io.BytesIO(), "PNG")]


def _matplotlib():
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(2, 2))
    figure.add_subplot().plot([0, 1, 2], [1, 0, 1])
    canvas = FigureCanvasAgg(figure)
    return [canvas.draw]     # 20 ms a call: fewer rounds (below)


def _threadpoolctl():
    from threadpoolctl import threadpool_limits

    def limited():
        with threadpool_limits(1, user_api="blas"):
            pass
    return [limited]


@NONE_IS_IMMORTAL
@pytest.mark.parametrize("calls", [_numpy_and_scipy, _pillow, _matplotlib, _threadpoolctl],
                         ids=["numpy-scipy", "pillow", "matplotlib", "threadpoolctl"])
def test_other_c_extensions_keep_none_alive(calls):
    made = calls()
    rounds = CALLS // 5 if calls is _matplotlib else CALLS
    lost = references_lost(made, rounds)
    assert lost < rounds // 10, f"{len(made) * rounds} calls lost {lost} references to None"


def test_the_package_keeps_python_3_11_off_the_broken_pyside6():
    """pyproject.toml must not let pip pick PySide6-Essentials 6.12.0 on Python < 3.12."""
    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    qt = [Requirement(r) for r in project["project"]["dependencies"] if r.lower().startswith("pyside6-essentials")]
    assert qt, "PySide6-Essentials is a dependency"

    def allowed(python: str, version: str) -> bool:
        environment = default_environment() | {"python_version": python, "python_full_version": python + ".0"}
        active = [r for r in qt if r.marker is None or r.marker.evaluate(environment)]
        return bool(active) and all(r.specifier.contains(version) for r in active)

    assert not allowed("3.11", "6.12.0")
    assert allowed("3.11", "6.11.3") and allowed("3.11", "6.6.3")
    assert allowed("3.12", "6.12.0") and allowed("3.13", "6.12.0")
