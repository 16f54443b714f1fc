"""Judgments, estimates and run metrics: results derived from stored responses.

These tables are written by the judge and estimation stages; the methods live in
a mixin of :class:`valuecompass.store.Store`.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence

from valuecompass._hashing import canonical_json
from valuecompass.store._db import now, write_tx
from valuecompass.store._models import EstimateRecord, JudgmentRecord, MetricRecord
from valuecompass.store._rows import (
    ESTIMATE_JSON,
    JUDGMENT_JSON,
    METRIC_JSON,
    estimate_from_row,
    insert_sql,
    judgment_from_row,
    metric_from_row,
    to_row,
)

_JUDGMENT_COLUMNS = list(JudgmentRecord.model_fields)
_ESTIMATE_COLUMNS = list(EstimateRecord.model_fields)
_METRIC_COLUMNS = list(MetricRecord.model_fields)


class DerivedResultsMixin:
    """Store methods for judgments and estimates (needs ``_conn``, ``_lock``, ``_query``)."""

    _conn: sqlite3.Connection
    _lock: threading.RLock
    _query: Callable[[str, Sequence[object]], list[sqlite3.Row]]

    def insert_judgments(self, judgments: Iterable[JudgmentRecord]) -> int:
        """Store judgments in one transaction; ones already stored (same response,
        judge, template hash and dimension) are left alone.

        Returns:
            How many were new.
        """
        stamp = now()
        rows = [to_row(j.model_copy(update={"created": j.created or stamp}), JUDGMENT_JSON) for j in judgments]
        with self._lock, write_tx(self._conn) as conn:
            before = conn.total_changes
            conn.executemany(insert_sql("judgments", _JUDGMENT_COLUMNS), rows)
            return conn.total_changes - before

    def insert_judgment(self, judgment: JudgmentRecord) -> bool:
        """Store one judgment; return ``True`` if it was new (see :meth:`insert_judgments`)."""
        return self.insert_judgments([judgment]) == 1

    def judgments_for_response(self, job_key: str) -> list[JudgmentRecord]:
        """Every judgment of one response."""
        rows = self._query("SELECT * FROM judgments WHERE response_key = ? ORDER BY id", (job_key,))
        return [judgment_from_row(r) for r in rows]

    def judgments_for_run(self, run_id: str, judge_id: str | None = None) -> list[JudgmentRecord]:
        """Judgments of a run's responses (optionally of one judge), in the run's order."""
        sql = ("SELECT g.* FROM run_jobs j JOIN judgments g ON g.response_key = j.job_key WHERE j.run_id = ?"
               + (" AND g.judge_id = ?" if judge_id is not None else "") + " ORDER BY j.position, g.id")
        params: tuple[str, ...] = (run_id, judge_id) if judge_id is not None else (run_id,)
        return [judgment_from_row(r) for r in self._query(sql, params)]

    def insert_estimates(self, estimates: Iterable[EstimateRecord]) -> None:
        """Store estimates in one transaction, replacing any of the same run, dimension,
        method and judge."""
        stamp = now()
        rows = [to_row(e.model_copy(update={"created": e.created or stamp}), ESTIMATE_JSON) for e in estimates]
        with self._lock, write_tx(self._conn) as conn:
            conn.executemany(insert_sql("estimates", _ESTIMATE_COLUMNS, conflict="REPLACE"), rows)

    def insert_estimate(self, estimate: EstimateRecord) -> None:
        """Store one estimate (see :meth:`insert_estimates`)."""
        self.insert_estimates([estimate])

    def estimates_for_run(self, run_id: str, method: str | None = None) -> list[EstimateRecord]:
        """Estimates of a run (optionally of one method), by dimension."""
        sql = "SELECT * FROM estimates WHERE run_id = ?" + (" AND method = ?" if method else "")
        params: tuple[str, ...] = (run_id, method) if method else (run_id,)
        return [estimate_from_row(r) for r in self._query(sql + " ORDER BY dimension, method, judge_id", params)]

    def all_estimates(self) -> list[EstimateRecord]:
        """Every estimate in the store, oldest first."""
        return [estimate_from_row(r) for r in self._query("SELECT * FROM estimates ORDER BY created, id", ())]

    def replace_metrics(self, run_id: str, judge_id: str, metrics: Iterable[MetricRecord]) -> None:
        """Store the run metrics of one (run, judge), replacing all it had: a figure no longer computed goes."""
        stamp = now()
        rows = [to_row(m.model_copy(update={"created": m.created or stamp}), METRIC_JSON) for m in metrics]
        with self._lock, write_tx(self._conn) as conn:
            conn.execute("DELETE FROM run_metrics WHERE run_id = ? AND judge_id = ?", (run_id, judge_id))
            conn.executemany(insert_sql("run_metrics", _METRIC_COLUMNS, conflict="REPLACE"), rows)

    def metrics_for_run(self, run_id: str, judge_id: str | None = None) -> list[MetricRecord]:
        """Run metrics of a run (optionally of one judge), by name and dimension."""
        sql = "SELECT * FROM run_metrics WHERE run_id = ?" + (" AND judge_id = ?" if judge_id is not None else "")
        params: tuple[str, ...] = (run_id, judge_id) if judge_id is not None else (run_id,)
        return [metric_from_row(r) for r in self._query(sql + " ORDER BY name, dimension", params)]

    def save_card(self, card_id: str, kind: str, model_spec: str, judge_id: str, data: dict) -> None:
        """Store (or replace) a validity card or a cached check result (``kind``: ``card``, ``agreement``)."""
        with self._lock, write_tx(self._conn) as conn:
            conn.execute("INSERT OR REPLACE INTO validity_cards VALUES (?, ?, ?, ?, ?, ?)",
                         (card_id, kind, model_spec, judge_id, canonical_json(data), now()))

    def load_card(self, card_id: str) -> dict | None:
        """A stored card's data by id, or ``None``."""
        rows = self._query("SELECT data FROM validity_cards WHERE card_id = ?", (card_id,))
        return json.loads(rows[0][0]) if rows else None

    def cards(self, kind: str = "card", model_spec: str | None = None) -> list[dict]:
        """Stored cards of ``kind`` (optionally of one model), newest first."""
        sql = "SELECT data FROM validity_cards WHERE kind = ?" + (" AND model_spec = ?" if model_spec else "")
        params: tuple[str, ...] = (kind, model_spec) if model_spec else (kind,)
        return [json.loads(r[0]) for r in self._query(sql + " ORDER BY created DESC, card_id", params)]
