"""Exporting a run's responses to JSONL and CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from tests.store import _records as rec
from valuecompass.errors import StoreError
from valuecompass.store import CSV_COLUMNS, JudgmentRecord, Store, export_responses


@pytest.fixture
def filled(store_path: Path):
    with Store(store_path) as store:
        jobs = rec.jobs()
        store.insert_items(rec.items())
        store.open_run(rec.run(), jobs)
        for job in jobs[:2]:
            store.insert_response(rec.response(job, text=f'answer, "quoted"\nline {job.position}'))
        store.insert_judgment(JudgmentRecord(response_key="key-1", judge_id="j", template_hash="t",
                                             dimension="care", label="opposes", score=0.2))
        yield store


def test_jsonl_holds_full_records_with_item_and_judgments(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.jsonl"
    assert export_responses(filled, "run-test", out, "jsonl") == 2
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["job_key"] for r in lines] == ["key-0", "key-1"]
    assert lines[0]["output_text"] == 'answer, "quoted"\nline 0'
    assert lines[0]["item"]["id"] == rec.items()[0].id and lines[0]["first_token"]["token"] == "Yes"
    assert lines[1]["judgments"][0]["label"] == "opposes" and lines[0]["judgments"] == []
    assert lines[0]["run_id"] == lines[0]["produced_by_run"] == "run-test"


def test_csv_has_one_flat_row_per_response(filled: Store, tmp_path: Path) -> None:
    out = tmp_path / "r.csv"
    assert export_responses(filled, "run-te", out, "csv") == 2
    with open(out, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == list(CSV_COLUMNS)
    assert rows[1]["output_text"] == 'answer, "quoted"\nline 1'
    assert rows[0]["dimension"] == rec.items()[0].dimension and rows[0]["prompt"] == "prompt 0"
    assert float(rows[0]["first_token_logprob"]) == -0.1
    assert json.loads(rows[1]["judgments"])[0]["label"] == "opposes"


def test_bad_format_or_path_is_a_clear_error(filled: Store, tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="unknown export format 'xml'"):
        export_responses(filled, "run-test", tmp_path / "r.xml", "xml")  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="cannot write"):
        export_responses(filled, "run-test", tmp_path / "no-dir" / "r.csv", "csv")
