"""Ranking, rank ranges, heatmap and value space, checked against the metric API."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.leaderboard.conftest import HOSTILE_SPEC
from valuecompass.leaderboard import StoreReader, ViewState, rank_ranges, ranking, state_weights, tab_defaults
from valuecompass.leaderboard._views import heatmap, profile_options, space
from valuecompass.metric import DimScore, get_profile, weighted_alignment


@pytest.fixture(scope="module")
def data(scripted_store: Path):
    return StoreReader(scripted_store).load()


def test_default_ranking_puts_the_kind_model_first(data) -> None:
    rows = ranking(data, ViewState("schwartz", "uniform-schwartz", dims=("benevolence", "universalism")))
    assert [r.model.label for r in rows][0] == "fake/kind"
    assert rows[0].value == 100.0 and rows[0].rank_best == 1
    assert [r.value for r in rows] == sorted((r.value for r in rows), reverse=True)


def test_weights_on_power_reverse_the_ranking(data) -> None:
    rows = ranking(data, ViewState("schwartz", "custom", weights={"power": 1.0, "achievement": 1.0},
                                   dims=("power", "achievement")))
    assert rows[0].model.label == "fake/power" and rows[-1].model.label in ("fake/kind", HOSTILE_SPEC)
    kind = next(r for r in rows if r.model.label == "fake/kind")
    assert kind.value == pytest.approx(12.5)


def test_each_row_equals_the_metric_for_a_country_profile(data) -> None:
    profile = get_profile("schwartz-de")
    dims = tuple(profile.weights)
    rows = ranking(data, ViewState("schwartz", "schwartz-de", dims=dims))
    for row in rows:
        scores = {d: DimScore(c.score, c.se) for d, c in row.model.scores.items()}
        expected = weighted_alignment(scores, profile.weights)
        assert (row.value, row.se, row.low, row.high) == pytest.approx(
            (expected.value, expected.se, expected.low, expected.high))


def test_selected_dimensions_renormalise_the_profile_weights() -> None:
    weights = state_weights(ViewState("schwartz", "schwartz-de", dims=("power", "security")))
    de = get_profile("schwartz-de").weights
    assert weights is not None and sum(weights.values()) == pytest.approx(1.0)
    assert weights["power"] == pytest.approx(de["power"] / (de["power"] + de["security"]))
    assert weights["universalism"] == 0.0
    assert state_weights(ViewState("schwartz", "custom", weights={"power": 1.0}, dims=("security",))) is None


def test_rank_ranges() -> None:
    assert rank_ranges([]) == []
    assert rank_ranges([(90, 95), (10, 20)]) == [(1, 1), (2, 2)]
    assert rank_ranges([(70, 80), (60, 75), (10, 20)]) == [(1, 2), (1, 2), (3, 3)]
    assert rank_ranges([(50, 50), (50, 50)]) == [(1, 2), (1, 2)]


def test_partial_models_are_marked(tmp_path: Path) -> None:
    from tests.leaderboard._fill import ScriptedModel, fill_store

    path = fill_store(tmp_path / "s.sqlite", [ScriptedModel("fake/a", 0.5, unscored=("power",))], per_dim=2)
    [row] = ranking(StoreReader(path).load(), ViewState("schwartz", "uniform-schwartz",
                                                        dims=("power", "security")))
    assert row.missing == ("power",) and row.value == 50.0 and row.n_items == 2


def test_profile_menu_offers_uniform_then_countries() -> None:
    options = profile_options("schwartz")
    assert options[0].id == "uniform-schwartz" and options[0].label == "Equal weights"
    germany = next(o for o in options if o.id == "schwartz-de")
    assert germany.label == "Germany" and germany.group.startswith("Countries: ")
    assert not any(o.id == "uniform-self_transcendence" for o in options)  # offered as a group button
    assert tab_defaults()["mft"].dims == ("care", "fairness", "loyalty", "authority", "sanctity")


def test_heatmap_and_space_shapes(data) -> None:
    hm = heatmap(data, "schwartz", "spearman")
    assert hm is not None and len(hm["values"]) == len(data.models) and len(hm["values"][0]) == len(hm["profiles"])
    hostile_row = hm["values"][hm["models"].index(next(m.key for m in data.models if m.label == HOSTILE_SPEC))]
    assert all(v is None for v in hostile_row)  # constant scores have no ranking
    assert heatmap(data, "safety", "spearman") is None  # no country profiles for safety
    sp = space(data, "schwartz")
    assert sp is not None and {p["kind"] for p in sp["points"]} == {"model", "profile"}
    assert 0 < sum(sp["explained"]) <= 1.0 + 1e-9
