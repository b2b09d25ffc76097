"""digitpad: a from-scratch NumPy neural network that learns MNIST, and an app to draw digits for it.

Reading digits from Python (:mod:`digitpad.reading.reader`)::

    from digitpad import Drawing, Reader
    answers = Reader.default().read([Drawing(strokes, canvas_size=128, pen_width=8)])

The package's face hands out `Drawing`, `Reader`, `Answer`, `drawing_to_input` (a drawing's 28x28
network input) and `drawing_to_trajectory` (its path, as the stroke model reads it) from their homes, each imported on first use (PEP 562 ``__getattr__``): importing one
part, the engine above all (``from digitpad import nn``: NumPy only), must not load the others (SciPy,
Pillow, the model store), and the face must not import the top of the layout from its bottom.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from digitpad.version import __version__

if TYPE_CHECKING:   # for type checkers and the layout test; at run time `__getattr__` imports them
    from digitpad.drawing.network_input import drawing_to_input
    from digitpad.drawing.strokes import Drawing
    from digitpad.drawing.trajectory import drawing_to_trajectory
    from digitpad.reading.reader import Answer, Reader

_HOMES = {"Drawing": "digitpad.drawing.strokes", "Reader": "digitpad.reading.reader",
          "Answer": "digitpad.reading.reader", "drawing_to_input": "digitpad.drawing.network_input",
          "drawing_to_trajectory": "digitpad.drawing.trajectory"}
__all__ = ["Answer", "Drawing", "Reader", "drawing_to_input", "drawing_to_trajectory", "__version__"]


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'digitpad' has no attribute {name!r}")
    value = getattr(importlib.import_module(_HOMES[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
