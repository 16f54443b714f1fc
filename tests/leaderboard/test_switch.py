"""The store's other kinds of scores (method and judge): linked from the site, served and exported alike."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.leaderboard._fill import JUDGE, METHOD, ScriptedModel, fill_store
from valuecompass.leaderboard import create_app, export_site
from valuecompass.leaderboard._switch import ScoreSwitch
from valuecompass.store import EstimateRecord, RunRecord, Store

OTHER = "openai/gpt-4o-judge"


@pytest.fixture(scope="module")
def two_judges(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three models by the scripted judge; one of them and a fourth also by another judge and method."""
    path = fill_store(tmp_path_factory.mktemp("switch") / "s.sqlite",
                      [ScriptedModel("fake/a", 0.9), ScriptedModel("fake/b", 0.5), ScriptedModel("fake/c", 0.1)],
                      per_dim=1)
    with Store(path) as store:
        store.open_run(RunRecord(run_id="run-only-other", model_spec="fake/only-other"))
        store.set_run_status("run-only-other", "complete")
        store.insert_estimates([EstimateRecord(run_id=run, dimension="care", method="irt-eap", judge_id=OTHER,
                                               score=score, se=3.0, n_items=4)
                                for run, score in (("run-fake-a", 42.0), ("run-only-other", 77.0))])
    return path


def test_the_switch_links_each_site_to_each() -> None:
    switch = ScoreSwitch.build(("mean", "j1"), {("mean", "j1"): 3, ("irt", "j2"): 2, ("irt", "j1"): 1, ("x", "y"): 0})
    main, *others = switch.kinds
    assert (main.name, [k.name for k in others]) == ("mean@j1", ["irt@j1", "irt@j2"])
    assert [switch.href(k) for k in switch.kinds] == ["", "scores/irt-j1/", "scores/irt-j2/"]
    there = switch.at("irt@j2")
    assert [there.href(k) for k in switch.kinds] == ["../../", "../../scores/irt-j1/", ""]
    assert switch.kind("irt-j2") == others[1] and switch.kind("") is None and switch.kind("nope") is None


def _links(html: str) -> list[str]:
    return re.findall(r'<a class="switch-kind" href="([^"]+)"', html)


def test_the_server_shows_the_other_judge_under_its_folder(two_judges: Path) -> None:
    client = TestClient(create_app(two_judges))
    index = client.get("/index.html").text
    assert f"judge <code>{JUDGE}</code>" in index and "1 not shown here" in index
    [link] = _links(index)
    assert link.startswith("scores/") and link.endswith("/index.html")
    other = client.get("/" + link)
    assert other.status_code == 200 and f"judge <code>{OTHER}</code>" in other.text
    assert "fake/only-other" in other.text.split('<tbody id="board-body">')[1]
    assert _links(other.text) == ["../../index.html"]
    folder = link.removesuffix("index.html")
    for page in ("model/fake-only-other.html", "model/fake-a/care.html", "compare.html", "static/css/app.css",
                 "data/leaderboard.csv"):
        assert client.get(f"/{folder}{page}").status_code == 200, page
    assert client.get(f"/{folder}model/fake-b.html").status_code == 404  # no scores by the other judge
    assert client.get("/scores/nope/index.html").status_code == 404
    assert "content-security-policy" in client.get(f"/{folder}index.html").headers


def test_the_export_writes_the_same_sites_with_working_links(two_judges: Path, tmp_path: Path) -> None:
    result = export_site(two_judges, tmp_path / "site")
    index = (tmp_path / "site" / "index.html").read_text()
    [link] = _links(index)
    other = tmp_path / "site" / link
    assert other.is_file() and f"judge <code>{OTHER}</code>" in other.read_text()
    assert (other.parent / "model" / "fake-only-other.html").is_file()
    assert (other.parent / "static" / "css" / "app.css").is_file()
    [back] = _links(other.read_text())
    assert (other.parent / back).resolve() == (tmp_path / "site" / "index.html").resolve()
    assert result.pages == sum(1 for _ in (tmp_path / "site").rglob("*.html"))
    assert METHOD in index
