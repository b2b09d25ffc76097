"""Tracing MNIST digits into pen strokes: the centre lines a pen would have followed to draw them.

Each digit is enlarged 2x (bilinear), binarised -- keeping open the loops whose inside is visibly
darker than their rim even where it is above the binarisation level (`_grey_holes`), and opening the
loops that a fat pen filled with ink altogether (`_filled_loops`) -- and thinned to its skeleton
(Zhang-Suen, see `digitpad.drawing.stroke_width.skeletonize`); the skeleton's 8-connected pixel
graph is traced into polylines, which are lightly smoothed.  Thinning loses what is shorter than the
ink is thick -- the tip of a fat stroke, the short top bar of a fat "5" -- so free ends are lengthened
to where the ink ends and ink no centre line reaches gets a stroke of its own (`trace_digit`).
`digitpad.data.drawn` places the traced strokes on a canvas to make the drawn test and training sets.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

from digitpad.drawing.stroke_width import BINARY_LEVEL, skeletonize
from digitpad.drawing.strokes import render_strokes

__all__ = ["Strokes", "digit_strokes", "ink_and_skeletons", "trace_digit", "trace_skeleton"]

UPSAMPLE = 2
SMOOTHING_PASSES = 2
MIN_STROKE_EXTENT = 2.0  # MNIST pixels: shorter skeleton fragments are specks of noise, not strokes
TIP_DIRECTION_POINTS = 4  # a stroke's direction at its tip: from this many skeleton pixels back
MISSED_INK_HALF_WIDTHS = 1.5  # ink farther than this many stroke half-widths from every centre line...
MISSED_INK_SLACK = 1.0  # ...plus this many MNIST pixels counts as missed by the tracing
MIN_INK_ALONG_STROKE = 0.9  # an added stroke must run over ink for this fraction of its length
# A loop drawn small or with a fat pen is filled by binarisation, but its inside stays darker than its
# rim.  Looked for at these grey levels (0.45 ... 0.95), a hole counts when its darkest pixel is
# HOLE_DEPTH below the level that encloses it and it covers HOLE_MIN_AREA pixels (at UPSAMPLE x).
HOLE_LEVELS = np.linspace(0.45, 0.95, 11)
HOLE_DEPTH = 0.2
HOLE_MIN_AREA = 2
# A loop drawn with a fat pen can be filled with ink: the head of a "9", the loop of a "6", the curl of a
# "2" become a round blob that thins to a line or a hook.  The digit's pen half-width is the
# STROKE_PERCENTILE-th percentile of the ink's depth (distance to the background) along its skeleton; the
# junctions, corners and retraced bits of such a pen are at most FILLED_LOOP_WIDTHS half-widths deep, so
# ink deeper than that plus FILLED_LOOP_SLACK MNIST pixels is a filled loop -- unless it is long and thin
# (core longer than FILLED_LOOP_ELONGATION times its depth: a stretch drawn with a fatter pen) or next to
# one of the ink's holes (the thick rim of a loop that is open already).
STROKE_PERCENTILE = 25
FILLED_LOOP_WIDTHS = 2.0
FILLED_LOOP_SLACK = 0.5
FILLED_LOOP_ELONGATION = 2.5
HOLE_CLEARANCE = 1.5  # pixels at UPSAMPLE x: a blob this close to a hole touches it
BLOCK = 2048  # digits binarised and thinned at a time

# Forward 8-neighbour offsets (row, col): each undirected pixel pair is found once.
_FORWARD = ((0, 1), (1, 0), (1, 1), (1, -1))

Strokes = list[np.ndarray]


def _edges(skeleton: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Skeleton pixels (rows, cols) and the 8-adjacent pairs among them (an (m, 2) index array).

    A diagonal pair is dropped when the two pixels are also joined through a common 4-neighbour, so
    corners do not form little triangles in the graph.
    """
    rows, cols = np.nonzero(skeleton)
    index = np.full((skeleton.shape[0] + 2, skeleton.shape[1] + 2), -1, np.int64)
    index[rows + 1, cols + 1] = np.arange(rows.size)
    pairs = []
    for dr, dc in _FORWARD:
        other = index[rows + 1 + dr, cols + 1 + dc]
        keep = other >= 0
        if dr and dc:
            keep &= (index[rows + 1, cols + 1 + dc] < 0) & (index[rows + 1 + dr, cols + 1] < 0)
        pairs.append(np.stack([np.flatnonzero(keep), other[keep]], axis=1))
    return rows, cols, np.concatenate(pairs)


