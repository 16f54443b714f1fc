"""The weighted alignment metric Align(m | w) = sum_d w_d * s_d(m) and its uncertainty."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from valuecompass.metric._defaults import Z95
from valuecompass.errors import ValueCompassError
from valuecompass.metric._profiles import ValueProfile
from valuecompass.metric._scores import DimScore, ModelScores, ScoreTable, check_dim_score

OnMissing = Literal["error", "renormalise"]


@dataclass(frozen=True)
class Alignment:
    """Alignment of one model with one profile.

    Attributes:
        model: Model label.
        profile_id: Profile id.
        value: Align(m | w), 0-100.
        se: Its standard error, propagated from the dimension SEs under independence:
            ``sqrt(sum_d w_d^2 se_d^2)``.
        low: Lower end of the interval (``value - z se``, clipped to 0-100).
        high: Upper end (``value + z se``, clipped to 0-100).
        missing: Dimensions with positive weight that the model has no score for (only
            non-empty with ``on_missing="renormalise"``; their weight was spread over the rest).
    """

    model: str
    profile_id: str
    value: float
    se: float
    low: float
    high: float
    missing: tuple[str, ...] = ()


def _used_weights(model: str, scores: ModelScores, weights: Mapping[str, float],
                  on_missing: OnMissing) -> tuple[dict[str, float], tuple[str, ...]]:
    missing = tuple(d for d, w in weights.items() if w > 0 and d not in scores)
    if not missing:
        return {d: w for d, w in weights.items() if w > 0}, ()
    if on_missing == "error":
        raise ValueCompassError(f"model {model!r} has no score on {', '.join(missing)}, which the profile weighs",
                                "score the model on those dimensions, or pass on_missing='renormalise' "
                                "(CLI: --on-missing renormalise)")
    kept = {d: w for d, w in weights.items() if w > 0 and d in scores}
    total = math.fsum(kept.values())
    if total <= 0:
        raise ValueCompassError(f"model {model!r} has no score on any dimension the profile weighs "
                                f"({', '.join(missing)})", "score the model on this value system first")
    return {d: w / total for d, w in kept.items()}, missing


def weighted_alignment(scores: ModelScores, weights: Mapping[str, float], *, model: str = "model",
                       profile_id: str = "weights", z: float = Z95,
                       on_missing: OnMissing = "error") -> Alignment:
    """Compute Align(m | w) = sum_d w_d s_d and its propagated standard error.

    Args:
        scores: Dimension id -> :class:`DimScore` (or ``(score, se)``) of one model.
        weights: Dimension id -> weight >= 0 summing to 1 (e.g. ``profile.weights``).
        model: Model label for the result and messages.
        profile_id: Profile id for the result.
        z: Normal quantile of the interval (1.96 for 95%).
        on_missing: ``"error"`` if a weighted dimension has no score, or ``"renormalise"``
            to spread its weight over the scored ones (recorded in ``missing``).

    Returns:
        The :class:`Alignment`.

    Raises:
        ValueCompassError: if a weighted dimension has no score (``on_missing="error"``)
            or a score is out of range.

    Example:
        >>> a = weighted_alignment({"x": (80.0, 3.0), "y": (40.0, 4.0)}, {"x": 0.75, "y": 0.25})
        >>> a.value, round(a.se, 4)
        (70.0, 2.4622)
    """
    used, missing = _used_weights(model, scores, weights, on_missing)
    checked = {d: check_dim_score(model, d, scores[d]) for d in used}
    value = math.fsum(w * checked[d].score for d, w in used.items())
    se = math.sqrt(math.fsum((w * checked[d].se) ** 2 for d, w in used.items()))
    return Alignment(model, profile_id, value, se, max(0.0, value - z * se), min(100.0, value + z * se), missing)


def align_models(table: ScoreTable, profile: ValueProfile, *, z: float = Z95,
                 on_missing: OnMissing = "error") -> list[Alignment]:
    """Alignment of every model in ``table`` with ``profile``, best first.

    Args:
        table: Model label -> dimension id -> score.
        profile: The value profile.
        z: Normal quantile of the intervals.
        on_missing: See :func:`weighted_alignment`.

    Returns:
        One :class:`Alignment` per model, sorted by value (descending), ties by label.
    """
    results = [weighted_alignment(scores, profile.weights, model=m, profile_id=profile.id, z=z,
                                  on_missing=on_missing) for m, scores in table.items()]
    return sorted(results, key=lambda a: (-a.value, a.model))


@dataclass(frozen=True)
class BootstrapInterval:
    """A percentile interval from a parametric bootstrap.

    Attributes:
        estimate: The statistic on the observed scores.
        se: Standard deviation of the bootstrap replicates.
        low: Lower percentile.
        high: Upper percentile.
        n_boot: Number of replicates.
    """

    estimate: float
    se: float
    low: float
    high: float
    n_boot: int


def resample_scores(scores: Mapping[str, DimScore], dims: tuple[str, ...], n_boot: int,
                    rng: np.random.Generator) -> np.ndarray:
    """Draw ``n_boot`` score vectors ``s_d ~ Normal(score_d, se_d)`` clipped to 0-100.

    Args:
        scores: Dimension id -> :class:`DimScore`.
        dims: Which dimensions, in which column order.
        n_boot: Number of draws.
        rng: The random generator (seeded by the caller).

    Returns:
        Array of shape ``(n_boot, len(dims))``.
    """
    mean = np.array([scores[d][0] for d in dims], dtype=float)
    sd = np.array([scores[d][1] for d in dims], dtype=float)
    return np.clip(rng.normal(mean, sd, size=(n_boot, len(dims))), 0.0, 100.0)


def bootstrap_alignment(scores: ModelScores, weights: Mapping[str, float], *, n_boot: int = 2000,
                        rng: np.random.Generator | int = 0, level: float = 0.95) -> BootstrapInterval:
    """Parametric-bootstrap interval of Align(m | w) (an alternative to the normal interval).

    Each replicate draws every weighted dimension's score from Normal(score, se), clipped to
    0-100, independently; the interval is the replicates' percentile interval.

    Args:
        scores: One model's scores (every weighted dimension must be present).
        weights: Dimension -> weight summing to 1.
        n_boot: Number of replicates.
        rng: A numpy Generator or a seed.
        level: Coverage of the interval.

    Raises:
        ValueCompassError: if a weighted dimension has no score, or a score or SE is out of range.
    """
    gen = np.random.default_rng(rng)
    used, _ = _used_weights("model", scores, weights, "error")
    dims = tuple(used)
    checked = {d: check_dim_score("model", d, scores[d]) for d in dims}
    w = np.array([used[d] for d in dims])
    draws = resample_scores(checked, dims, n_boot, gen) @ w
    estimate = float(np.dot([checked[d].score for d in dims], w))
    lo, hi = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2])
    return BootstrapInterval(estimate, float(draws.std(ddof=1)), float(lo), float(hi), n_boot)
