"""Bounded reading of the files digitpad reads: the counterpart of :mod:`digitpad.atomic`.

Every file the product opens goes through :func:`regular_file` first (a FIFO would block forever, a
device has no end, a folder is no file), is bounded in size before it is read, and our own JSON files
(settings, personal samples, model cards, the desktop manifest, model headers) are parsed by
:func:`parse_json`, which bounds their nesting *before* the parser recurses and turns every problem
into one :class:`~digitpad.errors.FileFormatError` line naming the file.

The limits of each kind of file are declared by its reader, beside its format; this module only
enforces them.
"""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path

import numpy as np

from digitpad.errors import FileFormatError

MAX_JSON_DEPTH = 32
"""Deepest nesting of arrays and objects in any JSON file of ours (a model header needs 5)."""

_OPEN, _CLOSE = np.frombuffer(b"[{", np.uint8), np.frombuffer(b"]}", np.uint8)


def regular_file(path: str | os.PathLike[str], what: str = "file") -> Path:
    """``path`` if it is a regular file (following symlinks), else a one-line
    :class:`FileFormatError`: missing, a folder, a FIFO or device, or not readable."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise FileFormatError(f"{path}: no such {what}") from None
    except PermissionError:
        raise FileFormatError(f"{path}: permission denied (cannot read this {what})") from None
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read this {what} ({exc.strerror or exc})") from None
    if stat.S_ISDIR(info.st_mode):
        raise FileFormatError(f"{path}: is a folder, not a {what}")
    if not stat.S_ISREG(info.st_mode):
        raise FileFormatError(f"{path}: is not a regular file (a pipe, socket or device), not a {what}")
    if not os.access(path, os.R_OK):
        raise FileFormatError(f"{path}: permission denied (cannot read this {what})")
    return path


def read_bounded(path: str | os.PathLike[str], max_bytes: int, what: str = "file") -> bytes:
    """The bytes of the regular file ``path``, refused (one line) when it holds more than ``max_bytes``;
    never reads more than ``max_bytes + 1`` bytes, whatever the file claims."""
    path = regular_file(path, what)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise FileFormatError(f"{path}: cannot read this {what} ({exc.strerror or exc})") from None
    if len(data) > max_bytes:
        raise FileFormatError(f"{path}: larger than {max_bytes:,} bytes, too large for a {what}; refused")
    return data


def json_depth(data: bytes) -> int:
    """An upper bound of the nesting depth of the JSON text ``data`` (brackets inside strings count
    too, so it is never an underestimate), computed without recursion."""
    codes = np.frombuffer(data, np.uint8)
    steps = np.isin(codes, _OPEN).astype(np.int32) - np.isin(codes, _CLOSE).astype(np.int32)
    return int(np.cumsum(steps).max(initial=0))


def parse_json(data: bytes | str, source: str | os.PathLike[str], what: str = "file",
               max_depth: int = MAX_JSON_DEPTH) -> object:
    """Parse our JSON text ``data`` read from ``source``; :class:`FileFormatError` naming ``source``
    when it is not UTF-8 JSON or nests deeper than ``max_depth``.  (``NaN`` and ``Infinity`` parse, as
    :func:`json.dumps` writes them; read figures with :func:`finite_number`.)"""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else bytes(data)
    depth = json_depth(raw)
    if depth > max_depth:
        raise FileFormatError(f"{source}: nested {depth} levels deep, more than a {what} has ({max_depth}); refused")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise FileFormatError(f"{source}: not a readable {what} ({_first_line(exc)})") from None


def read_json(path: str | os.PathLike[str], max_bytes: int, what: str = "file",
              max_depth: int = MAX_JSON_DEPTH) -> object:
    """:func:`read_bounded` then :func:`parse_json`."""
    return parse_json(read_bounded(path, max_bytes, what), path, what, max_depth)


def read_json_object(path: str | os.PathLike[str], max_bytes: int, what: str = "file",
                     max_depth: int = MAX_JSON_DEPTH) -> dict:
    """:func:`read_json` for a file whose top level must be an object."""
    value = read_json(path, max_bytes, what, max_depth)
    if not isinstance(value, dict):
        raise FileFormatError(f"{path}: not a {what} (expected a JSON object, found {type(value).__name__})")
    return value


def finite_number(value: object, low: float = -math.inf, high: float = math.inf) -> float | None:
    """``value`` as a float when it is a JSON number (not a bool) within ``[low, high]``, else None:
    how optional figures of a file (an accuracy, a wall time) are read without trusting them."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer of 400 digits
        return None
    return number if math.isfinite(number) and low <= number <= high else None


def _first_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0][:120]
