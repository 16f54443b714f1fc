"""Item response theory: the 2PL model, calibration, ability estimation and scores.

The two-parameter logistic model on the judged conformity of each response:
``P(conform) = sigmoid(a * (theta - b))`` per dimension. Pure math lives in
``_math`` (probability, information, log-likelihood); calibration
(marginal maximum a-posteriori EM with weak priors, for sparse data and few
examinees), ability estimation (EAP/MAP) and 0-100 scores compose it.

Example:
    >>> import numpy as np
    >>> from valuecompass.irt import calibrate_2pl, estimate_ability, expected_score, simulate_responses
    >>> rng = np.random.default_rng(1)
    >>> a, b = rng.uniform(0.7, 2.0, 20), rng.normal(0.0, 1.0, 20)
    >>> u = simulate_responses(rng.normal(size=300), a, b, rng)
    >>> bank = calibrate_2pl(u, config=CalibrationConfig(standard_errors=False))
    >>> est = estimate_ability(u[0], bank.a, bank.b)
    >>> 0.0 <= expected_score(est.theta, bank.a, bank.b, se=est.se).score <= 100.0
    True
"""

from valuecompass.irt._ability import (
    AbilityEstimate, AbilityEstimates, AbilityMethod, NormalPrior, estimate_abilities, estimate_ability,
)
from valuecompass.irt._calibration import CalibrationConfig, CalibrationResult, calibrate_2pl
from valuecompass.irt._fit import ItemFit
from valuecompass.irt._math import item_information, log_likelihood, p_2pl, test_information
from valuecompass.irt._params import (
    DEFAULT_PRIOR_A, ItemParams, ParamArrays, bank_params, item_prior_b, params_arrays, prior_b, prior_params,
)
from valuecompass.irt._responses import ResponseMatrix, ResponseRecord, response_matrix
from valuecompass.irt._score import ScoreEstimate, expected_score
from valuecompass.irt._simulate import simulate_responses

__all__ = [
    "DEFAULT_PRIOR_A", "AbilityEstimate", "AbilityEstimates", "AbilityMethod", "CalibrationConfig",
    "CalibrationResult", "ItemFit", "ItemParams", "NormalPrior", "ParamArrays", "ResponseMatrix",
    "ResponseRecord", "ScoreEstimate", "bank_params", "calibrate_2pl", "estimate_abilities", "estimate_ability",
    "expected_score", "item_information", "item_prior_b", "log_likelihood", "p_2pl", "params_arrays",
    "prior_b", "prior_params", "response_matrix", "simulate_responses", "test_information",
]
