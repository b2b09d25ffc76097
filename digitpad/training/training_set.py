"""What to train on: the training set, from MNIST's arrays to the arrays a Trainer sees, built by steps.

Each step is a named function, run in this order by :func:`build_training_set` as the config asks:

1. ``check_dataset``: (N, 28, 28) images, N digit labels, at least two classes;
2. ``first_images``: only the first ``limit`` images (quick runs, tests);
3. ``normalize_strokes``: every image prepared as the app prepares drawings (thin strokes redrawn at
   MNIST's thickness), so that the network learns what it will be shown;
4. ``split_validation``: a fixed shuffle of ``seed`` holds out the validation images, *before*
   anything is derived from training digits, so no copy or tracing of a validation digit is trained on;
5. ``add_drawn_digits``: drawings traced from the training part only, rendered with random pens;
6. ``add_pen_digits``: real pen trajectories of the training *writers* (never the validation or
   measurement writers of :func:`digitpad.data.pendigits.writer_groups`), each varied
   ``pen_digits`` times (:mod:`digitpad.data.trajectory_augment`) and prepared by
   ``drawing_to_input`` as the app prepares a drawing; the validation writers' digits join the
   validation set, so model selection sees writers it never trained on;
7. ``add_personal_digits`` (fine-tuning): the user's own digits, repeated and weighted in the loss.

Augmentation is random per batch, so the training set only chooses it (:attr:`TrainingSet.augmenter`);
the Trainer applies it to each batch.  :attr:`TrainingSet.steps` describes what was done, in words, for
the model card.  What to train on never depends on how training runs: this module does not import the
trainer (``tests/test_layout.py`` checks it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from digitpad.data import mnist, pendigits
from digitpad.data.augment import Augmenter
from digitpad.data.drawn import drawn_training_images
from digitpad.drawing.network_input import NUM_CLASSES
from digitpad.drawing.mnist_style import normalize_digits
from digitpad.errors import TrainingError
from digitpad.training.config import TrainConfig
from digitpad.training.progress import TrainingCallback


@dataclass
class TrainingSet:
    """What one run trains on, as :func:`build_training_set` makes it: uint8 (N, 28, 28) images and int64
    labels for training and for validation, optional per-image loss weights, the per-batch augmentation,
    and the steps that built it, in words."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray
    weights: np.ndarray | None = None
    augmenter: Augmenter | None = None
    steps: list[str] = field(default_factory=list)


def check_dataset(images: np.ndarray, labels: np.ndarray) -> None:
    if images.ndim != 3 or images.shape[1:] != (28, 28):
        raise TrainingError(f"training images must be (N, 28, 28), got {images.shape}")
    if len(images) != len(labels):
        raise TrainingError(f"{len(images)} images but {len(labels)} labels")
    if len(images) < 2:
        raise TrainingError(f"the training set is empty or has a single image ({len(images)})")
    if labels.min() < 0 or labels.max() >= NUM_CLASSES:
        raise TrainingError(f"labels must be digits 0-9, found values from {labels.min()} to {labels.max()}")
    if len(np.unique(labels)) < 2:
        raise TrainingError(f"the training set holds a single class ({labels[0]}); a classifier needs at least two")