def _walk(start: int, step: int, neighbours: list[list[int]], used: set[tuple[int, int]]) -> list[int]:
    """Follow unused edges from ``start`` through ``step`` until a node that is not a simple link."""
    path = [start]
    previous, current = start, step
    used.add((min(previous, current), max(previous, current)))
    path.append(current)
    while len(neighbours[current]) == 2:
        following = [n for n in neighbours[current] if (min(current, n), max(current, n)) not in used]
        if not following:
            break
        previous, current = current, following[0]
        used.add((min(previous, current), max(previous, current)))
        path.append(current)
    return path


def trace_skeleton(skeleton: np.ndarray) -> Strokes:
    """Trace a one-pixel-wide skeleton into polylines of pixel centres (x, y), float64 (k, 2).

    Polylines run between end points and junctions (graph nodes with other than two neighbours);
    closed loops become polylines that end where they start; isolated pixels become single points.
    The walk visits each skeleton pixel a bounded number of times (the skeleton is a few dozen
    pixels), everything per-pixel before it is vectorised.
    """
    rows, cols, pairs = _edges(np.asarray(skeleton, bool))
    neighbours: list[list[int]] = [[] for _ in range(rows.size)]
    for a, b in pairs.tolist():
        neighbours[a].append(b)
        neighbours[b].append(a)
    used: set[tuple[int, int]] = set()
    paths = [[node] for node in range(rows.size) if not neighbours[node]]
    # Open paths from end points and junctions first, then whatever is left: closed loops.
    for simple_links in (False, True):
        for node in range(rows.size):
            if (len(neighbours[node]) == 2) != simple_links:
                continue
            for step in neighbours[node]:
                if (min(node, step), max(node, step)) not in used:
                    paths.append(_walk(node, step, neighbours, used))
    points = np.stack([cols + 0.5, rows + 0.5], axis=1).astype(np.float64)
    return [points[path] for path in paths]


def _smooth(stroke: np.ndarray) -> np.ndarray:
    """Binomial (1, 2, 1)/4 smoothing of the interior points, end points fixed."""
    stroke = stroke.copy()
    for _ in range(SMOOTHING_PASSES):
        if len(stroke) > 2:
            stroke[1:-1] = 0.25 * stroke[:-2] + 0.5 * stroke[1:-1] + 0.25 * stroke[2:]
    return stroke


# Structuring elements that work on each image of a (n, h, w) stack on its own.
_STACK_4 = np.zeros((3, 3, 3), bool)
_STACK_4[1] = ndimage.generate_binary_structure(2, 1)
_STACK_8 = np.zeros((3, 3, 3), bool)
_STACK_8[1] = True


def _holes(ink: np.ndarray) -> np.ndarray:
    """Background regions of each image of a stack that do not reach its border (4-connected)."""
    labels, count = ndimage.label(~ink, structure=_STACK_4)
    enclosed = np.ones(count + 1, bool)
    enclosed[0] = False
    for edge in (labels[:, 0], labels[:, -1], labels[:, :, 0], labels[:, :, -1]):
        enclosed[edge] = False
    return enclosed[labels]


def _grey_holes(large: np.ndarray) -> np.ndarray:
    """The holes of a stack of grey digits (n, h, w) in [0, 1] that binarising at BINARY_LEVEL fills.

    Threshold decomposition of grey-level hole filling: at each level of HOLE_LEVELS, the background
    regions enclosed by ink at or above that level are holes; one is kept when it is visibly darker
    than its rim (its darkest pixel HOLE_DEPTH below the level), not a speck (HOLE_MIN_AREA), and not
    part of a hole the binary ink already has.  A small "6" whose loop reads 0.5 inside and 1.0 on its
    rim keeps its loop; a fat stroke with a shallow dip in its middle does not get one.
    """
    binary = large >= BINARY_LEVEL
    existing = _holes(binary)
    holes = np.zeros(large.shape, bool)
    for level in HOLE_LEVELS:
        ink = large >= level
        labels, count = ndimage.label(_holes(ink), structure=_STACK_4)
        if count == 0:
            continue
        inside = labels > 0
        label = labels[inside]
        darkest = np.ones(count + 1, np.float32)
        np.minimum.at(darkest, label, large[inside])
        area = np.bincount(label, minlength=count + 1)
        overlap = np.bincount(label, weights=existing[inside], minlength=count + 1)
        keep = (darkest <= level - HOLE_DEPTH) & (area >= HOLE_MIN_AREA) & (overlap == 0)
        keep[0] = False
        holes |= keep[labels]
    return holes


