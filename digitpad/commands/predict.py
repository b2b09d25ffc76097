"""`digitpad predict IMAGE…`: the probability of each digit for image files, through the same
preprocessing the app uses."""

from __future__ import annotations

import numpy as np

from digitpad.drawing.preprocess import load_image, to_mnist, to_model_input
from digitpad.training.model_store import default_model_path, open_model, resolve


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("predict", help="classify digit images (PNG, JPG, ...)",
                              description="Print the probabilities of each digit for image files of any size, "
                                          "dark-on-light or light-on-dark.")
    p.add_argument("images", nargs="+", help="image files")
    p.add_argument("--model", default=None, help="model file or name (default: the shipped CNN)")
    p.set_defaults(func=run)


def run(args) -> int:
    """Every image is read and prepared first, so a missing or unreadable file is the only output."""
    model = open_model(resolve(args.model) if args.model else default_model_path())
    digits = [to_mnist(load_image(name)) for name in args.images]
    print("image".ljust(28) + " digit  " + "  ".join(f"  {d}  " for d in range(10)))
    status = 0
    for name, digit in zip(args.images, digits):
        if digit is None:
            print(f"{name:<28} (no digit found: the image is empty)")
            status = 1
            continue
        probs = model.predict_proba(to_model_input(digit))[0]
        print(f"{name:<28} {int(np.argmax(probs)):>5}  " + "  ".join(f"{p:5.3f}" for p in probs))
    return status
