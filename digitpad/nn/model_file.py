"""The model file format, writing side: a NumPy ``.npz`` archive of plain arrays, no pickle.

``__digitpad__`` holds the UTF-8 JSON header as a uint8 array (``{"format": "digitpad-model",
"version": 1, "model": {"input_shape": [...], "layers": [...]}, "metadata": {...}}``) and every
parameter and buffer is one float32 array named ``"<layer index>.<name>"``.  Reading, with its
validation, is :mod:`digitpad.nn.serialization`; this module sits below :class:`Sequential` so that
``model.save()`` needs nothing above it.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

from digitpad.atomic import atomic_write
from digitpad.errors import ModelFileError

FORMAT_NAME = "digitpad-model"
FORMAT_VERSION = 1
HEADER_KEY = "__digitpad__"
MAX_PARAMETERS = 50_000_000  # 200 MB of float32: far above any digit model, far below harm
MAX_HEADER_BYTES = 16 << 20  # the JSON header (architecture and model card): a few kB in practice


def save_model(model, path) -> None:
    """Write ``model`` (a :class:`Sequential`: its ``config()``, ``state()`` and ``metadata``) to ``path``
    atomically: an interrupted save leaves the previous file intact."""
    path = Path(path)
    header = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "model": model.config(),
              "metadata": model.metadata}
    arrays = {HEADER_KEY: np.frombuffer(json.dumps(header).encode("utf-8"), dtype=np.uint8)}
    arrays.update({key: np.ascontiguousarray(value, dtype=np.float32) for key, value in model.state().items()})
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    try:
        with atomic_write(path, "wb") as f:
            f.write(buffer.getvalue())
    except OSError as exc:
        raise ModelFileError(f"{path}: cannot save the model ({exc.strerror or exc})") from None
