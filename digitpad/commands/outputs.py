"""The one rule for the files a command writes (``train --out``, ``average --out``, ``export --onnx``,
``evaluate --json``/``--confusion-png``, ``robustness --json``/``--png``, a model's card and ``.md``),
applied by :func:`check_output` before any work starts, so that a bad path costs a second, not an
hour of training or a whole evaluation:

- the folder must exist (digitpad creates only the default user models folder,
  :func:`default_model_output`), be a folder, and be writable;
- the target, symlinks followed, must be absent or a regular file that may be written
  (:func:`digitpad.atomic.output_path`);
- a model output (with its card and ``.md`` beside it) replaces only files digitpad wrote: a model
  file, a model card, a card's Markdown; anything else is kept unless ``--force``;
- where the size of the output is known, the folder's disk must have room for it.

The writes themselves all go through :mod:`digitpad.atomic`, which checks the target again.
"""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from digitpad.atomic import output_path
from digitpad.errors import OutputFileError
from digitpad.nn.io import HEADER_KEY
from digitpad.training.modelcard import card_paths
from digitpad.user_dirs import made_user_models_dir

CARD_MARKDOWN_START = b"# Model card: "
"""How the Markdown beside a model begins (`digitpad.training.modelcard.render_markdown`)."""
CARD_JSON_KEY = b'"digitpad_version"'
"""A key every model card holds near its start (`digitpad.training.modelcard.build_card`)."""
_SNIFF_BYTES = 4096


def check_output(path: str | os.PathLike[str], what: str, *, force: bool = False, model: bool = False,
                 need_bytes: int = 0) -> Path:
    """Check that ``path`` can be written as the ``what`` (e.g. "JSON file") and return where it will
    really be written (a symlink's target); :class:`OutputFileError`, one line naming the path, when
    it cannot.  ``model``: ``path`` is a model, saved with its card and ``.md`` beside it, and only
    files digitpad wrote are replaced unless ``force``.  ``need_bytes``: the room the output needs."""
    path = Path(path)
    target = output_path(path, what)
    written = [(path, what), *((companion, "model card") for companion in card_paths(path) if model)]
    for file, kind in written:
        real = output_path(file, kind)
        if not os.access(real.parent, os.W_OK | os.X_OK):
            raise OutputFileError(f"{file}: cannot write in the folder {real.parent} (permission denied)")
        if real.exists() and not os.access(real, os.W_OK):
            raise OutputFileError(f"{file}: is read-only; digitpad does not replace it")
        if model and not force and real.exists() and not written_by_digitpad(real):
            raise OutputFileError(f"{file}: exists and was not written by digitpad (not a model or model card); "
                                  f"give another name, or --force to replace it")
    if need_bytes:
        free = shutil.disk_usage(target.parent).free
        if free < need_bytes:
            raise OutputFileError(f"{path}: only {free / 2**20:.1f} MB free in {target.parent}, the {what} "
                                  f"needs about {need_bytes / 2**20:.1f} MB")
    return target


@contextmanager
def saving(path: str | os.PathLike[str], what: str) -> Iterator[None]:
    """Turn a failed write of ``path`` (disk full, quota, a folder gone meanwhile) into one
    :class:`OutputFileError` line; the atomic write has left any previous file as it was."""
    try:
        yield
    except OSError as exc:
        raise OutputFileError(f"{path}: cannot write the {what} ({exc.strerror or exc})") from None


def default_model_output(stem: str) -> Path:
    """A new model file name in the user models folder, ``<stem>-<date>-<time>.npz``; the folder is
    created if needed (the one folder digitpad makes on its own), :class:`OutputFileError` if it cannot be."""
    return made_user_models_dir() / f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}.npz"


def written_by_digitpad(path: Path) -> bool:
    """Whether the regular file ``path`` is one digitpad writes beside a model: a model file (a zip
    archive holding the model header), a model card (JSON naming the digitpad version near its start)
    or a card's Markdown.  Reads the first few kB and, for a zip, its directory; never raises."""
    try:
        with open(path, "rb") as handle:
            start = handle.read(_SNIFF_BYTES)
        if start.startswith(CARD_MARKDOWN_START) or (start.lstrip().startswith(b"{") and CARD_JSON_KEY in start):
            return True
        if not start.startswith(b"PK"):
            return False
        with zipfile.ZipFile(path) as archive:
            return f"{HEADER_KEY}.npy" in archive.namelist()
    except (OSError, ValueError, zipfile.BadZipFile, RuntimeError, NotImplementedError):
        return False
