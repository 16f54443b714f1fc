"""Named, append-only migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from valuecompass.errors import StoreError
from valuecompass.store import MIGRATIONS, Store, applied_migrations
from valuecompass.store._db import connect, migrate


def test_every_migration_is_applied_once_in_order_and_recorded(store_path: Path) -> None:
    with Store(store_path) as store:
        assert applied_migrations(store._conn) == [m.name for m in MIGRATIONS]
    conn = connect(store_path)
    assert migrate(conn, store_path) == []
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"migrations", "runs", "items", "run_jobs", "responses", "judgments", "estimates"} <= tables


def test_migration_names_are_unique_and_ordered() -> None:
    names = [m.name for m in MIGRATIONS]
    assert len(set(names)) == len(names) and names == sorted(names)
    assert all(m.statements for m in MIGRATIONS)


def test_a_new_migration_is_applied_to_an_old_store(store_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from valuecompass.store import _db
    from valuecompass.store._schema import Migration

    Store(store_path).close()
    extended = (*MIGRATIONS, Migration("m999_test_column", ("ALTER TABLE runs ADD COLUMN note TEXT",)))
    monkeypatch.setattr(_db, "MIGRATIONS", extended)
    conn = connect(store_path)
    assert migrate(conn, store_path) == ["m999_test_column"]
    assert "note" in [r[1] for r in conn.execute("PRAGMA table_info(runs)")]


def test_store_from_a_newer_version_is_refused(store_path: Path) -> None:
    Store(store_path).close()
    raw = sqlite3.connect(store_path)
    raw.execute("INSERT INTO migrations VALUES ('m900_from_the_future', 'now')")
    raw.commit()
    raw.close()
    with pytest.raises(StoreError) as info:
        Store(store_path)
    assert "m900_from_the_future" in info.value.message and "upgrade" in info.value.hint
