"""`digitpad models`: the shipped and user models with their test accuracy."""

from __future__ import annotations

from digitpad.training.model_store import list_models, shipped_dir
from digitpad.user_dirs import user_models_dir


def register_cli(subparsers) -> None:
    p = subparsers.add_parser("models", help="list shipped and user models")
    p.set_defaults(func=run)


def run(args) -> int:
    entries = list_models()
    if not entries:
        print(f"no models found in {shipped_dir()} or {user_models_dir()}")
        return 0
    print(f"{'name':<24} {'kind':<8} {'test acc':>8} {'params':>10}  path")
    for e in entries:
        acc = f"{e.test_accuracy:.2%}" if e.test_accuracy is not None else "-"
        params = f"{e.metadata.get('parameters', 0):,}" if e.metadata.get("parameters") else "-"
        print(f"{e.name:<24} {e.kind:<8} {acc:>8} {params:>10}  {e.path}")
    print(f"(your models are saved in {user_models_dir()})")
    return 0
