"""Omniglot's strokes: characters of other alphabets drawn online with a mouse or trackpad, real drawings
that are not digits.

Lake, Salakhutdinov & Tenenbaum (Science 2015; github.com/brendenlake/omniglot, MIT licence): each
character of 50 alphabets drawn by 20 people recruited online.  digitpad reads two of its subsets,
``strokes_background_small1.zip`` and ``strokes_background_small2.zip`` (8 alphabets, 4,840 distinct
drawings: the two share Latin and Greek).  Each drawing is ``<subset>/<Alphabet>/characterNN/<id>_<drawer>.txt``:
``START``, lines of ``x,y,t`` (pixels of a 105 x 105 canvas; y is stored negated, so y down is ``-y``;
t in ms), ``BREAK`` between strokes.

`download_omniglot` fetches the two zips from the Omniglot repository (``digitpad download
--omniglot``); `load_omniglot` finds them in a data folder (the folder itself, its ``omniglot/``, or an
``omniglot/`` beside it), checks their MD5, bounds every member before reading it, and parses them
once.  `alphabet_groups` cuts the alphabets, never single drawings, into training, validation and
measurement: a measured alphabet's symbols were never seen.  `LOOK_ALIKES` are characters that look
like a digit, which must not be taught as "not a digit".
"""

from __future__ import annotations

import functools
import os
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad.atomic import atomic_write_bytes
from digitpad.data import mnist
from digitpad.data.fetch import FetchFailed, check_md5, fetch_bytes
from digitpad.data.writers import split_writers
from digitpad.errors import DatasetError

ZIP_MD5 = {"strokes_background_small1.zip": "830eb54f8a9297820a4471fcc4f9d9bc",
           "strokes_background_small2.zip": "84d9defc54b809861ffd9886798dcffb"}
MAX_ZIP_SIZE = 16 << 20        # they are 3.1 and 4.1 MB
MAX_MEMBER_SIZE = 256 << 10    # one drawing: a few kB
CANVAS_SIZE = 105
ALPHABETS = ("Balinese", "Early_Aramaic", "Greek", "Japanese_(katakana)", "Korean", "Latin", "Sanskrit", "Tagalog")
# 5 alphabets to train on, 1 to choose with, 2 to measure: a fixed shuffle (`split_writers`, seed 2024).
_GROUP_SIZES = {"train": 5, "validation": 1, "measure": 2}
LOOK_ALIKES: dict[str, tuple[int, ...]] = {
    "Latin": (2, 7, 9, 12, 15, 17, 19, 26),              # b g i l o q s z (lower case)
    "Greek": (2, 4, 6, 8, 9, 15, 18, 21),                # beta delta zeta theta iota omicron sigma phi
    "Japanese_(katakana)": (1, 8, 24, 27, 38, 42, 46),   # a ku no fu ra ro wo: 7s, a slash, a square
    "Korean": (21, 22, 33),                              # a bar (1), a hook (7), a circle (0)
    "Tagalog": (3, 16),                                  # a 3, an open 0
    "Early_Aramaic": (1, 2, 3, 4, 6, 11, 12, 13, 14, 16, 17, 20),   # 4s, 9s, 7s, a 6, a 5, a 0
    "Balinese": (5, 14),                                 # a 7, a 2
    "Sanskrit": (12, 13, 36, 37),                        # a topped 0, 3s
}
"""Per alphabet, the character numbers (``characterNN``) that look like a digit, chosen by eye from a
contact sheet of every character (`docs/development.md`); they are left out of the drawings."""
URLS: tuple[str, ...] = ("https://raw.githubusercontent.com/brendenlake/omniglot/master/python",
                         "https://github.com/brendenlake/omniglot/raw/master/python")
"""Folders holding the two zips, tried in order by :func:`download_omniglot`."""
_MEMBER = re.compile(r"^[^/]+/([^/]+)/character(\d\d)/(\d+)_(\d\d)\.txt$")


@dataclass(frozen=True)
class OmniglotDrawing:
    """One drawing: its strokes (float32 (n, 2) x, y canvas pixels, y down), alphabet, character number
    and drawer (1-20, Omniglot's per-character numbering)."""

    strokes: tuple[np.ndarray, ...]
    alphabet: str
    character: int
    drawer: int


def parse_drawing(text: str, source: str) -> tuple[np.ndarray, ...]:
    """The strokes of one drawing file; DatasetError naming ``source`` and the line."""
    strokes, points = [], []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if line in ("START", "BREAK", ""):
            if len(points):
                strokes.append(np.array(points, np.float32))
            points = []
            continue
        try:
            x, y, _ = (float(v) for v in line.split(","))
        except ValueError:
            raise DatasetError(f"{source}, line {number}: expected 'x,y,t', got {line[:40]!r}") from None
        if not (np.isfinite(x) and np.isfinite(y)):
            raise DatasetError(f"{source}, line {number}: a point that is not a number")
        points.append((x, -y))
    if points:
        strokes.append(np.array(points, np.float32))
    if not strokes:
        raise DatasetError(f"{source}: no strokes")
    return tuple(strokes)


