"""Pure statistics of the validity checks: separation, paired differences, agreement, Spearman-Brown.

No I/O. Intervals are 95% unless stated; every resampling function takes a seed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from scipy.stats import binomtest, pearsonr, spearmanr

from valuecompass.judge import roc_auc, wilson_interval


class Estimate(NamedTuple):
    """A point estimate with its 95% interval (``nan`` where undefined)."""

    value: float
    low: float
    high: float


def separation_auc(expressing: Sequence[float], opposing: Sequence[float]) -> float:
    """AUC of P(conform) between answers made to express the value and answers made to oppose it.

    1.0: every expressing answer scores above every opposing one; 0.5: no separation.
    """
    truth = [True] * len(expressing) + [False] * len(opposing)
    return roc_auc(truth, [*expressing, *opposing])


def newcombe_difference(k1: float, n1: int, k0: float, n0: int) -> Estimate:
    """Difference of two independent shares ``k1/n1 - k0/n0`` with Newcombe's hybrid score interval.

    Built from the two Wilson intervals (Newcombe 1998, method 10): right for small samples
    and shares at 0 or 1, where the normal interval is not.

    Example:
        >>> [round(x, 3) for x in newcombe_difference(4, 4, 0, 4)]
        [1.0, 0.396, 1.0]
    """
    p1, p0 = k1 / n1, k0 / n0
    l1, u1 = wilson_interval(k1, n1)
    l0, u0 = wilson_interval(k0, n0)
    d = p1 - p0
    low = d - math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)
    return Estimate(d, max(-1.0, low), min(1.0, high))


def paired_bootstrap(a: Sequence[float], b: Sequence[float], *, n_boot: int = 4000, seed: int = 0) -> Estimate:
    """Mean of the paired differences ``a - b`` with a percentile bootstrap interval over pairs.

    Raises:
        ValueError: if the sequences differ in length or are empty.
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.shape != y.shape or x.size == 0:
        raise ValueError(f"need two non-empty sequences of equal length, got {x.size} and {y.size}")
    diff = x - y
    rng = np.random.default_rng(seed)
    means = diff[rng.integers(0, diff.size, size=(n_boot, diff.size))].mean(axis=1)
    low, high = np.quantile(means, [0.025, 0.975])
    return Estimate(float(diff.mean()), float(low), float(high))


def sign_test(a: Sequence[float], b: Sequence[float]) -> float:
    """Two-sided sign-test p-value of the pairs where ``a`` and ``b`` differ (1.0 when none differ)."""
    up = sum(x > y for x, y in zip(a, b, strict=True))
    down = sum(x < y for x, y in zip(a, b, strict=True))
    return 1.0 if up + down == 0 else float(binomtest(up, up + down, 0.5).pvalue)


def correlation(a: Sequence[float], b: Sequence[float]) -> tuple[float, float]:
    """Pearson and Spearman correlation of two paired sequences (``nan`` with fewer than 3 pairs or no spread)."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.size < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return math.nan, math.nan
    return float(pearsonr(x, y)[0]), float(spearmanr(x, y)[0])


def spearman_brown(r_half: float, factor: float = 2.0) -> float:
    """Reliability of a test ``factor`` times as long, from the reliability ``r_half`` of its parts.

    Example:
        >>> round(spearman_brown(0.6), 3)
        0.75
    """
    if math.isnan(r_half):
        return math.nan
    return factor * r_half / (1 + (factor - 1) * r_half)


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float:
    """Cohen's kappa of two raters' labels (``nan`` when chance agreement is 1)."""
    n = len(a)
    if n == 0 or n != len(b):
        return math.nan
    labels = sorted(set(a) | set(b))
    po = sum(x == y for x, y in zip(a, b)) / n
    pe = sum((list(a).count(lab) / n) * (list(b).count(lab) / n) for lab in labels)
    return math.nan if pe == 1 else (po - pe) / (1 - pe)
