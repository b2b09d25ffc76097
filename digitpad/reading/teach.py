"""Teaching a network one person's hand ("Teach it"): a few of their drawings, labelled, adapt the reading
at once, with no training run (`Reader.teach`; a network and the person's `Examples` read with `read_taught`).

Each example is kept as the features the network computes for it (`Sequential.features`: what its last
layer, the head, reads), scaled to unit length.  A drawing read afterwards gets, for every class the
person taught, a bonus on that class's logit that grows with its closeness to the class's nearest
example::

    z'_c = z_c + β · max(0, (max_{j: y_j = c} cos(f, f_j) − s₀) / (1 − s₀))

with ``f`` the drawing's features, ``z`` the head's logits, β the network's `BONUS` and `CLOSE` s₀.  Only
drawings close to one of the person's own examples move: the way they write a 4 stops being read as a 9,
while MNIST's 9s, nowhere near their 4s, stay 9s (a prototype method on the network's features, as
writer-dependent recognisers add a writer's own templates to their references).  The networks' weights
never change, so teaching is the few examples' features: milliseconds.

Measured against refitting the head on the examples (L2 pull toward the original head, Li et al. 2018):
that moved every decision, and MNIST's test accuracy fell from 99.61 % to 98.32 % after one writer's 20
examples.  `BONUS` and `CLOSE` were chosen on the validation writers of `benchmarks/bench_teach.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from digitpad import nn
from digitpad.nn.activations import softmax

BONUS = {"image": 8.0, "strokes": 16.0}
"""β per network: the logit added for a drawing as close as can be to one of the person's examples.  The
stroke model takes a stronger pull: it reads only drawings, and its features tell one hand from another
better; the image network also reads everything else (pictures, MNIST), which a stronger pull would move."""
CLOSE = 0.8    # s₀: the cosine of the features under which an example adds nothing


def _unit(features: np.ndarray) -> np.ndarray:
    features = np.asarray(features, np.float32)
    return features / np.maximum(np.linalg.norm(features, axis=1, keepdims=True), np.float32(1e-12))


@dataclass(frozen=True, eq=False)
class Examples:
    """A person's examples for one network: their features at unit length (t, d), their labels (t,), the
    network's number of classes, the bonus β at an example (`BONUS`), and which of the items taught each
    example is (t,)."""

    features: np.ndarray
    labels: np.ndarray
    classes: int
    strength: float
    items: np.ndarray

    @classmethod
    def of(cls, model: nn.Sequential, inputs: np.ndarray, labels: np.ndarray, strength: float,
           items: np.ndarray) -> "Examples":
        """``model``'s features of ``inputs`` (N, *input_shape), with their ``labels`` and ``items``."""
        features = model.features(inputs) if len(inputs) else np.zeros((0, model.output_shapes()[-2][0]), np.float32)
        return cls(_unit(features), np.asarray(labels, np.int64), model.output_shapes()[-1][0], float(strength),
                   np.asarray(items, np.int64))

    def __len__(self) -> int:
        return len(self.labels)

    def without(self, items) -> "Examples":
        """These examples but those of ``items`` (as if they had never been taught: the features of an
        example do not depend on the others)."""
        keep = ~np.isin(self.items, np.asarray(items, np.int64))
        return Examples(self.features[keep], self.labels[keep], self.classes, self.strength, self.items[keep])

    def bonus(self, features: np.ndarray) -> np.ndarray:
        """The logits' bonus (n, classes) of drawings whose features are ``features`` (n, d), float32."""
        out = np.zeros((len(features), self.classes), np.float32)
        if not len(self):
            return out
        closeness = _unit(features) @ self.features.T                      # cosines, (n, t)
        for c in np.unique(self.labels):
            nearest = closeness[:, self.labels == c].max(axis=1)
            out[:, c] = self.strength * np.maximum((nearest - CLOSE) / (1 - CLOSE), 0)
        return out


def read_taught(model: nn.Sequential, examples: Examples | None, batch: np.ndarray) -> np.ndarray:
    """``model``'s probabilities of ``batch``, moved toward the person's ``examples`` (module docstring);
    ``model.predict_proba`` when there are none.  float32 (N, classes)."""
    if examples is None or not len(examples):
        return model.predict_proba(batch).astype(np.float32, copy=False)
    head = model.layers[-1]
    features = model.features(batch)
    logits = features @ head.params["W"] + head.params["b"] + examples.bonus(features)
    return softmax(logits.astype(np.float32))
