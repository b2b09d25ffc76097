"""One complete training run, as the CLI and the app do it: load MNIST, build the training set
(:mod:`digitpad.training.recipe`), train (:class:`digitpad.training.trainer.Trainer`), evaluate on
the test set, save the model and its model card."""

from __future__ import annotations

import shlex
import time
from dataclasses import asdict
from pathlib import Path
from typing import Callable

import numpy as np

from digitpad.data import mnist, pendigits
from digitpad.drawing.preprocess import normalize_digits
from digitpad.evaluation.metrics import Evaluation, evaluate
from digitpad.training.modelcard import build_card, check_outputs, save_model_with_card
from digitpad.training.recipe import build_training_set
from digitpad.training.trainer import TrainConfig, Trainer, TrainingCallback, TrainResult, to_input


def checkpoint_path_for(model_path: Path) -> Path:
    return Path(model_path).with_suffix(".ckpt.npz")


def data_checksums(config: TrainConfig | None = None) -> dict:
    """MD5 of every data source a run read: MNIST's four files and, when used, the pen digits."""
    sums = {spec.name: spec.idx_md5 for spec in mnist.ALL_FILES}
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
    test = evaluate(result.model, to_input(test_images), test_labels)
    command = command or "digitpad train " + " ".join(shlex.quote(a) for a in config_to_args(config, out))
    card = build_card(out.stem, result.model, asdict(config), [asdict(h) for h in result.history], test, wall,
                      data_checksums(config), command, extra={"training_set": data.steps, "status": result.status,
                                                        "best_epoch": result.best_epoch,
                                                        "best_val_accuracy": result.best_val_accuracy})
    save_model_with_card(result.model, out, card)
    if result.status in ("completed", "early-stopped"):
        checkpoint.unlink(missing_ok=True)
    return result, test, out


def config_to_args(config: TrainConfig, out: Path) -> list[str]:
    """The CLI arguments that reproduce ``config`` (for the model card)."""
    args = [] if config.init else ["--model", config.model]  # a fine-tune keeps its model's architecture
    args += ["--epochs", str(config.epochs), "--batch-size", str(config.batch_size),
             "--optimizer", config.optimizer, "--lr", f"{config.lr:g}", "--schedule", config.schedule,
             "--seed", str(config.seed)]
    if config.weight_decay:
        args += ["--weight-decay", f"{config.weight_decay:g}"]
    if config.dropout is not None:
        args += ["--dropout", f"{config.dropout:g}"]
    if config.batchnorm is False:
        args.append("--no-batchnorm")
    if config.augment:
        args.append("--augment")
    if config.normalize_strokes:
        args.append("--normalize-strokes")
    if config.drawn_digits:
        args += ["--drawn", str(config.drawn_digits)]
    if config.pen_digits:
        args += ["--pen-digits", str(config.pen_digits)]
    if config.init:
        args += ["--init", config.init]
    if config.val_size is not None:
        args += ["--val-size", str(config.val_size)]
    elif config.val_fraction != 0.2:
        args += ["--val-fraction", f"{config.val_fraction:g}"]
    if config.patience != TrainConfig.patience:
        args += ["--patience", str(config.patience)]
    if config.limit:
        args += ["--limit", str(config.limit)]
    return args + ["--out", str(out)]


def accuracy_summary(test: Evaluation) -> str:
    return f"test accuracy {test.accuracy:.2%} ({int(np.round((1 - test.accuracy) * test.count))} errors)"
