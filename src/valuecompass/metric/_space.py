"""Models x profiles similarity matrices and a 2-D/3-D value space (PCA) of both."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from valuecompass.metric._defaults import MATRIX_METHODS
from valuecompass.errors import ValueCompassError
from valuecompass.metric._align import weighted_alignment
from valuecompass.metric._profiles import ValueProfile
from valuecompass.metric._scores import ScoreTable
from valuecompass.metric._views import similarity_view
from valuecompass.metric._weights import system_dimensions

MatrixMethod = Literal["spearman", "cosine", "align"]


@dataclass(frozen=True)
class SimilarityMatrix:
    """Similarities of models (rows) with profiles (columns).

    Attributes:
        method: ``spearman``, ``cosine`` or ``align`` (Align(m | w), 0-100).
        models: Row labels.
        profiles: Column profile ids.
        values: ``values[i][j]`` for model i and profile j (NaN where undefined).
    """

    method: MatrixMethod
    models: tuple[str, ...]
    profiles: tuple[str, ...]
    values: tuple[tuple[float, ...], ...]

    def as_array(self) -> np.ndarray:
        """The values as a ``(models, profiles)`` float array."""
        return np.array(self.values, dtype=float).reshape(len(self.models), len(self.profiles))


def similarity_matrix(table: ScoreTable, profiles: Sequence[ValueProfile],
                      method: MatrixMethod = "spearman") -> SimilarityMatrix:
    """Similarity of every model with every profile (the culture heatmap).

    Args:
        table: Model label -> dimension id -> score.
        profiles: The profiles (columns).
        method: ``spearman`` (rank view, default), ``cosine``, or ``align`` (the
            alignment metric; weighted dimensions without a score are renormalised away).

    Returns:
        The :class:`SimilarityMatrix`.

    Raises:
        ValueCompassError: for an unknown method.
    """
    if method not in MATRIX_METHODS:
        raise ValueCompassError(f"unknown similarity method {method!r}", f"use one of: {', '.join(MATRIX_METHODS)}")
    rows = []
    for model, scores in table.items():
        row = []
        for p in profiles:
            if method == "align":
                scored = any(d in scores for d, w in p.weights.items() if w > 0)
                row.append(weighted_alignment(scores, p.weights, model=model, on_missing="renormalise").value
                           if scored else math.nan)
            else:
                row.append(similarity_view(scores, p, method, model=model).value)
        rows.append(tuple(row))
    return SimilarityMatrix(method, tuple(table), tuple(p.id for p in profiles), tuple(rows))


@dataclass(frozen=True)
class SpacePoint:
    """One model or profile placed in the value space.

    Attributes:
        label: Model label or profile id.
        kind: ``model`` or ``profile``.
        coords: Coordinates on the principal components.
    """

    label: str
    kind: Literal["model", "profile"]
    coords: tuple[float, ...]


@dataclass(frozen=True)
class ValueSpace:
    """A PCA projection of models and profiles on one system's dimensions.

    Attributes:
        system: The value system.
        dimensions: The dimensions (PCA input columns), in order.
        points: Every model and profile with its coordinates.
        explained_variance_ratio: Share of variance per component.
        loadings: Dimension id -> its loading on each component (for drawing axes).
    """

    system: str
    dimensions: tuple[str, ...]
    points: tuple[SpacePoint, ...]
    explained_variance_ratio: tuple[float, ...]
    loadings: dict[str, tuple[float, ...]]


def ipsatize(vector: np.ndarray) -> np.ndarray:
    """Centre a vector on its mean and scale it to unit SD (zeros if it is constant).

    This removes level and spread, keeping the pattern of relative priorities, so that
    model scores (0-100) and survey priorities (other scales) share one space.
    """
    v = np.asarray(vector, dtype=float)
    sd = v.std()
    return (v - v.mean()) / sd if sd > 0 else np.zeros_like(v)


def _pca(matrix: np.ndarray, n_components: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    centred = matrix - matrix.mean(axis=0)
    u, s, vt = np.linalg.svd(centred, full_matrices=False)
    k = min(n_components, vt.shape[0])
    comps = vt[:k]
    signs = np.sign(comps[np.arange(k), np.argmax(np.abs(comps), axis=1)])
    signs[signs == 0] = 1.0
    comps = comps * signs[:, None]
    var = s**2
    ratio = var[:k] / var.sum() if var.sum() > 0 else np.zeros(k)
    return centred @ comps.T, comps, ratio


def value_space(table: ScoreTable, profiles: Sequence[ValueProfile], *, system: str,
                n_components: int = 2) -> ValueSpace:
    """Project models and profiles of one value system into a common PCA space.

    Each model's score vector and each profile's priority vector is ipsatized (centred on
    its own mean, scaled to unit SD) so only the *pattern* of priorities counts; the
    stacked vectors are column-centred and projected on their first principal components.
    Component signs are fixed so the largest loading of each is positive (deterministic).

    Args:
        table: Model label -> dimension id -> score; models missing a dimension of the
            system are left out (logged by the caller's choice of table).
        profiles: Profiles of ``system`` (others are ignored).
        system: The value system whose dimensions span the space.
        n_components: 2 or 3 (at most the number of dimensions).

    Returns:
        The :class:`ValueSpace`.

    Raises:
        ValueCompassError: if fewer than 2 models and profiles have every dimension.
    """
    dims = system_dimensions(system)
    labels: list[tuple[str, Literal["model", "profile"]]] = []
    rows = []
    for model, scores in table.items():
        if all(d in scores for d in dims):
            labels.append((model, "model"))
            rows.append(ipsatize(np.array([scores[d][0] for d in dims])))
    for p in profiles:
        if p.system == system:
            labels.append((p.id, "profile"))
            rows.append(ipsatize(np.array([p.priorities[d] for d in dims])))
    if len(rows) < 2:
        raise ValueCompassError(f"value space of {system!r} needs at least 2 models or profiles scored on all "
                                f"its dimensions, got {len(rows)}",
                                "add models scored on the whole system, or profiles")
    coords, comps, ratio = _pca(np.vstack(rows), n_components)
    points = tuple(SpacePoint(label, kind, tuple(float(c) for c in coords[i]))
                   for i, (label, kind) in enumerate(labels))
    loadings = {d: tuple(float(comps[k, j]) for k in range(comps.shape[0])) for j, d in enumerate(dims)}
    return ValueSpace(system, dims, points, tuple(float(r) for r in ratio), loadings)
