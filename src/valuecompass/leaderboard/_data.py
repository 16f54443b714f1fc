"""The one way the web app reads the store: a read-only SQLite view turned into the view model.

The connection is opened with ``mode=ro`` so the leaderboard can never write to the store, even
by mistake, and a run that is still writing is never blocked (the store uses WAL).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import math
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from valuecompass import __version__
from valuecompass.errors import StoreError
from valuecompass.frameworks import get_dimension, is_dimension
from valuecompass.judge import evidence_spans
from valuecompass.leaderboard._model import Case, LeaderboardData, ModelEntry, RunInfo, ScoreCell
from valuecompass.metric import Z95
from valuecompass.models import ModelCard
from valuecompass.store import Owner, choose_model_runs, estimate_from_row, is_alive, run_from_row
from valuecompass.validity import ValidityCard, grade_cell

log = logging.getLogger(__name__)

_REQUIRED_TABLES = {"runs", "run_jobs", "responses", "items", "judgments", "estimates"}
_RUN_FIELDS = ("settings", "seeds", "model_identity", "config", "provenance")


def model_key(spec: str, taken: set[str]) -> str:
    """A URL- and file-safe key for a model spec, unique among ``taken`` (which it joins).

    Example:
        >>> model_key("local/SmolLM2-135M", set())
        'local-smollm2-135m'
    """
    base = re.sub(r"[^a-z0-9._]+", "-", spec.lower()).strip("-._")[:60] or "model"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    taken.add(key)
    return key


def _flatten(prefix: str, value: Any, out: dict[str, str]) -> None:
    if isinstance(value, dict) and value:
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, str):
        out[prefix] = value
    else:
        out[prefix] = json.dumps(value, ensure_ascii=False, sort_keys=True)


def _json(text: str | None) -> Any:
    if not text:
        return {}
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


class StoreReader:
    """A read-only view of one store file.

    Args:
        path: The store's SQLite file.

    Raises:
        StoreError: if the file does not exist or is not a valuecompass store.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if self.path.is_dir():
            raise StoreError(f"{str(self.path)!r} is a folder, not a store file",
                             hint=f"give a file path, e.g. --store {str(self.path / 'store.sqlite')!r}")
        if not self.path.is_file():
            raise StoreError(f"no store at {str(self.path)!r}",
                             hint="fill one with 'valuecompass run --model SPEC', or pass --store PATH")
        with self._connect() as conn:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        missing = _REQUIRED_TABLES - tables
        if missing:
            raise StoreError(f"{str(self.path)!r} is not a valuecompass store (no tables {', '.join(sorted(missing))})",
                             hint="pass the store file that 'valuecompass run' writes (see 'valuecompass runs list')")

    @contextlib.contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        uri = f"file:{quote(str(self.path.resolve()))}?mode=ro"
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=30.0)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open store {str(self.path)!r} read-only: {exc}",
                             hint="check the path and that you may read it") from exc
        conn.row_factory = sqlite3.Row
        try:
            yield conn
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot read store {str(self.path)!r}: {exc}",
                             hint="is it a valuecompass store written by this version?") from exc
        finally:
            conn.close()

    def signature(self) -> tuple[float, ...]:
        """Modification times of the store and its WAL: changes when anything is written."""
        files = (self.path, self.path.with_name(self.path.name + "-wal"))
        return tuple(f.stat().st_mtime_ns if f.exists() else 0.0 for f in files)

    def estimate_kinds(self) -> list[tuple[str, str, int]]:
        """Every ``(method, judge_id, count)`` in the estimates table, most common first."""
        with self._connect() as conn:
            rows = conn.execute("SELECT method, judge_id, COUNT(*) AS n FROM estimates "
                                "GROUP BY method, judge_id ORDER BY n DESC, method, judge_id").fetchall()
        return [(r["method"], r["judge_id"], r["n"]) for r in rows]

    def kind_models(self) -> dict[tuple[str, str], int]:
        """How many models have scores by each ``(method, judge_id)``."""
        with self._connect() as conn:
            rows = conn.execute("SELECT e.method, e.judge_id, COUNT(DISTINCT r.model_spec) AS n FROM estimates e "
                                "JOIN runs r ON r.run_id = e.run_id GROUP BY e.method, e.judge_id").fetchall()
        return {(r["method"], r["judge_id"]): r["n"] for r in rows}

    def load(self, method: str | None = None, judge: str | None = None) -> LeaderboardData:
        """Read every evaluated model: the newest run per model spec with scores by ``method``.

        Args:
            method: Estimation method to show (default: the most common in the store).
            judge: Judge whose verdicts the scores rest on (default: the most common with ``method``).

        Raises:
            StoreError: if no scores match ``method``/``judge``, or the store cannot be read.
        """
        names = tuple(f"{m}@{j}" for m, j, _ in self.estimate_kinds())
        with self._connect() as conn:
            runs = [self._live(conn, r) for r in conn.execute("SELECT * FROM runs ORDER BY created DESC").fetchall()]
            estimates = [estimate_from_row(r) for r in conn.execute("SELECT * FROM estimates").fetchall()]
            hidden: dict[str, int] = {}
            chosen: dict[str, Any] = {}
            if estimates:  # the store's own rule picks the method, the judge and each model's run
                records = [run_from_row(r) for r in runs]  # type: ignore[arg-type] - a row as a dict
                method, judge, chosen, hidden = choose_model_runs(records, estimates, method=method, judge=judge)
            est = conn.execute("SELECT * FROM estimates WHERE method = ? AND judge_id = ?",
                               (method or "", judge or "")).fetchall()
        method, judge = method or "", judge or ""
        by_run: dict[str, list[sqlite3.Row]] = {}
        for row in est:
            by_run.setdefault(row["run_id"], []).append(row)
        cards, metrics = self._cards(judge), self._metrics(judge)
        entries, taken = [], set()
        for spec, spec_runs in _group_runs(runs).items():
            if spec not in chosen:
                continue
            best = next(r for r in spec_runs if r["run_id"] == chosen[spec].run_id)
            others = tuple(r["run_id"] for r in spec_runs if r["run_id"] != best["run_id"])
            card = cards.get(spec)
            cells = _graded(_cells(by_run[best["run_id"]], method), _unreadable(by_run[best["run_id"]]), card,
                            _self_judged(best, judge))
            model_card = _model_card(spec_runs)
            label = model_card.name if model_card and model_card.name else spec
            entries.append(ModelEntry(key=model_key(spec, taken), label=label,
                                      run=_run_info(best, judge, label), scores=cells, other_runs=others, card=card,
                                      metrics=metrics.get(best["run_id"], {}), model_card=model_card))
        entries.sort(key=lambda e: e.label.lower())
        log.debug("read %d models (method %r, judge %r) from %s", len(entries), method, judge, self.path)
        return LeaderboardData(models=tuple(entries), method=method, judge=judge, methods=names, hidden=hidden,
                               store_name=self.path.name, package_version=__version__,
                               generated=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

    def _live(self, conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
        """A run row, ``interrupted`` where it says ``running`` but its owner process is gone (as the store reads it)."""
        run = {k: row[k] for k in row.keys()}  # noqa: SIM118 - sqlite3.Row iterates values
        if run["status"] == "running" and "run_owners" in self._tables(conn):
            owner = conn.execute("SELECT host, pid, started FROM run_owners WHERE run_id = ?",
                                 (run["run_id"],)).fetchone()
            if owner and is_alive(Owner(owner["host"], int(owner["pid"]), owner["started"])) is False:
                run["status"] = "interrupted"
        return run

    def _tables(self, conn: sqlite3.Connection) -> set[str]:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}

    def _cards(self, judge: str) -> dict[str, ValidityCard]:
        """The newest validity card per model spec with ``judge`` (none in stores from before cards)."""
        with self._connect() as conn:
            if "validity_cards" not in self._tables(conn):
                return {}
            rows = conn.execute("SELECT model_spec, data FROM validity_cards WHERE kind = 'card' AND judge_id = ? "
                                "ORDER BY created DESC", (judge,)).fetchall()
        out: dict[str, ValidityCard] = {}
        for row in rows:
            if row["model_spec"] not in out:
                try:
                    out[row["model_spec"]] = ValidityCard.model_validate(_json(row["data"]))
                except ValueError:
                    log.warning("skipped an unreadable validity card of %s", row["model_spec"])
        return out

    def _metrics(self, judge: str) -> dict[str, dict[str, dict[str, float]]]:
        """Run-wide behaviour figures by ``judge``, per run: ``{run: {name: {value, n, low, high}}}``."""
        with self._connect() as conn:
            if "run_metrics" not in self._tables(conn):
                return {}
            rows = conn.execute("SELECT * FROM run_metrics WHERE judge_id = ? AND dimension = ''", (judge,)).fetchall()
        out: dict[str, dict[str, dict[str, float]]] = {}
        for r in rows:
            out.setdefault(r["run_id"], {})[r["name"]] = {"value": r["value"], "n": r["n"],
                                                           "low": r["ci_low"], "high": r["ci_high"]}
        return out

    def cases(self, run_id: str, dimension: str | None = None, judge: str | None = None,
              limit: int | None = None) -> list[Case]:
        """Every item of a run with its response(s) and the judge's verdict, in run order.

        Args:
            run_id: The run.
            dimension: Only items of this dimension.
            judge: Whose verdicts to attach (default: any; the newest wins).
            limit: At most this many cases.
        """
        sql = (_CASES_SQL + (" AND i.dimension = :dim" if dimension else "")
               + " ORDER BY j.position, j.sample_index, g.created")
        with self._connect() as conn:
            rows = conn.execute(sql, {"run": run_id, "dim": dimension, "judge": judge}).fetchall()
        out: dict[str, Case] = {}
        for row in rows:  # several judgments of one response: the newest wins
            out[row["job_key"]] = _case(row)
        cases = list(out.values())
        return cases[:limit] if limit is not None else cases

    def run_records(self, run_id: str) -> dict[str, Any]:
        """The run's full records: the run, its estimates, and every item, response and judgment.

        Raises:
            StoreError: if there is no such run.
        """
        with self._connect() as conn:
            run = conn.execute("SELECT * FROM runs WHERE run_id = ?", (run_id,)).fetchone()
            if run is None:
                raise StoreError(f"no run {run_id!r} in the store", hint="see 'valuecompass runs list'")
            est = conn.execute("SELECT * FROM estimates WHERE run_id = ? ORDER BY dimension, method", (run_id,))
            estimates = [_plain(r, ("details",), ("id",)) for r in est.fetchall()]
            rows = conn.execute(_RECORDS_SQL, {"run": run_id}).fetchall()
            judgments = conn.execute(_JUDGMENTS_SQL, {"run": run_id}).fetchall()
        by_key: dict[str, list[dict[str, Any]]] = {}
        for j in judgments:
            by_key.setdefault(j["response_key"], []).append(_plain(j, ("probabilities", "provenance"), ("id",)))
        responses = [{"item": _json(r["item_data"]),
                      "response": _plain(r, ("messages", "settings", "first_token"), ("item_data",)),
                      "judgments": by_key.get(r["job_key"], [])} for r in rows]
        return {"run": _plain(run, _RUN_FIELDS), "estimates": estimates, "responses": responses}


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


def _group_runs(runs: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in runs:
        grouped.setdefault(row["model_spec"], []).append(row)
    return grouped


def _plain(row: sqlite3.Row, json_fields: tuple[str, ...], skip: tuple[str, ...] = ()) -> dict[str, Any]:
    data = {k: row[k] for k in row.keys() if k not in skip}
    for key in json_fields:
        if isinstance(data.get(key), str):
            data[key] = _json(data[key])
    return data


def _model_card(runs: list[dict[str, Any]]) -> ModelCard | None:
    """The newest model card stored with any of a model's runs (newest run first), or ``None``."""
    for run in runs:
        provenance = _json(run["provenance"])
        entries = provenance.get("model_card") if isinstance(provenance, dict) else None
        for entry in reversed(entries if isinstance(entries, list) else []):
            try:
                return ModelCard.model_validate(entry)
            except ValueError:
                log.warning("skipped an unreadable model card of %s", run["model_spec"])
    return None


def _run_info(row: dict[str, Any], judge: str, label: str) -> RunInfo:
    settings: dict[str, str] = {"kind": row["kind"]}
    if row["kind"] == "fixed_form":  # adaptive runs plan their jobs as they go
        settings["jobs"] = str(row["n_jobs"])
    for name in _RUN_FIELDS:
        value = _json(row[name])
        if value not in ({}, "", None):
            _flatten(name, value, settings)
    finished = row["updated"] if row["status"] in ("complete", "failed", "interrupted") else ""
    return RunInfo(run_id=row["run_id"], model_spec=row["model_spec"], model_label=label, judge=judge,
                   item_bank_version=row["item_bank_version"], package_version=row["package_version"],
                   started=row["created"], finished=finished, status=row["status"], settings=settings)


def _cells(rows: list[sqlite3.Row], method: str) -> dict[str, ScoreCell]:
    cells = {}
    for r in rows:
        if not is_dimension(str(r["dimension"])):
            log.warning("skipped a score for %r, which is no dimension of the value systems", r["dimension"])
            continue
        try:
            score, se = float(r["score"]), float(r["se"]) if r["se"] is not None else 0.0
        except (TypeError, ValueError):
            score = se = math.nan
        if not (math.isfinite(score) and math.isfinite(se) and se >= 0):
            log.warning("skipped an unreadable score for %s (score %r, se %r)", r["dimension"], r["score"], r["se"])
            continue
        score = min(100.0, max(0.0, score))
        low = r["ci_low"] if r["ci_low"] is not None else max(0.0, score - Z95 * se)
        high = r["ci_high"] if r["ci_high"] is not None else min(100.0, score + Z95 * se)
        cells[r["dimension"]] = ScoreCell(dimension=r["dimension"], score=score, se=se, low=float(low),
                                          high=float(high), n_items=int(r["n_items"]), method=method)
    return cells


def _unreadable(rows: list[sqlite3.Row]) -> dict[str, int]:
    """Per dimension, the verdicts its estimate could not read (adaptive ``unreadable``, share ``n_unparsable``)."""
    out = {}
    for r in rows:
        details = _json(r["details"])
        if isinstance(details, dict):
            out[r["dimension"]] = int(details.get("unreadable", details.get("n_unparsable", 0)) or 0)
    return out


def _self_judged(run: dict[str, Any], judge: str) -> bool:
    judges = _json(run["provenance"]).get("judges", []) if isinstance(_json(run["provenance"]), dict) else []
    return any(j.get("self_judged") for j in judges if isinstance(j, dict) and j.get("judge_id") == judge)


def _graded(cells: dict[str, ScoreCell], unreadable: dict[str, int], card: ValidityCard | None,
            self_judged: bool) -> dict[str, ScoreCell]:
    """The cells with their reliability grades, from the card's evidence where there is a card."""
    known = {r.dimension: r.passes for r in card.known_groups or ()} if card else {}
    agreement = {s: g.get("accuracy") for s, g in card.agreement.systems.items()} if card and card.agreement else {}
    out = {}
    for dim, c in cells.items():
        grade = grade_cell(n_items=c.n_items, ci_low=c.low, ci_high=c.high,
                           agreement=agreement.get(get_dimension(dim).system) if is_dimension(dim) else None,
                           self_judged=self_judged or bool(card and card.self_judged),
                           unreadable=unreadable.get(dim, 0),
                           known_groups_pass=known.get(dim))
        out[dim] = c.model_copy(update={"grade": grade.letter, "grade_reasons": grade.reasons})
    return out


def _case(row: sqlite3.Row) -> Case:
    item = _json(row["data"])
    difficulty = item.get("difficulty", "") if isinstance(item, dict) else ""
    made = _json(row["judgment_provenance"])
    made = made if isinstance(made, dict) else {}
    response, evidence = row["output_text"] or "", str(made.get("evidence") or "")
    return Case(item_id=row["item_id"], dimension=row["dimension"], item_text=row["text"],
                difficulty=str(difficulty or ""), response=response, label=row["label"],
                judge_score=row["judge_score"], rationale=row["rationale"] or "", judge=row["judge_id"] or "",
                sample_index=int(row["sample_index"]), path=str(made.get("path") or ""), evidence=evidence,
                spans=evidence_spans(response, evidence), judge_truncated=made.get("truncated") is True)

