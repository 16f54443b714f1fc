"""The :class:`Store`: runs, item snapshots and responses in one SQLite file."""

from __future__ import annotations

import dataclasses
import logging
import json
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from valuecompass._hashing import canonical_json
from valuecompass.errors import StoreError
from valuecompass.items import Item
from valuecompass.store._db import DEFAULT_BUSY_TIMEOUT_S, connect, connect_read_only, migrate, now, write_tx
from valuecompass.store._identify import damaged, identify, integrity
from valuecompass.store._adaptive import AdaptiveMixin
from valuecompass.store._derived import DerivedResultsMixin
from valuecompass.store._models import PlannedJob, ResponseRecord, ResponseView, RunRecord, RunStatus, RunSummary
from valuecompass.store._owner import Owner, current_owner, is_alive
from valuecompass.store._paths import resolve_store_path
from valuecompass.store._views import RunViewsMixin
from valuecompass.store._rows import (
    RESPONSE_JSON,
    RUN_JSON,
    insert_sql,
    item_content_hash,
    item_from_row,
    response_from_row,
    run_from_row,
    to_row,
)

log = logging.getLogger(__name__)

_RUN_COLUMNS = list(RunRecord.model_fields)
_RESPONSE_COLUMNS = list(ResponseRecord.model_fields)
_JOB_COLUMNS = ["run_id", *PlannedJob.model_fields]

_SUMMARY_SQL = """
SELECT r.*,
  (SELECT COUNT(*) FROM run_jobs j JOIN responses s ON s.job_key = j.job_key WHERE j.run_id = r.run_id) AS n_done,
  (SELECT COALESCE(SUM(s.input_tokens), 0) FROM run_jobs j JOIN responses s ON s.job_key = j.job_key
     WHERE j.run_id = r.run_id) AS input_tokens,
  (SELECT COALESCE(SUM(s.output_tokens), 0) FROM run_jobs j JOIN responses s ON s.job_key = j.job_key
     WHERE j.run_id = r.run_id) AS output_tokens,
  (SELECT COUNT(*) FROM run_jobs j JOIN judgments g ON g.response_key = j.job_key WHERE j.run_id = r.run_id)
     AS n_judgments,
  (SELECT COUNT(*) FROM estimates e WHERE e.run_id = r.run_id) AS n_estimates
FROM runs r
"""
_SUMMARY_EXTRA = ("n_done", "input_tokens", "output_tokens", "n_judgments", "n_estimates")


@dataclasses.dataclass(frozen=True)
class OpenedRun:
    """What :meth:`Store.open_run` found: the run, and whether it is new."""

    run: RunRecord
    created: bool


