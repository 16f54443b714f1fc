"""0-100 scores: golden values and the interval from the posterior of theta."""

from __future__ import annotations

import numpy as np
import pytest

from valuecompass.errors import EstimationError
from valuecompass.irt import expected_score


def test_golden_values():
    assert expected_score(0.0, [1.0, 1.0], [0.0, 0.0]).score == 50.0
    # one item, a=1, b=0, theta=0, se=1: 100 * sigma(-+1.959964) = 12.347 / 87.653
    est = expected_score(0.0, [1.0], [0.0], se=1.0, level=0.95)
    assert est.lower == pytest.approx(12.34709453168881, abs=1e-9)
    assert est.upper == pytest.approx(87.65290546831118, abs=1e-9)
    assert est.level == 0.95


def test_score_is_the_mean_conformity_over_the_bank():
    a, b = np.array([0.8, 1.5, 2.0]), np.array([-1.0, 0.5, 1.2])
    p = 1 / (1 + np.exp(-a * (0.3 - b)))
    assert expected_score(0.3, a, b).score == pytest.approx(100 * p.mean())


def test_interval_contains_score_and_widens_with_se():
    a, b = [1.2, 0.9, 1.7], [-0.5, 0.0, 0.8]
    narrow, wide = expected_score(0.4, a, b, se=0.2), expected_score(0.4, a, b, se=0.6)
    assert wide.lower < narrow.lower < narrow.score < narrow.upper < wide.upper
    point = expected_score(0.4, a, b)
    assert point.lower == point.score == point.upper


def test_bounds_of_the_scale():
    assert expected_score(30.0, [1.0], [0.0]).score == pytest.approx(100.0)
    assert expected_score(-30.0, [1.0], [0.0]).score == pytest.approx(0.0, abs=1e-9)


def test_bad_input_raises():
    with pytest.raises(EstimationError, match="empty bank"):
        expected_score(0.0, [], [])
    with pytest.raises(EstimationError, match="level"):
        expected_score(0.0, [1.0], [0.0], se=0.1, level=1.5)
    with pytest.raises(EstimationError):
        expected_score(0.0, [1.0], [0.0], se=-0.1)
