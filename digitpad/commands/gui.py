"""`digitpad gui` (also `digitpad` without a command): open the desktop app."""

from __future__ import annotations

from digitpad.reading.store import resolve


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("gui", help="open the drawing app (the default command)",
                              description="Open the app: draw digits and watch the network's probabilities.")
    p.add_argument("--model", default=None, metavar="PATH_OR_NAME",
                   help="model to start with: a .npz file or the name of a shipped or user model (default: cnn)")
    p.set_defaults(func=run)


def run(args) -> int:
    model_path = resolve(args.model) if args.model else None   # a bad name fails here with a clear message
    from digitpad.app.application import run as run_app     # Qt is imported only when the app opens

    return run_app(model_path)
