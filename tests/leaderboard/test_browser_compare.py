"""The compare page and the disagreement view in real headless Chromium, served and from disk.

Layouts and bands, gaps for missing dimensions, the pool kept in localStorage and the URL, the
default pool (top 3 of the default ranking), and where two models disagree: the count checked
against the store's cases, hostile text shown as text, the same items served and exported.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.leaderboard._fill import HOSTILE, ScriptedModel, fill_store
from tests.leaderboard.conftest import HOSTILE_SPEC, SCRIPTED, LiveServer, screenshot, start_server
from tests.leaderboard.test_disagree import expected_differences
from valuecompass.leaderboard import StoreReader, export_site, parse_state, ranking, tab_defaults

pytestmark = pytest.mark.browser

GAPPY = ScriptedModel("fake/gappy", 0.6, {"care": 0.0}, unscored=("power", "security", "care"))


@pytest.fixture(scope="module")
def gap_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scripted models, one without scores on Power, Security and Care, and a sixth (more than a pool holds)."""
    return fill_store(tmp_path_factory.mktemp("lb-gaps") / "store.sqlite",
                      [*SCRIPTED, GAPPY, ScriptedModel("fake/late", 0.1)])


@pytest.fixture(scope="module")
def gap_server(gap_store: Path) -> Iterator[LiveServer]:
    server = start_server(gap_store)
    yield server
    server.stop()


def keys(store: Path) -> dict[str, str]:
    return {m.label: m.key for m in StoreReader(store).load().models}


def top3(store: Path) -> list[str]:
    return [r.model.key for r in ranking(StoreReader(store).load(), parse_state({}, tab_defaults()))][:3]


def pool(page) -> list[str]:
    """The pool as the page stored it in localStorage."""
    return page.evaluate("JSON.parse(localStorage.getItem('valuecompass.compare.pool'))")


def checked(page) -> set[str]:
    return set(page.eval_on_selector_all("#picker-list input:checked", "bs => bs.map(b => b.value)"))


def test_layouts_and_bands_toggle_with_the_state_in_the_url(page, gap_server: LiveServer, gap_store: Path) -> None:
    k = keys(gap_store)
    chosen = [k["fake/kind"], k["fake/power"], k["fake/gappy"]]
    page.goto(gap_server.url + "compare.html?m=" + ",".join(chosen))
    assert page.locator("#compare-charts .multiples canvas").count() == 0
    overlay = "Chart.getChart(document.getElementById('radar-schwartz')).data.datasets"
    assert page.evaluate(f"{overlay}.filter(d => d.band).length") == 6
    page.click("#compare-controls button[data-view='multiples']")
    assert "view=multiples" in page.url
    assert page.locator(".system-card[data-system='schwartz'] .multiples canvas").count() == 3
    assert page.locator(".system-card[data-system='mft'] .multiples canvas").count() == 3
    assert page.is_hidden("#radar-schwartz")
    assert page.evaluate("[...document.querySelectorAll('.multiples canvas')].every(c => !!Chart.getChart(c))")
    labels = page.eval_on_selector_all(".system-card[data-system='schwartz'] .multiple figcaption",
                                       "fs => fs.map(f => f.textContent)")
    assert labels == ["fake/kind", "fake/power", "fake/gappy"]
    screenshot(page, "compare-multiples")
    page.uncheck("#bands-toggle")
    assert "bands=off" in page.url
    assert page.evaluate("[...document.querySelectorAll('.multiples canvas')]"
                         ".every(c => Chart.getChart(c).data.datasets.every(d => !d.band))")
    page.reload()  # the URL alone restores the view
    assert page.locator(".system-card[data-system='schwartz'] .multiples canvas").count() == 3
    assert not page.is_checked("#bands-toggle")
    page.click("#compare-controls button[data-view='overlay']")
    assert "view=" not in page.url and page.evaluate(f"{overlay}.filter(d => d.band).length") == 0
    page.check("#bands-toggle")
    assert "bands" not in page.url and page.evaluate(f"{overlay}.filter(d => d.band).length") == 6


