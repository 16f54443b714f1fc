"""Calibration of 2PL item parameters by marginal maximum a-posteriori EM (Bock-Aitkin).

Weak priors (lognormal on ``a``, normal on ``b`` centred on each item's prior
difficulty) keep estimates finite for a few dozen examinees and sparse,
planned-missing data; with thousands of examinees they barely matter.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import BaseModel, ConfigDict, Field

from valuecompass.errors import EstimationError
from valuecompass.irt._ability import AbilityEstimate
from valuecompass.irt._em import (
    Data, ItemArrays, Posterior, Priors, Quadrature, e_step, log_prior_items, m_step, normal_quadrature,
)
from valuecompass.irt._fit import ItemFit, item_fit
from valuecompass.irt._params import ItemParams
from valuecompass.irt._se import item_standard_errors

logger = logging.getLogger(__name__)


class CalibrationConfig(BaseModel):
    """Settings of ``calibrate_2pl``.

    Attributes:
        prior_log_a_mean: Mean of the normal prior on ``log a`` (0: median ``a`` = 1).
        prior_log_a_sd: SD of the prior on ``log a`` (0.5 as in BILOG-MG).
        prior_b_sd: SD of the normal prior on ``b`` around each item's prior difficulty.
        n_quadrature: Number of equally spaced quadrature nodes.
        quadrature_bound: Nodes span ``[-bound, bound]``.
        max_iter: Most EM iterations.
        tol: Convergence when no ``log a`` or ``b`` moves more than this in an iteration.
        standard_errors: Compute SEs from the observed information (costs ``4m`` E-steps).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    prior_log_a_mean: float = 0.0
    prior_log_a_sd: float = Field(default=0.5, gt=0.0)
    prior_b_sd: float = Field(default=2.0, gt=0.0)
    n_quadrature: int = Field(default=61, ge=11)
    quadrature_bound: float = Field(default=6.0, gt=2.0)
    max_iter: int = Field(default=1000, ge=1)
    tol: float = Field(default=1e-4, gt=0.0)
    standard_errors: bool = True


