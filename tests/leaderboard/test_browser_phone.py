"""The site on a phone (390x844, touch) in real headless Chromium: nothing wider than the screen,
whole navigation, scrolling strips that say so, full-width charts, readable tables; plus the culture
search in the address and the questionnaire's progress (at desktop size).

Every page type is listed in :data:`PHONE_PAGES`; a new page joins the checks by adding its path.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.leaderboard._fill import ScriptedModel, fill_store
from tests.leaderboard.conftest import SCRIPTED, LiveServer, PageErrors, screenshot, start_server
from valuecompass.leaderboard import StoreReader
from valuecompass.metric import load_questionnaire

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
#: A model known only by a long gguf path (no model card): the name every table and heading must tame.
LONG_SPEC = "llamacpp:/models/community/some-quite-long-model-name-8b-instruct-v2.1-q4_k_m.gguf"

#: Every page type, as paths with {long} (the long-named model's key), {kind} (a model with a
#: validity card), {dim} (a dimension both are scored on) and {three} (three model keys, comma-separated).
PHONE_PAGES = [
    "index.html", "index.html?sys=mft", "index.html?sys=safety", "index.html?sys=llm_values",
    "model/{long}.html", "model/{kind}.html", "model/{long}/{dim}.html", "model/{kind}/{dim}.html",
    "compare.html?m={three}", "culture.html", "culture.html?sys=mft", "steering.html", "test.html", "methodology.html",
]


@pytest.fixture(scope="module")
def phone_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scripted models plus one named only by a long gguf path."""
    models = [*SCRIPTED, ScriptedModel(LONG_SPEC, 0.6, {"benevolence": 0.75, "care": 0.75})]
    return fill_store(tmp_path_factory.mktemp("phone-store") / "store.sqlite", models)


@pytest.fixture(scope="module")
def phone_server(phone_store: Path) -> Iterator[LiveServer]:
    """The leaderboard over :func:`phone_store` on loopback."""
    server = start_server(phone_store)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def names(phone_store: Path) -> dict[str, str]:
    """The placeholders of :data:`PHONE_PAGES`."""
    keys = {m.label: m.key for m in StoreReader(phone_store).load().models}
    return {"long": keys[LONG_SPEC], "kind": keys["fake/kind"], "dim": "benevolence",
            "three": ",".join([keys["fake/kind"], keys["fake/power"], keys[LONG_SPEC]])}


def address(pg: object) -> str:
    """The page's address as the page itself sees it now (``page.url`` may lag a replaceState)."""
    return pg.evaluate("location.href")  # type: ignore[attr-defined]


def _watch(pg: object, errors: PageErrors) -> None:
    pg.on("console", lambda m: errors.messages.append(m.text) if m.type == "error" else None)  # type: ignore
    pg.on("pageerror", lambda e: errors.messages.append(f"uncaught: {e}"))  # type: ignore

    def on_dialog(dialog: object) -> None:
        errors.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    pg.on("dialog", on_dialog)  # type: ignore


@pytest.fixture
def phone(browser: object) -> Iterator[object]:
    """A fresh page at phone size (390x844, mobile, touch) whose console errors fail the test."""
    context = browser.new_context(**PHONE)  # type: ignore[attr-defined]
    pg = context.new_page()
    errors = PageErrors()
    _watch(pg, errors)
    yield pg
    context.close()
    assert not errors.dialogs, f"a dialog opened: {errors.dialogs}"
    assert not errors.messages, f"the page reported errors: {errors.messages}"


def _overflowing(pg: object) -> list[str]:
    """Elements sticking out of the screen that no scrolling box around them clips."""
    return pg.evaluate("""() => {
      const W = document.documentElement.clientWidth, out = [];
      document.querySelectorAll('body *').forEach(e => {
        const r = e.getBoundingClientRect();
        if (r.width === 0 || (r.right <= W + 0.5 && r.left >= -0.5)) return;
        for (let p = e.parentElement; p; p = p.parentElement) {
          if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return;
        }
        out.push(e.tagName.toLowerCase() + '.' + e.className + ' right=' + Math.round(r.right));
      });
      return out.slice(0, 8);
    }""")  # type: ignore[attr-defined]


