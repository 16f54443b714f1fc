"""The culture page's value space in real headless Chromium: country labels, PCA / t-SNE toggle,
models described in words (list and tooltip), models left out, and model names kept as text."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.leaderboard._fill import fill_store
from tests.leaderboard.conftest import HOSTILE_SPEC, LiveServer, screenshot, start_server
from tests.leaderboard.test_space import MAP_MODELS
from valuecompass.leaderboard._views import country_profiles

pytestmark = pytest.mark.browser

CHART = "Chart.getChart(document.getElementById('space'))"


@pytest.fixture(scope="module")
def map_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The site over the scripted models plus one without a score on Tradition and Care/Harm."""
    server = start_server(fill_store(tmp_path_factory.mktemp("map-store") / "store.sqlite", MAP_MODELS))
    yield server
    server.stop()


def _payload(page) -> dict:
    return json.loads(page.locator("#vc-data").text_content())


def _short(name: str) -> str:
    return name.rsplit(" (", 1)[0] if name.endswith(")") else name


def test_every_country_is_labelled_or_listed(page, map_server) -> None:
    page.goto(map_server.url + "culture.html")
    labels = page.evaluate(f"{CHART}.$vcLabels")
    countries = [_short(p.name) for p in country_profiles("schwartz")]
    assert sorted(lb["name"] for lb in labels if lb["kind"] == "country") == sorted(countries)
    drawn = [lb for lb in labels if lb["drawn"]]
    assert {lb["name"] for lb in labels if lb["kind"] == "model"} <= {lb["name"] for lb in drawn}
    assert sum(lb["kind"] == "country" for lb in drawn) >= 20, "too few country names fit on the map"
    for i, a in enumerate(drawn):  # drawn country labels never cover one another
        for b in drawn[i + 1:]:
            if "country" in (a["kind"], b["kind"]):
                ba, bb = a["box"], b["box"]
                assert not (ba["x1"] < bb["x2"] and bb["x1"] < ba["x2"] and ba["y1"] < bb["y2"] and bb["y1"] < ba["y2"]), \
                    (a["name"], b["name"])
    # The list beside the map names all 77, and marks those without room on the map.
    listed = page.eval_on_selector_all("#space-countries button", "bs => bs.map(b => [b.textContent, b.classList.contains('off-map')])")
    assert sorted(name for name, _ in listed) == sorted(countries)
    off = {lb["name"] for lb in labels if lb["kind"] == "country" and not lb["drawn"]}
    assert {name for name, is_off in listed if is_off} == off
    assert page.locator("#space-countries-head").text_content() == f"Countries on the map ({len(countries)})"
    # Pointing at a listed name shows that country's point.
    page.hover("#space-countries button >> text=Germany")
    assert page.evaluate(f"{CHART}.tooltip.title") == ["Germany (Schwartz cultural orientations)"]
    screenshot(page, "culture-space-pca")


def test_the_toggle_switches_to_tsne_and_names_the_method(page, map_server) -> None:
    page.goto(map_server.url + "culture.html")
    sp = _payload(page)["spaces"]["schwartz"]
    method = page.locator("#space-method")
    assert method.text_content().startswith("Method: PCA")
    share = f"{round(100 * sp['explained'][0])}%"
    assert page.evaluate(f"{CHART}.options.scales.x.title.text") == f"PC1 ({share} of variance)"
    assert f"the first explains {share} of the variance" in method.text_content()
    page.click("#space-methods button[data-map=tsne]")
    assert method.text_content().startswith("Method: t-SNE") and "have no meaning" in method.text_content()
    assert f"perplexity {sp['tsne']['perplexity']:.1f}" in method.text_content()
    assert page.evaluate("location.search").endswith("map=tsne")
    assert page.get_attribute("#space-methods button[data-map=tsne]", "aria-pressed") == "true"
    assert page.evaluate(f"{CHART}.$vcMethod") == "tsne"
    assert "no meaning" in page.evaluate(f"{CHART}.options.scales.x.title.text")
    assert page.evaluate(f"{CHART}.options.scales.x.ticks.display") is False
    model = next(p for p in sp["points"] if p["kind"] == "model")
    shown = page.evaluate(f"{CHART}.data.datasets[1].data.map(d => [d.id, d.x, d.y])")
    assert [model["id"], model["tx"], model["ty"]] in shown
    screenshot(page, "culture-space-tsne")
    page.reload()  # the address keeps the method
    assert page.locator("#space-method").text_content().startswith("Method: t-SNE")
    page.click("#space-methods button[data-map=pca]")
    assert page.locator("#space-method").text_content().startswith("Method: PCA") and "map=" not in page.evaluate("location.search")


def test_a_model_is_described_by_its_closest_countries(page, map_server) -> None:
    page.goto(map_server.url + "culture.html")
    payload = _payload(page)
    key = next(k for k, v in payload["labels"].items() if v == "fake/kind")
    near = next(p for p in payload["spaces"]["schwartz"]["points"] if p["id"] == key)["near"]
    names = [_short(payload["profiles"]["schwartz"][n["id"]]) for n in near]
    assert len(names) == 3
    entry = page.locator(f"#space-models li[data-model='{key}']").text_content()
    assert entry.startswith("fake/kind: closest to " + ", ".join(names) + " (pattern correlation ")
    # Hovering the model's point on the canvas shows the same words.
    j = page.evaluate(f"{CHART}.data.datasets[1].data.findIndex(d => d.id === {json.dumps(key)})")
    x, y = page.evaluate(f"(() => {{ const e = {CHART}.getDatasetMeta(1).data[{j}]; return [e.x, e.y]; }})()")
    page.locator("#space").hover(position={"x": x, "y": y})  # scrolls the map into view first
    assert page.evaluate(f"{CHART}.tooltip.title") == ["fake/kind"]
    body = page.evaluate(f"{CHART}.tooltip.body.flatMap(b => b.lines)")
    assert body[0] == "closest to " + ", ".join(names) and body[1].startswith("pattern correlation ")
    # Focusing the name in the list (keyboard) shows it too.
    page.mouse.move(0, 0)
    page.focus(f"#space-models li[data-model='{key}'] button")
    assert page.evaluate(f"{CHART}.tooltip.title") == ["fake/kind"]


def test_models_missing_a_dimension_are_listed_as_left_out(page, map_server) -> None:
    page.goto(map_server.url + "culture.html")
    left = page.locator("#space-left-out li")
    assert left.count() == 1 and left.text_content() == "fake/gappy: left out, no score on Tradition"
    assert "fake/gappy" not in page.locator("#space-models").text_content()
    page.click("#culture-tabs a[data-system=mft]")
    assert page.locator("#space-left-out li").text_content() == "fake/gappy: left out, no score on Care/Harm"
    assert page.locator("#space-countries button").count() == len(country_profiles("mft"))


def test_hostile_model_name_is_text_in_the_map(page, map_server) -> None:
    page.goto(map_server.url + "culture.html?map=tsne")
    text = page.locator("#space-models").text_content()
    assert HOSTILE_SPEC + ": equal scores on every dimension" in text
    assert page.locator("#space-panel img").count() == 0
    assert HOSTILE_SPEC in page.evaluate(f"{CHART}.$vcLabels.map(l => l.name)")
    page.hover("#space-models button >> nth=0")
    assert page.evaluate("window.__pwned") is None
