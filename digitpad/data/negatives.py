"""Drawings that are not digits, by group, for the stroke model's "not a digit" class: real ones and
synthesised ones, never shared between training, validation and measurement.

Real: the letters of UJI's writers (`digitpad.data.uji`, the writer groups of the digits) but the digit
look-alikes (`UJI_LOOK_ALIKES`), and Omniglot's mouse-drawn characters (`digitpad.data.omniglot`, its
alphabet groups: a measured alphabet was never seen).  Synthesised (`SHAPES`): scribbles (up to the whole
canvas), zigzags, waves, spirals, stars, triangles, crosses, hatching, dashes, smileys and hearts, each
drawn with a seed of its group, and made of the group's own digits: crossed-out digits and two digits on
top of each other or side by side.  No circle, ellipse, vertical line or lone slash: those are digits.

`non_digit_samples` gives a group's drawings by source, each its strokes ((n, 2) float arrays, y down)
on a canvas of `CANVAS_SIZE` (the pen tablets'; Omniglot's 105-px drawings are scaled to it).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from digitpad.data import omniglot, uji
from digitpad.data.pen_sets import CANVAS_SIZE, writer_samples

Strokes = list[np.ndarray]
UJI_LOOK_ALIKES = "OoQDIilSsZzbgqBG"
"""UJI's letters that look like a digit (0, 1, 2, 5, 6, 8, 9), left out of the negatives."""
NON_DIGIT_SOURCES = ("UJI letters", "Omniglot", "shapes", "digits crossed out or together")
SHAPES_PER_GROUP = {"train": 6000, "validation": 600, "measure": 1200}
_GROUP_SEEDS = {"train": 11, "validation": 12, "measure": 13}


def _smooth_walk(rng: np.random.Generator, steps: int, turn: float) -> np.ndarray:
    """A random walk whose heading turns by up to ``turn`` radians a step: a pen wandering."""
    heading = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0, turn, steps))
    step = np.stack([np.cos(heading), np.sin(heading)], axis=1)
    return np.concatenate([[[0.0, 0.0]], np.cumsum(step, axis=0)])


def scribble(rng: np.random.Generator) -> Strokes:
    """One to three wandering strokes, many turns each."""
    return [_smooth_walk(rng, int(rng.integers(60, 200)), rng.uniform(0.3, 0.9)) for _ in range(rng.integers(1, 4))]


def zigzag(rng: np.random.Generator) -> Strokes:
    teeth = int(rng.integers(4, 10))
    x = np.arange(teeth + 1, dtype=float)
    y = np.where(np.arange(teeth + 1) % 2 == 0, 0.0, rng.uniform(0.6, 2.0))
    return [np.stack([x, y + rng.normal(0, 0.05, teeth + 1)], axis=1)]


def wave(rng: np.random.Generator) -> Strokes:
    t = np.linspace(0, 2 * np.pi * rng.uniform(2.0, 4.5), 80)
    return [np.stack([t, rng.uniform(0.5, 1.5) * np.sin(t)], axis=1)]


def spiral(rng: np.random.Generator) -> Strokes:
    t = np.linspace(0, 2 * np.pi * rng.uniform(1.6, 4.0), 120)
    r = 0.2 + t
    return [np.stack([r * np.cos(t), r * np.sin(t) * rng.choice([-1, 1])], axis=1)]


def star(rng: np.random.Generator) -> Strokes:
    angles = -np.pi / 2 + np.arange(6) * 4 * np.pi / 5
    return [np.stack([np.cos(angles), np.sin(angles)], axis=1)]


def triangle(rng: np.random.Generator) -> Strokes:
    angles = rng.uniform(0, 2 * np.pi) + np.array([0, 2, 4, 6]) * np.pi / 3 + rng.normal(0, 0.15, 4)
    corners = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    corners[-1] = corners[0]
    return [np.concatenate([np.linspace(a, b, 8) for a, b in zip(corners[:-1], corners[1:])])]


def cross(rng: np.random.Generator) -> Strokes:
    """An x, a + or a hash: two to four crossing bars."""
    bars = int(rng.integers(2, 5))
    if bars == 2 and rng.random() < 0.5:      # an x
        return [np.array([[0, 0], [1, 1]], float), np.array([[1, 0], [0, 1]], float)]
    if bars == 2:                              # a +
        return [np.array([[0, 0.5], [1, 0.5]], float), np.array([[0.5, 0], [0.5, 1]], float)]
    at = np.linspace(0.25, 0.75, 2)
    bars_across = [np.array([[0, y], [1, y]], float) for y in at] + [np.array([[x, 0], [x, 1]], float) for x in at]
    return bars_across[:bars]


def hatching(rng: np.random.Generator) -> Strokes:
    count, slope = int(rng.integers(3, 8)), rng.uniform(-1, 1)
    return [np.array([[i * 0.3, 0.0], [i * 0.3 + slope, 1.0]]) for i in range(count)]


def dash(rng: np.random.Generator) -> Strokes:
    """A horizontal line, or two (an equals sign)."""
    angle = rng.uniform(-0.25, 0.25)
    line = np.array([[0.0, 0.0], [np.cos(angle), np.sin(angle)]])
    return [line] if rng.random() < 0.6 else [line, line + [0.0, rng.uniform(0.2, 0.4)]]


