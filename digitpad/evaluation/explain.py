"""Why a model gives an answer: maps over its 28x28 input of what pushed it toward a digit.

Two methods, both signed (positive: evidence for the digit, negative: against it):

- **Gradient × input** (Shrikumar et al. 2016; Simonyan et al. 2014 for the gradient):
  ``x ⊙ ∂z/∂x`` with z the digit's logit, through the engine's own backward
  (:meth:`digitpad.nn.Sequential.input_gradient`).  For a linear model, z = W[:, c]·x + b_c, the map is
  exactly ``W[:, c] ⊙ x``: each pixel's contribution to the score.  One forward and one backward:
  a few milliseconds, fast enough to follow the pen.
- **Occlusion sensitivity** (Zeiler & Fergus 2014): cover a square patch with background (0), measure how
  much the digit's log-probability drops; a pixel's value is the mean drop over the patches that cover
  it.  The log keeps a confident answer readable (p = 0.999 hardly moves, its log does), and
  log p_a − log p_b = z_a − z_b, so "a rather than b" means the same for both methods.
  It needs only ``predict_proba`` (any model) and one batch of all the occluded inputs, about 170 for
  the defaults: tens of milliseconds, so the app runs it in a worker.

``versus=b`` asks what separates digit ``a`` from a runner-up ``b``: the map of ``z_a − z_b`` (for
gradient × input, the same as the difference of the two maps) or of the drop in ``log p_a − log p_b``.
"""

from __future__ import annotations

import numpy as np

from digitpad.drawing.network_input import SIDE

DEFAULT_PATCH, DEFAULT_STRIDE = 4, 2


def _model_batch(model, digits: np.ndarray) -> np.ndarray:
    """(N, 28, 28) digits in [0, 1] as the model's input batch (N, *model.input_shape), float32."""
    digits = np.asarray(digits, dtype=np.float32)
    return digits.reshape(len(digits), *model.input_shape)


def _check_digit(digit: np.ndarray) -> np.ndarray:
    digit = np.asarray(digit, dtype=np.float32)
    if digit.shape != (SIDE, SIDE):
        raise ValueError(f"expected a (28, 28) input, got {digit.shape}")
    return digit


def gradient_times_input_for(model, digit: np.ndarray, classes: list[int]) -> np.ndarray:
    """The gradient × input map of each digit in ``classes``, (K, 28, 28) float32, from one batched
    backward (the digit repeated K times, one logit selected per copy)."""
    digit = _check_digit(digit)
    x = _model_batch(model, np.repeat(digit[None], len(classes), axis=0))
    grad = model.input_gradient(x, np.asarray(classes))
    return (grad.reshape(len(classes), SIDE, SIDE) * digit).astype(np.float32)


def occlusion_masks(patch: int = DEFAULT_PATCH, stride: int = DEFAULT_STRIDE) -> np.ndarray:
    """Boolean (K, 28, 28): True inside each of the K patch positions (a grid with ``stride``, the last
    row and column flush with the border so every pixel is covered)."""
    if not 1 <= patch <= SIDE or stride < 1:
        raise ValueError(f"patch must be 1..28 and stride >= 1, got patch={patch}, stride={stride}")
    starts = list(range(0, SIDE - patch + 1, stride))
    if starts[-1] != SIDE - patch:
        starts.append(SIDE - patch)
    starts = np.array(starts)
    inside = (np.arange(SIDE)[None, :] >= starts[:, None]) & (np.arange(SIDE)[None, :] < starts[:, None] + patch)
    return (inside[:, None, :, None] & inside[None, :, None, :]).reshape(-1, SIDE, SIDE)


def occlusion_maps_for(model, digit: np.ndarray, classes: list[int], patch: int = DEFAULT_PATCH,
                       stride: int = DEFAULT_STRIDE) -> np.ndarray:
    """The occlusion map of each digit in ``classes``, (K, 28, 28) float32: the digit and all its
    occluded copies go through ``predict_proba`` in one batch, and each pixel averages the drops of
    the patches that cover it (a (K, P) by (P, 784) product)."""
    digit = _check_digit(digit)
    masks = occlusion_masks(patch, stride)
    occluded = np.where(masks, np.float32(0), digit[None])
    probabilities = model.predict_proba(_model_batch(model, np.concatenate([digit[None], occluded])))
    scores = np.log(np.maximum(probabilities[:, classes].T, 1e-12))  # (K, 1 + P) log-probabilities
    drops = (scores[:, :1] - scores[:, 1:]).astype(np.float32)  # (K, P)
    cover = masks.reshape(len(masks), -1).astype(np.float32)    # (P, 784)
    return ((drops @ cover) / cover.sum(axis=0)).reshape(len(classes), SIDE, SIDE).astype(np.float32)
