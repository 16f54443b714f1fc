"""Read-only views of a run for readers: its cases (item, answer, verdict) and its full records.

These are what the web app and the downloads show; the methods live in a mixin of
:class:`valuecompass.store.Store`. They read stored JSON leniently (an item or a
judgment written by an older version is shown as it was stored, not validated against
today's models), so that a store stays readable across versions.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from valuecompass.errors import StoreError

RUN_FIELDS = ("settings", "seeds", "model_identity", "config", "provenance")


class CaseRecord(BaseModel):
    """One job of a run: the item, the answer (if any) and the newest verdict on its dimension.

    Attributes:
        job_key: The content-addressed job.
        sample_index: Which sample of the item.
        item_id: The item.
        dimension: The item's dimension.
        item_text: The item's text.
        item: The stored item snapshot, as stored (a mapping, or ``{}`` if unreadable).
        response: The answer's text (``""`` if not answered yet).
        label: The verdict (``None`` if not judged by the asked judge).
        judge_score: The verdict's score.
        rationale: The judge's reason.
        judge_id: Who judged it.
        made: The judgment's provenance (path, evidence, truncation ...).
    """

    model_config = ConfigDict(frozen=True)

    job_key: str
    sample_index: int = 0
    item_id: str
    dimension: str
    item_text: str = ""
    item: dict[str, Any] = Field(default_factory=dict)
    response: str = ""
    label: str | None = None
    judge_score: float | None = None
    rationale: str = ""
    judge_id: str = ""
    made: dict[str, Any] = Field(default_factory=dict)


def loads(text: str | None) -> Any:
    """Stored JSON text as a value (``{}`` for none; the text itself if it is not JSON)."""
    if not text:
        return {}
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def _mapping(text: str | None) -> dict[str, Any]:
    value = loads(text)
    return value if isinstance(value, dict) else {}


def _plain(row: sqlite3.Row, json_fields: tuple[str, ...], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    data = {k: row[k] for k in row.keys() if k not in skip}  # noqa: SIM118 - sqlite3.Row iterates values
    for key in json_fields:
        if isinstance(data.get(key), str):
            data[key] = loads(data[key])
    return data


class RunViewsMixin:
    """Store methods that read a run for display (needs ``_query``)."""

    _query: Callable[[str, Sequence[object] | dict[str, object]], list[sqlite3.Row]]

    def case_records(self, run_id: str, dimension: str | None = None, judge: str | None = None,
                     limit: int | None = None) -> list[CaseRecord]:
        """Every job of a run with its answer and verdict, in run order (the newest verdict wins).

        Args:
            run_id: The run (exact id).
            dimension: Only items of this dimension.
            judge: Whose verdicts to attach (default: any judge's).
            limit: At most this many cases.
        """
        sql = (_CASES_SQL + (" AND i.dimension = :dim" if dimension else "")
               + " ORDER BY j.position, j.sample_index, g.created")
        out: dict[str, CaseRecord] = {}
        for row in self._query(sql, {"run": run_id, "dim": dimension, "judge": judge}):
            out[row["job_key"]] = CaseRecord(  # several verdicts on one answer: the newest, read last, wins
                job_key=row["job_key"], sample_index=int(row["sample_index"]), item_id=row["item_id"],
                dimension=row["dimension"], item_text=row["text"] or "", item=_mapping(row["data"]),
                response=row["output_text"] or "", label=row["label"], judge_score=row["judge_score"],
                rationale=row["rationale"] or "", judge_id=row["judge_id"] or "",
                made=_mapping(row["judgment_provenance"]))
        cases = list(out.values())
        return cases[:limit] if limit is not None else cases

    def run_records(self, run_id: str) -> dict[str, Any]:
        """A run's full records as plain data: the run, its estimates, every item, answer and verdict.

        Raises:
            StoreError: if there is no such run.
        """
        runs = self._query("SELECT * FROM runs WHERE run_id = ?", (run_id,))
        if not runs:
            raise StoreError(f"no run {run_id!r} in the store", hint="see 'valuecompass runs list'")
        estimates = [_plain(r, ("details",), ("id",)) for r in self._query(
            "SELECT * FROM estimates WHERE run_id = ? ORDER BY dimension, method", (run_id,))]
        by_key: dict[str, list[dict[str, Any]]] = {}
        for j in self._query(_JUDGMENTS_SQL, {"run": run_id}):
            by_key.setdefault(j["response_key"], []).append(_plain(j, ("probabilities", "provenance"), ("id",)))
        responses = [{"item": loads(r["item_data"]),
                      "response": _plain(r, ("messages", "settings", "first_token"), ("item_data",)),
                      "judgments": by_key.get(r["job_key"], [])}
                     for r in self._query(_RECORDS_SQL, {"run": run_id})]
        return {"run": _plain(runs[0], RUN_FIELDS), "estimates": estimates, "responses": responses}

    def newest_cards(self, judge_id: str, kind: str = "card") -> dict[str, dict[str, Any]]:
        """Per model spec, the data of its newest stored card of ``kind`` with ``judge_id``."""
        out: dict[str, dict[str, Any]] = {}
        for row in self._query("SELECT model_spec, data FROM validity_cards WHERE kind = ? AND judge_id = ? "
                               "ORDER BY created DESC, card_id", (kind, judge_id)):
            if row["model_spec"] not in out:
                out[row["model_spec"]] = _mapping(row["data"])
        return out

    def table_names(self) -> set[str]:
        """The tables of the store file (to tell an old or foreign file)."""
        return {r[0] for r in self._query("SELECT name FROM sqlite_master WHERE type = 'table'", ())}


_CASES_SQL = """
SELECT j.job_key, j.sample_index, i.item_id, i.dimension, i.text, i.data, r.output_text,
       g.label, g.score AS judge_score, g.rationale, g.judge_id, g.provenance AS judgment_provenance
FROM run_jobs j
JOIN items i ON i.item_id = j.item_id AND i.content_hash = j.item_hash
LEFT JOIN responses r ON r.job_key = j.job_key
LEFT JOIN judgments g ON g.response_key = j.job_key AND g.dimension = i.dimension
     AND (:judge IS NULL OR g.judge_id = :judge)
WHERE j.run_id = :run
"""

_RECORDS_SQL = """
SELECT r.*, i.data AS item_data FROM run_jobs j
JOIN responses r ON r.job_key = j.job_key
LEFT JOIN items i ON i.item_id = j.item_id AND i.content_hash = j.item_hash
WHERE j.run_id = :run ORDER BY j.position, j.sample_index
"""

_JUDGMENTS_SQL = """
SELECT g.* FROM judgments g JOIN run_jobs j ON g.response_key = j.job_key
WHERE j.run_id = :run ORDER BY g.created
"""