@pytest.mark.parametrize("path", PHONE_PAGES)
def test_no_page_is_wider_than_a_phone(phone, phone_server, names, path: str) -> None:
    phone.goto(phone_server.url + path.format(**names))
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{path} is {width} px wide: {_overflowing(phone)}"
    assert not _overflowing(phone), path


def test_every_nav_link_is_whole_on_a_phone(phone, phone_server, names) -> None:
    for path in ("index.html", "model/{long}/{dim}.html", "methodology.html"):
        phone.goto(phone_server.url + path.format(**names))
        nav = phone.evaluate("""() => { const n = document.querySelector('.mainnav');
          return {scroll: n.scrollWidth, client: n.clientWidth, W: innerWidth,
                  links: [...n.querySelectorAll('a')].map(a => { const r = a.getBoundingClientRect();
                    return [a.textContent.trim(), r.left, r.right, a.scrollWidth <= a.clientWidth + 1]; })}; }""")
        assert nav["scroll"] <= nav["client"] + 1, "the nav clips its links"
        assert len(nav["links"]) >= 6
        for text, left, right, whole in nav["links"]:
            assert left >= 0 and right <= nav["W"] and whole, f"nav link {text!r} is cut ({left}-{right})"


def _edge(pg: object, selector: str, side: str) -> bytes:
    """A few pixels at one end of a strip's top padding (where its scroll shadow would show)."""
    box = pg.locator(selector).bounding_box()  # type: ignore[attr-defined]
    x = box["x"] + box["width"] - 6 if side == "right" else box["x"] + box["width"] / 2
    return pg.screenshot(clip={"x": x, "y": box["y"] + 1, "width": 5, "height": 4})  # type: ignore


def test_tab_strips_scroll_with_a_visible_hint(phone, phone_server) -> None:
    phone.goto(phone_server.url + "index.html")
    strip = phone.evaluate("""() => { const t = document.getElementById('tabs'), s = getComputedStyle(t);
      return [t.scrollWidth, t.clientWidth, s.overflowX]; }""")
    assert strip[0] > strip[1] and strip[2] in ("auto", "scroll"), f"the strip should scroll here: {strip}"
    shaded = _edge(phone, "#tabs", "right")
    plain = _edge(phone, "#tabs", "middle")
    assert shaded != plain, "no hint at the strip's right edge while more tabs are hidden there"
    phone.evaluate("document.getElementById('tabs').scrollLeft = 10000")
    assert _edge(phone, "#tabs", "right") == plain, "the hint stays after scrolling to the end"
    # The chosen tab is scrolled into view, and the other strips scroll too when they overflow.
    phone.goto(phone_server.url + "index.html?sys=llm_values")
    box, view = phone.locator("#tabs a[data-system=llm_values]").bounding_box(), phone.locator("#tabs").bounding_box()
    assert box["x"] >= view["x"] - 1 and box["x"] + box["width"] <= view["x"] + view["width"] + 1
    for path, sel in (("culture.html", "#culture-tabs"), ("test.html", "#q-tabs")):
        phone.goto(phone_server.url + path)
        wide, style = phone.evaluate(f"""() => {{ const t = document.querySelector('{sel}');
          return [t.scrollWidth > t.clientWidth, getComputedStyle(t).backgroundImage]; }}""")
        assert not wide or "radial-gradient" in style, path


def _radars(pg: object) -> list[dict]:
    """Every shown radar: its width, and how many of its axis names Chart.js placed outside the canvas."""
    return pg.evaluate("""() => Object.values(Chart.instances)
      .filter(c => c.scales.r && c.canvas.offsetParent).map(c => {
        const items = c.scales.r._pointLabelItems || [], w = c.width, h = c.height;
        const out = items.filter(b => b.left < 0 || b.right > w || b.top < 0 || b.bottom > h);
        return {id: c.canvas.id, width: c.canvas.getBoundingClientRect().width, labels: c.data.labels.length,
                items: items.length, clipped: out.length};
      })""")  # type: ignore[attr-defined]


