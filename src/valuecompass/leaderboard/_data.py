"""How the web app reads the store: the store's own records mapped to the leaderboard's view model.

The store is opened read-only (:meth:`Store.open_read_only`: no migration, no write, and a run
still writing is never blocked), and which run, method and judge give a model's scores is the
store's one rule (:func:`valuecompass.store.model_results`), so the site and every command show
the same numbers. This module only maps those records to view models.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from pathlib import Path
from typing import Any

from valuecompass import __version__
from valuecompass.errors import StoreError
from valuecompass.frameworks import get_dimension, is_dimension
from valuecompass.judge import evidence_spans
from valuecompass.leaderboard._model import Case, LeaderboardData, ModelEntry, RunInfo, ScoreCell
from valuecompass.metric import Z95
from valuecompass.models import ModelCard
from valuecompass.store import CaseRecord, RunRecord, RunResult, ScoreRow, Store, estimate_kinds, model_results
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


class StoreReader:
    """A read-only view of one store file, in the leaderboard's terms.

    Args:
        path: The store's SQLite file.

    Raises:
        StoreError: if the file does not exist or is not a valuecompass store.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.store = Store.open_read_only(self.path)
        missing = _REQUIRED_TABLES - self.store.table_names()
        if missing:
            self.store.close()
            raise StoreError(f"{str(self.path)!r} is not a valuecompass store (no tables {', '.join(sorted(missing))})",
                             hint="pass the store file that 'valuecompass run' writes (see 'valuecompass runs list')")

    def close(self) -> None:
        """Close the store (idempotent)."""
        self.store.close()

    def signature(self) -> tuple[float, ...]:
        """Modification times of the store and its WAL: changes when anything is written."""
        files = (self.path, self.path.with_name(self.path.name + "-wal"))
        return tuple(f.stat().st_mtime_ns if f.exists() else 0.0 for f in files)

    def estimate_kinds(self) -> list[tuple[str, str, int]]:
        """Every ``(method, judge_id, count)`` in the store, most common first."""
        return [(k.method, k.judge_id, k.n_estimates)
                for k in estimate_kinds(self.store.runs(), self.store.all_estimates())]

    def kind_models(self) -> dict[tuple[str, str], int]:
        """How many models have scores by each ``(method, judge_id)``."""
        return {(k.method, k.judge_id): k.n_models
                for k in estimate_kinds(self.store.runs(), self.store.all_estimates())}

    def load(self, method: str | None = None, judge: str | None = None) -> LeaderboardData:
        """Every evaluated model, by the store's rule (newest run per model spec with the chosen scores).

        Args:
            method: Estimation method to show (default: the most common in the store).
            judge: Judge whose verdicts the scores rest on (default: the most common with ``method``).

        Raises:
            StoreError: if no scores match ``method``/``judge``, or the store cannot be read.
        """
        runs, estimates = self.store.runs(), self.store.all_estimates()
        names = tuple(k.name for k in estimate_kinds(runs, estimates))
        results, hidden = (), {}
        if estimates:
            chosen = model_results(self.store, method=method, judge=judge)
            method, judge, results, hidden = chosen.method, chosen.judge_id, chosen.results, chosen.hidden
        method, judge = method or "", judge or ""
        cards = _validity_cards(self.store.newest_cards(judge)) if judge else {}
        by_spec: dict[str, list[RunRecord]] = {}
        for run in runs:  # newest first
            by_spec.setdefault(run.model_spec, []).append(run)
        entries, taken = [], set()
        shown = {r.run.model_spec: r for r in results}
        for spec in [s for s in by_spec if s in shown]:  # keys are given in store order, as they always were
            result = shown[spec]
            run = result.run
            model_card = _model_card(by_spec.get(spec, [run]))
            label = model_card.name if model_card and model_card.name else spec
            card = cards.get(spec)
            cells = _graded(_cells(result), card, _self_judged(run, judge))
            entries.append(ModelEntry(
                key=model_key(spec, taken), label=label, run=_run_info(run, judge, label), scores=cells,
                other_runs=tuple(r.run_id for r in by_spec.get(spec, ()) if r.run_id != run.run_id), card=card,
                metrics=_metrics(result), model_card=model_card))
        entries.sort(key=lambda e: e.label.lower())
        log.debug("read %d models (method %r, judge %r) from %s", len(entries), method, judge, self.path)
        return LeaderboardData(models=tuple(entries), method=method, judge=judge, methods=names, hidden=hidden,
                               store_name=self.path.name, package_version=__version__,
                               generated=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

    def cases(self, run_id: str, dimension: str | None = None, judge: str | None = None,
              limit: int | None = None) -> list[Case]:
        """Every item of a run with its response(s) and the judge's verdict, in run order.

        Args:
            run_id: The run.
            dimension: Only items of this dimension.
            judge: Whose verdicts to attach (default: any; the newest wins).
            limit: At most this many cases.
        """
        return [_case(r) for r in self.store.case_records(run_id, dimension=dimension, judge=judge, limit=limit)]

    def run_records(self, run_id: str) -> dict[str, Any]:
        """The run's full records: the run, its estimates, and every item, response and judgment.

        Raises:
            StoreError: if there is no such run.
        """
        return self.store.run_records(run_id)


def _validity_cards(data: dict[str, dict[str, Any]]) -> dict[str, ValidityCard]:
    """The readable validity cards, per model spec (an unreadable one is skipped with a warning)."""
    out = {}
    for spec, card in data.items():
        try:
            out[spec] = ValidityCard.model_validate(card)
        except ValueError:
            log.warning("skipped an unreadable validity card of %s", spec)
    return out


def _metrics(result: RunResult) -> dict[str, dict[str, float | None]]:
    """The run-wide behaviour figures: ``{name: {value, n, low, high}}``."""
    return {m.name: {"value": m.value, "n": m.n, "low": m.ci_low, "high": m.ci_high}
            for m in result.metrics if m.dimension == ""}


def _model_card(runs: list[RunRecord]) -> ModelCard | None:
    """The newest model card stored with any of a model's runs (newest run first), or ``None``."""
    for run in runs:
        entries = run.provenance.get("model_card")
        for entry in reversed(entries if isinstance(entries, list) else []):
            try:
                return ModelCard.model_validate(entry)
            except ValueError:
                log.warning("skipped an unreadable model card of %s", run.model_spec)
    return None


def _run_info(run: RunRecord, judge: str, label: str) -> RunInfo:
    settings: dict[str, str] = {"kind": run.kind}
    if run.kind == "fixed_form":  # adaptive runs plan their jobs as they go
        settings["jobs"] = str(run.n_jobs)
    for name in _RUN_FIELDS:
        value = getattr(run, name)
        if value not in ({}, "", None):
            _flatten(name, value, settings)
    finished = run.updated if run.status in ("complete", "failed", "interrupted") else ""
    return RunInfo(run_id=run.run_id, model_spec=run.model_spec, model_label=label, judge=judge,
                   item_bank_version=run.item_bank_version, package_version=run.package_version,
                   started=run.created, finished=finished, status=run.status, settings=settings)


def _cell(row: ScoreRow) -> ScoreCell:
    """A score as the leaderboard shows it: the stored interval, else score \u00b1 1.96 SE, else none."""
    se = row.se if row.se is not None else 0.0
    low = row.ci_low if row.ci_low is not None else max(0.0, row.score - Z95 * se)
    high = row.ci_high if row.ci_high is not None else min(100.0, row.score + Z95 * se)
    return ScoreCell(dimension=row.dimension, score=row.score, se=se, low=float(low), high=float(high),
                     n_items=row.n_items, method=row.method)


def _cells(result: RunResult) -> dict[str, tuple[ScoreCell, int]]:
    """Per dimension, the cell and how many verdicts its estimate could not read."""
    out = {}
    for dim, row in result.scores.items():
        details = row.details if isinstance(row.details, dict) else {}
        out[dim] = (_cell(row), int(details.get("unreadable", details.get("n_unparsable", 0)) or 0))
    return out


def _self_judged(run: RunRecord, judge: str) -> bool:
    judges = run.provenance.get("judges", [])
    return any(j.get("self_judged") for j in judges if isinstance(j, dict) and j.get("judge_id") == judge)


def _graded(cells: dict[str, tuple[ScoreCell, int]], card: ValidityCard | None,
            self_judged: bool) -> dict[str, ScoreCell]:
    """The cells with their reliability grades, from the card's evidence where there is a card."""
    known = {r.dimension: r.passes for r in card.known_groups or ()} if card else {}
    agreement = {s: g.get("accuracy") for s, g in card.agreement.systems.items()} if card and card.agreement else {}
    out = {}
    for dim, (c, unreadable) in cells.items():
        grade = grade_cell(n_items=c.n_items, ci_low=c.low, ci_high=c.high,
                           agreement=agreement.get(get_dimension(dim).system) if is_dimension(dim) else None,
                           self_judged=self_judged or bool(card and card.self_judged),
                           unreadable=unreadable, known_groups_pass=known.get(dim))
        out[dim] = c.model_copy(update={"grade": grade.letter, "grade_reasons": grade.reasons})
    return out


def _case(record: CaseRecord) -> Case:
    made, response = record.made, record.response
    evidence = str(made.get("evidence") or "")
    return Case(item_id=record.item_id, dimension=record.dimension, item_text=record.item_text,
                difficulty=str(record.item.get("difficulty") or ""), response=response, label=record.label,
                judge_score=record.judge_score, rationale=record.rationale, judge=record.judge_id,
                sample_index=record.sample_index, path=str(made.get("path") or ""), evidence=evidence,
                spans=evidence_spans(response, evidence), judge_truncated=made.get("truncated") is True)
