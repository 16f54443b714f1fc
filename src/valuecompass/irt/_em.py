"""Machinery of marginal maximum a-posteriori calibration (Bock-Aitkin EM) of the 2PL.

Items are parameterised as ``(alpha, b)`` with ``alpha = log a``; the priors are
``alpha ~ N(mu_alpha, sd_alpha)`` (a lognormal prior on ``a``) and
``b_j ~ N(mu_b_j, sd_b)``. Abilities follow the standard normal, discretised
on a fixed grid of quadrature nodes.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray
from scipy.special import expit, log_expit, logsumexp
from scipy.stats import norm

Array = NDArray[np.float64]


class Quadrature(NamedTuple):
    """Quadrature nodes of the ability distribution and their log-weights."""

    nodes: Array
    log_weights: Array


class Data(NamedTuple):
    """Responses with missing cells zeroed (``u0``) and the observation mask (``obs``, 0/1)."""

    u0: Array
    obs: Array


class Priors(NamedTuple):
    """Prior means and SDs of ``alpha = log a`` and of ``b`` (``b_mean`` per item)."""

    alpha_mean: float
    alpha_sd: float
    b_mean: Array
    b_sd: float


class Posterior(NamedTuple):
    """Result of an E-step.

    Attributes:
        post: Posterior weights of each examinee over the nodes, ``(n, q)``.
        r: Expected conforming responses per item and node, ``(m, q)``.
        nn: Expected responses per item and node, ``(m, q)``.
        loglik: Marginal log-likelihood of the data.
    """

    post: Array
    r: Array
    nn: Array
    loglik: float


class ItemArrays(NamedTuple):
    """Parameters of all items: ``alpha = log a`` and ``b``, shape ``(m,)`` each."""

    alpha: Array
    b: Array


class ItemStep(NamedTuple):
    """Gradient ``(m, 2)`` and expected information ``(m, 2, 2)`` of the item objectives."""

    grad: Array
    info: Array


def normal_quadrature(n_points: int, bound: float) -> Quadrature:
    """Equally spaced nodes on ``[-bound, bound]`` with normalised standard-normal weights."""
    nodes = np.linspace(-bound, bound, n_points)
    w = norm.pdf(nodes)
    return Quadrature(nodes, np.log(w / w.sum()))


def e_step(data: Data, alpha: Array, b: Array, quad: Quadrature) -> Posterior:
    """Posterior over the nodes for every examinee, and the expected counts per item."""
    z = np.exp(alpha)[:, None] * (quad.nodes[None, :] - b[:, None])   # (m, q)
    log_p, log_q = log_expit(z), log_expit(-z)
    joint = data.u0 @ log_p + (data.obs - data.u0) @ log_q + quad.log_weights   # (n, q)
    norm_const = logsumexp(joint, axis=1, keepdims=True)
    post = np.exp(joint - norm_const)
    # (post.T @ u).T, not u.T @ post: same numbers, but multi-threaded OpenBLAS is pathologically
    # slow on the latter's shape (long inner dimension, small output).
    return Posterior(post, (post.T @ data.u0).T, (post.T @ data.obs).T, float(norm_const.sum()))


def item_objective(alpha: Array, b: Array, post: Posterior, nodes: Array, priors: Priors) -> Array:
    """Expected complete-data log-posterior of each item, shape ``(m,)``."""
    z = np.exp(alpha)[:, None] * (nodes[None, :] - b[:, None])
    ll = (post.r * log_expit(z) + (post.nn - post.r) * log_expit(-z)).sum(axis=1)
    return ll + log_prior_items(alpha, b, priors)


def log_prior_items(alpha: Array, b: Array, priors: Priors) -> Array:
    """Log prior density (up to a constant) of each item's parameters, shape ``(m,)``."""
    return (-0.5 * ((alpha - priors.alpha_mean) / priors.alpha_sd) ** 2
            - 0.5 * ((b - priors.b_mean) / priors.b_sd) ** 2)


def item_step(alpha: Array, b: Array, post: Posterior, nodes: Array, priors: Priors) -> ItemStep:
    """Gradient and expected (Fisher) information of each item's objective in ``(alpha, b)``.

    With ``d = theta_k - b`` and residual ``r - nn * P``::

        d/dalpha = a * sum_k resid * d       d/db = -a * sum_k resid
        I_aa = a^2 sum W d^2,  I_bb = a^2 sum W,  I_ab = -a^2 sum W d,   W = nn P (1 - P)

    plus the prior terms.
    """
    a = np.exp(alpha)
    d = nodes[None, :] - b[:, None]
    p = expit(a[:, None] * d)
    resid = post.r - post.nn * p
    w = post.nn * p * (1.0 - p)
    grad = np.stack([a * (resid * d).sum(axis=1) - (alpha - priors.alpha_mean) / priors.alpha_sd**2,
                     -a * resid.sum(axis=1) - (b - priors.b_mean) / priors.b_sd**2], axis=1)
    i_aa = a**2 * (w * d**2).sum(axis=1) + 1.0 / priors.alpha_sd**2
    i_bb = a**2 * w.sum(axis=1) + 1.0 / priors.b_sd**2
    i_ab = -(a**2) * (w * d).sum(axis=1)
    info = np.stack([np.stack([i_aa, i_ab], axis=1), np.stack([i_ab, i_bb], axis=1)], axis=1)
    return ItemStep(grad, info)


def m_step(alpha: Array, b: Array, post: Posterior, nodes: Array, priors: Priors,
           free: NDArray[np.bool_], n_newton: int = 3) -> ItemArrays:
    """Fisher-scoring steps on every free item at once; a step that lowers an item's
    objective is halved (so every EM iteration raises the log-posterior)."""
    alpha, b = alpha.copy(), b.copy()
    for _ in range(n_newton):
        step = item_step(alpha, b, post, nodes, priors)
        delta = np.linalg.solve(step.info, step.grad[..., None])[..., 0]
        delta[~free] = 0.0
        delta = np.clip(delta, [-0.5, -1.0], [0.5, 1.0])
        before = item_objective(alpha, b, post, nodes, priors)
        scale = np.ones(alpha.shape)
        for _ in range(8):
            after = item_objective(alpha + scale * delta[:, 0], b + scale * delta[:, 1], post, nodes, priors)
            worse = after < before - 1e-12
            if not worse.any():
                break
            scale[worse] *= 0.5
        scale[after < before - 1e-12] = 0.0
        alpha, b = alpha + scale * delta[:, 0], b + scale * delta[:, 1]
        if np.max(np.abs(scale[:, None] * delta)) < 1e-8:
            break
    return ItemArrays(alpha, b)


def marginal_gradient(data: Data, alpha: Array, b: Array, quad: Quadrature, priors: Priors) -> Array:
    """Gradient of the marginal log-posterior (Fisher identity), shape ``(m, 2)``."""
    post = e_step(data, alpha, b, quad)
    return item_step(alpha, b, post, quad.nodes, priors).grad