def test_radars_fill_the_phone_with_whole_labels(phone, phone_server, names) -> None:
    for path in ("model/{kind}.html", "compare.html?m={three}"):
        phone.goto(phone_server.url + path.format(**names))
        radars = _radars(phone)
        assert len(radars) >= 2, path
        for r in radars:
            assert r["width"] >= 300, f"{path}: {r['id']} is {r['width']} px wide"
            assert r["items"] == r["labels"] and r["clipped"] == 0, f"{path}: {r['id']} cuts its labels: {r}"
    screenshot(phone, "phone-compare")


def test_heatmap_names_wrap_by_words(phone, phone_server, names) -> None:
    phone.goto(phone_server.url + "culture.html")
    rows = phone.eval_on_selector_all("#heatmap tbody th", "ths => ths.map(th => th.getBoundingClientRect().height)")
    assert len(rows) > 20 and max(rows) < 40, f"a country name takes several lines: {max(rows)} px"
    # No word of a model's name is broken across lines unless it is wider than its column may be.
    broken = phone.evaluate("""() => {
      const out = [];
      document.querySelectorAll('#heatmap thead .hm-name').forEach(span => {
        const node = span.firstChild, text = node.textContent, max = parseFloat(getComputedStyle(span).maxWidth);
        let at = 0;
        text.split(' ').forEach(word => {
          const range = document.createRange();
          range.setStart(node, at); range.setEnd(node, at + word.length); at += word.length + 1;
          const rects = range.getClientRects();
          if (rects.length > 1 && rects[0].width + rects[1].width < max) out.push(word);
        });
      });
      return out;
    }""")
    assert not broken, f"words broken in the heatmap's header: {broken}"
    header = phone.locator("#heatmap thead th[data-model]").first
    assert header.get_attribute("title").split(":")[0] in phone.evaluate(
        "[...document.querySelectorAll('#heatmap thead .hm-name')].map(s => s.textContent)")
    screenshot(phone, "phone-culture")


def test_compare_table_values_stay_in_view(phone, phone_server, names) -> None:
    two = ",".join(names["three"].split(",")[:2])
    phone.goto(phone_server.url + f"compare.html?m={two}")
    cells = phone.evaluate("""() => {
      const wrap = document.querySelector('#compare-table').closest('.table-wrap').getBoundingClientRect();
      return [...document.querySelectorAll('#compare-table tbody td')].map(td => { const r = td.getBoundingClientRect();
        return r.left >= wrap.left - 1 && r.right <= wrap.right + 1 && td.textContent.trim() !== ''; }); }""")
    assert len(cells) > 20 and all(cells), "a value of two compared models is out of sight"
    phone.goto(phone_server.url + f"compare.html?m={names['three']}")
    # Wider tables scroll inside their box; the dimension names stay put and cover no value.
    phone.evaluate("document.querySelector('#compare-table').closest('.table-wrap').scrollLeft = 10000")
    last = phone.evaluate("""() => {
      const wrap = document.querySelector('#compare-table').closest('.table-wrap').getBoundingClientRect();
      return [...document.querySelectorAll('#compare-table tbody tr:not(.group-row)')].map(tr => {
        const th = tr.querySelector('th').getBoundingClientRect(), td = tr.lastElementChild.getBoundingClientRect();
        return th.left >= wrap.left - 1 && td.left >= th.right - 1 && td.right <= wrap.right + 1; }); }""")
    assert len(last) > 20 and all(last), "after scrolling, the last model's values are hidden"


def test_long_names_stay_on_one_line_with_the_full_name_in_a_title(phone, phone_server, names) -> None:
    phone.goto(phone_server.url + "index.html?dims=benevolence")
    link = phone.locator(f"#board-body tr[data-model='{names['long']}'] td.col-model a")
    assert link.get_attribute("title") == LONG_SPEC and link.text_content() == LONG_SPEC
    shape = link.evaluate("a => [a.getBoundingClientRect().height, parseFloat(getComputedStyle(a).lineHeight) || 22,"
                          " a.scrollWidth > a.clientWidth]")
    assert shape[0] <= 1.5 * shape[1] and shape[2], f"the long name is not one cut line: {shape}"
    phone.goto(phone_server.url + "model/{long}/{dim}.html".format(**names))
    name = phone.locator(".page-head h1 > .muted")
    assert name.evaluate("s => s.getClientRects().length") == 1 and name.evaluate("s => s.scrollWidth > s.clientWidth")
    assert LONG_SPEC in phone.locator(".crumbs").text_content()


