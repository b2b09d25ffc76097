"""Architectures: a network's layers, by name (:data:`ARCHITECTURES`) or in a user's JSON file.

A description is the JSON form :func:`digitpad.nn.build_model` reads::

    {"input_shape": [1, 28, 28],
     "layers": [{"type": "Conv2D", "config": {"in_channels": 1, "out_channels": 32, "kernel_size": 3}},
                {"type": "ReLU"}, ...]}

An image network takes (N, 1, 28, 28) float32 images in [0, 1]; a stroke model (:data:`STROKE_ARCHITECTURES`)
takes (N, channels, length) trajectories (`digitpad.drawing.trajectory`).  Both return 10 logits.
"""

from __future__ import annotations

import json
from pathlib import Path

from digitpad import nn
from digitpad.drawing.network_input import INPUT_SHAPE, NUM_CLASSES, misfit
from digitpad.drawing.trajectory import NOT_A_DIGIT, TRAJECTORY_SHAPE, misfit_strokes
from digitpad.errors import ArchitectureError


def _layer(kind: str, **config) -> dict:
    return {"type": kind, "config": config}


def _head(in_features: int, classes: int = NUM_CLASSES) -> dict:
    """The layer that outputs the logits (10, or 11 for a stroke model: `NOT_A_DIGIT`), initialised small
    (`digitpad.nn.init.head_uniform`): the softmax starts near uniform, and the first epoch learns
    instead of unlearning."""
    return _layer("Dense", in_features=in_features, out_features=classes, init="head_uniform")


def _conv_bn_relu(c_in: int, c_out: int, batchnorm: bool) -> list[dict]:
    layers = [_layer("Conv2D", in_channels=c_in, out_channels=c_out, kernel_size=3, padding=1,
                     init="he_uniform")]
    if batchnorm:
        layers.append(_layer("BatchNorm", num_features=c_out))
    return [*layers, _layer("ReLU")]


def mlp(dropout: float = 0.2, batchnorm: bool = True) -> list[dict]:
    """784-512-256-10 with batch norm and dropout."""
    layers = [_layer("Flatten")]
    for n_in, n_out in ((784, 512), (512, 256)):
        layers.append(_layer("Dense", in_features=n_in, out_features=n_out, init="he_uniform"))
        if batchnorm:
            layers.append(_layer("BatchNorm", num_features=n_out))
        layers += [_layer("ReLU"), _layer("Dropout", p=dropout)]
    return [*layers, _head(256)]


def convnet(dropout: float = 0.5, batchnorm: bool = False) -> list[dict]:
    """The Keras MNIST convnet: Conv3×3(32)-ReLU-MaxPool2-Conv3×3(64)-ReLU-MaxPool2-Flatten-Dropout-Dense(10).

    ``batchnorm`` adds batch norm after each convolution (off by default, as in Keras' example)."""
    layers = []
    for c_in, c_out in ((1, 32), (32, 64)):
        layers.append(_layer("Conv2D", in_channels=c_in, out_channels=c_out, kernel_size=3, init="he_uniform"))
        if batchnorm:
            layers.append(_layer("BatchNorm", num_features=c_out))
        layers += [_layer("ReLU"), _layer("MaxPool2D", kernel_size=2)]
    return [*layers, _layer("Flatten"), _layer("Dropout", p=dropout), _head(64 * 5 * 5)]


def cnn_bn(dropout: float = 0.4, batchnorm: bool = True) -> list[dict]:
    """Two blocks of (Conv3×3 pad 1, BN, ReLU)×2 + MaxPool2 (32 then 64 channels),
    then Dense 128 + BN + ReLU + Dropout, Dense 10."""
    layers = []
    for c_in, c_out in ((1, 32), (32, 64)):
        layers += _conv_bn_relu(c_in, c_out, batchnorm) + _conv_bn_relu(c_out, c_out, batchnorm)
        layers.append(_layer("MaxPool2D", kernel_size=2))
    layers += [_layer("Flatten"), _layer("Dense", in_features=64 * 7 * 7, out_features=128, init="he_uniform")]
    if batchnorm:
        layers.append(_layer("BatchNorm", num_features=128))
    return [*layers, _layer("ReLU"), _layer("Dropout", p=dropout), _head(128)]


def quick(dropout: float = 0.25, batchnorm: bool = True) -> list[dict]:
    """The quick preset's network (`digitpad.training.config.PRESETS`): Conv3×3(16)-ReLU-MaxPool2,
    Conv3×3(32)-BN-ReLU-MaxPool2, Dense 128-BN-ReLU-Dropout, Dense 10.

    Chosen by time to accuracy on two cores: a third fewer multiply-adds than the convnet, no batch
    norm on the first block (it cost a quarter of a training step there, on 26×26×16 values), and
    the hidden dense layer with batch norm that lifted 4 epochs from 99.00 % to 99.28 %."""
    norm = (lambda n: [_layer("BatchNorm", num_features=n)]) if batchnorm else (lambda n: [])
    return [_layer("Conv2D", in_channels=1, out_channels=16, kernel_size=3, init="he_uniform"), _layer("ReLU"),
            _layer("MaxPool2D", kernel_size=2),
            _layer("Conv2D", in_channels=16, out_channels=32, kernel_size=3, init="he_uniform"), *norm(32),
            _layer("ReLU"), _layer("MaxPool2D", kernel_size=2), _layer("Flatten"),
            _layer("Dense", in_features=32 * 5 * 5, out_features=128, init="he_uniform"), *norm(128), _layer("ReLU"),
            _layer("Dropout", p=dropout), _head(128)]


