"""The web app over HTTP (FastAPI's test client): pages, headers, downloads, escaping."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.leaderboard._fill import HOSTILE
from tests.leaderboard.conftest import HOSTILE_SPEC
from valuecompass.errors import StoreError
from valuecompass.leaderboard import CSV_COLUMNS, StoreReader, create_app


@pytest.fixture(scope="module")
def client(scripted_store: Path) -> TestClient:
    return TestClient(create_app(scripted_store))


@pytest.fixture(scope="module")
def keys(scripted_store: Path) -> dict[str, str]:
    return {m.label: m.key for m in StoreReader(scripted_store).load().models}


def test_every_page_is_served_with_a_strict_csp(client: TestClient, keys: dict[str, str]) -> None:
    kind = keys["fake/kind"]
    for path in ("/", "/index.html", "/index.html?sys=mft&p=mft-jp", f"/model/{kind}.html", f"/model/{kind}/care.html",
                 "/compare.html?m=a,b", "/culture.html", "/test.html", "/methodology.html",
                 "/static/js/core.js", "/static/vendor/chart.umd.min.js", "/data/leaderboard.csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        csp = response.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "default-src 'none'" in csp and "unsafe" not in csp
        assert response.headers["x-content-type-options"] == "nosniff"


def test_unknown_pages_are_404(client: TestClient, keys: dict[str, str]) -> None:
    for path in ("/model/nope.html", f"/model/{keys['fake/kind']}/nope.html", "/data/runs/nope.json", "/admin"):
        assert client.get(path).status_code == 404, path


def test_the_server_only_reads(client: TestClient) -> None:
    for method in ("post", "put", "delete"):
        assert getattr(client, method)("/index.html").status_code == 405


def _table(html: str) -> str:
    return html[html.index('id="board-body"'):html.index("</tbody>")]


def test_first_render_follows_the_url_state(client: TestClient) -> None:
    default = _table(client.get("/").text)
    assert default.index("fake/kind") < default.index("fake/power")
    power = client.get("/index.html?sys=schwartz&p=custom&w=power:1,achievement:1&dims=power,achievement").text
    assert _table(power).index("fake/power") < _table(power).index("fake/kind")
    assert 'option value="custom" selected' in power
    searched = _table(client.get("/index.html?q=midd").text)
    assert "fake/middle" in searched and "fake/kind" not in searched


def test_untrusted_text_is_escaped(client: TestClient, keys: dict[str, str]) -> None:
    key = keys[HOSTILE_SPEC]
    pages = [client.get(p).text for p in ("/", f"/model/{key}.html", f"/model/{key}/care.html", "/compare.html",
                                          "/culture.html", "/test.html")]
    for html in pages:
        assert "<img src=x" not in html and "<script>window" not in html and 'href="javascript:' not in html
    drill = pages[2]
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in drill
    assert "&lt;img src=x onerror=&#34;window.__pwned=4&#34;&gt;" in pages[0]  # the model name
    assert "\\u003cimg src=x" in pages[0]  # and inside the embedded JSON


def test_csv_and_json_downloads(client: TestClient) -> None:
    response = client.get("/data/leaderboard.csv")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == 4 * 27
    kind = {r["dimension"]: r for r in rows if r["model"] == "fake/kind"}
    assert float(kind["benevolence"]["score"]) == 100.0 and kind["benevolence"]["system"] == "schwartz"
    doc = client.get("/data/leaderboard.json").json()
    assert doc["method"] == "mean" and len(doc["models"]) == 4
    run_id = doc["models"][0]["run"]["run_id"]
    assert "<" in run_id  # the hostile model's run: its file name is made safe
    records = client.get("/" + doc["models"][0]["records"]).json()
    assert records["run"]["run_id"] == run_id and len(records["responses"]) == 108


def test_csv_defuses_spreadsheet_formulas(tmp_path: Path) -> None:
    from tests.leaderboard._fill import ScriptedModel, fill_store

    path = fill_store(tmp_path / "s.sqlite", [ScriptedModel("=HYPERLINK(1)", 0.5)], per_dim=1)
    rows = list(csv.DictReader(io.StringIO(TestClient(create_app(path)).get("/data/leaderboard.csv").text)))
    assert rows[0]["model"] == "'=HYPERLINK(1)"


def test_the_page_picks_up_new_results_without_a_restart(tmp_path: Path) -> None:
    from tests.leaderboard._fill import ScriptedModel, fill_store

    path = fill_store(tmp_path / "s.sqlite", [ScriptedModel("fake/a", 0.5)], per_dim=1)
    client = TestClient(create_app(path))
    assert "fake/b" not in client.get("/").text
    fill_store(path, [ScriptedModel("fake/b", 0.5)], per_dim=1)
    assert "fake/b" in client.get("/").text


def test_an_unusable_store_fails_at_start(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        create_app(tmp_path / "absent.sqlite")


def test_embedded_json_matches_the_store(client: TestClient) -> None:
    html = client.get("/").text
    start = html.index('<script type="application/json" id="vc-data">') + len('<script type="application/json" id="vc-data">')
    payload = json.loads(html[start:html.index("</script>", start)])
    assert {s["id"] for s in payload["systems"]} == {"schwartz", "mft", "safety", "llm_values"}
    assert payload["defaults"]["schwartz"] == {"profile": "uniform-schwartz", "dims": ["benevolence", "universalism"]}
    kind = next(m for m in payload["models"] if m["label"] == "fake/kind")
    cell = kind["scores"]["benevolence"]
    assert cell[0] == 100.0 and len(cell) == 7 and cell[5] in "ABCD" and cell[6].startswith(f"grade {cell[5]}")
    assert sum(payload["profiles"]["schwartz"][0]["weights"].values()) == pytest.approx(1.0)
    assert HOSTILE not in html


def test_extra_profiles_are_offered_and_used(scripted_store: Path) -> None:
    from valuecompass.errors import ProfileError
    from valuecompass.metric import build_profile

    mine = build_profile(id="my-team", name="Our team", system="schwartz", weights={"power": 3, "achievement": 1})
    client = TestClient(create_app(scripted_store, profiles=[mine]))
    html = client.get("/index.html?p=my-team&dims=power,achievement,benevolence").text
    assert ('<optgroup label="Your profiles"><option value="my-team" selected>Our team (3 of 10 dimensions)</option>'
            in html)
    assert _table(html).index("fake/power") < _table(html).index("fake/kind")
    assert "weights from Our team" in html
    with pytest.raises(ProfileError, match="already taken"):
        create_app(scripted_store, profiles=[mine, mine])


def test_validity_card_grades_and_steering_view(client: TestClient, scripted_store: Path) -> None:
    from valuecompass.leaderboard import StoreReader

    data = StoreReader(scripted_store).load()
    kind = next(m for m in data.models if m.label == "fake/kind")
    assert kind.card is not None and kind.card.known_groups_passed == (3, 4)
    power = kind.scores["power"]
    assert power.grade == "D" and any("did not separate" in r for r in power.grade_reasons)  # known groups failed
    others = [m for m in data.models if m.card is None]
    assert others and all("known-groups check not run" in c.grade_reasons for m in others for c in m.scores.values())
    page = client.get(f"/model/{kind.key}.html").text
    assert "Validity card" in page and "3 of 4" in page and "acquiescence only" in page
    assert f'data/cards/{kind.key}.md' in page
    card_md = client.get(f"/data/cards/{kind.key}.md")
    assert card_md.status_code == 200 and "# Validity card: fake/kind" in card_md.text
    assert client.get("/data/cards/nobody.md").status_code == 404
    steering = client.get("/steering.html").text
    assert "Steerability" in steering and "fake/kind" in steering and "acq." in steering
    no_card = client.get(f"/model/{others[0].key}.html").text
    assert "No validity card yet" in no_card
