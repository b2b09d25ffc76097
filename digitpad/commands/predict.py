"""`digitpad predict IMAGE…`: the probability of each digit for image files, through the same
preprocessing the app uses."""

from __future__ import annotations

from digitpad.drawing.strokes import Drawing
from digitpad.reading.reader import Reader


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("predict", help="classify digit images (PNG, JPG, ...)",
                              description="Print the probabilities of each digit for image files of any size, "
                                          "dark-on-light or light-on-dark.")
    p.add_argument("images", nargs="+", help="image files")
    p.add_argument("--model", default=None, help="model file or name (default: the shipped CNN)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Every image is read and prepared first, so a missing or unreadable file is the only output; then
    the model reads them all at once (`Reader.read`)."""
    reader = Reader.load(args.model) if args.model else Reader.default()
    pictures = [Drawing.from_image(name) for name in args.images]
    answers = reader.read(pictures)
    print("image".ljust(28) + " digit  " + "  ".join(f"  {d}  " for d in range(10)))
    status = 0
    for name, answer in zip(args.images, answers):
        if answer.digit is None:
            print(f"{name:<28} (no digit found: the image is empty)")
            status = 1
            continue
        print(f"{name:<28} {answer.digit:>5}  " + "  ".join(f"{p:5.3f}" for p in answer.probabilities))
    return status
