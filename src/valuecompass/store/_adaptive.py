"""The evolving item bank and adaptive tests: generated items, item parameters, CAT states.

Methods live in a mixin of :class:`valuecompass.store.Store`; the tables come
from migration ``m004_adaptive``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from valuecompass.items import Item
from valuecompass.store._db import now, write_tx
from valuecompass.store._rows import item_from_row


@dataclass(frozen=True)
class StoredItemParams:
    """Calibrated (or prior) 2PL parameters of one item, as stored.

    Attributes:
        item_id: The item.
        dimension: Its dimension.
        a: Discrimination.
        b: Difficulty (logit).
        se_a: Standard error of ``a`` (None for priors).
        se_b: Standard error of ``b``.
        n_responses: Judged responses the calibration used.
        source: ``prior`` or ``calibrated``.
        retired: Whether the item is kept out of selection.
        calibration_id: The calibration that wrote the row.
        updated: When it was written.
    """

    item_id: str
    dimension: str
    a: float
    b: float
    se_a: float | None
    se_b: float | None
    n_responses: int
    source: str
    retired: bool
    calibration_id: str
    updated: str


@dataclass(frozen=True)
class JudgedResponse:
    """One judged response, for calibration: which run and model, which item, the judge's label."""

    run_id: str
    model_spec: str
    item_id: str
    label: str
    judge_id: str


class AdaptiveMixin:
    """Store methods for generated items, item parameters and CAT states."""

    _conn: sqlite3.Connection
    _lock: threading.RLock
    _query: Callable[[str, Sequence[object]], list[sqlite3.Row]]

    def generated_items(self, dimension: str | None = None) -> list[Item]:
        """Every generated item in the store (latest snapshot of each id), optionally of one dimension."""
        sql = ("SELECT * FROM items WHERE json_extract(data, '$.provenance.source') = 'generated'"
               + (" AND dimension = ?" if dimension else "") + " ORDER BY first_seen, item_id")
        rows = self._query(sql, (dimension,) if dimension else ())
        return list({item.id: item for item in map(item_from_row, rows)}.values())

    def save_item_params(self, calibration_id: str, params: Iterable[StoredItemParams],
                         diagnostics: dict[str, Any]) -> None:
        """Replace the parameters of the given items and record the calibration's diagnostics."""
        stamp = now()
        rows = [(p.item_id, p.dimension, p.a, p.b, p.se_a, p.se_b, p.n_responses, p.source, int(p.retired),
                 calibration_id, stamp) for p in params]
        with self._lock, write_tx(self._conn) as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO item_params (item_id, dimension, a, b, se_a, se_b, n_responses, source,"
                " retired, calibration_id, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            conn.execute("INSERT OR REPLACE INTO calibrations (calibration_id, diagnostics, created) VALUES (?, ?, ?)",
                         (calibration_id, json.dumps(diagnostics, default=str), stamp))

    def item_params(self, dimension: str | None = None) -> dict[str, StoredItemParams]:
        """Stored item parameters by item id (optionally of one dimension)."""
        sql = "SELECT * FROM item_params" + (" WHERE dimension = ?" if dimension else "")
        rows = self._query(sql, (dimension,) if dimension else ())
        return {r["item_id"]: StoredItemParams(
            item_id=r["item_id"], dimension=r["dimension"], a=r["a"], b=r["b"], se_a=r["se_a"], se_b=r["se_b"],
            n_responses=r["n_responses"], source=r["source"], retired=bool(r["retired"]),
            calibration_id=r["calibration_id"], updated=r["updated"]) for r in rows}

    def calibration_diagnostics(self, calibration_id: str) -> dict[str, Any] | None:
        """Diagnostics stored with one calibration."""
        rows = self._query("SELECT diagnostics FROM calibrations WHERE calibration_id = ?", (calibration_id,))
        return json.loads(rows[0]["diagnostics"]) if rows else None

    def judged_responses(self, dimension: str, judge_id: str | None = None) -> list[JudgedResponse]:
        """Every parsed judgment of a response to an item of ``dimension``, across all runs.

        Unparsable judgments are left out. With several judges, pass ``judge_id``
        to keep one judge's view.
        """
        sql = ("SELECT j.run_id, r.model_spec, s.item_id, g.label, g.judge_id FROM run_jobs j"
               " JOIN runs r ON r.run_id = j.run_id JOIN responses s ON s.job_key = j.job_key"
               " JOIN judgments g ON g.response_key = j.job_key"
               " WHERE g.dimension = ? AND g.parse_status = 'ok' AND g.label IS NOT NULL"
               + (" AND g.judge_id = ?" if judge_id else "") + " ORDER BY j.run_id, j.position")
        rows = self._query(sql, (dimension, judge_id) if judge_id else (dimension,))
        return [JudgedResponse(r["run_id"], r["model_spec"], r["item_id"], r["label"], r["judge_id"]) for r in rows]

    def exposure_counts(self) -> dict[str, int]:
        """How many stored responses each item has (all runs)."""
        rows = self._query("SELECT item_id, COUNT(*) AS n FROM responses GROUP BY item_id", ())
        return {r["item_id"]: r["n"] for r in rows}

    def save_cat_state(self, run_id: str, dimension: str, state_json: str, extra: dict[str, Any]) -> None:
        """Store (replace) the adaptive-test state of one (run, dimension)."""
        with self._lock, write_tx(self._conn) as conn:
            conn.execute("INSERT OR REPLACE INTO cat_states (run_id, dimension, state, extra, updated)"
                         " VALUES (?, ?, ?, ?, ?)", (run_id, dimension, state_json, json.dumps(extra), now()))

    def load_cat_state(self, run_id: str, dimension: str) -> tuple[str, dict[str, Any]] | None:
        """The stored state JSON and extra data of one (run, dimension), or None."""
        rows = self._query("SELECT state, extra FROM cat_states WHERE run_id = ? AND dimension = ?",
                           (run_id, dimension))
        return (rows[0]["state"], json.loads(rows[0]["extra"])) if rows else None

    def cat_states(self, run_id: str) -> dict[str, str]:
        """All stored adaptive-test states of a run, by dimension."""
        rows = self._query("SELECT dimension, state FROM cat_states WHERE run_id = ?", (run_id,))
        return {r["dimension"]: r["state"] for r in rows}
