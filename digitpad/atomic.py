"""Atomic file writes: readers see either the old file or the complete new one, never a partial one.

The data goes to a temporary file ``<name>.part-<random>`` in the destination's directory (so the
final rename never crosses file systems), is flushed and fsync'ed, and then replaces the target with
:func:`os.replace`, which is atomic on POSIX and Windows.  The directory is fsync'ed afterwards where
the platform allows it, so the rename itself survives a crash.  If anything fails - including
``KeyboardInterrupt`` inside the ``with`` block - the temporary file is removed and the target is left
untouched.

A save never replaces what is not ours to replace (:func:`output_path`): a symlink is written through
to its target (the link stays), a target that exists and is not a regular file (``/dev/null``, a FIFO,
a folder) is refused with one line, and a replaced file keeps its permission bits.  Temporary files of
our own naming left by a killed process are removed when their folder is next written, once they are
older than :data:`STALE_PART_SECONDS`.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

from digitpad.errors import OutputFileError

PART_MARKER = ".part-"
"""Temporary files are named ``<final name>.part-<8 hex digits>``."""
STALE_PART_SECONDS = 60
"""A temporary file of ours this old belongs to a process that died: the next save in its folder removes it."""
_PART_NAME = re.compile(r".+\.part-[0-9a-f]{8}\Z")

_MODES = {"w", "wt", "wb"}


def output_path(path: str | os.PathLike[str], what: str = "file") -> Path:
    """Where a save of ``path`` really goes, checked before any work is done: the final target of a
    symlink (chains followed), in a folder that exists.  :class:`OutputFileError` (one line naming the
    path) when the target exists and is not a regular file, or its folder is missing or not a folder.

    Commands call it on their output paths before they start, so that a bad ``--out`` is refused at
    once rather than after an hour of training; :func:`atomic_write` calls it again at the end."""
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputFileError(f"{path}: cannot write this {what} ({exc.strerror or exc})") from None
    if info is not None and stat.S_ISDIR(info.st_mode):
        raise OutputFileError(f"{path}: is a folder; give a file name for the {what}")
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise OutputFileError(f"{path}: is not a regular file; digitpad does not replace it")
    folder = target.parent
    if not folder.is_dir():
        raise OutputFileError(f"{path}: the folder {folder} does not exist" if not folder.exists()
                              else f"{path}: {folder} is not a folder")
    return target


def part_path(path: Path) -> Path:
    """A fresh temporary path ``<path>.part-<random>`` next to ``path``."""
    return path.with_name(f"{path.name}{PART_MARKER}{secrets.token_hex(4)}")


@contextmanager
def atomic_write(
    path: str | os.PathLike[str],
    mode: str = "wb",
    *,
    encoding: str | None = None,
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """Open a temporary file for writing; on a clean exit it atomically replaces ``path``.

    ``mode`` is ``"wb"`` (binary, the default), ``"w"`` or ``"wt"`` (text; ``encoding`` defaults to
    UTF-8).  The new file gets the usual permissions (0o666 less the umask), like :func:`open`.
    Raises :class:`ValueError` for any other mode.
    """
    if mode not in _MODES:
        raise ValueError(f"atomic_write mode must be one of {sorted(_MODES)}, not {mode!r}")
    target = output_path(path)
    binary = "b" in mode
    if not binary and encoding is None:
        encoding = "utf-8"
    remove_stale_parts(target.parent)
    tmp, handle = _open_temp(target, mode, encoding, newline)
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        target = output_path(path)  # the target may have changed while the data was written
        _keep_permissions(target, tmp)
        os.replace(tmp, target)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    _fsync_directory(target.parent)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Atomically replace ``path`` with ``data``."""
    with atomic_write(path, "wb") as handle:
        handle.write(data)


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Atomically replace ``path`` with ``text`` encoded as ``encoding`` (newlines written as given)."""
    with atomic_write(path, "w", encoding=encoding, newline="") as handle:
        handle.write(text)


def remove_stale_parts(folder: Path, older_than: float = STALE_PART_SECONDS) -> int:
    """Remove the temporary files of our own naming (``<name>.part-<8 hex digits>``, regular files)
    in ``folder`` that are older than ``older_than`` seconds; returns how many.  Never raises."""
    removed, now = 0, time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        if PART_MARKER not in entry.name or not _PART_NAME.match(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > older_than:
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def _keep_permissions(target: Path, tmp: Path) -> None:
    """Give the new file the permission bits of the file it replaces (a 0600 file stays 0600)."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return
    os.chmod(tmp, mode)


def _open_temp(target: Path, mode: str, encoding: str | None, newline: str | None) -> tuple[Path, IO[Any]]:
    """Create a new temporary file next to ``target`` (never reusing an existing name) and open it."""
    exclusive = "xb" if "b" in mode else "x"
    while True:
        tmp = part_path(target)
        try:
            return tmp, open(tmp, exclusive, encoding=encoding, newline=newline)
        except FileExistsError:  # 1 in 4 billion; draw another name
            continue
        except BaseException:  # e.g. an unknown encoding, detected after the file was created
            with suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


def _fsync_directory(directory: Path) -> None:
    """Persist a rename in ``directory`` (POSIX only; a no-op where directories cannot be opened)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems do not support fsync on directories
    finally:
        os.close(fd)
