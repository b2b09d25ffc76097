"""Saving and loading models without pickle.

A model file is a NumPy ``.npz`` archive holding:

- ``__digitpad__``: the UTF-8 JSON header as a uint8 array — ``{"format": "digitpad-model",
  "version": 1, "model": {"input_shape": [...], "layers": [{"type": ..., "config": {...}}]},
  "metadata": {...}}``;
- one float array per parameter and buffer, named ``"<layer index>.<name>"``.

It is read with ``allow_pickle=False`` (an object array is refused, never executed), every layer
type and argument is validated before anything is allocated, and every array must have the
expected shape and hold finite numbers.  Saving writes a temporary file and renames it over the
target, so an interrupted save leaves the previous file intact.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np

from digitpad.atomic import atomic_write
from digitpad.errors import ArchitectureError, ModelFileError
from digitpad.nn.module import LAYER_TYPES, Module
from digitpad.nn.sequential import Sequential

FORMAT_NAME = "digitpad-model"
FORMAT_VERSION = 1
HEADER_KEY = "__digitpad__"
MAX_PARAMETERS = 50_000_000  # 200 MB of float32: far above any digit model, far below harm
MAX_DIMENSION = 100_000


def save_model(model: Sequential, path) -> None:
    path = Path(path)
    header = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "model": model.config(),
              "metadata": model.metadata}
    arrays = {HEADER_KEY: np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)}
    arrays.update({key: np.ascontiguousarray(value, dtype=np.float32) for key, value in model.state().items()})
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    try:
        with atomic_write(path, "wb") as f:
            f.write(buffer.getvalue())
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot save the model ({exc.strerror or exc})") from None


def build_model(spec: dict, source: str = "architecture") -> Sequential:
    """Build a Sequential from ``{"input_shape": [...], "layers": [{"type", "config"}...]}``,
    validating every field first.  Raises :class:`ArchitectureError` naming ``source``."""
    if not isinstance(spec, dict) or not isinstance(spec.get("layers"), list) or not spec["layers"]:
        raise ArchitectureError(f"{source}: expected an object with a non-empty \"layers\" list")
    input_shape = spec.get("input_shape", [1, 28, 28])
    if (not isinstance(input_shape, list) or not 1 <= len(input_shape) <= 3
            or not all(_is_int(d) and 1 <= d <= MAX_DIMENSION for d in input_shape)):
        raise ArchitectureError(f"{source}: \"input_shape\" must be a list of 1 to 3 positive integers, got {input_shape!r}")
    layers, total = [], 0
    for i, entry in enumerate(spec["layers"]):
        layer = _build_layer(entry, f"{source}: layer {i}")
        total += layer.parameter_count()
        if total > MAX_PARAMETERS:
            raise ArchitectureError(f"{source}: more than {MAX_PARAMETERS:,} parameters; not a digit model")
        layers.append(layer)
    try:
        return Sequential(layers, input_shape=tuple(input_shape))
    except ValueError as exc:
        raise ArchitectureError(f"{source}: {exc}") from None


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _build_layer(entry, where: str) -> Module:
    if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
        raise ArchitectureError(f"{where}: expected {{\"type\": ..., \"config\": {{...}}}}, got {entry!r:.80}")
    name = entry["type"]
    cls = LAYER_TYPES.get(name)
    if cls is None or cls is Sequential:
        known = ", ".join(sorted(k for k in LAYER_TYPES if k != "Sequential"))
        raise ArchitectureError(f"{where}: unknown layer type {name!r} (known: {known})")
    config = entry.get("config", {})
    if not isinstance(config, dict):
        raise ArchitectureError(f"{where} ({name}): \"config\" must be an object")
    for key, value in config.items():
        if _is_int(value) and not 0 <= value <= MAX_DIMENSION:
            raise ArchitectureError(f"{where} ({name}): {key}={value} is out of range")
        if isinstance(value, float) and not np.isfinite(value):
            raise ArchitectureError(f"{where} ({name}): {key}={value} is not a finite number")
        if not isinstance(value, (int, float, str, type(None))):
            raise ArchitectureError(f"{where} ({name}): {key} has unsupported value {value!r:.60}")
    if _estimated_parameters(config) > MAX_PARAMETERS:
        raise ArchitectureError(f"{where} ({name}): {config} would allocate more than {MAX_PARAMETERS:,} parameters")
    try:
        return cls(**config)
    except (TypeError, ValueError) as exc:
        raise ArchitectureError(f"{where} ({name}): {exc}") from None


def _estimated_parameters(config: dict) -> int:
    """An upper bound on a layer's parameter count, checked before allocating anything: the product
    of its feature/channel counts and kernel area (Dense: in·out, Conv2D: in·out·k²)."""
    counts = [config.get(key) for key in ("in_features", "out_features", "in_channels", "out_channels",
                                          "num_features", "num_parameters")]
    kernel = config.get("kernel_size", 1)
    total = kernel * kernel if _is_int(kernel) else 1
    for count in counts:
        if _is_int(count):
            total *= max(count, 1)
    return total


def load_model(path) -> Sequential:
    """Load a model saved by :func:`save_model`.  Any problem raises :class:`ModelFileError`
    naming the file and saying what is wrong."""
    path = Path(path)
    if not path.exists():
        raise ModelFileError(f"{path}: no such model file")
    if path.is_dir():
        raise ModelFileError(f"{path}: is a directory, not a model file")
    try:
        with np.load(path, allow_pickle=False) as archive:
            if HEADER_KEY not in archive.files:
                raise ModelFileError(f"{path}: not a digitpad model (no {HEADER_KEY} header)")
            header = _read_header(archive[HEADER_KEY], path)
            try:
                model = build_model(header["model"], source=str(path))
            except ArchitectureError as exc:
                raise ModelFileError(str(exc)) from None
            expected = model.state()
            missing = sorted(set(expected) - set(archive.files))
            extra = sorted(set(archive.files) - set(expected) - {HEADER_KEY})
            if missing or extra:
                raise ModelFileError(f"{path}: arrays do not match the architecture "
                                     f"(missing: {', '.join(missing) or 'none'}; unexpected: {', '.join(extra) or 'none'})")
            arrays = {}
            for key, target in expected.items():
                value = archive[key]
                if value.shape != target.shape or value.dtype.kind != "f":
                    raise ModelFileError(f"{path}: array {key} has shape {value.shape} and type {value.dtype}, "
                                         f"expected {target.shape} float")
                if not np.all(np.isfinite(value)):
                    raise ModelFileError(f"{path}: array {key} holds NaN or infinite values")
                arrays[key] = value
    except ModelFileError:
        raise
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise ModelFileError(f"{path}: contains pickled Python objects, refused (model files hold plain arrays)") from None
        raise ModelFileError(f"{path}: damaged model file ({exc})") from None
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, zipfile.LargeZipFile) as exc:
        raise ModelFileError(f"{path}: damaged or truncated model file ({type(exc).__name__}: {exc})") from None
    model.load_state(arrays)
    model.metadata = header.get("metadata") or {}
    model.eval()
    return model


def _read_header(raw: np.ndarray, path: Path) -> dict:
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise ModelFileError(f"{path}: malformed {HEADER_KEY} header")
    try:
        header = json.loads(raw.tobytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFileError(f"{path}: unreadable header ({exc})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        raise ModelFileError(f"{path}: not a digitpad model file")
    version = header.get("version")
    if version != FORMAT_VERSION:
        raise ModelFileError(f"{path}: model format version {version!r}, this digitpad reads version {FORMAT_VERSION}; "
                             "upgrade digitpad or retrain the model")
    if not isinstance(header.get("model"), dict):
        raise ModelFileError(f"{path}: header has no model description")
    return header
