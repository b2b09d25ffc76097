"""`digitpad evaluate MODEL`: accuracy, per-digit accuracy and the most frequent confusions on the
MNIST test set, optionally a confusion-matrix PNG."""

from __future__ import annotations

import json
from pathlib import Path

from digitpad.atomic import atomic_write_text
from digitpad.commands.data import mnist_folder
from digitpad.commands.outputs import check_output, saving
from digitpad.data import mnist
from digitpad.drawing.network_input import to_model_input
from digitpad.evaluation.metrics import evaluate, format_report, save_confusion_png
from digitpad.reading.store import open_model, resolve


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("evaluate", help="evaluate a model on the MNIST test set",
                              description="Evaluate a model on the 10,000 MNIST test images.")
    p.add_argument("model", help="model file or name (cnn, mlp, or one of yours)")
    p.add_argument("--confusion-png", type=Path, default=None, metavar="PATH", help="save the confusion matrix as a PNG")
    p.add_argument("--json", type=Path, default=None, metavar="PATH", help="save the figures as JSON")
    p.add_argument("--data-dir", type=Path, default=None, help="folder with the MNIST files")
    p.set_defaults(func=run)


def run(args) -> int:
    """The output paths, the model and the data folder are checked before the evaluation."""
    for option, what in ((args.confusion_png, "PNG file"), (args.json, "JSON file")):
        if option is not None:
            check_output(option, what)
    path = resolve(args.model)
    model = open_model(path)
    images, labels = mnist.load_mnist("test", mnist_folder(args.data_dir, "test"))
    result = evaluate(model, to_model_input(images), labels)
    print(format_report(result, title=f"{path} on the MNIST test set"))
    if args.confusion_png:
        with saving(args.confusion_png, "PNG file"):
            save_confusion_png(result.confusion, args.confusion_png,
                               title=f"{path.stem}: {result.accuracy:.2%} on MNIST test")
        print(f"confusion matrix saved to {args.confusion_png}")
    if args.json:
        with saving(args.json, "JSON file"):
            atomic_write_text(args.json, json.dumps({"model": str(path), **result.as_dict()}, indent=2) + "\n")
        print(f"figures saved to {args.json}")
    return 0
