"""UNIPEN 1.0 text, the format of the pen trajectories digitpad reads (UCI's pen digits, UJI Pen Characters).

A file is a header, then one segment per character::

    .SEGMENT DIGIT 0 ? "8"          a segment and its label in quotes (pen digits: DIGIT; UJI: CHARACTER)
    .COMMENT 8 12  224              comments (the pen digits give the writer here)
    .PEN_DOWN                       a stroke: one "x y" line per sample
     267  333
    .PEN_UP
    .DT 100                         other keywords are skipped

`read_segments` reads the segments with their strokes as the file gives them (each source says which
way its y axis points) and checks the structure: a damaged file is one :class:`DatasetError` line naming
the file, the line and the remedy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from digitpad.errors import DatasetError

_POINT = re.compile(r"^\s*(-?\d{1,9})\s+(-?\d{1,9})\s*$")   # tablet pixels: a handful of digits


@dataclass(frozen=True)
class Segment:
    """One character of a UNIPEN file: its ``.SEGMENT`` line's match, its first ``.COMMENT`` (None if it
    has none) and that comment's line, its strokes (float32 (n, 2) x, y as in the file) and first line."""

    match: re.Match
    comment: str | None
    comment_line: int
    strokes: tuple[np.ndarray, ...]
    line: int


def read_segments(text: str, source: str, segment: re.Pattern, remedy: str) -> list[Segment]:
    """The segments of ``text`` whose ``.SEGMENT`` line matches ``segment`` (any other is an error), each
    with at least one stroke; ``remedy`` ends every error message."""
    segments: list[Segment] = []
    found: re.Match | None = None
    comment: str | None = None
    comment_line = 0
    strokes: list[np.ndarray] = []
    points: list[tuple[int, int]] | None = None   # the stroke being read, between .PEN_DOWN and .PEN_UP
    start = stroke_start = 0

    def fail(number: int, what: str) -> DatasetError:
        return DatasetError(f"{source}, line {number}: {what}; the file is damaged, {remedy}")

    def finish() -> None:
        if found is None:
            return
        if points is not None:
            raise fail(stroke_start, "the stroke begun here (.PEN_DOWN) has no .PEN_UP")
        if not strokes:
            raise fail(start, "the character has no strokes")
        segments.append(Segment(found, comment, comment_line, tuple(strokes), start))

    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.strip()
        if not stripped:
            continue
        if points is not None and not stripped.startswith("."):
            match = _POINT.match(stripped)
            if match is None:
                raise fail(number, f"expected a point 'x y', found {stripped[:40]!r}")
            points.append((int(match.group(1)), int(match.group(2))))
            continue
        keyword = stripped.split(maxsplit=1)[0]
        if keyword == ".SEGMENT":
            finish()
            found = segment.match(stripped)
            if found is None:
                raise fail(number, f"malformed .SEGMENT line {stripped[:60]!r}")
            comment, strokes, start = None, [], number
        elif keyword == ".COMMENT" and found is not None and comment is None and points is None:
            comment, comment_line = stripped, number
        elif keyword == ".PEN_DOWN":
            if found is None:
                raise fail(number, ".PEN_DOWN before the first .SEGMENT")
            if points is not None:
                raise fail(number, ".PEN_DOWN inside a stroke (no .PEN_UP before it)")
            points, stroke_start = [], number
        elif keyword == ".PEN_UP":
            if points is None:
                raise fail(number, ".PEN_UP without .PEN_DOWN")
            if not points:
                raise fail(number, "a stroke without points")
            strokes.append(np.array(points, np.float32))
            points = None
        elif not keyword.startswith("."):
            raise fail(number, f"a point outside a stroke ({stripped[:40]!r})")
    finish()
    return segments
