"""Item response theory: the 2PL model, calibration, ability estimation and scores.

The two-parameter logistic model on the judged conformity of each response:
``P(conform) = sigmoid(a * (theta - b))`` per dimension. Pure math lives in
``_math`` (probability, information, log-likelihood); calibration
(marginal maximum a-posteriori EM with weak priors, for sparse data and few
examinees), ability estimation (EAP/MAP) and 0-100 scores compose it.

Example:
    >>> import numpy as np
    >>> from valuecompass.irt import (
    ...     CalibrationConfig, calibrate_2pl, estimate_ability, expected_score, simulate_responses)
    >>> rng = np.random.default_rng(1)
    >>> a, b = rng.uniform(0.7, 2.0, 20), rng.normal(0.0, 1.0, 20)
    >>> u = simulate_responses(rng.normal(size=300), a, b, rng)
    >>> bank = calibrate_2pl(u, config=CalibrationConfig(standard_errors=False))
    >>> est = estimate_ability(u[0], bank.a, bank.b)
    >>> 0.0 <= expected_score(est.theta, bank.a, bank.b, se=est.se).score <= 100.0
    True

Names are imported on first use (see :mod:`valuecompass._lazy`): ``AbilityMethod`` needs neither numpy nor scipy.
"""

from valuecompass._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "_ability": ["AbilityEstimate", "AbilityEstimates", "NormalPrior", "estimate_abilities", "estimate_ability"],
    "_calibration": ["CalibrationConfig", "CalibrationResult", "calibrate_2pl"],
    "_fit": ["ItemFit"],
    "_math": ["item_information", "log_likelihood", "p_2pl", "test_information"],
    "_params": ["DEFAULT_PRIOR_A", "ItemParams", "ParamArrays", "bank_params", "item_prior_b", "params_arrays",
                "prior_b", "prior_params"],
    "_responses": ["ResponseMatrix", "ItemResponse", "response_matrix"],
    "_score": ["ScoreEstimate", "expected_score"],
    "_simulate": ["simulate_responses"],
    "_types": ["AbilityMethod"],
})
