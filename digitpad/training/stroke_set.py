"""The stroke model's training set: real pen trajectories of the training writers, varied, with the
handwriting conventions the data lacks drawn in, and the validation writers' as written.

Made from three sources, writers never shared between the parts (`digitpad.data.writers`):

- UCI's pen digits (`digitpad.data.pendigits`): the 20 training writers' 5,000 digits; the 4 validation
  writers' digits validate;
- UJI Pen Characters (`digitpad.data.uji`): the 6 training writers' 120 digits, repeated
  `UJI_REPEATS` times (few, but European); the 2 validation writers' validate;
- optionally MNIST's training digits traced into strokes (``drawn_digits``, `digitpad.data.drawn`), whose
  stroke order is the tracer's, not a person's; then `TRACED_VALIDATION` traced digits never trained on
  (`held_out.traced_validation_digits`) join the validation set, which the writers' own digits alone
  cannot fill: they are read almost without a mistake after one epoch.

Drawings that are not digits (`digitpad.data.negatives`: UJI's letters and Omniglot's characters of
the training writers and alphabets, synthesised shapes and scribbles, the training writers' digits
crossed out or drawn together) are class `NOT_A_DIGIT`: the real ones in `NEGATIVE_COPIES` varied
copies, the made ones once (each is new); the validation writers' and alphabet's validate.

Each training digit appears in ``pen_digits`` varied copies (`digitpad.data.trajectory_augment`), each
copy drawn now and then in a convention (`digitpad.data.conventions`: a crossed 7, a slashed or dotted
0, a 1 with a base or a flag) with the probabilities of `CONVENTION_RATES`.  Everything is made once,
before training, as float32 trajectories (`drawing_to_trajectory`).
"""

from __future__ import annotations

import numpy as np

from digitpad.data import conventions, pendigits, uji
from digitpad.data.negatives import non_digit_samples
from digitpad.data.pen_sets import CANVAS_SIZE, trajectories, writer_samples, writer_trajectories
from digitpad.data.trajectory_augment import augment_strokes
from digitpad.drawing.trajectory import NOT_A_DIGIT
from digitpad.evaluation.held_out import TRACED_CANVAS, held_out_sets, traced_validation_digits
from digitpad.training.config import TrainConfig
from digitpad.training.progress import TrainingCallback
from digitpad.training.training_set import TrainingSet

UJI_REPEATS = 4
NEGATIVE_COPIES = 2          # varied copies of each real drawing that is not a digit
TRACED_VALIDATION = 2000     # traced MNIST digits that validate a stroke model trained with traced ones
CONVENTION_RATES: dict[int, tuple[tuple[str, float], ...]] = {
    7: (("crossed 7", 0.3),),
    0: (("slashed 0", 0.15), ("dotted 0", 0.08)),
    1: (("1 with a base", 0.15), ("continental 1", 0.25)),
}
"""For a digit, the conventions a varied copy may be drawn in, each with its probability (the first
drawn wins)."""


def in_convention(strokes: list[np.ndarray], label: int, rng: np.random.Generator) -> list[np.ndarray]:
    """The digit drawn now and then in one of its conventions (`CONVENTION_RATES`)."""
    for name, rate in CONVENTION_RATES.get(label, ()):
        if rng.random() < rate:
            return conventions.CONVENTIONS[name][1](strokes, rng)
    return strokes


