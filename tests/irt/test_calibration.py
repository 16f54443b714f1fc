"""2PL calibration: recovery, a brute-force optimiser, girth/mirt, sparse data, fit statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import optimize
from scipy.special import logsumexp
from scipy.stats import norm

from valuecompass.errors import EstimationError
from valuecompass.irt import CalibrationConfig, ItemParams, calibrate_2pl, log_likelihood, simulate_responses

NO_SE = CalibrationConfig(standard_errors=False)


def _bank(seed: int, n: int, m: int, missing: float = 0.0):
    rng = np.random.default_rng(seed)
    a, b, theta = rng.uniform(0.7, 2.0, m), rng.normal(size=m), rng.normal(size=n)
    return a, b, theta, simulate_responses(theta, a, b, rng, missing=missing)


def _neg_log_posterior(x: np.ndarray, u: np.ndarray, config: CalibrationConfig) -> float:
    """The calibration objective written independently from the public math only."""
    m = u.shape[1]
    alpha, b = x[:m], x[m:]
    nodes = np.linspace(-config.quadrature_bound, config.quadrature_bound, config.n_quadrature)
    log_w = np.log(norm.pdf(nodes) / norm.pdf(nodes).sum())
    marginal = logsumexp(log_likelihood(nodes, u, np.exp(alpha), b) + log_w, axis=1).sum()
    prior = -0.5 * np.sum(((alpha - config.prior_log_a_mean) / config.prior_log_a_sd) ** 2) \
        - 0.5 * np.sum((b / config.prior_b_sd) ** 2)
    return -(marginal + prior)


def test_recovers_parameters_of_a_moderate_bank():
    a, b, _, u = _bank(1, 1000, 25)
    res = calibrate_2pl(u, config=NO_SE)
    assert res.converged
    assert np.corrcoef(res.a, a)[0, 1] > 0.93
    assert np.corrcoef(res.b, b)[0, 1] > 0.98
    assert np.sqrt(np.mean((res.b - b) ** 2)) < 0.15
    assert all(p.source == "calibrated" and p.n_responses == 1000 for p in res.items)


def test_matches_brute_force_maximisation_and_numerical_hessian():
    a, b, _, u = _bank(2, 400, 5, missing=0.2)
    config = CalibrationConfig(tol=1e-7)
    res = calibrate_2pl(u, config=config)
    x0 = np.concatenate([np.log(a), b])
    best = optimize.minimize(_neg_log_posterior, x0, args=(u, config), method="BFGS", options={"gtol": 1e-8})
    np.testing.assert_allclose(res.a, np.exp(best.x[:5]), atol=2e-3)
    np.testing.assert_allclose(res.b, best.x[5:], atol=2e-3)
    h, x = 1e-3, np.concatenate([np.log(res.a), res.b])
    hess = np.zeros((10, 10))
    for i in range(10):
        for j in range(10):
            e_i, e_j = np.eye(10)[i] * h, np.eye(10)[j] * h
            hess[i, j] = (_neg_log_posterior(x + e_i + e_j, u, config) - _neg_log_posterior(x + e_i - e_j, u, config)
                          - _neg_log_posterior(x - e_i + e_j, u, config)
                          + _neg_log_posterior(x - e_i - e_j, u, config)) / (4 * h * h)
    sd = np.sqrt(np.diag(np.linalg.inv(hess)))
    np.testing.assert_allclose([p.se_a for p in res.items], res.a * sd[:5], rtol=0.02)
    np.testing.assert_allclose([p.se_b for p in res.items], sd[5:], rtol=0.02)
    assert res.log_posterior == pytest.approx(-_neg_log_posterior(x, u, config), abs=1e-6)


def test_standard_errors_are_honest_over_replications():
    z_b = []
    for seed in range(4):
        _, b, _, u = _bank(100 + seed, 500, 10)
        res = calibrate_2pl(u)
        z_b += [(p.b - t) / p.se_b for p, t in zip(res.items, b)]
    assert 0.6 < np.std(z_b) < 1.4


def test_agrees_with_girth_on_the_same_data():
    girth = pytest.importorskip("girth")
    a, b, _, u = _bank(3, 1500, 15)
    ours = calibrate_2pl(u, config=NO_SE)
    theirs = girth.twopl_mml(u.T.astype(int))
    assert np.mean(np.abs(ours.b - theirs["Difficulty"])) < 0.03
    assert np.mean(np.abs(ours.a - theirs["Discrimination"])) < 0.06
    assert np.corrcoef(ours.a, theirs["Discrimination"])[0, 1] > 0.99


def test_agrees_with_mirt_on_sparse_data():
    mirt = pytest.importorskip("mirt")
    _, _, _, u = _bank(4, 800, 12, missing=0.4)
    ours = calibrate_2pl(u, config=NO_SE.model_copy(update={"prior_log_a_sd": 50.0, "prior_b_sd": 50.0}))
    theirs = mirt.fit_mirt(u, model="2PL", n_quadpts=61, compute_standard_errors=False)
    assert np.max(np.abs(ours.b - np.ravel(theirs.model.difficulty))) < 0.03
    assert np.max(np.abs(ours.a - np.ravel(theirs.model.discrimination))) < 0.03


def test_sparse_few_examinees_with_priors_and_unanswered_items():
    a, b, _, u = _bank(5, 30, 40, missing=0.5)
    u[:, [7, 19]] = np.nan                         # two new items nobody answered yet
    u[:, 3] = np.where(np.isnan(u[:, 3]), np.nan, 1.0)   # an item everyone passed
    prior = np.where(np.arange(40) % 2 == 0, 1.0, -1.0)
    res = calibrate_2pl(u, prior_b=prior, item_ids=[f"q{j}" for j in range(40)])
    assert res.converged and np.all(np.isfinite(res.a)) and np.all(np.isfinite(res.b))
    for j in (7, 19):
        item = res.items[j]
        assert item.source == "prior" and item.n_responses == 0
        assert item.b == pytest.approx(prior[j], abs=1e-9) and item.a == pytest.approx(1.0, abs=1e-9)
        assert item.se_b == pytest.approx(res.config.prior_b_sd, rel=1e-3)
    assert -8.0 < res.items[3].b < -0.5
    assert np.corrcoef(res.b, b)[0, 1] > 0.6          # despite priors unrelated to the truth
    assert res.n_examinees == 30 and res.n_responses == int((~np.isnan(u)).sum())


def test_fixed_anchor_items_keep_their_parameters():
    a, b, _, u = _bank(6, 600, 12)
    anchors = {f"item{j}": ItemParams(item_id=f"item{j}", a=a[j], b=b[j], source="calibrated", n_responses=999)
               for j in range(6)}
    res = calibrate_2pl(u, fixed=anchors, config=NO_SE)
    for j in range(6):
        assert res.items[j] == anchors[f"item{j}"]
    assert res.n_parameters == 12
    assert np.max(np.abs(res.b[6:] - b[6:])) < 0.4


def test_fractional_responses_are_accepted():
    _, _, _, u = _bank(7, 300, 8)
    soft = np.where(u == 1.0, 0.9, 0.1)
    soft[:, 0] = 0.5
    res = calibrate_2pl(soft, config=NO_SE)
    assert res.converged and abs(res.items[0].b) < 0.3
    assert res.fit[0].p_conform == pytest.approx(0.5)


def test_fit_statistics_flag_a_reversed_item_and_not_the_others():
    rng = np.random.default_rng(8)
    a, b, theta = rng.uniform(0.9, 1.8, 20), rng.normal(size=20), rng.normal(size=1500)
    u = simulate_responses(theta, a, b, rng, missing=0.2)
    u[:, 0] = simulate_responses(-theta, [1.5], [b[0]], rng)[:, 0]   # behaves against the trait
    res = calibrate_2pl(u, config=NO_SE)
    bad, rest = res.fit[0], res.fit[1:]
    assert res.items[0].a < 0.3 and bad.x2_p < 1e-6 and bad.x2_df == 8
    assert abs(np.mean([f.infit for f in rest]) - 1.0) < 0.05
    assert abs(np.mean([f.outfit for f in rest]) - 1.0) < 0.1
    assert np.mean([f.x2_p < 0.01 for f in rest]) < 0.1


def test_fit_needs_enough_responses_for_the_chi_square():
    _, _, _, u = _bank(12, 25, 5)
    fit = calibrate_2pl(u, config=NO_SE).fit[0]
    assert fit.x2 is None and fit.infit is not None and fit.n_responses == 25


def test_information_criteria():
    _, _, _, u = _bank(9, 200, 6)
    res = calibrate_2pl(u, config=NO_SE)
    assert res.n_parameters == 12
    assert res.aic == pytest.approx(-2 * res.log_likelihood + 24)
    assert res.bic == pytest.approx(-2 * res.log_likelihood + 12 * math.log(200))
    assert len(res.abilities) == 200 and res.examinee_ids[0] == "examinee0"
    assert set(res.params_by_id()) == {f"item{j}" for j in range(6)}


def test_bad_input_raises():
    with pytest.raises(EstimationError, match="matrix"):
        calibrate_2pl(np.ones(5))
    with pytest.raises(EstimationError, match=r"\[0, 1\]"):
        calibrate_2pl(np.full((3, 2), 2.0))
    with pytest.raises(EstimationError, match="distinct item ids"):
        calibrate_2pl(np.ones((3, 2)), item_ids=["x", "x"])
    with pytest.raises(EstimationError, match="mask shape"):
        calibrate_2pl(np.ones((3, 2)), mask=np.ones((2, 2), dtype=bool))
    with pytest.raises(EstimationError, match="prior_b"):
        calibrate_2pl(np.ones((3, 2)), prior_b=[0.0])


def test_mask_equals_nan_coding():
    _, _, _, u = _bank(10, 200, 6)
    mask = np.random.default_rng(0).random(u.shape) > 0.3
    with_mask = calibrate_2pl(u, mask=mask, config=NO_SE)
    with_nan = calibrate_2pl(np.where(mask, u, np.nan), config=NO_SE)
    np.testing.assert_allclose(with_mask.b, with_nan.b)


@pytest.mark.slow
def test_full_size_recovery_targets():
    a, b, _, u = _bank(0, 2000, 60)
    res = calibrate_2pl(u)
    assert np.corrcoef(res.a, a)[0, 1] >= 0.95
    assert np.corrcoef(res.b, b)[0, 1] >= 0.98


def test_result_round_trips_through_json():
    _, _, _, u = _bank(13, 60, 5, missing=0.3)
    res = calibrate_2pl(u)
    again = type(res).model_validate_json(res.model_dump_json())
    assert again == res and again.abilities[0].se == res.abilities[0].se