def test_a_tapped_grade_shows_its_reasons(phone, phone_server) -> None:
    phone.goto(phone_server.url + "index.html")
    grade = phone.locator("#board-body .grade").first
    reason = grade.get_attribute("aria-label")
    assert reason and "tap" in phone.locator("#grade-legend").text_content()
    assert phone.evaluate("g => getComputedStyle(g, '::after').content", grade.element_handle()) in ("none", "normal")
    grade.tap()
    assert phone.evaluate("g => getComputedStyle(g, '::after').content", grade.element_handle()) == f'"{reason}"'
    assert "hover" not in phone.locator("main").text_content().lower()


def test_profile_menu_says_how_many_dimensions_it_scores(page, phone_server) -> None:
    page.goto(phone_server.url + "index.html")  # default: uniform over Benevolence and Universalism
    chosen = "#profile-select option:checked"
    assert page.locator(chosen).text_content() == "Equal weights (2 of 10 dimensions)"
    page.click("#group-buttons button[data-group='all']")
    assert page.locator(chosen).text_content() == "Equal weights"
    assert "all 10 dimensions" in page.locator("#status").text_content()
    page.click("#dim-chips label:has(input[value='power'])")
    assert page.locator(chosen).text_content() == "Equal weights (9 of 10 dimensions)"
    # The server's first render and the script say the same.
    html = urllib.request.urlopen(address(page)).read().decode()  # noqa: S310 (loopback)
    assert "Equal weights (9 of 10 dimensions)</option>" in html
    assert page.locator("#status").text_content().split(" Showing")[0] in html


def test_culture_search_is_in_the_address(page, phone_server) -> None:
    page.goto(phone_server.url + "culture.html")
    page.fill("#country-search", "ger")
    assert "q=ger" in address(page)
    shown = page.eval_on_selector_all("#heatmap tbody th", "ths => ths.map(t => t.title)")
    assert shown and all("ger" in s.lower() for s in shown)
    page.click("#culture-tabs a[data-system=mft]")
    assert "q=ger" in address(page) and "sys=mft" in address(page)
    page.click("#culture-tabs a[data-system=schwartz]")
    page.goto(address(page))  # a shared link restores the search
    assert page.input_value("#country-search") == "ger"
    again = page.eval_on_selector_all("#heatmap tbody th", "ths => ths.map(t => t.title)")
    assert again and all("ger" in s.lower() for s in again)
    page.fill("#country-search", "")
    assert "q=" not in address(page) and page.locator("#heatmap tbody tr").count() > 20


def test_questionnaire_shows_its_progress(page, phone_server) -> None:
    items = load_questionnaire("schwartz").items
    page.goto(phone_server.url + "test.html")
    meter = "#q-schwartz .q-meter"
    assert page.locator(f"{meter} .q-meter-text").text_content() == f"0 of {len(items)} answered"
    for item in items[:7]:
        page.click(f"#q-schwartz label.likert-opt:has(input[name='{item.id}'][value='3'])")
    assert page.locator(f"{meter} .q-meter-text").text_content() == f"7 of {len(items)} answered"
    assert page.eval_on_selector(f"{meter} progress", "p => [p.value, p.max]") == [7, len(items)]
    page.click(f"#q-schwartz label.likert-opt:has(input[name='{items[6].id}'][value='5'])")  # a changed answer
    assert page.locator(f"{meter} .q-meter-text").text_content() == f"7 of {len(items)} answered"
    page.locator(f"#q-schwartz li[data-item='{items[15].id}']").scroll_into_view_if_needed()
    box = page.locator(meter).bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 900, "the progress scrolled out of view"
    for item in items[7:]:
        page.click(f"#q-schwartz label.likert-opt:has(input[name='{item.id}'][value='4'])")
    assert page.locator(f"{meter} .q-meter-text").text_content() == f"{len(items)} of {len(items)} answered"
    assert "done" in page.get_attribute(meter, "class")
