"""Fine-tuning a model on the user's own digits (Model → Fine-tune on my digits…).

A random slice of MNIST and the personal samples are trained on together, the personal ones repeated
and weighted so that a handful count next to thousands of MNIST digits; the accuracy on both is
measured before and after, and the result is saved with its model card by the one save every model
takes (:func:`digitpad.training.modelcard.save_model_with_card`: a full disk is one clear line).

A score on the digits a model was just trained on says little, so some personal digits are kept aside
(`hold_out`: a fifth of each digit drawn 3 times or more, at least one) and never trained on: the report
gives the accuracy on them apart from that on the digits trained on.  A set too small to keep any aside
is measured on the digits trained on only, and the report says so (``held_out_count`` 0).  `small_set`
tells when a set is too small to fine-tune on with profit (fewer than `SMALL_SET_PER_DIGIT` of some digit
or `SMALL_SET_TOTAL` in all): the app warns before it starts.
"""

from __future__ import annotations

import shlex
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from digitpad.data import mnist
from digitpad.data.personal import PersonalDataset
from digitpad.drawing.network_input import to_model_input
from digitpad.errors import TrainingError
from digitpad.evaluation.metrics import evaluate
from digitpad.reading.store import open_model
from digitpad.training.config import TrainConfig
from digitpad.training.modelcard import build_card, check_outputs, save_model_with_card
from digitpad.training.progress import TrainingCallback
from digitpad.training.run import data_checksums
from digitpad.training.trainer import Trainer
from digitpad.training.training_set import add_personal_digits, build_training_set

HOLD_OUT_SHARE, HOLD_OUT_FROM = 0.2, 3
"""The share of each digit's personal examples kept aside, for the digits drawn at least this often."""
SMALL_SET_PER_DIGIT, SMALL_SET_TOTAL = 2, 10
"""A personal set with fewer examples of some digit, or fewer in all, is too small to fine-tune on with profit."""


def thin_digits(labels: np.ndarray) -> list[int]:
    """The digits 0-9 with fewer than `SMALL_SET_PER_DIGIT` examples among ``labels``."""
    counts = np.bincount(np.asarray(labels, np.int64), minlength=10)[:10]
    return [d for d in range(10) if counts[d] < SMALL_SET_PER_DIGIT]


def small_set(labels: np.ndarray) -> bool:
    """Whether a personal set (its digits' ``labels``) is too small to fine-tune on with profit."""
    return len(labels) < SMALL_SET_TOTAL or bool(thin_digits(labels))


def hold_out(labels: np.ndarray, seed: int = 0) -> np.ndarray:
    """A boolean mask over ``labels``: the personal digits kept aside to measure on (never trained on),
    `HOLD_OUT_SHARE` of each digit drawn at least `HOLD_OUT_FROM` times (at least one), at random."""
    labels = np.asarray(labels, np.int64)
    rng = np.random.default_rng(seed)
    mask = np.zeros(len(labels), bool)
    for digit in np.unique(labels):
        where = np.flatnonzero(labels == digit)
        if len(where) >= HOLD_OUT_FROM:
            mask[rng.choice(where, max(1, round(HOLD_OUT_SHARE * len(where))), replace=False)] = True
    return mask


@dataclass
class FineTuneReport:
    """Accuracy before and after fine-tuning: on the MNIST test set, on the personal digits trained on
    (``personal_*``, ``personal_count`` of them) and on those kept aside (``held_out_*``; none when the
    set was too small to keep any: ``held_out_count`` 0 and the figures None)."""

    status: str
    message: str
    saved: Path | None
    mnist_before: float
    mnist_after: float
    personal_before: float
    personal_after: float
    personal_count: int
    held_out_count: int = 0
    held_out_before: float | None = None
    held_out_after: float | None = None

    def summary(self) -> str:
        lines = [f"MNIST test set: {self.mnist_before:.2%} → {self.mnist_after:.2%}"]
        if self.held_out_count:
            lines.append(f"your {self.held_out_count} digits kept aside (not trained on): "
                         f"{self.held_out_before:.2%} → {self.held_out_after:.2%}")
            lines.append(f"your {self.personal_count} digits trained on: {self.personal_before:.2%} → "
                         f"{self.personal_after:.2%}")
        else:
            lines.append(f"your {self.personal_count} digits, the ones it trained on (too few to keep some aside): "
                         f"{self.personal_before:.2%} → {self.personal_after:.2%}")
        return "\n".join(lines)


