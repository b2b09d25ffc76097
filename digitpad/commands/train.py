"""`digitpad train`: train a preset or a JSON architecture on MNIST, with a progress bar.

The options that set the config are `digitpad.training.config.OPTIONS` (option ↔ field); this module
only says what each one means (:data:`OPTION_HELP`)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from digitpad import nn
from digitpad.commands.data import mnist_folder
from digitpad.commands.help_format import DefaultsHelpFormatter
from digitpad.commands.outputs import check_output, default_model_output
from digitpad.data import omniglot, pendigits, uji
from digitpad.drawing.network_input import INPUT_SHAPE
from digitpad.errors import TrainingError
from digitpad.training import architectures
from digitpad.reading.store import open_model
from digitpad.training.config import OPTION_NAMES, OPTIONS, PRESETS, SCHEDULES, Option, TrainConfig, preset_config
from digitpad.training.progress import BatchProgress, EpochStats, TrainingCallback
from digitpad.training.run import accuracy_summary, train_and_save
from digitpad.training.trainer import Trainer

DEFAULTS = TrainConfig()


def _default_help(text: str, field: str) -> str:
    quick = PRESETS["quick"].get(field)
    extra = f"; quick: {quick}" if quick is not None and quick != getattr(DEFAULTS, field) else ""
    return f"{text} (default: {getattr(DEFAULTS, field)}{extra})"


def _preset_text(name: str) -> str:
    settings = PRESETS[name]
    return (f"{settings['epochs']} epochs, batch {settings['batch_size']}, {settings['optimizer']} "
            f"{settings['lr']:g}, {settings['schedule']} schedule")


OPTION_HELP: dict[str, dict] = {
    "model": dict(default=DEFAULTS.model, metavar="PRESET|SPEC.json",
                  help=f"a preset ({', '.join(PRESETS)}) or a JSON architecture file; 'quick' comes with its own "
                       f"settings ({_preset_text('quick')}), which the options below override; 'strokes' and "
                       f"'strokes-quick' train a stroke model on real pen trajectories (pendigits and UJI; Omniglot's characters and UJI's letters teach them what is not a digit)"),
    "epochs": dict(help=_default_help("passes over the training images", "epochs")),
    "batch_size": dict(help=_default_help("images per gradient step", "batch_size")),
    "optimizer": dict(help=_default_help("sgd, momentum, nesterov, adagrad, rmsprop, adam or adamw", "optimizer")),
    "lr": dict(help=_default_help("peak learning rate", "lr")),
    "schedule": dict(choices=list(SCHEDULES), help=_default_help(
        "learning-rate schedule, per batch after a warm-up (onecycle: its own rise)", "schedule")),
    "seed": dict(default=DEFAULTS.seed, help="seed of the split, the weights and the batches"),
    "weight_decay": dict(help=_default_help("L2 penalty (decoupled with adamw)", "weight_decay")),
    "dropout": dict(help="dropout rate (default: the preset's)"),
    "batchnorm": dict(help="build the architecture without batch norm"),
    "augment": dict(help="random affine, elastic distortion and stroke-thickness jitter"),
    "normalize_strokes": dict(help="prepare the training images as the app prepares drawings (thin strokes redrawn)"),
    "drawn_digits": dict(metavar="N",
                         help="add N drawings traced from the training digits, rendered with random pen widths "
                              "and prepared as the app prepares drawings (a stroke model: N traced digits "
                              "among its trajectories; default: 0, the stroke presets' own)"),
    "pen_digits": dict(metavar="K",
                       help="add K varied copies of each real pen digit of the 20 training writers (a stroke "
                            "model: of the pen and UJI training writers' digits; default: 0, the stroke presets' own) "
                            "(digitpad download --pendigits); 4 other writers' digits join the validation set"),
    "init": dict(metavar="MODEL", help="start from this model file instead of a fresh architecture, to fine-tune "
                                       "it (default: a fresh architecture)"),
    "val_size": dict(help="hold out this many images instead of a fraction, e.g. 5000 (default: the fraction; "
                          "quick: 5000, or a tenth of --limit when that is fewer)"),
    "val_fraction": dict(help=_default_help(
        "share of the training images held out for validation (the course's 80/20 split)", "val_fraction")),
    "patience": dict(help=_default_help("early stopping: epochs without a better validation accuracy", "patience")),
    "limit": dict(help="train on the first N training images only, validation included (default: all 60,000)"),
}
"""What ``--help`` says of each option of `digitpad.training.config.OPTIONS`, by field, and the defaults and
names argparse shows; an option's value is None unless given (the preset's then)."""


def _kind(option: Option) -> dict:
    """How argparse reads ``option``: a value of its type, or a switch."""
    if option.kind == "on":
        return dict(action="store_true")
    if option.kind == "off":
        return dict(action="store_const", const=False, default=None)
    return dict(type=option.kind, default=None)


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("train", help="train a model on MNIST",
                              description="Train a model on MNIST and save it with its model card.",
                              formatter_class=DefaultsHelpFormatter)
    for option in OPTIONS:
        p.add_argument(option.flag, dest=option.field, **(_kind(option) | OPTION_HELP[option.field]))
    p.add_argument("--data-dir", type=Path, default=None, help="folder with the MNIST files (default: where digitpad finds them, see digitpad download)")
    p.add_argument("--out", type=Path, default=None, help="model file to write (default: a new file in the user models folder)")
    p.add_argument("--force", action="store_true",
                   help="replace --out (and the card beside it) even where it is not a file digitpad wrote")
    p.add_argument("--resume", type=Path, default=None, metavar="CHECKPOINT",
                   help="continue an interrupted run from its .ckpt.npz checkpoint (default: a new run)")
    p.set_defaults(func=run)


def config_from_args(args) -> TrainConfig:
    """The preset's config (`digitpad.training.config.preset_config`) with every option the user gave on top."""
    given = {option.field: getattr(args, option.field) for option in OPTIONS if option.field != "model"}
    return preset_config(args.model, **{field: value for field, value in given.items() if value is not None})


