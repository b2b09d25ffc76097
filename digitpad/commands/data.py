"""`digitpad download`: fetch and verify the MNIST files (with ``--pendigits``, the real pen digits; with
``--uji``, UJI Pen Characters; with ``--omniglot``, Omniglot's strokes), with a plain text progress bar on stderr."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from digitpad.data import mnist, omniglot, pendigits, uji


def register_cli(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "download",
        help="download and verify the MNIST data set (and the real pen digits)",
        description="Download the four MNIST files (about 11 MB), verifying their checksums. "
        "Files already present and intact are kept.",
    )
    parser.add_argument(
        "--pendigits",
        action="store_true",
        help="fetch UCI's real pen digits instead (7,494 digits by 30 writers, about 2 MB), decompress "
        "and verify them; they go where MNIST goes",
    )
    parser.add_argument(
        "--uji",
        action="store_true",
        help="fetch UJI Pen Characters instead (11 Spanish writers' digits and letters, for stroke models), "
        "and verify them; they go where MNIST goes",
    )
    parser.add_argument(
        "--omniglot",
        action="store_true",
        help="fetch Omniglot's strokes instead (two zips, about 7 MB: characters of other alphabets drawn with a "
        "mouse, from which a stroke model learns what is not a digit), and verify them; they go where MNIST goes",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"where to put the files (default: where digitpad finds them now, else ${mnist.ENV_VAR}, "
        f"else the project's data/ folder in a source checkout, else {mnist.user_cache_dir()})".replace("%", "%%"),
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.pendigits:
        return run_pendigits(args)
    if args.uji:
        return run_uji(args)
    if args.omniglot:
        return _download_source(args, omniglot.find_omniglot(),
                                lambda dest, bar: omniglot.download_omniglot(dest, omniglot.URLS, progress=bar),
                                "Omniglot's strokes are in {} (two zips, verified).")
    if args.dir is not None:
        dest = args.dir.expanduser()
    else:  # repair or confirm the copy the loaders would use, else fetch into the default place
        dest = mnist.find_mnist_dir() or mnist.default_download_dir()
    if dest.is_dir() and not mnist.check_mnist_dir(dest):
        print(f"MNIST is already in {dest} (all four files verified).")
        return 0
    bar = ProgressBar(sys.stderr)
    try:
        mnist.download_mnist(dest, progress=bar)
    finally:
        bar.close()
    print(f"MNIST files are in {dest} (all four files verified).")
    return 0


def run_pendigits(args: argparse.Namespace) -> int:
    found = pendigits.find_pendigits()
    return _download_source(args, found.parent if found else None,
                            lambda dest, bar: pendigits.download_pendigits(dest, pendigits.URLS, progress=bar),
                            "The pen digits are in {} (7,494 digits by 30 writers, verified).")


def run_uji(args: argparse.Namespace) -> int:
    return _download_source(args, uji.find_uji(), lambda dest, bar: uji.download_uji(dest, uji.URLS, progress=bar),
                            "UJI Pen Characters are in {} (11 writers, verified).")


def _download_source(args: argparse.Namespace, found: Path | None, download, done: str) -> int:
    """Download a data source into ``--dir``, else the folder where digitpad finds it now (``found``),
    else where MNIST goes; print ``done`` with where it is."""
    dest = args.dir.expanduser() if args.dir is not None else (found or mnist.default_download_dir())
    bar = ProgressBar(sys.stderr)
    try:
        where = download(dest, bar)
    finally:
        bar.close()
    print(done.format(where))
    return 0


def mnist_folder(data_dir: Path | None, split: str | None = None, download: bool = False) -> Path:
    """The folder a command reads MNIST from (``--data-dir`` when given, used or refused; else the
    first place digitpad finds it), downloaded into first with a progress bar where ``download`` says
    so, and said on stderr in one line (``MNIST from /path``), so a run never leaves it to guess."""
    bar = ProgressBar(sys.stderr) if download else None
    try:
        folder = mnist.ensure_mnist(data_dir, download=download, progress=bar, split=split)
    finally:
        if bar is not None:
            bar.close()
    print(f"MNIST from {folder}", file=sys.stderr)
    return folder


class ProgressBar:
    """A ``progress(filename, done, total)`` callback drawing ``name  43% 4.3/9.9 MB`` lines.

    On a terminal the line is redrawn in place (at most every 0.1 s); elsewhere (a log, a pipe) one
    line is printed per file when it completes.
    """

    _INTERVAL = 0.1

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._line = ""  # the last line drawn or due, not yet ended with a newline
        self._drawn_at = 0.0

    def __call__(self, name: str, done: int, total: int | None) -> None:
        line = f"{name}  {_amount(done, total)}"
        if self._line and not self._line.startswith(f"{name} "):
            self._finish_line()
        self._line = line
        finished = total is not None and done >= total
        now = time.monotonic()
        if self._live and (finished or now - self._drawn_at >= self._INTERVAL):
            self._stream.write("\r" + line.ljust(60))
            self._stream.flush()
            self._drawn_at = now
        if finished:
            self._finish_line()

    def close(self) -> None:
        """End the current line, if any (call once all downloads are over)."""
        if self._line:
            self._finish_line()

    def _finish_line(self) -> None:
        self._stream.write(f"\r{self._line.ljust(60)}\n" if self._live else f"{self._line}\n")
        self._stream.flush()
        self._line = ""


def _amount(done: int, total: int | None) -> str:
    """``43% 4.3/9.9 MB`` (or ``4.3 MB`` without a total); kB below a megabyte."""
    scale, unit = (1e6, "MB") if (total or done) >= 1e6 else (1e3, "kB")
    if total is None:
        return f"{done / scale:.1f} {unit}"
    percent = 100 * done // total if total else 100
    return f"{percent:3d}% {done / scale:.1f}/{total / scale:.1f} {unit}"
