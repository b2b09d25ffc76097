"""Finding, loading and downloading MNIST (LeCun, Cortes & Burges).

The four files -- their names, sizes and checksums, and how one is read and verified -- are described
in :mod:`digitpad.data.mnist_idx`.  :func:`load_mnist` loads a split from the folder that holds it;
:func:`download_mnist` fetches the ``.gz`` files, each verified against its canonical SHA-256.

A ``data_dir`` given by the caller (``--data-dir``) is the only folder used: the files are read from it
or refused, never silently taken from elsewhere.  Without one, directories are searched in this order
(:func:`search_dirs`): the ``DIGITPAD_DATA_DIR`` environment variable, the project's ``data/`` folder
(only in a source checkout, i.e. when the package's parent directory holds ``pyproject.toml`` and
``data/``), and the per-user cache (:func:`user_cache_dir`).  :func:`download_mnist` writes into
``DIGITPAD_DATA_DIR`` when it is set, else into the cache (:func:`default_download_dir`), however
digitpad was installed.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

import numpy as np

from digitpad import __version__
from digitpad.atomic import PART_MARKER, atomic_write
from digitpad.data.mnist_idx import ALL_FILES, SPLITS, MnistFile, load_idx_file
from digitpad.errors import DatasetError

ENV_VAR = "DIGITPAD_DATA_DIR"

MIRRORS: tuple[str, ...] = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)
"""Base URLs tried in order by :func:`download_mnist`; each serves the four canonical ``.gz`` files."""

ProgressCallback = Callable[[str, int, int | None], None]
"""``progress(filename, bytes_done, bytes_total_or_None)``, called as a download advances."""

_CHUNK = 1 << 16


# --- where the files are -------------------------------------------------------------------------


def user_cache_dir() -> Path:
    """The per-user download location.

    ``%LOCALAPPDATA%\\digitpad\\Cache\\mnist`` on Windows, ``~/Library/Caches/digitpad/mnist`` on
    macOS, else ``$XDG_CACHE_HOME/digitpad/mnist`` (``~/.cache/digitpad/mnist`` when the variable is
    unset or not an absolute path, as the XDG spec asks).
    """
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "digitpad" / "Cache" / "mnist"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "digitpad" / "mnist"
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".cache"
    return base / "digitpad" / "mnist"


def project_data_dir() -> Path | None:
    """The source checkout's ``data/`` folder, or None when not running from a checkout."""
    root = Path(__file__).resolve().parents[2]   # digitpad/data/mnist.py -> the checkout
    data = root / "data"
    return data if data.is_dir() and (root / "pyproject.toml").is_file() else None


