"""Estimation stage: the ability estimate after each step, via ``valuecompass.irt``.

Each estimator is a small class with one method, ``estimate(responses, a, b)``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np
from numpy.typing import NDArray

from valuecompass.irt import AbilityEstimate, AbilityMethod, NormalPrior, estimate_ability


class Estimator(ABC):
    """Estimates ability from the responses to the administered items."""

    @abstractmethod
    def estimate(self, responses: NDArray[np.float64], a: NDArray[np.float64],
                 b: NDArray[np.float64]) -> AbilityEstimate:
        """Return the ability estimate and its standard error.

        Args:
            responses: Shape ``(n,)``, values in [0, 1] or ``NaN`` (no usable response).
            a: Discriminations of the administered items, shape ``(n,)``.
            b: Their difficulties, shape ``(n,)``.
        """


class BayesEstimator(Estimator):
    """EAP (posterior mean and SD, the default) or MAP with a normal prior.

    Unlike maximum likelihood it gives finite estimates for all-conforming or
    all-opposing patterns, which are common early in a test.

    Args:
        method: ``eap`` or ``map``.
        prior: Normal prior on ability (standard normal by default).
    """

    def __init__(self, method: AbilityMethod = "eap", prior: NormalPrior = NormalPrior()) -> None:
        self.method, self.prior = method, prior

    def estimate(self, responses: NDArray[np.float64], a: NDArray[np.float64],
                 b: NDArray[np.float64]) -> AbilityEstimate:
        """Estimate with ``valuecompass.irt.estimate_ability``."""
        return estimate_ability(responses, a, b, self.method, self.prior)
