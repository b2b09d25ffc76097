"""Helpers for the tests that train: a run on arrays already in memory.

The product never trains this way: a run keeps its training set (the steps go into the model card,
`digitpad.training.run`) and a fine-tune adds the user's digits to it before training
(`digitpad.training.fine_tune`), so this shortcut lives with the tests that use it.
"""

from __future__ import annotations

import numpy as np

from digitpad.training.trainer import Trainer, TrainResult
from digitpad.training.training_set import build_training_set


def train_on(trainer: Trainer, images: np.ndarray, labels: np.ndarray) -> TrainResult:
    """Build the training set of ``trainer``'s config from ``images`` and ``labels`` and train on it (the
    training set's messages go to the trainer's callback)."""
    return trainer.fit(build_training_set(images, labels, trainer.config, trainer.callback))