def fine_tune(model_path: Path, out: Path, *, epochs: int = 2, lr: float = 3e-4, personal_weight: float = 5.0,
              personal_repeats: int = 5, mnist_images: int = 12000, seed: int = 0, data_dir=None,
              dataset: PersonalDataset | None = None, callback: TrainingCallback | None = None,
              cancel: Callable[[], bool] | None = None) -> FineTuneReport:
    """Fine-tune the model at ``model_path`` on a random slice of MNIST plus the personal samples.

    Personal samples are repeated ``personal_repeats`` times and weighted ``personal_weight`` in the
    loss, so a handful of them count next to thousands of MNIST digits; some are kept aside to measure
    on (`hold_out`).  The result is saved to ``out`` (with its model card) unless the run was cancelled
    or diverged.
    """
    dataset = dataset or PersonalDataset()
    all_images, all_labels = dataset.arrays()
    if len(all_images) == 0:
        raise TrainingError("there are no personal digits yet: draw a digit, then click the right digit under "
                            "'Correct it' to store it")
    aside = hold_out(all_labels, seed)
    own_images, own_labels = all_images[~aside], all_labels[~aside]
    aside_images, aside_labels = all_images[aside], all_labels[aside]
    model = open_model(model_path)
    check_outputs(out)
    train_images, train_labels = mnist.load_mnist("train", data_dir)
    test_images, test_labels = mnist.load_mnist("test", data_dir)
    pick = np.random.default_rng(seed).permutation(len(train_images))[:mnist_images]
    config = TrainConfig(model="fine-tune", epochs=epochs, lr=lr, schedule="constant", warmup_epochs=0,
                         val_fraction=0.1, patience=epochs, seed=seed)
    data = build_training_set(train_images[pick], train_labels[pick], config, callback)
    add_personal_digits(data, own_images, own_labels, personal_repeats, personal_weight)

    def accuracy(network, images_, labels_):
        return evaluate(network, to_model_input(images_), labels_)

    def aside_accuracy(network):
        return accuracy(network, aside_images, aside_labels).accuracy if len(aside_labels) else None

    mnist_before = accuracy(model, test_images, test_labels).accuracy
    personal_before = accuracy(model, own_images, own_labels).accuracy
    held_out_before = aside_accuracy(model)
    result = Trainer(config, model=model, callback=callback, cancel=cancel).fit(data)
    test = accuracy(result.model, test_images, test_labels)
    personal_after = accuracy(result.model, own_images, own_labels).accuracy
    held_out_after = aside_accuracy(result.model)
    saved = None
    if result.status in ("completed", "early-stopped"):
        settings = {"fine_tuned_from": str(model_path), "epochs": epochs, "lr": lr, "personal_samples": len(own_images),
                    "personal_weight": personal_weight, "personal_repeats": personal_repeats,
                    "mnist_images": mnist_images, "seed": seed, "personal_held_out": int(aside.sum())}
        command = f"digitpad app: fine-tune {shlex.quote(str(model_path))} on {len(own_images)} personal digits"
        card = build_card(out.stem, result.model, settings, [asdict(h) for h in result.history], test,
                          result.seconds, data_checksums(), command,
                          extra={"training_set": data.steps, "personal_accuracy_before": personal_before,
                                 "personal_accuracy_after": personal_after, "test_accuracy_before": mnist_before,
                                 "held_out_personal_accuracy_before": held_out_before,
                                 "held_out_personal_accuracy_after": held_out_after})
        save_model_with_card(result.model, out, card)
        saved = out
    return FineTuneReport(result.status, result.message, saved, mnist_before, test.accuracy, personal_before,
                          personal_after, len(own_images), int(aside.sum()), held_out_before, held_out_after)
