"""Drawings as pen strokes, and their anti-aliased rendering.

A drawing is a list of strokes on a square canvas of ``canvas_size`` pixels; each stroke is a float array of
shape (k, 2) holding (x, y) points in canvas-pixel coordinates (pixel (row i, column j) covers
[j, j+1) x [i, i+1), so its centre is (j + 0.5, i + 0.5)).  A stroke is drawn as a round pen of
diameter ``pen_width`` swept along the polyline: round caps, round joins, and a single-point stroke is
a round dot.

Rendering computes, for every pixel centre near a segment, the distance ``d`` to that segment and the
coverage ``clip(r + 0.5 - d, 0, 1)`` with ``r = pen_width / 2`` (a one-pixel linear anti-aliasing ramp
centred on the pen's edge); overlapping segments combine with ``max``.  Because ``max`` is
order-independent and every segment is evaluated by the same float32 arithmetic, rendering segment by
segment as the points arrive (`render_segment_into`) gives exactly the pixels of a full re-render
(`render_coverage`).  Ink is white (255) on black (0).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.atomic import atomic_write_text
from digitpad.drawing.mnist_style import MNIST_SIZE, to_mnist
from digitpad.drawing.pictures import load_image
from digitpad.errors import FileFormatError, ImageError
from digitpad.file_reading import parse_json, read_bounded

__all__ = [
    "Drawing",
    "coverage_to_uint8",
    "render_coverage",
    "render_segment_into",
    "render_strokes",
]

DRAWING_FORMAT = "digitpad-drawing"
DRAWING_VERSION = 1
DRAWING_DEPTH = 4
"""The JSON nesting of a drawing: the document, its strokes, a stroke, a point."""
MAX_DRAWING_BYTES = 4 << 20
"""A drawn digit is a few kB of JSON; this holds some 100,000 points, far more than anyone draws."""
MAX_DRAWING_SIZE = 2048
"""The largest canvas a drawing file may declare (the app's is 336 pixels): rendering allocates 4·size² bytes."""

# Segments are rendered in batches padded to a common box; batches hold segments of similar box size
# (sorted by size) so that one long segment does not inflate the work for all the short ones.
_BATCH_PIXELS = 1 << 18

Box = tuple[int, int, int, int]
Segment = tuple[np.ndarray, np.ndarray]


def _check_pen_width(pen_width: float) -> float:
    width = float(pen_width)
    if not math.isfinite(width) or width <= 0:
        raise ValueError(f"pen width must be a positive finite number of pixels, got {pen_width!r}")
    return width


def _check_size(size: int) -> int:
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"canvas size must be a positive integer number of pixels, got {size!r}")
    return int(size)


def _as_points(points: object, what: str = "stroke") -> np.ndarray:
    """Validate a stroke: a finite float array of shape (k, 2), k >= 1 (float64 copy)."""
    try:
        array = np.array(points, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} must be a (k, 2) array of numbers: {exc}") from None
    if array.ndim != 2 or array.shape[1] != 2 or array.shape[0] == 0:
        raise ValueError(f"{what} must have shape (k, 2) with k >= 1, got {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{what} contains NaN or infinite coordinates")
    return array


def _segment_boxes(p0: np.ndarray, p1: np.ndarray, radius: float) -> tuple[np.ndarray, np.ndarray]:
    """Top-left pixel (row, col) and (height, width) of the boxes holding each segment's ink.

    Coverage is non-zero only where the pixel centre is closer than ``radius + 0.5`` to the segment,
    so a box widened by ``radius + 1`` on every side holds all of it.
    """
    lo = np.floor(np.minimum(p0, p1) - (radius + 1.0)).astype(np.int64)
    hi = np.ceil(np.maximum(p0, p1) + (radius + 1.0)).astype(np.int64)
    return lo[:, ::-1], (hi - lo + 1)[:, ::-1]


