"""Writers, not single characters, are what training and measurement must never share.

`split_writers` cuts a source's writers into fixed, disjoint groups (a seeded shuffle, so the groups
never change): the only writers ever trained on, the ones that choose between models, the ones that
measure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

SEED = 2024


def split_writers(writers: Sequence[int], sizes: Mapping[str, int]) -> dict[str, tuple[int, ...]]:
    """``sizes`` (group name → number of writers, in order) cut from a fixed shuffle of ``writers``."""
    if sum(sizes.values()) != len(writers):
        raise ValueError(f"group sizes {dict(sizes)} do not add up to {len(writers)} writers")
    order = np.random.default_rng(SEED).permutation(np.array(writers))
    groups, at = {}, 0
    for name, size in sizes.items():
        groups[name] = tuple(sorted(int(w) for w in order[at:at + size]))
        at += size
    return groups
