"""Model cards, medals and the date filter in real headless Chromium, checked against the Python views."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.leaderboard.conftest import LiveServer, screenshot, start_server
from tests.leaderboard.test_browser import python_table, table
from tests.leaderboard.test_cards import card_store  # noqa: F401 - the module's store fixture

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def card_server(card_store: Path) -> Iterator[LiveServer]:  # noqa: F811
    server = start_server(card_store)
    yield server
    server.stop()


def cells(page, cls: str) -> list[str]:
    return page.eval_on_selector_all(f"#board-body td.{cls}", "tds => tds.map(t => t.textContent.trim())")


def test_cards_medals_and_dates_in_the_table(page, card_server: LiveServer, card_store: Path) -> None:  # noqa: F811
    page.goto(card_server.url + "index.html?sys=mft")
    assert table(page) == python_table(card_store, page.url)
    assert cells(page, "col-dev") == ["Alibaba", "<script>x()</script> Labs", ""]
    assert cells(page, "col-type") == ["open", "open", ""]
    assert cells(page, "col-measured") == ["2026-01-10", "2026-06-01", "2026-11-30"]
    assert page.eval_on_selector("#board-body tr:first-child .col-model a", "a => a.title").startswith("gguf/very")
    medals = page.eval_on_selector_all("#board-body .medal", "ms => ms.map(m => m.className)")
    assert medals and medals[0] == "medal medal-1"
    assert page.evaluate("window.__pwned") is None
    screenshot(page, "leaderboard-cards")

    page.fill("#date-from", "2026-05-01")  # the browser re-ranks among the models measured since then
    page.dispatch_event("#date-from", "change")
    assert "from=2026-05-01" in page.url
    assert table(page) == python_table(card_store, page.url)
    assert cells(page, "col-measured") == ["2026-06-01", "2026-11-30"]
    assert table(page)[0][1] == "1"
    page.click("#date-clear")
    assert "from=" not in page.url and len(table(page)) == 3

    page.goto(card_server.url + "index.html?sys=mft&to=2026-06-30&sort=measured&dir=asc")  # first render
    assert cells(page, "col-measured") == ["2026-01-10", "2026-06-01"]
    assert page.input_value("#date-to") == "2026-06-30"
    page.click("#tabs [data-system='schwartz']")  # the filter stays across tabs
    assert "to=2026-06-30" in page.url and len(table(page)) == 2


def test_model_page_shows_the_card_with_safe_links(page, card_server: LiveServer) -> None:
    page.goto(card_server.url + "index.html?sys=mft")
    page.click("#board-body tr:nth-child(2) .col-model a")  # the hostile card
    card = page.text_content("#model-card")
    assert "<script>x()</script> Labs" in card and "released 2025-03-01" in card and "fake/evil" in card
    links = page.eval_on_selector_all("#model-card a", "as => as.map(a => [a.textContent, a.href, a.rel])")
    assert links == [["Website", 'https://example.org/?a=%3Cb%3E&c=%22d%22', "noopener noreferrer"],
                     ["Report", "http://example.org/report", "noopener noreferrer"]]
    assert page.evaluate("window.__pwned") is None
    assert page.text_content("h1") == '<img src=x onerror="window.__pwned=9">Evil'  # shown as text
    assert page.eval_on_selector("h1", "h => h.children.length") == 0
