"""MNIST's four IDX files: what each one is (name, shape, published sizes and checksums) and reading one.

The data set is four IDX files: ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
``t10k-images-idx3-ubyte`` and ``t10k-labels-idx1-ubyte``, each normally gzip-compressed (``.gz``).
An IDX file is a big-endian header - a magic number (2051 for images, 2049 for labels), the item
count and, for images, rows and columns - followed by one unsigned byte per pixel or label.

Loading checks the header (magic, dimensions) before reading any data, reads at most the expected
number of bytes plus one (so neither a header claiming 10^9 images nor a gzip bomb can make it
allocate more than the real file needs), and compares the MD5 of the uncompressed content with the
canonical value, so gzipped and uncompressed files are verified alike.  Every problem is a
:class:`~digitpad.errors.DatasetError` whose one-line message names the file and says how to fix it.

:mod:`digitpad.data.mnist` finds the files, loads a split from them and downloads them.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from digitpad.drawing.network_input import SIDE
from digitpad.errors import DatasetError

__all__ = ["ALL_FILES", "IMAGE_MAGIC", "LABEL_MAGIC", "SPLITS", "TEST_IMAGES", "TEST_LABELS", "TRAIN_IMAGES",
           "TRAIN_LABELS", "MnistFile", "load_idx_file"]

IMAGE_MAGIC = 2051
LABEL_MAGIC = 2049

_FIX = "delete it and run `digitpad download`"
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class MnistFile:
    """One of the four canonical files, with its published sizes and checksums."""

    name: str  # uncompressed file name; the gzipped one adds ".gz"
    images: bool  # images (magic 2051, N x 28 x 28) or labels (magic 2049, N)
    count: int
    gz_size: int
    gz_md5: str  # canonical, as published; kept to cross-check gz_sha256 (see tests)
    gz_sha256: str  # what downloads are verified against
    idx_md5: str  # canonical MD5 of the uncompressed IDX content; what loading verifies

    @property
    def gz_name(self) -> str:
        return self.name + ".gz"

    @property
    def magic(self) -> int:
        return IMAGE_MAGIC if self.images else LABEL_MAGIC

    @property
    def header_size(self) -> int:
        return 16 if self.images else 8

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.count, SIDE, SIDE) if self.images else (self.count,)

    @property
    def idx_size(self) -> int:
        """Bytes in the uncompressed file: header plus one byte per pixel or label."""
        return self.header_size + int(np.prod(self.shape))


TRAIN_IMAGES = MnistFile(
    "train-images-idx3-ubyte", True, 60000, 9912422,
    "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "6bbc9ace898e44ae57da46a324031adb",
)  # fmt: skip
TRAIN_LABELS = MnistFile(
    "train-labels-idx1-ubyte", False, 60000, 28881,
    "d53e105ee54ea40749a09fcbcd1e9432",
    "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "a25bea736e30d166cdddb491f175f624",
)  # fmt: skip
TEST_IMAGES = MnistFile(
    "t10k-images-idx3-ubyte", True, 10000, 1648877,
    "9fb629c4189551a2d022fa330f9573f3",
    "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "2646ac647ad5339dbf082846283269ea",
)  # fmt: skip
TEST_LABELS = MnistFile(
    "t10k-labels-idx1-ubyte", False, 10000, 4542,
    "ec29112dd5afa0611ce80d1b7f02629c",
    "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    "27ae3e4e09519cfbb04c329615203637",
)  # fmt: skip

SPLITS: dict[str, tuple[MnistFile, MnistFile]] = {
    "train": (TRAIN_IMAGES, TRAIN_LABELS),
    "test": (TEST_IMAGES, TEST_LABELS),
}
ALL_FILES: tuple[MnistFile, ...] = (TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS)



# --- reading one file ----------------------------------------------------------------------------


def load_idx_file(path: str | os.PathLike[str], spec: MnistFile) -> np.ndarray:
    """Read and verify one MNIST IDX file (gzipped or not, detected from its first bytes).

    Returns a cached read-only uint8 array of shape ``spec.shape``; raises :class:`DatasetError`.
    """
    try:
        resolved = Path(path).resolve()
        stat = resolved.stat()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, from resolve() before Python 3.13
        reason = getattr(exc, "strerror", None) or exc
        raise DatasetError(f"cannot read {path}: {reason}; run `digitpad download`") from exc
    return _load_cached(str(resolved), stat.st_ino, stat.st_size, stat.st_mtime_ns, spec)


@functools.lru_cache(maxsize=len(ALL_FILES))
def _load_cached(path: str, inode: int, size: int, mtime_ns: int, spec: MnistFile) -> np.ndarray:
    """Parse ``path``; the stat fields only make the cache key change when the file does."""
    raw = _read_verified(Path(path), spec)
    return np.frombuffer(raw, dtype=np.uint8, offset=spec.header_size).reshape(spec.shape)


def _read_verified(path: Path, spec: MnistFile) -> bytes:
    """The complete uncompressed IDX content of ``path`` after all checks."""
    try:
        with _open_idx(path) as stream:
            header = stream.read(spec.header_size)
            _check_header(path, spec, header)
            body = stream.read(spec.idx_size - spec.header_size + 1)  # +1 detects trailing data
    except (OSError, EOFError, zlib.error) as exc:  # gzip.BadGzipFile is an OSError
        reason = "truncated" if isinstance(exc, EOFError) else "damaged or unreadable"
        raise DatasetError(f"{path} is {reason} ({exc}); {_FIX}") from exc
    expected = spec.idx_size - spec.header_size
    if len(body) < expected:
        raise DatasetError(f"{path} is truncated ({len(body)} of {expected} data bytes); {_FIX}")
    if len(body) > expected:
        raise DatasetError(f"{path} has more data than MNIST's {expected} bytes; {_FIX}")
    raw = header + body
    digest = hashlib.md5(raw, usedforsecurity=False).hexdigest()
    if digest != spec.idx_md5:
        raise DatasetError(
            f"{path} is corrupt (MD5 of its content {digest}, expected {spec.idx_md5}); {_FIX}"
        )
    return raw


def _open_idx(path: Path) -> BinaryIO:
    """Open ``path`` for reading, decompressing it when it starts with the gzip magic bytes."""
    with open(path, "rb") as probe:
        compressed = probe.read(2) == _GZIP_MAGIC
    return gzip.open(path, "rb") if compressed else open(path, "rb")  # type: ignore[return-value]


def _check_header(path: Path, spec: MnistFile, header: bytes) -> None:
    kind = "images" if spec.images else "labels"
    if len(header) < spec.header_size:
        raise DatasetError(f"{path} is truncated (header of {len(header)} bytes); {_FIX}")
    fields = np.frombuffer(header, dtype=">u4").tolist()
    if fields[0] != spec.magic:
        raise DatasetError(
            f"{path} is not an MNIST {kind} file (magic number {fields[0]}, expected {spec.magic}); {_FIX}"
        )
    if tuple(fields[1:]) != spec.shape:
        dims = " x ".join(map(str, fields[1:]))
        want = " x ".join(map(str, spec.shape))
        raise DatasetError(f"{path} has {kind} of shape {dims}, expected {want} for {spec.name}; {_FIX}")
