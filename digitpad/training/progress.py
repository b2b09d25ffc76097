"""What a training run reports while it runs, and to whom: a :class:`TrainingCallback` receives the
training set's steps as messages, then the trainer's batches and epochs.  The CLI prints them, the app
shows them (``digitpad.app.workers.TrainingReporter``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class TrainingStart:
    """What a run is about to train: sent once, before the first batch."""

    train: int            # training images
    validation: int       # validation images
    epochs: int
    batches: int          # per epoch
    parameters: int

    @classmethod
    def from_info(cls, info: dict) -> "TrainingStart":
        """From the dict a :class:`TrainingCallback` receives in ``on_train_begin``."""
        return cls(info["train"], info["validation"], info["epochs"], info["batches"], info["parameters"])


@dataclass
class TrainingMessage:
    """A step of the run in words (the training set's preparation, why training stopped)."""

    text: str


@dataclass
class BatchProgress:
    epoch: int            # 1-based
    epochs: int
    batch: int            # 1-based within the epoch
    batches: int
    loss: float           # running mean over the epoch so far
    accuracy: float
    samples_per_s: float
    eta_s: float          # estimated seconds left for the whole run


@dataclass
class EpochStats:
    epoch: int
    train_loss: float
    train_accuracy: float
    val_loss: float
    val_accuracy: float
    lr: float
    seconds: float
    best: bool = False


class TrainingCallback:
    """Receives progress; every method is optional."""

    def on_train_begin(self, info: dict) -> None: ...
    def on_batch_end(self, progress: BatchProgress) -> None: ...
    def on_epoch_end(self, stats: EpochStats) -> None: ...
    def on_message(self, text: str) -> None: ...
