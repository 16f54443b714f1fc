"""The store on real SQLite files: runs, items, responses, judgments, estimates, readers."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.store import _records as rec
from valuecompass.errors import StoreError
from valuecompass.store import EstimateRecord, JudgmentRecord, Store, default_store_path, resolve_store_path



def test_file_is_in_wal_mode_with_a_busy_timeout(store: Store, store_path: Path) -> None:
    assert store._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store._conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 10_000
    assert store_path.exists()


def test_open_run_creates_then_resumes_without_duplicating_jobs(store: Store) -> None:
    opened = store.open_run(rec.run(), rec.jobs())
    assert opened.created and opened.run.status == "running" and opened.run.created
    store.set_run_status("run-test", "interrupted")
    again = store.open_run(rec.run(), rec.jobs())
    assert not again.created and again.run.status == "running"
    assert again.run.created == opened.run.created
    assert [j.job_key for j in store.planned_jobs("run-test")] == ["key-0", "key-1", "key-2"]


def test_run_record_round_trips_with_provenance(store: Store) -> None:
    store.open_run(rec.run(), rec.jobs())
    got = store.get_run("run-test")
    assert got.model_identity == {"spec": "fake/echo"} and got.settings["seed"] == 1
    assert got.provenance == {"python": "3.11"} and got.n_jobs == 3 and got.item_bank_version == "v1"


def test_run_lookup_by_unique_prefix_and_clear_errors(store: Store) -> None:
    store.open_run(rec.run("run-abc1"))
    store.open_run(rec.run("run-abc2"))
    assert store.get_run("run-abc1").run_id == "run-abc1"
    with pytest.raises(StoreError, match="2 runs with id 'run-abc'"):
        store.get_run("run-abc")
    with pytest.raises(StoreError) as info:
        store.get_run("run-zzz")
    assert "no run" in info.value.message and "runs list" in info.value.hint
    with pytest.raises(StoreError):
        store.get_run("run-abc_")  # '_' is not a wildcard


def test_response_is_stored_once_per_job_key(store: Store) -> None:
    jobs = rec.jobs()
    store.open_run(rec.run(), jobs)
    assert store.insert_response(rec.response(jobs[1]))
    assert not store.insert_response(rec.response(jobs[1], text="a different answer"))
    assert store.get_response("key-1").output_text == "answer 1"
    assert store.done_keys("run-test") == {"key-1"}
    got = store.get_response("key-1")
    assert got.first_token is not None and got.first_token.top[1] == ("No", -2.3)
    assert got.messages == [{"role": "user", "content": "prompt 1"}]


def test_responses_come_in_run_order_and_are_shared_between_runs(store: Store) -> None:
    jobs = rec.jobs()
    store.open_run(rec.run(), jobs)
    for job in reversed(jobs):
        store.insert_response(rec.response(job))
    assert [r.job_key for r in store.responses_for_run("run-test")] == ["key-0", "key-1", "key-2"]
    store.open_run(rec.run("run-other", 1), jobs[2:])
    reused = store.responses_for_run("run-other")
    assert [(r.job_key, r.run_id) for r in reused] == [("key-2", "run-test")]
    assert store.done_keys("run-other") == {"key-2"}


def test_items_are_snapshotted_by_content(store: Store) -> None:
    items = rec.items(2)
    hashes = store.insert_items(items)
    store.insert_items(items)
    changed = items[0].model_copy(update={"text": items[0].text + " Explain."})
    hashes2 = store.insert_items([changed])
    assert hashes2[changed.id] != hashes[changed.id]
    assert store.get_item(changed.id, hashes[changed.id]) == items[0]
    assert store.get_item(changed.id, hashes2[changed.id]) == changed
    assert store._conn.execute("SELECT COUNT(*) FROM items").fetchone()[0] == 3


def _judgment(key: str, judge: str = "judge-a", label: str = "supports") -> JudgmentRecord:
    return JudgmentRecord(response_key=key, judge_id=judge, template_hash="t1", dimension="care", label=label,
                          score=0.9, probabilities={"supports": 0.9, "opposes": 0.1}, rationale="helps",
                          raw_output="Yes", parse_status="ok", provenance={"model": "fake/judge"})


def test_judgments_are_unique_per_response_judge_template_dimension(store: Store) -> None:
    jobs = rec.jobs()
    store.open_run(rec.run(), jobs)
    for job in jobs:
        store.insert_response(rec.response(job))
    assert store.insert_judgments([_judgment("key-0"), _judgment("key-1")]) == 2
    assert not store.insert_judgment(_judgment("key-0", label="opposes"))
    assert store.insert_judgment(_judgment("key-0", judge="judge-b"))
    got = store.judgments_for_run("run-test")
    assert [(j.response_key, j.judge_id, j.label) for j in got] == [
        ("key-0", "judge-a", "supports"), ("key-0", "judge-b", "supports"), ("key-1", "judge-a", "supports")]
    assert len(store.judgments_for_run("run-test", judge_id="judge-b")) == 1
    assert store.judgments_for_response("key-1")[0].probabilities == {"supports": 0.9, "opposes": 0.1}


def test_judgment_needs_a_stored_response(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_judgment(_judgment("no-such-key"))


def test_estimates_are_replaced_per_run_dimension_method_judge(store: Store) -> None:
    store.open_run(rec.run())
    est = EstimateRecord(run_id="run-test", dimension="care", method="mean", score=60.0, se=5.0, ci_low=50.0,
                         ci_high=70.0, n_items=3, details={"k": 1})
    store.insert_estimate(est)
    store.insert_estimate(est.model_copy(update={"score": 65.0}))
    store.insert_estimate(est.model_copy(update={"method": "irt-eap", "score": 62.0}))
    got = store.estimates_for_run("run-test")
    assert [(e.method, e.score) for e in got] == [("irt-eap", 62.0), ("mean", 65.0)]
    assert store.estimates_for_run("run-test", method="mean")[0].details == {"k": 1}


def test_summaries_and_views_for_the_web_app(store: Store) -> None:
    jobs = rec.jobs()
    store.insert_items(rec.items())
    store.open_run(rec.run(), jobs)
    store.insert_response(rec.response(jobs[0]))
    store.insert_response(rec.response(jobs[2]))
    store.insert_judgment(_judgment("key-2"))
    [summary] = store.list_runs()
    assert (summary.n_done, summary.n_judgments, summary.input_tokens, summary.output_tokens) == (2, 1, 10, 4)
    assert store.run_summary("run-te").run.run_id == "run-test"
    views = store.response_views("run-test")
    assert [v.response.job_key for v in views] == ["key-0", "key-2"]
    assert views[1].item is not None and views[1].item.id == jobs[2].item_id
    assert [j.label for j in views[1].judgments] == ["supports"] and views[0].judgments == ()


def test_store_path_order(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("VALUECOMPASS_STORE", raising=False)
    assert default_store_path().parts[-2:] == ("valuecompass", "store.sqlite")
    monkeypatch.setenv("VALUECOMPASS_STORE", str(tmp_path / "env.sqlite"))
    assert resolve_store_path(None) == tmp_path / "env.sqlite"
    assert resolve_store_path(tmp_path / "opt.sqlite") == tmp_path / "opt.sqlite"


def test_a_file_that_is_not_sqlite_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "notes.sqlite"
    bad.write_text("these are not the droids " * 100)
    with pytest.raises(StoreError) as info:
        Store(bad)
    assert "notes.sqlite" in info.value.message and "--store" in info.value.hint


def test_later_stages_append_to_the_run_provenance_once(store: Store) -> None:
    store.open_run(rec.run())
    entry = {"judge_id": "j1", "template_hash": "t1", "spec": "local/qwen2.5-1.5b"}
    assert store.append_provenance("run-test", "judges", entry, unique_by=("judge_id", "template_hash"))
    assert not store.append_provenance("run-test", "judges", {**entry, "spec": "x"},
                                       unique_by=("judge_id", "template_hash"))
    assert store.append_provenance("run-test", "judges", {**entry, "template_hash": "t2"},
                                   unique_by=("judge_id", "template_hash"))
    provenance = store.get_run("run-test").provenance
    assert provenance["python"] == "3.11" and [e["template_hash"] for e in provenance["judges"]] == ["t1", "t2"]
    with pytest.raises(StoreError, match="no run with id 'run-nope'"):
        store.append_provenance("run-nope", "judges", entry)


def test_a_store_locked_by_another_process_is_a_clear_error(store_path: Path) -> None:
    with Store(store_path) as first:
        first.open_run(rec.run())
    holder = sqlite3.connect(store_path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer that does not let go
    try:
        with Store(store_path, busy_timeout_s=0.1) as store:
            with pytest.raises(StoreError, match="database is locked") as info:
                store.open_run(rec.run(run_id="run-other"))
            assert "rerun" in (info.value.hint or "")
            assert not store._conn.in_transaction
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with Store(store_path) as store:
        store.open_run(rec.run(run_id="run-other"))  # nothing was left half-done
        assert {r.run.run_id for r in store.list_runs()} == {"run-test", "run-other"}


def test_a_read_only_open_never_migrates_or_writes(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    with Store(path) as store:
        store.insert_items(rec.items())
        store.open_run(rec.run(), rec.jobs())
        store.insert_response(rec.response(rec.jobs()[0]))
    with sqlite3.connect(path) as conn:  # as an older version left it: the newest migration not applied
        last = conn.execute("SELECT name FROM migrations ORDER BY rowid DESC LIMIT 1").fetchone()[0]
        conn.execute("DELETE FROM migrations WHERE name = ?", (last,))
    before = path.read_bytes()
    with Store.open_read_only(path) as view:
        assert view.read_only and [r.run_id for r in view.runs()] == ["run-test"]
        [case, *_] = view.case_records("run-test")
        assert case.response == "answer 0" and case.label is None and case.item["id"] == case.item_id
        assert view.run_records("run-test")["responses"][0]["response"]["output_text"] == "answer 0"
        with pytest.raises(StoreError, match="read-only|readonly"):
            view.set_run_status("run-test", "failed")
    assert path.read_bytes() == before


def test_a_read_only_open_refuses_what_is_no_store(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no store at"):
        Store.open_read_only(tmp_path / "absent.sqlite")
    (tmp_path / "empty.sqlite").write_bytes(b"")
    with pytest.raises(StoreError, match="not a valuecompass store"):
        Store.open_read_only(tmp_path / "empty.sqlite")
    with sqlite3.connect(tmp_path / "other.sqlite") as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(StoreError, match="not a valuecompass store"):
        Store.open_read_only(tmp_path / "other.sqlite")
    assert not (tmp_path / "absent.sqlite").exists()
