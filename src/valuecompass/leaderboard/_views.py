"""What the pages compute from the view model, through the metric API.

The alignment metric, profiles, similarity matrices and the value space come from
:mod:`valuecompass.metric`; this module only selects, ranks and shapes them for display.
The browser scripts recompute the weighted score when the user moves a slider (see
``static/js/metric.js``); the browser tests check that both agree.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from valuecompass.errors import ProfileError, ValueCompassError
from valuecompass.frameworks import ValueSystem, get_system, load_systems
from valuecompass.leaderboard._model import LeaderboardData, ModelEntry
from valuecompass.leaderboard._state import FREE_PROFILES, TabDefault, ViewState
from valuecompass.metric import (
    DEFAULT_PROFILE_ID,
    DimScore,
    ValueProfile,
    nearest_profiles,
    packaged_profiles,
    similarity_matrix,
    tsne_space,
    validate_weights,
    value_space,
    weighted_alignment,
)

#: Similarity methods of the culture heatmap, in the order the page offers them.
HEATMAP_METHODS: tuple[str, ...] = ("spearman", "align", "cosine")
#: The seed of the culture page's t-SNE map (the same store always draws the same map).
TSNE_SEED = 0


@dataclass(frozen=True)
class RankedRow:
    """One row of the leaderboard table under a given weighting.

    Attributes:
        model: The model.
        value: Align(m | w), 0-100.
        se: Its standard error.
        low: Lower end of its 95% interval.
        high: Upper end.
        rank_best: Best rank its interval allows.
        rank_worst: Worst rank its interval allows.
        missing: Weighted dimensions the model has no score on (their weight was spread).
        n_items: Items behind the weighted dimensions.
    """

    model: ModelEntry
    value: float
    se: float
    low: float
    high: float
    rank_best: int
    rank_worst: int
    missing: tuple[str, ...]
    n_items: int

    @property
    def medal(self) -> int | None:
        """1, 2 or 3 when the intervals put the model surely in that place, else ``None``."""
        return self.rank_best if self.rank_best == self.rank_worst <= 3 else None

    @property
    def rank_text(self) -> str:
        """``3`` or ``2-5`` (an en dash) when intervals overlap."""
        if self.rank_best == self.rank_worst:
            return str(self.rank_best)
        return f"{self.rank_best}\u2013{self.rank_worst}"


def systems() -> tuple[ValueSystem, ...]:
    """The value systems in display order."""
    return load_systems()


Extra = Sequence[ValueProfile]


def check_extra_profiles(extra: Extra) -> tuple[ValueProfile, ...]:
    """Refuse extra profiles whose id is reserved, packaged or given twice.

    Raises:
        ProfileError: naming the id.
    """
    taken = {p.id for p in packaged_profiles()} | set(FREE_PROFILES)
    for p in extra:
        if p.id in taken:
            raise ProfileError(f"profile id {p.id!r} is already taken (a packaged profile, another --profile, "
                               "or a reserved name)", hint="give the profile file another 'id:'")
        taken.add(p.id)
    return tuple(extra)


def base_profiles(system: str, extra: Extra = ()) -> tuple[ValueProfile, ...]:
    """The profiles a tab offers as base weights: the packaged ones but the group presets, then ``extra``.

    Uniform group presets are offered as dimension selections instead (the group buttons).
    """
    packaged = tuple(p for p in packaged_profiles()
                     if p.system == system and not (p.kind == "uniform" and min(p.weights.values()) == 0))
    return packaged + tuple(p for p in extra if p.system == system)


@dataclass(frozen=True)
class ProfileOption:
    """A base profile as the profile menu shows it.

    Attributes:
        id: Profile id.
        kind: ``uniform``, ``country``, ...
        group: The menu section (e.g. "Countries: Schwartz cultural orientations").
        label: The short entry (e.g. "Germany").
        name: The profile's full name.
        weights: Dimension -> weight (summing to 1).
    """

    id: str
    kind: str
    group: str
    label: str
    name: str
    weights: dict[str, float]

    def menu_label(self, n_used: int, n_all: int) -> str:
        """The menu entry when the profile scores ``n_used`` of a tab's ``n_all`` dimensions:
        ``"Equal weights (2 of 10 dimensions)"``, or the bare label when every dimension is used."""
        return self.label if n_used >= n_all else f"{self.label} ({n_used} of {n_all} dimensions)"


def profile_options(system: str, extra: Extra = ()) -> tuple[ProfileOption, ...]:
    """The base profiles of a tab, grouped and labelled for the menu: uniform, countries, then ``extra``."""
    out = []
    packaged = {p.id for p in packaged_profiles()}
    for p in base_profiles(system, extra):
        if p.id not in packaged:
            group, label = "Your profiles", p.name
        elif p.kind == "uniform":
            group, label = "Uniform", "Equal weights"
        elif p.kind == "country" and p.name.endswith(")") and " (" in p.name:
            label, _, source = p.name[:-1].rpartition(" (")
            group = f"Countries: {source}"
        else:
            group, label = p.kind.capitalize(), p.name
        out.append(ProfileOption(p.id, p.kind, group, label, p.name, dict(p.weights)))
    return tuple(out)


def tab_defaults(extra: Extra = ()) -> dict[str, TabDefault]:
    """The default view of every tab: the original site's default profile for Schwartz
    (uniform over Self-transcendence), the uniform profile over every dimension elsewhere."""
    preset = next(p for p in packaged_profiles() if p.id == DEFAULT_PROFILE_ID)
    out = {}
    for system in systems():
        dims = system.ordered_ids
        if preset.system == system.id:
            dims = tuple(d for d in dims if preset.weights[d] > 0)
        out[system.id] = TabDefault(f"uniform-{system.id}", dims,
                                    frozenset(p.id for p in base_profiles(system.id, extra)))
    return out


def state_weights(state: ViewState, extra: Extra = ()) -> dict[str, float] | None:
    """The weights a state scores with: base profile weights over the selected dimensions,
    renormalised (``None`` if they are all zero)."""
    if state.profile in FREE_PROFILES:
        base = state.weights
    else:
        base = next(p.weights for p in base_profiles(state.system, extra) if p.id == state.profile)
    chosen = {d: float(base.get(d, 0.0)) for d in state.dims}
    if not any(w > 0 for w in chosen.values()):
        return None
    return validate_weights(chosen, state.system)


def model_scores(model: ModelEntry, dims: tuple[str, ...] | None = None) -> dict[str, DimScore]:
    """A model's scores as metric inputs, optionally only on ``dims``."""
    return {d: DimScore(c.score, c.se) for d, c in model.scores.items() if dims is None or d in dims}


