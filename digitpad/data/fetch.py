"""Fetching a data set's zip from its publisher: bounded, with progress, every failure one reason.

`fetch_zip_members` downloads a zip (at most ``limit`` bytes, whatever the server says), opens it and
returns the members whose file name ``wanted`` accepts, each bounded too; `FetchFailed` says in a few
words why a URL gave nothing usable, for the caller to name with the URL and try the next.
"""

from __future__ import annotations

import http.client
import io
import urllib.request
import zipfile
from collections.abc import Callable

from digitpad import __version__
from digitpad.data import mnist


class FetchFailed(Exception):
    """One URL failed; the message says why."""


def fetch_zip_members(url: str, wanted: Callable[[str], bool], limit: int,
                      progress: mnist.ProgressCallback | None, timeout: float) -> dict[str, bytes]:
    """The members of the zip at ``url`` whose base name ``wanted`` accepts, by base name; FetchFailed when
    the download fails or exceeds ``limit`` bytes, the zip is unreadable or holds none of them."""
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
        raise FetchFailed(f"more than {limit >> 20} MB, not the data set's zip")
    found: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
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
