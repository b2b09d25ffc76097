"""Model cards: what a model is, how it was trained, and how well it does, saved beside the model
as ``<name>.card.json`` and a short ``<name>.md``; the key figures also go into the model file's
metadata so that listing models needs no extra file.

A model and its card are written by one sequence, :func:`save_model_with_card`: every output path is
checked first, then the model is saved and the card records the SHA-256 of the file it describes.
A crash between the two saves leaves the previous card, whose hash no longer matches, so
:func:`read_card` reports it as stale instead of passing off the old figures as the new model's.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, NamedTuple

import numpy as np

from digitpad import __version__, nn
from digitpad.atomic import atomic_write_text, output_path
from digitpad.errors import FileFormatError, OutputFileError
from digitpad.evaluation.metrics import Evaluation
from digitpad.file_reading import finite_number, read_bounded, read_json_object, regular_file
from digitpad.user_dirs import made_user_models_dir, user_models_dir

MAX_CARD_BYTES = 1 << 20
"""A model card is a few kB to a few tens of kB (a long training history); larger is not ours."""
MODEL_HASH_KEY = "model_sha256"
"""The card's record of the model file it describes (SHA-256 of its bytes, hex)."""


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
    keys = ("name", "created", "parameters", "test_accuracy", "test_per_class_accuracy", "test_set", "epochs_run",
            "wall_time_s", "command", "stroke_weight", "calibration")
    meta = {k: card[k] for k in keys if card.get(k) is not None}
    meta["training"] = card.get("training", {})
    return meta


def render_markdown(card: dict) -> str:
    acc = card.get("test_accuracy")
    lines = [f"# Model card: {card['name']}", "",
             f"- Created: {card['created']} with digitpad {card['digitpad_version']} (NumPy {card['numpy_version']}, {card['machine']})",
             f"- Parameters: {card['parameters']:,}",
             f"- Test accuracy ({card.get('test_set') or 'MNIST, 10,000 images'}): {acc:.2%}" if acc is not None
             else "- Test accuracy: not measured",
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
        lines += ["", "## Training set (its steps, in order)", ""]
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
                    if item.get("best_epoch") and item.get("best_val_accuracy") is not None else "")
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


def check_outputs(model_path: Path) -> Path:
    """Check, before any work, that the model and both card files can be written at ``model_path``
    (see :func:`digitpad.atomic.output_path`); returns the path the model will really be written to.
    :class:`OutputFileError` (one line naming the path) otherwise.  The user models folder is created
    when the model goes there (:func:`~digitpad.user_dirs.made_user_models_dir`); no other folder is."""
    if Path(model_path).parent == user_models_dir():
        made_user_models_dir()
    target = output_path(model_path, "model")
    for card_path in card_paths(model_path):
        output_path(card_path, "model card")
    return target


def save_model_with_card(model: nn.Sequential, model_path: Path, card: dict) -> tuple[Path, Path]:
    """Save ``model`` to ``model_path`` and its ``card`` beside it (``.card.json`` and ``.md``): the one
    save sequence of every model the product writes (train, average, fine-tune).

    All three paths are checked before anything is written; the model gets the card's key figures as
    metadata; the card records the SHA-256 of the saved model file, so that a card left behind by a
    crash or a failed save is detected by :func:`read_card`.  Every failure is one line naming the
    file, whoever saves (the CLI, the app's training and fine-tuning, ``digitpad average``): a model
    that cannot be written (disk full, read-only folder) raises :class:`ModelFileError` and leaves the
    previous files as they were; a card that cannot be written after the model was saved raises
    :class:`OutputFileError` saying so.  Returns the card's two paths."""
    model_path = Path(model_path)
    check_outputs(model_path)
    model.metadata = metadata_from_card(card)
    nn.save_model(model, model_path)
    json_path, md_path = card_paths(model_path)
    try:
        card = {**card, MODEL_HASH_KEY: file_sha256(model_path)}
        atomic_write_text(json_path, json.dumps(card, indent=2) + "\n")
        atomic_write_text(md_path, render_markdown(card))
    except OSError as exc:  # disk full, read-only folder
        raise OutputFileError(f"{json_path}: the model {model_path.name} was saved but its model card could not "
                              f"be written ({exc.strerror or exc})") from None
    return json_path, md_path


