"""A t-SNE map of a value space: neighbourhoods kept, axes without meaning.

The input is the standardized space of :func:`valuecompass.metric.value_space` (each point's
ipsatized vector), so PCA and t-SNE place the same points from the same numbers. t-SNE needs
scikit-learn, an optional dependency (the ``recogniser`` extra); without it
:func:`tsne_space` raises a :class:`~valuecompass.errors.ValueCompassError` naming the install line.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from valuecompass.errors import ValueCompassError
from valuecompass.metric._space import SpacePoint, ValueSpace

#: The line that installs what :func:`tsne_space` needs.
TSNE_INSTALL = "pip install 'valuecompass[recogniser]'  (or: pip install scikit-learn==1.9.1)"
#: scikit-learn's default perplexity, used when there are enough points for it.
MAX_PERPLEXITY = 30.0
#: Above this many points the Barnes-Hut approximation replaces the exact gradient.
EXACT_UP_TO = 500


@dataclass(frozen=True)
class TsneSpace:
    """A 2-D t-SNE embedding of the points of a :class:`~valuecompass.metric.ValueSpace`.

    Attributes:
        system: The value system.
        points: The same points as the value space, in its order, with t-SNE coordinates.
        perplexity: The perplexity used (always below the number of points).
        random_state: The seed given to scikit-learn (same points and seed, same map; started from
            the PCA projection, the map is deterministic).
        method: scikit-learn's gradient method, ``exact`` or ``barnes_hut``.
    """

    system: str
    points: tuple[SpacePoint, ...]
    perplexity: float
    random_state: int
    method: str


def default_perplexity(n_points: int) -> float:
    """A perplexity that suits ``n_points``: a third of the other points, between 1 and 30.

    t-SNE needs a perplexity below the number of points; the usual rule of thumb is a
    perplexity of at most about ``(n - 1) / 3``, and 30 (scikit-learn's default) for large sets.

    Example:
        >>> default_perplexity(4), default_perplexity(31), default_perplexity(500)
        (1.0, 10.0, 30.0)
    """
    return float(min(MAX_PERPLEXITY, max(1.0, (n_points - 1) / 3)))


def tsne_space(space: ValueSpace, *, random_state: int = 0, perplexity: float | None = None) -> TsneSpace:
    """Embed the points of ``space`` in 2-D with t-SNE (scikit-learn), reproducibly.

    Args:
        space: A value space (its :attr:`~valuecompass.metric.ValueSpace.vectors` are the input).
        random_state: The seed; the same seed gives the same coordinates.
        perplexity: Effective number of neighbours; ``None`` picks :func:`default_perplexity`.

    Returns:
        The :class:`TsneSpace`.

    Raises:
        ValueCompassError: if scikit-learn is not installed, the space has fewer than 2 points or
            its vectors are missing, or ``perplexity`` is not below the number of points.
    """
    x = np.array(space.vectors, dtype=float)
    n = len(space.points)
    if n < 2 or x.shape[0] != n:
        raise ValueCompassError(f"a t-SNE map of {space.system!r} needs at least 2 points with their vectors, got {n}",
                                "build the space with valuecompass.metric.value_space")
    chosen = default_perplexity(n) if perplexity is None else float(perplexity)
    if not 0 < chosen < n:
        raise ValueCompassError(f"t-SNE perplexity {chosen} must be above 0 and below the number of points ({n})",
                                f"pass perplexity=None for {default_perplexity(n)}")
    try:
        from sklearn.manifold import TSNE
    except ImportError as exc:
        raise ValueCompassError("the t-SNE map needs scikit-learn, which is not installed", TSNE_INSTALL) from exc
    method = "exact" if n <= EXACT_UP_TO else "barnes_hut"
    coords = TSNE(n_components=2, perplexity=chosen, random_state=random_state, init="pca",
                  learning_rate="auto", method=method).fit_transform(x)
    points = tuple(SpacePoint(p.label, p.kind, (float(coords[i, 0]), float(coords[i, 1])))
                   for i, p in enumerate(space.points))
    return TsneSpace(space.system, points, chosen, random_state, method)
