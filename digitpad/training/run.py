"""One complete training run, as the CLI and the app do it: load MNIST, build the training set
(:mod:`digitpad.training.training_set`), train (:class:`digitpad.training.trainer.Trainer`), evaluate on
the test set, save the model and its model card (:func:`digitpad.training.modelcard.save_model_with_card`)."""

from __future__ import annotations

import shlex
import time
from dataclasses import asdict
from pathlib import Path
from typing import Callable

import numpy as np

from digitpad.data import mnist, mnist_idx, pendigits
from digitpad.drawing.network_input import to_model_input
from digitpad.drawing.mnist_style import normalize_digits
from digitpad.evaluation.metrics import Evaluation, evaluate
from digitpad.training.config import TrainConfig, config_to_args
from digitpad.training.modelcard import build_card, check_outputs, save_model_with_card
from digitpad.training.progress import TrainingCallback
from digitpad.training.trainer import Trainer, TrainResult
from digitpad.training.training_set import build_training_set


def checkpoint_path_for(model_path: Path) -> Path:
    return Path(model_path).with_suffix(".ckpt.npz")


def data_checksums(config: TrainConfig | None = None) -> dict:
    """MD5 of every data source a run read: MNIST's four files and, when used, the pen digits."""
    sums = {spec.name: spec.idx_md5 for spec in mnist_idx.ALL_FILES}
    if config is not None and config.pen_digits:
        sums[pendigits.FILE_NAME] = pendigits.FILE_MD5
    return sums


def train_and_save(config: TrainConfig, out: Path, *, data_dir=None, callback: TrainingCallback | None = None,
                   cancel: Callable[[], bool] | None = None, resume: Path | None = None,
                   command: str | None = None, keep_if: Callable[[TrainResult], bool] | None = None,
                   ) -> tuple[TrainResult, Evaluation | None, Path | None]:
    """Train (or resume) and, unless ``keep_if`` says no, save the best model and its card to ``out``.

    Returns the result, the test-set evaluation (None if the run diverged or was cancelled and not
    kept) and the saved path (None if nothing was saved)."""
    out = Path(out)
    check_outputs(out)
    checkpoint = checkpoint_path_for(out)
    trainer = (Trainer.resume(resume, callback=callback, cancel=cancel, epochs=config.epochs) if resume
               else Trainer(config, callback=callback, cancel=cancel, checkpoint_path=checkpoint))
    config = trainer.config
    images, labels = mnist.load_mnist("train", data_dir)
    data = build_training_set(images, labels, config, callback, data_dir)
    started = time.perf_counter()
    result = trainer.fit(data)
    wall = time.perf_counter() - started + sum(h.seconds for h in trainer.history[: trainer.start_epoch - 1])
    if result.status == "diverged" or not result.history:
        return result, None, None
    if keep_if is not None and not keep_if(result):
        return result, None, None
    test_images, test_labels = mnist.load_mnist("test", data_dir)
    if config.normalize_strokes:  # the model is evaluated on images prepared as it was trained
        test_images = normalize_digits(test_images)
    test = evaluate(result.model, to_model_input(test_images), test_labels)
    command = command or "digitpad train " + " ".join(shlex.quote(a) for a in config_to_args(config, out))
    card = build_card(out.stem, result.model, asdict(config), [asdict(h) for h in result.history], test, wall,
                      data_checksums(config), command, extra={"training_set": data.steps, "status": result.status,
                                                        "best_epoch": result.best_epoch,
                                                        "best_val_accuracy": result.best_val_accuracy})
    save_model_with_card(result.model, out, card)
    if result.status in ("completed", "early-stopped"):
        checkpoint.unlink(missing_ok=True)
    return result, test, out


def accuracy_summary(test: Evaluation) -> str:
    return f"test accuracy {test.accuracy:.2%} ({int(np.round((1 - test.accuracy) * test.count))} errors)"