def _conv1d_bn_relu(c_in: int, c_out: int, kernel: int, batchnorm: bool) -> list[dict]:
    layers = [_layer("Conv1D", in_channels=c_in, out_channels=c_out, kernel_size=kernel, padding=kernel // 2,
                     init="he_uniform")]
    return [*layers, *([_layer("BatchNorm", num_features=c_out)] if batchnorm else []), _layer("ReLU")]


STROKE_CLASSES = NOT_A_DIGIT + 1   # a stroke model learns to say "not a digit" (`digitpad.data.negatives`)


def strokes(dropout: float = 0.0, batchnorm: bool = True) -> list[dict]:
    """The stroke model: 1-D convolutions along the pen's path, (Conv1D k5 + BN + ReLU) 32, 64, MaxPool2,
    64, MaxPool2, Conv1D k3 128, global average over the path, Dense 11 (the digits and `NOT_A_DIGIT`).  The average makes it read a
    stroke's shape wherever along the path it comes (a 7's bar drawn first or last)."""
    c = TRAJECTORY_SHAPE[0]
    layers = (_conv1d_bn_relu(c, 32, 5, batchnorm) + _conv1d_bn_relu(32, 64, 5, batchnorm) + [_layer("MaxPool1D", kernel_size=2)]
              + _conv1d_bn_relu(64, 64, 5, batchnorm) + [_layer("MaxPool1D", kernel_size=2)]
              + _conv1d_bn_relu(64, 128, 3, batchnorm) + [_layer("GlobalAvgPool1D")])
    if dropout:
        layers.append(_layer("Dropout", p=dropout))
    return [*layers, _head(128, STROKE_CLASSES)]


def strokes_quick(dropout: float = 0.0, batchnorm: bool = True) -> list[dict]:
    """The stroke model's quick preset (at most 30 s on two cores): half the channels."""
    c = TRAJECTORY_SHAPE[0]
    layers = (_conv1d_bn_relu(c, 32, 5, batchnorm) + [_layer("MaxPool1D", kernel_size=2)]
              + _conv1d_bn_relu(32, 32, 5, batchnorm) + [_layer("MaxPool1D", kernel_size=2)]
              + _conv1d_bn_relu(32, 64, 3, batchnorm) + [_layer("GlobalAvgPool1D")])
    if dropout:
        layers.append(_layer("Dropout", p=dropout))
    return [*layers, _head(64, STROKE_CLASSES)]


STROKE_ARCHITECTURES = {"strokes": strokes, "strokes-quick": strokes_quick}
"""The stroke models' architectures: they read trajectories, and train on pen trajectories
(`digitpad.training.stroke_set`)."""
ARCHITECTURES = {"quick": quick, "mlp": mlp, "convnet": convnet, "cnn-bn": cnn_bn, **STROKE_ARCHITECTURES}
"""The named architectures; each name is also a preset (`digitpad.training.config.PRESETS`), the name
``digitpad train --model`` and the training dialog take."""


def describe(model: str, dropout: float | None = None, batchnorm: bool | None = None) -> dict:
    """The JSON description of a named architecture or a JSON architecture file path.

    ``dropout`` and ``batchnorm`` override a named architecture's defaults (they do not apply to JSON files)."""
    if model in ARCHITECTURES:
        options = {}
        if dropout is not None:
            options["dropout"] = dropout
        if batchnorm is not None:
            options["batchnorm"] = batchnorm
        shape = TRAJECTORY_SHAPE if model in STROKE_ARCHITECTURES else INPUT_SHAPE
        return {"input_shape": list(shape), "layers": ARCHITECTURES[model](**options)}
    path = Path(model)
    if path.suffix.lower() != ".json":
        raise ArchitectureError(f"unknown model {model!r}: use a preset ({', '.join(ARCHITECTURES)}) or a .json architecture file")
    try:
        spec = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ArchitectureError(f"{path}: no such architecture file") from None
    except (OSError, ValueError, RecursionError) as exc:  # bad UTF-8 or JSON, a 5000-digit number, deep nesting
        raise ArchitectureError(f"{path}: not a readable JSON architecture ({exc})") from None
    if isinstance(spec, dict) and spec.get("input_shape", list(INPUT_SHAPE)) != list(INPUT_SHAPE):
        raise ArchitectureError(f"{path}: digit models take input_shape {list(INPUT_SHAPE)}, got {spec.get('input_shape')}")
    return spec


def build(model: str, dropout: float | None = None, batchnorm: bool | None = None,
          seed: int | None = None) -> nn.Sequential:
    """Build a fresh model from a named architecture or JSON file, initialised from ``seed``; checks it fits
    (`misfit`)."""
    if seed is not None:
        nn.manual_seed(seed)
    spec = describe(model, dropout, batchnorm)
    network = nn.build_model(spec, source=model)
    problem = misfit_strokes(network) if model in STROKE_ARCHITECTURES else misfit(network)
    if problem:
        raise ArchitectureError(f"{model}: {problem}")
    return network


def reads_strokes(model: str) -> bool:
    """Whether the architecture ``model`` (a name) is a stroke model's."""
    return model in STROKE_ARCHITECTURES
