"""Models x profiles similarity matrices, a 2-D/3-D value space (PCA) of both, and nearest profiles."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

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
        vectors: Each point's ipsatized vector on ``dimensions`` (the PCA input rows, in the order
            of ``points``): the standardized space that :func:`nearest_profiles` and the t-SNE map use.
        left_out: Model label -> the dimensions of the system it has no score on, for every model of
            the table that is not in the space (in table order).
    """

    system: str
    dimensions: tuple[str, ...]
    points: tuple[SpacePoint, ...]
    explained_variance_ratio: tuple[float, ...]
    loadings: dict[str, tuple[float, ...]]
    vectors: tuple[tuple[float, ...], ...] = ()
    left_out: dict[str, tuple[str, ...]] = field(default_factory=dict)


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
            system are left out of the space and listed in ``left_out`` with what they lack.
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
    left_out: dict[str, tuple[str, ...]] = {}
    for model, scores in table.items():
        if all(d in scores for d in dims):
            labels.append((model, "model"))
            rows.append(ipsatize(np.array([scores[d][0] for d in dims])))
        else:
            left_out[model] = tuple(d for d in dims if d not in scores)
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
    vectors = tuple(tuple(float(x) for x in row) for row in rows)
    return ValueSpace(system, dims, points, tuple(float(r) for r in ratio), loadings, vectors, left_out)


class Neighbour(NamedTuple):
    """A profile near a point of the value space.

    Attributes:
        profile: The profile id.
        distance: Euclidean distance between the two ipsatized vectors.
        correlation: The Pearson correlation of the two patterns, ``1 - distance**2 / (2 * n)`` for
            ``n`` dimensions (ipsatized vectors have mean 0 and SD 1, so distance and correlation agree).
    """

    profile: str
    distance: float
    correlation: float


def nearest_profiles(space: ValueSpace, label: str, k: int = 3) -> tuple[Neighbour, ...]:
    """The ``k`` profiles closest to one point, in the standardized space the projection starts from.

    Distances are taken between the ipsatized vectors (:attr:`ValueSpace.vectors`), not on the map,
    so the answer does not depend on what the projection distorts. Ties are broken by profile id.
    A point with no pattern (equal scores everywhere, a zero vector) is equally far from every
    profile and gets none; profiles without a pattern are never offered.

    Args:
        space: A value space.
        label: A point's label (a model label or a profile id).
        k: How many profiles at most.

    Returns:
        The nearest profiles, closest first (empty for a point without a pattern).

    Raises:
        ValueCompassError: if ``label`` is not a point of ``space``.
    """
    index = next((i for i, p in enumerate(space.points) if p.label == label), None)
    if index is None:
        raise ValueCompassError(f"{label!r} is not a point of the value space of {space.system!r}",
                                "pick a model scored on every dimension of the system, or a profile id")
    vectors = np.array(space.vectors, dtype=float)
    here = vectors[index]
    if not np.any(here):
        return ()
    n = vectors.shape[1]
    found = []
    for i, p in enumerate(space.points):
        if p.kind != "profile" or i == index or not np.any(vectors[i]):
            continue
        d = float(np.linalg.norm(vectors[i] - here))
        found.append(Neighbour(p.label, d, 1.0 - d * d / (2 * n)))
    found.sort(key=lambda nb: (round(nb.distance, 12), nb.profile))
    return tuple(found[:max(k, 0)])
