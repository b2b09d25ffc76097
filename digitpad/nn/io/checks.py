"""What every model reader checks, whatever the format (:mod:`~digitpad.nn.io.model_file` for digitpad
``.npz`` files and training checkpoints, :mod:`~digitpad.nn.io.onnx_import` for ONNX graphs).

The limits below bound what reading any model file or training checkpoint may cost, whatever the
file declares: every reader checks them before it allocates anything.  Only a regular file is ever
opened (:func:`regular_model_file`), each layer's activations are counted before anything runs
(:func:`activation_values`), and a loaded model must give finite outputs (:func:`check_outputs`, the
one finite-output check, run last by every reader).
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from digitpad.errors import FileFormatError, ModelFileError
from digitpad.file_reading import regular_file
from digitpad.nn.layers import Conv2D
from digitpad.nn.sequence_layers import Conv1D

MAX_PARAMETERS = 50_000_000          # 200 MB of float32: far above any digit model, far below harm
MAX_FILE_BYTES = 4 * MAX_PARAMETERS + (16 << 20)   # every parameter as float32, and room for the rest
MAX_HEADER_BYTES = 1 << 20           # a JSON header (architecture and model card): a few kB in practice
MAX_LAYERS = 1000                    # the shipped CNN has 20
MAX_ARRAYS = 8 * MAX_LAYERS          # arrays in one archive (a checkpoint: weights, best weights, optimiser state)
MAX_ACTIVATIONS = 1 << 22            # values one sample holds over the input and every layer's output
MAX_ITEM_BYTES = 8                   # float16, float32 or float64 weights; the header is uint8


def regular_model_file(path: str | os.PathLike[str], what: str = "model file") -> Path:
    """``path`` if it is a regular file we may read, else a one-line :class:`ModelFileError` (missing,
    a folder, a FIFO or device, permission denied): nothing else is ever opened as a model."""
    try:
        return regular_file(path, what)
    except FileFormatError as exc:
        raise ModelFileError(str(exc)) from None


def activation_values(layer, output_shape: tuple[int, ...]) -> int:
    """The values one sample's pass holds for ``layer`` (None: an operation without a layer): its
    output and, for a convolution, its patch matrix (C·k² values per output position, C·k for a
    Conv1D).  Readers add them up layer by layer, before running anything, against :data:`MAX_ACTIVATIONS`."""
    values = math.prod(output_shape)
    if isinstance(layer, Conv2D):
        values += layer.in_channels * layer.kernel_size ** 2 * math.prod(output_shape[1:])
    elif isinstance(layer, Conv1D):
        values += layer.in_channels * layer.kernel_size * output_shape[1]
    return values


def check_outputs(model, path: Path) -> None:
    """Run a blank and a full input through a loaded model: stored numbers that are finite but absurd
    (negative variances, 1e38 weights) would make every prediction NaN."""
    probe = np.stack([np.zeros(model.input_shape, np.float32), np.ones(model.input_shape, np.float32)])
    with np.errstate(all="ignore"):
        probs = model.predict_proba(probe)
    if not np.all(np.isfinite(probs)):
        raise ModelFileError(f"{path}: the model's weights give NaN or infinite outputs (damaged or diverged model)")
