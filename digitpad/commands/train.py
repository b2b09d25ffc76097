"""`digitpad train`: train a preset or a JSON architecture on MNIST, with a progress bar."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from digitpad import nn
from digitpad.commands.data import mnist_folder
from digitpad.commands.help_format import DefaultsHelpFormatter
from digitpad.commands.outputs import check_output, default_model_output
from digitpad.data import pendigits
from digitpad.errors import TrainingError
from digitpad.training import architectures
from digitpad.training.model_store import open_model
from digitpad.training.presets import RECIPES, preset_config
from digitpad.training.run import accuracy_summary, train_and_save
from digitpad.training.trainer import SCHEDULES, BatchProgress, EpochStats, TrainConfig, Trainer, TrainingCallback

DEFAULTS = TrainConfig()


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("train", help="train a model on MNIST",
                              description="Train a model on MNIST and save it with its model card.",
                              formatter_class=DefaultsHelpFormatter)
    p.add_argument("--model", default="convnet", metavar="PRESET|SPEC.json",
                   help=f"a preset ({', '.join(architectures.PRESETS)}) or a JSON architecture file; 'quick' "
                        f"comes with its own recipe ({_recipe_text('quick')}), which the options below override")
    p.add_argument("--epochs", type=int, default=None, help=_default_help("passes over the training images", "epochs"))
    p.add_argument("--batch-size", type=int, default=None, help=_default_help("images per gradient step", "batch_size"))
    p.add_argument("--optimizer", default=None,
                   help=_default_help("sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw", "optimizer"))
    p.add_argument("--lr", type=float, default=None, help=_default_help("peak learning rate", "lr"))
    p.add_argument("--schedule", default=None, choices=list(SCHEDULES),
                   help=_default_help("learning-rate schedule, per batch after a warm-up (onecycle: its own rise)", "schedule"))
    p.add_argument("--weight-decay", type=float, default=None,
                   help=_default_help("L2 penalty (decoupled with adamw)", "weight_decay"))
    p.add_argument("--dropout", type=float, default=None, help="dropout rate (default: the preset's)")
    p.add_argument("--no-batchnorm", action="store_true", help="build the preset without batch norm")
    p.add_argument("--augment", action="store_true", help="random affine, elastic distortion and stroke-thickness jitter")
    p.add_argument("--drawn", type=int, default=0, metavar="N",
                   help="add N drawings traced from the training digits, rendered with random pen widths "
                        "and prepared as the app prepares drawings")
    p.add_argument("--pen-digits", type=int, default=0, metavar="K",
                   help="add K varied copies of each real pen digit of the 20 training writers "
                        "(digitpad download --pendigits); 4 other writers' digits join the validation set")
    p.add_argument("--init", default=None, metavar="MODEL",
                   help="start from this model file instead of a fresh preset, to fine-tune it (default: a fresh preset)")
    p.add_argument("--normalize-strokes", action="store_true",
                   help="prepare the training images as the app prepares drawings (thin strokes redrawn)")
    p.add_argument("--val-fraction", type=float, default=None,
                   help=_default_help("share of the training images held out for validation (the course's 80/20 split)",
                                      "val_fraction"))
    p.add_argument("--val-size", type=int, default=None,
                   help="hold out this many images instead, e.g. 5000 (default: the fraction; quick: 5000)")
    p.add_argument("--patience", type=int, default=None,
                   help=_default_help("early stopping: epochs without a better validation accuracy", "patience"))
    p.add_argument("--seed", type=int, default=DEFAULTS.seed, help="seed of the split, the weights and the batches")
    p.add_argument("--limit", type=int, default=None, help="train on the first N training images only (default: all 60,000)")
    p.add_argument("--data-dir", type=Path, default=None, help="folder with the MNIST files (default: where digitpad finds them, see digitpad download)")
    p.add_argument("--out", type=Path, default=None, help="model file to write (default: a new file in the user models folder)")
    p.add_argument("--force", action="store_true",
                   help="replace --out (and the card beside it) even where it is not a file digitpad wrote")
    p.add_argument("--resume", type=Path, default=None, metavar="CHECKPOINT",
                   help="continue an interrupted run from its .ckpt.npz checkpoint (default: a new run)")
    p.set_defaults(func=run)


def _default_help(text: str, field: str) -> str:
    quick = RECIPES["quick"].get(field)
    extra = f"; quick: {quick}" if quick is not None and quick != getattr(DEFAULTS, field) else ""
    return f"{text} (default: {getattr(DEFAULTS, field)}{extra})"


def _recipe_text(name: str) -> str:
    recipe = RECIPES[name]
    return (f"{recipe['epochs']} epochs, batch {recipe['batch_size']}, {recipe['optimizer']} {recipe['lr']:g}, "
            f"{recipe['schedule']} schedule")


OPTION_NAMES = {"epochs": "--epochs", "batch_size": "--batch-size", "lr": "--lr", "weight_decay": "--weight-decay",
                "dropout": "--dropout", "val_fraction": "--val-fraction", "val_size": "--val-size", "limit": "--limit",
                "patience": "--patience", "drawn_digits": "--drawn", "pen_digits": "--pen-digits", "seed": "--seed"}
"""The option of each setting that `TrainConfig.validate` checks, so that its messages name it."""


def config_from_args(args) -> TrainConfig:
    """The preset's configuration (`digitpad.training.presets`) with every option the user gave on top."""
    given = {"epochs": args.epochs, "batch_size": args.batch_size, "optimizer": args.optimizer, "lr": args.lr,
             "schedule": args.schedule, "weight_decay": args.weight_decay, "val_fraction": args.val_fraction,
             "val_size": args.val_size, "patience": args.patience}
    explicit = {key: value for key, value in given.items() if value is not None}
    return preset_config(args.model, **explicit, dropout=args.dropout, batchnorm=False if args.no_batchnorm else None,
                         augment=args.augment, normalize_strokes=args.normalize_strokes, drawn_digits=args.drawn,
                         pen_digits=args.pen_digits, init=args.init, seed=args.seed, limit=args.limit)


