"""Atomic file writes: readers see either the old file or the complete new one, never a partial one.

The data goes to a temporary file ``<name>.part-<random>`` in the destination's directory (so the
final rename never crosses file systems), is flushed and fsync'ed, and then replaces the target with
:func:`os.replace`, which is atomic on POSIX and Windows.  The directory is fsync'ed afterwards where
the platform allows it, so the rename itself survives a crash.  If anything fails - including
``KeyboardInterrupt`` inside the ``with`` block - the temporary file is removed and the target is left
untouched.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO, Any

PART_MARKER = ".part-"
"""Temporary files are named ``<final name>.part-<8 hex digits>``."""

_MODES = {"w", "wt", "wb"}


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
    target = Path(path)
    binary = "b" in mode
    if not binary and encoding is None:
        encoding = "utf-8"
    tmp, handle = _open_temp(target, mode, encoding, newline)
    try:
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
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
