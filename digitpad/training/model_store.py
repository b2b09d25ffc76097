"""Where models live: the shipped ones (``models/`` in the source tree, installed as the
``digitpad.models`` package data) and the user's own (``$DIGITPAD_MODELS_DIR``, else
``$XDG_DATA_HOME/digitpad/models`` or ``~/.local/share/digitpad/models``).  A model is a digitpad
``.npz`` file or an ``.onnx`` graph (`digitpad export`, or one made elsewhere that the engine can run);
where both share a name, the ``.npz`` is the one listed and resolved."""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from digitpad.errors import ModelFileError
from digitpad.nn.model_file import HEADER_KEY
from digitpad.user_dirs import user_models_dir

DEFAULT_MODEL = "cnn"
MODEL_SUFFIXES = (".npz", ".onnx")


def shipped_dir() -> Path:
    """The installed ``digitpad.models`` package, else (a source checkout run without installing it,
    ``python -m digitpad``) the ``models/`` folder at the top of the checkout."""
    try:
        return Path(str(resources.files("digitpad.models")))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[2] / "models"


@dataclass
class ModelEntry:
    name: str
    path: Path
    kind: str                  # "shipped" or "user"
    metadata: dict

    @property
    def test_accuracy(self) -> float | None:
        value = self.metadata.get("test_accuracy")
        return float(value) if isinstance(value, (int, float)) else None

    @property
    def label(self) -> str:
        acc = f", {self.test_accuracy:.2%}" if self.test_accuracy is not None else ""
        return f"{self.name} ({self.kind}{acc})"


def read_metadata(path: Path) -> dict:
    """The metadata saved in a model file's header, without loading its weights (an ONNX graph is read
    whole: its metadata lives in the same protobuf message as its weights)."""
    if path.suffix.lower() == ".onnx":
        from digitpad.nn.onnx_import import import_onnx

        return import_onnx(path).metadata
    try:
        with np.load(path, allow_pickle=False) as archive:
            header = json.loads(archive[HEADER_KEY].tobytes().decode("utf-8"))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, UnicodeDecodeError) as exc:
        raise ModelFileError(f"{path}: not a readable digitpad model ({type(exc).__name__})") from None
    metadata = header.get("metadata") if isinstance(header, dict) else None
    return metadata if isinstance(metadata, dict) else {}


def list_models() -> list[ModelEntry]:
    """Shipped models first (the default CNN at the top), then the user's, by name; unreadable files are skipped."""
    entries = []
    for kind, folder in (("shipped", shipped_dir()), ("user", user_models_dir())):
        if not folder.is_dir():
            continue
        paths = {}
        for suffix in reversed(MODEL_SUFFIXES):   # an .npz replaces the .onnx of the same name
            paths.update((p.stem, p) for p in folder.glob(f"*{suffix}") if not p.name.endswith(".ckpt.npz"))
        for _, path in sorted(paths.items(), key=lambda item: (item[0] != DEFAULT_MODEL, item[0])):
            try:
                entries.append(ModelEntry(path.stem, path, kind, read_metadata(path)))
            except ModelFileError:
                continue
    return entries


def resolve(name_or_path: str | os.PathLike) -> Path:
    """A model path from a path, or from the name of a shipped or user model ("cnn", "mlp", ...)."""
    candidate = Path(name_or_path)
    if candidate.suffix.lower() in MODEL_SUFFIXES or candidate.exists():
        return candidate
    for folder in (user_models_dir(), shipped_dir()):
        for suffix in MODEL_SUFFIXES:
            path = folder / f"{name_or_path}{suffix}"
            if path.is_file():
                return path
    known = ", ".join(entry.name for entry in list_models()) or "none"
    raise ModelFileError(f"no model named {str(name_or_path)!r} (known models: {known}); "
                         "give a path to a .npz or .onnx file")


def default_model_path() -> Path:
    return shipped_dir() / f"{DEFAULT_MODEL}.npz"
