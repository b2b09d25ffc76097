"""Model cards: what a model is, how it was trained, and how well it does, saved beside the model
as ``<name>.card.json`` and a short ``<name>.md``; the key figures also go into the model file's
metadata so that listing models needs no extra file."""

from __future__ import annotations

import json
import platform
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from digitpad import __version__, nn
from digitpad.atomic import atomic_write_text
from digitpad.evaluation.metrics import Evaluation


def card_paths(model_path: Path) -> tuple[Path, Path]:
    model_path = Path(model_path)
    return model_path.with_suffix(".card.json"), model_path.with_suffix(".md")


def build_card(name: str, model: nn.Sequential, settings: dict, history: list[dict], test: Evaluation | None,
               wall_seconds: float, data_checksums: dict, command: str, extra: dict | None = None) -> dict:
    epochs = len(history)
    card = {
        "name": name,
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "digitpad_version": __version__,
        "numpy_version": np.__version__,
        "machine": f"{platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
        "architecture": model.config(),
        "summary": model.summary(),
        "parameters": model.parameter_count(),
        "training": settings,
        "command": command,
        "data_checksums": data_checksums,
        "epochs_run": epochs,
        "wall_time_s": round(wall_seconds, 1),
        # the median: one epoch slowed by other work on the machine does not distort it
        "seconds_per_epoch": round(float(np.median([h["seconds"] for h in history])), 1) if history else None,
        "history": history,
        "seconds_to_val_accuracy": time_to_reach(history),
        "test_accuracy": test.accuracy if test else None,
        "test_per_class_accuracy": [round(float(a), 4) for a in test.per_class] if test else None,
        "test_top_confusions": test.as_dict()["top_confusions"] if test else None,
    }
    card.update(extra or {})
    return card


MILESTONES = (0.98, 0.986, 0.99, 0.995, 0.996)


def time_to_reach(history: list[dict]) -> dict:
    """Training seconds until the validation accuracy first reached each milestone (absent if never)."""
    reached, elapsed = {}, 0.0
    for epoch in history:
        elapsed += epoch["seconds"]
        for milestone in MILESTONES:
            key = f"{milestone:.1%}"
            if key not in reached and epoch["val_accuracy"] >= milestone:
                reached[key] = {"epoch": epoch["epoch"], "seconds": round(elapsed, 1)}
    return reached


def metadata_from_card(card: dict) -> dict:
    """The part of the card stored inside the model file."""
    keys = ("name", "created", "parameters", "test_accuracy", "test_per_class_accuracy", "epochs_run",
            "wall_time_s", "command")
    meta = {k: card[k] for k in keys if card.get(k) is not None}
    meta["training"] = card.get("training", {})
    return meta


def render_markdown(card: dict) -> str:
    acc = card.get("test_accuracy")
    lines = [f"# Model card: {card['name']}", "",
             f"- Created: {card['created']} with digitpad {card['digitpad_version']} (NumPy {card['numpy_version']}, {card['machine']})",
             f"- Parameters: {card['parameters']:,}",
             f"- Test accuracy (MNIST, 10,000 images): {acc:.2%}" if acc is not None else "- Test accuracy: not measured",
             f"- Epochs: {card['epochs_run']}, wall time {card['wall_time_s']:.0f} s"
             + (f" (median {card['seconds_per_epoch']:.0f} s per epoch)" if card.get("seconds_per_epoch") else ""),
             ]
    if card.get("notes"):
        lines.append(f"- Note: {card['notes']}")
    if card.get("seconds_to_val_accuracy"):
        lines.append("- Time to reach a validation accuracy: " + ", ".join(
            f"{k} after epoch {v['epoch']} ({v['seconds']:.0f} s)" for k, v in card["seconds_to_val_accuracy"].items()))
    lines += ["", "## Reproduce", "", "```bash", card["command"].replace(" && ", " &&\n"), "```", "",
             "## Architecture", "", "```", card["summary"], "```", "", "## Training settings", ""]
    lines += [f"- {k}: {v}" for k, v in card["training"].items()]
    if card.get("training_set"):
        lines += ["", "## Training set (the recipe's steps, in order)", ""]
        lines += [f"{i}. {step}" for i, step in enumerate(card["training_set"], 1)]
    if card.get("test_per_class_accuracy"):
        lines += ["", "## Test accuracy per digit", "", "| digit | " + " | ".join(map(str, range(10))) + " |",
                  "|---" * 11 + "|",
                  "| accuracy | " + " | ".join(f"{a:.2%}" for a in card["test_per_class_accuracy"]) + " |"]
    if card.get("test_top_confusions"):
        lines += ["", "## Most frequent confusions (true → predicted)", ""]
        lines += [f"- {c['true']} → {c['predicted']}: {c['count']}" for c in card["test_top_confusions"]]
    if card.get("history"):
        lines += ["", "## Training history", ""] + _history_table(card["history"])
    for item in card.get("ingredients") or []:
        acc = item.get("test_accuracy")
        lines += ["", f"## Ingredient: {item['path']}", "",
                  f"- Test accuracy (MNIST): {acc:.2%}" if isinstance(acc, (int, float)) else "- Test accuracy: not recorded"]
        if item.get("epochs_run"):
            best = (f", best validation accuracy {item['best_val_accuracy']:.2%} at epoch {item['best_epoch']}"
                    if item.get("best_epoch") else "")
            lines.append(f"- Epochs: {item['epochs_run']}{best}")
        if item.get("command"):
            lines += ["", "```bash", item["command"].replace(" && ", " &&\n"), "```"]
        if item.get("history"):
            lines += [""] + _history_table(item["history"])
    data = card.get("data_checksums") or {}
    if data:
        lines += ["", "## Data (MD5 of the uncompressed IDX files)", ""] + [f"- {k}: `{v}`" for k, v in data.items()]
    return "\n".join(lines) + "\n"


def _history_table(history: list[dict]) -> list[str]:
    return ["| epoch | train loss | train acc | val loss | val acc | lr | s |", "|---|---|---|---|---|---|---|"] + [
        f"| {h['epoch']} | {h['train_loss']:.4f} | {h['train_accuracy']:.2%} | {h['val_loss']:.4f} | "
        f"{h['val_accuracy']:.2%} | {h['lr']:.2e} | {h['seconds']:.0f} |" for h in history]


def write_card(model_path: Path, card: dict) -> tuple[Path, Path]:
    json_path, md_path = card_paths(model_path)
    atomic_write_text(json_path, json.dumps(card, indent=2) + "\n")
    atomic_write_text(md_path, render_markdown(card))
    return json_path, md_path
