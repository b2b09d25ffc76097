"""The digitpad model file: written and read here, and nowhere else.

A model file is a NumPy ``.npz`` archive of plain arrays, no pickle:

- ``__digitpad__`` (:data:`HEADER_KEY`): the UTF-8 JSON header as a uint8 array —
  ``{"format": "digitpad-model", "version": 1, "model": {"input_shape": [...], "layers":
  [{"type": ..., "config": {...}}]}, "metadata": {...}}`` (the description
  :func:`~digitpad.nn.io.description.build_model` reads, and the model's metadata: its card's summary);
- one float32 array per parameter and buffer, named ``"<layer index>.<name>"``.

:func:`save_model` writes it atomically; :func:`load_model` reads it (and ONNX graphs, through
:func:`~digitpad.nn.io.onnx_import.import_onnx`); :func:`read_header` and :func:`read_metadata` read
its header alone, for the model store's listing.

Every archive, a model file or a training checkpoint (the trainer's own header, the same arrays), is
read by :class:`ModelArchive`, which checks what the file declares against the limits of
:mod:`~digitpad.nn.io.checks` before it allocates anything: only a regular file is opened; its zip
members must be neither encrypted nor compressed by an unknown method, and their uncompressed sizes
are bounded; every array's .npy header is read first (type, item size, shape; an object array is
refused, never unpickled).  The JSON header is bounded in size and nesting, every layer type and
argument is validated and the model's parameters and each layer's activations for its input are
counted before the model is built, and every array must have the expected shape and hold finite
numbers.
"""

from __future__ import annotations

import io
import json
import lzma
import math
import os
import struct
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from digitpad.atomic import atomic_write
from digitpad.errors import ArchitectureError, FileFormatError, ModelFileError
from digitpad.file_reading import parse_json
from digitpad.nn.io.checks import (MAX_ARRAYS, MAX_FILE_BYTES, MAX_HEADER_BYTES, MAX_ITEM_BYTES, MAX_LAYERS,
                                   MAX_PARAMETERS, check_outputs, regular_model_file)
from digitpad.nn.io.description import build_model, estimated_parameters
from digitpad.nn.io.onnx_import import import_onnx
from digitpad.nn.sequential import Sequential

FORMAT_NAME = "digitpad-model"
FORMAT_VERSION = 1
HEADER_KEY = "__digitpad__"


def save_model(model: Sequential, path: str | os.PathLike[str]) -> None:
    """Write ``model`` (its ``config()``, ``state()`` and ``metadata``) to ``path`` atomically: an
    interrupted save leaves the previous file intact.  :class:`ModelFileError` naming the file when it
    cannot be written (a full disk, a read-only folder)."""
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


def load_model(path: str | os.PathLike[str]) -> Sequential:
    """Load a model saved by :func:`save_model`, or an ONNX graph (a ``.onnx`` path, read by
    :func:`~digitpad.nn.io.onnx_import.import_onnx`).  Any problem raises :class:`ModelFileError`
    naming the file and saying what is wrong."""
    path = Path(path)
    if path.suffix.lower() == ".onnx":
        return import_onnx(path)
    with ModelArchive(path) as archive:
        header = _model_header(archive)
        archive.check_size(header["model"])
        try:
            model = build_model(header["model"], source=str(path))
        except ArchitectureError as exc:
            raise ModelFileError(str(exc)) from None
        arrays = archive.read_arrays({key: value.shape for key, value in model.state().items()})
    model.load_state(arrays)
    metadata = header.get("metadata")
    model.metadata = metadata if isinstance(metadata, dict) else {}
    model.eval()
    check_outputs(model, path)
    return model


def read_header(path: str | os.PathLike[str]) -> dict:
    """The header of the digitpad model file at ``path`` (``format``, ``version``, ``model``,
    ``metadata``), checked as :func:`load_model` checks it, without reading the weights."""
    with ModelArchive(path) as archive:
        return _model_header(archive)


def read_metadata(path: str | os.PathLike[str]) -> dict:
    """The metadata saved with the model at ``path`` (a digitpad ``.npz``: from its header, without
    loading its weights; an ONNX graph is read whole: its metadata lives in the same protobuf message
    as its weights), ``{}`` when there is none.  Bounded as loading is; :class:`ModelFileError` naming
    the file when it cannot be read."""
    if Path(path).suffix.lower() == ".onnx":
        return import_onnx(path).metadata
    metadata = read_header(path).get("metadata")
    return metadata if isinstance(metadata, dict) else {}


ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")   # an .npz is a zip archive (the second: an empty one)
ZIP_END, ZIP_END_BYTES = b"PK\x05\x06", 22     # the end-of-directory record and its size without a comment
ZIP_END_SEARCH = ZIP_END_BYTES + (1 << 16)     # the record ends the file, but for a comment of up to 64 kB
ZIP_ENTRY_BYTES = 256                          # a directory entry: 46 bytes and the name ("12.running_var.npy")
PICKLE_MAGIC = b"\x80"                         # pickle protocols 2 and later start with PROTO
NPY_MAGIC = b"\x93NUMPY"
_NPY_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


