"""The leaderboard in real headless Chromium: sorting, weights, profiles, pages, downloads, export, XSS.

The browser recomputes scores when the view changes (static/js/metric.js); these tests check
each number it shows against the Python metric for the same URL state.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest

from tests.leaderboard._fill import HOSTILE
from tests.leaderboard.conftest import HOSTILE_SPEC, screenshot
from valuecompass.leaderboard import StoreReader, export_site, parse_state, ranking, tab_defaults
from valuecompass.metric import load_questionnaire, profile_from_answers, spearman

pytestmark = pytest.mark.browser


def table(page) -> list[tuple[str, str, str]]:
    """(model key, rank text, score text) of every shown row."""
    rows = page.eval_on_selector_all(
        "#board-body tr[data-model]",
        "rows => rows.map(r => [r.dataset.model, r.querySelector('.col-rank').textContent,"
        " r.querySelector('.score-num').textContent])")
    return [tuple(r) for r in rows]


def python_table(store: Path, url: str) -> list[tuple[str, str, str]]:
    """The same table computed by the Python metric for the state in ``url``."""
    state = parse_state(dict(parse_qsl(urlsplit(url).query)), tab_defaults())
    rows = ranking(StoreReader(store).load(), state)
    rows = [r for r in rows if state.query.lower() in r.model.label.lower()]
    return [(r.model.key, r.rank_text, f"{r.value:.1f}") for r in rows]


def keys(store: Path) -> dict[str, str]:
    return {m.label: m.key for m in StoreReader(store).load().models}


def test_leaderboard_loads_sorts_and_reranks_with_weights(page, live_server, scripted_store: Path) -> None:
    page.goto(live_server.url)
    k = keys(scripted_store)
    first = table(page)
    assert first[0][0] == k["fake/kind"] and first == python_table(scripted_store, page.url)
    screenshot(page, "leaderboard")

    page.click("#board thead th[data-sort='model'] a")  # sort by name, then reverse it
    names = [r[0] for r in table(page)]
    assert names == sorted(names, key=lambda key: next(lbl for lbl, kk in k.items() if kk == key).lower())
    assert "sort=model" in page.url
    page.click("#board thead th[data-sort='model'] a")
    assert [r[0] for r in table(page)] == names[::-1] and "dir=desc" in page.url

    page.click("#group-buttons button[data-group='self_enhancement']")  # Hedonism, Achievement, Power
    page.click("#board thead th[data-sort='score'] a")
    assert table(page)[0][0] == k["fake/power"]
    assert table(page) == python_table(scripted_store, page.url)

    page.click("#toggle-weights")
    page.locator("#sliders input[data-dim='power']").fill("0")
    page.locator("#sliders input[data-dim='hedonism']").fill("0")
    assert "p=custom" in page.url and "w=" in page.url
    ranked = table(page)  # only Achievement counts now: power 100, kind 25
    assert ranked[0][0] == k["fake/power"] and ranked == python_table(scripted_store, page.url)
    assert page.locator("#sliders input[data-dim='achievement'] ~ .slider-val").text_content() == "100%"
    screenshot(page, "leaderboard-custom-weights")

    page.fill("#search", "kind")
    assert [r[0] for r in table(page)] == [k["fake/kind"]] and "q=kind" in page.url


def test_profiles_tabs_and_shared_links_reproduce_the_view(page, live_server, scripted_store: Path) -> None:
    page.goto(live_server.url + "index.html?sys=mft")
    page.select_option("#profile-select", "mft-jp")
    assert "p=mft-jp" in page.url and table(page) == python_table(scripted_store, page.url)
    shared = page.url
    page.click("#tabs a[data-system='safety']")
    assert "sys=safety" in page.url and len(table(page)) == 4
    page.goto(shared)  # a shared link gives the same view, first rendered by the server
    assert page.locator("#profile-select").input_value() == "mft-jp"
    assert table(page) == python_table(scripted_store, shared)
    js_off = page.context.browser.new_context(java_script_enabled=False)
    try:
        plain = js_off.new_page()
        plain.goto(shared)
        assert table(plain) == table(page)  # server render == browser render
    finally:
        js_off.close()


def test_csv_download_of_the_current_view(page, live_server, scripted_store: Path) -> None:
    page.goto(live_server.url + "index.html?sys=schwartz&dims=power,achievement")
    with page.expect_download() as info:
        page.click("#download-csv")
    download = info.value
    assert download.suggested_filename == "valuecompass-schwartz-uniform-schwartz.csv"
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text(encoding="utf-8"))))
    assert [r["model"] for r in rows][0] == "fake/power" and len(rows) == 4
    assert float(rows[0]["score"]) == 100.0 and float(rows[0]["power"]) == 100.0
    assert {"rank_best", "rank_worst", "se", "ci_low", "ci_high", "self_direction", "universalism"} <= set(rows[0])
    hostile = next(r for r in rows if r["model"] == HOSTILE_SPEC)
    assert float(hostile["score"]) == 25.0
    with page.expect_download() as info:
        page.click("#download-json")
    assert info.value.suggested_filename.endswith(".json")


def test_model_page_radar_provenance_examples(page, live_server, scripted_store: Path) -> None:
    key = keys(scripted_store)["fake/kind"]
    page.goto(live_server.url)
    page.click(f"#board-body tr[data-model='{key}'] .col-model a")
    page.wait_for_url(f"**/model/{key}.html")
    drawn = page.eval_on_selector_all("canvas.radar", "cs => cs.map(c => !!Chart.getChart(c) && c.width > 0)")
    assert drawn == [True, True, True, True]
    assert "run-fake-kind" in page.locator(".provenance").text_content()
    assert page.locator(".case").count() >= 8
    screenshot(page, "model")
    page.click("a[href='fake-kind/care.html']")
    page.wait_for_url("**/model/fake-kind/care.html")
    assert page.locator("#cases .case").count() == 4
    page.click("#label-filter button[data-label='supports']")
    assert page.locator("#cases .case:visible").count() == 4
    screenshot(page, "drilldown")


def test_compare_two_models(page, live_server, scripted_store: Path) -> None:
    k = keys(scripted_store)
    page.goto(live_server.url + "compare.html?m=" + k["fake/kind"])
    page.check(f"#picker-list input[value='{k['fake/power']}']")
    assert page.url.endswith(f"m={k['fake/kind']},{k['fake/power']}")
    series = page.evaluate("Chart.getChart(document.getElementById('radar-schwartz')).data.datasets"
                           ".filter(d => !d.band).map(d => d.label)")
    assert series == ["fake/kind", "fake/power"]
    header = page.eval_on_selector_all("#compare-table thead th", "ths => ths.map(t => t.textContent)")
    assert header == ["Dimension", "fake/kind", "fake/power"]
    screenshot(page, "compare")


def test_culture_and_test_your_values(page, live_server, scripted_store: Path) -> None:
    page.goto(live_server.url + "culture.html")
    assert page.locator("#heatmap tbody tr").count() > 20
    assert page.evaluate("!!Chart.getChart(document.getElementById('space'))")
    page.select_option("#method-select", "align")
    assert "method=align" in page.url
    screenshot(page, "culture")

    q = load_questionnaire("schwartz")
    answers = {item.id: (6 if item.dimension in ("benevolence", "universalism") else 2 + i % 3)
               for i, item in enumerate(q.items)}
    page.goto(live_server.url + "test.html")
    for item_id, value in answers.items():
        page.click(f"#q-schwartz label.likert-opt:has(input[name='{item_id}'][value='{value}'])")
    page.click("#q-schwartz button[type=submit]")
    matches = page.eval_on_selector_all("#matches li[data-model]", "ls => ls.map(l => [l.dataset.model, l.dataset.rho])")
    profile = profile_from_answers(q, answers, name="me")
    data = StoreReader(scripted_store).load()
    expected = sorted(((m.key, spearman([m.scores[d].score for d in profile.dimensions],
                                        [profile.priorities[d] for d in profile.dimensions])) for m in data.models),
                      key=lambda x: -x[1])
    expected = [(key, rho) for key, rho in expected if rho == rho]
    assert [m[0] for m in matches] == [e[0] for e in expected]
    assert [float(m[1]) for m in matches] == pytest.approx([e[1] for e in expected], abs=1e-6)
    link = page.get_attribute("#use-profile", "href")
    state = parse_state(dict(parse_qsl(urlsplit(link).query)), tab_defaults())
    assert state.profile == "personal"
    assert state.weights == pytest.approx(profile.weights, rel=1e-3)
    screenshot(page, "test-your-values")
    page.click("#use-profile")
    page.wait_for_url("**/index.html?*")
    assert table(page)[0][0] == keys(scripted_store)["fake/kind"]


def test_hostile_text_never_executes(page, live_server, scripted_store: Path) -> None:
    key = keys(scripted_store)[HOSTILE_SPEC]
    for path in ("", f"model/{key}.html", f"model/{key}/care.html", f"compare.html?m={key}", "culture.html",
                 "index.html?q=img"):
        page.goto(live_server.url + path)
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("img[src='x']").count() == 0 and page.locator("a[href^='javascript:']").count() == 0
    page.goto(live_server.url + f"model/{key}/care.html")
    assert page.locator(".case .response").first.text_content() == HOSTILE  # shown as text, intact
    page.click(".case .response")
    assert page.evaluate("window.__pwned") is None


def test_static_export_works_from_disk(page, scripted_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    export_site(scripted_store, out)
    outside: list[str] = []  # offline: nothing but the exported files may be requested

    def only_files(route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", only_files)
    page.goto((out / "index.html").as_uri())
    assert table(page)[0][0] == keys(scripted_store)["fake/kind"]
    page.click("#tabs a[data-system='mft']")
    assert "sys=mft" in page.url
    page.click("#board-body tr[data-model] .col-model a")
    page.wait_for_url((out / "model").as_uri() + "/*.html")
    assert page.evaluate("!!Chart.getChart(document.querySelector('canvas.radar'))")
    for name in ("compare.html", "culture.html", "test.html", "methodology.html"):
        page.goto((out / name).as_uri())
        assert page.title().endswith("Value Compass")
    screenshot(page, "methodology")
    assert outside == []


def test_validity_card_and_grades_with_their_explanation(page, live_server, scripted_store: Path) -> None:
    k = keys(scripted_store)
    page.goto(live_server.url)
    grades = page.eval_on_selector_all("#board-body .grade", "els => els.map(e => [e.textContent, e.title])")
    assert grades and all(letter in "ABCD" and title.startswith(f"grade {letter}:") for letter, title in grades)
    assert page.is_visible("#grade-legend")
    page.click("#board thead th[data-sort='model'] a")  # the browser redraws the rows: grades stay
    redrawn = page.eval_on_selector_all("#board-body .grade", "els => els.map(e => e.title)")
    assert sorted(redrawn) == sorted(t for _, t in grades)
    page.goto(live_server.url + f"model/{k['fake/kind']}.html")
    assert page.is_visible("#validity") and "3 of 4" in page.inner_text("#validity")
    power = page.get_attribute(f"a[href='{k['fake/kind']}/power.html'] >> xpath=ancestor::tr//span[contains(@class,'grade')]",
                               "title")
    assert power is not None and "did not separate" in power
    screenshot(page, "model-validity")
    page.goto(live_server.url + "steering.html")
    assert "acquiescence only" in page.inner_text("main") or page.locator("abbr[title='acquiescence only']").count()
