"""EAP and MAP ability estimation: golden values, independent integration, recovery."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, optimize

from valuecompass.errors import EstimationError
from valuecompass.irt import (
    NormalPrior, estimate_abilities, estimate_ability, p_2pl, simulate_responses, test_information,
)

A = np.array([0.8, 1.2, 1.9, 1.4, 0.9])
B = np.array([-1.5, -0.3, 0.2, 0.9, 1.8])
U = np.array([1.0, 1.0, 0.0, 1.0, 0.0])


def _log_post(t: float, u=U, a=A, b=B, prior=NormalPrior()) -> float:
    p = 1 / (1 + np.exp(-a * (t - b)))
    return float(np.sum(u * np.log(p) + (1 - u) * np.log(1 - p))) - 0.5 * ((t - prior.mean) / prior.sd) ** 2


def test_symmetric_pattern_has_eap_zero():
    est = estimate_ability([1.0, 0.0], [1.0, 1.0], [-1.0, 1.0])
    assert est.theta == pytest.approx(0.0, abs=1e-12)
    assert 0.0 < est.se < 1.0


def test_eap_matches_adaptive_quadrature():
    norm_const = integrate.quad(lambda t: math.exp(_log_post(t)), -12, 12, epsabs=1e-13)[0]
    mean = integrate.quad(lambda t: t * math.exp(_log_post(t)), -12, 12, epsabs=1e-13)[0] / norm_const
    second = integrate.quad(lambda t: t * t * math.exp(_log_post(t)), -12, 12, epsabs=1e-13)[0] / norm_const
    est = estimate_ability(U, A, B)
    assert est.theta == pytest.approx(mean, abs=1e-6)
    assert est.se == pytest.approx(math.sqrt(second - mean**2), abs=1e-6)


def test_eap_of_a_pattern_far_beyond_the_prior_is_not_cut_off():
    """Forty conforming answers to very hard items put the posterior near 6.5: the grid must reach it."""
    u, a, b = np.ones(40), np.full(40, 1.5), np.full(40, 5.0)
    lo, hi = 0.0, 20.0
    norm_const = integrate.quad(lambda t: math.exp(_log_post(t, u, a, b)), lo, hi, points=[6.5], epsabs=1e-300)[0]
    mean = integrate.quad(lambda t: t * math.exp(_log_post(t, u, a, b)), lo, hi, points=[6.5], epsabs=1e-300)[0]
    mean /= norm_const
    second = integrate.quad(lambda t: t * t * math.exp(_log_post(t, u, a, b)), lo, hi, points=[6.5],
                            epsabs=1e-300)[0] / norm_const
    est = estimate_ability(u, a, b)
    assert est.theta == pytest.approx(mean, abs=1e-4)
    assert est.se == pytest.approx(math.sqrt(second - mean**2), abs=1e-4)


def test_map_matches_scalar_optimiser_and_its_se_formula():
    prior = NormalPrior(0.5, 1.5)
    best = optimize.minimize_scalar(lambda t: -_log_post(t, prior=prior), bounds=(-6, 6), method="bounded",
                                    options={"xatol": 1e-10})
    est = estimate_ability(U, A, B, method="map", prior=prior)
    assert est.theta == pytest.approx(best.x, abs=1e-6)
    expected_se = 1.0 / math.sqrt(float(test_information(est.theta, A, B)) + 1.0 / prior.sd**2)
    assert est.se == pytest.approx(expected_se, rel=1e-9)


def test_no_responses_give_the_prior():
    for method in ("eap", "map"):
        est = estimate_ability([np.nan] * 5, A, B, method=method, prior=NormalPrior(0.7, 1.0))
        assert est.theta == pytest.approx(0.7, abs=1e-9)
        assert est.se == pytest.approx(1.0, abs=2e-3)
    empty = estimate_ability([], [], [])
    assert empty.theta == pytest.approx(0.0, abs=1e-12)


def test_missing_responses_are_ignored():
    with_nan = estimate_ability([1.0, np.nan, 0.0], [1.0, 5.0, 1.3], [0.0, 3.0, 0.5])
    without = estimate_ability([1.0, 0.0], [1.0, 1.3], [0.0, 0.5])
    assert with_nan == pytest.approx(without)


def test_matrix_form_matches_one_by_one():
    u = simulate_responses(np.array([-1.0, 0.0, 2.0]), A, B, rng=4)
    many = estimate_abilities(u, A, B)
    for i in range(3):
        one = estimate_ability(u[i], A, B)
        assert many.theta[i] == pytest.approx(one.theta) and many.se[i] == pytest.approx(one.se)


def test_more_conforming_means_higher_ability():
    low = estimate_ability([1, 0, 0, 0, 0], A, B)
    high = estimate_ability([1, 1, 1, 1, 0], A, B)
    assert high.theta > low.theta


def test_recovery_and_calibrated_posterior_sd():
    rng = np.random.default_rng(11)
    a, b = rng.uniform(0.7, 2.0, 40), rng.normal(size=40)
    theta = rng.normal(size=2000)
    est = estimate_abilities(simulate_responses(theta, a, b, rng), a, b)
    assert np.corrcoef(est.theta, theta)[0, 1] > 0.93
    mse, mean_var = np.mean((est.theta - theta) ** 2), np.mean(est.se**2)
    assert mse == pytest.approx(mean_var, rel=0.15)     # posterior SDs are honest
    assert abs(np.mean(est.theta - theta)) < 0.05


def test_fractional_response_lies_between_hard_labels():
    lo = estimate_ability([0.0], [1.5], [0.0]).theta
    mid = estimate_ability([0.5], [1.5], [0.0]).theta
    hi = estimate_ability([1.0], [1.5], [0.0]).theta
    assert lo < mid < hi and mid == pytest.approx(0.0, abs=1e-12)


def test_bad_input_raises_estimation_error():
    with pytest.raises(EstimationError, match="do not match"):
        estimate_ability([1.0, 0.0], [1.0], [0.0])
    with pytest.raises(EstimationError, match=r"\[0, 1\]"):
        estimate_ability([2.0], [1.0], [0.0])
    with pytest.raises(EstimationError, match="unknown ability method"):
        estimate_ability([1.0], [1.0], [0.0], method="mle")  # type: ignore[arg-type]
    with pytest.raises(EstimationError, match="one response pattern"):
        estimate_ability([[1.0]], [1.0], [0.0])


def test_probabilities_used_by_simulation_are_the_model():
    u = simulate_responses(np.zeros(20000), [1.0], [0.0], rng=0)
    assert u.mean() == pytest.approx(float(p_2pl(0.0, 1.0, 0.0)[0]), abs=0.015)
    assert np.isnan(simulate_responses(np.zeros(2000), [1.0] * 5, [0.0] * 5, rng=1, missing=0.4)).mean() \
        == pytest.approx(0.4, abs=0.02)