class CalibrationResult(BaseModel):
    """Calibrated item bank with diagnostics and provenance.

    Attributes:
        items: Parameters per item, in column order (``source="prior"`` for items
            without responses, which keep their prior).
        fit: Fit diagnostics per item, in column order.
        examinee_ids: Row labels of the response matrix.
        abilities: EAP ability and posterior SD of each examinee under the calibrated bank.
        log_likelihood: Marginal log-likelihood at the estimate.
        log_posterior: Marginal log-likelihood plus the log prior of the items.
        n_parameters: Free parameters (2 per calibrated item).
        aic: ``-2 log L + 2 k``.
        bic: ``-2 log L + k log(n examinees)``.
        n_examinees: Examinees with at least one response.
        n_responses: Observed cells of the response matrix.
        converged: Whether EM met the tolerance before ``max_iter``.
        n_iter: EM iterations run.
        max_change: Largest parameter change in the last iteration.
        config: The settings used.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    items: tuple[ItemParams, ...]
    fit: tuple[ItemFit, ...]
    examinee_ids: tuple[str, ...]
    abilities: tuple[AbilityEstimate, ...]
    log_likelihood: float
    log_posterior: float
    n_parameters: int
    aic: float
    bic: float
    n_examinees: int
    n_responses: int
    converged: bool
    n_iter: int
    max_change: float
    config: CalibrationConfig

    @property
    def a(self) -> NDArray[np.float64]:
        """Discriminations, shape ``(m,)``."""
        return np.array([p.a for p in self.items])

    @property
    def b(self) -> NDArray[np.float64]:
        """Difficulties, shape ``(m,)``."""
        return np.array([p.b for p in self.items])

    def params_by_id(self) -> dict[str, ItemParams]:
        """Item parameters keyed by item id."""
        return {p.item_id: p for p in self.items}


def _prepare(responses: ArrayLike, mask: ArrayLike | None) -> Data:
    u = np.array(responses, dtype=float)
    if u.ndim != 2:
        raise EstimationError(f"responses must be a matrix (examinees x items), got shape {u.shape}",
                              hint="use response_matrix(records) to build one")
    if mask is not None:
        m = np.asarray(mask, dtype=bool)
        if m.shape != u.shape:
            raise EstimationError(f"mask shape {m.shape} differs from responses shape {u.shape}",
                                  hint="give a boolean mask with True where a response was observed")
        u[~m] = np.nan
    obs = ~np.isnan(u)
    if obs.any() and (u[obs].min() < 0.0 or u[obs].max() > 1.0):
        raise EstimationError(f"responses must lie in [0, 1], got [{u[obs].min():g}, {u[obs].max():g}]",
                              hint="code conforming as 1, opposing as 0, missing as NaN")
    return Data(np.where(obs, u, 0.0), obs.astype(float))


def _ids(ids: Sequence[str] | None, n: int, prefix: str, what: str) -> tuple[str, ...]:
    if ids is None:
        return tuple(f"{prefix}{k}" for k in range(n))
    if len(ids) != n or len(set(ids)) != n:
        raise EstimationError(f"need {n} distinct {what} ids, got {len(ids)} ({len(set(ids))} distinct)",
                              hint=f"give one unique id per {what}")
    return tuple(ids)


def _start(data: Data, priors: Priors, config: CalibrationConfig) -> ItemArrays:
    """Start values: ``a`` at the prior median, ``b`` from the proportion conforming."""
    n = data.obs.sum(axis=0)
    prop = (data.u0.sum(axis=0) + 0.5) / (n + 1.0)
    b = np.where(n > 0, -np.log(prop / (1.0 - prop)), priors.b_mean)
    alpha = np.full(b.shape, config.prior_log_a_mean)
    return ItemArrays(alpha, np.clip(b, -3.0, 3.0))


class EMRun(NamedTuple):
    """Outcome of the EM loop: estimates, final E-step, iterations and last change."""

    est: ItemArrays
    post: Posterior
    n_iter: int
    change: float


def _run_em(data: Data, start: ItemArrays, quad: Quadrature, priors: Priors, free: NDArray[np.bool_],
            config: CalibrationConfig) -> EMRun:
    alpha, b = start
    change, n_iter = math.inf, 0
    post = e_step(data, alpha, b, quad)
    while n_iter < config.max_iter and change > config.tol:
        new = m_step(alpha, b, post, quad.nodes, priors, free)
        change = float(np.max(np.abs(np.concatenate([new.alpha - alpha, new.b - b])), initial=0.0))
        alpha, b = new
        post = e_step(data, alpha, b, quad)
        n_iter += 1
    return EMRun(ItemArrays(alpha, b), post, n_iter, change)


def calibrate_2pl(
    responses: ArrayLike,
    *,
    mask: ArrayLike | None = None,
    item_ids: Sequence[str] | None = None,
    examinee_ids: Sequence[str] | None = None,
    prior_b: ArrayLike | None = None,
    fixed: Mapping[str, ItemParams] | None = None,
    config: CalibrationConfig = CalibrationConfig(),
) -> CalibrationResult:
    """Calibrate 2PL item parameters from a (sparse) response matrix.

    Marginal maximum a-posteriori estimation by EM over a fixed quadrature of
    the standard-normal ability distribution (which fixes the scale), with a
    normal prior on ``log a`` and on each ``b`` centred on ``prior_b``. Missing
    responses (``NaN`` or ``mask == False``) are ignored; fractional responses
    in [0, 1] enter as expected counts.

    Args:
        responses: Matrix ``(n_examinees, n_items)`` of responses in [0, 1] or ``NaN``.
        mask: Optional boolean matrix, ``True`` where a response was observed.
        item_ids: Column ids (default ``item0, item1, ...``).
        examinee_ids: Row ids (default ``examinee0, ...``).
        prior_b: Prior mean of ``b`` per item, e.g. from ``prior_b("hard")`` or a
            generated item's target difficulty (default 0 for all).
        fixed: Anchor items whose parameters are kept as given (fixed-parameter
            calibration of new items onto an existing scale).
        config: Priors, quadrature and convergence settings.

    Returns:
        The calibrated bank with SEs, fit diagnostics, information criteria and
        examinee abilities.

    Raises:
        EstimationError: On malformed input.
    """
    data = _prepare(responses, mask)
    n_exam, n_items = data.u0.shape
    ids = _ids(item_ids, n_items, "item", "item")
    b_mean = np.zeros(n_items) if prior_b is None else np.asarray(prior_b, dtype=float).reshape(-1)
    if b_mean.shape != (n_items,) or not np.all(np.isfinite(b_mean)):
        raise EstimationError(f"prior_b must hold {n_items} finite numbers, got shape {b_mean.shape}",
                              hint="give one prior difficulty per item column")
    priors = Priors(config.prior_log_a_mean, config.prior_log_a_sd, b_mean, config.prior_b_sd)
    quad = normal_quadrature(config.n_quadrature, config.quadrature_bound)
    start = _start(data, priors, config)
    free = np.ones(n_items, dtype=bool)
    for j, item_id in enumerate(ids):
        if fixed and item_id in fixed:
            free[j] = False
            start.alpha[j], start.b[j] = math.log(fixed[item_id].a), fixed[item_id].b
    run = _run_em(data, start, quad, priors, free, config)
    if run.change > config.tol:
        logger.warning("2PL calibration did not converge in %d iterations (last change %.2g)",
                       run.n_iter, run.change)
    return _result(data, ids, _ids(examinee_ids, n_exam, "examinee", "examinee"), run, quad, priors,
                   free, fixed or {}, config)


def _result(data: Data, ids: tuple[str, ...], exam_ids: tuple[str, ...], run: EMRun, quad: Quadrature,
            priors: Priors, free: NDArray[np.bool_], fixed: Mapping[str, ItemParams],
            config: CalibrationConfig) -> CalibrationResult:
    est, post = run.est, run.post
    n_resp = data.obs.sum(axis=0)
    if config.standard_errors:
        errors = item_standard_errors(data, est.alpha, est.b, quad, priors, free)
        se_a, se_b = errors.se_a, errors.se_b
    else:
        se_a = se_b = np.full(len(ids), np.nan)
    items = []
    for j, item_id in enumerate(ids):
        if not free[j]:
            items.append(fixed[item_id])
            continue
        items.append(ItemParams(
            item_id=item_id, a=float(np.exp(est.alpha[j])), b=float(est.b[j]), n_responses=int(n_resp[j]),
            source="calibrated" if n_resp[j] > 0 else "prior",
            se_a=float(se_a[j]) if np.isfinite(se_a[j]) else None,
            se_b=float(se_b[j]) if np.isfinite(se_b[j]) else None,
        ))
    theta = post.post @ quad.nodes
    sd = np.sqrt(np.maximum(post.post @ quad.nodes**2 - theta**2, 0.0))
    n_exam = int((data.obs.sum(axis=1) > 0).sum())
    k = 2 * int((free & (n_resp > 0)).sum())
    log_post = post.loglik + float(log_prior_items(est.alpha, est.b, priors)[free].sum())
    return CalibrationResult(
        items=tuple(items), fit=item_fit(ids, data.u0, data.obs, np.exp(est.alpha), est.b, post.post, quad.nodes),
        examinee_ids=exam_ids, abilities=tuple(AbilityEstimate(float(t), float(s)) for t, s in zip(theta, sd)),
        log_likelihood=post.loglik, log_posterior=log_post, n_parameters=k,
        aic=-2.0 * post.loglik + 2.0 * k, bic=-2.0 * post.loglik + k * math.log(max(n_exam, 1)),
        n_examinees=n_exam, n_responses=int(data.obs.sum()), converged=run.change <= config.tol,
        n_iter=run.n_iter, max_change=run.change, config=config,
    )
