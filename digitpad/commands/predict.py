"""`digitpad predict FILE…`: the probability of each digit for image files and saved drawings, through
the same preprocessing the app uses.  A drawing (the app's File → Save drawing…, JSON) keeps its strokes,
so the default reader reads it with the image network and the stroke model combined; a picture has no
strokes and is read by the image network alone.  Each row ends with the reader's verdict: "N% sure it
is a d", "unsure: a or b", or "this doesn't look like a digit" (its digit column then "-").

A file that cannot be read does not stop the others: they are read and printed, and each unreadable
file is one ``digitpad: error:`` line on stderr, naming it; the exit status is then 2."""

from __future__ import annotations

import sys
import unicodedata

from digitpad.drawing.strokes import Drawing
from digitpad.errors import DigitpadError, printable
from digitpad.reading.reader import EMPTY_TEXT, Reader
from digitpad.reading.store import default_reader_names

# Exit statuses: every file read and holding a digit; a picture or drawing without one; a file unreadable.
READ, NO_DIGIT, UNREADABLE = 0, 1, 2


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("predict", help="classify digit images (PNG, JPG, ...) and saved drawings (JSON)",
                              description="Print the probabilities of each digit for image files of any size, "
                                          "dark-on-light or light-on-dark, and for drawings saved by the app "
                                          "(.json: read from their strokes too). A file that cannot be read is "
                                          "reported on stderr, one line each, and the others are still read; "
                                          "the exit status is then 2 (1 when a file holds no digit).")
    p.add_argument("images", nargs="+", metavar="FILE", help="image files or saved drawings (.json)")
    p.add_argument("--model", default=None,
                   help=f"model file or name, or an image network and a stroke model joined by '+' (default: "
                        f"{'+'.join(default_reader_names())}, the app's reader)")
    p.set_defaults(func=run)


def open_item(name: str) -> Drawing:
    """The drawing (``.json``) or picture in the file ``name``; a one-line DigitpadError naming it if it
    cannot be read."""
    return Drawing.load(name) if name.lower().endswith(".json") else Drawing.from_image(name)


def display_width(text: str) -> int:
    """Terminal columns ``text`` takes: East Asian wide characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def run(args) -> int:
    """The model is loaded first (a bad one is the only output); then every file is opened, those that
    open are read at once (`Reader.read`) and printed as a table whose file column fits the longest
    name, and those that do not are reported on stderr after it."""
    reader = Reader.load(args.model) if args.model else Reader.default()
    names, items, problems = [], [], []
    for name in args.images:
        try:
            items.append(open_item(name))
        except DigitpadError as exc:
            problems.append(str(exc))
        else:
            names.append(printable(name))
    status = READ
    if items:
        answers = reader.read(items)
        width = max(display_width(name) for name in [*names, "file"])
        print(pad("file", width) + " digit  " + "  ".join(f"  {d}  " for d in range(10)) + "  verdict")
        for name, answer in zip(names, answers):
            if answer.digit is None:
                print(f"{pad(name, width)} ({'no digit found: it is empty' if answer.text == EMPTY_TEXT else answer.text})")
                status = NO_DIGIT
                continue
            digit = "-" if answer.not_a_digit else answer.digit
            print(f"{pad(name, width)} {digit:>5}  " + "  ".join(f"{p:5.3f}" for p in answer.probabilities)
                  + f"  {answer.text}")
    sys.stdout.flush()   # the table first, then what could not be read, when both go to one terminal
    for problem in problems:
        print(f"digitpad: error: {problem}", file=sys.stderr)
    return UNREADABLE if problems else status
