"""The handwriting conventions digitpad must read, synthesised at the trajectory level the way people
draw them, for training where the data lacks them and for measuring each one.

MNIST's American writers rarely cross a 7 or slash a 0; Europe's do, and a picture alone cannot always
tell a crossed 7 from a 4 or a slashed 0 from an 8.  Each convention here adds or changes a stroke of
a real writer's digit as a person would: the 7's bar and the zero's slash as a *last* stroke drawn
across (either direction, mostly left to right for the bar), the continental 1's flag as an up-stroke
to the right at the start of the digit, a 1's base as a last stroke along the bottom, the dotted zero's
dot last in the middle.  Strokes are (n, 2) float arrays, y down; nothing here looks at pixels.

`CONVENTIONS` names them with the digit they apply to; `natural_conventions` sorts a writer's own
digits by the conventions that can be read from their strokes (a 1 with or without a flag, a 2 with or
without a loop, a 4 in one stroke or two, a 9 with a curled or a straight tail).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

Strokes = list[np.ndarray]


def _box(strokes: Strokes) -> tuple[np.ndarray, np.ndarray, float]:
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    return low, high, max(float((high - low).max()), 1e-6)


def _line(start: np.ndarray, end: np.ndarray, count: int = 10) -> np.ndarray:
    return np.linspace(start, end, count)


def crossed_seven(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A 7 with a bar across its stem, drawn last (left to right four times in five)."""
    low, high, size = _box(strokes)
    height = high[1] - low[1]
    y = low[1] + height * rng.uniform(0.45, 0.6)
    points = np.concatenate(strokes)
    stem = points[points[:, 1] > low[1] + 0.2 * height]   # below the 7's top bar
    x = float(stem[np.argmin(np.abs(stem[:, 1] - y)), 0]) if len(stem) else float((low[0] + high[0]) / 2)
    half = size * rng.uniform(0.15, 0.28)
    tilt = half * rng.uniform(-0.15, 0.15)
    ends = np.array([[x - half, y + tilt], [x + half, y - tilt]])
    if rng.random() < 0.2:
        ends = ends[::-1]
    return [*strokes, _line(*ends)]


def slashed_zero(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A 0 with a slash through it, drawn last: mostly '/' from the top right, sometimes from the bottom
    left or as a '\\'."""
    low, high, _ = _box(strokes)
    centre, half = (low + high) / 2, (high - low) / 2
    reach = rng.uniform(0.7, 1.2)
    lean = rng.uniform(0.3, 0.8)
    top, bottom = np.array([centre[0] + lean * half[0], centre[1] - reach * half[1]]), \
        np.array([centre[0] - lean * half[0], centre[1] + reach * half[1]])
    if rng.random() < 0.15:        # '\'
        top[0], bottom[0] = bottom[0], top[0]
    ends = (top, bottom) if rng.random() < 0.7 else (bottom, top)
    return [*strokes, _line(*ends)]


def dotted_zero(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A 0 with a dot in its middle, drawn last."""
    low, high, size = _box(strokes)
    centre = (low + high) / 2 + rng.normal(0.0, 0.04, 2) * (high - low)
    return [*strokes, _line(centre, centre + rng.normal(0.0, 0.015, 2) * size, 3)]


def based_one(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A 1 with a base along the bottom, drawn last."""
    low, high, size = _box(strokes)
    points = np.concatenate(strokes)
    foot = points[np.argmax(points[:, 1])]
    half = size * rng.uniform(0.18, 0.32)
    y = foot[1] + size * rng.uniform(-0.02, 0.03)
    ends = np.array([[foot[0] - half, y], [foot[0] + half, y]])
    return [*strokes, _line(*(ends if rng.random() < 0.85 else ends[::-1]))]


def continental_one(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A 1 that begins with a long up-stroke flag to the right, then comes down the stem, in one stroke
    (a 1 that already has a flag is returned as it is)."""
    if has_flag(strokes):
        return strokes
    stem = max(strokes, key=len)
    if stem[0, 1] > stem[-1, 1]:              # drawn upward: the pen goes down the stem here
        stem = stem[::-1]
    low, high, size = _box([stem])
    top = stem[0]
    start = top + np.array([-rng.uniform(0.2, 0.45), rng.uniform(0.2, 0.45)]) * size
    return [np.concatenate([_line(start, top, 8)[:-1], stem])]


def has_flag(strokes: Strokes) -> bool:
    """Whether a 1 begins with an up-stroke flag: its first stroke starts well below the top and left of
    it, then rises to the top."""
    first = strokes[0]
    low, high, size = _box(strokes)
    height = high[1] - low[1]
    top = int(np.argmin(first[:, 1]))
    return top > 0 and first[0, 1] - first[top, 1] > 0.15 * height and first[top, 0] - first[0, 0] > 0.08 * height


CONVENTIONS: dict[str, tuple[int, Callable[[Strokes, np.random.Generator], Strokes]]] = {
    "continental 1": (1, continental_one),
    "1 with a base": (1, based_one),
    "crossed 7": (7, crossed_seven),
    "slashed 0": (0, slashed_zero),
    "dotted 0": (0, dotted_zero),
}
"""Convention name → (the digit, how to draw a writer's digit that way)."""


def crosses_itself(stroke: np.ndarray) -> bool:
    """Whether the polyline crosses itself (two segments that are not neighbours intersect): a loop."""
    p0, p1 = stroke[:-1, None, :], stroke[1:, None, :]
    q0, q1 = stroke[None, :-1, :], stroke[None, 1:, :]

    def side(a, b, c):   # the sign of the turn a → b → c
        return np.sign((b[..., 0] - a[..., 0]) * (c[..., 1] - a[..., 1]) - (b[..., 1] - a[..., 1]) * (c[..., 0] - a[..., 0]))

    crossing = (side(p0, p1, q0) * side(p0, p1, q1) < 0) & (side(q0, q1, p0) * side(q0, q1, p1) < 0)
    n = len(stroke) - 1
    far = np.abs(np.arange(n)[:, None] - np.arange(n)[None, :]) > 1
    return bool((crossing & far).any())


def curled_tail(strokes: Strokes) -> bool:
    """Whether a 9's tail ends curling back: over the last tenth of its path the pen moves left (or up)
    more than it moves down, by at least a tenth of the digit's width (a straight or slanted tail ends
    going down)."""
    last = strokes[-1]
    tail = last[int(0.9 * (len(last) - 1)):]
    low, high, _ = _box(strokes)
    dx, dy = tail[-1] - tail[0]
    return len(tail) > 1 and (-dx > max(dy, 0) or dy < 0) and np.hypot(dx, dy) > 0.1 * max(high[0] - low[0], 1e-6)


def natural_conventions(strokes: Strokes, label: int) -> list[str]:
    """The conventions a writer's own digit shows, read from its strokes (count, order, shape)."""
    strokes = [np.asarray(s, np.float64) for s in strokes]
    if label == 1:
        return ["continental 1" if has_flag(strokes) else "plain 1"]
    if label == 2:
        return ["2 with a loop" if any(crosses_itself(s) for s in strokes) else "2 without a loop"]
    if label == 4:
        return ["4 in one stroke" if len(strokes) == 1 else "4 in two strokes"]
    if label == 7:
        return ["7 in one stroke" if len(strokes) == 1 else "7 in several strokes"]
    if label == 9:
        return ["9 with a curled tail" if curled_tail(strokes) else "9 with a straight tail"]
    return []
