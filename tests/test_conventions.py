"""Handwriting conventions drawn at the trajectory level, as people draw them."""

from __future__ import annotations

import numpy as np

from digitpad.data import conventions, pendigits
from digitpad.data.conventions import CONVENTIONS, has_flag, natural_conventions


def writers_digits(pendigits_dir, label, n=40):
    return [list(d.strokes) for d in pendigits.load_pendigits(pendigits_dir) if d.label == label][:n]


def test_a_crossed_seven_gets_a_last_stroke_across_its_stem(pendigits_dir):
    rng = np.random.default_rng(0)
    for strokes in writers_digits(pendigits_dir, 7):
        crossed = conventions.crossed_seven(strokes, rng)
        bar = crossed[-1]
        assert len(crossed) == len(strokes) + 1 and crossed[:-1] == strokes
        points = np.concatenate(strokes)
        low, high = points.min(axis=0), points.max(axis=0)
        assert abs(bar[-1, 1] - bar[0, 1]) < 0.3 * abs(bar[-1, 0] - bar[0, 0])          # across, not along
        assert low[1] + 0.3 * (high[1] - low[1]) < bar[:, 1].mean() < low[1] + 0.75 * (high[1] - low[1])


def test_a_slashed_zero_crosses_the_zero_from_top_to_bottom_or_back(pendigits_dir):
    rng = np.random.default_rng(0)
    for strokes in writers_digits(pendigits_dir, 0):
        slash = conventions.slashed_zero(strokes, rng)[-1]
        points = np.concatenate(strokes)
        height = np.ptp(points[:, 1])
        assert abs(slash[-1, 1] - slash[0, 1]) >= 0.65 * height


def test_a_continental_one_starts_with_an_up_stroke_flag(pendigits_dir):
    rng = np.random.default_rng(0)
    plain = [s for s in writers_digits(pendigits_dir, 1, 800) if not has_flag(s)]
    assert plain
    for strokes in plain:
        flagged = conventions.continental_one(strokes, rng)
        assert has_flag(flagged) and natural_conventions(flagged, 1) == ["continental 1"]
        first = flagged[0]
        assert first[1, 0] > first[0, 0] and first[1, 1] < first[0, 1]                 # up and to the right


def test_every_convention_keeps_the_digit_recognisably_the_same_size(pendigits_dir):
    rng = np.random.default_rng(1)
    for name, (digit, draw) in CONVENTIONS.items():
        for strokes in writers_digits(pendigits_dir, digit, 20):
            drawn = draw(strokes, rng)
            before, after = np.ptp(np.concatenate(strokes), axis=0), np.ptp(np.concatenate(drawn), axis=0)
            assert after.max() <= 1.2 * before.max() + 1e-6, name          # a flag widens a 1, no more
            assert all(np.isfinite(s).all() and len(s) for s in drawn), name


def test_loops_and_curled_tails_are_read_from_the_strokes():
    t = np.linspace(0, 1, 40)
    loop_two = np.concatenate([
        np.stack([20 + 30 * np.sin(np.pi * t), 30 - 20 * np.cos(np.pi * t)], axis=1),        # the top arc
        np.stack([50 - 40 * t, 50 + 40 * t], axis=1),                                     # down to the left
        np.stack([10 + 8 * np.cos(2 * np.pi * t), 85 + 8 * np.sin(2 * np.pi * t)], axis=1),  # a loop
        np.stack([10 + 50 * t, 90 + 0 * t], axis=1)])                                      # the base
    plain_two = np.concatenate([loop_two[:80], loop_two[120:]])
    assert natural_conventions([loop_two], 2) == ["2 with a loop"]
    assert natural_conventions([plain_two], 2) == ["2 without a loop"]
    head = np.stack([50 + 20 * np.cos(2 * np.pi * t), 30 + 20 * np.sin(2 * np.pi * t)], axis=1)
    straight = np.concatenate([head, np.stack([70 + 0 * t, 30 + 70 * t], axis=1)])
    curled = np.concatenate([straight, np.stack([70 - 30 * t, 100 - 10 * np.sin(np.pi * t / 2)], axis=1)])
    assert natural_conventions([straight], 9) == ["9 with a straight tail"]
    assert natural_conventions([curled], 9) == ["9 with a curled tail"]
