"""Fetching a data set's zip from its publisher: bounded, with progress, every failure one reason.

`fetch_bytes` downloads one file (at most ``limit`` bytes, whatever the server says);
`fetch_zip_members` downloads a zip (at most ``limit`` bytes, whatever the server says), opens it and
returns the members whose file name ``wanted`` accepts, each bounded too; `FetchFailed` says in a few
words why a URL gave nothing usable, for the caller to name with the URL and try the next; `check_md5`
refuses a file that is not the data set's.
"""

from __future__ import annotations

import hashlib
import http.client
import io
import urllib.request
import zipfile
from collections.abc import Callable

from digitpad import __version__
from digitpad.data import mnist
from digitpad.errors import DatasetError


def check_md5(raw: bytes, expected: str, limit: int, source: str, what: str, remedy: str) -> None:
    """DatasetError naming ``source`` unless ``raw`` is at most ``limit`` bytes with the MD5 ``expected``:
    "``source`` is not ``what`` (MD5 …, expected …); ``remedy``"."""
    digest = hashlib.md5(raw, usedforsecurity=False).hexdigest()
    if len(raw) > limit or digest != expected:
        raise DatasetError(f"{source} is not {what} (MD5 {digest}, expected {expected}); {remedy}")


class FetchFailed(Exception):
    """One URL failed; the message says why."""


def fetch_bytes(url: str, limit: int, progress: mnist.ProgressCallback | None, timeout: float) -> bytes:
    """The file at ``url``; FetchFailed when the download fails or exceeds ``limit`` bytes."""
    request = urllib.request.Request(url, headers={"User-Agent": f"digitpad/{__version__}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            name = url.rsplit("/", 1)[-1]
            chunks, done = [], 0
            while done <= limit:
                chunk = response.read(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(name, done, total)
    except (OSError, http.client.HTTPException, ValueError) as exc:
        raise FetchFailed(mnist.describe_failure(exc, timeout)) from None
    if done > limit:
        raise FetchFailed(f"more than {limit >> 20} MB, not the data set's file")
    return b"".join(chunks)


def fetch_zip_members(url: str, wanted: Callable[[str], bool], limit: int,
                      progress: mnist.ProgressCallback | None, timeout: float) -> dict[str, bytes]:
    """The members of the zip at ``url`` whose base name ``wanted`` accepts, by base name; FetchFailed when
    the download fails or exceeds ``limit`` bytes, the zip is unreadable or holds none of them."""
    raw = fetch_bytes(url, limit, progress, timeout)
    found: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            for info in archive.infolist():
                base = info.filename.rsplit("/", 1)[-1]
                if not wanted(base):
                    continue
                if info.file_size > limit:
                    raise FetchFailed(f"{base} declares {info.file_size:,} bytes")
                found[base] = archive.read(info)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError) as exc:
        raise FetchFailed(f"not a readable zip ({exc})") from None
    if not found:
        raise FetchFailed("the zip holds none of the data set's files")
    return found
