"""Where two models disagree: the verdict rule, the pairing, its order, the data files, and the routes."""

from __future__ import annotations

import doctest
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.leaderboard._fill import HOSTILE, JUDGE
from tests.leaderboard.conftest import HOSTILE_SPEC
from valuecompass.leaderboard import Case, StoreReader, create_app, export_site, parse_state, ranking, tab_defaults
from valuecompass.leaderboard import _disagree
from valuecompass.leaderboard._disagree import cases_script, disagreements, verdicts
from valuecompass.leaderboard._payload import compare_payload, default_pool


def case(item: str, dim: str, label: str | None, sample: int = 0, response: str = "") -> Case:
    return Case(item_id=item, dimension=dim, item_text=f"text of {item}", label=label, sample_index=sample,
                response=response or f"answer {item}/{sample}")


def table(*cases: Case) -> dict:
    return verdicts(cases)


def test_one_verdict_per_item_majority_then_earliest_sample_and_unjudged_left_out() -> None:
    got = verdicts([case("i1", "care", "opposes", 0), case("i1", "care", "supports", 1), case("i1", "care", "supports", 2),
                    case("i2", "care", "opposes", 1), case("i2", "care", "supports", 0),  # a tie: earliest sample wins
                    case("i3", "care", None)])
    assert list(got) == [("i1", "care"), ("i2", "care")]
    assert (got["i1", "care"].label, got["i1", "care"].sample_index) == ("supports", 1)
    assert (got["i2", "care"].label, got["i2", "care"].sample_index) == ("supports", 0)


def test_differing_items_counts_and_only_one_side() -> None:
    a = table(case("i1", "care", "supports"), case("i2", "care", "opposes"), case("i3", "care", "supports"),
              case("p1", "power", "supports"), case("x1", "care", "supports"))
    b = table(case("i1", "care", "opposes"), case("i2", "care", "opposes"), case("i3", "care", "unrelated"),
              case("p1", "power", "supports"), case("y1", "power", "opposes"), case("y2", "power", "opposes"))
    d = disagreements(a, b, {"care": 80.0, "power": 50.0}, {"care": 30.0, "power": 50.0}, ["care", "power"])
    assert (d.shared, d.differing, d.only_a, d.only_b) == (4, 2, 1, 2)
    assert [x.dimension for x in d.dimensions] == ["care"] and d.agreeing == ("power",)
    care = d.dimensions[0]
    assert (care.shared, care.gap, [i.item_id for i in care.items]) == (3, 50.0, ["i1", "i3"])
    assert (care.items[0].a.label, care.items[0].b.label) == ("supports", "opposes")


def test_dimensions_ordered_by_score_gap_then_count_then_display_order_unscored_last() -> None:
    dims = ["d1", "d2", "d3", "d4", "d5"]
    a = table(*(case(f"{d}-{k}", d, "supports") for d in dims for k in range(3)))
    b = table(*(case(f"{d}-{k}", d, "opposes" if k < (2 if d == "d4" else 1) else "supports") for d in dims for k in range(3)))
    sa = {"d1": 50.0, "d2": 90.0, "d3": 60.0, "d4": 60.0}  # d5: no score for a
    sb = {"d1": 40.0, "d2": 10.0, "d3": 50.0, "d4": 50.0, "d5": 20.0}
    d = disagreements(a, b, sa, sb, dims)
    assert [x.dimension for x in d.dimensions] == ["d2", "d4", "d1", "d3", "d5"]
    assert d.dimensions[-1].gap is None and d.dimensions[0].gap == 80.0


def test_scores_are_compared_as_the_pages_json_rounds_them() -> None:
    a, b = table(case("i", "x", "supports"), case("j", "y", "supports")), table(case("i", "x", "opposes"), case("j", "y", "opposes"))
    d = disagreements(a, b, {"x": 10.0004, "y": 10.0}, {"x": 0.0, "y": 0.0}, ["y", "x"])
    assert [x.dimension for x in d.dimensions] == ["y", "x"]  # equal after rounding to 3 decimals: display order


def test_docstring_example_holds() -> None:
    assert doctest.testmod(_disagree, raise_on_error=True).attempted >= 1


def test_the_data_file_is_a_script_whose_text_cannot_break_out() -> None:
    hostile = case("i1", "care", "supports", response="</script><b>x\u2028y\u2029 & " + "z" * 5000)
    text = cases_script("k-1", {("i1", "care"): hostile})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text and "\u2029" not in text
    prefix = '(window.VC_CASES = window.VC_CASES || {})["k-1"] = '
    assert text.startswith(prefix) and text.endswith(";\n")
    rows = json.loads(text[len(prefix):-2])
    item, dim, label, item_text, response, cut = rows[0][:6]
    assert (item, dim, label, item_text) == ("i1", "care", "supports", "text of i1")
    assert response + "z" * cut == hostile.response and len(response) == 4000


def test_default_pool_is_the_top_3_of_the_default_ranking(scripted_store: Path) -> None:
    data = StoreReader(scripted_store).load()
    top = [r.model.key for r in ranking(data, parse_state({}, tab_defaults()))][:3]
    assert default_pool(data) == compare_payload(data)["default"] == top
    assert top[0] == next(m.key for m in data.models if m.label == "fake/kind")
    assert top != sorted(m.key for m in data.models)[:3]  # not merely alphabetical


def expected_differences(store: Path, a: str, b: str) -> tuple[int, int]:
    """(differing, shared) straight from the store's cases (one sample per item in the scripted store)."""
    reader = StoreReader(store)
    data = reader.load()
    runs = {m.key: m.run.run_id for m in data.models}
    la, lb = ({(c.item_id, c.dimension): c.label for c in reader.cases(runs[k], judge=JUDGE) if c.label}
              for k in (a, b))
    shared = [k for k in la if k in lb]
    return sum(1 for k in shared if la[k] != lb[k]), len(shared)


@pytest.fixture(scope="module")
def client(scripted_store: Path) -> TestClient:
    return TestClient(create_app(scripted_store))


def test_served_page_lists_the_differing_items_and_escapes_model_text(client: TestClient, scripted_store: Path) -> None:
    keys = {m.label: m.key for m in StoreReader(scripted_store).load().models}
    a, b = keys[HOSTILE_SPEC], keys["fake/kind"]
    differing, shared = expected_differences(scripted_store, a, b)
    assert 0 < differing < shared
    html = client.get(f"/disagree.html?a={a}&b={b}").text
    assert f"<strong>{differing} of {shared} shared items differ</strong>" in html
    assert html.count('<article class="case disagree-case"') == differing
    assert "<script>window.__pwned" not in html and "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in html
    assert HOSTILE not in html and '<img src=x' not in html
    assert "Pick two different models" in client.get(f"/disagree.html?a={a}&b={a}").text
    assert client.get("/disagree.html?a=nope&b=").status_code == 200


def test_case_files_are_served_and_exported(client: TestClient, scripted_store: Path, tmp_path: Path) -> None:
    key = StoreReader(scripted_store).load().models[0].key
    served = client.get(f"/data/cases/{key}.js")
    assert served.status_code == 200 and served.headers["content-type"].startswith("text/javascript")
    assert client.get("/data/cases/nope.js").status_code == 404
    export_site(scripted_store, tmp_path / "site")
    assert (tmp_path / "site" / "data" / "cases" / f"{key}.js").read_text(encoding="utf-8") == served.text
    assert (tmp_path / "site" / "disagree.html").is_file()
