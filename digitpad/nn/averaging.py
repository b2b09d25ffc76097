"""Weight averaging: one network whose parameters are the (weighted) mean of several networks'.

A "model soup" (Wortsman et al., "Model soups: averaging weights of multiple fine-tuned models improves
accuracy without increasing inference time", ICML 2022) or the two ends of a fine-tune: a model and the
same model fine-tuned on more data lie in one basin of the loss, and the midpoint of the segment
between them often does better than either end (the flat-minimum argument of Izmailov et al.,
"Averaging weights leads to wider optima and better generalization", UAI 2018).  For networks trained
from different random starts the mean is meaningless (their hidden units are not in the same order):
average only a model with its own fine-tunes.

Batch-norm running statistics are averaged like the parameters.  That is an approximation (the
averaged network's activations do not have the averaged statistics), close for a model and its own
fine-tune; an averaged model must be evaluated like any other before it is used.

    from digitpad import nn
    soup = nn.average_models([nn.load_model("a.npz"), nn.load_model("a-finetuned.npz")])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from digitpad.errors import ArchitectureError
from digitpad.nn.sequential import Sequential
from digitpad.nn.io.description import build_model


def average_models(models: Sequence[Sequential], weights: Sequence[float] | None = None) -> Sequential:
    """A new model with ``sum_i w_i theta_i`` for every parameter and buffer ``theta`` (float32).

    ``weights`` default to equal; they must be non-negative and are rescaled to sum to 1.  Raises
    ArchitectureError when the models' architectures (layers, sizes, input shape) differ, ValueError
    for bad weights.
    """
    if len(models) < 2:
        raise ValueError(f"averaging needs at least 2 models, got {len(models)}")
    config = models[0].config()
    for index, model in enumerate(models[1:], start=1):
        if model.config() != config:
            raise ArchitectureError(f"model {index + 1} has another architecture than model 1; only the "
                                    "same network (fine-tuned from one start) can be averaged")
    w = np.full(len(models), 1 / len(models)) if weights is None else np.asarray(weights, np.float64)
    if w.shape != (len(models),) or not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
        raise ValueError(f"need {len(models)} non-negative weights with a positive sum, got {weights}")
    w = w / w.sum()
    states = [model.state() for model in models]
    average = build_model(config)
    average.load_state({key: sum(float(wi) * state[key].astype(np.float64) for wi, state in zip(w, states))
                        .astype(np.float32) for key in states[0]})
    return average
