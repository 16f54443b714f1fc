"""The culture page's value space: left-out models, closest countries in words, PCA and t-SNE."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.leaderboard._fill import ScriptedModel, fill_store
from tests.leaderboard.conftest import HOSTILE_SPEC, SCRIPTED
from valuecompass.frameworks import get_system
from valuecompass.leaderboard import StoreReader
from valuecompass.leaderboard._payload import culture_payload
from valuecompass.leaderboard._views import country_profiles, space

#: The scripted models and one without an estimate on Tradition (Schwartz) and Care/Harm (MFT).
GAPPY = ScriptedModel("fake/gappy", 0.5, {"power": 1.0, "hedonism": 0.75}, unscored=("tradition", "care"))
MAP_MODELS = [*SCRIPTED, GAPPY]


@pytest.fixture(scope="session")
def map_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of :data:`MAP_MODELS` (the browser test of the map serves it too)."""
    return fill_store(tmp_path_factory.mktemp("map-store") / "store.sqlite", MAP_MODELS)


@pytest.fixture(scope="module")
def data(map_store: Path):
    return StoreReader(map_store).load()


def _key(data, label: str) -> str:
    return next(m.key for m in data.models if m.label == label)


def test_a_model_missing_a_dimension_is_listed_with_what_it_lacks(data) -> None:
    for system, lacks in (("schwartz", ["Tradition"]), ("mft", [get_system("mft").dimension("care").name])):
        sp = space(data, system)
        assert sp is not None
        gappy = _key(data, "fake/gappy")
        assert sp["left_out"] == [{"id": gappy, "missing": lacks, "all": False}]
        assert gappy not in {p["id"] for p in sp["points"]}
        assert {p["id"] for p in sp["points"] if p["kind"] == "model"} == {m.key for m in data.models} - {gappy}


def test_closest_countries_are_the_best_correlated_in_the_original_dimensions(data) -> None:
    sp = space(data, "schwartz")
    dims = get_system("schwartz").ordered_ids
    profiles = country_profiles("schwartz")
    for label in ("fake/kind", "fake/power", "fake/middle"):
        model = next(m for m in data.models if m.label == label)
        point = next(p for p in sp["points"] if p["id"] == model.key)
        scores = np.array([model.scores[d].score for d in dims])
        # Independently of the projection: Pearson r of raw scores and raw priorities.
        r = {p.id: float(np.corrcoef(scores, [p.priorities[d] for d in dims])[0, 1]) for p in profiles}
        best = sorted(r, key=lambda pid: -r[pid])[:3]
        assert [n["id"] for n in point["near"]] == best, label
        assert [n["r"] for n in point["near"]] == pytest.approx([r[pid] for pid in best], abs=1e-3)
    hostile = next(p for p in sp["points"] if p["id"] == _key(data, HOSTILE_SPEC))
    assert hostile["near"] == []  # equal scores everywhere: no pattern, no closest country
    assert all("near" not in p for p in sp["points"] if p["kind"] == "profile")


def test_both_maps_are_computed_and_the_same_store_draws_the_same_map(data) -> None:
    a, b = space(data, "schwartz"), space(data, "schwartz")
    assert a == b
    n = len(a["points"])
    assert a["tsne"] == {"perplexity": pytest.approx((n - 1) / 3, abs=1e-3), "seed": 0} and a["tsne_note"] == ""
    assert a["tsne"]["perplexity"] < n
    assert all(isinstance(p["tx"], float) and isinstance(p["ty"], float) for p in a["points"])
    assert 0 < a["explained"][0] <= 1 and len(a["explained"]) == 2
    mft = space(data, "mft")
    assert mft["tsne"]["perplexity"] == pytest.approx((len(mft["points"]) - 1) / 3, abs=1e-3)


def test_the_culture_payload_carries_the_map_as_json(data) -> None:
    payload = json.loads(json.dumps(culture_payload(data)))
    assert set(payload["spaces"]) == {"schwartz", "mft"}
    assert payload["spaces"]["schwartz"]["left_out"][0]["missing"] == ["Tradition"]
    assert HOSTILE_SPEC in payload["labels"].values()


def test_without_scikit_learn_the_page_keeps_pca_and_says_why(data, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "sklearn.manifold", None)
    sp = space(data, "mft")
    assert sp["tsne"] is None and "scikit-learn" in sp["tsne_note"]
    assert all("tx" not in p for p in sp["points"]) and sp["points"][0]["x"] is not None