def smiley(rng: np.random.Generator) -> Strokes:
    t = np.linspace(0, 2 * np.pi, 40)
    face = np.stack([np.cos(t), np.sin(t)], axis=1)
    mouth = np.stack([0.5 * np.cos(np.linspace(0.2, np.pi - 0.2, 15)), 0.3 + 0.3 * np.sin(np.linspace(0.2, np.pi - 0.2, 15))], axis=1)
    eye = np.array([[0.0, 0.0], [0.02, 0.03]])
    return [face, eye + [-0.35, -0.3], eye + [0.35, -0.3], mouth]


def heart(rng: np.random.Generator) -> Strokes:
    t = np.linspace(0, 2 * np.pi, 60)
    return [np.stack([16 * np.sin(t) ** 3, -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))], axis=1)]


SHAPES: dict[str, Callable[[np.random.Generator], Strokes]] = {
    "scribble": scribble, "zigzag": zigzag, "wave": wave, "spiral": spiral, "star": star, "triangle": triangle,
    "cross": cross, "hatching": hatching, "dash": dash, "smiley": smiley, "heart": heart,
}


def _placed(strokes: Strokes, rng: np.random.Generator, size: float) -> Strokes:
    """``strokes`` turned a little, stretched, jittered and scaled to ``size`` (their long side) on the canvas."""
    points = np.concatenate(strokes)
    angle = rng.normal(0, 0.15)
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    stretch = np.array([rng.uniform(0.7, 1.3), rng.uniform(0.7, 1.3)])
    low, extent = points.min(axis=0), max(float(np.ptp(points, axis=0).max()), 1e-6)
    out = [((np.asarray(s, float) - low) / extent) @ rotation.T * stretch for s in strokes]
    placed = np.concatenate(out)
    scale = size / max(float(np.ptp(placed, axis=0).max()), 1e-6)
    corner = rng.uniform(0, 1, 2) * (CANVAS_SIZE - size)
    return [(p - placed.min(axis=0)) * scale + corner + rng.normal(0, 0.004 * size, p.shape) for p in out]


def shape_drawing(name: str, rng: np.random.Generator) -> Strokes:
    """One synthesised drawing of ``SHAPES[name]``, on the `CANVAS_SIZE` canvas, 15-95 % of its side
    (a scribble up to all of it)."""
    top = 1.0 if name == "scribble" else 0.95
    return _placed(SHAPES[name](rng), rng, CANVAS_SIZE * rng.uniform(0.15, top))


def crossed_out(strokes: Strokes, rng: np.random.Generator) -> Strokes:
    """A digit struck through: a scribble over it, or an X across it."""
    points = np.concatenate(strokes)
    low, high = points.min(axis=0), points.max(axis=0)
    if rng.random() < 0.5:
        return list(strokes) + [np.array([low, high]), np.array([[low[0], high[1]], [high[0], low[1]]])]
    walk = _smooth_walk(rng, 120, 0.8)
    walk = (walk - walk.min(axis=0)) / np.maximum(np.ptp(walk, axis=0), 1e-6)
    return list(strokes) + [low + walk * (high - low)]


def together(first: Strokes, second: Strokes, rng: np.random.Generator) -> Strokes:
    """Two digits on top of each other (shifted a little), or side by side."""
    a, b = np.concatenate(first), np.concatenate(second)
    width = float(np.ptp(a[:, 0]))
    if rng.random() < 0.5:
        shift = a.min(axis=0) - b.min(axis=0) + rng.uniform(-0.15, 0.15, 2) * max(width, 1.0)
    else:
        shift = np.array([a[:, 0].max() - b[:, 0].min() + 0.15 * max(width, 1.0), a[:, 1].min() - b[:, 1].min()])
    return list(first) + [s + shift for s in second]


def non_digit_samples(group: str, data_dir=None) -> dict[str, list[Strokes]]:
    """The drawings that are not digits of ``group`` (``train``, ``validation``, ``measure``), by source
    (`NON_DIGIT_SOURCES`), on the `CANVAS_SIZE` canvas."""
    rng = np.random.default_rng(_GROUP_SEEDS[group])
    writers = set(uji.writer_groups()[group])
    letters = [list(c.strokes) for c in uji.load_uji(data_dir)
               if c.writer in writers and c.digit is None and c.label not in UJI_LOOK_ALIKES]
    alphabets = set(omniglot.alphabet_groups()[group])
    scale = CANVAS_SIZE / omniglot.CANVAS_SIZE
    characters = [[s * scale for s in d.strokes] for d in omniglot.load_omniglot(data_dir)
                  if d.alphabet in alphabets]
    names = list(SHAPES)
    count = SHAPES_PER_GROUP[group]
    shapes = [shape_drawing(names[i % len(names)], rng) for i in range(count)]
    digits = [strokes for source in writer_samples(group, data_dir).values() for strokes, _ in source]
    picks = rng.integers(0, len(digits), (count // 2, 2))
    made = [crossed_out(digits[i], rng) if k % 2 == 0 else together(digits[i], digits[j], rng)
            for k, (i, j) in enumerate(picks)]
    return dict(zip(NON_DIGIT_SOURCES, (letters, characters, shapes, made)))
