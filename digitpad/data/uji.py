"""UJI Pen Characters (version 1): real pen trajectories of 11 Spanish writers, digits and letters.

Written on a Tablet PC with a stylus at Universitat Jaume I (Llorens et al., LREC 2008; UCI Machine
Learning Repository, CC BY 4.0): for each writer two of every digit and every lower- and upper-case
letter, in one UNIPEN file per writer, ``UJIpenchars-w01.txt`` … ``w11.txt`` (:mod:`digitpad.data.unipen`;
``.SEGMENT CHARACTER n ? "label"``, y grows downward).  European writers: continental 1s and crossed 7s.
The file header groups "0" with "o" and "O"; the label of each segment is the character written.

`load_uji` finds the files in a data folder (the folder itself, its ``uji/`` subfolder, or a ``uji/``
beside it, as ``../shared`` keeps them), checks every file's MD5 and parses them once; `download_uji`
fetches them from UCI (``digitpad download --uji``).  Writers, never single characters, are split
between training, validation and measurement (`writer_groups`).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.atomic import atomic_write_bytes
from digitpad.data import mnist
from digitpad.data.fetch import FetchFailed, check_md5, fetch_zip_members
from digitpad.data.unipen import read_segments
from digitpad.data.writers import split_writers
from digitpad.errors import DatasetError

WRITERS = tuple(range(1, 12))
FILE_MD5 = {
    1: "18ae3461521f6e97c0df3dfc568a79f0", 2: "047db079f4481bc4d4829f7c520be50d",
    3: "f43ea5f351dd96af330cabf35aa75bb6", 4: "eaf1359e4cdad0124dd8b254c578e4ba",
    5: "a533c68edc35755145607cff10d9f5be", 6: "a0cab9f39769045f130e1ef4ae7e41f4",
    7: "e4d3bd7c884fab2a6ea2e5b48cb22868", 8: "eafb15dd8c2d2eca124034994cb7dbb4",
    9: "48aff2ce1f9e44ea0663457cec604e65", 10: "b98143a66c3f5c8c518d471e67bb7983",
    11: "dc2ccea28f5b0a8fcfae821219a145eb",
}
MAX_FILE_SIZE = 1 << 20      # the largest is 118 kB
CHARACTERS_PER_WRITER = 124  # 2 × (10 digits + 26 lower-case + 26 upper-case letters)
# 6 writers to train on, 2 to choose with, 3 to measure (60 digits): a fixed shuffle (seed 2024).
_GROUP_SIZES = {"train": 6, "validation": 2, "measure": 3}
_SEGMENT = re.compile(r'^\.SEGMENT\s+CHARACTER\s+\S+\s+\S+\s+"(.)"\s*$')
_REMEDY = "delete it and run `digitpad download --uji`"
URLS: tuple[str, ...] = ("https://archive.ics.uci.edu/static/public/160/uji+pen+characters.zip",)
"""UCI's distribution (data set 160), tried in order by :func:`download_uji`."""
MAX_DOWNLOAD = 16 << 20      # the zip is well under 1 MB
_MEMBER = re.compile(r"^UJIpenchars-w(\d\d)(\.txt)?$")   # UCI's files have no suffix; copies may add .txt


@dataclass(frozen=True)
class PenCharacter:
    """One written character: its strokes (float32 (n, 2) x, y tablet pixels, y down), label, writer."""

    strokes: tuple[np.ndarray, ...]
    label: str
    writer: int

    @property
    def digit(self) -> int | None:
        return int(self.label) if self.label.isdigit() else None


def file_name(writer: int) -> str:
    return f"UJIpenchars-w{writer:02d}.txt"


def parse_uji(text: str, writer: int, source: str = "UJI text") -> list[PenCharacter]:
    """The characters of one writer's UNIPEN file; DatasetError naming ``source`` and the line."""
    return [PenCharacter(s.strokes, s.match.group(1), writer) for s in read_segments(text, source, _SEGMENT, _REMEDY)]


