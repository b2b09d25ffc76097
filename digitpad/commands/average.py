"""`digitpad average A B [...] --out C`: average the weights of a model and its fine-tunes (a "model
soup", see `digitpad.nn.averaging`), evaluate the result on the MNIST test set next to its ingredients,
and save it with a model card whose command rebuilds it from scratch."""

from __future__ import annotations

import json
import shlex
import time
from pathlib import Path

from digitpad import nn
from digitpad.data import mnist
from digitpad.errors import DigitpadError
from digitpad.evaluation.metrics import evaluate
from digitpad.training.model_store import resolve
from digitpad.training.modelcard import build_card, card_paths, metadata_from_card, write_card
from digitpad.training.run import accuracy_summary, data_checksums
from digitpad.training.trainer import to_input


def register_cli(subparsers) -> None:
    p = subparsers.add_parser(
        "average", help="average the weights of a model and its fine-tunes (model soup)",
        description="Average the weights of a model and models fine-tuned from it, evaluate the "
                    "average on the MNIST test set and save it with its model card.")
    p.add_argument("models", nargs="+", help="two or more model files or names, of one architecture")
    p.add_argument("--weights", nargs="+", type=float, default=None, metavar="W",
                   help="one non-negative weight per model (default: equal)")
    p.add_argument("--out", type=Path, required=True, help="model file to write")
    p.add_argument("--note", default=None, help="a remark for the model card (provenance, caveats)")
    p.add_argument("--data-dir", type=Path, default=None, help="folder with the MNIST files")
    p.set_defaults(func=run, parser=p)


def recipe(ingredients: list[dict], command: str) -> str:
    """The shell commands that rebuild an average: each ingredient's own recipe (in order, each
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
    else the metadata in its model file."""
    try:
        card = json.loads(card_paths(path)[0].read_text())
    except (OSError, ValueError):
        card = {}
    if not isinstance(card, dict):
        card = {}
    known = {key: card.get(key, model.metadata.get(key)) for key in INGREDIENT_KEYS}
    return {"path": str(path), **{key: value for key, value in known.items() if value is not None}}


def run(args) -> int:
    if len(args.models) < 2:
        args.parser.error(f"give at least 2 models to average, got {len(args.models)}")
    if args.weights is not None and (len(args.weights) != len(args.models) or min(args.weights) < 0
                                     or sum(args.weights) <= 0):
        args.parser.error(f"--weights needs {len(args.models)} non-negative numbers with a positive sum, "
                          f"got {' '.join(map(str, args.weights))}")
    started = time.perf_counter()
    paths = [resolve(name) for name in args.models]
    models = [nn.load_model(path) for path in paths]
    try:
        average = nn.average_models(models, args.weights)
    except DigitpadError as exc:
        raise DigitpadError(f"{' + '.join(map(str, paths))}: {exc}") from None
    images, labels = mnist.load_mnist("test", args.data_dir)
    x = to_input(images)
    for path, model in zip(paths, models):
        print(f"{path}: {accuracy_summary(evaluate(model, x, labels))}")
    test = evaluate(average, x, labels)

    command = "digitpad average " + " ".join(shlex.quote(str(p)) for p in paths)
    if args.weights is not None:
        command += " --weights " + " ".join(f"{w:g}" for w in args.weights)
    if args.note:
        command += f" --note {shlex.quote(args.note)}"
    command += f" --out {shlex.quote(str(args.out))}"
    ingredients = [ingredient(path, model) for path, model in zip(paths, models)]
    settings = {"average_of": [str(p) for p in paths], "weights": args.weights or "equal"}
    card = build_card(
        args.out.stem, average, settings, [], test,
        sum(float(m.get("wall_time_s", 0)) for m in ingredients) + time.perf_counter() - started,
        data_checksums(), recipe(ingredients, command),
        extra={"epochs_run": sum(int(m.get("epochs_run", 0)) for m in ingredients),
               "ingredients": ingredients,
               "notes": "weights averaged from " + " and ".join(map(str, paths))
                        + " (digitpad average; see digitpad.nn.averaging)" + (f". {args.note}" if args.note else "")})
    average.metadata = metadata_from_card(card)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        average.save(args.out)
        write_card(args.out, card)
    except OSError as exc:  # a folder that cannot be made, a card that cannot be written
        raise DigitpadError(f"{args.out}: cannot save the average there ({exc.strerror or exc})") from None
    print(f"average: {accuracy_summary(test)}; saved {args.out} and its model card")
    return 0
