"""`digitpad robustness`: accuracy of models on drawn digits -- MNIST test digits traced into strokes,
and real pen digits of writers no model was trained on -- by pen width, through each of the app's
preprocessing pipelines; then, with the real pen digits, how honestly each model answers
(`digitpad.evaluation.honesty`: digits answered "not a digit", sure and wrong, calibration error,
drawings that are not digits given a sure verdict); optionally a line-plot PNG and JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from digitpad.atomic import atomic_write_text
from digitpad.commands.data import mnist_folder
from digitpad.commands.outputs import check_output, saving
from digitpad.data import omniglot, pendigits, uji
from digitpad.errors import DigitpadError
from digitpad.evaluation.drawn_test_sets import DATASETS, DEFAULT_CANVAS, DEFAULT_N
from digitpad.evaluation.robustness import DEFAULT_WIDTHS, check_study, run_robustness
from digitpad.evaluation.robustness_report import save_side_by_side_png
from digitpad.nn.io import regular_model_file
from digitpad.evaluation.honesty import KIND_TITLES, format_honesty, measure_reader
from digitpad.reading.reader import Reader
from digitpad.reading.store import default_reader_names, list_models, resolve_reader


def _width(text: str) -> float:
    """A pen width as written (4, 2.5); its bounds are `check_study`'s."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    return int(value) if value.is_integer() else value


def register_cli(subparsers) -> None:
    p = subparsers.add_parser(
        "robustness", help="accuracy on drawn and real pen digits by pen width, per preprocessing pipeline",
        description="Draw MNIST test digits traced into strokes, and real pen digits of 6 writers no model "
                    "is trained on, on a square canvas with each pen width; turn them into the network's "
                    "input as the app does (strokes redrawn at MNIST's thickness), from the pen's pixels "
                    "with thin strokes thickened, and from the raw pixels; print each model's accuracy.")
    p.add_argument("--models", nargs="+", default=None, metavar="MODEL",
                   help="model names (cnn, mlp, one of yours), .npz paths, or an image network and a stroke "
                        "model joined by '+' (cnn+strokes: read combined) (default: the app's reader, "
                        f"{'+'.join(default_reader_names())}, and every shipped image network alone)")
    p.add_argument("--widths", nargs="+", type=_width, default=list(DEFAULT_WIDTHS), metavar="PX",
                   help="pen widths in pixels (default: %(default)s)")
    p.add_argument("--canvas", type=int, default=DEFAULT_CANVAS, metavar="PX",
                   help="canvas side in pixels (default: %(default)s, the app's preprocessing study)")
    p.add_argument("--n", type=int, default=DEFAULT_N,
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


def _readers(names: list[str] | None) -> dict[str, Reader]:
    """Display name -> reader, for the --models arguments or, by default, the app's reader (the shipped CNN
    and stroke model combined) and every shipped image network alone (those that cannot be read are
    skipped, with a note saying why).  A stroke model alone is refused: no pen width changes it."""
    if names is None:
        shipped = [entry for entry in list_models() if entry.kind == "shipped"]
        for entry in shipped:
            if entry.problem:
                print(f"note: skipping the shipped model {entry.name}: {entry.problem}", file=sys.stderr)
        readable = {entry.name for entry in shipped if not entry.problem}
        default = default_reader_names()
        names = ["+".join(default)] if len(default) > 1 and readable.issuperset(default) else []
        names += [entry.name for entry in shipped if entry.name in readable and entry.reads == "image"]
    readers: dict[str, Reader] = {}
    for name in names:
        for path in resolve_reader(name):
            regular_model_file(path)
        reader = Reader.load(name)
        if reader.model is None:
            raise DigitpadError(f"{name} is a stroke model: pen widths change nothing of what it reads; measure "
                                f"it with an image network, e.g. --models cnn+{name}")
        label = reader.name if reader.name not in readers else str(name)
        readers[label] = reader
    if not readers:
        raise DigitpadError("no readable shipped models found; name the models to test with --models")
    return readers


def _progress_printer():
    """A progress(done, total) callback that redraws one line on an interactive stderr; else None."""
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int) -> None:
        end = "\n" if done == total else ""
        print(f"\rmeasuring: {done}/{total}", end=end, file=sys.stderr, flush=True)

    return progress


def run(args) -> int:
    """Every argument (the numbers, the outputs, the models, the data) is checked before the study."""
    check_study(args.widths, args.canvas, args.n, args.seed, prefix="--")
    for option, what in ((args.png, "PNG file"), (args.json, "JSON file")):
        if option is not None:
            check_output(option, what)
    models = _readers(args.models)
    paths = {name: " + ".join(str(p) for p in reader.paths) for name, reader in models.items()}
    datasets = list(DATASETS) if args.digits == "both" else [args.digits]
    if "traced" in datasets:
        mnist_folder(args.data_dir, "test")
    if "pen" in datasets:
        pendigits.load_pendigits(args.data_dir)
        print(f"pen digits from {pendigits.find_pendigits(args.data_dir)}", file=sys.stderr)
    results = [run_robustness(models, widths=args.widths, canvas=args.canvas, n=args.n, seed=args.seed,
                              dataset=dataset, progress=_progress_printer(), data_dir=args.data_dir)
               for dataset in datasets]
    for result in results:
        print(result.to_table(), end="\n\n")
    honest = {}
    missing = [f"`digitpad download --{flag}`" for flag, found in (("uji", uji.find_uji), ("omniglot", omniglot.find_omniglot))
               if found(args.data_dir) is None]
    if "pen" in datasets and missing:
        print(f"note: the honest answers (not a digit, sure and wrong, calibration) need UJI and Omniglot too: "
              f"run {' and '.join(missing)}", file=sys.stderr)
    elif "pen" in datasets:
        for name, reader in models.items():
            kind, measured = next(iter(measure_reader(reader, 0, args.data_dir, most=args.n, parts=False).items()))
            honest[name] = measured
            print(format_honesty(measured, f"{name}, honest answers on held-out writers and drawings that are "
                                           f"not digits, at most {args.n:,} per set ({KIND_TITLES[kind]})"),
                  end="\n\n")
    print("models: " + ", ".join(f"{name} = {path}" for name, path in paths.items()))
    print(f"measured in {sum(r.elapsed_s for r in results):.1f} s")
    if args.png:
        with saving(args.png, "PNG file"):
            save_side_by_side_png(results, args.png)
        print(f"plot saved to {args.png}")
    if args.json:
        data = {"models": {name: str(path) for name, path in paths.items()},
                **{result.dataset: result.as_dict() for result in results}, "honest_answers": honest}
        with saving(args.json, "JSON file"):
            atomic_write_text(args.json, json.dumps(data, indent=2) + "\n")
        print(f"figures saved to {args.json}")
    return 0
