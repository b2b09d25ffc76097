"""The robustness study's result and its report: accuracy per (model, pipeline) and pen width as a
plain-text table, a JSON-able dict (and back), and a line plot or PNG, one study or several side by side.

:func:`digitpad.evaluation.robustness.run_robustness` measures a :class:`RobustnessResult`:

    result = run_robustness({"mlp": nn.load_model("models/mlp.npz")}, n=300)
    print(result.to_table())
    result.save_png("robustness.png")
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from digitpad.atomic import atomic_write_bytes
from digitpad.evaluation.drawn_test_sets import DATASETS

__all__ = [
    "SPREAD_WIDTHS",
    "RobustnessResult",
    "plot_side_by_side",
    "save_side_by_side_png",
]

# The pen widths the app's users actually draw with: the spread (best - worst accuracy) is taken over them.
SPREAD_WIDTHS = (2, 16)
# What the table and the plot call each pipeline.
MODE_LABELS = {"strokes": "strokes (app)", "image": "image-normalised", "raw": "raw"}
MARKERS = "osD^vP*Xph"
"""The plot's marker of each model, in order (open markers)."""
LINE_STYLES = {"strokes": ("-", 8.5), "image": ("--", 6.0), "raw": (":", 3.5)}
"""The plot's line style of each pipeline, and the size of its markers (decreasing: equal points stay visible)."""
LEGEND_NAME = 34
"""The longest model name the legend writes whole (a longer one is shortened in its middle)."""


def _width_label(width: float) -> str:
    return f"{width:g}"


def _mode_label(mode: str) -> str:
    return MODE_LABELS.get(mode, mode)


