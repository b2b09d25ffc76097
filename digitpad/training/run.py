"""One complete training run, as the CLI and the app do it: load MNIST, build the training set
(:mod:`digitpad.training.training_set`), train (:class:`digitpad.training.trainer.Trainer`), evaluate on
the test set, save the model and its model card (:func:`digitpad.training.modelcard.save_model_with_card`).

A stroke model (`architectures.STROKE_ARCHITECTURES`) trains on pen trajectories instead
(:mod:`digitpad.training.stroke_set`), is tested on the measurement writers of every pen source, and
gets its weight beside the shipped CNN (``stroke_weight``, `choose_stroke_weight`) from the validation
writers' sets and `WEIGHT_TRACED` traced MNIST digits it never trained on."""

from __future__ import annotations

import shlex
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from digitpad.data import mnist, mnist_idx, omniglot, pendigits, uji
from digitpad.data.pen_sets import SOURCES, writer_trajectories
from digitpad.drawing.network_input import to_model_input
from digitpad.drawing.mnist_style import normalize_digits
from digitpad.evaluation.held_out import choose_stroke_weight, held_out_sets, read_sets
from digitpad.evaluation.honesty import calibrate
from digitpad.evaluation.metrics import Evaluation, evaluate
from digitpad.reading.reader import Reader
from digitpad.reading.store import default_model_path, open_model
from digitpad.drawing.trajectory import TRAJECTORY_SHAPE
from digitpad.errors import TrainingError
from digitpad.training.config import TrainConfig, config_to_args
from digitpad.training.modelcard import build_card, check_outputs, save_model_with_card
from digitpad.training.progress import TrainingCallback
from digitpad.training.trainer import Trainer, TrainResult, read_checkpoint_header
from digitpad.training.stroke_set import build_stroke_training_set
from digitpad.training.training_set import build_training_set

WEIGHT_TRACED = 2000   # traced MNIST digits among the sets that choose a stroke model's weight


CHECKPOINT_SUFFIX = ".ckpt.npz"


def checkpoint_path_for(model_path: Path) -> Path:
    """Where a run writing ``model_path`` keeps its checkpoint (after each epoch, until it ends)."""
    return Path(model_path).with_suffix(CHECKPOINT_SUFFIX)


@dataclass(frozen=True)
class StoppedRun:
    """A training stopped before its end (cancelled, or the program quit): its checkpoint, the model it
    writes, its settings and the last epoch it finished."""
    checkpoint: Path
    model_path: Path
    config: TrainConfig
    epoch: int
    best_val_accuracy: float

    @property
    def name(self) -> str:
        return self.model_path.stem


def stopped_runs(folder: Path) -> list[StoppedRun]:
    """The runs in ``folder`` that can be resumed, the latest first (a damaged checkpoint is left out:
    resuming it would only fail)."""
    runs = []
    for checkpoint in Path(folder).glob(f"*{CHECKPOINT_SUFFIX}"):
        try:
            header = read_checkpoint_header(checkpoint)
            config = TrainConfig(**header["config"])
            runs.append((checkpoint.stat().st_mtime, StoppedRun(
                checkpoint, checkpoint.with_name(checkpoint.name.removesuffix(CHECKPOINT_SUFFIX) + ".npz"), config,
                int(header["epoch"]), float(header["best_val_accuracy"]))))
        except (TrainingError, OSError, KeyError, TypeError, ValueError):
            continue
    return [run for _, run in sorted(runs, key=lambda pair: -pair[0])]


def data_checksums(config: TrainConfig | None = None, strokes: bool = False) -> dict:
    """MD5 of every data source a run read: MNIST's four files and, when used, the pen digits (and UJI's
    eleven files and Omniglot's two zips for a stroke model)."""
    sums = {spec.name: spec.idx_md5 for spec in mnist_idx.ALL_FILES}
    if config is not None and config.pen_digits:
        sums[pendigits.FILE_NAME] = pendigits.FILE_MD5
    if strokes:                              # a stroke model learns from the pen digits, UJI and Omniglot
        sums.update((uji.file_name(w), md5) for w, md5 in uji.FILE_MD5.items())
        sums.update(omniglot.ZIP_MD5)
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
    strokes = trainer.model.input_shape == TRAJECTORY_SHAPE   # a stroke model, fresh or fine-tuned
    if strokes:
        data = build_stroke_training_set(config, callback, data_dir)
    else:
        images, labels = mnist.load_mnist("train", data_dir)
        data = build_training_set(images, labels, config, callback, data_dir)
    started = time.perf_counter()
    result = trainer.fit(data)
    wall = time.perf_counter() - started + sum(h.seconds for h in trainer.history[: trainer.start_epoch - 1])
    if result.status == "diverged" or not result.history:
        return result, None, None
    if keep_if is not None and not keep_if(result):
        return result, None, None
    extra = {"training_set": data.steps, "status": result.status, "best_epoch": result.best_epoch,
             "best_val_accuracy": result.best_val_accuracy}
    if strokes:
        test, more = _stroke_test_and_weight(result.model, callback, data_dir)
        extra.update(more)
    else:
        test_images, test_labels = mnist.load_mnist("test", data_dir)
        if config.normalize_strokes:  # the model is evaluated on images prepared as it was trained
            test_images = normalize_digits(test_images)
        test = evaluate(result.model, to_model_input(test_images), test_labels)
    command = command or "digitpad train " + " ".join(shlex.quote(a) for a in config_to_args(config, out))
    card = build_card(out.stem, result.model, asdict(config), [asdict(h) for h in result.history], test, wall,
                      data_checksums(config, strokes), command, extra=extra)
    save_model_with_card(result.model, out, card)
    if result.status in ("completed", "early-stopped"):
        checkpoint.unlink(missing_ok=True)
    return result, test, out


def _stroke_test_and_weight(model, callback: TrainingCallback | None, data_dir) -> tuple[Evaluation, dict]:
    """A stroke model's test (the measurement writers of every pen source) and its weight beside the
    shipped CNN, chosen on the validation writers' sets (`choose_stroke_weight`)."""
    callback = callback or TrainingCallback()
    x, y = writer_trajectories("measure", data_dir)
    test = evaluate(model, x, y)
    callback.on_message("choosing the stroke model's weight beside the shipped CNN on the validation writers")
    readings = read_sets(held_out_sets("validation", WEIGHT_TRACED, data_dir), open_model(default_model_path()), model)
    weight, means = choose_stroke_weight(readings)
    callback.on_message("calibrating it: temperatures, sure and not-a-digit thresholds on the validation writers")
    calibration = calibrate(Reader(open_model(default_model_path()), strokes=model, stroke_weight=weight), WEIGHT_TRACED,
                            data_dir)
    return test, {
        "calibration": {kind: calibration[kind].to_metadata() for kind in ("strokes", "both")},
        "test_set": f"{len(y):,} digits of the measurement writers of {' and '.join(SOURCES)}",
        "stroke_weight": weight,
        "stroke_weight_chosen_on": {name: {"image": round(r.accuracy(0.0), 4), "strokes": round(r.accuracy(1.0), 4),
                                           "combined": round(r.accuracy(weight), 4), "digits": len(r.labels)}
                                    for name, r in readings.items()},
        "stroke_weight_mean_accuracy": {f"{w:g}": round(m, 5) for w, m in means.items()},
    }


def accuracy_summary(test: Evaluation) -> str:
    return f"test accuracy {test.accuracy:.2%} ({int(np.round((1 - test.accuracy) * test.count))} errors)"
