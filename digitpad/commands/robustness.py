"""`digitpad robustness`: accuracy of models on drawn digits -- MNIST test digits traced into strokes,
and real pen digits of writers no model was trained on -- by pen width, through each of the app's
preprocessing pipelines; optionally a line-plot PNG and JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from digitpad import nn
from digitpad.atomic import atomic_write_text
from digitpad.errors import DigitpadError, ModelFileError
from digitpad.evaluation.robustness import (DATASETS, DEFAULT_CANVAS, DEFAULT_N, DEFAULT_WIDTHS, run_robustness,
                                            save_side_by_side_png)
from digitpad.training.model_store import list_models, resolve


class OutputPathError(DigitpadError):
    """An output file (--png, --json) cannot be written where asked."""


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _canvas(text: str) -> int:
    value = _positive_int(text)
    if not 8 <= value <= 4096:
        raise argparse.ArgumentTypeError(f"canvas must be 8 to 4096 pixels, got {value}")
    return value


def _width(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError(f"pen width must be positive, got {text}")
    return int(value) if value.is_integer() else value


def register_cli(subparsers) -> None:
    p = subparsers.add_parser(
        "robustness", help="accuracy on drawn and real pen digits by pen width, per preprocessing pipeline",
        description="Draw MNIST test digits traced into strokes, and real pen digits of 6 writers no model "
                    "is trained on, on a square canvas with each pen width; turn them into the network's "
                    "input as the app does (strokes redrawn at MNIST's thickness), from the pen's pixels "
                    "with thin strokes thickened, and from the raw pixels; print each model's accuracy.")
    p.add_argument("--models", nargs="+", default=None, metavar="MODEL",
                   help="model names (cnn, mlp, one of yours) or .npz paths (default: every shipped model "
                        "that exists)")
    p.add_argument("--widths", nargs="+", type=_width, default=list(DEFAULT_WIDTHS), metavar="PX",
                   help="pen widths in pixels (default: %(default)s)")
    p.add_argument("--canvas", type=_canvas, default=DEFAULT_CANVAS, metavar="PX",
                   help="canvas side in pixels (default: %(default)s, the app's preprocessing study)")
    p.add_argument("--n", type=_positive_int, default=DEFAULT_N,
                   help="number of drawn test digits (default: %(default)s; standard error 0.2 points at "
                        "98%% accuracy, about 50 s for the shipped models; 1000 takes 10 s, 0.45 points)")
    p.add_argument("--digits", choices=[*DATASETS, "both"], default="both",
                   help="traced MNIST test digits, real pen digits of held-out writers (digitpad download "
                        "--pendigits; all of their about 1,500 digits are used when --n is larger), or both "
                        "(default: %(default)s)")
    p.add_argument("--seed", type=int, default=0, help="seed of the drawings (default: %(default)s)")
    p.add_argument("--png", type=Path, default=None, metavar="PATH",
                   help="save the accuracy-vs-pen-width plot as a PNG (not saved unless given)")
    p.add_argument("--json", type=Path, default=None, metavar="PATH", help="save the figures as JSON")
    p.add_argument("--data-dir", type=Path, default=None,
                   help="folder with the MNIST files and the pen digits (default: where digitpad finds them)")
    p.set_defaults(func=run)


def _model_paths(names: list[str] | None) -> dict[str, Path]:
    """Display name -> model file, for the --models arguments or the shipped models."""
    if names is None:
        shipped = [entry for entry in list_models() if entry.kind == "shipped"]
        if not shipped:
            raise DigitpadError("no shipped models found; name the models to test with --models")
        return {entry.name: entry.path for entry in shipped}
    paths: dict[str, Path] = {}
    for name in names:
        path = resolve(name)
        if not path.is_file():
            raise ModelFileError(f"{path}: no such model file")
        label = path.stem
        if label in paths and paths[label].resolve() == path.resolve():
            continue  # the same model twice
        if label in paths:
            label = str(path)
        paths[label] = path
    return paths


def _check_output(path: Path | None, option: str) -> None:
    """Fail before the run, not after it, when an output file cannot be created."""
    if path is None:
        return
    if path.is_dir():
        raise OutputPathError(f"{option} {path}: is a directory; give a file name")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise OutputPathError(f"{option} {path}: folder {parent} does not exist")


def _progress_printer():
    """A progress(done, total) callback that redraws one line on an interactive stderr; else None."""
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\rmeasuring: {done}/{total}", end=end, file=sys.stderr, flush=True)

    return progress


def run(args) -> int:
    _check_output(args.png, "--png")
    _check_output(args.json, "--json")
    paths = _model_paths(args.models)
    models = {name: nn.load_model(path) for name, path in paths.items()}
    datasets = list(DATASETS) if args.digits == "both" else [args.digits]
    results = [run_robustness(models, widths=args.widths, canvas=args.canvas, n=args.n, seed=args.seed,
                              dataset=dataset, progress=_progress_printer(), data_dir=args.data_dir)
               for dataset in datasets]
    for result in results:
        print(result.to_table(), end="\n\n")
    print("models: " + ", ".join(f"{name} = {path}" for name, path in paths.items()))
    print(f"measured in {sum(r.elapsed_s for r in results):.1f} s")
    try:
        if args.png:
            save_side_by_side_png(results, args.png)
            print(f"plot saved to {args.png}")
        if args.json:
            data = {"models": {name: str(path) for name, path in paths.items()},
                    **{result.dataset: result.as_dict() for result in results}}
            atomic_write_text(args.json, json.dumps(data, indent=2) + "\n")
            print(f"figures saved to {args.json}")
    except OSError as exc:
        raise OutputPathError(f"cannot write {exc.filename or 'the output'}: {exc.strerror or exc}") from None
    return 0
