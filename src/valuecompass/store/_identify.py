"""Is this file a valuecompass store? Checked read-only, before anything writes to it.

Our stores carry SQLite's application id :data:`APPLICATION_ID` (``VCMP``). A store
written before the id existed is recognised by its ``migrations`` table and marked
when it is next migrated. Any other SQLite file is refused untouched (no migration,
no switch to WAL), and so is a file that is not SQLite at all or whose pages are
damaged (with the way to check and recover it).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Literal
from urllib.parse import quote

from valuecompass.errors import StoreError

#: ``PRAGMA application_id`` of a valuecompass store: the bytes ``VCMP``.
APPLICATION_ID = int.from_bytes(b"VCMP", "big")
#: The first migration every valuecompass store has (how stores from before the id are recognised).
FIRST_MIGRATION = "m001_runs_items_responses"
_SQLITE_HEADER = b"SQLite format 3\x00"

Kind = Literal["new", "store"]


def damaged(path: Path, detail: str) -> StoreError:
    """The error for a store whose pages cannot be read."""
    return StoreError(f"the store {str(path)!r} is damaged ({detail}); nothing was written to it",
                      hint=f"check it with 'valuecompass store check --store {path}'; recover what is readable with "
                           f"the SQLite shell: sqlite3 {path} '.recover' | sqlite3 recovered.sqlite (then use "
                           "--store recovered.sqlite), or restore a copy")


def read_only_uri(path: Path, immutable: bool = False) -> str:
    """The URI that opens ``path`` read-only (``immutable`` where even the WAL index cannot be created)."""
    return f"file:{quote(str(path.resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")


def identify(path: Path) -> Kind:
    """``new`` for a missing or empty file, ``store`` for one of ours.

    Raises:
        StoreError: for a file that is not SQLite, another program's database, or a damaged one.
    """
    if path.is_dir():
        raise StoreError(f"{str(path)!r} is a folder, not a store file",
                         hint=f"give a file path, e.g. --store {str(path / 'store.sqlite')!r}")
    try:
        if not path.exists() or path.stat().st_size == 0:
            return "new"
        with path.open("rb") as f:
            header = f.read(16)
    except OSError as exc:
        raise StoreError(f"cannot read store {str(path)!r}: {exc.strerror}",
                         hint="check the path and its permissions") from exc
    if header != _SQLITE_HEADER:
        raise StoreError(f"{str(path)!r} is not a valuecompass store (not an SQLite database); it was left untouched",
                         hint="give the store file 'valuecompass run' writes, or a new path, with --store")
    return _check_database(path)


def _check_database(path: Path) -> Kind:
    for immutable in (False, True):
        try:
            conn = sqlite3.connect(read_only_uri(path, immutable), uri=True, timeout=30)
        except sqlite3.Error:
            continue
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            first = (conn.execute("SELECT name FROM migrations ORDER BY rowid LIMIT 1").fetchone()
                     if "migrations" in tables else None)
        except sqlite3.OperationalError as exc:
            if "unable to open" in str(exc) and not immutable:
                continue  # a read-only folder without the WAL index: try immutable
            raise StoreError(f"cannot read store {str(path)!r}: {exc}", hint="retry; another process may hold it") from exc
        except sqlite3.DatabaseError as exc:
            raise damaged(path, str(exc)) from exc
        finally:
            conn.close()
        if app_id == APPLICATION_ID or (app_id == 0 and first is not None and first[0] == FIRST_MIGRATION):
            return "store"
        if app_id == 0 and not tables:
            return "new"
        what = f"application id {app_id:#x}" if app_id else f"tables {', '.join(sorted(tables)[:5])}"
        raise StoreError(f"{str(path)!r} is an SQLite database of another program ({what}), not a valuecompass "
                         "store; it was left untouched",
                         hint="give the store file 'valuecompass run' writes, or a new path, with --store")
    raise StoreError(f"cannot open store {str(path)!r} even read-only", hint="check the path and its permissions")


def integrity(conn: sqlite3.Connection, quick: bool = True) -> list[str]:
    """SQLite's integrity check of an open store: ``[]`` when sound, else its messages."""
    try:
        rows = conn.execute("PRAGMA quick_check" if quick else "PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    messages = [str(r[0]) for r in rows]
    return [] if messages == ["ok"] else messages
