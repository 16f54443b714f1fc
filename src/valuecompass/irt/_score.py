"""Scores on the 0-100 scale: the expected share of conforming behaviour over a bank."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike
from scipy.stats import norm

from valuecompass.errors import EstimationError
from valuecompass.irt._math import p_2pl


class ScoreEstimate(NamedTuple):
    """A 0-100 score with its interval.

    Attributes:
        score: Expected percentage of conforming responses over the bank at ``theta``.
        lower: Lower end of the interval.
        upper: Upper end of the interval.
        level: Coverage of the interval (e.g. 0.95).
    """

    score: float
    lower: float
    upper: float
    level: float


def expected_score(
    theta: float,
    a: ArrayLike,
    b: ArrayLike,
    se: float = 0.0,
    level: float = 0.95,
) -> ScoreEstimate:
    """Expected share of conforming behaviour over a calibrated bank, 0-100.

    The score is ``100 * mean_j P_j(theta)``, the test characteristic curve
    scaled to 0-100. It increases with ``theta``, so the interval is the image
    of the normal posterior interval ``theta +- z * se`` (an equal-tailed
    interval of the posterior maps to one of the score).

    Args:
        theta: Ability estimate (e.g. EAP).
        a: Discriminations of the dimension's bank, shape ``(m,)``.
        b: Difficulties of the dimension's bank, shape ``(m,)``.
        se: Standard error (posterior SD) of ``theta``; 0 gives a point interval.
        level: Coverage of the interval, in (0, 1).

    Returns:
        The score and its interval.

    Raises:
        EstimationError: If the bank is empty, ``se`` is negative or ``level`` is outside (0, 1).

    Example:
        >>> expected_score(0.0, [1.0, 1.0], [0.0, 0.0]).score
        50.0
    """
    a_arr = np.atleast_1d(np.asarray(a, dtype=float))
    if a_arr.size == 0:
        raise EstimationError("cannot score against an empty bank", hint="calibrate items of the dimension first")
    if se < 0 or not 0.0 < level < 1.0:
        raise EstimationError(f"need se >= 0 and 0 < level < 1, got se={se}, level={level}",
                              hint="pass the posterior SD as se and e.g. level=0.95")
    z = float(norm.ppf(0.5 + level / 2.0))
    thetas = np.array([theta, theta - z * se, theta + z * se])
    scores = 100.0 * p_2pl(thetas, a_arr, b).mean(axis=-1)
    return ScoreEstimate(float(scores[0]), float(scores[1]), float(scores[2]), level)
