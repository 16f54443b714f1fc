"""The view state in the URL: tolerant parsing and a query string that round-trips."""

from __future__ import annotations

from urllib.parse import parse_qsl

import pytest

from valuecompass.frameworks import get_system
from valuecompass.leaderboard import ViewState, parse_state, tab_defaults
from valuecompass.leaderboard._state import parse_weights


def _roundtrip(state: ViewState) -> ViewState:
    defaults = tab_defaults()
    return parse_state(dict(parse_qsl(state.to_query(defaults[state.system]))), defaults)


def test_empty_query_is_the_schwartz_default_view() -> None:
    state = parse_state({}, tab_defaults())
    assert state.system == "schwartz" and state.profile == "uniform-schwartz"
    assert state.dims == ("benevolence", "universalism")  # the original site's default: Self-transcendence
    assert (state.sort, state.descending, state.query) == ("score", True, "")
    assert state.to_query(tab_defaults()["schwartz"]) == "sys=schwartz"


@pytest.mark.parametrize("state", [
    ViewState("schwartz", "schwartz-de", dims=("power", "security", "universalism"), sort="power", descending=False),
    ViewState("mft", "custom", weights={"care": 3.0, "fairness": 0.5}, dims=("care", "fairness", "loyalty"),
              sort="model", descending=True, query="qwen 2.5"),
    ViewState("safety", "uniform-safety", dims=tuple(tab_defaults()["safety"].dims), sort="rank", descending=False),
    ViewState("llm_values", "personal", weights={"social": 0.25, "ethical": 0.75},
              dims=tuple(tab_defaults()["llm_values"].dims)),
])
def test_states_round_trip_through_the_query_string(state: ViewState) -> None:
    assert _roundtrip(state) == state


def test_bad_values_fall_back_to_safe_values() -> None:
    defaults = tab_defaults()
    state = parse_state({"sys": "nope", "p": "no-such-profile", "dims": "zzz", "sort": "evil", "dir": "sideways"},
                        defaults)
    assert (state.system, state.profile, state.sort, state.descending) == ("schwartz", "uniform-schwartz", "score", True)
    assert state.dims == get_system("schwartz").ordered_ids  # no valid dimension chosen: show them all
    assert parse_state({}, defaults).dims == defaults["schwartz"].dims  # none asked for: the tab's default
    custom = parse_state({"sys": "mft", "p": "custom", "w": "care:-1,zzz:4,fairness:abc"}, defaults)
    assert custom.profile == "uniform-mft" and custom.weights == {}  # no valid weight left
    assert parse_state({"q": "x" * 500}, defaults).query == "x" * 200


def test_a_profile_of_another_system_is_refused() -> None:
    state = parse_state({"sys": "mft", "p": "schwartz-de"}, tab_defaults())
    assert state.profile == "uniform-mft"


def test_parse_weights_drops_bad_entries() -> None:
    dims = ("care", "fairness", "loyalty")
    assert parse_weights("care:2,fairness:0,loyalty:1e9,care2:1,:3,fairness", dims) == {
        "care": 2.0, "fairness": 0.0, "loyalty": 1e6}
    assert parse_weights("care:nan,fairness:inf", dims) == {}
