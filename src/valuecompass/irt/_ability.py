"""Ability estimation: EAP (posterior mean) and MAP (posterior mode) with a normal prior."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import softmax

from valuecompass.errors import EstimationError
from valuecompass.irt._math import log_likelihood, p_2pl
from valuecompass.irt._types import AbilityMethod


class NormalPrior(NamedTuple):
    """Normal prior on ability (the standard normal by default)."""

    mean: float = 0.0
    sd: float = 1.0


class AbilityEstimate(NamedTuple):
    """Ability of one examinee with its standard error (posterior SD for EAP)."""

    theta: float
    se: float


class AbilityEstimates(NamedTuple):
    """Abilities of many examinees, arrays of shape ``(n,)``."""

    theta: NDArray[np.float64]
    se: NDArray[np.float64]


#: Spacing of the EAP integration grid.
EAP_STEP = 0.1
#: Posterior mass allowed at the grid's ends before the grid is widened.
EAP_EDGE_MASS = 1e-6


def _check(responses: ArrayLike, a: ArrayLike, b: ArrayLike) -> tuple[NDArray[np.float64], ...]:
    u = np.asarray(responses, dtype=float)
    a_arr, b_arr = np.atleast_1d(np.asarray(a, dtype=float)), np.atleast_1d(np.asarray(b, dtype=float))
    if u.ndim == 0 or u.shape[-1] != a_arr.shape[-1] or a_arr.shape != b_arr.shape:
        raise EstimationError(f"responses of shape {u.shape} do not match a {a_arr.shape} and b {b_arr.shape}",
                              hint="give one response (or NaN) per item, in the order of a and b")
    finite = u[~np.isnan(u)]
    if finite.size and (finite.min() < 0.0 or finite.max() > 1.0):
        raise EstimationError(f"responses must lie in [0, 1] or be NaN, got values in "
                              f"[{finite.min():g}, {finite.max():g}]",
                              hint="code conforming behaviour as 1, opposing as 0, missing as NaN")
    return u, a_arr, b_arr


def ability_grid(prior: NormalPrior, b: ArrayLike = (), half_width: float = 6.0) -> NDArray[np.float64]:
    """Grid (spacing :data:`EAP_STEP`) over the prior +- ``half_width`` SDs and the items' difficulties +- ``half_width``.

    Args:
        prior: The ability prior.
        b: Item difficulties; the grid reaches ``half_width`` beyond the hardest and easiest.
        half_width: How far the grid reaches, in prior SDs (at least 1) and in logits beyond the items.

    Returns:
        Equally spaced grid, ascending.
    """
    b_arr = np.asarray(b, dtype=float)
    reach = half_width * max(prior.sd, 1.0)
    lo, hi = prior.mean - reach, prior.mean + reach
    if b_arr.size:
        lo, hi = min(lo, float(b_arr.min()) - half_width), max(hi, float(b_arr.max()) + half_width)
    return np.linspace(lo, hi, int(np.ceil((hi - lo) / EAP_STEP)) + 1)


def _log_posterior(grid: NDArray[np.float64], u: NDArray[np.float64], a: NDArray[np.float64],
                   b: NDArray[np.float64], prior: NormalPrior) -> NDArray[np.float64]:
    return log_likelihood(grid, u, a, b) - 0.5 * ((grid - prior.mean) / prior.sd) ** 2


def _eap(u: NDArray[np.float64], a: NDArray[np.float64], b: NDArray[np.float64],
         prior: NormalPrior) -> AbilityEstimates:
    half_width = 6.0
    while True:  # widen the grid while posterior mass sits at its ends (it would be cut off)
        grid = ability_grid(prior, b, half_width)
        post = softmax(_log_posterior(grid, u, a, b, prior), axis=-1)
        if np.max(post[..., 0] + post[..., -1], initial=0.0) < EAP_EDGE_MASS or half_width >= 96.0:
            break
        half_width *= 2.0
    mean = post @ grid
    var = post @ grid**2 - mean**2
    return AbilityEstimates(mean, np.sqrt(np.maximum(var, 0.0)))


def _map(u: NDArray[np.float64], a: NDArray[np.float64], b: NDArray[np.float64],
         prior: NormalPrior) -> AbilityEstimates:
    grid = ability_grid(prior, b)
    theta = grid[np.argmax(_log_posterior(grid, u, a, b, prior), axis=-1)]
    observed = ~np.isnan(u)
    u0 = np.where(observed, u, 0.0)
    info = np.zeros_like(theta)
    for _ in range(50):  # Newton-Raphson on a strictly concave log-posterior
        p = p_2pl(theta, a, b)
        grad = ((u0 - p * observed) * a).sum(axis=-1) - (theta - prior.mean) / prior.sd**2
        info = (observed * a**2 * p * (1.0 - p)).sum(axis=-1) + 1.0 / prior.sd**2
        step = np.clip(grad / info, -1.0, 1.0)
        theta = theta + step
        if np.all(np.abs(step) < 1e-10):
            break
    return AbilityEstimates(theta, 1.0 / np.sqrt(info))


def estimate_abilities(
    responses: ArrayLike,
    a: ArrayLike,
    b: ArrayLike,
    method: AbilityMethod = "eap",
    prior: NormalPrior = NormalPrior(),
) -> AbilityEstimates:
    """Estimate the ability of many examinees at once.

    EAP is the posterior mean over a fine grid, its SE the posterior SD. MAP
    is the posterior mode (Newton-Raphson from the best grid point), its SE
    ``1 / sqrt(test information + 1 / prior.sd^2)``.

    Args:
        responses: Matrix ``(n, m)`` of responses in [0, 1], ``NaN`` for missing.
        a: Discriminations, shape ``(m,)``.
        b: Difficulties, shape ``(m,)``.
        method: ``eap`` or ``map``.
        prior: Normal prior on ability (standard normal by default).

    Returns:
        Arrays ``theta`` and ``se`` of shape ``(n,)``; an examinee without
        responses gets the prior mean and SD.

    Raises:
        EstimationError: If shapes do not match, responses leave [0, 1] or the method is unknown.
    """
    u, a_arr, b_arr = _check(responses, a, b)
    if prior.sd <= 0:
        raise EstimationError(f"prior SD must be positive, got {prior.sd}", hint="use NormalPrior(0.0, 1.0)")
    if method == "eap":
        return _eap(u, a_arr, b_arr, prior)
    if method == "map":
        return _map(u, a_arr, b_arr, prior)
    raise EstimationError(f"unknown ability method {method!r}", hint="use 'eap' or 'map'")


def estimate_ability(
    responses: ArrayLike,
    a: ArrayLike,
    b: ArrayLike,
    method: AbilityMethod = "eap",
    prior: NormalPrior = NormalPrior(),
) -> AbilityEstimate:
    """Estimate the ability of one examinee from a response pattern.

    Args:
        responses: Shape ``(m,)``: 1 conforming, 0 opposing, a fraction for a
            probability of conformity, ``NaN`` for no usable response.
        a: Discriminations, shape ``(m,)``.
        b: Difficulties, shape ``(m,)``.
        method: ``eap`` (posterior mean and SD) or ``map`` (posterior mode).
        prior: Normal prior on ability (standard normal by default).

    Returns:
        The estimate and its standard error.

    Example:
        >>> est = estimate_ability([1.0, 0.0], [1.0, 1.0], [-1.0, 1.0])
        >>> round(est.theta, 6)
        0.0
    """
    u = np.asarray(responses, dtype=float)
    if u.ndim != 1:
        raise EstimationError(f"expected one response pattern of shape (m,), got {u.shape}",
                              hint="use estimate_abilities for a matrix of patterns")
    est = estimate_abilities(u[np.newaxis, :], a, b, method, prior)
    return AbilityEstimate(float(est.theta[0]), float(est.se[0]))
