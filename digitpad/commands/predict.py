"""`digitpad predict FILE…`: the probability of each digit for image files and saved drawings, through
the same preprocessing the app uses.  A drawing (the app's File → Save drawing…, JSON) keeps its strokes,
so the default reader reads it with the image network and the stroke model combined; a picture has no
strokes and is read by the image network alone.  Each row ends with the reader's verdict: "N% sure it
is a d", "unsure: a or b", or "this doesn't look like a digit" (its digit column then "-")."""

from __future__ import annotations

from digitpad.drawing.strokes import Drawing
from digitpad.reading.reader import EMPTY_TEXT, Reader
from digitpad.reading.store import default_reader_names


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("predict", help="classify digit images (PNG, JPG, ...) and saved drawings (JSON)",
                              description="Print the probabilities of each digit for image files of any size, "
                                          "dark-on-light or light-on-dark, and for drawings saved by the app "
                                          "(.json: read from their strokes too).")
    p.add_argument("images", nargs="+", metavar="FILE", help="image files or saved drawings (.json)")
    p.add_argument("--model", default=None,
                   help=f"model file or name, or an image network and a stroke model joined by '+' (default: "
                        f"{'+'.join(default_reader_names())}, the app's reader)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Every file is read and prepared first, so a missing or unreadable file is the only output; then
    the reader reads them all at once (`Reader.read`)."""
    reader = Reader.load(args.model) if args.model else Reader.default()
    items = [Drawing.load(name) if name.lower().endswith(".json") else Drawing.from_image(name) for name in args.images]
    answers = reader.read(items)
    print("file".ljust(28) + " digit  " + "  ".join(f"  {d}  " for d in range(10)) + "  verdict")
    status = 0
    for name, answer in zip(args.images, answers):
        if answer.digit is None:
            print(f"{name:<28} ({'no digit found: it is empty' if answer.text == EMPTY_TEXT else answer.text})")
            status = 1
            continue
        digit = "-" if answer.not_a_digit else answer.digit
        print(f"{name:<28} {digit:>5}  " + "  ".join(f"{p:5.3f}" for p in answer.probabilities) + f"  {answer.text}")
    return status