def _coverage(
    p0: np.ndarray, p1: np.ndarray, origin: np.ndarray, shape: tuple[int, int], radius: float
) -> np.ndarray:
    """Pen coverage of ``n`` segments, each over its own box of a common ``shape``.

    ``p0``, ``p1``: float32 (n, 2) end points (x, y); ``origin``: int (n, 2) top-left (row, col) of each
    box.  Returns float32 (n, height, width).  Every element is computed by the same float32 operations
    whatever ``n`` is, which makes incremental and full rendering bit-identical.
    """
    height, width = shape
    d = p1 - p0
    dx = d[:, 0, None, None]
    dy = d[:, 1, None, None]
    length2 = dx * dx + dy * dy
    inv_length2 = np.divide(
        np.float32(1.0), length2, out=np.zeros_like(length2), where=length2 > 0
    )
    # Pixel centres relative to p0.
    xs = (origin[:, 1, None, None] + np.arange(width)).astype(np.float32) + np.float32(0.5)
    ys = (origin[:, 0, None, None] + np.arange(height)[:, None]).astype(np.float32) + np.float32(0.5)
    xs -= p0[:, 0, None, None]
    ys -= p0[:, 1, None, None]
    # Position t of the nearest point along the segment, then the distance to it; in place, as this
    # is the renderer's inner loop.
    t = xs * dx + ys * dy
    t *= inv_length2
    np.clip(t, 0, 1, out=t)
    ex = t * dx
    np.subtract(xs, ex, out=ex)
    t *= dy
    np.subtract(ys, t, out=t)
    ex *= ex
    t *= t
    ex += t
    distance = np.sqrt(ex, out=ex)
    coverage = np.subtract(np.float32(radius + 0.5), distance, out=distance)
    return np.clip(coverage, 0, 1, out=coverage)


def _stamp(canvas: np.ndarray, coverage: np.ndarray, row: int, col: int) -> Box | None:
    """``canvas = max(canvas, coverage)`` for a box at (row, col), clipped to the canvas."""
    height, width = coverage.shape
    r0, c0 = max(row, 0), max(col, 0)
    r1, c1 = min(row + height, canvas.shape[0]), min(col + width, canvas.shape[1])
    if r0 >= r1 or c0 >= c1:
        return None
    view = canvas[r0:r1, c0:c1]
    np.maximum(view, coverage[r0 - row : r1 - row, c0 - col : c1 - col], out=view)
    return r0, r1, c0, c1


def _render_segments(canvas: np.ndarray, p0: np.ndarray, p1: np.ndarray, radius: float) -> None:
    """Render many segments into ``canvas`` in a few vectorised batches."""
    origin, extent = _segment_boxes(p0, p1, radius)
    order = np.argsort(extent[:, 0] * extent[:, 1], kind="stable")
    start = 0
    while start < len(order):
        # Grow the batch while the padded box stays within the pixel budget.
        stop = start + 1
        box = extent[order[start]]
        while stop < len(order):
            grown = np.maximum(box, extent[order[stop]])
            if (stop + 1 - start) * int(grown[0]) * int(grown[1]) > _BATCH_PIXELS:
                break
            box = grown
            stop += 1
        batch = order[start:stop]
        shape = (int(box[0]), int(box[1]))
        covered = _coverage(p0[batch], p1[batch], origin[batch], shape, radius)
        for cov, (row, col) in zip(covered, origin[batch].tolist()):
            _stamp(canvas, cov, row, col)
        start = stop