class ModelArchive:
    """An ``.npz`` archive, a model file or a training checkpoint (``what``), opened with every size it
    declares checked against the limits of :mod:`~digitpad.nn.io.checks` before anything is read.

    Opening refuses anything but a regular file of at most :data:`MAX_FILE_BYTES`, pickles and other
    formats by their first bytes, a zip directory declaring more than :data:`MAX_ARRAYS` members (read
    from its end record, before zipfile reads the directory), encrypted members and unknown compression
    methods, and more than :data:`MAX_FILE_BYTES` of members uncompressed; then it reads every array's
    .npy header: floats of at most :data:`MAX_ITEM_BYTES` bytes (no strings, no objects) and at most
    :data:`MAX_PARAMETERS` values, the header ``header_key`` at most :data:`MAX_HEADER_BYTES` of uint8,
    and no array more bytes than its member holds.  Then :meth:`header` reads the JSON header and
    :meth:`read_arrays` the arrays of the shapes the caller expects.  Every problem is a one-line
    :class:`ModelFileError` naming the file."""

    def __init__(self, path: str | os.PathLike[str], what: str = "model file", header_key: str = HEADER_KEY):
        self.path, self.what, self.header_key = regular_model_file(path, what), what, header_key
        self.zip: zipfile.ZipFile | None = None
        with self._reading():
            self.size = self.path.stat().st_size
            if self.size > MAX_FILE_BYTES:
                self.fail(f"{self.size:,} bytes, more than a {what} can need ({MAX_FILE_BYTES:,}); refused")
            with open(self.path, "rb") as f:
                start = f.read(len(NPY_MAGIC))
                f.seek(max(0, self.size - ZIP_END_SEARCH))
                tail = f.read()
            if start.startswith(PICKLE_MAGIC):
                self.fail(f"contains pickled Python objects, refused ({what}s hold plain arrays)")
            if start.startswith(NPY_MAGIC):
                self.fail(f"not a {what} (a single .npy array, not an .npz archive)")
            if not start.startswith(ZIP_MAGIC):
                self.fail(f"not a digitpad {what} (.npz)" + ("; the file is empty" if not start else ""))
            self._check_directory(tail)
            self.zip = zipfile.ZipFile(self.path)
            self.members = self._members()
            if header_key not in self.members:
                self.fail(f"not a digitpad {what} (no {header_key} header)")
            self.arrays = {key: self._array_header(key, info) for key, info in self.members.items()}

    def __enter__(self) -> "ModelArchive":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()

    def fail(self, message: str):
        raise ModelFileError(f"{self.path}: {message}")

    @contextmanager
    def _reading(self):
        """Turn what the zip and .npy readers raise on a damaged file into one line naming the file."""
        try:
            yield
        except ModelFileError:
            self.close()
            raise
        except PermissionError:
            self.close()
            raise ModelFileError(f"{self.path}: permission denied (cannot read this {self.what})") from None
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError, ValueError, zlib.error,
                lzma.LZMAError, NotImplementedError, RuntimeError) as exc:
            self.close()
            reason = (str(exc).splitlines() or [""])[0][:160]
            raise ModelFileError(f"{self.path}: damaged or truncated {self.what} ({type(exc).__name__}: {reason})") from None

    def _check_directory(self, tail: bytes) -> None:
        """The member count and directory size the zip's end record declares (in the file's last
        ``tail`` bytes): zipfile reads the whole directory into memory before anything can be checked."""
        end = tail.rfind(ZIP_END)
        if end < 0 or len(tail) - end < ZIP_END_BYTES:
            return  # not a zip archive after all: zipfile says so
        members, directory_bytes = struct.unpack_from("<HL", tail, end + 10)
        if members > MAX_ARRAYS or directory_bytes > MAX_ARRAYS * ZIP_ENTRY_BYTES:
            self.fail(f"its zip directory declares {members:,} members in {directory_bytes:,} bytes, more than a "
                      f"{self.what} has ({MAX_ARRAYS:,} arrays); refused")

    def _members(self) -> dict[str, zipfile.ZipInfo]:
        """The archive's members by array name, their flags, methods and declared sizes checked."""
        infos = self.zip.infolist()
        if len(infos) > MAX_ARRAYS:
            self.fail(f"{len(infos):,} members, more than a {self.what} has ({MAX_ARRAYS:,}); refused")
        members, total = {}, 0
        for info in infos:
            name = info.filename
            if info.flag_bits & 0x1:
                self.fail(f"member {name!r:.80} is encrypted; a {self.what} never is (damaged or foreign file)")
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                self.fail(f"member {name!r:.80} uses compression method {info.compress_type}; digitpad reads stored "
                          "or deflated members (damaged or foreign file)")
            total += info.file_size
            if total > MAX_FILE_BYTES:
                self.fail(f"its members declare more than {MAX_FILE_BYTES:,} bytes uncompressed, more than a "
                          f"{self.what} can hold; refused")
            if not name.endswith(".npy"):
                self.fail(f"member {name!r:.80} is not a .npy array (damaged or foreign file)")
            members[name[:-len(".npy")]] = info
        return members

    def _array_header(self, key: str, info: zipfile.ZipInfo) -> tuple[tuple[int, ...], np.dtype]:
        """Shape and dtype of the array ``key`` from its .npy header, checked before the array is read
        (a tiny file can declare a huge shape or a type of 4,000 bytes a value)."""
        with self.zip.open(info) as member:
            if member.read(len(NPY_MAGIC)) != NPY_MAGIC:
                self.fail(f"member {info.filename!r:.80} is not a .npy array (damaged or foreign file)")
            version = tuple(member.read(2))
            if version not in _NPY_READERS:
                self.fail(f"array {key} is in .npy format {'.'.join(map(str, version))}, not 1.0 or 2.0")
            shape, _, dtype = _NPY_READERS[version](member)
        if dtype.hasobject:
            self.fail(f"array {key} holds pickled Python objects, refused ({self.what}s hold plain arrays)")
        count = math.prod(shape)
        if key == self.header_key:
            if dtype != np.uint8 or len(shape) != 1 or count > MAX_HEADER_BYTES:
                self.fail(f"malformed {key} header (shape {shape}, type {dtype.str}; expected at most "
                          f"{MAX_HEADER_BYTES:,} bytes of uint8)")
        elif dtype.kind != "f" or dtype.itemsize > MAX_ITEM_BYTES:
            self.fail(f"array {key} has type {dtype.str} ({dtype.itemsize:,} bytes a value); {self.what}s hold "
                      f"floats of at most {MAX_ITEM_BYTES} bytes (damaged or foreign file)")
        elif min(shape, default=0) < 0 or count > MAX_PARAMETERS:
            self.fail(f"array {key} declares shape {shape}, more than the {MAX_PARAMETERS:,} values digitpad allows")
        if count * dtype.itemsize > info.file_size:
            self.fail(f"array {key} declares shape {shape} of {dtype.str} ({count * dtype.itemsize:,} bytes) but its "
                      f"member holds {info.file_size:,} bytes (damaged or truncated)")
        return tuple(shape), dtype

    def _read(self, key: str) -> np.ndarray:
        with self._reading(), self.zip.open(self.members[key]) as member:
            return np.lib.format.read_array(member, allow_pickle=False)

    def header(self) -> object:
        """The JSON header (its size checked when the archive was opened), nesting bounded."""
        raw = self._read(self.header_key)
        try:
            return parse_json(raw.tobytes(), self.path, f"{self.what} header")
        except FileFormatError as exc:
            self.fail(f"unreadable header ({str(exc).removeprefix(f'{self.path}: ')})")

    def read_arrays(self, expected: dict[str, tuple[int, ...]]) -> dict[str, np.ndarray]:
        """Every array but the header, which must be exactly those of ``expected`` (name -> shape), float
        and finite.  Each array's declared shape is checked before it is read."""
        names = set(self.arrays) - {self.header_key}
        missing, extra = sorted(set(expected) - names), sorted(names - set(expected))
        if missing or extra:
            self.fail(f"arrays do not match the architecture (missing: {', '.join(missing[:10]) or 'none'}; "
                      f"unexpected: {', '.join(extra[:10]) or 'none'})")
        arrays = {}
        for key, target in expected.items():
            shape, _ = self.arrays[key]
            if shape != tuple(target):
                self.fail(f"array {key} has shape {shape}, expected {tuple(target)}")
            value = self._read(key)
            if not np.all(np.isfinite(value)):
                self.fail(f"array {key} holds NaN or infinite values")
            arrays[key] = value
        return arrays

    def check_size(self, spec: object) -> None:
        """Refuse a description whose parameters cannot be in a file this small (before building it):
        saved weights take 4 bytes each, so a real file holds at least one byte per parameter."""
        layers = spec.get("layers") if isinstance(spec, dict) else None
        if not isinstance(layers, list):
            return  # build_model explains
        declared = sum(estimated_parameters(entry["config"]) for entry in layers[:MAX_LAYERS + 1]
                       if isinstance(entry, dict) and isinstance(entry.get("config"), dict))
        if self.size < declared <= MAX_PARAMETERS:
            self.fail(f"the architecture declares {declared:,} parameters but the file has only {self.size:,} bytes "
                      "(truncated or damaged)")


def _model_header(archive: ModelArchive) -> dict:
    header = archive.header()
    if not isinstance(header, dict) or header.get("format") != FORMAT_NAME:
        archive.fail("not a digitpad model file")
    version = header.get("version")
    if version != FORMAT_VERSION:
        archive.fail(f"model format version {version!r:.40}, this digitpad reads version {FORMAT_VERSION}; "
                     "upgrade digitpad or retrain the model")
    if not isinstance(header.get("model"), dict):
        archive.fail("header has no model description")
    return header
