"""Loading models without pickle (the format and saving: :mod:`digitpad.nn.model_file`).

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

import inspect
import json
import lzma
import zipfile
import zlib
from pathlib import Path

import numpy as np

from digitpad.errors import ArchitectureError, ModelFileError
from digitpad.nn.model_file import FORMAT_NAME, FORMAT_VERSION, HEADER_KEY, MAX_HEADER_BYTES, MAX_PARAMETERS
from digitpad.nn.module import LAYER_TYPES, Module
from digitpad.nn.onnx_import import import_onnx
from digitpad.nn.sequential import Sequential

MAX_DIMENSION = 100_000
_MAY_BE_ZERO = {"padding"}  # integer layer arguments that may be 0; the others (sizes, strides) start at 1


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
        expected = _expected_types(cls, key)
        if expected is not None and not any(_has_type(value, kind) for kind in expected):
            raise ArchitectureError(f"{where} ({name}): {key} must be {' or '.join(sorted(expected))}, "
                                    f"got {value!r:.60}")
        low = 0 if key in _MAY_BE_ZERO else 1
        if _is_int(value) and not low <= value <= MAX_DIMENSION:
            raise ArchitectureError(f"{where} ({name}): {key}={value} is out of range ({low} to {MAX_DIMENSION:,})")
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


def _expected_types(cls, key: str) -> set[str] | None:
    """The JSON types the constructor's annotation allows for ``key`` ("int", "float", "str", "bool",
    "None"), or None when the argument is unknown or unannotated (the constructor then decides).
    Arguments taking Python objects (a random generator) accept only null from a file."""
    try:
        parameter = inspect.signature(cls).parameters.get(key)
    except (TypeError, ValueError):
        return None
    if parameter is None or parameter.annotation is inspect.Parameter.empty:
        return None
    return {part.strip() for part in str(parameter.annotation).split("|")} & {"int", "float", "str", "bool", "None"} or {"None"}


def _has_type(value, kind: str) -> bool:
    if kind == "int":
        return _is_int(value)
    if kind == "float":
        return _is_int(value) or isinstance(value, float)
    if kind == "bool":
        return isinstance(value, bool)
    return value is None if kind == "None" else isinstance(value, str)


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
    """Load a model saved by :func:`save_model`, or an ONNX graph (a ``.onnx`` path, read by
    :func:`~digitpad.nn.onnx_import.import_onnx`).  Any problem raises :class:`ModelFileError`
    naming the file and saying what is wrong."""
    path = Path(path)
    if path.suffix.lower() == ".onnx":
        return import_onnx(path)
    if not path.exists():
        raise ModelFileError(f"{path}: no such model file")
    if path.is_dir():
        raise ModelFileError(f"{path}: is a directory, not a model file")
    try:
        with _open_archive(path) as archive:
            if HEADER_KEY not in archive.files:
                raise ModelFileError(f"{path}: not a digitpad model (no {HEADER_KEY} header)")
            shape, _ = _array_header(archive, HEADER_KEY, path)
            if len(shape) != 1 or shape[0] > MAX_HEADER_BYTES:
                raise ModelFileError(f"{path}: malformed {HEADER_KEY} header (shape {shape})")
            header = _read_header(archive[HEADER_KEY], path)
            _check_size(header["model"], path)
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
                shape, dtype = _array_header(archive, key, path)  # checked before the array is allocated
                if shape != target.shape or dtype.kind != "f":
                    raise ModelFileError(f"{path}: array {key} has shape {shape} and type {dtype}, "
                                         f"expected {target.shape} float")
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
    except (zipfile.BadZipFile, EOFError, OSError, KeyError, zipfile.LargeZipFile, zlib.error, lzma.LZMAError,
            NotImplementedError, RuntimeError) as exc:  # unknown compression method; encrypted member
        raise ModelFileError(f"{path}: damaged or truncated model file ({type(exc).__name__}: {exc})") from None
    model.load_state(arrays)
    metadata = header.get("metadata")
    model.metadata = metadata if isinstance(metadata, dict) else {}
    model.eval()
    _check_outputs(model, path)
    return model


ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")   # an .npz is a zip archive (the second: an empty one)
PICKLE_MAGIC = b"\x80"                         # pickle protocols 2 and later start with PROTO


def _open_archive(path: Path) -> np.lib.npyio.NpzFile:
    """The .npz archive at ``path``; any other kind of file is refused by its first bytes, before NumPy
    guesses (it takes everything that is neither zip nor .npy for a pickle)."""
    with open(path, "rb") as f:
        start = f.read(6)
    if start.startswith(PICKLE_MAGIC):
        raise ModelFileError(f"{path}: contains pickled Python objects, refused (model files hold plain arrays)")
    if not start.startswith(ZIP_MAGIC) and not start.startswith(b"\x93NUMPY"):
        raise ModelFileError(f"{path}: not a digitpad model file (.npz)" + ("; the file is empty" if not start else ""))
    archive = np.load(path, allow_pickle=False)
    if not isinstance(archive, np.lib.npyio.NpzFile):  # a bare .npy array
        raise ModelFileError(f"{path}: not a digitpad model (a single .npy array, not an .npz archive)")
    return archive


def _array_header(archive, key: str, path: Path) -> tuple[tuple[int, ...], np.dtype]:
    """Shape and dtype of the archive's array ``key``, read from its .npy header without loading it
    (a tiny file can declare a huge shape)."""
    with archive.zip.open(f"{key}.npy") as member:
        version = np.lib.format.read_magic(member)
        readers = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
        if version not in readers:
            raise ModelFileError(f"{path}: array {key} is in .npy format {version[0]}.{version[1]}, not 1.0 or 2.0")
        shape, _, dtype = readers[version](member)
    return tuple(shape), dtype


def _check_size(spec: dict, path: Path) -> None:
    """Refuse a description whose parameters cannot be in a file this small (before building it):
    saved weights take 4 bytes each, so a real file holds at least one byte per parameter."""
    layers = spec.get("layers")
    if not isinstance(layers, list):
        return  # build_model explains
    declared = sum(_estimated_parameters(entry["config"]) for entry in layers
                   if isinstance(entry, dict) and isinstance(entry.get("config"), dict))
    size = path.stat().st_size
    if size < declared <= MAX_PARAMETERS:
        raise ModelFileError(f"{path}: the architecture declares {declared:,} parameters but the file has only "
                             f"{size:,} bytes (truncated or damaged)")


def _check_outputs(model: Sequential, path: Path) -> None:
    """Run a blank and a full input through the model: stored numbers that are finite but absurd
    (negative variances, 1e38 weights) would make every prediction NaN."""
    probe = np.stack([np.zeros(model.input_shape, np.float32), np.ones(model.input_shape, np.float32)])
    with np.errstate(all="ignore"):
        probs = model.predict_proba(probe)
    if not np.all(np.isfinite(probs)):
        raise ModelFileError(f"{path}: the model's weights give NaN or infinite outputs (damaged or diverged model)")


def _read_header(raw: np.ndarray, path: Path) -> dict:
    if raw.dtype != np.uint8 or raw.ndim != 1:
        raise ModelFileError(f"{path}: malformed {HEADER_KEY} header")
    try:
        header = json.loads(raw.tobytes().decode("utf-8"))
    except (ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, a 5000-digit number, deep nesting
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