def search_dirs(data_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """The directories searched for MNIST, in order: ``data_dir`` alone when given, else the default
    places (see the module docstring)."""
    if data_dir is not None:
        return [Path(data_dir).expanduser()]
    dirs: list[Path] = []
    if env := os.environ.get(ENV_VAR):
        dirs.append(Path(env).expanduser())
    if (project := project_data_dir()) is not None:
        dirs.append(project)
    dirs.append(user_cache_dir())
    return dirs


def validation_split(n: int, held_out: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted indices of the training and validation parts of ``n`` training images: a fixed shuffle of
    ``seed`` holds out ``held_out`` of them (how every digitpad model's validation digits are chosen)."""
    order = np.random.default_rng(seed).permutation(n)
    return np.sort(order[held_out:]), np.sort(order[:held_out])


def source_dirs(name: str, data_dir: str | os.PathLike[str] | None = None) -> list[Path]:
    """Where another data source's files are looked for (``name``: ``pendigits``, ``uji``): each folder of
    :func:`search_dirs`, its ``name/`` subfolder, and a ``name/`` beside it (``../shared`` keeps each
    source in a folder of its own beside ``mnist/``)."""
    return [folder for directory in search_dirs(data_dir)
            for folder in (directory, directory / name, directory.parent / name)]


def find_mnist_dir(data_dir: str | os.PathLike[str] | None = None) -> Path | None:
    """The first directory of :func:`search_dirs` holding all four files (gzipped or not), or None.

    Only presence is checked here; :func:`load_mnist` verifies the contents.
    """
    return _first_dir_with(ALL_FILES, data_dir)


def _first_dir_with(files: Iterable[MnistFile], data_dir: str | os.PathLike[str] | None) -> Path | None:
    wanted = tuple(files)
    for directory in search_dirs(data_dir):
        if all(_file_in(directory, spec) is not None for spec in wanted):
            return directory
    return None


def _file_in(directory: Path, spec: MnistFile) -> Path | None:
    """``directory``'s copy of ``spec``: the ``.gz`` name if present, else the uncompressed one."""
    for name in (spec.gz_name, spec.name):
        if (directory / name).is_file():
            return directory / name
    return None


# --- loading -------------------------------------------------------------------------------------


def load_mnist(split: str, data_dir: str | os.PathLike[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Load one split, ``"train"`` (60000 samples) or ``"test"`` (10000).

    Returns ``(images, labels)``: uint8 arrays of shape (N, 28, 28) (0 = background, 255 = ink) and
    (N,) (digits 0-9).  The files come from the first directory of :func:`search_dirs` holding both
    of the split's files, and are verified as described in the module docstring.

    The parsed arrays are cached in-process (keyed by the file's resolved path, inode, size and
    modification time, so a replaced file is re-read) and are **read-only views shared by all
    callers**: convert them (``images.astype(np.float32) / 255``) or ``.copy()`` them before changing
    anything.  Raises :class:`DatasetError` when the files are missing or bad, :class:`ValueError`
    for an unknown split.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be 'train' or 'test', not {split!r}")
    files = SPLITS[split]
    directory = ensure_mnist(data_dir, download=False, split=split)
    images, labels = (load_idx_file(_file_in(directory, spec) or directory / spec.gz_name, spec) for spec in files)
    return images, labels


# --- downloading ---------------------------------------------------------------------------------


class _MirrorFailed(Exception):
    """One download attempt failed; the message says why (for the final error)."""


def default_download_dir() -> Path:
    """Where :func:`download_mnist` puts the files when no directory is given: ``$DIGITPAD_DATA_DIR`` when
    set, else the per-user cache, however digitpad was installed (a checkout's ``data/`` is searched,
    never written into by default: an editable install does not move where downloads go)."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else user_cache_dir()


def check_mnist_dir(directory: str | os.PathLike[str]) -> list[str]:
    """The ``.gz`` names of the files that ``directory`` lacks or holds in a damaged form.

    A file counts as present when its ``.gz`` has the canonical SHA-256, or, failing that, its
    uncompressed copy has the canonical size and MD5.  An empty list means the directory is complete.
    """
    directory = Path(directory)
    return [spec.gz_name for spec in ALL_FILES if not _is_valid(directory, spec)]


def _is_valid(directory: Path, spec: MnistFile) -> bool:
    checks = (
        (spec.gz_name, spec.gz_size, "sha256", spec.gz_sha256),
        (spec.name, spec.idx_size, "md5", spec.idx_md5),
    )
    for name, size, algorithm, digest in checks:
        path = directory / name
        try:
            if path.stat().st_size == size and _file_digest(path, algorithm) == digest:
                return True
        except OSError:
            continue
    return False


def _file_digest(path: Path, algorithm: str) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, lambda: hashlib.new(algorithm, usedforsecurity=False)).hexdigest()


def download_mnist(
    dest_dir: str | os.PathLike[str] | None = None,
    mirrors: Sequence[str] = MIRRORS,
    progress: ProgressCallback | None = None,
    timeout: float = 30,
) -> Path:
    """Download the ``.gz`` files missing (or damaged) in ``dest_dir``; return the directory.

    ``dest_dir`` defaults to :func:`default_download_dir` and is created if needed.  Each file is
    fetched from the first of ``mirrors`` (base URLs) that delivers it intact: it is streamed into
    ``<name>.part-<random>`` next to its final place, checked against the canonical size and SHA-256,
    fsync'ed and renamed into place, so an interrupted download never leaves a partial file under the
    real name.  ``*.part-*`` leftovers of an interrupted earlier run are deleted first (so do not run
    two downloads into one directory at once).  ``progress(filename, bytes_done, bytes_total_or_None)``
    is called as data arrives; ``timeout`` (seconds) applies to connecting and to each read.

    Raises :class:`DatasetError` listing every URL tried and its error when no mirror delivers a file,
    or when the directory cannot be written.
    """
    dest = Path(dest_dir).expanduser() if dest_dir is not None else default_download_dir()
    try:
        dest.mkdir(parents=True, exist_ok=True)
        _remove_stale_parts(dest)
        for spec in ALL_FILES:
            if not _is_valid(dest, spec):
                _download_file(spec, dest, mirrors, progress, timeout)
    except OSError as exc:
        raise DatasetError(f"cannot write MNIST files to {dest}: {exc}; choose another directory with --dir") from exc
    return dest


def ensure_mnist(
    data_dir: str | os.PathLike[str] | None = None,
    download: bool = True,
    progress: ProgressCallback | None = None,
    split: str | None = None,
) -> Path:
    """The directory holding MNIST (see :func:`find_mnist_dir`), downloading it first if needed;
    with ``split`` (``"train"`` or ``"test"``), one holding that split's two files is enough.

    A ``data_dir`` given must be an existing folder (:class:`DatasetError` otherwise, before anything is
    downloaded or created); downloads go into it, else to :func:`default_download_dir`.  With
    ``download=False`` a missing data set raises :class:`DatasetError` naming the files and the
    folders looked in.
    """
    if data_dir is not None and not Path(data_dir).expanduser().is_dir():
        there = Path(data_dir).expanduser()
        raise DatasetError(f"{data_dir}: {'not a folder' if there.exists() else 'no such folder'} "
                           f"(the folder with the MNIST files)")
    files = SPLITS[split] if split else ALL_FILES
    found = _first_dir_with(files, data_dir)
    if found is not None:
        return found
    if not download:
        looked = ", ".join(str(d) for d in search_dirs(data_dir))
        names = " and ".join(spec.gz_name for spec in files) if split else "the four .gz files"
        raise DatasetError(f"MNIST {split + ' ' if split else ''}files ({names}) not found in {looked}; "
                           f"run `digitpad download`")
    return download_mnist(data_dir, progress=progress)


def _remove_stale_parts(dest: Path) -> None:
    for spec in ALL_FILES:
        for part in dest.glob(f"{spec.gz_name}{PART_MARKER}*"):
            part.unlink(missing_ok=True)


def _download_file(
    spec: MnistFile, dest: Path, mirrors: Sequence[str], progress: ProgressCallback | None, timeout: float
) -> None:
    tried = []
    for base in mirrors:
        url = base.rstrip("/") + "/" + spec.gz_name
        try:
            with atomic_write(dest / spec.gz_name) as out:
                _stream(url, out, spec, progress, timeout)
            return
        except _MirrorFailed as exc:
            tried.append(f"{url}: {exc}")
    attempts = "; ".join(tried) if tried else "no mirrors given"
    raise DatasetError(
        f"could not download {spec.gz_name} ({attempts}); check the internet connection, "
        f"or copy the file into {dest} by hand"
    )


def _stream(url: str, out: BinaryIO, spec: MnistFile, progress: ProgressCallback | None, timeout: float) -> None:
    """Copy ``url`` into ``out``, verifying size and SHA-256; raise :class:`_MirrorFailed`."""
    request = urllib.request.Request(url, headers={"User-Agent": f"digitpad/{__version__}"})
    try:
        response = urllib.request.urlopen(request, timeout=timeout)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise _MirrorFailed(describe_failure(exc, timeout)) from exc
    with response:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        if total is not None and total != spec.gz_size:
            raise _MirrorFailed(f"offers {total} bytes, expected {spec.gz_size}")
        sha256 = hashlib.sha256()
        done = 0
        if progress is not None:
            progress(spec.gz_name, 0, total)
        while done <= spec.gz_size:
            try:
                chunk = response.read(_CHUNK)
            except (OSError, http.client.HTTPException) as exc:
                raise _MirrorFailed(describe_failure(exc, timeout)) from exc
            if not chunk:
                break
            out.write(chunk)
            sha256.update(chunk)
            done += len(chunk)
            if progress is not None:
                progress(spec.gz_name, done, total)
    if done != spec.gz_size:
        raise _MirrorFailed(f"delivered {done}{'+' if done > spec.gz_size else ''} bytes, expected {spec.gz_size}")
    if sha256.hexdigest() != spec.gz_sha256:
        raise _MirrorFailed("checksum mismatch (corrupt or different file)")


def describe_failure(exc: BaseException, timeout: float) -> str:
    """A short reason for a failed request."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"HTTP {exc.code} {exc.reason}"
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, TimeoutError):
        return f"timed out after {timeout:g} s"
    return str(exc) or type(exc).__name__