class ConsoleProgress(TrainingCallback):
    """Epoch lines and a live batch bar (redrawn in place on a terminal, every ~10 % otherwise), and the
    messages of the steps around them.  The trainer's own last message, once its epochs have begun, is
    the run's outcome, which `run` prints (`outcome`): it is not echoed here too."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty()
        self.last_draw = 0.0
        self.last_tenth = -1
        self.fitting = False   # between the trainer's start and its outcome

    def on_train_begin(self, info):
        self.fitting = True
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
        if self.fitting:      # the trainer's outcome: `run` prints it
            self.fitting = False
            return
        self.stream.write(text + "\n")


def outcome(result) -> str:
    """The run's last line: its status and the trainer's message."""
    return f"{result.status}: {result.message}"


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else f"{seconds // 60}:{seconds % 60:02d}"


def starting_model(config: TrainConfig, resume: Path | None) -> nn.Sequential:
    """The model a run starts from, read or built only to check the arguments that name it (the
    architecture, ``--init``, ``--resume``) before any data is loaded."""
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
    if config.pen_digits or model.input_shape != INPUT_SHAPE:
        pendigits.load_pendigits(args.data_dir)
    if model.input_shape != INPUT_SHAPE:      # a stroke model learns from the pen digits, UJI's and Omniglot's
        uji.load_uji(args.data_dir)
        omniglot.load_omniglot(args.data_dir)
    mnist_folder(args.data_dir, download=True)
    result, test, saved = train_and_save(config, out, data_dir=args.data_dir, callback=ConsoleProgress(),
                                         resume=args.resume)
    if result.status == "diverged":
        raise TrainingError(result.message)
    print(outcome(result))
    if saved:
        print(f"{accuracy_summary(test)}; saved {saved} and its model card")
    return 0 if result.status != "cancelled" else 130