def _depths(ink: np.ndarray) -> np.ndarray:
    """Each pixel's distance to the nearest background pixel of its own image, for a stack (n, h, w)
    (float32: a block of digits stays small).  One 2-D transform per image: a 3-D one over the
    stack, with the images kept apart by a large spacing, is several times slower."""
    depth = np.zeros(ink.shape, np.float32)
    for image, out in zip(ink, depth):
        out[...] = ndimage.distance_transform_edt(image)
    return depth


def _stroke_half_widths(depth: np.ndarray, skeleton: np.ndarray) -> np.ndarray:
    """The pen's half-width in each image of a stack: the STROKE_PERCENTILE-th percentile (linear, as
    `np.percentile`) of the ink's depth along its skeleton -- the thinner strokes, so that a blob or
    a fat stretch does not count as the pen.  0 for an image without a skeleton."""
    image, rows, cols = np.nonzero(skeleton)
    values = depth[image, rows, cols]
    order = np.lexsort((values, image))
    values, counts = values[order], np.bincount(image, minlength=len(depth))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    position = starts + (np.maximum(counts, 1) - 1) * STROKE_PERCENTILE / 100
    below = np.floor(position).astype(int)
    above = np.minimum(below + 1, starts + np.maximum(counts, 1) - 1)
    half = np.zeros(len(depth))
    some = counts > 0
    weight = position - below
    half[some] = (values[below[some]] * (1 - weight[some]) + values[above[some]] * weight[some])
    return half


def _filled_loops(binary: np.ndarray, skeleton: np.ndarray) -> np.ndarray:
    """The inside of each loop that the pen filled with ink, for a stack of binary digits and their
    skeletons (n, h, w): the pixels to clear so that thinning goes round the loop.

    A person draws a loop; a pen as fat as the loop is small fills it, and the skeleton of the blob is
    a line or a hook (a "9" turns into a "1", a "6" into a "/").  With ``h`` the pen's half-width
    (`_stroke_half_widths`), the core of the blob is the ink deeper than ``2h`` -- more than a pen
    width from the edge -- and it is taken for a filled loop when it reaches FILLED_LOOP_SLACK MNIST
    pixels deeper still (junctions and corners of the pen do not), is compact (not a long stretch of
    fatter pen: core length at most FILLED_LOOP_ELONGATION times its depth) and stays clear of the
    ink's holes (else it is the thick rim of a loop the drawing already has).  Clearing the core
    leaves a ring one pen wide whose centre line runs a half-width inside the blob's outline: the
    loop the pen went round.  Thick straight strokes (a fat "1" or "7") have no core, as their depth
    is the pen's.  Only the digits with ink that deep are looked at further.
    """
    holes = np.zeros(binary.shape, bool)
    depth = _depths(binary)
    reach = FILLED_LOOP_WIDTHS * _stroke_half_widths(depth, skeleton)
    slack = FILLED_LOOP_SLACK * UPSAMPLE
    deepest = depth.reshape(len(depth), -1).max(axis=1, initial=0)
    candidates = np.flatnonzero((reach > 0) & (deepest >= reach + slack))
    if candidates.size == 0:
        return holes
    depth, reach = depth[candidates], reach[candidates]
    labels, count = ndimage.label(depth >= reach[:, None, None], structure=_STACK_8)
    image, rows, cols = np.nonzero(labels)
    label = labels[image, rows, cols]
    owner = np.zeros(count + 1, int)
    owner[label] = image
    radius = np.zeros(count + 1)
    np.maximum.at(radius, label, depth[image, rows, cols])
    # Length of each core along its main axis, from the second moments of its pixels (a line of n
    # pixels has variance (n^2 - 1) / 12 along itself).
    area = np.bincount(label, minlength=count + 1).astype(float)
    area[0] = 1
    mean_r = np.bincount(label, rows, count + 1) / area
    mean_c = np.bincount(label, cols, count + 1) / area
    var_r = np.bincount(label, rows * rows, count + 1) / area - mean_r ** 2
    var_c = np.bincount(label, cols * cols, count + 1) / area - mean_c ** 2
    cov = np.bincount(label, rows * cols, count + 1) / area - mean_r * mean_c
    major = (var_r + var_c) / 2 + np.sqrt(((var_r - var_c) / 2) ** 2 + cov ** 2)
    length = np.sqrt(12 * np.maximum(major, 0) + 1)
    keep = (radius >= reach[owner] + slack) & (length <= FILLED_LOOP_ELONGATION * radius)
    # Clear of holes: no core pixel is nearer a hole than its own depth plus HOLE_CLEARANCE.
    enclosed = _holes(binary[candidates])
    with_holes = np.flatnonzero(enclosed.reshape(len(enclosed), -1).any(axis=1))
    if with_holes.size:
        to_hole = np.full(enclosed.shape, np.inf)
        to_hole[with_holes] = _depths(~enclosed[with_holes])
        nearest = np.full(count + 1, np.inf)
        np.minimum.at(nearest, label, to_hole[image, rows, cols])
        keep &= nearest > reach[owner] + HOLE_CLEARANCE
    keep[0] = False
    holes[candidates] = keep[labels]
    return holes


