"""How a reader's scores become an honest answer: calibrated probabilities, and the thresholds of "sure"
and of "not a digit", each fitted on validation writers (`digitpad.evaluation.honesty.fit_calibration`)
and kept in the model files' metadata.

**Temperature scaling** (Guo et al., "On Calibration of Modern Neural Networks", ICML 2017): the reader's
log-probabilities are divided by one number ``T`` before the softmax::

    P_T(d) = exp(log P(d) / T) / Σ_k exp(log P(k) / T)

``T > 1`` softens an over-confident reader, ``T < 1`` sharpens a shy one; the argmax never changes.
`fit_temperature` chooses the ``T`` that minimises the negative log-likelihood of the validation digits.

**Expected calibration error** (`expected_calibration_error`): the answers binned by their confidence
``c = max_d P(d)`` into `BINS` equal-width bins, and ``ECE = Σ_b (n_b / n) · |accuracy_b - confidence_b|``,
the gap between how sure the reader is and how often it is right, weighted by how often it is that sure
(`reliability` gives the bins: the reliability diagram).

**Sure** (`sure_threshold`): "N % sure it is a d" only where the reader, at that confidence, is right at
least `SURE_PRECISION` of the time: the smallest confidence ``t`` such that the validation digits read
with a confidence of at least ``t`` are right that often.  Below it the answer is "unsure: a or b".

**Not a digit** (`not_a_digit_threshold`): a stroke model's `NOT_A_DIGIT` probability above which a
drawing is answered "this doesn't look like a digit": the smallest threshold that rejects at most
`MAX_DIGITS_REJECTED` of the validation digits, and never below one half.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass

import numpy as np

from digitpad.file_reading import finite_number

BINS = 15
SURE_PRECISION = 0.998
MAX_DIGITS_REJECTED = 0.0025
DEFAULT_SURE_ABOVE = 0.97      # a reader fitted nowhere: the shipped CNN's threshold, rounded up
KINDS = ("image", "strokes", "both")


@dataclass(frozen=True)
class Calibration:
    """A reader's ``temperature``, the confidence from which it says "sure" (``sure_above``) and the
    not-a-digit probability from which it says "this doesn't look like a digit" (``not_a_digit_above``)."""

    temperature: float = 1.0
    sure_above: float = DEFAULT_SURE_ABOVE
    not_a_digit_above: float = 0.5

    @classmethod
    def from_metadata(cls, found: object) -> "Calibration":
        """The calibration saved in a model's metadata (`to_metadata`); a missing or bad value keeps its
        default (a model file is not trusted)."""
        found = found if isinstance(found, Mapping) else {}
        temperature = finite_number(found.get("temperature"), 0.05, 20.0)
        sure = finite_number(found.get("sure_above"), 0.0, 1.0)
        other = finite_number(found.get("not_a_digit_above"), 0.0, 1.0)
        default = cls()
        return cls(default.temperature if temperature is None else temperature,
                   default.sure_above if sure is None else sure,
                   default.not_a_digit_above if other is None else other)

    def to_metadata(self) -> dict:
        return {key: round(float(value), 5) for key, value in asdict(self).items()}


def soften(log_probabilities: np.ndarray, temperature: float) -> np.ndarray:
    """``P_T``: the softmax of ``log_probabilities / temperature`` along the last axis, float32."""
    z = np.asarray(log_probabilities, np.float64) / temperature
    z = np.exp(z - z.max(axis=-1, keepdims=True))
    return (z / z.sum(axis=-1, keepdims=True)).astype(np.float32)


def negative_log_likelihood(log_probabilities: np.ndarray, labels: np.ndarray, temperature: float) -> float:
    """The mean ``-log P_T(label)``."""
    z = np.asarray(log_probabilities, np.float64) / temperature
    top = z.max(axis=1, keepdims=True)
    log_norm = top[:, 0] + np.log(np.exp(z - top).sum(axis=1))
    return float(np.mean(log_norm - z[np.arange(len(labels)), labels]))


def fit_temperature(log_probabilities: np.ndarray, labels: np.ndarray, low: float = 0.05, high: float = 20.0) -> float:
    """The temperature in [low, high] minimising `negative_log_likelihood` (convex in ``1/T``): a golden-
    section search on ``log T``."""
    a, b = np.log(low), np.log(high)
    ratio = (np.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    nll = lambda log_t: negative_log_likelihood(log_probabilities, labels, float(np.exp(log_t)))  # noqa: E731
    fc, fd = nll(c), nll(d)
    for _ in range(80):
        if fc < fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = nll(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = nll(d)
    return float(np.exp((a + b) / 2))


def reliability(probabilities: np.ndarray, labels: np.ndarray, bins: int = BINS) -> list[dict]:
    """The reliability diagram: for each confidence bin ``((b - 1) / bins, b / bins]`` holding answers, its
    range, count, mean confidence and accuracy."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == labels
    which = np.clip(np.ceil(confidence * bins).astype(int) - 1, 0, bins - 1)
    rows = []
    for b in range(bins):
        inside = which == b
        if inside.any():
            rows.append({"low": b / bins, "high": (b + 1) / bins, "count": int(inside.sum()),
                         "confidence": float(confidence[inside].mean()), "accuracy": float(correct[inside].mean())})
    return rows


def expected_calibration_error(probabilities: np.ndarray, labels: np.ndarray, bins: int = BINS) -> float:
    """``Σ_b (n_b / n) · |accuracy_b - confidence_b|`` over `reliability`'s bins."""
    rows = reliability(probabilities, labels, bins)
    n = sum(r["count"] for r in rows)
    return float(sum(r["count"] / n * abs(r["accuracy"] - r["confidence"]) for r in rows)) if n else 0.0


def sure_threshold(confidence: np.ndarray, correct: np.ndarray, precision: float = SURE_PRECISION) -> float:
    """The smallest confidence ``t`` (one of ``confidence``'s values) such that the answers with a
    confidence of at least ``t`` are right at least ``precision`` of the time; 1.0 when none is."""
    order = np.argsort(-np.asarray(confidence), kind="stable")
    c, right = np.asarray(confidence)[order], np.asarray(correct, bool)[order]
    precision_above = np.cumsum(right) / np.arange(1, len(c) + 1)
    # a threshold t keeps every answer of confidence >= t: only the last of equal confidences is a cut
    cuts = np.r_[c[1:] != c[:-1], True]
    good = np.flatnonzero(cuts & (precision_above >= precision))
    return float(c[good[-1]]) if len(good) else 1.0


def not_a_digit_threshold(digit_scores: np.ndarray, max_rejected: float = MAX_DIGITS_REJECTED) -> float:
    """The smallest not-a-digit threshold (at least one half) above which at most ``max_rejected`` of the
    digits' ``digit_scores`` lie."""
    scores = np.sort(np.asarray(digit_scores, np.float64))
    allowed = int(np.floor(max_rejected * len(scores)))
    above = scores[len(scores) - allowed - 1] if allowed < len(scores) else 0.0
    return float(max(0.5, np.nextafter(above, np.inf)))