def build_stroke_training_set(config: TrainConfig, callback: TrainingCallback | None = None,
                              data_dir=None) -> TrainingSet:
    """The training set of a stroke model (``config.pen_digits`` varied copies of each training digit,
    ``config.drawn_digits`` traced MNIST digits), validated on the validation writers as they wrote."""
    callback = callback or TrainingCallback()
    rng = np.random.default_rng([config.seed, 3])
    train = writer_samples("train", data_dir)
    originals = train["pendigits"] + train["uji"] * UJI_REPEATS
    copies = max(config.pen_digits, 1)
    callback.on_message(f"preparing {copies} varied copies of {len(originals):,} pen digits")
    varied = [(augment_strokes(in_convention(strokes, label, rng), rng), label)
              for _ in range(copies) for strokes, label in originals]
    x, y = trajectories(varied, CANVAS_SIZE)
    steps = [f"{len(train['pendigits']):,} pen digits of {len(pendigits.writer_groups()['train'])} training writers "
             f"and {len(train['uji'])} UJI digits of {len(uji.writer_groups()['train'])} (repeated {UJI_REPEATS} times), "
             f"{copies} varied copies each, now and then in a convention (crossed 7, slashed or dotted 0, 1 with a "
             f"base or a flag): {len(x):,} trajectories"]
    callback.on_message("preparing drawings that are not digits")
    x, y, said = _add_negatives(x, y, "train", rng, data_dir)
    steps.append(said)
    if config.drawn_digits:
        x, y = _add_traced(x, y, config, callback, data_dir)
        steps.append(f"{config.drawn_digits:,} MNIST training digits traced into strokes, varied")
    x_val, y_val = writer_trajectories("validation", data_dir)
    steps.append(f"validation: {len(x_val):,} digits of the validation writers (pen digits and UJI), as written")
    x_val, y_val, said = _add_negatives(x_val, y_val, "validation", None, data_dir)
    steps.append(said)
    if config.drawn_digits:
        callback.on_message(f"tracing {TRACED_VALIDATION:,} MNIST digits to validate with")
        traced = held_out_sets("validation", TRACED_VALIDATION, data_dir)["traced MNIST"]
        tx, ty = trajectories([(d.strokes, label) for d, label in zip(traced.drawings, traced.labels)], TRACED_CANVAS)
        x_val, y_val = np.concatenate([x_val, tx]), np.concatenate([y_val, ty])
        steps.append(f"and {len(tx):,} MNIST training digits traced into strokes, none of them trained on (the "
                     f"validation writers' digits alone are read almost without a mistake: they cannot choose "
                     f"between epochs)")
    return TrainingSet(x, y, x_val, y_val, steps=steps)


def _add_negatives(x: np.ndarray, y: np.ndarray, group: str, rng: np.random.Generator | None,
                   data_dir) -> tuple[np.ndarray, np.ndarray, str]:
    """``group``'s drawings that are not digits added as class `NOT_A_DIGIT`: varied (``rng``; the real
    ones in `NEGATIVE_COPIES` copies) or as drawn (None)."""
    sources = non_digit_samples(group, data_dir)
    drawings = []
    for name, found in sources.items():
        real = name in ("UJI letters", "Omniglot")
        copies = NEGATIVE_COPIES if rng is not None and real else 1
        drawings += [augment_strokes(s, rng) if rng is not None else s for _ in range(copies) for s in found]
    nx, ny = trajectories([(s, NOT_A_DIGIT) for s in drawings], CANVAS_SIZE)
    counts = ", ".join(f"{len(found):,} {name}" for name, found in sources.items())
    said = (f"{'validation: ' if rng is None else ''}{len(nx):,} drawings that are not digits ({counts}"
            f"{f'; the real ones in {NEGATIVE_COPIES} varied copies' if rng is not None else ''}), class {NOT_A_DIGIT}")
    return np.concatenate([x, nx]), np.concatenate([y, ny]), said


def _add_traced(x: np.ndarray, y: np.ndarray, config: TrainConfig, callback: TrainingCallback,
                data_dir) -> tuple[np.ndarray, np.ndarray]:
    from digitpad.data import mnist
    from digitpad.data.drawn import make_drawn_digits

    callback.on_message(f"tracing {config.drawn_digits:,} MNIST digits into strokes")
    images, labels = mnist.load_mnist("train", data_dir)
    rng = np.random.default_rng([config.seed, 2])
    train = np.setdiff1d(np.arange(len(images)), traced_validation_digits(len(images)))
    drawn = make_drawn_digits(images[train], labels[train], config.drawn_digits, rng)
    tx, ty = trajectories([(augment_strokes(strokes, rng), label) for strokes, label in drawn], 128)
    return np.concatenate([x, tx]), np.concatenate([y, ty])
