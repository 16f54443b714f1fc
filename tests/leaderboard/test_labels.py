"""What the leaderboard's labels say (no browser): the profile menu and status name the dimensions
really scored, the questionnaire shows its progress, and no note asks a phone user to hover."""

from __future__ import annotations

from pathlib import Path

import pytest

from valuecompass.leaderboard import StoreReader, ViewState
from valuecompass.leaderboard import _pages
from valuecompass.leaderboard._pages import Site, leaderboard_page, status_text
from valuecompass.leaderboard._views import profile_options
from valuecompass.metric import load_questionnaire

SCHWARTZ = ("self_direction", "stimulation", "hedonism", "achievement", "power", "security", "conformity",
            "tradition", "benevolence", "universalism")


@pytest.fixture(scope="module")
def site(scripted_store: Path) -> Site:
    return Site(StoreReader(scripted_store))


def test_menu_label_counts_the_dimensions_used() -> None:
    uniform = profile_options("schwartz")[0]
    assert uniform.menu_label(2, 10) == "Equal weights (2 of 10 dimensions)"
    assert uniform.menu_label(10, 10) == "Equal weights"
    germany = next(o for o in profile_options("schwartz") if o.id == "schwartz-de")
    assert germany.menu_label(9, 10) == "Germany (9 of 10 dimensions)"


def test_status_names_or_counts_the_dimensions() -> None:
    options = profile_options("schwartz")
    two = ViewState("schwartz", "uniform-schwartz", dims=("benevolence", "universalism"))
    assert status_text(two, options) == "Score: equal-weight mean of Benevolence and Universalism."
    assert status_text(ViewState("schwartz", "uniform-schwartz", dims=SCHWARTZ), options) == \
        "Score: equal-weight mean of all 10 dimensions."
    seven = ViewState("schwartz", "schwartz-de", dims=SCHWARTZ[:7])
    assert status_text(seven, options) == "Score: weighted mean of 7 of 10 dimensions, weights from Germany."


def test_the_menu_of_the_first_render_says_what_is_used(site: Site) -> None:
    default = leaderboard_page(site, {})
    assert ">Equal weights (2 of 10 dimensions)</option>" in default
    assert default.count("of 10 dimensions)</option>") == 1  # only the chosen entry carries the count
    every = leaderboard_page(site, {"dims": ",".join(SCHWARTZ)})
    assert ">Equal weights</option>" in every and "dimensions)</option>" not in every
    germany = leaderboard_page(site, {"p": "schwartz-de", "dims": "power,security,benevolence"})
    assert ">Germany (3 of 10 dimensions)</option>" in germany


def test_notes_work_on_touch_screens(site: Site) -> None:
    html = leaderboard_page(site, {})
    assert "tap" in html
    assert "hover over" not in html.lower()


def test_questionnaire_has_a_progress_meter(site: Site) -> None:
    html = _pages.test_page(site)  # imported as a module, or pytest would collect it as a test
    n = len(load_questionnaire("schwartz").items)
    assert f'<progress max="{n}" value="0"' in html and f"0 of {n} answered" in html