def ink_and_skeletons(images: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Binary ink, with its grey holes and filled loops open, and its skeleton for a stack of 28x28
    digits, both at UPSAMPLE times their resolution.  Worked through in blocks of BLOCK digits, so
    that the temporary arrays stay near 100 MB however many digits are drawn; the few digits with a
    filled loop are thinned again once it is open."""
    binary = np.zeros((len(images), 28 * UPSAMPLE, 28 * UPSAMPLE), bool)
    skeleton = np.zeros_like(binary)
    for start in range(0, len(images), BLOCK):
        ink = images[start:start + BLOCK].astype(np.float32)
        if images.dtype == np.uint8:
            ink /= 255
        large = ndimage.zoom(ink, (1, UPSAMPLE, UPSAMPLE), order=1, grid_mode=True, mode="grid-constant")
        block = (large >= BINARY_LEVEL) & ~_grey_holes(large)
        thin = skeletonize(block)
        filled = _filled_loops(block, thin)
        redo = np.flatnonzero(filled.reshape(len(filled), -1).any(axis=1))
        if redo.size:
            block[redo] &= ~filled[redo]
            thin[redo] = skeletonize(block[redo])
        binary[start:start + BLOCK] = block
        skeleton[start:start + BLOCK] = thin
    return binary, skeleton


def _stroke_ends(strokes: Strokes) -> dict[tuple[float, float], list[tuple[int, int]]]:
    """The drawing's stroke ends by position: (stroke index, 0 for its first point or -1 for its last)
    of every polyline that ends there.  A junction or a closed loop's seam is listed more than once."""
    ends: dict[tuple[float, float], list[tuple[int, int]]] = {}
    for index, stroke in enumerate(strokes):
        if len(stroke) > 1:
            for end in (0, -1):
                ends.setdefault(tuple(np.round(stroke[end], 3)), []).append((index, end))
    return ends


def _free_ends(strokes: Strokes) -> list[tuple[int, int]]:
    """(stroke index, 0 for its first point or -1 for its last) of every end that is a tip of the
    drawing: not a junction shared with another stroke, not the seam of a closed loop."""
    return [shared[0] for shared in _stroke_ends(strokes).values() if len(shared) == 1]


def _drop_specks(strokes: Strokes) -> Strokes:
    """The strokes without the specks: polylines shorter than MIN_STROKE_EXTENT MNIST pixels that are
    not held at both ends (isolated fragments of scanner noise, or short spurs off a junction).

    A short piece joined at both ends -- the link between two junctions where strokes cross, as at the
    waist of an "8", or a tiny closed loop -- stays: without it the drawing has a gap there, and the
    strokes cut loose at a junction are lengthened into the ink as if they were tips.  All strokes
    stay when all are short (a dot, a tiny digit).
    """
    shared = {position: len(at) > 1 for position, at in _stroke_ends(strokes).items()}

    def keep(stroke: np.ndarray) -> bool:
        if np.ptp(stroke, axis=0).max() >= MIN_STROKE_EXTENT * UPSAMPLE:
            return True
        return len(stroke) > 1 and all(shared[tuple(np.round(stroke[end], 3))] for end in (0, -1))

    return [stroke for stroke in strokes if keep(stroke)] or strokes


def _extend_tips(strokes: Strokes, binary: np.ndarray, depth: np.ndarray) -> Strokes:
    """Lengthen each free end along its direction to where a pen as wide as the ink would stop.

    Thinning eats a thick stroke's tip back by about its width (a fat "2" loses the end of its base,
    a "4" the end of its cross-bar).  From the tip, march along the direction of the stroke's last
    few pixels while inside the ink, and end the centre line ``depth`` (the ink's half-width at the
    tip, from the distance transform) before the ink's edge: where the original pen's round cap was.
    """
    strokes = list(strokes)
    height, width = binary.shape
    march = np.arange(0.5, max(height, width), 0.5)
    for index, end in _free_ends(strokes):
        stroke = strokes[index]
        back = min(TIP_DIRECTION_POINTS, len(stroke) - 1)
        tip = stroke[end]
        direction = tip - (stroke[back] if end == 0 else stroke[-1 - back])
        norm = float(np.hypot(*direction))
        if norm == 0:
            continue
        direction = direction / norm
        path = tip + march[:, None] * direction
        cols, rows = np.floor(path[:, 0]).astype(int), np.floor(path[:, 1]).astype(int)
        inside = (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
        inside[inside] = binary[rows[inside], cols[inside]]
        reach = march[np.argmin(inside)] if not inside.all() else march[-1]
        extra = reach - depth[int(tip[1]), int(tip[0])]
        if extra >= 1:
            new_tip = tip + extra * direction
            strokes[index] = np.vstack([new_tip, stroke] if end == 0 else [stroke, new_tip])
    return strokes


def _add_missed_ink(strokes: Strokes, binary: np.ndarray, depth: np.ndarray) -> Strokes:
    """Add a straight stroke for each patch of ink that the centre lines do not reach.

    A short, thick bar (the top of a fat "5") thins away without leaving a branch; its ink then lies
    farther from every centre line than the strokes' half-width (with a margin: MISSED_INK_HALF_WIDTHS
    half-widths plus MISSED_INK_SLACK).  Each such patch gets a stroke from the centre-line pixel
    nearest to the patch's farthest pixel to that pixel, ended a half-width inside.
    """
    lines = render_strokes(strokes, 1.0, binary.shape[0]) > 0
    on_ink = lines & binary
    if not on_ink.any():
        return strokes
    distance, (near_rows, near_cols) = ndimage.distance_transform_edt(~lines, return_indices=True)
    half_width = float(np.median(depth[on_ink]))
    missed = binary & (distance > MISSED_INK_HALF_WIDTHS * half_width + MISSED_INK_SLACK * UPSAMPLE)
    patches, count = ndimage.label(missed, structure=np.ones((3, 3)))
    added = list(strokes)
    for rows, cols in (np.nonzero(patches == patch) for patch in range(1, count + 1)):
        far = int(np.argmax(distance[rows, cols]))
        row, col = rows[far], cols[far]
        start = np.array([near_cols[row, col], near_rows[row, col]]) + 0.5
        stop = np.array([col, row]) + 0.5
        length = float(np.hypot(*(stop - start)))
        if length - half_width < MIN_STROKE_EXTENT * UPSAMPLE:
            continue
        # Only ink the pen could have laid down in one straight movement from the digit: a speck
        # beside the digit, or a patch behind a gap, is not part of the drawing.
        samples = start + np.linspace(0, 1, int(length) + 2)[:, None] * (stop - start)
        if binary[samples[:, 1].astype(int), samples[:, 0].astype(int)].mean() >= MIN_INK_ALONG_STROKE:
            added.append(np.stack([start, stop - (stop - start) * half_width / length]))
    return added


def digit_strokes(binary: np.ndarray, skeleton: np.ndarray) -> Strokes:
    """Smoothed polylines of one digit (its binary ink and skeleton, at UPSAMPLE times 28x28) in 28x28
    pixel coordinates, completed where thinning lost the ends of thick strokes."""
    strokes = trace_skeleton(skeleton)
    if not strokes:  # a blank digit: one dot in the middle
        return [np.full((1, 2), 14.0)]
    # Specks of scanner noise become tiny skeleton fragments; nobody draws those, so they go.
    strokes = _drop_specks([_smooth(stroke) for stroke in strokes])
    depth = ndimage.distance_transform_edt(binary)
    strokes = _add_missed_ink(_extend_tips(strokes, binary, depth), binary, depth)
    return [stroke / UPSAMPLE for stroke in strokes]


def trace_digit(image: np.ndarray) -> Strokes:
    """The pen strokes of one 28x28 digit (uint8, or float in [0, 1]) as (x, y) polylines in its pixel
    coordinates: the skeleton traced and smoothed (filled loops opened first), specks dropped, thick
    ends and bars restored."""
    binary, skeleton = ink_and_skeletons(np.asarray(image)[None])
    return digit_strokes(binary[0], skeleton[0])
