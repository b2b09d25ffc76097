"""`digitpad average A B [...] --out C`: average the weights of a model and its fine-tunes (a "model
soup", see `digitpad.nn.averaging`), evaluate the result on the MNIST test set next to its ingredients,
and save it with a model card whose command rebuilds it from scratch."""

from __future__ import annotations

import math
import shlex
import sys
import time
from pathlib import Path

from digitpad import nn
from digitpad.commands.data import mnist_folder
from digitpad.commands.outputs import check_output
from digitpad.data import mnist
from digitpad.drawing.network_input import to_model_input
from digitpad.errors import DigitpadError
from digitpad.evaluation.metrics import evaluate
from digitpad.reading.store import open_model, resolve
from digitpad.training.modelcard import build_card, card_fields, read_card, save_model_with_card
from digitpad.training.run import accuracy_summary, data_checksums


def register_cli(subparsers) -> None:
    p = subparsers.add_parser(
        "average", help="average the weights of a model and its fine-tunes (model soup)",
        description="Average the weights of a model and models fine-tuned from it, evaluate the "
                    "average on the MNIST test set and save it with its model card.")
    p.add_argument("models", nargs="+", help="two or more model files or names, of one architecture")
    p.add_argument("--weights", nargs="+", type=float, default=None, metavar="W",
                   help="one non-negative weight per model (default: equal)")
    p.add_argument("--out", type=Path, required=True, help="model file to write")
    p.add_argument("--force", action="store_true",
                   help="replace --out (and the card beside it) even where it is not a file digitpad wrote")
    p.add_argument("--note", default=None, help="a remark for the model card (provenance, caveats)")
    p.add_argument("--data-dir", type=Path, default=None, help="folder with the MNIST files")
    p.set_defaults(func=run)


def rebuild_command(ingredients: list[dict], command: str) -> str:
    """The shell commands that rebuild an average: each ingredient's own commands (in order, each
    step once), then ``command``."""
    steps: list[str] = []
    for metadata in ingredients:
        for step in str(metadata.get("command", "")).split(" && "):
            if step and step not in steps:
                steps.append(step)
    return " && ".join([*steps, command])


INGREDIENT_KEYS = ("name", "created", "test_accuracy", "command", "training", "epochs_run", "wall_time_s",
                   "best_epoch", "best_val_accuracy", "history")


def ingredient(path: Path, model: nn.Sequential) -> dict:
    """What the average's card keeps of one ingredient: its own card (beside it) where there is one,
    else the metadata in its model file, each field checked (`modelcard.card_fields`: a wall time of
    "abc" is absent, not a crash).  A card that cannot be used is said on stderr."""
    card, problem = read_card(path)
    if problem:
        print(f"digitpad: note: {problem}", file=sys.stderr)
    known = {**card_fields(model.metadata), **(card or {})}
    return {"path": str(path), **{key: known[key] for key in INGREDIENT_KEYS if key in known}}


def check_weights(weights: list[float] | None, count: int) -> None:
    """One finite non-negative weight per model, with a positive sum that is a number too (1e308 twice
    would sum to infinity and average to an all-zero model); one line otherwise."""
    if weights is None:
        return
    if (len(weights) != count or not all(math.isfinite(w) and w >= 0 for w in weights)
            or not 0 < sum(weights) < math.inf):
        raise DigitpadError(f"--weights needs {count} finite non-negative numbers with a positive, finite sum, "
                            f"got {' '.join(f'{w:g}' for w in weights)}")


def run(args) -> int:
    """Every argument (the numbers, the models and their cards, the output, the data folder) is
    checked before the evaluation."""
    if len(args.models) < 2:
        raise DigitpadError(f"give at least 2 models to average, got {len(args.models)}")
    check_weights(args.weights, len(args.models))
    started = time.perf_counter()
    paths = [resolve(name) for name in args.models]
    models = [open_model(path) for path in paths]
    try:
        average = nn.average_models(models, args.weights)
    except DigitpadError as exc:
        raise DigitpadError(f"{' + '.join(map(str, paths))}: {exc}") from None
    check_output(args.out, "model", force=args.force, model=True, need_bytes=4 * average.parameter_count() + 2**20)
    ingredients = [ingredient(path, model) for path, model in zip(paths, models)]
    images, labels = mnist.load_mnist("test", mnist_folder(args.data_dir, "test"))
    x = to_model_input(images)
    for path, model in zip(paths, models):
        print(f"{path}: {accuracy_summary(evaluate(model, x, labels))}")
    test = evaluate(average, x, labels)

    command = "digitpad average " + " ".join(shlex.quote(str(p)) for p in paths)
    if args.weights is not None:
        command += " --weights " + " ".join(f"{w:g}" for w in args.weights)
    if args.note:
        command += f" --note {shlex.quote(args.note)}"
    command += f" --out {shlex.quote(str(args.out))}"
    settings = {"average_of": [str(p) for p in paths], "weights": args.weights or "equal"}
    card = build_card(
        args.out.stem, average, settings, [], test,
        sum(float(m.get("wall_time_s", 0)) for m in ingredients) + time.perf_counter() - started,
        data_checksums(), rebuild_command(ingredients, command),
        extra={"epochs_run": sum(int(m.get("epochs_run", 0)) for m in ingredients),
               "ingredients": ingredients,
               "notes": "weights averaged from " + " and ".join(map(str, paths))
                        + " (digitpad average; see digitpad.nn.averaging)" + (f". {args.note}" if args.note else "")})
    save_model_with_card(average, args.out, card)   # a failed write: one line, as for training and fine-tuning
    print(f"average: {accuracy_summary(test)}; saved {args.out} and its model card")
    return 0
