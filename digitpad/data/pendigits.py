"""Real pen digits: people's own pen trajectories, to train on and to measure with.

The UCI data set "Pen-Based Recognition of Handwritten Digits" (E. Alpaydin and F. Alimoglu, 1998;
CC BY 4.0) recorded digits written on a tablet as pen trajectories.  Its training part,
``pendigits-orig.tra``, holds 7,494 digits by 30 writers in UNIPEN 1.0 text::

    .SEGMENT DIGIT    0 ? "8"        one digit, its label in quotes
    .COMMENT 8 12  224               label, writer (1..30), the digit's index among the writer's
    .PEN_DOWN                        a stroke: one "x y" line per sample (tablet pixels, y up)
     267  333
    .PEN_UP
    .DT 100                          milliseconds between samples (other keywords are skipped)

:func:`parse_unipen` reads such text (:mod:`digitpad.data.unipen`) into :class:`PenDigit` records whose strokes are in the screen
convention (y down), the one :mod:`digitpad.drawing.strokes` and the app use.  A damaged file is one
:class:`DatasetError` line naming the file and the line.  :func:`load_pendigits` finds the file where
MNIST is looked for (:func:`digitpad.data.mnist.search_dirs`), checks its MD5 and caches the parse;
:func:`download_pendigits` fetches UCI's zip, decompresses its ``.Z`` member (Unix ``compress``, read
with ``unlzw3``), verifies the MD5 and stores the file atomically.

Writers, not digits, are what must not be shared between training and measurement:
:func:`writer_groups` splits the 30 writers into fixed, disjoint training, validation and
measurement groups.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.atomic import atomic_write_bytes
from digitpad.data import mnist
from digitpad.data.fetch import FetchFailed, fetch_zip_members
from digitpad.data.unipen import read_segments
from digitpad.data.writers import split_writers
from digitpad.errors import DatasetError

FILE_NAME = "pendigits-orig.tra"
FILE_SIZE = 3_641_673
FILE_MD5 = "28e269fb7eaf8cb51af3f561743a0de5"      # of the decompressed file (UCI publishes no checksum)
CLASS_COUNTS = (780, 779, 780, 719, 780, 720, 720, 778, 719, 719)
WRITERS = tuple(range(1, 31))
TABLET_HEIGHT = 500    # the tablet box, in tablet pixels: y down = TABLET_HEIGHT - y up
URLS: tuple[str, ...] = (
    "https://archive.ics.uci.edu/static/public/81/pen+based+recognition+of+handwritten+digits.zip",
)
"""UCI's distribution, tried in order by :func:`download_pendigits`."""
ZIP_MEMBER = FILE_NAME + ".Z"
MAX_DOWNLOAD = 64 << 20      # the zip is about 2 MB; refuse to read more than this from a server

# Writer groups: a fixed shuffle of the 30 writers (seed 2024) cut into 20 / 4 / 6.  Measurement uses
# 6 writers (about 1,500 digits: standard error 0.26 points at 99 %); validation and model
# selection use 4 others; the remaining 20 are the only ones ever trained on.
_GROUP_SIZES = {"train": 20, "validation": 4, "measure": 6}
_SEGMENT = re.compile(r'^\.SEGMENT\s+DIGIT\s+\S+\s+\S+\s+"(\d)"\s*$')
_COMMENT = re.compile(r"^\.COMMENT\s+(\d+)\s+(\d+)(?:\s+\S+)?\s*$")


@dataclass(frozen=True)
class PenDigit:
    """One written digit: its strokes (float32 (n, 2) arrays of x, y tablet pixels, y down), label, writer."""

    strokes: tuple[np.ndarray, ...]
    label: int
    writer: int


def parse_unipen(text: str, source: str = "UNIPEN text") -> list[PenDigit]:
    """The digits of a UNIPEN 1.0 digit file; raises :class:`DatasetError` naming ``source`` and the line."""
    remedy = "delete it and run `digitpad download --pendigits`"
    digits = []
    for segment in read_segments(text, source, _SEGMENT, remedy):
        label = int(segment.match.group(1))
        if segment.comment is None:
            raise DatasetError(f"{source}, line {segment.line}: the digit has no .COMMENT line giving its writer; "
                               f"the file is damaged, {remedy}")
        match = _COMMENT.match(segment.comment)
        if match is None or int(match.group(1)) != label:
            raise DatasetError(f"{source}, line {segment.comment_line}: expected '.COMMENT {label} <writer> <index>', "
                               f"found {segment.comment[:60]!r}; the file is damaged, {remedy}")
        strokes = tuple(np.stack([s[:, 0], TABLET_HEIGHT - s[:, 1]], axis=1) for s in segment.strokes)
        digits.append(PenDigit(strokes, label, int(match.group(2))))
    if not digits:
        raise DatasetError(f"{source}: no digits found (not a UNIPEN digit file?)")
    return digits


# --- the file on disk ------------------------------------------------------------------------------