def rank_ranges(intervals: list[tuple[float, float]]) -> list[tuple[int, int]]:
    """Best and worst rank each interval allows among the others.

    A model is surely behind another when its upper end is below the other's lower end.

    Example:
        >>> rank_ranges([(70, 80), (60, 75), (10, 20)])
        [(1, 2), (1, 2), (3, 3)]
    """
    out = []
    for low, high in intervals:
        above = sum(1 for lo2, _ in intervals if lo2 > high)
        below = sum(1 for _, hi2 in intervals if hi2 < low)
        out.append((above + 1, len(intervals) - below))
    return out


def ranking(data: LeaderboardData, state: ViewState, extra: Extra = ()) -> list[RankedRow]:
    """The table of one tab under ``state``'s weights, best first (ties by label).

    Models without a score on any weighted dimension, or measured outside the state's dates, are
    left out; ``extra`` are the profiles given besides the packaged ones.
    """
    weights = state_weights(state, extra)
    if weights is None:
        return []
    used = {d for d, w in weights.items() if w > 0}
    rows = []
    for m in data.models:
        if not used & set(m.scores) or not state.measured_in(m.measured):
            continue
        a = weighted_alignment(model_scores(m), weights, model=m.label, on_missing="renormalise")
        n = sum(m.scores[d].n_items for d in used if d in m.scores)
        rows.append((m, a, n))
    rows.sort(key=lambda r: (-r[1].value, r[0].label.lower()))
    ranks = rank_ranges([(a.low, a.high) for _, a, _ in rows])
    return [RankedRow(m, a.value, a.se, a.low, a.high, lo, hi, a.missing, n)
            for (m, a, n), (lo, hi) in zip(rows, ranks)]


