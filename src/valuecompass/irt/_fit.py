"""Item fit diagnostics of a calibrated 2PL from posterior-predictive residuals.

Plugging shrunken EAP abilities into the item curves makes well-fitting items
look misfitting (the plug-in curve is steeper than what is observed), and the
item's own response pulls the estimate towards it. Here each response ``u_ij``
is compared with its prediction from the *other* responses of the examinee::

    pi_ij = sum_k post_ik^(-j) P_j(theta_k),   post^(-j) = posterior without item j

so ``u_ij - pi_ij`` has mean 0 and variance ``pi_ij (1 - pi_ij)`` under the model.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict
from scipy.special import log_expit
from scipy.stats import chi2

Array = NDArray[np.float64]

#: Fewest responses an item needs for the grouped chi-square (3 groups of 10).
X2_MIN_RESPONSES = 30


class ItemFit(BaseModel):
    """Fit of one item to the 2PL.

    Attributes:
        item_id: Id of the item.
        n_responses: Number of (possibly fractional) responses.
        p_conform: Observed mean response (classical proportion conforming).
        infit: Information-weighted mean square residual (about 1 under the model;
            above ~1.3 the item is noisier than the model says, below ~0.7 it is too predictable).
        outfit: Unweighted mean square standardised residual (about 1; sensitive to
            unexpected responses far from the item's difficulty).
        x2: Grouped residual chi-square (Yen's Q1 form: examinees grouped into up to
            10 ability groups by their leave-one-item-out EAP); ``None`` under 30 responses.
        x2_df: Degrees of freedom of ``x2`` (groups - 2).
        x2_p: p-value of ``x2``; small values flag misfit.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    item_id: str
    n_responses: int
    p_conform: float | None
    infit: float | None
    outfit: float | None
    x2: float | None = None
    x2_df: int | None = None
    x2_p: float | None = None


class GroupedX2(NamedTuple):
    """Grouped residual chi-square, its degrees of freedom and p-value."""

    stat: float
    df: int
    p_value: float


class Predictions(NamedTuple):
    """Leave-one-item-out predictions for the observed responses to one item."""

    u: Array
    pi: Array
    theta: Array


def _grouped_x2(pred: Predictions) -> GroupedX2 | None:
    n = pred.u.size
    if n < X2_MIN_RESPONSES:
        return None
    n_groups = int(min(10, n // 10))
    stat = 0.0
    for g in np.array_split(np.argsort(pred.theta, kind="stable"), n_groups):
        var = float(np.sum(pred.pi[g] * (1.0 - pred.pi[g])))
        stat += float(np.sum(pred.u[g] - pred.pi[g])) ** 2 / max(var, 1e-12)
    df = n_groups - 2
    return GroupedX2(stat, df, float(chi2.sf(stat, df)))


def _predict(j: int, u0: Array, obs: Array, post: Array, nodes: Array, log_p: Array, log_q: Array) -> Predictions:
    """Predictions of item ``j``'s observed responses from the examinees' other responses."""
    seen = obs[:, j] > 0
    u = u0[seen, j]
    own = u[:, None] * log_p[None, :, j] + (1.0 - u[:, None]) * log_q[None, :, j]   # (n_j, q)
    loo = np.log(np.maximum(post[seen], 1e-300)) - own
    loo = np.exp(loo - loo.max(axis=1, keepdims=True))
    loo /= loo.sum(axis=1, keepdims=True)
    return Predictions(u, loo @ np.exp(log_p[:, j]), loo @ nodes)


def _opt(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def item_fit(item_ids: tuple[str, ...], u0: Array, obs: Array, a: Array, b: Array, post: Array,
             nodes: Array) -> tuple[ItemFit, ...]:
    """Fit statistics of every item.

    Args:
        item_ids: Ids of the ``m`` items.
        u0: Responses ``(n, m)`` with missing cells set to 0.
        obs: Observation mask ``(n, m)`` as 0/1.
        a: Discriminations ``(m,)``.
        b: Difficulties ``(m,)``.
        post: Posterior weights of each examinee over the nodes ``(n, q)``.
        nodes: Quadrature nodes ``(q,)``.

    Returns:
        One ``ItemFit`` per item.
    """
    z = a[None, :] * (nodes[:, None] - b[None, :])          # (q, m)
    log_p, log_q = log_expit(z), log_expit(-z)
    out = []
    for j, item_id in enumerate(item_ids):
        pred = _predict(j, u0, obs, post, nodes, log_p, log_q)
        n = pred.u.size
        w = pred.pi * (1.0 - pred.pi)
        sq = (pred.u - pred.pi) ** 2
        x2 = _grouped_x2(pred)
        out.append(ItemFit(
            item_id=item_id, n_responses=int(round(obs[:, j].sum())),
            p_conform=_opt(pred.u.mean()) if n else None,
            infit=_opt(sq.sum() / w.sum()) if n else None,
            outfit=_opt(np.mean(sq / np.maximum(w, 1e-12))) if n else None,
            x2=x2.stat if x2 else None, x2_df=x2.df if x2 else None, x2_p=x2.p_value if x2 else None,
        ))
    return tuple(out)
