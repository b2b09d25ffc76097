"""Closed-form checks of calibration (temperature scaling, ECE) and of the sure and not-a-digit thresholds."""

import numpy as np
import pytest

from digitpad.reading.calibration import (Calibration, expected_calibration_error, fit_temperature,
                                          negative_log_likelihood, not_a_digit_threshold, reliability, soften,
                                          sure_threshold)
from digitpad.reading.reader import NOT_A_DIGIT_TEXT, Answer


def test_soften_at_temperature_one_gives_the_probabilities_back():
    p = np.array([[0.7, 0.2, 0.1], [0.01, 0.01, 0.98]])
    np.testing.assert_allclose(soften(np.log(p), 1.0), p, rtol=1e-6)


def test_soften_follows_the_formula_and_keeps_the_argmax():
    z = np.array([[2.0, 1.0, -1.0]])
    expected = np.exp(z / 2.5) / np.exp(z / 2.5).sum()
    np.testing.assert_allclose(soften(z, 2.5), expected, rtol=1e-6)
    assert soften(z, 0.2).argmax() == soften(z, 7.0).argmax() == 0


def test_fit_temperature_recovers_the_temperature_labels_were_drawn_with():
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, (20000, 10))
    for true in (0.5, 2.0):
        p = soften(logits, true).astype(np.float64)
        labels = (p.cumsum(axis=1) > rng.random((len(p), 1))).argmax(axis=1)
        found = fit_temperature(logits, labels)
        assert found == pytest.approx(true, rel=0.05)
        nll = negative_log_likelihood(logits, labels, found)
        assert nll <= negative_log_likelihood(logits, labels, found * 1.2)
        assert nll <= negative_log_likelihood(logits, labels, found / 1.2)


def test_expected_calibration_error_of_an_overconfident_reader_is_its_gap():
    # always 90 % sure, right 6 times in 10: ECE = |0.6 - 0.9| = 0.3
    p = np.full((10, 2), 0.1)
    p[:, 0] = 0.9
    labels = np.array([0] * 6 + [1] * 4)
    assert expected_calibration_error(p, labels) == pytest.approx(0.3)
    (row,) = reliability(p, labels)
    assert row["count"] == 10 and row["confidence"] == pytest.approx(0.9) and row["accuracy"] == pytest.approx(0.6)


def test_expected_calibration_error_of_a_calibrated_reader_is_small():
    rng = np.random.default_rng(1)
    p = soften(rng.normal(0, 2, (50000, 10)), 1.0).astype(np.float64)
    labels = (p.cumsum(axis=1) > rng.random((len(p), 1))).argmax(axis=1)
    assert expected_calibration_error(p, labels) < 0.01


def test_sure_threshold_is_the_lowest_confidence_keeping_the_precision():
    confidence = np.array([0.999, 0.99, 0.98, 0.97, 0.96, 0.5])
    correct = np.array([1, 1, 1, 1, 0, 1], bool)
    assert sure_threshold(confidence, correct, 0.998) == pytest.approx(0.97)
    assert sure_threshold(confidence, correct, 0.8) == pytest.approx(0.5)    # 5 right in 6 = 0.83
    assert sure_threshold(np.array([0.9, 0.8]), np.array([False, True]), 0.998) == 1.0


def test_sure_threshold_never_cuts_between_equal_confidences():
    confidence = np.array([0.99, 0.95, 0.95, 0.9])
    correct = np.array([1, 1, 0, 1], bool)
    assert sure_threshold(confidence, correct, 0.998) == pytest.approx(0.99)


def test_not_a_digit_threshold_rejects_at_most_the_allowed_share_of_digits():
    scores = np.linspace(0.0, 0.999, 1000)
    threshold = not_a_digit_threshold(scores, 0.0025)
    assert (scores >= threshold).sum() <= 2 and (scores >= np.nextafter(scores[-3], 0)).sum() == 3
    assert not_a_digit_threshold(np.zeros(100)) == 0.5       # never below one half


def test_calibration_from_metadata_keeps_defaults_for_bad_values():
    default = Calibration()
    assert Calibration.from_metadata(None) == default
    assert Calibration.from_metadata({"temperature": "hot", "sure_above": 3.0, "not_a_digit_above": True}) == default
    saved = Calibration(1.3, 0.95, 0.7)
    assert Calibration.from_metadata(saved.to_metadata()) == saved


def test_the_verdict_follows_the_thresholds():
    p = np.full(10, 0.01)
    p[4] = 0.91
    calibration = Calibration(1.0, 0.9, 0.6)
    assert Answer.from_probabilities(p, calibration=calibration).text == "91% sure it is a 4"
    unsure = Answer.from_probabilities(p, calibration=Calibration(1.0, 0.95, 0.6))
    assert unsure.unsure and unsure.text == "unsure: 4 or 0"
    other = Answer.from_probabilities(p, not_a_digit_score=0.6, calibration=calibration)
    assert other.not_a_digit and other.text == NOT_A_DIGIT_TEXT and other.not_a_digit_score == pytest.approx(0.6)
    kept = Answer.from_probabilities(p, not_a_digit_score=0.59, calibration=calibration)
    assert not kept.not_a_digit and kept.digit == 4 and kept.not_a_digit_score == pytest.approx(0.59)
