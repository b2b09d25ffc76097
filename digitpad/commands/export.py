"""`digitpad export MODEL --onnx OUT.onnx`: a model as a standard ONNX graph (see
`digitpad.nn.onnx_export`), with its model card's summary in the graph's metadata."""

from __future__ import annotations

import json
from pathlib import Path

from digitpad import nn
from digitpad.errors import ModelFileError
from digitpad.training.model_store import resolve
from digitpad.training.modelcard import card_paths


def register_cli(subparsers) -> None:
    p = subparsers.add_parser(
        "export", help="write a model as an ONNX graph (needs: pip install digitpad[onnx])",
        description="Write a model as a standard ONNX graph (opset 17, any batch size), which other tools "
                    "(onnxruntime, OpenCV, ...) run.  Its output is the ten digit probabilities.")
    p.add_argument("model", metavar="MODEL", help="model file (.npz or .onnx) or name of a shipped or user model")
    p.add_argument("--onnx", type=Path, required=True, metavar="OUT", help="ONNX file to write")
    p.set_defaults(func=run)


def read_card(model_path: Path) -> dict | None:
    """The model card beside ``model_path`` (``<name>.card.json``), or None where there is none or it
    is unreadable (the export then carries the model file's own metadata only)."""
    try:
        card = json.loads(card_paths(model_path)[0].read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return card if isinstance(card, dict) else None


def run(args) -> int:
    path = resolve(args.model)
    model = nn.load_model(path)
    card = read_card(path)
    if not args.onnx.parent.is_dir():
        raise ModelFileError(f"{args.onnx}: the folder {args.onnx.parent} does not exist")
    nn.export_onnx(model, args.onnx, card=card)
    print(f"wrote {args.onnx}: {len(model.layers)} layers, {model.parameter_count():,} parameters, "
          f"input (N, {', '.join(map(str, model.input_shape))}), output (N, {model.output_shapes()[-1][0]}) "
          f"probabilities" + (f"; model card {card_paths(path)[0].name} in its metadata" if card else ""))
    return 0
