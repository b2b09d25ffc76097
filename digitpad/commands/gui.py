"""`digitpad gui` (also `digitpad` without a command): open the desktop app."""

from __future__ import annotations

from digitpad.reading.store import default_reader_names, resolve_reader


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("gui", help="open the drawing app (the default command)",
                              description="Open the app: draw digits and watch the network's probabilities.")
    p.add_argument("--model", default=None, metavar="PATH_OR_NAME",
                   help="what to read with at start: a .npz or .onnx file, the name of a shipped or user model, or "
                        f"an image network and a stroke model joined by '+' (default: {'+'.join(default_reader_names())})")
    p.set_defaults(func=run)


def run(args) -> int:
    if args.model:
        resolve_reader(args.model)                           # a bad name fails here with a clear message
    from digitpad.app.application import run as run_app     # Qt is imported only when the app opens

    return run_app(args.model)
