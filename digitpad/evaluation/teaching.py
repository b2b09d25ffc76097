"""What teaching a reader a person's examples changes, measured honestly (issue 27): on drawings that were
not taught.

`teaching_report` teaches the reader all the examples (`Reader.teach`) and says which of them it now reads
differently; its before/after is cross-validated: the examples are cut into `FOLDS` parts, each read by
the reader taught the others, so no drawing is read by a reader that was taught it.  The inputs and the
examples' features are computed once (a fold's reader is the taught one, its fold forgotten:
`Reader.forgetting`): 2 s for 300 drawings on two cores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from digitpad.drawing.network_input import DEFAULT_MODE
from digitpad.drawing.trajectory import NOT_A_DIGIT
from digitpad.reading.reader import Inputs, Item, Reader, inputs_of

FOLDS = 5


@dataclass(frozen=True)
class TeachingReport:
    """The reader taught every example, and what it changed.

    ``before``, ``left_out``: each example's digit as read by the reader untaught, and by the reader taught
    the other folds (None: not read, e.g. too small; ``NOT_A_DIGIT`` is answered as -1); ``now``: as read
    by the reader taught everything."""

    reader: Reader
    labels: np.ndarray
    before: list[int | None]
    left_out: list[int | None]
    now: list[int | None]

    def right(self, digits: list[int | None]) -> int:
        return int(sum(d == label for d, label in zip(digits, self.labels)))

    @property
    def right_before(self) -> int:
        """Examples the untaught reader reads right."""
        return self.right(self.before)

    @property
    def right_left_out(self) -> int:
        """Examples read right by a reader taught the others (the honest after)."""
        return self.right(self.left_out)

    @property
    def changed(self) -> list[int]:
        """The examples the taught reader reads differently from the untaught one (indices)."""
        return [i for i, (b, n) in enumerate(zip(self.before, self.now)) if b != n]


def _digits(reader: Reader, items: Sequence[Item], inputs: Inputs) -> list[int | None]:
    """Each item's reading: its digit, -1 for "not a digit", None when not read."""
    return [None if a.digit is None else -1 if a.not_a_digit else a.digit for a in reader.read(items, inputs=inputs)]


def teaching_report(reader: Reader, items: Sequence[Item], labels: Sequence[int], mode: str = DEFAULT_MODE,
                    folds: int = FOLDS, seed: int = 0) -> TeachingReport:
    """Teach ``reader`` the ``items`` and ``labels`` (see the module docstring), shown in the input ``mode``.
    A "not a digit" example (label 10) counts as read right when the answer is "not a digit"."""
    labels = np.asarray(labels, np.int64)
    expected = np.where(labels == NOT_A_DIGIT, -1, labels)
    inputs = inputs_of(items, mode)
    taught = reader.teach(items, labels, inputs=inputs)
    order = np.random.default_rng(seed).permutation(len(items))
    left_out: list[int | None] = [None] * len(items)
    for part in np.array_split(order, min(folds, len(items))) if len(items) > 1 else []:
        fold_reader = taught.forgetting(part)   # as if taught the other folds only
        for i, digit in zip(part, _digits(fold_reader, [items[i] for i in part], inputs.subset(part))):
            left_out[i] = digit
    return TeachingReport(taught, expected, _digits(reader, items, inputs), left_out, _digits(taught, items, inputs))
