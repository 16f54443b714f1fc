"""The site's pages: one function per page, shared by the server and the static export.

Each function takes the :class:`Site` (the store view plus what is derived from it) and returns
the page's HTML. Paths are the same in both modes (``index.html``, ``model/<key>.html``,
``model/<key>/<dimension>.html``, ...), and every link is relative, so the export works from disk.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from valuecompass.frameworks import Group, all_dimensions, get_system
from valuecompass.judge import conforming_rule
from valuecompass.leaderboard._data import StoreReader
from valuecompass.leaderboard._downloads import run_file
from valuecompass.leaderboard._disagree import Key, cases_script, disagreements, verdicts
from valuecompass.leaderboard._model import Case, LeaderboardData, ModelEntry
from valuecompass.leaderboard._payload import (
    compare_payload,
    culture_payload,
    disagree_payload,
    leaderboard_payload,
    model_payload,
    test_payload,
)
from valuecompass.leaderboard._render import SYSTEM_SHORT, PageMeta, render
from valuecompass.leaderboard._switch import ScoreKind, ScoreSwitch
from valuecompass.leaderboard._state import SORT_FIXED, ViewState, parse_state
from valuecompass.leaderboard._views import (
    ProfileOption,
    check_extra_profiles,
    country_source,
    profile_options,
    ranking,
    systems,
    tab_defaults,
)
from valuecompass.metric import ValueProfile
from valuecompass.validity import steering_summary

#: How many example cases a model page shows per value system.
EXAMPLES_PER_SYSTEM = 3


class Site:
    """The store view the pages are rendered from; re-read when the store changes.

    Args:
        reader: The read-only store view.
        method: Estimation method to show (default: the store's most common).
        judge: Judge to show (default: the most common with ``method``).
        profiles: Profiles to offer besides the packaged ones (e.g. custom profile files).
        parent: The main site, when this one shows another kind of scores (under ``scores/<slug>/``).

    Raises:
        ProfileError: if an extra profile's id is taken.
    """

    def __init__(self, reader: StoreReader, method: str | None = None, judge: str | None = None,
                 profiles: Sequence[ValueProfile] = (), parent: Site | None = None) -> None:
        self.parent = parent
        self.reader = reader
        self.method = method
        self.judge = judge
        self.profiles = check_extra_profiles(profiles)
        self._lock = threading.Lock()
        self._signature: tuple[float, ...] | None = None
        self._data: LeaderboardData | None = None
        self._derived: dict[str, Any] = {}

    @property
    def data(self) -> LeaderboardData:
        """The current view model (re-read if the store was written since the last read)."""
        with self._lock:
            signature = self.reader.signature()
            if self._data is None or signature != self._signature:
                self._data = self.reader.load(self.method, self.judge)
                self._signature = signature
                self._derived = {}
            return self._data

    @property
    def switch(self) -> ScoreSwitch:
        """Every kind of scores the store holds, with links to their sites, seen from this one."""
        if self.parent is not None:
            return self.parent.switch.at(f"{self.data.method}@{self.data.judge}")
        return self.derived("switch", lambda d: ScoreSwitch.build((d.method, d.judge), self.reader.kind_models()))

    def other(self, kind: ScoreKind) -> Site:
        """The site of another kind of scores (the main site's own for its kind)."""
        return self if kind.name == self.switch.here else Site(self.reader, kind.method, kind.judge, self.profiles,
                                                               parent=self)

    def derived(self, name: str, compute: Callable[[LeaderboardData], Any]) -> Any:
        """``compute(data)``, cached until the store changes (for the costlier views)."""
        data = self.data
        with self._lock:
            if name not in self._derived:
                self._derived[name] = compute(data)
            return self._derived[name]

    def run_names(self) -> dict[str, str]:
        """File name (without ``.json``) -> run id, for every shown and older run."""
        ids = [rid for m in self.data.models for rid in (m.run.run_id, *m.other_runs)]
        return {run_file(rid): rid for rid in ids}


def _context(site: Site) -> dict[str, Any]:
    return {"site": site.data, "switch": site.switch}


def leaderboard_page(site: Site, query: Mapping[str, str], static: bool = False) -> str:
    """The leaderboard (``index.html``), first rendered in the state ``query`` describes."""
    data, defaults = site.data, tab_defaults(site.profiles)
    state = parse_state(query, defaults)
    system = get_system(state.system)
    profiles = profile_options(state.system, site.profiles)
    groups: dict[str, list] = {}
    for option in profiles:
        groups.setdefault(option.group, []).append(option)
    tabs = [(s, ViewState(s.id, defaults[s.id].profile, dims=defaults[s.id].dims).to_query(defaults[s.id]))
            for s in systems()]
    sort_queries = {key: _sorted(state, key).to_query(defaults[state.system])
                    for key in (*SORT_FIXED, *system.ordered_ids)}
    buttons = [(g.id, g.name, set(g.dimensions) == set(state.dims))
               for g in (Group(id="all", name="All", dimensions=system.ordered_ids), *system.groups)]
    needle, ranked = state.query.lower(), ranking(data, state, site.profiles)
    rows = [r for r in _sort_rows(ranked, state) if needle in r.model.label.lower()]
    return render("index.html", PageMeta("index.html", static), **_context(site), nav="leaderboard",
                  system=system, state=state, rows=rows, tabs=tabs, profile_groups=groups, status=status_text(state, profiles),
                  n_ranked=len(ranked), group_buttons=buttons,
                  dims=[system.dimension(d) for d in system.ordered_ids], sort_queries=sort_queries,
                  n_dims=len(all_dimensions()), payload=leaderboard_payload(data, site.profiles))


def status_text(state: ViewState, profiles: tuple[ProfileOption, ...]) -> str:
    """What the score column means in this state (``static/js/leaderboard.js`` writes the same)."""
    system = get_system(state.system)
    names = [system.dimension(d).short for d in state.dims]
    n_all = len(system.ordered_ids)
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1] if len(names) <= 4 \
        else f"all {n_all} dimensions" if len(names) == n_all else f"{len(names)} of {n_all} dimensions"
    option = next((p for p in profiles if p.id == state.profile), None)
    if option is not None and option.kind == "uniform":
        return f"Score: equal-weight mean of {listed}."
    source = option.label if option is not None else ("your answers" if state.profile == "personal" else
                                                      "custom weights")
    return f"Score: weighted mean of {listed}, weights from {source}."


def _sorted(state: ViewState, key: str) -> ViewState:
    descending = not state.descending if state.sort == key else key not in ("model", "rank")
    return replace(state, sort=key, descending=descending)


def _sort_rows(rows: list, state: ViewState) -> list:
    if state.sort in ("score", "rank"):
        return rows if (state.sort == "score") == state.descending else rows[::-1]
    if state.sort == "model":
        return sorted(rows, key=lambda r: r.model.label.lower(), reverse=state.descending)
    if state.sort == "items":
        return sorted(rows, key=lambda r: r.n_items, reverse=state.descending)
    if state.sort == "measured":
        return sorted(rows, key=lambda r: r.model.measured, reverse=state.descending)
    missing = -1.0 if state.descending else 101.0
    return sorted(rows, key=lambda r: r.model.scores[state.sort].score if state.sort in r.model.scores else missing,
                  reverse=state.descending)


def _examples(site: Site, model: ModelEntry) -> dict[str, list[Case]]:
    """A few judged cases per system, one per dimension, alternating supporting and opposing verdicts."""
    cases = site.reader.cases(model.run.run_id, judge=site.data.judge or None)
    out: dict[str, list[Case]] = {}
    for system in systems():
        picked: list[Case] = []
        for dim in system.ordered_ids:
            judged = [c for c in cases if c.dimension == dim and c.label is not None and c.response]
            want = ("supports", "opposes")[len(picked) % 2]
            match = next((c for c in judged if c.label == want), judged[0] if judged else None)
            if match is not None and len(picked) < EXAMPLES_PER_SYSTEM:
                picked.append(match)
        if picked:
            out[system.id] = picked
    return out


def model_page(site: Site, key: str, static: bool = False) -> str | None:
    """A model's page (``model/<key>.html``), or ``None`` for an unknown key."""
    model = site.data.model(key)
    if model is None:
        return None
    shown = [s for s in systems() if any(d in model.scores for d in s.ordered_ids)]
    summary = steering_summary(model.card.steering) if model.card and model.card.steering else ""
    return render("model.html", PageMeta(f"model/{key}.html", static), **_context(site), nav="leaderboard",
                  model=model, systems=shown, examples=_examples(site, model), run_file=run_file(model.run.run_id),
                  other_runs=[(rid, run_file(rid)) for rid in model.other_runs],
                  dim_names={d.id: d.name for d in all_dimensions()}, payload=model_payload(model, shown),
                  steering_summary=summary)


def drill_page(site: Site, key: str, dim: str, static: bool = False) -> str | None:
    """Every item, response and judgment behind one score (``model/<key>/<dim>.html``)."""
    model = site.data.model(key)
    if model is None or dim not in model.scores:
        return None
    dimension = next(d for d in all_dimensions() if d.id == dim)
    cases = site.reader.cases(model.run.run_id, dimension=dim, judge=site.data.judge or None)
    counts = {name: sum(1 for c in cases if c.label_class == name) for name in ("supports", "unrelated", "opposes",
                                                                                "other", "none")}
    return render("drill.html", PageMeta(f"model/{key}/{dim}.html", static), **_context(site), nav="leaderboard",
                  model=model, dimension=dimension, system=get_system(dimension.system), cell=model.scores[dim],
                  cases=cases, counts=counts, conforming=conforming_rule(dimension.system))


def compare_page(site: Site, static: bool = False) -> str:
    """Up to 5 models on one radar per value system, or one radar each (``compare.html``)."""
    payload = compare_payload(site.data, site.profiles)
    state = parse_state({}, tab_defaults(site.profiles))
    status = status_text(state, profile_options(state.system, site.profiles))
    default_rule = (f"the top {len(payload['default'])} of the leaderboard's default view ({SYSTEM_SHORT[state.system]} "
                    f"tab; {status[0].lower()}{status[1:].rstrip('.')})")
    return render("compare.html", PageMeta("compare.html", static), **_context(site), nav="compare",
                  payload=payload, default_rule=default_rule)


def _verdicts(site: Site, model: ModelEntry) -> dict[Key, Case]:
    """A model's verdict per item by the shown judge (cached until the store changes)."""
    return site.derived(f"verdicts:{model.key}",
                        lambda data: verdicts(site.reader.cases(model.run.run_id, judge=data.judge or None)))


def disagree_page(site: Site, query: Mapping[str, str], static: bool = False) -> str:
    """Where two models' verdicts differ (``disagree.html?a=KEY&b=KEY``; the export's script reads the query)."""
    data = site.data
    a, b = data.model(query.get("a", "")), data.model(query.get("b", ""))
    result = None
    if a is not None and b is not None and a.key != b.key:
        order = [d for s in systems() for d in s.ordered_ids]
        result = disagreements(_verdicts(site, a), _verdicts(site, b), {d: c.score for d, c in a.scores.items()},
                               {d: c.score for d, c in b.scores.items()}, order)
    return render("disagree.html", PageMeta("disagree.html", static), **_context(site), nav="compare",
                  a=a, b=b, result=result, dims={d.id: d for d in all_dimensions()}, payload=disagree_payload(data))


def cases_file(site: Site, key: str) -> str | None:
    """The data file ``data/cases/<key>.js`` the exported disagreement page loads, or ``None`` for an unknown key."""
    model = site.data.model(key)
    return None if model is None else cases_script(key, _verdicts(site, model))


def culture_page(site: Site, static: bool = False) -> str:
    """Models x country profiles heatmap and the PCA value space (``culture.html``)."""
    return render("culture.html", PageMeta("culture.html", static), **_context(site), nav="culture",
                  payload=site.derived("culture", culture_payload))


def test_page(site: Site, static: bool = False) -> str:
    """The personal questionnaire and the models that match it best (``test.html``)."""
    return render("test.html", PageMeta("test.html", static), **_context(site), nav="test",
                  payload=test_payload(site.data))


def methodology_page(site: Site, static: bool = False) -> str:
    """How items, the judge, the estimates and the metric work (``methodology.html``)."""
    sources: dict[tuple[str, str], int] = {}
    for system in systems():
        for option in profile_options(system.id):
            if option.kind == "country":
                key = (option.group.removeprefix("Countries: "), country_source(option.id))
                sources[key] = sources.get(key, 0) + 1
    return render("methodology.html", PageMeta("methodology.html", static), **_context(site), nav="methodology",
                  systems=systems(), country_sources=[(title, cite, n) for (title, cite), n in sources.items()])


def steering_page(site: Site, static: bool = False) -> str:
    """How far each model's scores move under personas that push its values (``steering.html``)."""
    rows = [(m, {r.dimension: r for r in m.card.steering}) for m in site.data.models if m.card and m.card.steering]
    shown = [s for s in systems() if any(d in steer for _, steer in rows for d in s.ordered_ids)]
    return render("steering.html", PageMeta("steering.html", static), **_context(site), nav="steering",
                  rows=rows, systems=shown, summaries={m.key: steering_summary(m.card.steering) for m, _ in rows if m.card},
                  dim_short={d.id: d.short for d in all_dimensions()})
