"""Where models live: the shipped ones (``models/`` in the source tree, installed as the
``digitpad.models`` package data) and the user's own (``$DIGITPAD_MODELS_DIR``, else
``$XDG_DATA_HOME/digitpad/models`` or ``~/.local/share/digitpad/models``).  A model is a digitpad
``.npz`` file or an ``.onnx`` graph (`digitpad export`, or one made elsewhere that the engine can run);
where both share a name, the ``.npz`` is the one listed and resolved.

Listing never fails: a file that cannot be read is listed with the reason (:attr:`ModelEntry.problem`).
Every command and the app open models through :func:`open_model`, which also checks that the model
fits the product: an image network ((1, 28, 28) images in) or a stroke model (trajectories of
`digitpad.drawing.trajectory.TRAJECTORY_SHAPE` in), one score per digit out.  The app and the command
line read with the shipped CNN and the shipped stroke model together by default (`default_reader_names`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from digitpad import nn
from digitpad.drawing.network_input import misfit
from digitpad.drawing.trajectory import TRAJECTORY_SHAPE, misfit_strokes
from digitpad.reading.calibration import Calibration
from digitpad.errors import DigitpadError, ModelFileError
from digitpad.file_reading import finite_number
from digitpad.nn.io import read_header
from digitpad.nn.io.checks import MAX_PARAMETERS
from digitpad.user_dirs import user_models_dir

DEFAULT_MODEL = "cnn"
DEFAULT_STROKE_MODEL = "strokes"
DEFAULT_STROKE_WEIGHT = 0.5   # for a stroke model whose metadata gives none
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
    problem: str | None = None  # why the file cannot be read (one line naming it); None when it can
    reads: str | None = None    # "image" or "strokes": what the model reads (None when it cannot be read)

    @property
    def test_accuracy(self) -> float | None:
        return finite_number(self.metadata.get("test_accuracy"), 0, 1)

    @property
    def parameters(self) -> int | None:
        count = finite_number(self.metadata.get("parameters"), 1, MAX_PARAMETERS)
        return int(count) if count is not None else None

    @property
    def label(self) -> str:
        if self.problem:
            return f"{self.name} (unreadable)"
        acc = f", {self.test_accuracy:.2%}" if self.test_accuracy is not None else ""
        return f"{self.name} ({self.kind}{acc})"


def _entry(path: Path, kind: str) -> ModelEntry:
    try:
        if path.suffix.lower() == ".onnx":   # its metadata lives in the same message as its weights
            model = nn.import_onnx(path)
            shape, metadata = tuple(model.input_shape), model.metadata
        else:
            header = read_header(path)
            shape, metadata = tuple(header["model"]["input_shape"]), header.get("metadata")
        return ModelEntry(path.stem, path, kind, metadata if isinstance(metadata, dict) else {},
                          reads="strokes" if shape == TRAJECTORY_SHAPE else "image")
    except DigitpadError as exc:
        return ModelEntry(path.stem, path, kind, {}, problem=str(exc))


def reads_of(path: Path) -> str | None:
    """``"image"`` or ``"strokes"``: what the model file at ``path`` reads (from its header, without its
    weights, for an ``.npz``); None when it cannot be read."""
    return _entry(Path(path), "file").reads


def list_models() -> list[ModelEntry]:
    """Shipped models first (the default CNN at the top), then the user's, by name.  Every model file
    is listed: one that cannot be read has its reason in :attr:`ModelEntry.problem`."""
    entries = []
    for kind, folder in (("shipped", shipped_dir()), ("user", user_models_dir())):
        if not folder.is_dir():
            continue
        paths = {}
        for suffix in reversed(MODEL_SUFFIXES):   # an .npz replaces the .onnx of the same name
            paths.update((p.stem, p) for p in folder.glob(f"*{suffix}") if not p.name.endswith(".ckpt.npz"))
        for _, path in sorted(paths.items(), key=lambda item: (item[0] != DEFAULT_MODEL, item[0])):
            entries.append(_entry(path, kind))
    return entries


def open_model(path: str | os.PathLike[str]) -> nn.Sequential:
    """The model at ``path`` (a digitpad ``.npz`` or an ``.onnx`` graph; :func:`resolve` a name first),
    loaded by :func:`digitpad.nn.load_model` and checked to fit the product (`network_input.misfit`):
    a model taking other images or scoring other classes is refused here, in one line naming the
    file, before any command or the app uses it."""
    model = nn.load_model(path)
    problem = unfit(model)
    if problem:
        raise ModelFileError(f"{path}: {problem}")
    return model


def unfit(model: nn.Sequential) -> str | None:
    """Why ``model`` is neither an image network (`misfit`) nor a stroke model (`misfit_strokes`) digitpad
    can read with; None when it is one of them."""
    return misfit_strokes(model) if model.input_shape == TRAJECTORY_SHAPE else misfit(model)


def stroke_weight_of(model: nn.Sequential | None) -> float:
    """The weight a stroke model's answer gets beside an image network's: its metadata's
    ``stroke_weight`` (chosen on validation writers when it was trained), else `DEFAULT_STROKE_WEIGHT`."""
    metadata = getattr(model, "metadata", None) or {}
    weight = finite_number(metadata.get("stroke_weight"), 0, 1)
    return DEFAULT_STROKE_WEIGHT if weight is None else weight


def calibrations_of(model: nn.Sequential | None, strokes: nn.Sequential | None) -> dict[str, Calibration]:
    """How a reader of ``model`` (an image network) and ``strokes`` (a stroke model) calibrates what each
    reads: the image network's metadata ``calibration`` gives ``"image"``'s (an item without strokes);
    the stroke model's gives ``"strokes"``'s and ``"both"``'s (fitted beside the shipped CNN, as its
    weight).  A model without one gets `Calibration`'s defaults."""
    def saved(network: nn.Sequential | None, kind: str) -> Calibration:
        found = (getattr(network, "metadata", None) or {}).get("calibration")
        return Calibration.from_metadata(found.get(kind) if isinstance(found, dict) else None)

    return {"image": saved(model, "image"), "strokes": saved(strokes, "strokes"), "both": saved(strokes, "both")}


def default_reader_names() -> list[str]:
    """The models the app and the command line read with by default: the shipped CNN, and the shipped
    stroke model beside it when it is installed."""
    strokes = shipped_dir() / f"{DEFAULT_STROKE_MODEL}.npz"
    return [DEFAULT_MODEL] + ([DEFAULT_STROKE_MODEL] if strokes.is_file() else [])


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


def resolve_reader(spec: str | os.PathLike | Sequence[str | os.PathLike]) -> tuple[Path, ...]:
    """The model files of a reader: ``spec`` is names or paths joined by ``+`` (``"cnn+strokes"``), a
    list of them, or one Path (never split: a file name may hold a ``+``); each `resolve`d, so an unknown
    name is one ModelFileError line."""
    if isinstance(spec, (list, tuple)):
        parts = list(spec)
    else:
        parts = [spec] if isinstance(spec, Path) else [part.strip() for part in str(spec).split("+")]
    return tuple(resolve(part) for part in parts)


def default_model_path() -> Path:
    return shipped_dir() / f"{DEFAULT_MODEL}.npz"