def test_missing_dimensions_are_gaps_with_a_note(page, gap_server: LiveServer, gap_store: Path) -> None:
    k = keys(gap_store)
    page.goto(gap_server.url + f"compare.html?m={k['fake/kind']},{k['fake/gappy']}")
    note = page.text_content("#gaps-schwartz")
    assert note is not None and "fake/gappy: no score on Power, Security" in note and "fake/kind" not in note
    assert "fake/gappy: no score on Care" in (page.text_content("#gaps-mft") or "")
    assert page.is_hidden("#gaps-safety")
    ds = page.evaluate("(() => { const c = Chart.getChart(document.getElementById('radar-schwartz'));"
                       " const d = c.data.datasets.find(d => d.label === 'fake/gappy');"
                       " return {labels: c.data.labels, data: d.data, spanGaps: d.spanGaps}; })()")
    power = ds["labels"].index("Power")
    assert ds["data"][power] is None and ds["spanGaps"] is False  # a gap, not a 0 nor a line across
    assert all(v is not None for i, v in enumerate(ds["data"]) if ds["labels"][i] not in ("Power", "Security"))
    page.click("#compare-controls button[data-view='multiples']")
    axes = page.evaluate("Chart.getChart(document.querySelector(\".system-card[data-system='schwartz']"
                         " canvas[data-model='" + k["fake/gappy"] + "']\")).data.labels")
    assert "Power (no score)" in axes and "Benevolence" in axes
    screenshot(page, "compare-gaps")
    page.goto(gap_server.url + f"model/{k['fake/gappy']}.html")
    assert page.text_content("#gaps-schwartz") == "Gaps in the outline: no score on Power, Security."
    assert page.evaluate("Chart.getChart(document.getElementById('radar-schwartz')).data.datasets"
                         ".filter(d => !d.band).every(d => d.spanGaps === false)")


def test_pool_defaults_to_top3_is_kept_and_compare_adds(page, gap_server: LiveServer, gap_store: Path) -> None:
    k, top = keys(gap_store), top3(gap_store)
    assert top != sorted(k.values())[:3]
    page.goto(gap_server.url + "compare.html")
    assert checked(page) == set(top) and pool(page) == top
    assert "top 3 of the leaderboard's default view" in (page.text_content("#pool-note") or "")
    extra = next(key for key in k.values() if key not in top)
    page.goto(gap_server.url + f"model/{extra}.html")
    page.click("#compare-add")
    page.wait_for_url("**/compare.html?*")
    assert pool(page) == [*top, extra] and checked(page) == {*top, extra}
    assert "add=" not in page.url and page.url.endswith("m=" + ",".join([*top, extra]))
    page.uncheck(f"#picker-list input[value='{top[0]}']")
    page.goto(gap_server.url + "index.html")
    page.click(".mainnav a[href$='compare.html']")
    page.wait_for_url("**/compare.html*")
    assert checked(page) == {*top[1:], extra} and pool(page) == [*top[1:], extra]
    page.goto(gap_server.url + f"model/{top[1]}.html")  # already in the pool: not doubled
    page.click("#compare-add")
    page.wait_for_url("**/compare.html?*")
    assert pool(page) == [*top[1:], extra]
    rest = [key for key in k.values() if key not in pool(page)]
    for key in rest:  # fill past 5: the oldest leaves
        page.goto(gap_server.url + f"compare.html?add={key}")
    assert len(pool(page)) == 5 and pool(page)[-1] == rest[-1]
    pairs = page.eval_on_selector_all("#pair-links a", "as => as.map(a => a.getAttribute('href'))")
    assert len(pairs) == 10 and all(p.startswith("disagree.html?a=") for p in pairs)


