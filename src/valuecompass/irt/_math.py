"""Pure NumPy math of the two-parameter logistic (2PL) IRT model.

No I/O, no state: engines (calibration, ability estimation, adaptive testing)
compose these functions. The hot inner loops (the EM steps, MAP's Newton
steps, item fit) inline the same formulas on their own array layouts; their
tests check the results against independent computations (scipy, girth, mirt).

The model: the probability that an examinee of ability ``theta`` gives a
conforming response (1) to item ``j`` with discrimination ``a_j > 0`` and
difficulty ``b_j`` is::

    P_j(theta) = 1 / (1 + exp(-a_j * (theta - b_j)))

Shape convention used throughout: ``theta`` has any shape ``S`` (a scalar, a
vector of examinees or a quadrature grid); ``a`` and ``b`` are broadcast to
one vector of ``m`` items. Item-wise results have shape ``S + (m,)``; results
summed over items have shape ``S``.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import expit, log_expit


def _logits(theta: ArrayLike, a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """Return ``a * (theta - b)`` with shape ``theta.shape + (m,)``."""
    a_arr, b_arr = np.broadcast_arrays(np.atleast_1d(np.asarray(a, dtype=float)),
                                       np.atleast_1d(np.asarray(b, dtype=float)))
    t = np.asarray(theta, dtype=float)[..., np.newaxis]
    return a_arr * (t - b_arr)


def p_2pl(theta: ArrayLike, a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """Probability of a conforming response under the 2PL model.

    Args:
        theta: Abilities, any shape ``S``.
        a: Discriminations of ``m`` items (scalar or shape ``(m,)``).
        b: Difficulties of ``m`` items (scalar or shape ``(m,)``).

    Returns:
        Array of shape ``S + (m,)`` with ``P_j(theta)`` in (0, 1).

    Example:
        >>> float(p_2pl(0.0, 1.0, 0.0)[0])
        0.5
    """
    return expit(_logits(theta, a, b))


def item_information(theta: ArrayLike, a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """Fisher information of each item about ``theta``: ``a^2 P (1 - P)``.

    Args:
        theta: Abilities, any shape ``S``.
        a: Discriminations, scalar or shape ``(m,)``.
        b: Difficulties, scalar or shape ``(m,)``.

    Returns:
        Array of shape ``S + (m,)``; the maximum of item ``j`` is ``a_j^2 / 4`` at ``theta = b_j``.
    """
    z = _logits(theta, a, b)
    a_arr = np.broadcast_to(np.atleast_1d(np.asarray(a, dtype=float)), z.shape[-1:])
    p = expit(z)
    return a_arr**2 * p * (1.0 - p)


def test_information(theta: ArrayLike, a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """Test information: the sum of the item informations.

    Args:
        theta: Abilities, any shape ``S``.
        a: Discriminations, scalar or shape ``(m,)``.
        b: Difficulties, scalar or shape ``(m,)``.

    Returns:
        Array of shape ``S``. Without a prior, ``1 / sqrt(test_information)``
        is the asymptotic standard error of the maximum-likelihood ``theta``.
    """
    return item_information(theta, a, b).sum(axis=-1)


test_information.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def log_likelihood(theta: ArrayLike, responses: ArrayLike, a: ArrayLike, b: ArrayLike) -> NDArray[np.float64]:
    """Log-likelihood of response patterns at each ``theta``.

    ``sum_j [u_j log P_j(theta) + (1 - u_j) log(1 - P_j(theta))]`` over the
    answered items. Missing responses are ``NaN`` and contribute nothing.
    Fractional responses ``u`` in [0, 1] (e.g. a judge's probability of
    conformity) enter as expected counts.

    Args:
        theta: Abilities, shape ``S`` (typically a grid of ``q`` points).
        responses: Response patterns, shape ``R + (m,)`` (one pattern ``(m,)`` or
            a matrix ``(n, m)``), values in [0, 1] or ``NaN``.
        a: Discriminations, shape ``(m,)``.
        b: Difficulties, shape ``(m,)``.

    Returns:
        Array of shape ``R + S``: every pattern evaluated at every ``theta``.
    """
    u = np.asarray(responses, dtype=float)
    observed = ~np.isnan(u)
    u0 = np.where(observed, u, 0.0)
    z = _logits(theta, a, b)                     # S + (m,)
    log_p, log_q = log_expit(z), log_expit(-z)
    n_theta = int(np.prod(z.shape[:-1]))
    flat_p = log_p.reshape(n_theta, z.shape[-1])      # (|S|, m)
    flat_q = log_q.reshape(n_theta, z.shape[-1])
    ll = u0 @ flat_p.T + (observed.astype(float) - u0) @ flat_q.T   # R + (|S|,)
    return ll.reshape(u.shape[:-1] + np.shape(theta))