def first_images(images: np.ndarray, labels: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    return images[:limit], labels[:limit]


def normalize_strokes(images: np.ndarray) -> np.ndarray:
    return normalize_digits(images)


def split_validation(n: int, config: TrainConfig) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the training and validation parts, a fixed shuffle of ``seed``."""
    n_val = config.held_out(n)
    if not 1 <= n_val < n:
        raise TrainingError(f"cannot hold out {n_val} of {n} images for validation")
    return mnist.validation_split(n, n_val, config.seed)


def add_drawn_digits(data: TrainingSet, n: int, seed: int) -> None:
    """``n`` drawings traced from ``data``'s training digits (never its validation digits)."""
    drawn, drawn_labels = drawn_training_images(data.x_train, data.y_train, n, np.random.default_rng([seed, 2]))
    data.x_train = np.concatenate([data.x_train, drawn])
    data.y_train = np.concatenate([data.y_train, drawn_labels])
    if data.weights is not None:
        data.weights = np.concatenate([data.weights, np.ones(len(drawn), np.float32)])
    data.steps.append(f"{n:,} digits drawn from the training part (traced strokes, random pens, prepared as drawings)")


def add_pen_digits(data: TrainingSet, digits, copies: int, seed: int) -> None:
    """The training writers' pen digits, ``copies`` varied versions each, into the training part; the
    validation writers' digits, as written, into the validation part."""
    groups = pendigits.writer_groups()
    images, labels = pendigits.network_inputs(pendigits.of_writers(digits, groups["train"]), copies,
                                              np.random.default_rng([seed, 3]))
    held, held_labels = pendigits.network_inputs(pendigits.of_writers(digits, groups["validation"]))
    data.x_train = np.concatenate([data.x_train, images])
    data.y_train = np.concatenate([data.y_train, labels])
    if data.weights is not None:
        data.weights = np.concatenate([data.weights, np.ones(len(images), np.float32)])
    data.x_val = np.concatenate([data.x_val, held])
    data.y_val = np.concatenate([data.y_val, held_labels])
    data.steps.append(f"{len(images):,} real pen digits of {len(groups['train'])} training writers "
                      f"({copies} varied copies each, prepared as drawings); {len(held):,} of "
                      f"{len(groups['validation'])} other writers join the validation set")


def add_personal_digits(data: TrainingSet, images: np.ndarray, labels: np.ndarray, repeats: int,
                        weight: float) -> None:
    """The user's digits, each ``repeats`` times and weighted ``weight`` in the loss (MNIST's weigh 1)."""
    own = np.repeat(np.asarray(images, np.uint8), repeats, axis=0)
    weights = np.ones(len(data.x_train), np.float32) if data.weights is None else data.weights
    data.x_train = np.concatenate([data.x_train, own])
    data.y_train = np.concatenate([data.y_train, np.repeat(np.asarray(labels, np.int64), repeats)])
    data.weights = np.concatenate([weights, np.full(len(own), weight, np.float32)])
    data.steps.append(f"{len(images)} personal digits, each {repeats} times, weighted {weight:g} in the loss")


def build_training_set(images: np.ndarray, labels: np.ndarray, config: TrainConfig,
                       callback: TrainingCallback | None = None, data_dir=None) -> TrainingSet:
    """The training set ``config`` asks for, built from ``images`` (uint8 (N, 28, 28)) and ``labels`` (N,);
    the pen digits, if asked for, are read from ``data_dir`` (else where MNIST is looked for).  Each step
    says what it is doing to ``callback`` (``on_message``)."""
    callback = callback or TrainingCallback()
    check_dataset(images, labels)
    steps = [f"{len(images):,} MNIST training images"]
    if config.limit:
        images, labels = first_images(images, labels, config.limit)
        steps.append(f"the first {len(images):,} of them")
    if config.normalize_strokes:
        callback.on_message(f"normalising the strokes of {len(images):,} images")
        images = normalize_strokes(images)
        steps.append("strokes normalised as the app prepares drawings")
    train_idx, val_idx = split_validation(len(images), config)
    steps.append(f"{len(val_idx):,} held out for validation (seed {config.seed}), {len(train_idx):,} to train on")
    data = TrainingSet(images[train_idx], labels[train_idx].astype(np.int64),
                       images[val_idx], labels[val_idx].astype(np.int64), steps=steps)
    if config.drawn_digits:
        callback.on_message(f"drawing {config.drawn_digits:,} digits from the training images")
        add_drawn_digits(data, config.drawn_digits, config.seed)
    if config.pen_digits:
        callback.on_message(f"preparing {config.pen_digits} varied copies of each real pen digit")
        add_pen_digits(data, pendigits.load_pendigits(data_dir), config.pen_digits, config.seed)
    if config.augment:
        data.augmenter = Augmenter()
        steps.append("each batch augmented: random affine, elastic distortion, stroke thickness")
    return data

