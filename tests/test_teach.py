"""Teach it (issue 27): a few of one person's drawings, taught to the reader (`Reader.teach`), change how
that person's other drawings of the same style are read, and leave everybody else's reading as it was."""

from __future__ import annotations

import numpy as np
import pytest

from digitpad.data import mnist, pendigits, uji
from digitpad.data.pen_sets import CANVAS_SIZE
from digitpad.drawing.network_input import to_model_input
from digitpad.drawing.strokes import Drawing
from digitpad.drawing.trajectory import NOT_A_DIGIT
from digitpad.reading.reader import Reader
from digitpad.reading.teach import Examples

SLANT = 0.6   # benchmarks/bench_teach.py's slanted hand: one writer's consistent 31-degree slant


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader.default()


@pytest.fixture(scope="module")
def slanted_writer(pendigits_dir) -> tuple[list[Drawing], np.ndarray]:
    """Validation writer 4 of the pen digits, every digit written with a strong forward slant: the hand
    the shipped reader reads worst of all held-out writers (about 95 %)."""
    digits = [d for d in pendigits.load_pendigits(pendigits_dir) if d.writer == 4]
    drawings = []
    for d in digits:
        middle = float(np.concatenate(d.strokes)[:, 1].mean())
        drawings.append(Drawing([np.stack([s[:, 0] - SLANT * (s[:, 1] - middle), s[:, 1]], 1).astype(np.float32)
                                 for s in d.strokes], 8.0, CANVAS_SIZE))
    return drawings, np.array([d.label for d in digits])


def two_per_digit(labels: np.ndarray, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    taught = np.concatenate([rng.choice(np.flatnonzero(labels == d), 2, replace=False) for d in range(10)])
    return taught, np.setdiff1d(np.arange(len(labels)), taught)


def test_teaching_a_writer_fixes_their_other_drawings_of_the_same_style(reader, slanted_writer):
    drawings, labels = slanted_writer
    taught_index, rest = two_per_digit(labels)
    taught = reader.teach([drawings[i] for i in taught_index], labels[taught_index])
    others = [drawings[i] for i in rest]
    before = reader.probabilities(others).argmax(1)
    after = taught.probabilities(others).argmax(1)
    assert np.mean(before == labels[rest]) < 0.97                       # a hand the reader gets wrong ...
    assert np.mean(after == labels[rest]) >= np.mean(before == labels[rest]) + 0.025   # ... read better
    fixed, broken = np.sum((before != labels[rest]) & (after == labels[rest])), np.sum(
        (before == labels[rest]) & (after != labels[rest]))
    assert fixed >= 6 and broken <= 1, (fixed, broken)
    assert taught.taught == 20 and len(taught.examples["image"]) == 20 and len(taught.examples["strokes"]) == 20
    # the reader taught is a new one: the original reads as before, its models unchanged and shared
    assert reader.taught == 0 and reader.examples == {}
    np.testing.assert_array_equal(reader.probabilities(others).argmax(1), before)
    assert taught.model is reader.model and taught.strokes is reader.strokes


def test_teaching_one_writer_leaves_mnist_as_it_was_read(reader, slanted_writer, mnist_dir):
    drawings, labels = slanted_writer
    taught_index, _ = two_per_digit(labels, seed=1)
    taught = reader.teach([drawings[i] for i in taught_index], labels[taught_index])
    images, test_labels = mnist.load_mnist("test", mnist_dir)
    digits = to_model_input(images[:3000])
    before = reader.probabilities(list(digits[:, 0])).argmax(1)
    after = taught.probabilities(list(digits[:, 0])).argmax(1)
    assert np.mean(before != after) <= 0.002                           # at most 6 of 3,000 read otherwise
    assert np.mean(after == test_labels[:3000]) >= np.mean(before == test_labels[:3000]) - 0.002


def test_a_drawing_taught_as_not_a_digit_makes_its_like_not_a_digit(reader, uji_dir):
    """A letter S is read as a 5 (by design: it looks like one).  A person who writes S's taught one of
    theirs as "not a digit": their other S is answered so."""
    first, second = [Drawing([np.asarray(s, np.float32) for s in c.strokes], 8.0, CANVAS_SIZE)
                     for c in uji.load_uji(uji_dir) if c.label == "S" and c.writer == 2]
    taught = reader.teach([first], [NOT_A_DIGIT])
    assert len(taught.examples["image"]) == 0 and len(taught.examples["strokes"]) == 1   # the CNN has no such class
    (before,), (after,) = reader.read([second]), taught.read([second])
    assert before.digit == 5 and not before.not_a_digit
    assert after.not_a_digit and after.not_a_digit_score > 0.9


def test_teach_says_what_it_cannot_take(reader):
    drawing = Drawing([np.array([[50, 50], [200, 250]], np.float32)], 8.0, 336)
    with pytest.raises(ValueError, match="one label 0-10 per item, got 2 for 1 items"):
        reader.teach([drawing], [1, 2])
    with pytest.raises(ValueError, match="one label 0-10 per item"):
        reader.teach([drawing], [11])
    assert reader.teach([], []).taught == 0


def test_examples_add_nothing_far_from_them_and_most_at_them():
    rng = np.random.default_rng(0)
    features = np.abs(rng.normal(size=(4, 16))).astype(np.float32)
    examples = Examples(features / np.linalg.norm(features, axis=1, keepdims=True), np.array([1, 1, 7, 3]), 10, 8.0, np.arange(4))
    bonus = examples.bonus(np.concatenate([features[:1] * 3, -features[:1]]))
    assert bonus[0, 1] == pytest.approx(8.0, abs=1e-4)      # as close as can be: the whole bonus, for its class
    assert bonus[0, 7] < bonus[0, 1] and np.all(bonus[1] == 0)   # an opposite drawing: nothing
    assert np.all(bonus[:, [0, 2, 4, 5, 6, 8, 9]] == 0)     # classes never taught: nothing


def test_a_taught_reader_forgetting_some_examples_reads_as_if_never_taught_them(reader, slanted_writer):
    """Cross-validation reads with `forgetting` (no feature computed again): it must be the reader taught
    the others."""
    drawings, labels = slanted_writer
    taught_index, rest = two_per_digit(labels, seed=2)
    items = [drawings[i] for i in taught_index]
    taught = reader.teach(items, labels[taught_index])
    others = [drawings[i] for i in rest[:40]]
    forgot = taught.forgetting(range(0, 20, 3))
    kept = [i for i in range(20) if i % 3]
    direct = reader.teach([items[i] for i in kept], labels[taught_index][kept])
    assert forgot.taught == direct.taught == len(kept)
    np.testing.assert_allclose(forgot.probabilities(others), direct.probabilities(others), atol=1e-5)
