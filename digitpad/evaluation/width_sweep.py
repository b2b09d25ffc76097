"""One drawing at every pen width: the stroke-size robustness study on the user's own digit.

The app keeps a drawing as centre lines, so it can be re-rendered with any pen.  `sweep_pen_widths`
renders it at each width through `drawing_to_input` in each asked pipeline (``"raw"``: the pixels as
drawn; ``"strokes"``: what the app feeds the network by default) and runs the model once on the
whole batch: the probability of each digit against pen width, per pipeline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digitpad.drawing.network_input import MODES, drawing_to_input

WIDTHS = tuple(range(2, 49, 2))   # the app's pen range, 2-48 px


@dataclass
class WidthSweep:
    """``inputs[mode]``: (W, 28, 28) float32 network inputs; ``probabilities[mode]``: (W, 10)."""

    widths: np.ndarray
    modes: tuple[str, ...]
    inputs: dict[str, np.ndarray]
    probabilities: dict[str, np.ndarray]

    def nearest(self, width: float) -> int:
        """The index of the swept width closest to ``width``."""
        return int(np.argmin(np.abs(self.widths - width)))


def sweep_pen_widths(model, strokes: Sequence[np.ndarray], canvas_size: int,
                     widths: Sequence[float] = WIDTHS, modes: Sequence[str] = ("raw", "strokes")) -> WidthSweep | None:
    """Re-render ``strokes`` (centre lines on a ``canvas_size`` square) at every width in ``widths``
    through each pipeline in ``modes`` and classify all of them in one batch; None for no strokes."""
    modes = tuple(dict.fromkeys(modes))
    unknown = [m for m in modes if m not in MODES]
    if unknown:
        raise ValueError(f"unknown pipeline {unknown[0]!r}; choose from {', '.join(MODES)}")
    widths = np.asarray(widths, dtype=np.float64)
    inputs = {}
    for mode in modes:
        digits = [drawing_to_input(strokes, float(width), canvas_size, mode) for width in widths]
        if any(digit is None for digit in digits):
            return None
        inputs[mode] = np.stack(digits).astype(np.float32)
    batch = np.concatenate([inputs[mode] for mode in modes])
    probabilities = model.predict_proba(batch.reshape(len(batch), *model.input_shape))
    per_mode = dict(zip(modes, np.split(probabilities, len(modes))))
    return WidthSweep(widths, modes, inputs, per_mode)
