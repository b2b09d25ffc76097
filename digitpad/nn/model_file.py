"""The model file format: a NumPy ``.npz`` archive of plain arrays, no pickle; its limits; saving.

``__digitpad__`` holds the UTF-8 JSON header as a uint8 array (``{"format": "digitpad-model",
"version": 1, "model": {"input_shape": [...], "layers": [...]}, "metadata": {...}}``) and every
parameter and buffer is one float32 array named ``"<layer index>.<name>"``.  Reading, with its
validation, is :mod:`digitpad.nn.serialization` (and :mod:`digitpad.nn.onnx_import` for ONNX graphs);
this module sits below :class:`Sequential` so that ``model.save()`` needs nothing above it.

The limits below bound what reading any model file or training checkpoint may cost, whatever the
file declares: every reader checks them before it allocates anything.
"""

from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path

import numpy as np

from digitpad.atomic import atomic_write
from digitpad.errors import FileFormatError, ModelFileError
from digitpad.file_reading import regular_file
from digitpad.nn.layers import Conv2D

FORMAT_NAME = "digitpad-model"
FORMAT_VERSION = 1
HEADER_KEY = "__digitpad__"

MAX_PARAMETERS = 50_000_000          # 200 MB of float32: far above any digit model, far below harm
MAX_FILE_BYTES = 4 * MAX_PARAMETERS + (16 << 20)   # every parameter as float32, and room for the rest
MAX_HEADER_BYTES = 1 << 20           # a JSON header (architecture and model card): a few kB in practice
MAX_LAYERS = 1000                    # the shipped CNN has 20
MAX_ARRAYS = 8 * MAX_LAYERS          # arrays in one archive (a checkpoint: weights, best weights, optimiser state)
MAX_ACTIVATIONS = 1 << 22            # values one sample holds over the input and every layer's output
MAX_ITEM_BYTES = 8                   # float16, float32 or float64 weights; the header is uint8


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


def regular_model_file(path: str | os.PathLike[str], what: str = "model file") -> Path:
    """``path`` if it is a regular file we may read, else a one-line :class:`ModelFileError` (missing,
    a folder, a FIFO or device, permission denied): nothing else is ever opened as a model."""
    try:
        return regular_file(path, what)
    except FileFormatError as exc:
        raise ModelFileError(str(exc)) from None


def activation_values(layer, output_shape: tuple[int, ...]) -> int:
    """The values one sample's pass holds for ``layer`` (None: an operation without a layer): its
    output and, for a convolution, its patch matrix (C·k² values per output position).  Readers add
    them up layer by layer, before running anything, against :data:`MAX_ACTIVATIONS`."""
    values = math.prod(output_shape)
    if isinstance(layer, Conv2D):
        values += layer.in_channels * layer.kernel_size ** 2 * math.prod(output_shape[1:])
    return values


def check_outputs(model, path: Path) -> None:
    """Run a blank and a full input through a loaded model: stored numbers that are finite but absurd
    (negative variances, 1e38 weights) would make every prediction NaN."""
    probe = np.stack([np.zeros(model.input_shape, np.float32), np.ones(model.input_shape, np.float32)])
    with np.errstate(all="ignore"):
        probs = model.predict_proba(probe)
    if not np.all(np.isfinite(probs)):
        raise ModelFileError(f"{path}: the model's weights give NaN or infinite outputs (damaged or diverged model)")
