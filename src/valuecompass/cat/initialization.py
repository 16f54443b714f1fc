"""Initialization stage: the ability estimate before any response.

Each initializer is a small class with one method, ``initialize(rng)``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from valuecompass.errors import EstimationError
from valuecompass.irt import AbilityEstimate


class Initializer(ABC):
    """Gives the starting ability estimate of a new test."""

    @abstractmethod
    def initialize(self, rng: np.random.Generator) -> AbilityEstimate:
        """Return the starting estimate and its standard error.

        Args:
            rng: Random generator of the test (derived from its seed).
        """


class FixedInitializer(Initializer):
    """Start every test at the same point, by default the prior mean 0 with SE 1.

    Args:
        theta: Starting ability (e.g. the model's estimate on an earlier bank version).
        se: Its standard error.
    """

    def __init__(self, theta: float = 0.0, se: float = 1.0) -> None:
        if se <= 0:
            raise EstimationError(f"starting SE must be positive, got {se}", hint="use se=1.0")
        self.theta, self.se = float(theta), float(se)

    def initialize(self, rng: np.random.Generator) -> AbilityEstimate:
        """Return the fixed starting point (``rng`` is unused)."""
        return AbilityEstimate(self.theta, self.se)


class RandomInitializer(Initializer):
    """Start at a uniform random ability, which spreads the exposure of the first items.

    Args:
        low: Lower bound of the starting ability.
        high: Upper bound.
        se: Standard error reported before the first response.
    """

    def __init__(self, low: float = -0.5, high: float = 0.5, se: float = 1.0) -> None:
        if not low < high or se <= 0:
            raise EstimationError(f"need low < high and se > 0, got {low}, {high}, {se}",
                                  hint="e.g. RandomInitializer(-0.5, 0.5)")
        self.low, self.high, self.se = float(low), float(high), float(se)

    def initialize(self, rng: np.random.Generator) -> AbilityEstimate:
        """Draw the starting ability from ``rng``."""
        return AbilityEstimate(float(rng.uniform(self.low, self.high)), self.se)