def find_pendigits(data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The first ``pendigits-orig.tra`` in MNIST's search directories or a ``pendigits/`` folder in or
    beside them (`mnist.source_dirs`), or None."""
    for directory in mnist.source_dirs("pendigits", data_dir):
        if (directory / FILE_NAME).is_file():
            return directory / FILE_NAME
    return None


def load_pendigits(data_dir: str | os.PathLike[str] | None = None) -> list[PenDigit]:
    """The 7,494 digits, verified (size and MD5) and parsed once per file version."""
    path = find_pendigits(data_dir)
    if path is None:
        looked = ", ".join(str(d) for d in mnist.search_dirs(data_dir))
        raise DatasetError(f"the pen digits ({FILE_NAME}) are not in {looked}; run `digitpad download --pendigits`")
    stat = path.stat()
    return list(_load_cached(str(path.resolve()), stat.st_ino, stat.st_size, stat.st_mtime_ns))


@functools.lru_cache(maxsize=2)
def _load_cached(path: str, inode: int, size: int, mtime_ns: int) -> tuple[PenDigit, ...]:
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None
    check_content(raw, path)
    return tuple(parse_unipen(raw.decode("ascii"), path))


def check_content(raw: bytes, source: str) -> None:
    """Size and MD5 of the decompressed file, as SOURCE.md gives them."""
    digest = hashlib.md5(raw, usedforsecurity=False).hexdigest()
    if len(raw) != FILE_SIZE or digest != FILE_MD5:
        raise DatasetError(f"{source} is not UCI's {FILE_NAME} ({len(raw):,} bytes, MD5 {digest}; expected "
                           f"{FILE_SIZE:,} bytes, MD5 {FILE_MD5}); delete it and run `digitpad download --pendigits`")


# --- writers -----------------------------------------------------------------------------------------


def writer_groups() -> dict[str, tuple[int, ...]]:
    """The fixed, disjoint writer groups: ``train`` (20 writers), ``validation`` (4), ``measure`` (6)."""
    return split_writers(WRITERS, _GROUP_SIZES)


def of_writers(digits: Sequence[PenDigit], writers: Sequence[int]) -> list[PenDigit]:
    wanted = set(writers)
    return [digit for digit in digits if digit.writer in wanted]


def network_inputs(digits: Sequence[PenDigit], copies: int = 1, rng: np.random.Generator | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """uint8 (n, 28, 28) inputs and int64 labels of pen digits, prepared by `drawing_to_input` as the
    app prepares a drawing: each digit as written (``rng`` None), or ``copies`` varied versions of
    each (:func:`digitpad.data.trajectory_augment.augment_strokes`)."""
    from digitpad.data.trajectory_augment import augment_strokes
    from digitpad.drawing.network_input import drawing_to_input

    sources = [(d.strokes, d.label) for d in digits for _ in range(copies if rng is not None else 1)]
    out = np.zeros((len(sources), 28, 28), np.uint8)
    for i, (strokes, _) in enumerate(sources):
        varied = augment_strokes(list(strokes), rng) if rng is not None else strokes
        digit = drawing_to_input(varied, 1.0, TABLET_HEIGHT)   # the strokes pipeline needs no pen or canvas
        if digit is not None:
            out[i] = np.round(digit * 255)
    return out, np.array([label for _, label in sources], np.int64)


# --- download ------------------------------------------------------------------------------------------


def download_pendigits(dest_dir: str | os.PathLike[str] | None = None, urls: Sequence[str] = URLS,
                       progress: mnist.ProgressCallback | None = None, timeout: float = 30) -> Path:
    """Fetch UCI's zip, decompress ``pendigits-orig.tra.Z`` from it, verify it and store it atomically
    as ``dest_dir/pendigits-orig.tra`` (default: where ``digitpad download`` puts MNIST).  A valid copy
    already there is kept.  Raises :class:`DatasetError` naming every URL tried and what went wrong."""
    dest = Path(dest_dir).expanduser() if dest_dir is not None else mnist.default_download_dir()
    target = dest / FILE_NAME
    try:
        check_content(target.read_bytes(), str(target))
        return target
    except (OSError, DatasetError):
        pass
    tried = []
    for url in urls:
        try:
            raw = _fetch_member(url, progress, timeout)
            check_content(raw, f"{ZIP_MEMBER} from {url}")
        except (FetchFailed, DatasetError) as exc:
            tried.append(f"{url}: {exc}")
            continue
        try:
            dest.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, raw)
        except OSError as exc:
            raise DatasetError(f"cannot write {target}: {exc.strerror or exc}; choose another directory with --dir") from None
        return target
    raise DatasetError(f"could not download the pen digits ({'; '.join(tried) or 'no URL given'}); check the "
                       f"internet connection, or put {FILE_NAME} into {dest} by hand")


def _fetch_member(url: str, progress: mnist.ProgressCallback | None, timeout: float) -> bytes:
    import unlzw3

    compressed = fetch_zip_members(url, lambda name: name == ZIP_MEMBER, MAX_DOWNLOAD, progress, timeout)[ZIP_MEMBER]
    try:
        return bytes(unlzw3.unlzw(compressed))
    except (ValueError, IndexError, TypeError) as exc:
        raise FetchFailed(f"{ZIP_MEMBER} is not a valid .Z (compress) file ({exc})") from None