def file_sha256(path: Path) -> str:
    """The SHA-256 (hex) of the file at ``path``, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


class CardReading(NamedTuple):
    """What :func:`read_card` found beside a model: the checked card (None when there is none or it
    is ignored) and, when a card file is there but ignored, why (one line naming the file)."""

    card: dict | None
    problem: str | None = None


def read_card(model_path: Path) -> CardReading:
    """The model card beside ``model_path`` (``<name>.card.json``), read with a size and depth bound and
    reduced to the fields the product uses, each type-checked (:func:`card_fields`).

    No card file: ``CardReading(None)``.  A card that is not a readable JSON object, or whose recorded
    hash does not match the model file (left by a crash or a failed save): ``CardReading(None, line)``.
    A card written before digitpad recorded the hash is taken as it is."""
    json_path = card_paths(model_path)[0]
    if not json_path.exists() and not json_path.is_symlink():
        return CardReading(None)
    try:
        raw = read_json_object(json_path, MAX_CARD_BYTES, "model card")
        recorded = raw.get(MODEL_HASH_KEY)
        if recorded is not None and recorded != file_sha256(regular_file(model_path, "model file")):
            return CardReading(None, f"{json_path}: the card does not match the model (written for an earlier "
                                     f"file); ignored")
    except FileFormatError as exc:
        return CardReading(None, str(exc))
    except OSError as exc:
        return CardReading(None, f"{model_path}: cannot read the model file ({exc.strerror or exc}); "
                                 f"its card is ignored")
    return CardReading(card_fields(raw))


def read_card_markdown(model_path: Path) -> str | None:
    """The Markdown card beside ``model_path`` (``<name>.md``, size-bounded), or None when there is none,
    it cannot be read, or the JSON card beside it is ignored (stale, damaged): the two are written together."""
    if read_card(model_path).problem is not None:
        return None
    try:
        return read_bounded(card_paths(model_path)[1], MAX_CARD_BYTES, "model card").decode("utf-8")
    except (FileFormatError, UnicodeDecodeError):
        return None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _number(low: float = -math.inf, high: float = math.inf) -> Callable[[object], float | None]:
    return lambda value: finite_number(value, low, high)


def _count(low: int = 0) -> Callable[[object], int | None]:
    def check(value: object) -> int | None:
        number = finite_number(value, low)
        return int(number) if number is not None and number == int(number) else None
    return check


def _object(value: object) -> dict | None:
    return value if isinstance(value, dict) else None


_ACCURACY = _number(0.0, 1.0)
_HISTORY_FIELDS: dict[str, Callable[[object], object]] = {
    "epoch": _count(1), "train_loss": _number(0.0), "train_accuracy": _ACCURACY, "val_loss": _number(0.0),
    "val_accuracy": _ACCURACY, "lr": _number(0.0), "seconds": _number(0.0)}


def _history(value: object) -> list[dict] | None:
    """A training history every entry of which has every figure :func:`render_markdown` prints."""
    if not isinstance(value, list):
        return None
    entries = [_checked(entry, _HISTORY_FIELDS) if isinstance(entry, dict) else {} for entry in value]
    return entries if all(len(entry) == len(_HISTORY_FIELDS) for entry in entries) else None


def _per_class(value: object) -> list[float] | None:
    if not isinstance(value, list) or len(value) != 10:
        return None
    figures = [_ACCURACY(a) for a in value]
    return None if None in figures else figures


CARD_FIELDS: dict[str, Callable[[object], object]] = {
    "name": _text, "created": _text, "digitpad_version": _text, "command": _text, "notes": _text,
    "parameters": _count(), "epochs_run": _count(), "best_epoch": _count(1),
    "test_accuracy": _ACCURACY, "best_val_accuracy": _ACCURACY, "test_per_class_accuracy": _per_class,
    "wall_time_s": _number(0.0), "training": _object, "history": _history,
}
"""The fields of a card that the product reads (``average``, ``export``), each with its check: a
value of the wrong type or out of range (``"abc"``, a list, 10**400) is treated as absent."""


def _checked(raw: dict, fields: dict[str, Callable[[object], object]]) -> dict:
    checked = {key: check(raw[key]) for key, check in fields.items() if key in raw}
    return {key: value for key, value in checked.items() if value is not None}


def card_fields(raw: dict) -> dict:
    """The fields of ``raw`` (a card, or a model file's metadata) listed in :data:`CARD_FIELDS` that
    pass their check; every other field is left out."""
    return _checked(raw, CARD_FIELDS)