def test_disagreements_served_count_and_hostile_text(page, live_server: LiveServer, scripted_store: Path) -> None:
    k = keys(scripted_store)
    a, b = k[HOSTILE_SPEC], k["fake/kind"]
    differing, shared = expected_differences(scripted_store, a, b)
    page.goto(live_server.url + f"model/{a}.html")
    page.select_option("#disagree-b", b)
    page.click("#disagree-with button[type=submit]")
    page.wait_for_url("**/disagree.html?*")
    assert page.locator(".disagree-case").count() == differing
    assert page.text_content("#disagree-summary strong") == f"{differing} of {shared} shared items differ"
    assert page.locator(".disagree-case .side-a .response").first.text_content() == HOSTILE
    assert page.locator(".disagree-case .side-b .response").count() == differing
    assert page.locator(".disagree-case .side-a .side-name").first.text_content() == HOSTILE_SPEC
    assert page.evaluate("window.__pwned") is None
    assert page.locator("img[src='x']").count() == 0 and page.locator("a[href^='javascript:']").count() == 0
    gaps = [float(t.rsplit("gap ", 1)[1].split(" ")[0]) for t in page.eval_on_selector_all(
        ".disagree-gap", "ps => ps.map(p => p.textContent)") if "gap \u2013" not in t]
    assert gaps == sorted(gaps, reverse=True)
    screenshot(page, "disagree")


def test_disagreements_from_the_export_on_disk(page, live_server: LiveServer, scripted_store: Path,
                                               tmp_path: Path) -> None:
    k = keys(scripted_store)
    out = tmp_path / "site"
    export_site(scripted_store, out)
    outside: list[str] = []

    def only_files(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    served = {}
    for a, b in ((k["fake/power"], k["fake/kind"]), (k[HOSTILE_SPEC], k["fake/middle"])):
        page.goto(live_server.url + f"disagree.html?a={a}&b={b}")
        served[a, b] = (page.eval_on_selector_all(".disagree-dim", "ss => ss.map(s => s.dataset.dimension)"),
                        page.eval_on_selector_all(".disagree-case", "cs => cs.map(c => c.dataset.item)"),
                        page.text_content("#disagree-summary"), page.text_content("#disagree-only"))
    page.route("**/*", only_files)
    page.goto((out / "compare.html").as_uri() + f"?m={k['fake/power']},{k['fake/kind']}")
    page.click("#pair-links a")
    page.wait_for_selector(".disagree-case")
    for (a, b), (dims, items, summary, only) in served.items():
        page.goto((out / "disagree.html").as_uri() + f"?a={a}&b={b}")
        page.wait_for_selector("#disagree-only")
        differing, _ = expected_differences(scripted_store, a, b)
        assert len(items) == differing
        assert page.eval_on_selector_all(".disagree-dim", "ss => ss.map(s => s.dataset.dimension)") == dims
        assert page.eval_on_selector_all(".disagree-case", "cs => cs.map(c => c.dataset.item)") == items
        assert page.text_content("#disagree-summary") == summary and page.text_content("#disagree-only") == only
    assert page.locator(".disagree-case .side-a .response").first.text_content() == HOSTILE
    assert page.evaluate("window.__pwned") is None and page.locator("img[src='x']").count() == 0
    page.goto((out / "model" / f"{k['fake/kind']}.html").as_uri())  # the model page's picker, from disk
    page.select_option("#disagree-b", k["fake/power"])
    page.click("#disagree-with button[type=submit]")
    page.wait_for_selector(".disagree-case")
    assert page.input_value("#pick-a") == k["fake/kind"] and page.input_value("#pick-b") == k["fake/power"]
    page.goto((out / "compare.html").as_uri())  # the pool is kept from disk too
    page.uncheck(f"#picker-list input[value='{k['fake/power']}']")
    page.goto((out / "compare.html").as_uri())
    assert checked(page) == {k["fake/kind"]}
    screenshot(page, "disagree-export")
    assert outside == []
