"""Reliability: test-retest across seeds and item draws, split-half, and the judge's consistency (pure)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from valuecompass.store import ScoreRow
from valuecompass.validity._card import Reliability, RetestRow
from valuecompass.validity._stats import cohen_kappa, correlation, spearman_brown


def _num(x: float) -> float | None:
    return None if math.isnan(x) else x


def retest(first: Mapping[str, ScoreRow], second: Mapping[str, ScoreRow]) -> tuple[list[RetestRow], float, float]:
    """Per-dimension agreement of two runs' scores, and their correlation across dimensions (Pearson, Spearman)."""
    dims = [d for d in first if d in second]
    rows = []
    for d in dims:
        a, b = first[d], second[d]
        overlap = (a.ci_low is None or b.ci_high is None or a.ci_high is None or b.ci_low is None
                   or (a.ci_low <= b.ci_high and b.ci_low <= a.ci_high))
        rows.append(RetestRow(dimension=d, first=a.score, second=b.score, difference=b.score - a.score,
                              intervals_overlap=overlap))
    r, rho = correlation([first[d].score for d in dims], [second[d].score for d in dims])
    return rows, r, rho


def split_half(conform_by_dim: Mapping[str, Sequence[float]]) -> tuple[float, float]:
    """Split-half reliability across dimensions: odd vs even administered items, Spearman-Brown corrected.

    Each dimension's answers (conformity 1/0, in administration order) are split into odd
    and even positions; the two half-scores are correlated across dimensions.

    Returns:
        ``(r_half, spearman_brown)`` (``nan`` with fewer than three dimensions of two or more answers).
    """
    odd, even = [], []
    for values in conform_by_dim.values():
        v = [x for x in values if x is not None]
        if len(v) >= 2:
            odd.append(float(np.mean(v[0::2])))
            even.append(float(np.mean(v[1::2])))
    r, _ = correlation(odd, even)
    return r, spearman_brown(r)


def reliability(first_run: str, second_run: str, first: Mapping[str, ScoreRow], second: Mapping[str, ScoreRow],
                conform_by_dim: Mapping[str, Sequence[float]],
                consistency: Sequence[tuple[str, str]] = ()) -> Reliability:
    """The reliability section of a card.

    Args:
        first_run: The primary run.
        second_run: The retest run (another seed and item draw).
        first: Its scores by dimension.
        second: The retest's scores.
        conform_by_dim: The primary run's conformity per administered item, by dimension (split-half).
        consistency: ``(label, label in the other option order)`` of re-judged answers.
    """
    rows, r, rho = retest(first, second)
    half, sb = split_half(conform_by_dim)
    agree = [a == b for a, b in consistency]
    return Reliability(
        runs=(first_run, second_run), retest_pearson=_num(r), retest_spearman=_num(rho),
        retest_mean_abs_difference=float(np.mean([abs(x.difference) for x in rows])) if rows else None,
        retest_rows=tuple(rows), split_half=_num(half), spearman_brown=_num(sb), consistency_n=len(consistency),
        consistency_agreement=sum(agree) / len(agree) if agree else None,
        consistency_kappa=_num(cohen_kappa([a for a, _ in consistency], [b for _, b in consistency]))
        if consistency else None)
