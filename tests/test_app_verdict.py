"""The plain-words verdict under the predicted digit: the app shows the `Answer`'s text in its language
(the verdict's rules are `Answer`'s, tested in tests/test_reader.py; the French texts in
tests/test_app_french.py)."""

import numpy as np
import pytest

from digitpad.app import i18n
from digitpad.app.widgets.probabilities import PredictionPanel, verdict_text
from digitpad.reading.reader import Answer
from test_reader import probs


@pytest.mark.parametrize("probabilities", [None, probs(d7=0.99), probs(d3=0.55, d8=0.4), probs(d1=0.85, d7=0.12)])
def test_in_english_the_app_says_the_answers_text(qapp, probabilities):
    i18n.install_language("en")
    answer = Answer.from_probabilities(probabilities)
    assert verdict_text(answer) == answer.text


def test_the_panel_shows_the_answer(qtbot):
    panel = PredictionPanel()
    qtbot.addWidget(panel)
    assert panel.digit.text() == "–" and panel.verdict_label.text() == "draw a digit"
    panel.show_answer(Answer.from_probabilities(probs(d3=0.55, d8=0.4)))
    assert panel.digit.text() == "3" and panel.verdict_label.text() == "unsure: 3 or 8"
    np.testing.assert_array_equal(panel.bars.probabilities, probs(d3=0.55, d8=0.4).astype(np.float32))
    panel.show_answer(None)                                   # no model chosen
    assert panel.digit.text() == "–" and panel.bars.probabilities is None
