"""The read-only store view: what it reads, which run it shows, and that it never writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.leaderboard._fill import HOSTILE, JUDGE, METHOD, ScriptedModel, fill_store
from tests.leaderboard.conftest import HOSTILE_SPEC
from valuecompass.errors import StoreError
from valuecompass.leaderboard import StoreReader, model_key
from valuecompass.store import EstimateRecord, RunRecord, Store


def test_load_reads_every_model_with_scores_and_provenance(scripted_store: Path) -> None:
    data = StoreReader(scripted_store).load()
    assert [m.label for m in data.models] == sorted((m.label for m in data.models), key=str.lower)
    assert {m.label for m in data.models} == {"fake/kind", "fake/power", "fake/middle", HOSTILE_SPEC}
    kind = next(m for m in data.models if m.label == "fake/kind")
    assert (data.method, data.judge) == (METHOD, JUDGE)
    assert kind.scores["benevolence"].score == 100.0 and kind.scores["power"].score == 0.0
    assert kind.scores["care"].n_items == 4 and len(kind.scores) == 27
    cell = kind.scores["achievement"]
    assert cell.low <= cell.score <= cell.high and cell.se > 0
    assert kind.run.status == "complete" and kind.run.judge == JUDGE
    assert kind.run.item_bank_version.startswith("seed-") and kind.run.settings["settings.temperature"] == "0.0"


def test_cases_join_items_responses_and_judgments_in_run_order(scripted_store: Path) -> None:
    reader = StoreReader(scripted_store)
    hostile = next(m for m in reader.load().models if m.label == HOSTILE_SPEC)
    cases = reader.cases(hostile.run.run_id, dimension="care")
    assert len(cases) == 4 and all(c.dimension == "care" for c in cases)
    assert cases[0].response == HOSTILE and cases[0].rationale == HOSTILE
    assert [c.label for c in cases] == ["supports", "opposes", "opposes", "opposes"]
    assert cases[0].item_text and cases[0].difficulty in ("easy", "medium", "hard")
    assert len(reader.cases(hostile.run.run_id)) == 27 * 4
    assert len(reader.cases(hostile.run.run_id, limit=5)) == 5


def test_run_records_hold_run_estimates_responses_and_judgments(scripted_store: Path) -> None:
    reader = StoreReader(scripted_store)
    run_id = reader.load().models[0].run.run_id
    records = reader.run_records(run_id)
    assert records["run"]["run_id"] == run_id and records["run"]["settings"]["max_tokens"] == 256
    assert len(records["estimates"]) == 27 and len(records["responses"]) == 108
    first = records["responses"][0]
    assert first["item"]["id"] == first["response"]["item_id"] and first["judgments"][0]["judge_id"] == JUDGE
    with pytest.raises(StoreError, match="no run 'nope'"):
        reader.run_records("nope")


def test_newest_complete_run_of_a_model_is_shown_and_older_ones_listed(tmp_path: Path) -> None:
    path = fill_store(tmp_path / "s.sqlite", [ScriptedModel("fake/a", 0.5)], per_dim=1)
    with Store(path) as store:
        store.open_run(RunRecord(run_id="later-run", model_spec="fake/a"))
        store.insert_estimates([EstimateRecord(run_id="later-run", dimension="care", method=METHOD, judge_id=JUDGE,
                                               score=10.0, se=1.0, n_items=1)])
        store.set_run_status("later-run", "complete")
        store.open_run(RunRecord(run_id="running-run", model_spec="fake/a"))
        store.insert_estimates([EstimateRecord(run_id="running-run", dimension="care", method=METHOD,
                                               judge_id=JUDGE, score=99.0, se=1.0, n_items=1)])
    [model] = StoreReader(path).load().models
    assert model.run.run_id == "later-run" and model.scores["care"].score == 10.0
    assert set(model.other_runs) == {"run-fake-a", "running-run"}
    assert model.scores["care"].low == pytest.approx(10.0 - 1.959963984540054)


def test_method_and_judge_choice(tmp_path: Path) -> None:
    path = fill_store(tmp_path / "s.sqlite", [ScriptedModel("fake/a", 0.5)], per_dim=1)
    with Store(path) as store:
        store.insert_estimates([EstimateRecord(run_id="run-fake-a", dimension="care", method="irt-eap",
                                               judge_id=JUDGE, score=42.0, se=3.0, n_items=1)])
    reader = StoreReader(path)
    assert reader.load().method == METHOD  # the most common method wins by default
    irt = reader.load(method="irt-eap")
    assert irt.models[0].scores.keys() == {"care"} and irt.models[0].scores["care"].score == 42.0
    assert set(irt.methods) == {f"{METHOD}@{JUDGE}", f"irt-eap@{JUDGE}"}
    with pytest.raises(StoreError, match="no scores by method 'bayes'") as err:
        reader.load(method="bayes")
    assert "irt-eap@" in (err.value.hint or "")


def test_reader_never_writes(scripted_store: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite"
    with sqlite3.connect(scripted_store) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    before = copy.read_bytes()
    reader = StoreReader(copy)
    reader.load()
    reader.cases(reader.load().models[0].run.run_id)
    with pytest.raises(StoreError, match="read-only|readonly"):
        reader.store.set_run_status(reader.load().models[0].run.run_id, "failed")
    reader.close()
    assert copy.read_bytes() == before


def test_missing_and_foreign_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at") as err:
        StoreReader(tmp_path / "absent.sqlite")
    assert "valuecompass run" in (err.value.hint or "")
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a valuecompass store"):
        StoreReader(other)
    text = tmp_path / "text.sqlite"
    text.write_text("not a database at all, just text " * 10)
    with pytest.raises(StoreError):
        StoreReader(text)


def test_empty_store_loads_no_models(tmp_path: Path) -> None:
    Store(tmp_path / "empty.sqlite").close()
    data = StoreReader(tmp_path / "empty.sqlite").load()
    assert data.models == () and data.method == ""


def test_model_keys_are_safe_and_unique() -> None:
    taken: set[str] = set()
    assert model_key("local/SmolLM2-135M", taken) == "local-smollm2-135m"
    assert model_key("local/smollm2 135m", taken) == "local-smollm2-135m-2"
    assert model_key('fake/<img src=x onerror="a()">', taken) == "fake-img-src-x-onerror-a"
    assert model_key("../../etc/passwd", taken) == "etc-passwd"
    assert model_key("///", taken) == "model"
