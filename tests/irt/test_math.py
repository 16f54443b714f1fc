"""The pure 2PL math: golden values computed by hand, shapes, and identities."""

from __future__ import annotations

import math

import numpy as np
import pytest

from valuecompass.irt import item_information, log_likelihood, p_2pl, test_information

SIGMOID_1 = 0.7310585786300049          # 1 / (1 + e^-1)


def test_probability_golden_values():
    assert p_2pl(0.0, 1.0, 0.0)[0] == 0.5
    # a (theta - b) = 2 * (1 - 0.5) = 1
    assert p_2pl(1.0, 2.0, 0.5)[0] == pytest.approx(SIGMOID_1, abs=1e-15)
    assert p_2pl(-1.0, 2.0, -0.5)[0] == pytest.approx(1.0 - SIGMOID_1, abs=1e-15)


def test_information_golden_values():
    # a^2 P (1 - P) = 4 * sigma(1) * sigma(-1)
    assert item_information(1.0, 2.0, 0.5)[0] == pytest.approx(0.7864477329659274, abs=1e-14)
    # maximum a^2 / 4 at theta = b
    assert item_information(0.3, 1.6, 0.3)[0] == pytest.approx(1.6**2 / 4, abs=1e-15)
    assert test_information(1.0, [2.0, 2.0], [0.5, 0.5]) == pytest.approx(2 * 0.7864477329659274)


def test_log_likelihood_golden_value():
    # u = (1, 0) at theta = 1: log sigma(1 * (1 - 0)) + log(1 - sigma(2 * (1 - 0.5))) = log sigma(1) + log sigma(-1)
    expected = math.log(SIGMOID_1) + math.log(1.0 - SIGMOID_1)
    assert expected == pytest.approx(-1.6265233750364456, abs=1e-15)
    assert log_likelihood(1.0, [1.0, 0.0], [1.0, 2.0], [0.0, 0.5]) == pytest.approx(expected, abs=1e-13)


def test_shapes_follow_the_documented_convention():
    a, b = np.array([1.0, 1.5, 2.0]), np.array([-1.0, 0.0, 1.0])
    assert p_2pl(0.0, a, b).shape == (3,)
    assert p_2pl(np.zeros(5), a, b).shape == (5, 3)
    assert item_information(np.zeros((4, 5)), a, b).shape == (4, 5, 3)
    assert test_information(np.zeros((4, 5)), a, b).shape == (4, 5)
    grid = np.linspace(-3, 3, 7)
    assert log_likelihood(grid, np.ones(3), a, b).shape == (7,)
    assert log_likelihood(grid, np.ones((10, 3)), a, b).shape == (10, 7)


def test_log_likelihood_matches_a_direct_loop():
    rng = np.random.default_rng(3)
    a, b = rng.uniform(0.5, 2.0, 6), rng.normal(size=6)
    u = np.array([[1, 0, np.nan, 1, 1, 0], [np.nan, np.nan, 1, 0, 0, 1]])
    grid = np.array([-1.3, 0.2, 2.1])
    ll = log_likelihood(grid, u, a, b)
    for i in range(2):
        for k, t in enumerate(grid):
            direct = sum(math.log(p) if x == 1 else math.log(1 - p)
                         for x, p in zip(u[i], 1 / (1 + np.exp(-a * (t - b)))) if not math.isnan(x))
            assert ll[i, k] == pytest.approx(direct, abs=1e-12)


def test_fractional_response_is_an_expected_count():
    a, b = np.array([1.3]), np.array([0.4])
    grid = np.linspace(-2, 2, 5)
    mixed = 0.3 * log_likelihood(grid, [1.0], a, b) + 0.7 * log_likelihood(grid, [0.0], a, b)
    np.testing.assert_allclose(log_likelihood(grid, [0.3], a, b), mixed, atol=1e-13)


def test_information_is_minus_second_derivative_of_log_likelihood():
    a, b, theta, h = np.array([1.7]), np.array([0.2]), 0.9, 1e-4
    for u in (0.0, 1.0):
        ll = [float(log_likelihood(t, [u], a, b)) for t in (theta - h, theta, theta + h)]
        second = (ll[0] - 2 * ll[1] + ll[2]) / h**2
        assert -second == pytest.approx(item_information(theta, a, b)[0], rel=1e-5)


def test_extreme_logits_stay_finite():
    ll = log_likelihood(np.array([-40.0, 40.0]), [1.0, 0.0], [3.0, 3.0], [0.0, 0.0])
    assert np.all(np.isfinite(ll))
    assert ll[0] == pytest.approx(-120.0, rel=1e-9)   # log sigma(-120) + log(1 - sigma(-120))