class ConsoleProgress(TrainingCallback):
    """Epoch lines and a live batch bar (redrawn in place on a terminal, every ~10 % otherwise)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.last_draw = 0.0
        self.last_tenth = -1

    def on_train_begin(self, info):
        self.stream.write(f"{info['summary']}\ntraining on {info['train']:,} images, validating on "
                          f"{info['validation']:,}, {info['batches']} batches per epoch\n")

    def on_batch_end(self, p: BatchProgress):
        now = time.monotonic()
        tenth = p.batch * 10 // p.batches
        if self.live and (now - self.last_draw > 0.2 or p.batch == p.batches):
            self.last_draw = now
            filled = p.batch * 24 // p.batches
            self.stream.write(f"\repoch {p.epoch}/{p.epochs} [{'#' * filled}{'.' * (24 - filled)}] {p.batch}/{p.batches} "
                              f"loss {p.loss:.4f} acc {p.accuracy:.2%} {p.samples_per_s:,.0f} samples/s "
                              f"ETA {_duration(p.eta_s)}  ")
            self.stream.flush()
        elif not self.live and tenth != self.last_tenth and tenth < 10:
            self.last_tenth = tenth
            self.stream.write(f"epoch {p.epoch}/{p.epochs} {p.batch}/{p.batches} loss {p.loss:.4f} acc {p.accuracy:.2%} "
                              f"{p.samples_per_s:,.0f} samples/s ETA {_duration(p.eta_s)}\n")
            self.stream.flush()

    def on_epoch_end(self, s: EpochStats):
        self.last_tenth = -1
        self.stream.write(("\r" if self.live else "") +
                          f"epoch {s.epoch}: train loss {s.train_loss:.4f} acc {s.train_accuracy:.2%} | "
                          f"val loss {s.val_loss:.4f} acc {s.val_accuracy:.2%} | lr {s.lr:.2e} | {s.seconds:.0f} s"
                          f"{'  (best)' if s.best else ''}".ljust(100) + "\n")
        self.stream.flush()

    def on_message(self, text):
        self.stream.write(text + "\n")


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else f"{seconds // 60}:{seconds % 60:02d}"


def starting_model(config: TrainConfig, resume: Path | None) -> nn.Sequential:
    """The model a run starts from, read or built only to check the arguments that name it (the
    preset or architecture file, ``--init``, ``--resume``) before any data is loaded."""
    if resume is not None:
        return Trainer.resume(resume, epochs=config.epochs).model
    if config.init:
        return open_model(config.init)
    return architectures.build(config.model, config.dropout, config.batchnorm)


def run(args) -> int:
    """Every argument is checked before any work: the numbers, the model to start from, the output
    paths, the pen digits if asked for; then the data is found (or downloaded) and said, then trained."""
    config = config_from_args(args)
    config.validate(OPTION_NAMES)
    model = starting_model(config, args.resume)
    out = args.out or default_model_output(Path(args.model).stem)
    # the model file, and a checkpoint of the weights, the best weights and two optimiser moments
    check_output(out, "model", force=args.force, model=True, need_bytes=5 * 4 * model.parameter_count() + 2**20)
    if config.pen_digits:
        pendigits.load_pendigits(args.data_dir)
    mnist_folder(args.data_dir, download=True)
    result, test, saved = train_and_save(config, out, data_dir=args.data_dir, callback=ConsoleProgress(),
                                         resume=args.resume)
    if result.status == "diverged":
        raise TrainingError(result.message)
    print(f"{result.status}: {result.message}")
    if saved:
        print(f"{accuracy_summary(test)}; saved {saved} and its model card")
    return 0 if result.status != "cancelled" else 130
