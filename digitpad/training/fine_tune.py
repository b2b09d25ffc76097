"""Fine-tuning a model on the user's own digits (Model → Fine-tune on my digits…).

A random slice of MNIST and the personal samples are trained on together, the personal ones repeated
and weighted so that a handful count next to thousands of MNIST digits; the accuracy on both is
measured before and after, and the result is saved with its model card by the one save every model
takes (:func:`digitpad.training.modelcard.save_model_with_card`: a full disk is one clear line).
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


@dataclass
class FineTuneReport:
    """Accuracy before and after fine-tuning, on the MNIST test set and on the personal samples."""

    status: str
    message: str
    saved: Path | None
    mnist_before: float
    mnist_after: float
    personal_before: float
    personal_after: float
    personal_count: int

    def summary(self) -> str:
        return (f"MNIST test set: {self.mnist_before:.2%} → {self.mnist_after:.2%}\n"
                f"your {self.personal_count} digits: {self.personal_before:.2%} → {self.personal_after:.2%}")


def fine_tune(model_path: Path, out: Path, *, epochs: int = 2, lr: float = 3e-4, personal_weight: float = 5.0,
              personal_repeats: int = 5, mnist_images: int = 12000, seed: int = 0, data_dir=None,
              dataset: PersonalDataset | None = None, callback: TrainingCallback | None = None,
              cancel: Callable[[], bool] | None = None) -> FineTuneReport:
    """Fine-tune the model at ``model_path`` on a random slice of MNIST plus the personal samples.

    Personal samples are repeated ``personal_repeats`` times and weighted ``personal_weight`` in the
    loss, so a handful of them count next to thousands of MNIST digits.  The result is saved to
    ``out`` (with its model card) unless the run was cancelled or diverged.
    """
    dataset = dataset or PersonalDataset()
    own_images, own_labels = dataset.arrays()
    if len(own_images) == 0:
        raise TrainingError("there are no personal digits yet: draw a digit, then click the right digit under "
                            "'Correct it' to store it")
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

    mnist_before = accuracy(model, test_images, test_labels).accuracy
    personal_before = accuracy(model, own_images, own_labels).accuracy
    result = Trainer(config, model=model, callback=callback, cancel=cancel).fit(data)
    test = accuracy(result.model, test_images, test_labels)
    personal_after = accuracy(result.model, own_images, own_labels).accuracy
    saved = None
    if result.status in ("completed", "early-stopped"):
        settings = {"fine_tuned_from": str(model_path), "epochs": epochs, "lr": lr, "personal_samples": len(own_images),
                    "personal_weight": personal_weight, "personal_repeats": personal_repeats,
                    "mnist_images": mnist_images, "seed": seed}
        command = f"digitpad app: fine-tune {shlex.quote(str(model_path))} on {len(own_images)} personal digits"
        card = build_card(out.stem, result.model, settings, [asdict(h) for h in result.history], test,
                          result.seconds, data_checksums(), command,
                          extra={"training_set": data.steps, "personal_accuracy_before": personal_before,
                                 "personal_accuracy_after": personal_after, "test_accuracy_before": mnist_before})
        save_model_with_card(result.model, out, card)
        saved = out
    return FineTuneReport(result.status, result.message, saved, mnist_before, test.accuracy, personal_before,
                          personal_after, len(own_images))
