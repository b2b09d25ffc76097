"""The `digitpad` command line.

Each feature module owns its subcommand: it exposes ``register_cli(subparsers)`` which adds a parser
whose ``func`` default takes the parsed arguments and returns an exit status.  This file only wires
them together and turns :class:`digitpad.errors.DigitpadError` into a one-line message.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from digitpad.errors import DigitpadError

# Modules that contribute subcommands, in the order `digitpad --help` lists them.
COMMAND_MODULES = (
    "digitpad.commands.gui",
    "digitpad.commands.train",
    "digitpad.commands.average",
    "digitpad.commands.evaluate",
    "digitpad.commands.predict",
    "digitpad.commands.robustness",
    "digitpad.commands.data",
    "digitpad.commands.models",
    "digitpad.commands.export",
    "digitpad.commands.install_desktop",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digitpad",
        description="Draw digits and watch a from-scratch NumPy neural network read them. "
        "Without a command, opens the app; the app's options work without it too "
        "(digitpad --model mlp is digitpad gui --model mlp).",
    )
    parser.add_argument("--version", action="version", version=_version())
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register_cli(subparsers)
    return parser


def _version() -> str:
    from digitpad import __version__

    return f"digitpad {__version__}"


# The options of `digitpad` itself; any other option before a command is the app's (`gui`'s).
TOP_LEVEL_OPTIONS = ("-h", "--help", "--version")


def with_default_command(argv: list[str]) -> list[str]:
    """``argv`` with ``gui`` in front when it starts with an option that is not `digitpad`'s own
    (``digitpad --model mlp`` opens the app reading with mlp, as ``digitpad gui --model mlp`` does)."""
    if not argv or not argv[0].startswith("-") or argv[0] in ("-", "--"):
        return argv
    option = argv[0].split("=", 1)[0]
    ours = any(option == name or (option.startswith("--") and len(option) > 2 and name.startswith(option))
               for name in TOP_LEVEL_OPTIONS)   # argparse takes "--vers" for "--version"
    return argv if ours else ["gui", *argv]


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    argv = with_default_command(sys.argv[1:] if argv is None else list(argv))
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *argv])
    try:
        return int(args.func(args) or 0)
    except DigitpadError as exc:
        print(f"digitpad: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("digitpad: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
