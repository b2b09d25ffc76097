"""`digitpad gui` (also `digitpad` without a command, or with the app's options alone: ``digitpad --model
mlp``): open the desktop app."""

from __future__ import annotations

from digitpad.errors import DigitpadError
from digitpad.reading.reader import Reader
from digitpad.reading.store import default_reader_names


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("gui", help="open the drawing app (the default command)",
                              description="Open the app: draw digits and watch the network's probabilities. "
                                          "The model asked for is read before any window opens: one that "
                                          "cannot be read is a one-line error, and the app does not start.")
    p.add_argument("--model", default=None, metavar="PATH_OR_NAME",
                   help="what to read with at start: a .npz or .onnx file, the name of a shipped or user model, or "
                        f"an image network and a stroke model joined by '+' (default: {'+'.join(default_reader_names())})")
    p.set_defaults(func=run)


def run(args) -> int:
    """The model asked for is loaded as the app will load it, so that a bad name or an unreadable or
    foreign file is one ModelFileError line on the terminal, before Qt starts: never a dialog followed by
    the app reading with another model."""
    if args.model:
        Reader.load(args.model)
    try:
        from digitpad.app.application import run as run_app     # Qt is imported only when the app opens
    except ImportError as exc:                                  # a system library Qt needs is missing
        from digitpad.app.system_libraries import qt_import_problem

        raise DigitpadError(qt_import_problem(exc)) from None

    return run_app(args.model)
