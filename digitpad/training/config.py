"""A training config: everything one run is told, and the names it goes by.

The words of ``digitpad.training``, one idea each:

- an **architecture** is a network's layers: a name of :data:`digitpad.training.architectures.ARCHITECTURES`
  or a JSON file (:mod:`digitpad.training.architectures`);
- a **config** (:class:`TrainConfig`) is one run's settings: the architecture, the hyper-parameters,
  and what the training set adds (drawn and pen digits, augmentation);
- a **preset** is a config by name (:data:`PRESETS`, :func:`preset_config`): the architecture of that
  name with the settings chosen for it.  ``quick`` is the menu's default, a good model in under a
  minute on two cores (measured by ``benchmarks/bench_time_to_accuracy.py``); the other presets keep
  the trainer's general defaults; the shipped CNN's longer settings are in its model card;
- the **training set** is what a run trains on, built from MNIST by named steps
  (:mod:`digitpad.training.training_set`).

The command line's options are one table, :data:`OPTIONS` (option ↔ field): ``digitpad train``
registers and reads its options from it and :func:`config_to_args` writes a config back as the
command that reproduces it (for the model card).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Mapping

import numpy as np

from digitpad import nn
from digitpad.errors import TrainingError
from digitpad.training.architectures import ARCHITECTURES

SCHEDULES = ("constant", "step", "cosine", "onecycle")
# The smallest run that trains and validates: ten images per digit to learn from, on average, and ten
# to measure it on (fewer gave 12 % models without a word).
MIN_TRAINING_IMAGES = 100
MIN_VALIDATION_IMAGES = 10
# The largest additions to a training set: 4x MNIST's 60,000 drawn digits (188 MB of images) and 50 varied
# copies of each of the training writers' ~5,000 pen digits (200 MB); beyond, memory, not accuracy, grows.
MAX_DRAWN_DIGITS = 240_000
MAX_PEN_DIGIT_COPIES = 50


@dataclass
class TrainConfig:
    model: str = "convnet"             # the architecture: a name of architectures.ARCHITECTURES or a JSON file
    epochs: int = 10
    batch_size: int = 128
    optimizer: str = "adam"
    lr: float = 1e-3
    weight_decay: float = 0.0
    dropout: float | None = None       # None: the architecture's default
    batchnorm: bool | None = None      # None: the architecture's default
    # read by the training set's steps (digitpad.training.training_set), not by the Trainer:
    augment: bool = False              # random affine + elastic distortion + stroke jitter
    normalize_strokes: bool = False    # prepare the images as the app prepares drawings (thin strokes redrawn)
    drawn_digits: int = 0              # add this many drawings traced from the training digits
    pen_digits: int = 0                # add this many varied copies of each real pen digit of the training writers
    val_fraction: float = 0.2          # the course's 80/20 split of the training set
    val_size: int | None = None        # or a fixed count, e.g. 5000 for 55k/5k
    limit: int | None = None           # use only the first N training images (quick runs, tests)
    # read by the Trainer:
    init: str | None = None            # start from this model file (fine-tuning) instead of a fresh architecture
    schedule: str = "cosine"           # constant, step, cosine (per batch, after a warm-up) or onecycle
    warmup_epochs: float = 0.5
    patience: int = 5                  # early stopping: epochs without a better validation accuracy
    seed: int = 0                      # the split, drawn digits, weights, batches, augmentation, dropout

    def validate(self, names: Mapping[str, str] | None = None) -> None:
        """Raise :class:`TrainingError` (one line) for the first setting that cannot train: every number
        is checked here, before any data is loaded.  ``names`` maps a field to what the user calls it
        (the CLI gives its options: ``{"seed": "--seed"}``); the default is :data:`SETTING_NAMES`."""
        def name(key: str) -> str:
            return (names or {}).get(key) or SETTING_NAMES[key]

        checks = [
            (self.epochs >= 1, f"{name('epochs')} must be at least 1, got {self.epochs}"),
            (self.batch_size >= 1, f"{name('batch_size')} must be at least 1, got {self.batch_size}"),
            (np.isfinite(self.lr) and self.lr > 0, f"{name('lr')} must be a positive number, got {self.lr:g}"),
            (np.isfinite(self.weight_decay) and self.weight_decay >= 0,
             f"{name('weight_decay')} must be a finite number ≥ 0, got {self.weight_decay:g}"),
            (self.dropout is None or 0 <= self.dropout < 1, f"{name('dropout')} must be in [0, 1), got {self.dropout}"),
            (0 < self.val_fraction < 1, f"{name('val_fraction')} must be in (0, 1), got {self.val_fraction}"),
            (self.val_size is None or self.val_size >= MIN_VALIDATION_IMAGES,
             f"{name('val_size')} must be at least {MIN_VALIDATION_IMAGES}, got {self.val_size}"),
            (self.schedule in SCHEDULES, f"unknown schedule {self.schedule!r} ({', '.join(SCHEDULES)})"),
            (self.optimizer.lower() in nn.optim.OPTIMIZERS, f"unknown optimiser {self.optimizer!r} ({', '.join(nn.optim.OPTIMIZERS)})"),
            (self.patience >= 1, f"{name('patience')} must be at least 1, got {self.patience}"),
            (0 <= self.drawn_digits <= MAX_DRAWN_DIGITS,
             f"{name('drawn_digits')} must be 0 to {MAX_DRAWN_DIGITS:,}, got {self.drawn_digits}"),
            (0 <= self.pen_digits <= MAX_PEN_DIGIT_COPIES,
             f"{name('pen_digits')} must be 0 to {MAX_PEN_DIGIT_COPIES}, got {self.pen_digits}"),
            (self.seed >= 0, f"{name('seed')} must be 0 or more, got {self.seed}"),
        ]
        for ok, message in checks:
            if not ok:
                raise TrainingError(message)
        if self.limit is not None and self.limit < (least := self.smallest_limit()):
            held = (f"{self.val_size:,} images held out for validation ({name('val_size')})"
                    if self.val_size is not None
                    else f"{self.val_fraction:g} of them held out for validation ({name('val_fraction')})")
            held = (f"with {held}, " if least > MIN_TRAINING_IMAGES + MIN_VALIDATION_IMAGES
                    else "")   # below this no split trains: the split is not to blame
            raise TrainingError(f"{name('limit')} {self.limit} is too small: {held}training needs at least "
                                f"{least:,} images ({MIN_TRAINING_IMAGES} to train on, {MIN_VALIDATION_IMAGES} to "
                                f"validate)")

    def held_out(self, images: int) -> int:
        """How many of ``images`` training images this configuration holds out for validation."""
        return self.val_size if self.val_size is not None else int(round(images * self.val_fraction))

    def smallest_limit(self) -> int:
        """The fewest training images with which this split keeps :data:`MIN_TRAINING_IMAGES` to train on
        and :data:`MIN_VALIDATION_IMAGES` to validate (a valid ``val_fraction`` or ``val_size`` assumed)."""
        if self.val_size is not None:
            return self.val_size + MIN_TRAINING_IMAGES
        fraction = self.val_fraction
        images = max(MIN_TRAINING_IMAGES + MIN_VALIDATION_IMAGES, math.ceil(MIN_TRAINING_IMAGES / (1 - fraction)),
                     math.ceil((MIN_VALIDATION_IMAGES - 0.5) / fraction))
        while self.held_out(images) < MIN_VALIDATION_IMAGES or images - self.held_out(images) < MIN_TRAINING_IMAGES:
            images += 1  # rounding: a step or two at most
        return images


SETTING_NAMES = {
    "epochs": "epochs", "batch_size": "batch size", "lr": "learning rate", "weight_decay": "weight decay",
    "dropout": "dropout", "val_fraction": "validation fraction", "val_size": "validation size",
    "limit": "the number of training images", "patience": "patience", "drawn_digits": "the number of drawn digits",
    "pen_digits": "the copies of each pen digit", "seed": "seed",
}
"""What :meth:`TrainConfig.validate` calls each checked setting by default (the app's words)."""


# --- presets: configs by name ------------------------------------------------------------------------

PRESETS: dict[str, dict] = {name: dict(model=name) for name in ARCHITECTURES} | {
    # Chosen by measurement; what each choice bought is in benchmarks/bench_time_to_accuracy.py's
    # notes and docs/measurements.md, "A good model in under a minute".
    "quick": dict(model="quick", epochs=3, batch_size=128, optimizer="adam", lr=6e-3, schedule="onecycle",
                  val_size=5000, patience=3),
    # Stroke models train on pen trajectories (digitpad.training.stroke_set): pen_digits is the varied
    # copies of each training writer's digit, drawn_digits the traced MNIST digits.
    "strokes": dict(model="strokes", epochs=10, batch_size=128, optimizer="adam", lr=3e-3, schedule="onecycle",
                    pen_digits=8, drawn_digits=40_000, patience=10),
    "strokes-quick": dict(model="strokes-quick", epochs=3, batch_size=128, optimizer="adam", lr=5e-3,
                          schedule="onecycle", pen_digits=3, drawn_digits=2_000, patience=3),
}
"""Every preset's settings: each architecture's name with the trainer's defaults, except where a preset
was measured to train better with its own (``quick``)."""


LIMITED_VALIDATION_SHARE = 10
"""A preset's validation count holds out at most one image in this many of a limited training set."""


def preset_config(name: str, **explicit) -> TrainConfig:
    """The config of preset ``name`` (or, for a JSON architecture file, the trainer's defaults with that
    architecture), with ``explicit`` settings (those the user gave) on top.  A validation fraction given
    replaces the preset's validation count too (quick holds out 5000 images unless told otherwise), and
    a limit given scales the preset's count with it: at most a tenth of the limited set, so that
    ``--model quick --limit 1000`` holds out 100 images, not 5000 of 1000."""
    unknown = set(explicit) - {f.name for f in fields(TrainConfig)}
    if unknown:
        raise TypeError(f"unknown training settings: {', '.join(sorted(unknown))}")
    if "val_fraction" in explicit and "val_size" not in explicit:
        explicit["val_size"] = None
    base = TrainConfig(**PRESETS[name]) if name in PRESETS else TrainConfig(model=name)
    limit = explicit.get("limit")
    if base.val_size is not None and limit is not None and "val_size" not in explicit:
        explicit["val_size"] = min(base.val_size, max(MIN_VALIDATION_IMAGES, limit // LIMITED_VALIDATION_SHARE))
    return replace(base, **explicit)


# --- the command line's options ----------------------------------------------------------------------

@dataclass(frozen=True)
class Option:
    """One ``digitpad train`` option and the :class:`TrainConfig` field it sets.

    ``kind``: ``int``, ``float`` or ``str`` for an option that takes a value; ``"on"`` for a switch that
    sets the field to True, ``"off"`` for one that sets it to False.  A run's command (:func:`config_to_args`)
    writes the option when the field differs from the trainer's default, or ``always`` (a preset may
    change it), but never when the field named by ``unless`` is set (it decides instead)."""

    field: str
    flag: str
    kind: type | str
    always: bool = False
    unless: str | None = None

    def to_args(self, value) -> list[str]:
        if self.kind in ("on", "off"):
            return [self.flag] if value is (self.kind == "on") else []
        return [self.flag, f"{value:g}" if self.kind is float else str(value)]


OPTIONS = (
    Option("model", "--model", str, always=True, unless="init"),   # a fine-tune keeps its model's architecture
    Option("epochs", "--epochs", int, always=True),
    Option("batch_size", "--batch-size", int, always=True),
    Option("optimizer", "--optimizer", str, always=True),
    Option("lr", "--lr", float, always=True),
    Option("schedule", "--schedule", str, always=True),
    Option("seed", "--seed", int, always=True),
    Option("weight_decay", "--weight-decay", float),
    Option("dropout", "--dropout", float),
    Option("batchnorm", "--no-batchnorm", "off"),
    Option("augment", "--augment", "on"),
    Option("normalize_strokes", "--normalize-strokes", "on"),
    Option("drawn_digits", "--drawn", int),
    Option("pen_digits", "--pen-digits", int),
    Option("init", "--init", str),
    Option("val_size", "--val-size", int),
    Option("val_fraction", "--val-fraction", float, unless="val_size"),
    Option("patience", "--patience", int),
    Option("limit", "--limit", int),
)
"""Every ``digitpad train`` option that sets a config field, in the order a run's command lists them."""

OPTION_NAMES = {option.field: option.flag for option in OPTIONS}
"""The option of each field, so that :meth:`TrainConfig.validate`'s messages name what the user typed."""


def config_to_args(config: TrainConfig, out: Path) -> list[str]:
    """The ``digitpad train`` arguments that reproduce ``config`` and write ``out`` (for the model card)."""
    defaults = TrainConfig()
    args: list[str] = []
    for option in OPTIONS:
        value = getattr(config, option.field)
        if option.unless and getattr(config, option.unless):
            continue
        if option.always or value != getattr(defaults, option.field):
            args += option.to_args(value)
    return args + ["--out", str(out)]
