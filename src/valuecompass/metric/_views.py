"""Similarity views between a model and a profile: Spearman rank correlation and cosine.

* **Spearman view** (what the original site's "Test your values" page uses): the rank
  correlation, over the system's dimensions, between the model's scores and the profile's
  raw priorities. It asks "does the model put the same values first?" and ignores levels.
* **Cosine view**: the cosine between the model's score vector and the profile's weight
  vector. Both are non-negative, so it lies in [0, 1]; it equals Align(m | w) divided by
  ``|s| |w|``, a scale-free form of the alignment metric.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np

from valuecompass.metric._align import resample_scores
from valuecompass.metric._profiles import ValueProfile
from valuecompass.metric._scores import ModelScores, check_dim_score

ViewMethod = Literal["spearman", "cosine"]
#: Fewest shared dimensions a Spearman correlation is computed on.
MIN_SPEARMAN_DIMS = 3


def spearman(a: np.ndarray | list[float], b: np.ndarray | list[float]) -> float:
    """Spearman rank correlation of two vectors (ties get average ranks).

    Returns:
        The correlation in [-1, 1], or NaN if a vector is constant or shorter than 2.

    Example:
        >>> spearman([1, 2, 3, 4], [10, 30, 20, 40])
        0.8
    """
    from scipy.stats import rankdata  # here, not up front: scipy takes most of a second to import

    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"vectors differ in length: {x.shape} vs {y.shape}")
    if x.size < 2:
        return math.nan
    rx, ry = rankdata(x) - (x.size + 1) / 2, rankdata(y) - (y.size + 1) / 2
    denom = math.sqrt(float(rx @ rx) * float(ry @ ry))
    return float(rx @ ry) / denom if denom > 0 else math.nan


def cosine(a: np.ndarray | list[float], b: np.ndarray | list[float]) -> float:
    """Cosine similarity of two vectors.

    Returns:
        ``a.b / (|a| |b|)``, or NaN if either vector is all zeros.

    Example:
        >>> cosine([1, 0], [1, 1])  # doctest: +ELLIPSIS
        0.7071...
    """
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"vectors differ in length: {x.shape} vs {y.shape}")
    denom = float(np.linalg.norm(x) * np.linalg.norm(y))
    return float(x @ y) / denom if denom > 0 else math.nan


@dataclass(frozen=True)
class Similarity:
    """One similarity view of a model against a profile.

    Attributes:
        model: Model label.
        profile_id: Profile id.
        method: ``spearman`` or ``cosine``.
        value: The similarity (NaN when undefined, see ``note``).
        low: Lower end of the bootstrap interval (NaN without bootstrap).
        high: Upper end of the bootstrap interval (NaN without bootstrap).
        n_dims: Number of dimensions compared.
        note: Why the value is NaN or which dimensions had no score; empty otherwise.
    """

    model: str
    profile_id: str
    method: ViewMethod
    value: float
    low: float = math.nan
    high: float = math.nan
    n_dims: int = 0
    note: str = ""


def _profile_vector(profile: ValueProfile, method: ViewMethod) -> Mapping[str, float]:
    return profile.priorities if method == "spearman" else profile.weights


def _statistic(method: ViewMethod) -> Callable[[np.ndarray, np.ndarray], float]:
    return spearman if method == "spearman" else cosine


def similarity_view(scores: ModelScores, profile: ValueProfile, method: ViewMethod, *, model: str = "model",
                    n_boot: int = 0, rng: np.random.Generator | int = 0, level: float = 0.95) -> Similarity:
    """Compare one model with one profile by ``method`` over the dimensions both have.

    Args:
        scores: Dimension id -> :class:`DimScore` of the model.
        profile: The profile (its priorities for Spearman, its weights for cosine).
        method: ``spearman`` or ``cosine``.
        model: Model label for the result.
        n_boot: If > 0, a parametric-bootstrap percentile interval from this many replicates
            (scores drawn from Normal(score, se), clipped to 0-100).
        rng: Numpy Generator or seed for the bootstrap.
        level: Coverage of the bootstrap interval.

    Returns:
        The :class:`Similarity`.
    """
    target = _profile_vector(profile, method)
    dims = tuple(d for d in profile.dimensions if d in scores)
    missing = [d for d in profile.dimensions if d not in scores]
    note = f"no score on {', '.join(missing)}" if missing else ""
    if method == "spearman" and len(dims) < MIN_SPEARMAN_DIMS:
        return Similarity(model, profile.id, method, math.nan, n_dims=len(dims),
                          note=f"fewer than {MIN_SPEARMAN_DIMS} scored dimensions" + (f"; {note}" if note else ""))
    checked = {d: check_dim_score(model, d, scores[d]) for d in dims}
    s = np.array([checked[d].score for d in dims])
    t = np.array([target[d] for d in dims])
    stat = _statistic(method)
    value = stat(s, t)
    if math.isnan(value):
        note = "; ".join(x for x in ("a vector is constant or all zero, so it has no ranking", note) if x)
    low = high = math.nan
    if n_boot > 0 and not math.isnan(value):
        draws = resample_scores(checked, dims, n_boot, np.random.default_rng(rng))
        reps = np.array([stat(row, t) for row in draws])
        reps = reps[~np.isnan(reps)]
        if reps.size:
            low, high = (float(q) for q in np.quantile(reps, [(1 - level) / 2, (1 + level) / 2]))
    return Similarity(model, profile.id, method, value, low, high, len(dims), note)


def spearman_view(scores: ModelScores, profile: ValueProfile, *, model: str = "model", n_boot: int = 0,
                  rng: np.random.Generator | int = 0) -> Similarity:
    """Spearman correlation of the model's scores with the profile's raw priorities.

    See :func:`similarity_view` for the arguments.
    """
    return similarity_view(scores, profile, "spearman", model=model, n_boot=n_boot, rng=rng)


def cosine_view(scores: ModelScores, profile: ValueProfile, *, model: str = "model", n_boot: int = 0,
                rng: np.random.Generator | int = 0) -> Similarity:
    """Cosine between the model's score vector and the profile's weight vector.

    See :func:`similarity_view` for the arguments.
    """
    return similarity_view(scores, profile, "cosine", model=model, n_boot=n_boot, rng=rng)
