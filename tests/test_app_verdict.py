"""The plain-words verdict under the predicted digit."""

import numpy as np

from digitpad.app.probabilities import verdict


def probs(**values):
    p = np.zeros(10)
    for key, value in values.items():
        p[int(key[1:])] = value
    p[p == 0] = (1 - p.sum()) / max((p == 0).sum(), 1)
    return p


def test_empty_canvas_asks_for_a_digit():
    said = verdict(None)
    assert said.text == "draw a digit" and said.digit is None


def test_confident_prediction():
    said = verdict(probs(d7=0.97))
    assert said.digit == 7 and not said.unsure and "7" in said.text


def test_close_runner_up_is_unsure():
    said = verdict(probs(d3=0.55, d8=0.4))
    assert said.unsure and said.text == "unsure: 3 or 8"


def test_confusable_pair_is_unsure_even_when_not_close():
    assert verdict(probs(d1=0.85, d7=0.12)).text == "unsure: 1 or 7"
    assert verdict(probs(d4=0.85, d9=0.12)).text == "unsure: 4 or 9"
    assert not verdict(probs(d1=0.85, d2=0.12)).unsure
