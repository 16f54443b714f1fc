"""The leaderboard over a store filled by a real (small) run, in real headless Chromium.

SmolLM2 (real llama.cpp generation) and the fake echo model answer a few items of every value
system through the real runner; the real judge stage (with a scripted judge model) and the real
scoring stage fill the estimates. About 20 s to fill, 10 s in the browser.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.leaderboard._realrun import DIMENSIONS, fill_real_store
from tests.leaderboard.conftest import LiveServer, screenshot, start_server
from tests.leaderboard.test_browser import python_table, table
from valuecompass.leaderboard import StoreReader, export_site

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def real_store(smollm2_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    # In a worker thread: the pipeline runs its own asyncio loop, and Playwright's sync API
    # already runs one in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fill_real_store, tmp_path_factory.mktemp("real-run") / "store.sqlite").result()


@pytest.fixture(scope="module")
def real_server(real_store: Path) -> Iterator[LiveServer]:
    server = start_server(real_store)
    yield server
    server.stop()


def test_real_run_leaderboard_model_compare_csv_export(page, real_server, real_store: Path, tmp_path: Path) -> None:
    reader = StoreReader(real_store)
    data = reader.load()
    assert data.method == "share" and [m.label for m in data.models] == ["fake/echo", "local/smollm2-135m"]
    smol = data.model("local-smollm2-135m")
    assert smol is not None and set(smol.scores) == set(DIMENSIONS)

    page.goto(real_server.url)
    assert len(table(page)) == 2 and table(page) == python_table(real_store, page.url)
    screenshot(page, "real-run-leaderboard")
    # The echo model answers every item "Stance: Yes ..."; on the story and request items of the
    # other systems that claim is a sign of injection, its verdicts are uncertain and not counted,
    # so it has no score there and the tab leaves it out.
    echo = data.model("fake-echo")
    assert echo is not None and set(echo.scores) == {"benevolence", "power", "universalism"}
    for system in ("mft", "safety", "llm_values"):
        page.click(f"#tabs a[data-system='{system}']")
        assert [r[0] for r in table(page)] == ["local-smollm2-135m"]
        assert table(page) == python_table(real_store, page.url)
    page.click("#tabs a[data-system='schwartz']")
    page.click("#board thead th[data-sort='model'] a")
    assert [r[0] for r in table(page)] == ["fake-echo", "local-smollm2-135m"]
    page.click("#group-buttons button[data-group='all']")  # only 3 of 10 scored: the rows are partial
    assert page.locator("#board-body .tag").count() == 2
    page.click("#toggle-weights")
    page.locator("#sliders input[data-dim='power']").fill("0")
    assert "p=custom" in page.url and len(table(page)) == 2
    assert table(page) == sorted(python_table(real_store, page.url), key=lambda r: r[0])

    with page.expect_download() as info:
        page.click("#download-csv")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert {r["model"] for r in rows} == {"fake/echo", "local/smollm2-135m"}
    for r in rows:
        model = data.model(r["model"].replace("/", "-"))
        assert model is not None and float(r["benevolence"]) == pytest.approx(model.scores["benevolence"].score)
        assert r["self_direction"] == ""  # not scored

    page.click("#board-body tr[data-model='local-smollm2-135m'] .col-model a")
    page.wait_for_url("**/model/local-smollm2-135m.html")
    assert page.eval_on_selector_all("canvas.radar", "cs => cs.filter(c => Chart.getChart(c)).length") == 4
    provenance = page.locator(".provenance").text_content()
    assert "local/smollm2-135m" in provenance and smol.run.item_bank_version in provenance
    first = page.locator(".case").first
    shown = first.locator(".response").text_content()
    assert shown in {c.response for c in reader.cases(smol.run.run_id)} and len(shown) > 20
    screenshot(page, "real-run-model")

    page.goto(real_server.url + "compare.html?m=fake-echo,local-smollm2-135m")
    def series(system: str) -> list[str]:
        return page.evaluate(f"Chart.getChart(document.getElementById('radar-{system}')).data.datasets"
                             ".filter(d => !d.band).map(d => d.label)")

    assert series("schwartz") == ["fake/echo", "local/smollm2-135m"]
    assert series("mft") == ["local/smollm2-135m"]  # the echo model has no MFT score

    out = tmp_path / "site"
    export_site(real_store, out)
    page.goto((out / "index.html").as_uri())
    assert table(page) == python_table(real_store, page.url)
