"""Model cards, medals and the measurement-date filter: the data layer, the pages and ``run --card``."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.leaderboard._fill import ScriptedModel, fill_store
from valuecompass.errors import DataFileError
from valuecompass.leaderboard import StoreReader, create_app, parse_state, ranking, tab_defaults
from valuecompass.leaderboard._views import RankedRow
from valuecompass.models import ModelCard, load_model_card
from valuecompass.pipeline import record_model_card
from valuecompass.store import Store

HOSTILE_CARD = ModelCard(name='<img src=x onerror="window.__pwned=9">Evil', developer="<script>x()</script> Labs",
                         weights="open", release_date=dt.date(2025, 3, 1),
                         website="https://example.org/?a=<b>&c=\"d\"", report="http://example.org/report")


def set_measured(path: Path, run_id: str, date: str) -> None:
    """Move a run's timestamps to ``date`` (test data only: the store stamps runs when written)."""
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE runs SET created = ?, updated = ? WHERE run_id = ?",
                     (f"{date}T10:00:00+00:00", f"{date}T11:00:00+00:00", run_id))


@pytest.fixture(scope="module")
def card_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three models: one with a named card, one with a hostile card, one without; measured on three dates."""
    path = fill_store(tmp_path_factory.mktemp("cards") / "store.sqlite", [
        ScriptedModel("gguf/very/long/path/to/models/qwen2.5-1.5b-instruct-q4_k_m.gguf", 1.0,
                      model_card=ModelCard(name="Qwen2.5 1.5B", developer="Alibaba", weights="open",
                                           release_date=dt.date(2024, 9, 19), website="https://qwenlm.github.io/")),
        ScriptedModel("fake/evil", 0.5, model_card=HOSTILE_CARD),
        ScriptedModel("fake/plain", 0.0),
    ], per_dim=6)
    for run_id, date in (("run-gguf-very-long-path-to-models-qwen2.5-1.5b-instruct-q4_k_m.gguf", "2026-01-10"),
                         ("run-fake-evil", "2026-06-01"), ("run-fake-plain", "2026-11-30")):
        set_measured(path, run_id, date)
    return path


def test_the_newest_card_names_the_model_and_the_spec_stays(card_store: Path) -> None:
    models = {m.run.model_spec: m for m in StoreReader(card_store).load().models}
    qwen = models["gguf/very/long/path/to/models/qwen2.5-1.5b-instruct-q4_k_m.gguf"]
    assert qwen.label == "Qwen2.5 1.5B" and qwen.run.model_label == "Qwen2.5 1.5B"
    assert qwen.model_card is not None and qwen.model_card.developer == "Alibaba"
    assert qwen.key.startswith("gguf-very-long-path")  # keys stay derived from the spec: links do not move
    assert qwen.measured == "2026-01-10"
    assert models["fake/plain"].model_card is None and models["fake/plain"].label == "fake/plain"


def test_a_corrected_card_wins_and_an_equal_one_is_not_stored_twice(tmp_path: Path) -> None:
    path = fill_store(tmp_path / "s.sqlite", [ScriptedModel("fake/a", 0.5)], per_dim=1)
    first, second = ModelCard(name="First"), ModelCard(name="Second", developer="Me")
    with Store(path) as store:
        assert record_model_card(store, "run-fake-a", first)
        assert not record_model_card(store, "run-fake-a", first)
        assert record_model_card(store, "run-fake-a", second)
        assert record_model_card(store, "run-fake-a", first)  # back to the first: it is the newest again
    [model] = StoreReader(path).load().models
    assert model.label == "First" and model.model_card == first


def test_an_unreadable_stored_card_is_skipped(tmp_path: Path) -> None:
    path = fill_store(tmp_path / "s.sqlite", [ScriptedModel("fake/a", 0.5)], per_dim=1)
    with Store(path) as store:
        store.append_provenance("run-fake-a", "model_card", {"name": "Good"})
        store.append_provenance("run-fake-a", "model_card", {"website": "javascript:alert(1)"})
    [model] = StoreReader(path).load().models
    assert model.label == "Good"  # the bad newest entry is skipped for the one before it


def test_medals_only_where_intervals_separate() -> None:
    for best, worst, medal in ((1, 1, 1), (2, 2, 2), (3, 3, 3), (4, 4, None), (1, 2, None), (2, 3, None)):
        row = RankedRow(model=None, value=50.0, se=1.0, low=48.0, high=52.0, rank_best=best,  # type: ignore[arg-type]
                        rank_worst=worst, missing=(), n_items=4)
        assert row.medal == medal


def test_the_date_filter_ranks_among_the_models_measured_then(card_store: Path) -> None:
    data, defaults = StoreReader(card_store).load(), tab_defaults()
    every = ranking(data, parse_state({"sys": "mft"}, defaults))
    assert len(every) == 3 and every[0].medal == 1
    late = ranking(data, parse_state({"sys": "mft", "from": "2026-05-01"}, defaults))
    assert [r.model.label for r in late] == [every[1].model.label, "fake/plain"]
    assert late[0].rank_best == 1  # re-ranked among the shown ones
    window = ranking(data, parse_state({"sys": "mft", "from": "2026-05-01", "to": "2026-06-30"}, defaults))
    assert [r.model.run.model_spec for r in window] == ["fake/evil"]
    bad = parse_state({"sys": "mft", "from": "2026-02-30", "to": "soon"}, defaults)
    assert (bad.since, bad.until) == ("", "")
    assert "from=2026-05-01" in parse_state({"sys": "mft", "from": "2026-05-01"}, defaults).to_query(defaults["mft"])


def test_pages_show_cards_escaped_with_safe_links(card_store: Path) -> None:
    client = TestClient(create_app(card_store))
    index = client.get("/index.html?sys=mft").text
    assert "Alibaba" in index and "2024-09-19" in index and "2026-01-10" in index
    assert "<script>x()</script>" not in index and "&lt;script&gt;x()&lt;/script&gt; Labs" in index
    assert '<img src=x onerror' not in index
    assert 'class="medal medal-1"' in index and "medal-legend" in index
    evil = next(m for m in StoreReader(card_store).load().models if m.run.model_spec == "fake/evil")
    page = client.get(f"/model/{evil.key}.html").text
    assert '<img src=x onerror' not in page and "&lt;img src=x onerror" in page
    assert 'href="https://example.org/?a=&lt;b&gt;&amp;c=&#34;d&#34;" rel="noopener noreferrer"' in page
    assert 'href="http://example.org/report" rel="noopener noreferrer"' in page
    assert "<code class=\"model-spec\">fake/evil</code>" in page
    filtered = client.get("/index.html?sys=mft&from=2026-11-01").text
    body = filtered.split('<tbody id="board-body">')[1].split("</tbody>")[0]
    assert "fake/plain" in body and "Alibaba" not in body and 'value="2026-11-01"' in filtered


def test_downloads_carry_the_card_and_the_spec(card_store: Path) -> None:
    import csv
    import io
    import json

    client = TestClient(create_app(card_store))
    rows = list(csv.DictReader(io.StringIO(client.get("/data/leaderboard.csv").text)))
    qwen = next(r for r in rows if r["model"] == "Qwen2.5 1.5B")
    assert qwen["model_spec"].startswith("gguf/very/long") and qwen["developer"] == "Alibaba"
    assert (qwen["weights"], qwen["release_date"]) == ("open", "2024-09-19")
    doc = json.loads(client.get("/data/leaderboard.json").text)
    assert next(m for m in doc["models"] if m["label"] == "Qwen2.5 1.5B")["model_card"]["developer"] == "Alibaba"


def test_card_links_must_be_http() -> None:
    for url in ("javascript:alert(1)", "data:text/html,x", "https://", "http://a b"):
        with pytest.raises(ValueError):
            ModelCard(website=url)


def test_card_files(tmp_path: Path) -> None:
    good = tmp_path / "card.yaml"
    good.write_text("name: My model\ndeveloper: Me\nweights: closed\nrelease_date: 2025-01-02\n")
    assert load_model_card(good, name="Renamed") == ModelCard(name="Renamed", developer="Me", weights="closed",
                                                             release_date=dt.date(2025, 1, 2))
    for text, needle in (("- a list\n", "mapping"), ("weights: half\n", "weights"),
                         ("website: ftp://x.org\n", "website"), ("colour: red\n", "colour")):
        bad = tmp_path / "bad.yaml"
        bad.write_text(text)
        with pytest.raises(DataFileError, match=needle):
            load_model_card(bad)


def test_run_stores_the_card_and_the_leaderboard_shows_it(cli, tmp_path: Path) -> None:
    store, card = tmp_path / "store.sqlite", tmp_path / "card.yaml"
    card.write_text("developer: Example Labs\nweights: open\nwebsite: https://example.org\n")
    args = ["run", "--model", "fake/echo", "--fixed", "--items", "1", "--system", "mft", "--no-judge",
            "--store", str(store)]
    result = cli(*args, "--card", str(card), "--name", "Yes Model")
    assert result.exit_code == 0, result.stderr
    with Store(store) as db:
        [run] = [s.run for s in db.list_runs()]
        cards = run.provenance["model_card"]
    assert cards == [{"name": "Yes Model", "developer": "Example Labs", "weights": "open",
                      "website": "https://example.org"}]
    again = cli(*args, "--card", str(card), "--name", "Yes Model")
    assert again.exit_code == 0, again.stderr
    with Store(store) as db:
        assert len(db.list_runs()[0].run.provenance["model_card"]) == 1  # the same card: stored once


def test_run_refuses_a_bad_card_before_running(cli, tmp_path: Path) -> None:
    store, card = tmp_path / "store.sqlite", tmp_path / "card.yaml"
    card.write_text("website: javascript:alert(1)\n")
    result = cli("run", "--model", "fake/echo", "--fixed", "--items", "1", "--no-judge", "--store", str(store),
                 "--card", str(card))
    assert result.exit_code != 0 and "http" in result.stderr and "Traceback" not in result.stderr
    assert not store.exists()
    several = cli("run", "-m", "fake/echo", "-m", "fake/echo2", "--name", "X", "--store", str(store))
    assert several.exit_code != 0 and "sweep" in several.stderr and not store.exists()


def test_the_readme_card_example_is_a_valid_card(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    body = readme.split("cat > card.yaml <<'YAML'\n", 1)[1].split("\nYAML\n", 1)[0]
    (tmp_path / "card.yaml").write_text(body)
    card = load_model_card(tmp_path / "card.yaml")
    assert card.weights == "open" and card.report and card.release_date == dt.date(2024, 11, 12)


def test_the_readme_screenshots_exist() -> None:
    root = Path(__file__).resolve().parents[2]
    shots = re.findall(r"\((docs/screenshots/[\w.-]+\.png)\)", (root / "README.md").read_text())
    assert len(shots) >= 6 and all((root / s).is_file() for s in shots)
    assert {p.name for p in (root / "docs" / "screenshots").glob("*-phone.png")} >= {"leaderboard-phone.png",
                                                                                    "model-phone.png"}
