"""Standard errors of calibrated item parameters from the observed information.

The observed information is the negative Hessian of the marginal
log-posterior. Its gradient is exact (Fisher identity: the complete-data
gradient at the E-step posterior); the Hessian is the central finite
difference of that gradient, which equals Oakes' (1999) identity evaluated
numerically. It accounts for the information lost to the unknown abilities,
unlike the complete-data information of the M-step.
"""

from __future__ import annotations

import logging
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from valuecompass.irt._em import Data, Priors, Quadrature, marginal_gradient

logger = logging.getLogger(__name__)

Array = NDArray[np.float64]


class ItemErrors(NamedTuple):
    """Standard errors of ``a`` and ``b`` per item (``NaN`` for fixed items)."""

    se_a: Array
    se_b: Array


def observed_information(data: Data, alpha: Array, b: Array, quad: Quadrature, priors: Priors,
                         free: NDArray[np.bool_], step: float = 1e-4) -> Array:
    """Negative Hessian of the marginal log-posterior over the free ``(alpha, b)`` pairs.

    Returns:
        Symmetric matrix of shape ``(2f, 2f)`` ordered ``alpha_0, b_0, alpha_1, b_1, ...``
        over the ``f`` free items.
    """
    idx = np.flatnonzero(free)
    hess = np.zeros((2 * idx.size, 2 * idx.size))
    for col in range(2 * idx.size):
        j, which = idx[col // 2], col % 2
        grads = []
        for sign in (1.0, -1.0):
            al, bb = alpha.copy(), b.copy()
            (al if which == 0 else bb)[j] += sign * step
            grads.append(marginal_gradient(data, al, bb, quad, priors)[idx].ravel())
        hess[:, col] = (grads[0] - grads[1]) / (2.0 * step)
    return -0.5 * (hess + hess.T)


def item_standard_errors(data: Data, alpha: Array, b: Array, quad: Quadrature, priors: Priors,
                         free: NDArray[np.bool_]) -> ItemErrors:
    """Standard errors of ``a`` (delta method from ``log a``) and ``b`` of the free items."""
    se_a, se_b = np.full(alpha.shape, np.nan), np.full(b.shape, np.nan)
    if not free.any():
        return ItemErrors(se_a, se_b)
    info = observed_information(data, alpha, b, quad, priors, free)
    try:
        cov = np.linalg.inv(info)
        diag = np.diag(cov)
        if np.any(diag <= 0) or not np.all(np.isfinite(diag)):
            raise np.linalg.LinAlgError("information not positive definite")
    except np.linalg.LinAlgError:
        logger.warning("observed information is not positive definite; SEs from its pseudo-inverse")
        diag = np.abs(np.diag(np.linalg.pinv(info)))
    sd = np.sqrt(diag).reshape(-1, 2)
    se_a[free] = np.exp(alpha[free]) * sd[:, 0]
    se_b[free] = sd[:, 1]
    return ItemErrors(se_a, se_b)
