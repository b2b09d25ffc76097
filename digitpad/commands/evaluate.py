"""`digitpad evaluate MODEL`: accuracy, per-digit accuracy and the most frequent confusions on the
MNIST test set, optionally a confusion-matrix PNG.  A reader with a stroke model (``strokes``,
``cnn+strokes``) is also measured on the held-out writers of the real pen digits and UJI, set by set
(`digitpad.evaluation.held_out`): its image network alone, its stroke model alone and the two combined;
and how honestly each answers (`digitpad.evaluation.honesty`): the digits answered "not a digit", sure
and right, sure and wrong, the calibration error, and the drawings that are not digits (UJI's letters,
Omniglot's characters, shapes and scribbles) given a sure digit verdict."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from digitpad.atomic import atomic_write_text
from digitpad.commands.data import mnist_folder
from digitpad.commands.outputs import check_output, saving
from digitpad.data import mnist
from digitpad.data.pen_sets import SOURCES, writer_trajectories
from digitpad.drawing.network_input import to_model_input
from digitpad.evaluation.held_out import format_rows, held_out_sets, read_sets, reading_rows
from digitpad.evaluation.honesty import KIND_TITLES, Scored, format_honesty, honesty_of, measure_reader
from digitpad.evaluation.metrics import evaluate, evaluate_probabilities, format_report, save_confusion_png
from digitpad.reading.reader import Reader

TRACED = 2000    # traced MNIST test digits among the held-out sets (standard error 0.2 points at 99 %)


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("evaluate", help="evaluate a model on the MNIST test set and held-out writers",
                              description="Evaluate a model on the 10,000 MNIST test images; a stroke model or a "
                                          "reader combining one (cnn+strokes) also on the held-out writers of the "
                                          "real pen digits and UJI, convention by convention.")
    p.add_argument("model", help="model file or name (cnn, mlp, strokes, one of yours), or an image network and a "
                                 "stroke model joined by '+' (cnn+strokes)")
    p.add_argument("--confusion-png", type=Path, default=None, metavar="PATH", help="save the confusion matrix as a PNG")
    p.add_argument("--json", type=Path, default=None, metavar="PATH", help="save the figures as JSON")
    p.add_argument("--data-dir", type=Path, default=None, help="folder with the MNIST files (the pen digits and UJI "
                                                               "in it, in pendigits/ and uji/ in or beside it)")
    p.set_defaults(func=run)


def run(args) -> int:
    """The output paths, the model and the data folder are checked before the evaluation."""
    for option, what in ((args.confusion_png, "PNG file"), (args.json, "JSON file")):
        if option is not None:
            check_output(option, what)
    reader = Reader.load(args.model)
    figures: dict = {"model": " + ".join(str(p) for p in reader.paths)}
    if reader.model is not None:
        images, labels = mnist.load_mnist("test", mnist_folder(args.data_dir, "test"))
        probabilities = reader.model.predict_proba(to_model_input(images), 1000)
        result = evaluate_probabilities(probabilities, labels)
        title = f"{reader.paths[0]} on the MNIST test set"
    else:
        result = evaluate(reader.strokes, *writer_trajectories("measure", args.data_dir))
        title = f"{reader.stroke_path} on the measurement writers' pen digits ({', '.join(SOURCES)})"
    print(format_report(result, title=title))
    figures.update(result.as_dict())
    if reader.model is not None:
        scored = Scored(np.log(np.maximum(probabilities, 1e-30)), np.full(len(labels), np.nan, np.float32), labels)
        mnist_honesty = honesty_of(scored, reader.calibrations["image"])
        print(f"honest answers on it (the image network's calibration): sure and right {mnist_honesty.sure:.2%}, "
              f"sure and wrong {mnist_honesty.sure_wrong:.2%}, unsure {1 - mnist_honesty.sure - mnist_honesty.sure_wrong:.2%}, "
              f"expected calibration error {mnist_honesty.ece:.2%}")
        figures["mnist_honest_answers"] = vars(mnist_honesty)
    if reader.strokes is not None:
        sets = held_out_sets("measure", TRACED if reader.model is not None else 0, args.data_dir)
        table = reading_rows(read_sets(sets, reader.model, reader.strokes), reader.stroke_weight)
        print()
        print(format_rows(table, f"{reader.name} on held-out writers (stroke weight {reader.stroke_weight:g}); "
                                 f"accuracy %"))
        figures["held_out_writers"] = {"stroke_weight": reader.stroke_weight, "sets": table}
        honest = measure_reader(reader, TRACED if reader.model is not None else 0, args.data_dir)
        for kind, measured in honest.items():
            print()
            print(format_honesty(measured, f"{reader.name}, honest answers: {KIND_TITLES[kind]}"))
        figures["honest_answers"] = honest
    if args.confusion_png:
        with saving(args.confusion_png, "PNG file"):
            save_confusion_png(result.confusion, args.confusion_png, title=f"{reader.name}: {result.accuracy:.2%}")
        print(f"confusion matrix saved to {args.confusion_png}")
    if args.json:
        with saving(args.json, "JSON file"):
            atomic_write_text(args.json, json.dumps(figures, indent=2) + "\n")
        print(f"figures saved to {args.json}")
    return 0
