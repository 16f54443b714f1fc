"""SQLite connection settings, write transactions and migrations.

Every store connection uses WAL (readers never block the writer), a busy
timeout (a writer waits for another process's write instead of failing) and
``BEGIN IMMEDIATE`` for writes (the write lock is taken up front, so two
processes never deadlock upgrading a read to a write).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

from valuecompass.errors import StoreError
from valuecompass.store._identify import APPLICATION_ID, read_only_uri
from valuecompass.store._schema import MIGRATIONS

log = logging.getLogger(__name__)

DEFAULT_BUSY_TIMEOUT_S = 60.0
#: Checkpoint the WAL every this many pages (about 40 MB) rather than SQLite's 1000:
#: checkpoints fsync, and one-row commits would otherwise pay for one every few hundred.
WAL_AUTOCHECKPOINT_PAGES = 10_000


def now() -> str:
    """The current UTC time as ISO 8601 with microseconds."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def connect(path: Path, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """Open (creating) the store file with the store's pragmas.

    Raises:
        StoreError: if the file cannot be opened or is not a SQLite database.
    """
    deadline = time.monotonic() + busy_timeout_s
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open store {str(path)!r}: {exc}",
                             hint="give a writable path with --store or VALUECOMPASS_STORE") from exc
        try:
            # Switching a new file to WAL needs an exclusive lock, and SQLite answers "locked" at once
            # (no busy wait) while another process creates the same store: retry until the timeout.
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            conn.execute("PRAGMA synchronous = NORMAL")  # durable against process kills; fsync at checkpoints
            conn.execute(f"PRAGMA wal_autocheckpoint = {WAL_AUTOCHECKPOINT_PAGES}")
            conn.execute("PRAGMA foreign_keys = ON")
            break
        except sqlite3.OperationalError as exc:
            conn.close()
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise StoreError(f"cannot open store {str(path)!r}: {exc}",
                                 hint="another process holds it: retry; or give another --store") from exc
            time.sleep(0.02)
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"cannot open store {str(path)!r}: {exc}",
                             hint="give a writable path with --store or VALUECOMPASS_STORE") from exc
    if mode.lower() != "wal":
        log.warning("store %s is in journal mode %s, not WAL (a network file system?)", path, mode)
    conn.row_factory = sqlite3.Row
    return conn


def write_failed(exc: sqlite3.Error) -> StoreError:
    """A :class:`StoreError` for a write SQLite refused, with the fix for its cause."""
    text = str(exc).lower()
    if "readonly" in text or "read-only" in text:
        hint = "the store (or its folder) is read-only: reading works; to write, copy it somewhere writable"
    elif "malformed" in text or "corrupt" in text or "not a database" in text:
        hint = "the store is damaged: check it with 'valuecompass store check'"
    elif "full" in text:
        hint = "the disk is full: free space, then rerun the same command to resume"
    elif "locked" in text or "busy" in text:
        hint = "another process held the store too long: rerun the same command to resume"
    else:
        hint = "give a writable --store, then rerun the same command to resume"
    return StoreError(f"the store could not be written: {exc}", hint=hint)


@contextlib.contextmanager
def write_tx(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """A write transaction: ``BEGIN IMMEDIATE`` ... ``COMMIT`` (``ROLLBACK`` on error).

    Raises:
        StoreError: if SQLite refuses the write (see :func:`write_failed`); other
            errors (e.g. a constraint) pass through after the rollback.
    """
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as exc:
        raise write_failed(exc) from exc
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:  # SQLite may have rolled back already
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        if isinstance(exc, (sqlite3.OperationalError, sqlite3.DatabaseError)) and not isinstance(
                exc, sqlite3.IntegrityError):
            raise write_failed(exc) from exc
        raise


def applied_migrations(conn: sqlite3.Connection) -> list[str]:
    """Names of the migrations applied to this store, in order."""
    rows = conn.execute("SELECT name FROM migrations ORDER BY rowid").fetchall()
    return [r[0] for r in rows]


def migrate(conn: sqlite3.Connection, path: Path) -> list[str]:
    """Apply every migration not yet applied, each recorded by name.

    Safe when several processes open a new store at once: the check and the
    changes happen under one write lock.

    Returns:
        Names of the migrations applied now.

    Raises:
        StoreError: if the store holds migrations this version does not know
            (it was written by a newer valuecompass).
    """
    known = [m.name for m in MIGRATIONS]
    has_table = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'").fetchone()
    marked = conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    if has_table and marked and set(applied_migrations(conn)) == set(known):
        return []  # up to date: no write lock needed (another process may be writing)
    with write_tx(conn):
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
        applied = applied_migrations(conn)
        unknown = [name for name in applied if name not in known]
        if unknown:
            raise StoreError(f"store {str(path)!r} has schema migrations this version does not know: "
                             f"{', '.join(unknown)}", hint="upgrade valuecompass, or use another --store")
        done = []
        for migration in MIGRATIONS:
            if migration.name in applied:
                continue
            for statement in migration.statements:
                conn.execute(statement)
            conn.execute("INSERT INTO migrations (name, applied) VALUES (?, ?)", (migration.name, now()))
            done.append(migration.name)
    if done:
        log.info("store %s: applied migrations %s", path, ", ".join(done))
    return done


def connect_read_only(path: Path, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> sqlite3.Connection:
    """Open an existing store read-only (``immutable`` where not even the WAL index can be made).

    Raises:
        StoreError: if it cannot be opened even so.
    """
    for immutable in (False, True):
        try:
            conn = sqlite3.connect(read_only_uri(path, immutable), uri=True, timeout=busy_timeout_s,
                                   isolation_level=None, check_same_thread=False)
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:
            continue
        conn.row_factory = sqlite3.Row
        return conn
    raise StoreError(f"cannot open store {str(path)!r}, not even read-only", hint="check the path and its permissions")
