"""The value portrait (the "persona" text) after "Test your values", in real headless Chromium.

The browser builds it in static/js/portrait.js from the words embedded in the page; these tests
check that it is the text :func:`valuecompass.metric.value_portrait` gives for the same answers,
and that it is inserted as text, never as HTML.
"""

from __future__ import annotations

import numpy as np
import pytest

from tests.leaderboard.conftest import screenshot
from valuecompass.leaderboard import _payload
from valuecompass.metric import load_questionnaire, portraits_json, profile_from_answers, value_portrait

pytestmark = pytest.mark.browser


def shown(page) -> tuple[str, str, str]:
    """(title, text, top dimensions) of the portrait on the page."""
    page.wait_for_selector("#results:not([hidden])")
    return (page.text_content("#portrait-title"), page.text_content("#portrait-text"),
            page.get_attribute("#portrait", "data-dims"))


def expected(system: str, answers: dict[str, int]) -> tuple[str, str, str]:
    portrait = value_portrait(profile_from_answers(load_questionnaire(system), answers, name="me"))
    return portrait.title, portrait.text, ",".join(portrait.dimensions)


def test_portrait_after_filling_the_questionnaire(page, live_server) -> None:
    q = load_questionnaire("schwartz")
    answers = {item.id: (6 if item.dimension in ("security", "achievement") else 5 if item.dimension == "power"
                         else 2 + i % 3) for i, item in enumerate(q.items)}
    page.goto(live_server.url + "test.html")
    assert page.is_hidden("#results")
    for item_id, value in answers.items():
        page.click(f"#q-schwartz label.likert-opt:has(input[name='{item_id}'][value='{value}'])")
    page.click("#q-schwartz button[type=submit]")
    title, text, dims = shown(page)
    assert (title, text, dims) == expected("schwartz", answers)
    assert dims.split(",")[:2] == ["achievement", "security"] and "security" in text
    assert page.evaluate("document.querySelectorAll('#portrait-title *, #portrait-text *').length") == 0
    screenshot(page, "test-your-values-portrait")


def test_browser_and_python_agree_on_many_answer_sets(page, live_server) -> None:
    rng = np.random.default_rng(15)
    for system in ("schwartz", "mft", "schwartz", "mft", "schwartz", "mft"):
        q = load_questionnaire(system)
        lo, hi = q.scale_range
        values = rng.integers(lo, hi + 1, size=len(q.items))
        if rng.random() < 0.5:  # many ties: only two answer levels
            values = np.where(values > (lo + hi) / 2, hi, lo)
        answers = {item.id: int(v) for item, v in zip(q.items, values)}
        page.goto(live_server.url + f"test.html?q={system}&a=" + "".join(str(answers[i.id]) for i in q.items))
        assert shown(page) == expected(system, answers), (system, answers)


def test_portrait_words_are_inserted_as_text(page, live_server, monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = portraits_json()
    words = hostile["mft"]["words"]
    words["care"] = {"name": "<b>care</b>", "trait": "<i>kind</i>",
                     "sentence": '<img src=x onerror="window.__pwned=5">'}
    monkeypatch.setattr(_payload, "portraits_json", lambda: hostile)  # the server renders each page anew
    q = load_questionnaire("mft")
    digits = "".join("5" if item.dimension == "care" else "1" for item in q.items)
    page.goto(live_server.url + f"test.html?q=mft&a={digits}")
    title, text, dims = shown(page)
    assert title.startswith("<i>kind</i> and ") and "<b>care</b>" in text
    assert '<img src=x onerror="window.__pwned=5">' in text and dims.startswith("care,")
    assert page.locator("#portrait b, #portrait i, #portrait img, img[src='x']").count() == 0
    assert page.evaluate("window.__pwned") is None
