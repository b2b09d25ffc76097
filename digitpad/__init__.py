"""digitpad: a from-scratch NumPy neural network that learns MNIST, and an app to draw digits for it.

``digitpad.drawing_to_input(strokes, pen_width, canvas_size)`` is the one path from a drawing to the
network's input (:mod:`digitpad.drawing.network_input`); it is loaded on first use, so that
``import digitpad`` stays light and the package's parts keep importing one way.
"""

__version__ = "0.1.0"
__all__ = ["drawing_to_input", "__version__"]


def __getattr__(name: str):
    if name == "drawing_to_input":
        from digitpad.drawing.network_input import drawing_to_input

        return drawing_to_input
    raise AttributeError(f"module 'digitpad' has no attribute {name!r}")