@dataclass
class RobustnessResult:
    """Accuracy of each (model name, pipeline) per pen width; see
    :func:`digitpad.evaluation.robustness.run_robustness`.

    ``accuracy[(name, mode)][i]`` is the fraction of the ``n`` drawings of ``dataset`` given pen
    ``widths[i]`` that the model classified correctly (NaN where a cancelled run did not get to it).
    ``empty[mode][i]`` counts the drawings no ink was found in (they count as misread).
    ``complete`` is False for a run stopped through ``cancel``.
    """

    widths: list[float]
    canvas: int
    n: int
    accuracy: dict[tuple[str, str], list[float]]
    seed: int = 0
    empty: dict[str, list[int]] = field(default_factory=dict)
    dataset: str = "traced"
    complete: bool = True
    elapsed_s: float = 0.0

    # --- figures --------------------------------------------------------------------------------
    @property
    def models(self) -> list[str]:
        return list(dict.fromkeys(name for name, _ in self.accuracy))

    def standard_error(self, accuracy: float) -> float:
        """Standard error of an accuracy measured on this result's ``n`` drawings: sqrt(p (1-p) / n)."""
        return math.sqrt(max(accuracy * (1 - accuracy), 0.0) / self.n) if self.n else math.nan

    def spread(self, key: tuple[str, str], low: float = SPREAD_WIDTHS[0], high: float = SPREAD_WIDTHS[1]) -> float:
        """Best minus worst accuracy over the pen widths in [low, high] (NaN if none was measured)."""
        values = [a for w, a in zip(self.widths, self.accuracy[key]) if low <= w <= high and not math.isnan(a)]
        return max(values) - min(values) if values else math.nan

    def worst(self, key: tuple[str, str], low: float = SPREAD_WIDTHS[0], high: float = SPREAD_WIDTHS[1]) -> float:
        """Lowest accuracy over the pen widths in [low, high] (NaN if none was measured)."""
        values = [a for w, a in zip(self.widths, self.accuracy[key]) if low <= w <= high and not math.isnan(a)]
        return min(values) if values else math.nan

    # --- presentation ---------------------------------------------------------------------------
    def to_table(self) -> str:
        """A plain-text table: one row per model and mode, accuracy (%) per pen width, and the
        best-worst spread over widths 2-16, then a line giving the sample size and standard error."""
        low, high = SPREAD_WIDTHS
        has_spread = any(low <= w <= high for w in self.widths)
        name_width = max([5, *(len(name) for name in self.models)])
        header = f"{'model':<{name_width}}  {'pipeline':<16}" + "".join(
            f"{_width_label(w) + ' px':>9}" for w in self.widths)
        if has_spread:
            header += f"  {f'spread {low:g}-{high:g}':>12}"
        lines = [
            f"Accuracy (%) on {self.n:,} {DATASETS.get(self.dataset, self.dataset)} by pen width "
            f"(canvas {self.canvas} px, seed {self.seed}){'' if self.complete else ' -- STOPPED, incomplete'}",
            header,
            "-" * len(header),
        ]
        digits = 2 if self.n >= 5000 else 1  # the standard error is 0.2 points or less from n = 5000
        for key, values in self.accuracy.items():
            name, mode = key
            row = f"{name:<{name_width}}  {_mode_label(mode):<16}" + "".join(
                f"{'--':>9}" if math.isnan(a) else f"{100 * a:>9.{digits}f}" for a in values)
            if has_spread:
                spread = self.spread(key)
                row += f"  {'--' if math.isnan(spread) else f'{100 * spread:.{digits}f}':>12}"
            lines.append(row)
        measured = [a for values in self.accuracy.values() for a in values if not math.isnan(a)]
        if measured:
            errors = [self.standard_error(a) for a in measured]
            lines.append(f"standard error per figure: sqrt(p(1-p)/n) = {100 * min(errors):.2f}-"
                         f"{100 * max(errors):.2f} points (n = {self.n:,}; the columns use the same drawings)")
        empty = {mode: sum(counts) for mode, counts in self.empty.items() if sum(counts)}
        if empty:
            lines.append("drawings preprocessing found no ink in (counted as misread): " + ", ".join(
                f"{_mode_label(mode)} {count}" for mode, count in empty.items()))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_table()

    def as_dict(self) -> dict[str, Any]:
        """A JSON-able dict (NaN, i.e. not measured, becomes None); `from_dict` reads it back."""

        def clean(value: float) -> float | None:
            return None if math.isnan(value) else round(float(value), 6)

        return {
            "widths": [float(w) if not float(w).is_integer() else int(w) for w in self.widths],
            "canvas": self.canvas,
            "n": self.n,
            "seed": self.seed,
            "dataset": self.dataset,
            "complete": self.complete,
            "elapsed_s": round(self.elapsed_s, 3),
            "spread_widths": list(SPREAD_WIDTHS),
            "results": [
                {
                    "model": name,
                    "mode": mode,
                    "accuracy": [clean(a) for a in values],
                    "standard_error": [clean(self.standard_error(a)) for a in values],
                    "spread": clean(self.spread((name, mode))),
                    "worst": clean(self.worst((name, mode))),
                }
                for (name, mode), values in self.accuracy.items()
            ],
            "empty": [{"mode": mode, "counts": list(counts)} for mode, counts in self.empty.items()],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RobustnessResult:
        """The inverse of `as_dict`."""
        return cls(
            widths=list(data["widths"]),
            canvas=int(data["canvas"]),
            n=int(data["n"]),
            seed=int(data.get("seed", 0)),
            dataset=str(data.get("dataset", "traced")),
            accuracy={(row["model"], _row_mode(row)): [math.nan if a is None else float(a) for a in row["accuracy"]]
                      for row in data["results"]},
            empty={_row_mode(row): [int(c) for c in row["counts"]] for row in data.get("empty", [])},
            complete=bool(data.get("complete", True)),
            elapsed_s=float(data.get("elapsed_s", 0.0)),
        )

    def plot(self, figure=None):
        """Accuracy against pen width (log2 axis): one line per model and pipeline, a colour and an open
        marker per model (circle, square, triangle…) and a line style per pipeline (solid = strokes,
        dashed = image-normalised, dotted = raw).  Identical curves stay visible: each model's line is
        thinner than the one before it, and each pipeline's markers smaller, so that a curve drawn over
        an equal one leaves its colour, line and marker showing around it.  Draws into ``figure`` (a
        `matplotlib.figure.Figure`, e.g. the app's canvas; a new one if None) without touching pyplot's
        global state, and returns it."""
        from matplotlib.figure import Figure
        from matplotlib.ticker import FixedLocator, NullLocator

        if figure is None:
            figure = Figure(figsize=(6.4, 4.2), dpi=100, layout="constrained")
        ax = figure.add_subplot()
        models = {name: i for i, name in enumerate(self.models)}
        for (name, mode), values in self.accuracy.items():
            i = models[name]
            line, size = LINE_STYLES.get(mode, ("-.", 5.0))
            ax.plot(self.widths, [100 * a for a in values], color=f"C{i % 10}", linestyle=line,
                    linewidth=max(2.6 - 0.7 * i, 0.8), marker=MARKERS[i % len(MARKERS)], markersize=size,
                    markerfacecolor="none", markeredgewidth=1.2, label=f"{name}, {_mode_label(mode)}")
        ax.set_xscale("log", base=2)
        ax.xaxis.set_major_locator(FixedLocator(self.widths))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xticklabels([_width_label(w) for w in self.widths])
        ax.set_xlabel(f"pen width (px on a {self.canvas}-px canvas)")
        ax.set_ylabel("accuracy (%)")
        title = DATASETS.get(self.dataset, self.dataset)
        ax.set_title(f"{title[0].upper()}{title[1:]}, n = {self.n:,}" + ("" if self.complete else " (stopped)"))
        ax.grid(True, alpha=0.3)
        if self.accuracy:
            ax.legend(*self.legend_entries(), fontsize="small", loc="best")
        return figure

    def legend_entries(self, mode_label=_mode_label) -> tuple[list, list[str]]:
        """The plot's legend, (handles, labels): one entry per model (its colour and marker; a long name
        shortened in its middle) and one per pipeline (its line style, in grey; named by ``mode_label``),
        rather than one per curve."""
        from matplotlib.lines import Line2D

        handles, labels = [], []
        for i, name in enumerate(self.models):
            handles.append(Line2D([], [], color=f"C{i % 10}", marker=MARKERS[i % len(MARKERS)], markersize=6,
                                  markerfacecolor="none", markeredgewidth=1.2, linewidth=1.4))
            labels.append(name if len(name) <= LEGEND_NAME else
                          f"{name[:LEGEND_NAME // 2 - 1]}…{name[-(LEGEND_NAME - LEGEND_NAME // 2):]}")
        for mode in dict.fromkeys(mode for _, mode in self.accuracy):
            handles.append(Line2D([], [], color="#4b5563", linestyle=LINE_STYLES.get(mode, ("-.", 0))[0], linewidth=1.4))
            labels.append(mode_label(mode))
        return handles, labels

    def png_bytes(self, dpi: int = 100) -> bytes:
        """The plot as PNG data."""
        buffer = io.BytesIO()
        self.plot().savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()

    def save_png(self, path: str | Path, dpi: int = 100) -> Path:
        """Write the plot to ``path`` as a PNG, atomically (readers never see a partial file)."""
        path = Path(path)
        atomic_write_bytes(path, self.png_bytes(dpi))
        return path


def plot_side_by_side(results: Sequence[RobustnessResult], figure=None):
    """Several studies (e.g. traced and pen digits) side by side, one panel each, in one figure."""
    from matplotlib.figure import Figure

    if figure is None:
        figure = Figure(figsize=(6.4 * len(results), 4.2), dpi=100, layout="constrained")
    panels = figure.subfigures(1, len(results)) if len(results) > 1 else [figure]
    for result, panel in zip(results, panels):
        result.plot(panel)
    return figure


def save_side_by_side_png(results: Sequence[RobustnessResult], path: str | Path, dpi: int = 100) -> Path:
    """`plot_side_by_side` written to ``path`` as a PNG, atomically."""
    buffer = io.BytesIO()
    plot_side_by_side(results).savefig(buffer, format="png", dpi=dpi)
    path = Path(path)
    atomic_write_bytes(path, buffer.getvalue())
    return path


def _row_mode(row: Mapping[str, Any]) -> str:
    """A JSON row's pipeline; files written before pipelines had names say ``normalize``: true/false."""
    if "mode" in row:
        return str(row["mode"])
    return "image" if row.get("normalize") else "raw"
