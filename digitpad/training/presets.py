"""Training presets: an architecture together with the recipe that trains it well.

``quick`` is the menu's default: a good model in about half a minute on two cores (measured by
``benchmarks/bench_time_to_accuracy.py``).  The architecture presets (``mlp``, ``convnet``,
``cnn-bn``) keep the trainer's general defaults; the shipped CNN's longer recipe is in its model card.
Explicit settings always win over a preset's (``digitpad train --model quick --epochs 5``).
"""

from __future__ import annotations

from dataclasses import fields, replace

from digitpad.training.trainer import TrainConfig

RECIPES: dict[str, dict] = {
    # Chosen by measurement; what each choice bought is in benchmarks/bench_time_to_accuracy.py's
    # notes and the README's training section.
    "quick": dict(model="quick", epochs=3, batch_size=128, optimizer="adam", lr=6e-3, schedule="onecycle",
                  val_size=5000, patience=3),
}


def preset_config(name: str, **explicit) -> TrainConfig:
    """The TrainConfig of preset ``name`` (its recipe, else the trainer's defaults with that model),
    with ``explicit`` settings (those the user gave) on top.  A validation fraction given replaces the
    preset's validation count too (quick holds out 5000 images unless told otherwise)."""
    unknown = set(explicit) - {f.name for f in fields(TrainConfig)}
    if unknown:
        raise TypeError(f"unknown training settings: {', '.join(sorted(unknown))}")
    if "val_fraction" in explicit and "val_size" not in explicit:
        explicit["val_size"] = None
    base = TrainConfig(**RECIPES[name]) if name in RECIPES else TrainConfig(model=name)
    return replace(base, **explicit)
