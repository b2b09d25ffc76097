"""Evaluating a model on labelled digits: accuracy, per-class accuracy, confusion matrix, and the
most frequent confusions (1/7, 4/9, 7/1 ...), with an optional confusion-matrix figure."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitpad import nn
from digitpad.drawing.network_input import NUM_CLASSES


@dataclass
class Evaluation:
    accuracy: float
    per_class: np.ndarray        # (10,) accuracy of each true digit
    confusion: np.ndarray        # (10, 10) counts, rows = true digit, columns = predicted
    predictions: np.ndarray      # (N,) predicted digit
    count: int

    def top_confusions(self, n: int = 8) -> list[tuple[int, int, int]]:
        """The n most frequent (true, predicted, count) mistakes."""
        off = self.confusion.copy()
        np.fill_diagonal(off, 0)
        order = np.argsort(off, axis=None)[::-1][:n]
        pairs = [(int(i // NUM_CLASSES), int(i % NUM_CLASSES), int(off.flat[i])) for i in order]
        return [p for p in pairs if p[2] > 0]

    def as_dict(self) -> dict:
        return {"accuracy": self.accuracy, "count": self.count,
                "per_class_accuracy": [round(float(a), 6) for a in self.per_class],
                "confusion": self.confusion.tolist(),
                "top_confusions": [{"true": t, "predicted": p, "count": c} for t, p, c in self.top_confusions()]}


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray) -> np.ndarray:
    return np.bincount(labels * NUM_CLASSES + predictions, minlength=NUM_CLASSES ** 2).reshape(NUM_CLASSES, NUM_CLASSES)


def evaluate(model: nn.Sequential, inputs: np.ndarray, labels: np.ndarray, batch_size: int = 1000) -> Evaluation:
    """``inputs`` is model input (N, 1, 28, 28) float32, or a stroke model's trajectories; ``labels`` (N,)
    digits.  A stroke model's eleventh score (not a digit) is left out: the digit it reads, if the drawing
    is one, as a reader takes it (`digitpad.reading.reader.split_not_a_digit`)."""
    return evaluate_probabilities(model.predict_proba(inputs, batch_size), labels)


def evaluate_probabilities(probabilities: np.ndarray, labels: np.ndarray) -> Evaluation:
    """The `Evaluation` of a model's probabilities (N, 10 or 11) of ``labels`` (N,): see `evaluate`."""
    labels = np.asarray(labels, dtype=np.int64)
    predictions = np.asarray(probabilities)[:, :NUM_CLASSES].argmax(axis=1)
    confusion = confusion_matrix(labels, predictions)
    totals = confusion.sum(axis=1)
    per_class = np.divide(np.diag(confusion), totals, out=np.zeros(NUM_CLASSES), where=totals > 0)
    return Evaluation(float(np.mean(predictions == labels)), per_class, confusion, predictions, len(labels))


def format_report(result: Evaluation, title: str = "") -> str:
    lines = [title] if title else []
    lines.append(f"accuracy: {result.accuracy:.2%} on {result.count:,} images "
                 f"({result.count - int(np.trace(result.confusion)):,} wrong)")
    lines.append("per digit: " + "  ".join(f"{d}:{a:.1%}" for d, a in enumerate(result.per_class)))
    mistakes = result.top_confusions()
    if mistakes:
        lines.append("most frequent confusions (true → predicted): "
                     + ", ".join(f"{t}→{p} ×{c}" for t, p, c in mistakes))
    return "\n".join(lines)


EMPHASISED_PAIRS = {(1, 7), (7, 1), (4, 9), (9, 4), (1, 4), (4, 1), (4, 7), (7, 4)}


def plot_confusion(confusion: np.ndarray, title: str = "Confusion matrix", figure=None):
    """Draw the matrix (log-scaled colours) with counts, the 1/4/7 and 4/9 cells outlined."""
    import matplotlib.colors as colors
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    fig = figure or Figure(figsize=(6.2, 5.4), dpi=100)
    fig.clear()
    ax = fig.add_subplot()
    image = ax.imshow(confusion + 1, cmap="Blues", norm=colors.LogNorm(vmin=1, vmax=max(confusion.max(), 10) + 1))
    fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04, label="images (log scale)")
    high = confusion.max() / 3
    for t in range(NUM_CLASSES):
        for p in range(NUM_CLASSES):
            count = int(confusion[t, p])
            if count:
                ax.text(p, t, str(count), ha="center", va="center", fontsize=7,
                        color="white" if count > high else "black")
            if (t, p) in EMPHASISED_PAIRS:
                ax.add_patch(Rectangle((p - 0.5, t - 0.5), 1, 1, fill=False, edgecolor="#d62728", linewidth=1.6))
    ax.set_xticks(range(NUM_CLASSES))
    ax.set_yticks(range(NUM_CLASSES))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel("true digit")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def save_confusion_png(confusion: np.ndarray, path: str | Path, title: str = "Confusion matrix") -> None:
    from digitpad.atomic import atomic_write

    fig = plot_confusion(confusion, title)
    with atomic_write(Path(path), "wb") as f:
        fig.savefig(f, format="png")
