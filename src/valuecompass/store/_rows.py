"""Conversion between records and SQLite rows (JSON columns as canonical JSON text)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from valuecompass._hashing import canonical_json, content_hash
from valuecompass.items import Item
from valuecompass.store._models import EstimateRecord, JudgmentRecord, MetricRecord, ResponseRecord, RunRecord

RUN_JSON = ("model_identity", "settings", "seeds", "config", "provenance")
RESPONSE_JSON = ("messages", "settings", "first_token")
JUDGMENT_JSON = ("probabilities", "provenance")
ESTIMATE_JSON = ("details",)
METRIC_JSON = ("details",)


def item_content_hash(item: Item) -> str:
    """Content hash (16 hex digits) of an item snapshot; changes when any field changes.

    An item without a scoring key hashes as it did before keys existed, so snapshots in older
    stores keep their hashes.
    """
    data = item.model_dump(mode="json")
    if data.get("key") is None:
        data.pop("key", None)
    return content_hash(data)


def to_row(record: Any, json_fields: tuple[str, ...]) -> dict[str, Any]:
    """A record as column values, JSON fields serialised."""
    data = record.model_dump(mode="json")
    for key in json_fields:
        if data.get(key) is not None:
            data[key] = canonical_json(data[key])
    return data


def _decode(row: sqlite3.Row, json_fields: tuple[str, ...], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    data = {k: row[k] for k in row.keys() if k not in skip}  # noqa: SIM118 - sqlite3.Row iterates values
    for key in json_fields:
        if data.get(key) is not None:
            data[key] = json.loads(data[key])
    return data


def run_from_row(row: sqlite3.Row, skip: tuple[str, ...] = ()) -> RunRecord:
    """Read a ``runs`` row (ignoring the extra columns named in ``skip``)."""
    return RunRecord.model_validate(_decode(row, RUN_JSON, skip))


def response_from_row(row: sqlite3.Row) -> ResponseRecord:
    """Read a ``responses`` row."""
    return ResponseRecord.model_validate(_decode(row, RESPONSE_JSON))


def judgment_from_row(row: sqlite3.Row) -> JudgmentRecord:
    """Read a ``judgments`` row."""
    return JudgmentRecord.model_validate(_decode(row, JUDGMENT_JSON, skip=("id",)))


def estimate_from_row(row: sqlite3.Row) -> EstimateRecord:
    """Read an ``estimates`` row."""
    return EstimateRecord.model_validate(_decode(row, ESTIMATE_JSON, skip=("id",)))


def item_from_row(row: sqlite3.Row) -> Item:
    """Read an ``items`` row back into the item snapshot."""
    return Item.model_validate_json(row["data"])


def insert_sql(table: str, columns: list[str], conflict: str = "IGNORE") -> str:
    """``INSERT OR <conflict> INTO table (...) VALUES (:col, ...)``."""
    return (f"INSERT OR {conflict} INTO {table} ({', '.join(columns)}) "
            f"VALUES ({', '.join(':' + c for c in columns)})")


def metric_from_row(row: sqlite3.Row) -> MetricRecord:
    """Read a ``run_metrics`` row."""
    return MetricRecord.model_validate(_decode(row, METRIC_JSON))
