"""How to train: shuffled mini-batches, a learning-rate schedule, early stopping on the validation
accuracy, the best weights kept, resumable checkpoints saved atomically, divergence detected, and a
reproducible seed.  What to train on is a :class:`~digitpad.training.training_set.TrainingSet`, what to
train with a :class:`~digitpad.training.config.TrainConfig`.

The CLI, the app and the fine-tune drive the same :class:`Trainer`.  It reports through a
:class:`TrainingCallback` and checks ``cancel()`` between batches, so a cancel stops within one
batch and loses nothing already saved.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from digitpad import nn
from digitpad.atomic import atomic_write
from digitpad.data.augment import Augmenter
from digitpad.drawing.network_input import SIDE, to_model_input
from digitpad.errors import ArchitectureError, ModelFileError, TrainingError
from digitpad.training import architectures
from digitpad.reading.store import open_model, unfit
from digitpad.training.config import TrainConfig
from digitpad.training.progress import BatchProgress, EpochStats, TrainingCallback
from digitpad.training.training_set import TrainingSet

CHECKPOINT_HEADER = "__header__"   # the checkpoint's JSON header array; the others: model.*, best.*, optim.*
# A batch's mean cross-entropy above this means training blew up even if the numbers stay finite (batch norm
# can keep huge weights finite): an untrained model starts near ln 10 = 2.3.
DIVERGED_LOSS = 1e3


ONECYCLE_RISE = 0.25       # share of the steps over which the one-cycle rate rises to its peak


@dataclass
class TrainResult:
    model: nn.Sequential
    status: str                                  # completed, early-stopped, cancelled, diverged
    message: str
    history: list[EpochStats] = field(default_factory=list)
    best_epoch: int = 0
    best_val_accuracy: float = 0.0
    seconds: float = 0.0


def read_checkpoint_header(path: Path) -> dict:
    """A checkpoint's JSON header alone (its epoch, config, history; no array read): bounded like
    :func:`_read_checkpoint`, :class:`TrainingError` naming the file otherwise."""
    from digitpad.nn.io import ModelArchive

    try:
        with ModelArchive(path, "training checkpoint", CHECKPOINT_HEADER) as archive:
            header = archive.header()
    except ModelFileError as exc:
        raise TrainingError(f"{path}: not a readable training checkpoint ({str(exc).removeprefix(f'{path}: ')})") from None
    if not isinstance(header, dict) or header.get("format") != "digitpad-checkpoint":
        raise TrainingError(f"{path}: not a digitpad training checkpoint")
    return header


def _read_checkpoint(path: Path) -> tuple[dict, nn.Sequential, dict[str, np.ndarray]]:
    """The JSON header of a checkpoint, the model its architecture describes (not yet loaded) and the
    checkpoint's arrays, read through the bounded model-archive reader: the architecture is bounded
    and built first, and every array must have the shape it gives before any array is read, so a small
    damaged file cannot make us allocate gigabytes."""
    from digitpad.nn.io import ModelArchive

    try:
        with ModelArchive(path, "training checkpoint", CHECKPOINT_HEADER) as archive:
            header = archive.header()
            if not isinstance(header, dict) or header.get("format") != "digitpad-checkpoint":
                raise TrainingError(f"{path}: not a digitpad training checkpoint")
            archive.check_size(header.get("architecture"))
            model = nn.build_model(header.get("architecture"), source=str(path))
            problem = unfit(model)
            if problem:
                archive.fail(problem)
            shapes = {name: value.shape for name, value in model.state().items()}
            params = model.parameters()
            expected = {f"model.{name}": shape for name, shape in shapes.items()}
            if any(key.startswith("best.") for key in archive.arrays):
                expected.update({f"best.{name}": shape for name, shape in shapes.items()})
            for key in archive.arrays:  # optim.<parameter index>.<state name>: the parameter's shape
                prefix, index, name = (key.split(".", 2) + ["", ""])[:3]
                if prefix == "optim" and index.isdigit() and int(index) < len(params) and name:
                    expected[key] = params[int(index)].value.shape
            arrays = archive.read_arrays(expected)
    except (ModelFileError, ArchitectureError) as exc:
        raise TrainingError(f"{path}: not a readable training checkpoint ({str(exc).removeprefix(f'{path}: ')})") from None
    return header, model, arrays


VALIDATION_LOSS = nn.CrossEntropy(eps=1e-12)
"""The validation loss, on the probabilities a model gives (whatever its last layer)."""


def evaluate_loss_accuracy(model: nn.Sequential, x: np.ndarray, y: np.ndarray, batch_size: int = 1000) -> tuple[float, float]:
    """Mean cross-entropy and accuracy in eval mode."""
    probs = model.predict_proba(x, batch_size)
    return float(np.mean(VALIDATION_LOSS.per_sample(probs, y))), float(np.mean(probs.argmax(axis=1) == y))


def make_schedule(cfg: TrainConfig, optimizer, batches_per_epoch: int) -> nn.Schedule:
    """The learning-rate schedule of ``cfg`` over its epochs, per batch (it sets ``optimizer.lr``)."""
    warmup = int(cfg.warmup_epochs * batches_per_epoch)
    total = cfg.epochs * batches_per_epoch
    if cfg.schedule == "onecycle":   # its own rise replaces the warm-up
        return nn.OneCycleLR(optimizer, total, warmup_fraction=ONECYCLE_RISE)
    if cfg.schedule == "cosine":
        return nn.CosineLR(optimizer, total, warmup_steps=warmup, min_lr=cfg.lr * 0.01)
    if cfg.schedule == "step":
        return nn.StepLR(optimizer, step_size=max(total // 3, 1), gamma=0.1, warmup_steps=warmup)
    return nn.ConstantLR(optimizer, warmup_steps=warmup)


def _network_input(x: np.ndarray) -> np.ndarray:
    """A batch as the network takes it: 28x28 digits through `to_model_input`; trajectories (a stroke
    model's training set) as they are."""
    return to_model_input(x) if x.shape[1:] == (SIDE, SIDE) else x



def epochs_text(n: int) -> str:
    """``n`` epochs in words: "1 epoch", "3 epochs" (the CLI's messages; the app writes its own, translated)."""
    return f"{n} epoch" if n == 1 else f"{n} epochs"

class Trainer:
    """Trains one model on uint8 images (N, 28, 28), or a stroke model on float32 trajectories
    (N, channels, length), and labels (N,)."""

    def __init__(self, config: TrainConfig, model: nn.Sequential | None = None,
                 callback: TrainingCallback | None = None, cancel: Callable[[], bool] | None = None,
                 checkpoint_path: str | Path | None = None):
        config.validate()
        self.config = config
        if model is None and config.init:
            model = open_model(config.init)
        self.model = model if model is not None else architectures.build(
            config.model, config.dropout, config.batchnorm, seed=config.seed)
        self.model.needs_input_grad = False  # nothing needs dLoss/d(image): skip the first layer's dx
        self.callback = callback or TrainingCallback()
        self.cancel = cancel or (lambda: False)
        self.checkpoint_path = Path(checkpoint_path) if checkpoint_path else None
        self.loss = nn.SoftmaxCrossEntropy()
        self.optimizer = nn.make_optimizer(config.optimizer, self.model.parameters(), config.lr, config.weight_decay)
        self.augmenter: Augmenter | None = None   # the training set's (``fit``)
        self.rng = np.random.default_rng(config.seed + 1)
        self.history: list[EpochStats] = []
        self.start_epoch = 1
        self.best_state: dict[str, np.ndarray] | None = None
        self.best_val_accuracy, self.best_epoch = -1.0, 0

    # --- the loop ----------------------------------------------------------------------------
    def fit(self, data: TrainingSet) -> TrainResult:
        """Train on ``data`` (from :func:`digitpad.training.training_set.build_training_set`)."""
        cfg = self.config
        x_train, y_train = data.x_train, data.y_train
        x_val, y_val = _network_input(data.x_val), data.y_val
        weights = data.weights
        self.augmenter = data.augmenter
        batches = int(np.ceil(len(x_train) / cfg.batch_size))
        schedule = self._schedule(batches)
        for _ in range((self.start_epoch - 1) * batches):
            schedule.step()
        self.callback.on_train_begin({
            "train": len(x_train), "validation": len(x_val), "epochs": cfg.epochs, "batches": batches,
            "parameters": self.model.parameter_count(), "summary": self.model.summary(), "start_epoch": self.start_epoch})
        started, status, message = time.perf_counter(), "completed", ""
        samples_done, samples_total = 0, (cfg.epochs - self.start_epoch + 1) * len(x_train)
        with ThreadPoolExecutor(max_workers=1) as prefetcher:
            for epoch in range(self.start_epoch, cfg.epochs + 1):
                epoch_start = time.perf_counter()
                self.model.train()
                self._seed_dropout(epoch)
                order = self.rng.permutation(len(x_train))
                batch_slices = [order[i:i + cfg.batch_size] for i in range(0, len(order), cfg.batch_size)]
                pending = prefetcher.submit(self._prepare, x_train, batch_slices[0], epoch)
                loss_sum, correct, seen = 0.0, 0, 0
                good_state = {k: v.copy() for k, v in self.model.state().items()}
                for b, idx in enumerate(batch_slices, 1):
                    if self.cancel():
                        status, message = "cancelled", f"cancelled in epoch {epoch}, batch {b}"
                        break
                    x = pending.result()
                    if b < len(batch_slices):
                        pending = prefetcher.submit(self._prepare, x_train, batch_slices[b], epoch)
                    y = y_train[idx]
                    logits = self.model.forward(x)
                    value, grad = self.loss(logits, y) if weights is None else self.loss.weighted(logits, y, weights[idx])
                    if not np.isfinite(value) or value > DIVERGED_LOSS:
                        self.model.load_state(good_state)
                        status = "diverged"
                        message = (f"training diverged in epoch {epoch}, batch {b} (loss is {value:.3g}); "
                                   f"the last good weights were kept; try a lower learning rate than {cfg.lr:g}")
                        break
                    self.model.backward(grad)
                    self.optimizer.step()
                    schedule.step()
                    loss_sum += value * len(idx)
                    correct += int(np.sum(logits.argmax(axis=1) == y))
                    seen += len(idx)
                    samples_done += len(idx)
                    elapsed = time.perf_counter() - started
                    rate = samples_done / max(elapsed, 1e-9)
                    self.callback.on_batch_end(BatchProgress(
                        epoch, cfg.epochs, b, batches, loss_sum / seen, correct / seen, rate,
                        (samples_total - samples_done) / max(rate, 1e-9)))
                if status != "completed":
                    break
                val_loss, val_acc = evaluate_loss_accuracy(self.model, x_val, y_val)
                stats = EpochStats(epoch, loss_sum / seen, correct / seen, val_loss, val_acc,
                                   self.optimizer.lr, time.perf_counter() - epoch_start)
                if val_acc > self.best_val_accuracy:
                    stats.best = True
                    self.best_val_accuracy, self.best_epoch = val_acc, epoch
                    self.best_state = {k: v.copy() for k, v in self.model.state().items()}
                self.history.append(stats)
                self.callback.on_epoch_end(stats)
                if self.checkpoint_path:
                    self.save_checkpoint(self.checkpoint_path, epoch)
                if epoch - self.best_epoch >= cfg.patience and epoch < cfg.epochs:
                    status = "early-stopped"
                    message = (f"stopped after epoch {epoch}: no better validation accuracy for "
                               f"{epochs_text(cfg.patience)}")
                    break
        if self.best_state is not None and status != "cancelled":
            self.model.load_state(self.best_state)
        self.model.eval()
        if status == "completed":
            message = f"finished {epochs_text(cfg.epochs)}"
        if self.best_epoch:
            message += f"; best validation accuracy {self.best_val_accuracy:.2%} at epoch {self.best_epoch}"
        self.callback.on_message(message)
        return TrainResult(self.model, status, message, list(self.history), self.best_epoch,
                           max(self.best_val_accuracy, 0.0), time.perf_counter() - started)

    def _prepare(self, x_train: np.ndarray, idx: np.ndarray, epoch: int) -> np.ndarray:
        """One batch as model input, augmented if configured (runs in the prefetch thread).

        The augmentation generator is derived from the seed, the epoch and the batch's first index,
        so the result does not depend on thread timing and a resumed run repeats it exactly."""
        batch = _network_input(x_train[idx])
        if self.augmenter is not None:   # it takes (N, 28, 28)
            batch = self.augmenter(batch[:, 0], np.random.default_rng([self.config.seed, epoch, int(idx[0])]))[:, None]
        return batch

    def _seed_dropout(self, epoch: int) -> None:
        """Dropout masks drawn from (seed, epoch, layer): a resumed run repeats them exactly."""
        for i, layer in enumerate(self.model.layers):
            if isinstance(layer, nn.Dropout):
                layer.rng = np.random.default_rng([self.config.seed, epoch, i])

    def _schedule(self, batches_per_epoch: int) -> nn.Schedule:
        return make_schedule(self.config, self.optimizer, batches_per_epoch)

    # --- checkpoints ---------------------------------------------------------------------------
    def save_checkpoint(self, path: Path, epoch: int) -> None:
        """Everything needed to resume after ``epoch``: weights, optimiser state, best weights,
        history, generator state.  Plain arrays and JSON (no pickle), written atomically."""
        arrays = {f"model.{k}": v for k, v in self.model.state().items()}
        if self.best_state is not None:
            arrays.update({f"best.{k}": v for k, v in self.best_state.items()})
        for i, param in enumerate(self.optimizer.params):
            for name, value in self.optimizer.state[param].items():
                arrays[f"optim.{i}.{name}"] = value
        header = {"format": "digitpad-checkpoint", "version": 1, "epoch": epoch,
                  "optimizer_steps": self.optimizer.steps, "config": asdict(self.config),
                  "architecture": self.model.config(), "history": [asdict(h) for h in self.history],
                  "best_epoch": self.best_epoch, "best_val_accuracy": self.best_val_accuracy,
                  "rng": self.rng.bit_generator.state}
        arrays[CHECKPOINT_HEADER] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
        try:
            with atomic_write(path, "wb") as f:
                np.savez(f, **arrays)
        except OSError as exc:  # disk full, read-only folder: the previous checkpoint stays intact
            raise TrainingError(f"{path}: cannot save the training checkpoint ({exc.strerror or exc})") from None

    @classmethod
    def resume(cls, path: str | Path, callback: TrainingCallback | None = None,
               cancel: Callable[[], bool] | None = None, epochs: int | None = None) -> "Trainer":
        """A trainer that continues from a checkpoint written by :meth:`save_checkpoint`."""
        path = Path(path)
        header, model, arrays = _read_checkpoint(path)
        try:
            return cls._restore(path, header, model, arrays, callback, cancel, epochs)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise TrainingError(f"{path}: damaged training checkpoint ({type(exc).__name__}: {exc})") from None

    @classmethod
    def _restore(cls, path: Path, header: dict, model: nn.Sequential, arrays: dict[str, np.ndarray], callback, cancel,
                 epochs) -> "Trainer":
        config = TrainConfig(**header["config"])
        if epochs is not None:
            config.epochs = epochs
        model.load_state({k[len("model."):]: v for k, v in arrays.items() if k.startswith("model.")})
        trainer = cls(config, model=model, callback=callback, cancel=cancel, checkpoint_path=path)
        for i, param in enumerate(trainer.optimizer.params):
            for key, value in arrays.items():
                if key.startswith(f"optim.{i}."):
                    trainer.optimizer.state[param][key.split(".", 2)[2]] = value
        trainer.optimizer.steps = header["optimizer_steps"]
        best = {k[len("best."):]: v for k, v in arrays.items() if k.startswith("best.")}
        trainer.best_state = best or None
        trainer.best_epoch, trainer.best_val_accuracy = header["best_epoch"], header["best_val_accuracy"]
        trainer.history = [EpochStats(**h) for h in header["history"]]
        trainer.rng.bit_generator.state = header["rng"]
        trainer.start_epoch = header["epoch"] + 1
        return trainer
