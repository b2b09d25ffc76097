"""`digitpad export MODEL --onnx OUT.onnx`: a model as a standard ONNX graph (see
`digitpad.nn.io.onnx_export`), with its model card's summary in the graph's metadata."""

from __future__ import annotations

import sys
from pathlib import Path

from digitpad import nn
from digitpad.commands.outputs import check_output
from digitpad.reading.store import open_model, resolve
from digitpad.training.modelcard import card_paths, read_card


def register_cli(subparsers) -> None:
    p = subparsers.add_parser(
        "export", help='write a model as an ONNX graph (needs: pip install "digitpad[onnx]")',
        description="Write a model as a standard ONNX graph (opset 17, any batch size), which other tools "
                    "(onnxruntime, OpenCV, ...) run.  Its output is the ten digit probabilities.")
    p.add_argument("model", metavar="MODEL", help="model file (.npz or .onnx) or name of a shipped or user model")
    p.add_argument("--onnx", type=Path, required=True, metavar="OUT", help="ONNX file to write")
    p.set_defaults(func=run)


def run(args) -> int:
    """The output path and the model are checked before the export; a card that cannot be used is
    said in one line on stderr and left out (the export then carries the model file's metadata only)."""
    check_output(args.onnx, "ONNX file")
    path = resolve(args.model)
    model = open_model(path)
    card, problem = read_card(path)
    if problem:
        print(f"digitpad: note: {problem}", file=sys.stderr)
    nn.export_onnx(model, args.onnx, card=card)
    print(f"wrote {args.onnx}: {len(model.layers)} layers, {model.parameter_count():,} parameters, "
          f"input (N, {', '.join(map(str, model.input_shape))}), output (N, {model.output_shapes()[-1][0]}) "
          f"probabilities" + (f"; model card {card_paths(path)[0].name} in its metadata" if card else ""))
    return 0