def find_omniglot(data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The first folder holding both zips: each data folder, its ``omniglot/``, or an ``omniglot/`` beside it."""
    for directory in mnist.source_dirs("omniglot", data_dir):
        if all((directory / name).is_file() for name in ZIP_MD5):
            return directory
    return None


def load_omniglot(data_dir: str | os.PathLike[str] | None = None) -> list[OmniglotDrawing]:
    """Every distinct drawing of the two subsets but the digit look-alikes (`LOOK_ALIKES`), verified and
    parsed once per folder; DatasetError (one line) when the zips are missing or not Omniglot's."""
    folder = find_omniglot(data_dir)
    if folder is None:
        looked = ", ".join(str(d) for d in mnist.search_dirs(data_dir))
        raise DatasetError(f"Omniglot's strokes ({' and '.join(ZIP_MD5)}) are not in {looked} nor in an omniglot/ "
                           f"folder in or beside them; run `digitpad download --omniglot`")
    stamps = tuple((folder / name).stat().st_mtime_ns for name in ZIP_MD5)
    return list(_load_cached(str(folder.resolve()), stamps))


@functools.lru_cache(maxsize=2)
def _load_cached(folder: str, stamps: tuple[int, ...]) -> tuple[OmniglotDrawing, ...]:
    found: dict[tuple[str, int, int], OmniglotDrawing] = {}
    for name in ZIP_MD5:
        path = Path(folder) / name
        try:
            with open(path, "rb") as f:
                raw = f.read(MAX_ZIP_SIZE + 1)
        except OSError as exc:
            raise DatasetError(f"cannot read {path}: {exc.strerror or exc}") from None
        _check(raw, name, str(path))
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                match = _MEMBER.match(info.filename)
                if match is None or "__MACOSX" in info.filename:
                    continue
                alphabet, character, drawer = match.group(1), int(match.group(2)), int(match.group(4))
                if character in LOOK_ALIKES.get(alphabet, ()) or (alphabet, character, drawer) in found:
                    continue
                if info.file_size > MAX_MEMBER_SIZE:
                    raise DatasetError(f"{path}: {info.filename} declares {info.file_size:,} bytes")
                text = archive.read(info).decode("ascii", errors="replace")
                strokes = parse_drawing(text, f"{path}: {info.filename}")
                found[(alphabet, character, drawer)] = OmniglotDrawing(strokes, alphabet, character, drawer)
    return tuple(found[key] for key in sorted(found))


def _check(raw: bytes, name: str, source: str) -> None:
    check_md5(raw, ZIP_MD5[name], MAX_ZIP_SIZE, source, f"Omniglot's {name}", "run `digitpad download --omniglot`")


def download_omniglot(dest_dir: str | os.PathLike[str] | None = None, urls: Sequence[str] = URLS,
                      progress: mnist.ProgressCallback | None = None, timeout: float = 30) -> Path:
    """Fetch the two zips (each from the first folder of ``urls`` that gives it whole), verify their MD5
    and store each atomically in ``dest_dir`` (default: where ``digitpad download`` puts MNIST); valid
    copies already there are kept.  Returns the folder; DatasetError naming every URL tried and why."""
    dest = Path(dest_dir).expanduser() if dest_dir is not None else mnist.default_download_dir()
    for name in ZIP_MD5:
        try:
            _check((dest / name).read_bytes(), name, "")
            continue
        except (OSError, DatasetError):
            pass
        tried = []
        for base in urls:
            url = f"{base.rstrip('/')}/{name}"
            try:
                raw = fetch_bytes(url, MAX_ZIP_SIZE, progress, timeout)
                _check(raw, name, url)
            except FetchFailed as exc:
                tried.append(f"{url}: {exc}")
                continue
            except DatasetError:
                tried.append(f"{url}: not Omniglot's {name}")
                continue
            try:
                dest.mkdir(parents=True, exist_ok=True)
                atomic_write_bytes(dest / name, raw)
            except OSError as exc:
                raise DatasetError(f"cannot write into {dest}: {exc.strerror or exc}; choose another directory "
                                   f"with --dir") from None
            break
        else:
            raise DatasetError(f"could not download Omniglot's {name} ({'; '.join(tried) or 'no URL given'}); check "
                               f"the internet connection, or put it into {dest} by hand")
    return dest


def alphabet_groups() -> dict[str, tuple[str, ...]]:
    """The fixed, disjoint alphabet groups: ``train`` (5 alphabets), ``validation`` (1), ``measure`` (2)."""
    groups = split_writers(range(len(ALPHABETS)), _GROUP_SIZES)
    return {group: tuple(ALPHABETS[i] for i in members) for group, members in groups.items()}