def find_uji(data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The first folder holding all 11 writers' files: each data folder, its ``uji/``, or a ``uji/`` beside it."""
    for directory in mnist.source_dirs("uji", data_dir):
        if all((directory / file_name(w)).is_file() for w in WRITERS):
            return directory
    return None


def load_uji(data_dir: str | os.PathLike[str] | None = None) -> list[PenCharacter]:
    """All 1,364 characters of the 11 writers, verified (MD5 per file) and parsed once per folder."""
    folder = find_uji(data_dir)
    if folder is None:
        looked = ", ".join(str(d) for d in mnist.search_dirs(data_dir))
        raise DatasetError(f"the UJI pen characters ({file_name(1)} … {file_name(11)}) are not in {looked} "
                           f"nor in a uji/ folder in or beside them; run `digitpad download --uji`")
    stamps = tuple((folder / file_name(w)).stat().st_mtime_ns for w in WRITERS)
    return list(_load_cached(str(folder.resolve()), stamps))


@functools.lru_cache(maxsize=2)
def _load_cached(folder: str, stamps: tuple[int, ...]) -> tuple[PenCharacter, ...]:
    characters: list[PenCharacter] = []
    for writer in WRITERS:
        path = Path(folder) / file_name(writer)
        try:
            with open(path, "rb") as f:
                raw = f.read(MAX_FILE_SIZE + 1)
        except OSError as exc:
            raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None
        _check(raw, writer, str(path))
        found = parse_uji(raw.decode("ascii"), writer, str(path))
        if len(found) != CHARACTERS_PER_WRITER:
            raise DatasetError(f"{path}: {len(found)} characters, expected {CHARACTERS_PER_WRITER}")
        characters.extend(found)
    return tuple(characters)


def _check(raw: bytes, writer: int, source: str) -> None:
    check_md5(raw, FILE_MD5[writer], MAX_FILE_SIZE, source, f"UJI Pen Characters' writer {writer}", _REMEDY)


def download_uji(dest_dir: str | os.PathLike[str] | None = None, urls: Sequence[str] = URLS,
                 progress: mnist.ProgressCallback | None = None, timeout: float = 30) -> Path:
    """Fetch UCI's zip, verify the 11 writers' files (MD5) and store each atomically as
    ``dest_dir/UJIpenchars-wNN.txt`` (default: where ``digitpad download`` puts MNIST); valid copies
    already there are kept.  Returns the folder; DatasetError naming every URL tried and why."""
    dest = Path(dest_dir).expanduser() if dest_dir is not None else mnist.default_download_dir()

    def valid(writer: int) -> bool:
        try:
            _check((dest / file_name(writer)).read_bytes(), writer, "")
            return True
        except (OSError, DatasetError):
            return False

    if all(valid(w) for w in WRITERS):
        return dest
    tried = []
    for url in urls:
        try:
            members = fetch_zip_members(url, lambda name: _MEMBER.match(name) is not None, MAX_DOWNLOAD, progress, timeout)
            files = {int(_MEMBER.match(name).group(1)): raw for name, raw in members.items()}
            missing = [w for w in WRITERS if w not in files]
            if missing:
                raise FetchFailed(f"the zip lacks writer {missing[0]}'s file")
            for writer in WRITERS:
                _check(files[writer], writer, f"{file_name(writer)} from {url}")
        except (FetchFailed, DatasetError) as exc:
            tried.append(f"{url}: {exc}")
            continue
        try:
            dest.mkdir(parents=True, exist_ok=True)
            for writer in WRITERS:
                atomic_write_bytes(dest / file_name(writer), files[writer])
        except OSError as exc:
            raise DatasetError(f"cannot write into {dest}: {exc.strerror or exc}; choose another directory with --dir") from None
        return dest
    raise DatasetError(f"could not download UJI Pen Characters ({'; '.join(tried) or 'no URL given'}); check the "
                       f"internet connection, or put {file_name(1)} … {file_name(11)} into {dest} by hand")


def digits_of(characters: Sequence[PenCharacter]) -> list[PenCharacter]:
    return [c for c in characters if c.digit is not None]


def writer_groups() -> dict[str, tuple[int, ...]]:
    """The fixed, disjoint writer groups: ``train`` (6 writers), ``validation`` (2), ``measure`` (3)."""
    return split_writers(WRITERS, _GROUP_SIZES)
