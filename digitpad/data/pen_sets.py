"""Real pen trajectories by writer group, from every source of them: what the stroke model trains on,
is chosen with and is measured on.

`writer_samples` gives the pen digits (`digitpad.data.pendigits`) and UJI's digits (`digitpad.data.uji`)
of one writer group (``train``, ``validation`` or ``measure``, each source's own fixed groups) as
(strokes, label), strokes in tablet pixels, y down (both tablets' boxes are about `CANVAS_SIZE` high).
`convention_sets` draws a group's digits in each handwriting convention (`digitpad.data.conventions`).
"""

from __future__ import annotations

import numpy as np

from digitpad.data import conventions, pendigits, uji
from digitpad.drawing.trajectory import TRAJECTORY_SHAPE, drawing_to_trajectory

Sample = tuple[list[np.ndarray], int]
SOURCES = ("pendigits", "uji")
CANVAS_SIZE = pendigits.TABLET_HEIGHT    # the canvas the tablets' strokes are on, for `drawing_to_trajectory`


def writer_samples(group: str, data_dir=None) -> dict[str, list[Sample]]:
    """The digits of ``group``'s writers, by source (`SOURCES`), as (strokes, label)."""
    pen = pendigits.of_writers(pendigits.load_pendigits(data_dir), pendigits.writer_groups()[group])
    writers = set(uji.writer_groups()[group])
    return {"pendigits": [(list(d.strokes), d.label) for d in pen],
            "uji": [(list(c.strokes), c.digit) for c in uji.digits_of(uji.load_uji(data_dir)) if c.writer in writers]}


def trajectories(samples: list[Sample], canvas_size: float) -> tuple[np.ndarray, np.ndarray]:
    """float32 (N, channels, length) trajectories (`drawing_to_trajectory`) and int64 labels of (strokes,
    label) samples drawn on a canvas of ``canvas_size``."""
    x = np.zeros((len(samples), *TRAJECTORY_SHAPE), np.float32)
    for i, (strokes, _) in enumerate(samples):
        x[i] = drawing_to_trajectory(strokes, canvas_size)
    return x, np.array([label for _, label in samples], np.int64)


def writer_trajectories(group: str, data_dir=None) -> tuple[np.ndarray, np.ndarray]:
    """The trajectories and labels of ``group``'s writers' digits, every source, as they wrote them."""
    samples = writer_samples(group, data_dir)
    return trajectories([pair for source in SOURCES for pair in samples[source]], CANVAS_SIZE)


def convention_sets(samples: list[Sample], seed: int) -> dict[str, list[Sample]]:
    """For each convention of `conventions.CONVENTIONS`, the digits of its kind in ``samples`` drawn that
    way (seeded: the same sets every time)."""
    rng = np.random.default_rng(seed)
    return {name: [(draw(strokes, rng), digit) for strokes, label in samples if label == digit]
            for name, (digit, draw) in conventions.CONVENTIONS.items()}