def _stroke_segments(strokes: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """All segments of all strokes as float32 end-point arrays (p0, p1).

    Each stroke contributes a dot at its first point (the segment (p, p)) and one segment per pair of
    consecutive distinct points -- exactly what an app adding points one by one renders
    (`Drawing.add_point` draws nothing for a repeated point).
    """
    starts, ends = [], []
    for stroke in strokes:
        moves = np.flatnonzero(np.any(stroke[1:] != stroke[:-1], axis=1))
        points = stroke.astype(np.float32)
        starts += [points[:1], points[moves]]
        ends += [points[:1], points[moves + 1]]
    if not starts:
        empty = np.zeros((0, 2), np.float32)
        return empty, empty
    return np.concatenate(starts), np.concatenate(ends)


def render_coverage(strokes: list[np.ndarray], pen_width: float, size: int) -> np.ndarray:
    """Render strokes into a new float32 (size, size) coverage canvas with values in [0, 1]."""
    radius = _check_pen_width(pen_width) / 2
    size = _check_size(size)
    points = [_as_points(stroke, f"stroke {i}") for i, stroke in enumerate(strokes)]
    canvas = np.zeros((size, size), np.float32)
    p0, p1 = _stroke_segments(points)
    if len(p0):
        _render_segments(canvas, p0, p1, radius)
    return canvas


def coverage_to_uint8(coverage: np.ndarray) -> np.ndarray:
    """Quantise a [0, 1] coverage canvas to uint8 (0 = background, 255 = full ink), rounding."""
    return np.rint(coverage * np.float32(255.0)).astype(np.uint8)


def render_strokes(strokes: list[np.ndarray], pen_width: float, size: int) -> np.ndarray:
    """Render strokes as white anti-aliased ink on black: uint8 (size, size)."""
    return coverage_to_uint8(render_coverage(strokes, pen_width, size))


def render_segment_into(
    canvas: np.ndarray, p0: object, p1: object, pen_width: float
) -> Box | None:
    """Add one pen segment from ``p0`` to ``p1`` (x, y) to a float32 coverage ``canvas`` in place.

    Use ``p0 == p1`` for the dot that starts a stroke.  Returns the changed region as
    ``(row0, row1, col0, col1)`` (half-open), or None if the segment lies outside the canvas.
    Rendering a drawing's segments this way, in any order, gives exactly `render_coverage`'s pixels.
    """
    if not isinstance(canvas, np.ndarray) or canvas.dtype != np.float32 or canvas.ndim != 2:
        raise ValueError("canvas must be a 2-D float32 array (see render_coverage)")
    radius = _check_pen_width(pen_width) / 2
    a = _as_points([p0], "p0").astype(np.float32)
    b = _as_points([p1], "p1").astype(np.float32)
    origin, extent = _segment_boxes(a, b, radius)
    shape = (int(extent[0, 0]), int(extent[0, 1]))
    cov = _coverage(a, b, origin, shape, radius)[0]
    return _stamp(canvas, cov, int(origin[0, 0]), int(origin[0, 1]))


def render_segments_into(canvas: np.ndarray, segments: list[Segment], pen_width: float) -> Box | None:
    """Add many pen segments ((x, y) end points, as `render_segment_into`) to a float32 coverage ``canvas``
    in place, in a few vectorised batches: the pixels of adding them one by one, faster.  Returns the
    changed region's bounding box (half-open), or None if nothing lies on the canvas."""
    if not segments:
        return None
    if not isinstance(canvas, np.ndarray) or canvas.dtype != np.float32 or canvas.ndim != 2:
        raise ValueError("canvas must be a 2-D float32 array (see render_coverage)")
    radius = _check_pen_width(pen_width) / 2
    p0 = _as_points([a for a, _ in segments], "p0").astype(np.float32)
    p1 = _as_points([b for _, b in segments], "p1").astype(np.float32)
    _render_segments(canvas, p0, p1, radius)
    origin, extent = _segment_boxes(p0, p1, radius)
    r0, c0 = (int(v) for v in np.maximum(origin.min(axis=0), 0))
    r1, c1 = (int(v) for v in np.minimum((origin + extent).max(axis=0), canvas.shape))
    return (r0, r1, c0, c1) if r0 < r1 and c0 < c1 else None


@dataclass
class Drawing:
    """A digit being drawn: strokes of (x, y) points, the pen width and the square canvas size, in pixels::

        Drawing(strokes, canvas_size=128, pen_width=8)   # strokes: (k, 2) arrays of (x, y), y down

    ``label`` is the digit it shows, when known (for a personal data set).  The editing helpers return
    the segment to render incrementally with `render_segment_into`.

    A picture opened from a file is a drawing without strokes (`from_image`): ``image`` holds its 28x28
    network input, made once by `to_mnist` (None when the picture holds no ink), and the reader reads
    that instead of strokes.
    """

    strokes: list[np.ndarray]
    pen_width: float
    canvas_size: int
    label: int | None = None
    image: np.ndarray | None = None

    def __post_init__(self) -> None:
        self.pen_width = _check_pen_width(self.pen_width)
        self.canvas_size = _check_size(self.canvas_size)
        self.strokes = [_as_points(s, f"stroke {i}") for i, s in enumerate(self.strokes)]
        if self.label is not None and (
            not isinstance(self.label, (int, np.integer)) or isinstance(self.label, bool) or not 0 <= self.label <= 9
        ):
            raise ValueError(f"label must be a digit 0-9 or None, got {self.label!r}")
        if self.image is not None:
            if self.strokes:
                raise ValueError("a picture has no strokes: give strokes or an image, not both")
            self.image = np.array(self.image, np.float32)
            self.image.flags.writeable = False

    @classmethod
    def from_image(cls, path: str | Path) -> "Drawing":
        """The picture in the image file ``path`` (any size, dark ink on paper or light on dark) as a
        drawing without strokes; ImageError naming the file if it cannot be read."""
        return cls.from_picture(load_image(path))

    @classmethod
    def from_picture(cls, picture: np.ndarray) -> "Drawing":
        """A picture already read (a 2-D grey or RGB(A) array, as `load_image` gives) as a drawing without
        strokes, holding its 28x28 network input (`to_mnist`); it is empty when the picture holds no ink."""
        return cls([], 1.0, MNIST_SIZE, image=to_mnist(picture))   # pen and canvas: those of the 28x28 input

    def new_stroke(self, x: float, y: float) -> Segment:
        """Start a stroke at (x, y); returns the dot segment (p, p)."""
        point = _as_points([[x, y]], "point")
        self.strokes.append(point)
        return point[0], point[0]

    def add_point(self, x: float, y: float) -> Segment | None:
        """Extend the current stroke (starting one if there is none) to (x, y).

        Returns the new segment, or None if the point repeats the last one (nothing to draw).
        """
        if not self.strokes:
            return self.new_stroke(x, y)
        point = _as_points([[x, y]], "point")
        last = self.strokes[-1]
        if np.array_equal(last[-1], point[0]):
            return None
        self.strokes[-1] = np.concatenate([last, point])
        return last[-1], point[0]

    def undo(self) -> bool:
        """Remove the last stroke; False if there was none."""
        if not self.strokes:
            return False
        self.strokes.pop()
        return True

    def clear(self) -> None:
        """Remove every stroke."""
        self.strokes.clear()

    def is_empty(self) -> bool:
        """No strokes and no picture: nothing for a network to read."""
        return not self.strokes and self.image is None

    def render(self) -> np.ndarray:
        """The strokes as uint8 (canvas_size, canvas_size), white ink on black."""
        return render_strokes(self.strokes, self.pen_width, self.canvas_size)

    def to_json(self) -> str:
        """Serialise to a JSON document (exact: coordinates are written as float64); a picture is not a
        drawing file (ValueError)."""
        if self.image is not None:
            raise ValueError("a picture (Drawing.from_image) has no strokes to save as a drawing")
        return json.dumps(
            {
                "format": DRAWING_FORMAT,
                "version": DRAWING_VERSION,
                "size": self.canvas_size,
                "pen_width": self.pen_width,
                "label": self.label,
                "strokes": [stroke.tolist() for stroke in self.strokes],
            }
        )

    @classmethod
    def from_json(cls, text: str | bytes, source: str = "drawing JSON") -> "Drawing":
        """Parse `to_json`'s output; ImageError (naming ``source``) if it is not a valid drawing."""
        try:
            doc = parse_json(text, source, "drawing", DRAWING_DEPTH)
        except FileFormatError as exc:
            raise ImageError(str(exc)) from None
        return cls.from_doc(doc, source)

    @classmethod
    def from_doc(cls, doc: object, source: str = "drawing JSON") -> "Drawing":
        """The drawing of the parsed JSON document ``doc`` (as `to_json` writes it); ImageError
        (naming ``source``) if it is not a valid drawing or declares a canvas over `MAX_DRAWING_SIZE`."""
        if not isinstance(doc, dict) or doc.get("format") != DRAWING_FORMAT:
            raise ImageError(f"{source}: not a digitpad drawing (missing format '{DRAWING_FORMAT}')")
        if doc.get("version") != DRAWING_VERSION:
            raise ImageError(
                f"{source}: unsupported drawing version {doc.get('version')!r}, expected {DRAWING_VERSION}"
            )
        strokes = doc.get("strokes")
        if not isinstance(strokes, list):
            raise ImageError(f"{source}: 'strokes' must be a list of point lists")
        size = doc.get("size")
        if isinstance(size, int) and size > MAX_DRAWING_SIZE:
            raise ImageError(f"{source}: a canvas of {size} pixels, more than a drawing has ({MAX_DRAWING_SIZE})")
        try:
            return cls(strokes, doc.get("pen_width"), size, doc.get("label"))
        except (ValueError, TypeError, OverflowError) as exc:  # OverflowError: a number of 400 digits
            raise ImageError(f"{source}: {exc}") from None

    def save(self, path: str | Path) -> None:
        """Write the drawing as JSON to ``path`` (atomically: never a half-written file)."""
        atomic_write_text(path, self.to_json())

    @classmethod
    def load(cls, path: str | Path) -> "Drawing":
        """Read a drawing saved by `save`; ImageError naming the file if it cannot be used."""
        try:
            data = read_bounded(path, MAX_DRAWING_BYTES, "drawing")
        except FileFormatError as exc:
            raise ImageError(str(exc)) from None
        if not data:
            raise ImageError(f"{path}: the file is empty (0 bytes), not a saved drawing")
        return cls.from_json(data, source=str(path))