def country_profiles(system: str) -> tuple[ValueProfile, ...]:
    """The packaged country profiles of ``system``, by name."""
    return tuple(sorted((p for p in packaged_profiles() if p.system == system and p.kind == "country"),
                        key=lambda p: p.name))


def country_source(profile_id: str) -> str:
    """The citation of a packaged profile (where its numbers come from)."""
    return next((p.source for p in packaged_profiles() if p.id == profile_id), "")


def heatmap(data: LeaderboardData, system: str, method: str) -> dict[str, object] | None:
    """Models x country profiles similarity of one system (``None`` without countries or scored models).

    Values are ``None`` where the similarity is undefined (e.g. a model with equal scores everywhere
    has no ranking to correlate).
    """
    profiles = country_profiles(system)
    dims = set(get_system(system).ordered_ids)
    table = {m.key: model_scores(m, tuple(dims)) for m in data.models if dims & set(m.scores)}
    if not profiles or not table:
        return None
    matrix = similarity_matrix(table, profiles, method)  # type: ignore[arg-type]
    values = [[None if math.isnan(v) else round(v, 4) for v in row] for row in matrix.values]
    return {"method": method, "models": list(matrix.models), "profiles": [p.id for p in profiles],
            "names": [p.name for p in profiles], "values": values}


def space(data: LeaderboardData, system: str) -> dict[str, object] | None:
    """The 2-D value space of models and country profiles, as PCA and as t-SNE (``None`` if too few points).

    Every model point carries its 3 nearest countries (``near``: profile id and the correlation of
    the two patterns), found in the standardized space both maps start from, not on either map.
    ``left_out`` lists the models without a score on some dimension of the system, with the names of
    those dimensions (``all`` when it has none of them). The t-SNE map (seeded, its perplexity fit to
    the number of points) is ``None`` when scikit-learn is missing; ``tsne_note`` then says why.
    """
    table = {m.key: model_scores(m) for m in data.models}
    try:
        vs = value_space(table, country_profiles(system), system=system, n_components=2)
    except ValueCompassError:
        return None
    try:
        ts = tsne_space(vs, random_state=TSNE_SEED)
        tsne: dict[str, object] | None = {"perplexity": round(ts.perplexity, 3), "seed": ts.random_state}
        tcoords = [p.coords for p in ts.points]
        note = ""
    except ValueCompassError as exc:
        tsne, tcoords, note = None, [None] * len(vs.points), exc.message
    points = []
    for p, t in zip(vs.points, tcoords):
        point: dict[str, object] = {"id": p.label, "kind": p.kind, "x": round(p.coords[0], 4),
                                    "y": round(p.coords[1], 4) if len(p.coords) > 1 else 0.0}
        if t is not None:
            point["tx"], point["ty"] = round(t[0], 4), round(t[1], 4)
        if p.kind == "model":
            point["near"] = [{"id": nb.profile, "r": round(nb.correlation, 3)} for nb in nearest_profiles(vs, p.label)]
        points.append(point)
    names = get_system(system).dimension
    left_out = [{"id": key, "missing": [names(d).name for d in missing], "all": len(missing) == len(vs.dimensions)}
                for key, missing in vs.left_out.items()]
    return {"explained": [round(r, 4) for r in vs.explained_variance_ratio], "points": points,
            "loadings": {d: [round(x, 4) for x in v] for d, v in vs.loadings.items()},
            "left_out": left_out, "tsne": tsne, "tsne_note": note}