class Store(DerivedResultsMixin, AdaptiveMixin, RunViewsMixin):
    """The results store: one SQLite file in WAL mode, safe for several processes.

    Opening applies any pending migrations. Every write is one short
    ``BEGIN IMMEDIATE`` transaction, so a process killed at any point leaves
    every committed result intact, and a second process writing at the same time
    waits for the lock (up to ``busy_timeout_s``) instead of failing.

    Args:
        path: The store file; ``None`` uses ``$VALUECOMPASS_STORE`` or the user
            data directory (see :func:`default_store_path`).
        busy_timeout_s: How long a write waits for another writer.

    Example:
        >>> with Store(tmp_path / "store.sqlite") as store:  # doctest: +SKIP
        ...     store.list_runs()
        []
    """

    @classmethod
    def existing(cls, path: str | Path | None = None) -> Store:
        """Open a store that must exist already (for commands that only read).

        Raises:
            StoreError: if there is no file at the path (a typo would otherwise
                create an empty store and look like one without runs).
        """
        resolved = resolve_store_path(path)
        if resolved.is_dir():
            identify(resolved)  # says it is a folder
        if not resolved.is_file():
            raise StoreError(f"no store at {str(resolved)!r}",
                             hint="fill one with 'valuecompass run --model SPEC', or pass --store PATH")
        return cls(resolved)

    @classmethod
    def open_read_only(cls, path: str | Path | None = None,
                       busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> Store:
        """Open an existing store for reading only: no migration, no write, not even by mistake.

        A run still writing is never blocked (the store is in WAL mode), and the file is left
        byte for byte as it was. Tables a newer version added read as empty in an older store.

        Raises:
            StoreError: for a missing path, a folder, or a file that is not a valuecompass store.
        """
        resolved = resolve_store_path(path)
        kind = identify(resolved)  # a folder, another program's file or a damaged one is refused
        if not resolved.is_file():
            raise StoreError(f"no store at {str(resolved)!r}",
                             hint="fill one with 'valuecompass run --model SPEC', or pass --store PATH")
        if kind != "store":
            raise StoreError(f"{str(resolved)!r} is not a valuecompass store (an empty file)",
                             hint="pass the store file that 'valuecompass run' writes (see 'valuecompass runs list')")
        store = cls.__new__(cls)
        store.path, store.read_only, store._lock = resolved, True, threading.RLock()
        store._conn = connect_read_only(resolved, busy_timeout_s)
        return store

    def __init__(self, path: str | Path | None = None, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> None:
        self.path = resolve_store_path(path)
        kind = identify(self.path)  # another program's file, or a damaged one, is refused before any write
        self.read_only = False
        try:
            self._conn = connect(self.path, busy_timeout_s)
        except StoreError:
            if kind != "store":
                raise
            self._conn = connect_read_only(self.path, busy_timeout_s)  # a read-only folder: reads still work
            self.read_only = True
            log.info("store %s opened read-only", self.path)
        self._lock = threading.RLock()
        try:
            if not self.read_only:
                problems = integrity(self._conn) if kind == "store" else []
                if problems:
                    raise damaged(self.path, problems[0])
                migrate(self._conn, self.path)
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise damaged(self.path, str(exc)) from exc
        except BaseException:
            self._conn.close()
            raise

    # -- plumbing ---------------------------------------------------------

    def close(self) -> None:
        """Close the connection (idempotent)."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _query(self, sql: str, params: Sequence[object] | dict[str, object] = ()) -> list[sqlite3.Row]:
        try:
            with self._lock:
                return self._conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            if self.read_only and "no such table" in str(exc):
                return []  # a store from an older version opened read-only: the newer tables are empty
            raise StoreError(f"cannot read store {str(self.path)!r}: {exc}",
                             hint="retry; if it persists, check the store with 'valuecompass store check'") from exc
        except sqlite3.DatabaseError as exc:
            raise damaged(self.path, str(exc)) from exc

    def check(self, quick: bool = False) -> list[str]:
        """SQLite's integrity check: ``[]`` when the store is sound, else its messages."""
        with self._lock:
            return integrity(self._conn, quick)

    # -- runs ---------------------------------------------------------------

    def open_run(self, run: RunRecord, jobs: Sequence[PlannedJob] = ()) -> OpenedRun:
        """Create a run with its planned jobs, or resume the stored run of the same id.

        Args:
            run: The run record (``created``/``updated`` are set here).
            jobs: The calls the run needs; links already stored are kept.

        Returns:
            The stored run (status set to ``running``) and whether it was created now.
        """
        stamp = now()
        record = run.model_copy(update={"created": stamp, "updated": stamp, "status": "running"})
        with self._lock, write_tx(self._conn) as conn:
            created = conn.execute(insert_sql("runs", _RUN_COLUMNS), to_row(record, RUN_JSON)).rowcount == 1
            if not created:
                conn.execute("UPDATE runs SET status = 'running', updated = ? WHERE run_id = ?", (stamp, run.run_id))
            conn.executemany(insert_sql("run_jobs", _JOB_COLUMNS),
                             [{"run_id": run.run_id, **j.model_dump()} for j in jobs])
            owner = current_owner()
            conn.execute("INSERT OR REPLACE INTO run_owners VALUES (?, ?, ?, ?, ?)",
                         (run.run_id, owner.host, owner.pid, owner.started, stamp))
        return OpenedRun(self.get_run(run.run_id), created)

    def get_run(self, run_id: str) -> RunRecord:
        """The run ``run_id`` (or the only run whose id starts with it).

        A ``running`` run whose owner process is gone (killed) reads as ``interrupted``.

        Raises:
            StoreError: if no run, or more than one, matches.
        """
        return self._live(run_from_row(self._run_row(run_id)))

    def _live(self, run: RunRecord) -> RunRecord:
        """``run`` with ``interrupted`` for a ``running`` status whose owner (on this host) has died."""
        if run.status != "running":
            return run
        rows = self._query("SELECT host, pid, started FROM run_owners WHERE run_id = ?", (run.run_id,))
        if rows and is_alive(Owner(rows[0]["host"], int(rows[0]["pid"]), rows[0]["started"])) is False:
            return run.model_copy(update={"status": "interrupted"})
        return run

    def _run_row(self, run_id: str, sql: str = "SELECT * FROM runs r") -> sqlite3.Row:
        rows = self._query(f"{sql} WHERE r.run_id = ?", (run_id,))
        if not rows:
            rows = self._query(f"{sql} WHERE r.run_id LIKE ? ESCAPE '\\'", (_like_prefix(run_id),))
        if len(rows) != 1:
            what = "no run" if not rows else f"{len(rows)} runs"
            raise StoreError(f"{what} with id {run_id!r} in store {str(self.path)!r}",
                             hint="see the ids with `valuecompass runs list` (a unique prefix is enough)")
        return rows[0]

    def set_run_status(self, run_id: str, status: RunStatus) -> None:
        """Record that run ``run_id`` is now ``running``, ``complete``, ``failed`` or ``interrupted``."""
        with self._lock, write_tx(self._conn) as conn:
            conn.execute("UPDATE runs SET status = ?, updated = ? WHERE run_id = ?", (status, now(), run_id))

    def append_provenance(self, run_id: str, section: str, entry: dict[str, Any],
                          unique_by: Sequence[str] = (), last_only: bool = False) -> bool:
        """Append ``entry`` to the list ``provenance[section]`` of a run, in one transaction.

        Later stages record themselves this way (e.g. the judge: ``section="judges"``,
        ``unique_by=("judge_id", "template_hash")``).

        Args:
            run_id: The run (exact id).
            section: Key of the list in the run's ``provenance``.
            entry: A JSON-serialisable mapping.
            unique_by: Keys that identify an entry: if an entry with the same
                values is there already, nothing is added.
            last_only: Compare with the last entry only (for a section whose newest entry is
                the current one, such as a model card corrected back and forth).

        Returns:
            ``True`` if the entry was added.

        Raises:
            StoreError: for an unknown run.
        """
        with self._lock, write_tx(self._conn) as conn:
            row = conn.execute("SELECT provenance FROM runs WHERE run_id = ?", (run_id,)).fetchone()
            if row is None:
                raise StoreError(f"no run with id {run_id!r} in store {str(self.path)!r}",
                                 hint="see the ids with `valuecompass runs list`")
            provenance = json.loads(row[0])
            entries = provenance.setdefault(section, [])
            key = [entry.get(k) for k in unique_by]
            compared = entries[-1:] if last_only else entries
            if unique_by and any([e.get(k) for k in unique_by] == key for e in compared):
                return False
            entries.append(entry)
            conn.execute("UPDATE runs SET provenance = ?, updated = ? WHERE run_id = ?",
                         (canonical_json(provenance), now(), run_id))
        return True

    def runs(self) -> list[RunRecord]:
        """Every run, newest first, without progress counts (a killed run reads as ``interrupted``)."""
        return [self._live(run_from_row(r)) for r in self._query("SELECT * FROM runs ORDER BY created DESC, run_id")]

    def list_runs(self) -> list[RunSummary]:
        """Every run with its progress, newest first (a killed run reads as ``interrupted``)."""
        summaries = [_summary(row) for row in self._query(_SUMMARY_SQL + " ORDER BY r.created DESC, r.run_id")]
        return [s.model_copy(update={"run": self._live(s.run)}) for s in summaries]

    def run_summary(self, run_id: str) -> RunSummary:
        """One run with its progress (a unique id prefix is enough; a killed run reads as ``interrupted``)."""
        summary = _summary(self._run_row(run_id, _SUMMARY_SQL))
        return summary.model_copy(update={"run": self._live(summary.run)})

    def planned_jobs(self, run_id: str) -> list[PlannedJob]:
        """The jobs of a run, in order."""
        rows = self._query("SELECT * FROM run_jobs WHERE run_id = ? ORDER BY position", (run_id,))
        return [PlannedJob.model_validate({k: r[k] for k in PlannedJob.model_fields}) for r in rows]

    # -- items ---------------------------------------------------------------

    def insert_items(self, items: Iterable[Item]) -> dict[str, str]:
        """Store snapshots of ``items`` (once per content); return ``{item_id: content_hash}``."""
        stamp = now()
        rows, hashes = [], {}
        for item in items:
            hashes[item.id] = h = item_content_hash(item)
            rows.append((item.id, h, item.dimension, item.format, item.text, item.model_dump_json(), stamp))
        with self._lock, write_tx(self._conn) as conn:
            conn.executemany("INSERT OR IGNORE INTO items VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        return hashes

    def get_item(self, item_id: str, item_hash: str) -> Item | None:
        """The stored snapshot of an item, or ``None``."""
        rows = self._query("SELECT data FROM items WHERE item_id = ? AND content_hash = ?", (item_id, item_hash))
        return item_from_row(rows[0]) if rows else None

    # -- responses -------------------------------------------------------------

    def insert_response(self, response: ResponseRecord) -> bool:
        """Store one response in its own transaction; a key already stored is left alone.

        Returns:
            ``True`` if it was new.
        """
        row = to_row(response if response.created else response.model_copy(update={"created": now()}), RESPONSE_JSON)
        with self._lock, write_tx(self._conn) as conn:
            return conn.execute(insert_sql("responses", _RESPONSE_COLUMNS), row).rowcount == 1

    def done_keys(self, run_id: str) -> set[str]:
        """Job keys of run ``run_id`` that already have a stored response (from any run)."""
        rows = self._query("SELECT j.job_key FROM run_jobs j JOIN responses s ON s.job_key = j.job_key "
                           "WHERE j.run_id = ?", (run_id,))
        return {r[0] for r in rows}

    def get_response(self, job_key: str) -> ResponseRecord | None:
        """The response stored under ``job_key``, or ``None``."""
        rows = self._query("SELECT * FROM responses WHERE job_key = ?", (job_key,))
        return response_from_row(rows[0]) if rows else None

    def responses_for_run(self, run_id: str) -> list[ResponseRecord]:
        """Stored responses of a run's jobs, in the run's order (reused ones included)."""
        rows = self._query("SELECT s.* FROM run_jobs j JOIN responses s ON s.job_key = j.job_key "
                           "WHERE j.run_id = ? ORDER BY j.position", (run_id,))
        return [response_from_row(r) for r in rows]

    def response_views(self, run_id: str) -> list[ResponseView]:
        """A run's responses with their item snapshots and judgments, in order (for the web app)."""
        responses = self.responses_for_run(run_id)
        items = {(r["item_id"], r["content_hash"]): item_from_row(r) for r in self._query(
            "SELECT i.* FROM items i JOIN run_jobs j ON j.item_id = i.item_id AND j.item_hash = i.content_hash "
            "WHERE j.run_id = ?", (run_id,))}
        judgments: dict[str, list] = {}
        for j in self.judgments_for_run(run_id):
            judgments.setdefault(j.response_key, []).append(j)
        return [ResponseView(response=r, item=items.get((r.item_id, r.item_hash)),
                             judgments=tuple(judgments.get(r.job_key, ()))) for r in responses]


def _like_prefix(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _summary(row: sqlite3.Row) -> RunSummary:
    return RunSummary(run=run_from_row(row, skip=_SUMMARY_EXTRA), **{k: row[k] for k in _SUMMARY_EXTRA})
