"""Speed of the data and drawing pipeline (kept out of the tests, which assert behaviour only):

- loading the MNIST training set, cold and cached;
- augmenting all 60,000 training images;
- rendering a typical drawn digit (5 strokes, 200 points) on a 420-px canvas;
- a drawing → 28×28 input: `drawing_to_input` (the app's pipeline: strokes redrawn at MNIST's
  thickness) and `to_mnist` on the rendered canvas (plain and with stroke normalisation);
- drawing → probabilities with the shipped CNN and MLP (single drawing), through `Reader.read` as the
  app reads (`drawing_to_input`, the model, the answer); target for the CNN: at most 5 ms;
- `drawing_to_trajectory` (the stroke model's input), and drawing → combined answer with the app's
  default reader (the shipped CNN and stroke model together, `Reader.default`): target at most 5 ms;
- "why this digit?": gradient × input with the shipped models (one class, and the two of an
  "unsure" verdict in one batched backward), and the smoothed maps the app shows (SmoothGrad over
  noisy copies in one batched backward and a blur: `smooth_gradient_times_input_for`; target for the
  CNN's "unsure" maps: at most 20 ms, they follow the pen),
  and occlusion (run in a worker: no target, reported);
- the drawing at every pen width (24 widths, 2 pipelines, one batch; run in a worker).

    python benchmarks/bench_pipeline.py            # prints a table, writes bench-results/pipeline.json
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np

from digitpad.data import mnist, mnist_idx
from digitpad.data.augment import Augmenter
from digitpad.drawing.network_input import drawing_to_input
from digitpad.drawing.mnist_style import to_mnist
from digitpad.drawing.strokes import Drawing, render_strokes
from digitpad.drawing.trajectory import drawing_to_trajectory
from digitpad.evaluation.explain import gradient_times_input_for, occlusion_maps_for, smooth_gradient_times_input_for
from digitpad.evaluation.width_sweep import sweep_pen_widths
from digitpad.reading.reader import Reader
from digitpad.reading.store import shipped_dir

from bench_engine import latency_ms  # the benchmarks folder is the script's own, so first on sys.path


def typical_digit(rng: np.random.Generator) -> list[np.ndarray]:
    """Five smooth strokes of 40 points each across a 420-px canvas."""
    strokes = []
    for _ in range(5):
        start, end = rng.uniform(80, 340, 2), rng.uniform(80, 340, 2)
        t = np.linspace(0, 1, 40)[:, None]
        bend = np.sin(np.pi * t) * rng.uniform(-40, 40, 2)
        strokes.append(start + (end - start) * t + bend)
    return strokes


def main() -> None:
    rows = {}
    mnist_idx._load_cached.cache_clear()
    start = time.perf_counter()
    images, _ = mnist.load_mnist("train")
    rows["load MNIST train, cold (ms)"] = (time.perf_counter() - start) * 1000
    rows["load MNIST train, cached (ms)"] = latency_ms(lambda: mnist.load_mnist("train"), calls=30)
    batch = images.astype(np.float32) / 255
    start = time.perf_counter()
    Augmenter()(batch, np.random.default_rng(0))
    rows["augment 60,000 images (ms)"] = (time.perf_counter() - start) * 1000
    strokes = typical_digit(np.random.default_rng(2))
    rows["render 5 strokes / 200 points, 420 px, pen 24 (ms)"] = latency_ms(lambda: render_strokes(strokes, 24, 420), calls=30)
    canvas = render_strokes(strokes, 24, 420)
    rows["to_mnist 420-px canvas, plain (ms)"] = latency_ms(lambda: to_mnist(canvas, normalize_stroke=False), calls=30)
    rows["to_mnist 420-px canvas, thin pen normalised (ms)"] = latency_ms(
        lambda: to_mnist(render_strokes(strokes, 3, 420), normalize_stroke=True), calls=10)
    rows["drawing_to_input, 5 strokes / 200 points, the app's pipeline (ms)"] = latency_ms(
        lambda: drawing_to_input(strokes, 24, 420), calls=30)
    for name in ("cnn", "mlp"):
        path = shipped_dir() / f"{name}.npz"
        if path.exists():
            reader = Reader.load(path)
            model = reader.model
            drawing = Drawing(strokes, canvas_size=420, pen_width=24)
            rows[f"drawing → probabilities, shipped {name} (ms)"] = latency_ms(lambda: reader.read([drawing]), calls=30)
            digit = drawing_to_input(strokes, 24, 420)
            rows[f"why: gradient × input, shipped {name}, 1 digit (ms)"] = latency_ms(
                lambda: gradient_times_input_for(model, digit, [3]), calls=30)
            rows[f"why: gradient × input, shipped {name}, unsure (2 digits) (ms)"] = latency_ms(
                lambda: gradient_times_input_for(model, digit, [3, 5]), calls=30)
            rows[f"why: smoothed gradient × input (the app's), shipped {name}, 1 digit (ms)"] = latency_ms(
                lambda: smooth_gradient_times_input_for(model, digit, [3]), calls=30)
            rows[f"why: smoothed gradient × input (the app's), shipped {name}, unsure (2 digits) (ms)"] = latency_ms(
                lambda: smooth_gradient_times_input_for(model, digit, [3, 5]), calls=30)
            rows[f"why: occlusion 4x4 / stride 2, shipped {name} (ms)"] = latency_ms(
                lambda: occlusion_maps_for(model, digit, [3, 5]), calls=5)
            rows[f"drawing at 24 pen widths x 2 pipelines, shipped {name} (ms)"] = latency_ms(
                lambda: sweep_pen_widths(model, strokes, 420), calls=3)
    rows["drawing_to_trajectory, 5 strokes / 200 points (ms)"] = latency_ms(
        lambda: drawing_to_trajectory(strokes, 420), calls=30)
    default = Reader.default()
    drawing = Drawing(strokes, canvas_size=420, pen_width=24)
    combined_key = f"drawing → combined answer, default reader {default.name} (ms)"
    rows[combined_key] = latency_ms(lambda: default.read([drawing]), calls=30)
    width = max(len(k) for k in rows)
    for key, value in rows.items():
        print(f"{key:<{width}}  {value:10.2f}")
    cnn = rows.get("drawing → probabilities, shipped cnn (ms)")
    if cnn is not None:
        rows["target: drawing → probabilities, shipped cnn <= 5 ms"] = bool(cnn <= 5.0)
        print(f"target: drawing → probabilities with the shipped CNN <= 5 ms: {'met' if cnn <= 5 else 'MISSED'}")
    combined = rows[combined_key]
    rows["target: drawing → combined answer, default reader <= 5 ms"] = bool(combined <= 5.0)
    print(f"target: drawing → combined answer with the default reader <= 5 ms: {'met' if combined <= 5 else 'MISSED'}")
    why = rows.get("why: smoothed gradient × input (the app's), shipped cnn, unsure (2 digits) (ms)")
    if why is not None:
        rows["target: gradient × input, shipped cnn <= 20 ms"] = bool(why <= 20.0)
        print(f"target: the app's smoothed gradient × input with the shipped CNN (unsure, 2 digits) <= 20 ms: "
              f"{'met' if why <= 20 else 'MISSED'}")
    out = Path("bench-results/pipeline.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(rows, indent=2) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
