"""The JSON each page embeds for its script (``<script type="application/json" id="vc-data">``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from valuecompass.frameworks import ValueSystem
from valuecompass.leaderboard._model import LeaderboardData, ModelEntry
from valuecompass.leaderboard._render import PATH_NAMES, SYSTEM_SHORT
from valuecompass.leaderboard._state import parse_state
from valuecompass.leaderboard._views import (
    HEATMAP_METHODS,
    country_profiles,
    heatmap,
    profile_options,
    ranking,
    space,
    systems,
    tab_defaults,
)
from valuecompass.metric import DEFAULT_TEMPERATURE, QUESTIONNAIRE_SYSTEMS, Z95, ValueProfile, load_questionnaire
from valuecompass.metric import portraits_json


def _r(x: float) -> float:
    return round(float(x), 3)


def system_json(system: ValueSystem) -> dict[str, Any]:
    """A value system's names, dimensions (in display order) and groups."""
    return {"id": system.id, "name": system.name, "short": SYSTEM_SHORT[system.id], "meaning": system.score_meaning,
            "dims": [{"id": d, "name": system.dimension(d).name, "short": system.dimension(d).short}
                     for d in system.ordered_ids],
            "groups": [{"id": g.id, "name": g.name, "dims": list(g.dimensions)} for g in system.groups]}


def model_json(model: ModelEntry) -> dict[str, Any]:
    """A model's key, label, spec, card and scores as ``dim: [score, se, low, high, n_items, grade, grade in words]``."""
    c = model.model_card
    card = {"developer": c.developer or "", "weights": c.weights or "",
            "released": c.release_date.isoformat() if c.release_date else ""} if c else {}
    return {"key": model.key, "label": model.label, "spec": model.run.model_spec, "status": model.run.status,
            "measured": model.measured, "card": card,
            "scores": {d: [_r(c.score), _r(c.se), _r(c.low), _r(c.high), c.n_items, c.grade, c.grade_text]
                       for d, c in model.scores.items()}}


def leaderboard_payload(data: LeaderboardData, extra: Sequence[ValueProfile] = ()) -> dict[str, Any]:
    """Systems, models, the base profiles (packaged and ``extra``) and default view of every tab."""
    defaults = tab_defaults(extra)
    return {
        "page": "leaderboard", "z": Z95,
        "systems": [system_json(s) for s in systems()],
        "models": [model_json(m) for m in data.models],
        "profiles": {s.id: [{"id": p.id, "name": p.name, "kind": p.kind, "group": p.group, "label": p.label,
                             "weights": {d: round(w, 6) for d, w in p.weights.items()}}
                            for p in profile_options(s.id, extra)] for s in systems()},
        "defaults": {sid: {"profile": d.profile, "dims": list(d.dims)} for sid, d in defaults.items()},
    }


def model_payload(model: ModelEntry, shown: list[ValueSystem]) -> dict[str, Any]:
    """One model's scores and the systems it has scores on (for the radar charts)."""
    return {"page": "model", "systems": [system_json(s) for s in shown], "model": model_json(model)}


def default_pool(data: LeaderboardData, extra: Sequence[ValueProfile] = (), n: int = 3) -> list[str]:
    """The compare page's pool when none is chosen or stored: the top ``n`` of the leaderboard's default view."""
    state = parse_state({}, tab_defaults(extra))
    return [r.model.key for r in ranking(data, state, extra)[:n]]


def compare_payload(data: LeaderboardData, extra: Sequence[ValueProfile] = ()) -> dict[str, Any]:
    """Every model's scores, for up to 5 on one radar per system (or one each), and the default pool."""
    return {"page": "compare", "max": 5, "systems": [system_json(s) for s in systems()],
            "models": [model_json(m) for m in data.models], "default": default_pool(data, extra)}


def disagree_payload(data: LeaderboardData) -> dict[str, Any]:
    """Models (key, label, scores rounded as in :func:`model_json`), systems, and where the case files lie."""
    return {"page": "disagree", "cases": "data/cases/", "paths": PATH_NAMES,
            "systems": [system_json(s) for s in systems()],
            "models": [{"key": m.key, "label": m.label, "scores": {d: _r(c.score) for d, c in m.scores.items()}}
                       for m in data.models]}


def culture_payload(data: LeaderboardData) -> dict[str, Any]:
    """Heatmaps (every method) and value spaces of the systems that have country profiles."""
    out: dict[str, Any] = {"page": "culture", "systems": [], "heatmaps": {}, "spaces": {},
                           "labels": {m.key: m.label for m in data.models}, "profiles": {}}
    for system in systems():
        maps = {method: heatmap(data, system.id, method) for method in HEATMAP_METHODS}
        if not any(maps.values()):
            continue
        out["systems"].append(system_json(system))
        out["heatmaps"][system.id] = maps
        out["spaces"][system.id] = space(data, system.id)
        out["profiles"][system.id] = {p.id: p.name for p in country_profiles(system.id)}
    return out


def test_payload(data: LeaderboardData) -> dict[str, Any]:
    """The packaged questionnaires, the softmax temperature, and the models' scores."""
    questionnaires = []
    for sid in QUESTIONNAIRE_SYSTEMS:
        q = load_questionnaire(sid)
        questionnaires.append({
            "id": q.id, "name": q.name, "version": q.version, "system": q.system, "centring": q.centring,
            "terms": q.terms, "min": q.scale_range[0], "max": q.scale_range[1],
            "parts": [{"id": p.id, "instructions": p.instructions, "question": p.question,
                       "labels": list(p.scale.labels)} for p in q.parts],
            "items": [{"id": i.id, "part": i.part, "dimension": i.dimension, "text": i.text, "reverse": i.reverse}
                      for i in q.items],
        })
    return {"page": "test", "temperature": DEFAULT_TEMPERATURE, "questionnaires": questionnaires,
            "portraits": portraits_json(),
            "systems": [system_json(s) for s in systems() if s.id in QUESTIONNAIRE_SYSTEMS],
            "models": [model_json(m) for m in data.models]}

