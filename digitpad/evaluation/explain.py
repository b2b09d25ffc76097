"""Why a model gives an answer: maps over its 28x28 input of what pushed it toward a digit.

Two methods, both signed (positive: evidence for the digit, negative: against it):

- **Gradient × input** (Shrikumar et al. 2016; Simonyan et al. 2014 for the gradient):
  ``x ⊙ ∂z/∂x`` with z the digit's logit, through the engine's own backward
  (:meth:`digitpad.nn.Sequential.input_gradient`).  For a linear model, z = W[:, c]·x + b_c, the map is
  exactly ``W[:, c] ⊙ x``: each pixel's contribution to the score.  One forward and one backward:
  a few milliseconds, fast enough to follow the pen.  On a CNN it is speckle: neighbouring ink pixels
  flip sign (43 % of neighbours on MNIST test digits), and the maps of two digits look alike.
- **Smoothed gradient × input** (what the app shows; `smooth_gradient_times_input_for`): the gradient
  averaged over noisy copies of the input, x + ε with ε ~ N(0, 0.3²) drawn in antithetic pairs
  (SmoothGrad, Smilkov et al. 2017), then blurred by a Gaussian of 0.7 pixel, times the input.  The
  copies of all the digits explained go through one batched backward of `SMOOTH_COPIES` (4) copies:
  4 for a sure answer, 2 each for "unsure: a or b": 16 ms and 15 ms with the shipped CNN, under the
  20-ms target of a map that follows the pen (benchmarks/bench_pipeline.py's rows, 2 cores; plain
  gradient × input: 6 ms for one digit, 9 ms for two; 8 copies took 20-25 ms).
- **Occlusion sensitivity** (Zeiler & Fergus 2014): cover a square patch with background (0), measure how
  much the digit's log-probability drops; a pixel's value is the mean drop over the patches that cover
  it.  The log keeps a confident answer readable (p = 0.999 hardly moves, its log does), and
  log p_a − log p_b = z_a − z_b, so "a rather than b" means the same for both methods.
  It needs only ``predict_proba`` (any model) and one batch of all the occluded inputs, about 170 for
  the defaults: tens of milliseconds, so the app runs it in a worker.

``versus=b`` asks what separates digit ``a`` from a runner-up ``b``: the map of ``z_a − z_b`` (for
gradient × input, the same as the difference of the two maps) or of the drop in ``log p_a − log p_b``.

**Measured against occlusion** (`occlusion_agreement`, the first 100 MNIST test digits, a and b each
digit's top two answers): the Spearman rank correlation, over the 4x4 patches that touch ink, between
a patch's occlusion drop of log p_a (of log p_a − log p_b) and the sum of the map over it (of the
"a rather than b" map), "ρ a" and "ρ a−b"; and "flips", the share of neighbouring ink pixels of
opposite signs (speckle; occlusion's own maps: 0.02 with the CNN, 0.03 with the MLP)::

    shipped CNN                                  ρ a    ρ a−b   flips
    gradient × input                             0.26   0.28    0.43
    SmoothGrad, 2 copies each, no blur           0.45   0.42    0.43
    smoothed, unsure (2 copies each, blur 0.7)   0.49   0.42    0.29    (the app)
    smoothed, sure (4 copies, blur 0.7)          0.54   0.47    0.28    (the app)
    smoothed, 8 copies each, blur 0.7            0.55   0.51    0.26
    shipped MLP
    gradient × input                             0.60   0.72    0.24
    smoothed, unsure (2 copies each, blur 0.7)   0.68   0.71    0.16    (the app)
    smoothed, sure (4 copies, blur 0.7)          0.71   0.73    0.16    (the app)

Averaging over noise doubles the CNN maps' agreement with occlusion; the blur removes a third of the
speckle (without it the sign flips stay at 0.43) at no cost in agreement; more copies add little
(noise 0.15-0.5 and blurs 0.7-1.5 were tried: 0.3 and 0.7 agree best; a blur alone, without the
noise, leaves the agreement at 0.30; integrated gradients from a blank input, 16 steps, 16 copies
a digit, reached 0.53 and 0.51 on the first 40 digits, where gradient × input had 0.24 and 0.27).
Occlusion stays the reference: it is what the maps are measured against, readable, and a moment late.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter

from digitpad.drawing.network_input import SIDE

DEFAULT_PATCH, DEFAULT_STRIDE = 4, 2
SMOOTH_COPIES, SMOOTH_SIGMA, SMOOTH_BLUR, SMOOTH_SEED = 4, 0.3, 0.7, 0
"""The smoothed gradient × input the app shows: noisy copies in one backward (4: one digit's map averages 4,
the two of an unsure answer 2 each), the noise's standard deviation (the input is in [0, 1]), the blur
(pixels) and the noise's seed: chosen by the measurement in the module's docstring."""


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


def smooth_gradient_times_input_for(model, digit: np.ndarray, classes: list[int], samples: int | None = None,
                                    sigma: float = SMOOTH_SIGMA, blur: float = SMOOTH_BLUR,
                                    seed: int = SMOOTH_SEED) -> np.ndarray:
    """Smoothed gradient × input of each digit in ``classes``, (K, 28, 28) float32 (what the app shows):
    ``x ⊙ G_blur * mean_i ∂z/∂x(x + ε_i)``.

    The gradient is averaged over ``samples`` noisy copies of the input (SmoothGrad; default
    `SMOOTH_COPIES` // K, at least 2: one backward of about `SMOOTH_COPIES` copies whatever K), the noise
    ε_i ~ N(0, ``sigma``²) per pixel drawn in antithetic pairs (ε, −ε: the part of the gradient linear in
    the noise cancels exactly) from ``seed``, the same at every call, so that the map of an unchanged
    drawing never flickers; then blurred by a Gaussian of ``blur`` pixels (0: none), and multiplied by the
    input.  All K × samples copies go through one batched backward.  For a linear model with ``blur`` 0
    it is exactly gradient × input (its gradient is the same everywhere)."""
    digit = _check_digit(digit)
    samples = samples if samples is not None else max(2, SMOOTH_COPIES // max(len(classes), 1))
    if samples < 1 or sigma < 0 or blur < 0:
        raise ValueError(f"samples must be >= 1, sigma and blur >= 0, got samples={samples}, sigma={sigma}, blur={blur}")
    half = np.random.default_rng(seed).standard_normal((samples // 2, SIDE, SIDE), dtype=np.float32) * np.float32(sigma)
    noise = np.concatenate([half, -half, np.zeros((samples % 2, SIDE, SIDE), np.float32)])   # odd: the input itself too
    noisy = np.broadcast_to(digit + noise, (len(classes), samples, SIDE, SIDE)).reshape(-1, SIDE, SIDE)
    grad = model.input_gradient(_model_batch(model, noisy), np.repeat(np.asarray(classes), samples))
    mean = grad.reshape(len(classes), samples, SIDE, SIDE).mean(axis=1)
    if blur > 0:
        mean = gaussian_filter(mean, sigma=(0, blur, blur), mode="nearest")
    return (mean * digit).astype(np.float32)


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


def occlusion_agreement(model, digits: np.ndarray, method, patch: int = DEFAULT_PATCH,
                        stride: int = DEFAULT_STRIDE) -> dict[str, float]:
    """How well the maps of ``method`` (called as ``method(model, digit, [a, b])``, a gradient map
    function) agree with occlusion on (N, 28, 28) ``digits``, a and b the model's top two answers, as the
    module's docstring reports them: the mean Spearman rank correlation between each occlusion patch's
    drop of log p_a (of log p_a − log p_b) and the sum of the map over the patch (of the a − b map), over
    the patches touching ink (``"a"``, ``"a-b"``); and the share of neighbouring ink pixels whose map
    values have opposite signs (``"flips"``: speckle; occlusion's is about 0.03)."""
    from scipy.stats import spearmanr

    masks = occlusion_masks(patch, stride)
    cover = masks.reshape(len(masks), -1).astype(np.float32)
    found: dict[str, list[float]] = {"a": [], "a-b": [], "flips": []}
    for digit in np.asarray(digits, np.float32):
        top = np.argsort(model.predict_proba(_model_batch(model, digit[None]))[0])[::-1][:2]
        a, b = int(top[0]), int(top[1])
        occluded = np.where(masks, np.float32(0), digit[None])
        scores = np.log(np.maximum(model.predict_proba(_model_batch(model, np.concatenate([digit[None], occluded])))[:, [a, b]],
                                   1e-12))
        drops = {"a": scores[0, 0] - scores[1:, 0], "a-b": (scores[0, 0] - scores[0, 1]) - (scores[1:, 0] - scores[1:, 1])}
        maps = method(model, digit, [a, b])
        sums = {"a": cover @ maps[0].reshape(-1), "a-b": cover @ (maps[0] - maps[1]).reshape(-1)}
        ink = digit > 0.1
        touching = (cover @ ink.reshape(-1)) > 0
        for key in ("a", "a-b"):
            rho = spearmanr(sums[key][touching], drops[key][touching]).statistic
            found[key].append(0.0 if np.isnan(rho) else float(rho))
        signs = np.sign(maps[0])
        found["flips"].append(float(np.concatenate([(signs[:, 1:] != signs[:, :-1])[ink[:, 1:] & ink[:, :-1]],
                                                    (signs[1:] != signs[:-1])[ink[1:] & ink[:-1]]]).mean()))
    return {key: float(np.mean(values)) for key, values in found.items()}

