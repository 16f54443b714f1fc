"""Seeded simulation of 2PL responses, for tests, benchmarks and CAT simulations."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from valuecompass.errors import EstimationError
from valuecompass.irt._math import p_2pl


def simulate_responses(
    theta: ArrayLike,
    a: ArrayLike,
    b: ArrayLike,
    rng: np.random.Generator | int,
    missing: float = 0.0,
) -> NDArray[np.float64]:
    """Draw dichotomous 2PL responses, optionally with responses missing at random.

    Args:
        theta: True abilities, shape ``(n,)``.
        a: True discriminations, shape ``(m,)``.
        b: True difficulties, shape ``(m,)``.
        rng: A numpy Generator or a seed.
        missing: Probability that a cell is missing (``NaN``), independently per cell.

    Returns:
        Matrix ``(n, m)`` of 0/1 responses, ``NaN`` where missing.

    Example:
        >>> simulate_responses([0.0, 1.0], [1.0, 1.5, 2.0], [0.0, 0.0, 1.0], rng=0).shape
        (2, 3)
    """
    if not 0.0 <= missing < 1.0:
        raise EstimationError(f"missing must be in [0, 1), got {missing}", hint="e.g. missing=0.5")
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    p = p_2pl(np.asarray(theta, dtype=float), a, b)
    u = (gen.random(p.shape) < p).astype(float)
    if missing > 0.0:
        u[gen.random(p.shape) < missing] = np.nan
    return u
