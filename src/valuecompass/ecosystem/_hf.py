"""Hugging Face dataset export: runs (items, responses, verdicts, scores) or an item bank as parquet + card.

An export is a folder the Hub (and ``datasets.load_dataset``) reads as it is::

    OUT/README.md               dataset card: YAML front matter (licence, configs, features) and the text
    OUT/data/<config>.parquet   one file per config: items, responses, verdicts, scores, runs

Nested values (messages, settings, keys, provenance, details) are **JSON text** columns (canonical JSON:
sorted keys), not struct columns: a scoring key is a union whose kinds have different fields (``violating``
is a letter in a choice key and an action in a rubric key), settings and details differ from run to run,
and ``datasets`` fills a struct's missing fields with ``None`` and unifies differing structs across files,
so a struct would not give back the record that was stored. JSON text gives it back exactly
(``Item.model_validate({..., "key": json.loads(row["key"])})``) and keeps every column a plain dtype.

Output is deterministic: rows are sorted by their keys, file names are fixed (never built from stored
values), and nothing records when the export ran, so the same store gives byte-identical files. The folder
is written in a temporary sibling first and moved into place only when complete.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from valuecompass._hashing import canonical_json
from valuecompass.ecosystem._hf_card import Splits, items_card, runs_card
from valuecompass.ecosystem._hf_folder import ExportError, check_out_dir, publish
from valuecompass.errors import ValueCompassError
from valuecompass.frameworks import get_dimension, is_dimension
from valuecompass.items import Item
from valuecompass.store import (
    EstimateRecord,
    ResponseView,
    RunRecord,
    Store,
    choose_run_scores,
    item_content_hash,
)

log = logging.getLogger(__name__)

#: What installs the export's one dependency.
INSTALL_HINT = "pip install 'valuecompass[hf]'"
_LICENSE = re.compile(r"^[a-z0-9][a-z0-9.+-]{0,63}$")

Columns = tuple[tuple[str, str], ...]  # (name, Hugging Face dtype)

ITEM_COLUMNS: Columns = (
    ("item_id", "string"), ("item_hash", "string"), ("system", "string"), ("dimension", "string"),
    ("format", "string"), ("text", "string"), ("difficulty", "string"), ("topic", "string"), ("setting", "string"),
    ("culture", "string"), ("task", "string"), ("request_kind", "string"), ("safe_behavior", "string"),
    ("key_kind", "string"), ("key", "string"), ("source", "string"), ("provenance", "string"),
)
RESPONSE_COLUMNS: Columns = (
    ("run_id", "string"), ("position", "int64"), ("job_key", "string"), ("item_id", "string"),
    ("item_hash", "string"), ("dimension", "string"), ("sample_index", "int64"), ("model_spec", "string"),
    ("system_prompt", "string"), ("prompt", "string"), ("messages", "string"), ("output_text", "string"),
    ("finish_reason", "string"), ("first_token", "string"), ("first_token_logprob", "float64"),
    ("input_tokens", "int64"), ("output_tokens", "int64"), ("latency_s", "float64"), ("attempts", "int64"),
    ("model_reported", "string"), ("settings", "string"), ("produced_by_run", "string"), ("created", "string"),
)
VERDICT_COLUMNS: Columns = (
    ("run_id", "string"), ("response_key", "string"), ("item_id", "string"), ("dimension", "string"),
    ("judge_id", "string"), ("template_hash", "string"), ("label", "string"), ("score", "float64"),
    ("probabilities", "string"), ("rationale", "string"), ("raw_output", "string"), ("parse_status", "string"),
    ("provenance", "string"), ("created", "string"),
)
SCORE_COLUMNS: Columns = (
    ("run_id", "string"), ("model_spec", "string"), ("system", "string"), ("dimension", "string"),
    ("method", "string"), ("judge_id", "string"), ("score", "float64"), ("se", "float64"), ("ci_low", "float64"),
    ("ci_high", "float64"), ("n_items", "int64"), ("run_default", "bool"), ("details", "string"),
    ("created", "string"),
)
RUN_COLUMNS: Columns = (
    ("run_id", "string"), ("kind", "string"), ("status", "string"), ("model_spec", "string"),
    ("score_method", "string"), ("judge_id", "string"), ("item_bank_version", "string"),
    ("package_version", "string"), ("n_jobs", "int64"), ("n_responses", "int64"), ("n_verdicts", "int64"),
    ("n_scores", "int64"), ("model_identity", "string"), ("settings", "string"), ("seeds", "string"),
    ("config", "string"), ("provenance", "string"), ("created", "string"), ("updated", "string"),
)
#: The configs of a runs export, in card order (scores first: ``load_dataset(DIR)`` gives them).
RUN_CONFIGS: dict[str, Columns] = {"scores": SCORE_COLUMNS, "responses": RESPONSE_COLUMNS,
                                   "verdicts": VERDICT_COLUMNS, "items": ITEM_COLUMNS, "runs": RUN_COLUMNS}


class HFExport(BaseModel):
    """What an export wrote.

    Attributes:
        out_dir: The dataset folder.
        files: Config name -> its parquet file, relative to ``out_dir``.
        rows: Config name -> rows written.
        empty: Configs left out for having no rows (e.g. ``scores`` of runs not scored yet).
        run_ids: The runs exported (full ids, sorted); empty for an item bank.
    """

    model_config = ConfigDict(frozen=True)

    out_dir: str
    files: dict[str, str]
    rows: dict[str, int]
    empty: tuple[str, ...] = ()
    run_ids: tuple[str, ...] = ()


Table = tuple[Columns, list[dict[str, Any]]]


def _json(value: Any) -> str | None:
    return None if value is None else canonical_json(value)


def _system(dimension: str) -> str:
    return get_dimension(dimension).system if is_dimension(dimension) else ""


def item_row(item: Item) -> dict[str, Any]:
    """One row of the ``items`` config: the item's fields, its content hash, key and provenance as JSON text."""
    data = item.model_dump(mode="json")
    return {**{k: data[k] for k in ("dimension", "format", "text", "difficulty", "topic", "setting", "culture",
                                    "task", "request_kind", "safe_behavior")},
            "item_id": item.id, "item_hash": item_content_hash(item), "system": _system(item.dimension),
            "key_kind": item.key.kind if item.key else None, "key": _json(data["key"]),
            "source": item.provenance.source, "provenance": canonical_json(data["provenance"])}


def _response_row(run: RunRecord, position: int, view: ResponseView) -> dict[str, Any]:
    r = view.response
    first = r.first_token
    return {"run_id": run.run_id, "position": position, "job_key": r.job_key, "item_id": r.item_id,
            "item_hash": r.item_hash, "dimension": view.item.dimension if view.item else "",
            "sample_index": r.sample_index, "model_spec": r.model_spec,
            "system_prompt": next((m["content"] for m in r.messages if m["role"] == "system"), ""),
            "prompt": next((m["content"] for m in reversed(r.messages) if m["role"] == "user"), ""),
            "messages": canonical_json(r.messages), "output_text": r.output_text, "finish_reason": r.finish_reason,
            "first_token": first.token if first else None, "first_token_logprob": first.logprob if first else None,
            "input_tokens": r.input_tokens, "output_tokens": r.output_tokens, "latency_s": r.latency_s,
            "attempts": r.attempts, "model_reported": r.model_reported, "settings": canonical_json(r.settings),
            "produced_by_run": r.run_id, "created": r.created}


def _verdict_rows(run: RunRecord, view: ResponseView) -> list[dict[str, Any]]:
    rows = [{"run_id": run.run_id, "response_key": j.response_key, "item_id": view.response.item_id,
             "dimension": j.dimension, "judge_id": j.judge_id, "template_hash": j.template_hash, "label": j.label,
             "score": j.score, "probabilities": _json(j.probabilities), "rationale": j.rationale,
             "raw_output": j.raw_output, "parse_status": j.parse_status, "provenance": canonical_json(j.provenance),
             "created": j.created} for j in view.judgments]
    return sorted(rows, key=lambda r: (r["judge_id"], r["template_hash"], r["dimension"]))


def _score_rows(run: RunRecord, estimates: Sequence[EstimateRecord], default: tuple[str, str] | None
                ) -> list[dict[str, Any]]:
    rows = [{"run_id": run.run_id, "model_spec": run.model_spec, "system": _system(e.dimension),
             "dimension": e.dimension, "method": e.method, "judge_id": e.judge_id, "score": e.score, "se": e.se,
             "ci_low": e.ci_low, "ci_high": e.ci_high, "n_items": e.n_items,
             "run_default": (e.method, e.judge_id) == default and is_dimension(e.dimension),
             "details": canonical_json(e.details), "created": e.created} for e in estimates]
    return sorted(rows, key=lambda r: (r["dimension"], r["method"], r["judge_id"]))


def _run_default(run: RunRecord, estimates: Sequence[EstimateRecord]) -> tuple[str, str] | None:
    """The (method, judge) of the run's own scores under the store's one rule, or ``None`` if it has none."""
    if not estimates:
        return None
    try:
        result = choose_run_scores(run, estimates)
    except ValueCompassError:
        return None
    return result.method, result.judge_id


def _resolve_runs(store: Store, run_ids: Sequence[str]) -> list[RunRecord]:
    if not run_ids:
        raise ExportError("no run to export", hint="name one or more runs; see the ids with `valuecompass runs list`")
    runs = {r.run_id: r for r in (store.get_run(rid) for rid in run_ids)}  # a unique prefix is enough
    for run in runs.values():
        if run.status == "running":
            log.warning("run %s is still running: the export holds what it has stored so far", run.run_id)
    return [runs[k] for k in sorted(runs)]


def _run_tables(store: Store, runs: Sequence[RunRecord]) -> dict[str, Table]:
    """Every config's rows, read through the store's readers, sorted."""
    items: dict[tuple[str, str], dict[str, Any]] = {}
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in RUN_CONFIGS}
    for run in runs:
        positions = {j.job_key: j.position for j in store.planned_jobs(run.run_id)}
        views = sorted(store.response_views(run.run_id),
                       key=lambda v: (positions.get(v.response.job_key, -1), v.response.job_key))
        estimates = store.estimates_for_run(run.run_id)
        default = _run_default(run, estimates)
        responses = [_response_row(run, positions.get(v.response.job_key, -1), v) for v in views]
        verdicts = [row for v in views for row in _verdict_rows(run, v)]
        scores = _score_rows(run, estimates, default)
        for v in views:
            if v.item is not None:
                items.setdefault((v.response.item_id, v.response.item_hash), item_row(v.item))
        tables["responses"] += responses
        tables["verdicts"] += verdicts
        tables["scores"] += scores
        tables["runs"].append(_run_row(run, default, len(responses), len(verdicts), len(scores)))
    tables["items"] = [items[k] for k in sorted(items)]
    return {name: (RUN_CONFIGS[name], rows) for name, rows in tables.items()}


def _run_row(run: RunRecord, default: tuple[str, str] | None, n_responses: int, n_verdicts: int,
             n_scores: int) -> dict[str, Any]:
    return {"run_id": run.run_id, "kind": run.kind, "status": run.status, "model_spec": run.model_spec,
            "score_method": default[0] if default else None, "judge_id": default[1] if default else None,
            "item_bank_version": run.item_bank_version, "package_version": run.package_version,
            "n_jobs": run.n_jobs, "n_responses": n_responses, "n_verdicts": n_verdicts, "n_scores": n_scores,
            **{k: canonical_json(getattr(run, k)) for k in ("model_identity", "settings", "seeds", "config",
                                                             "provenance")},
            "created": run.created, "updated": run.updated}


def _pyarrow() -> tuple[Any, Any]:
    """``pyarrow`` and ``pyarrow.parquet``, or the error that says how to install them."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise ExportError("the Hugging Face export needs pyarrow, which is not installed",
                          hint=INSTALL_HINT) from exc
    return pyarrow, pyarrow.parquet


def _arrow(pa: Any, columns: Columns, rows: list[dict[str, Any]]) -> Any:
    types = {"string": pa.string(), "int64": pa.int64(), "float64": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema([pa.field(name, types[dtype]) for name, dtype in columns])
    return pa.Table.from_pylist(rows, schema=schema)


def _check_license(license_id: str) -> str:
    if not _LICENSE.match(license_id):
        raise ExportError(f"licence {license_id!r} is not a licence id of the Hub",
                          hint="give a lowercase id such as cc-by-4.0, apache-2.0, mit, other or unknown")
    return license_id


def _write(out: Path, tables: dict[str, Table], card: Callable[[Splits], str], force: bool) -> HFExport:
    """Write each table as ``data/<name>.parquet`` and the card ``card(splits)`` as README.md, atomically."""
    pa, pq = _pyarrow()
    # a config without rows is left out: `datasets` cannot load a split with no data
    arrow = {name: _arrow(pa, columns, rows) for name, (columns, rows) in tables.items() if rows}
    text = card({name: {"num_bytes": t.nbytes, "num_examples": t.num_rows} for name, t in arrow.items()})

    def write(tmp: Path) -> None:
        (tmp / "data").mkdir()
        for name, table in arrow.items():
            pq.write_table(table, tmp / "data" / f"{name}.parquet", compression="snappy")
        with open(tmp / "README.md", "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)

    publish(out, force, write)
    log.info("wrote %s (%s)", out, ", ".join(f"{n}: {t.num_rows} rows" for n, t in arrow.items()))
    return HFExport(out_dir=str(out), files={n: f"data/{n}.parquet" for n in arrow},
                    rows={n: t.num_rows for n, t in arrow.items()}, empty=tuple(n for n in tables if n not in arrow))


def export_runs_hf(store: Store, run_ids: Sequence[str], out_dir: str | Path, *, license_id: str = "unknown",
                   pretty_name: str | None = None, force: bool = False) -> HFExport:
    """Export runs as a Hugging Face dataset: parquet files per config and a dataset card.

    Configs: ``scores`` (every stored estimate of the runs, all methods and judges, ``run_default`` marking
    those the store's one reader shows as the run's scores), ``responses``, ``verdicts`` (judgments),
    ``items`` (the snapshots administered) and ``runs`` (provenance as JSON text).

    Args:
        store: The store to read.
        run_ids: Runs to export (a unique prefix of an id is enough; order and repeats do not matter).
        out_dir: The dataset folder: new, empty, or an earlier export (replaced).
        license_id: The Hub licence id for the card (e.g. ``cc-by-4.0``).
        pretty_name: The card's title (default: one naming the models).
        force: Also write into a non-empty folder that is no earlier export (its README.md and data/ are
            replaced, its other files kept).

    Returns:
        The files and row counts written.

    Raises:
        ExportError: without pyarrow, for a bad ``out_dir`` or licence, or if writing fails.
        StoreError: for an unknown or ambiguous run id.
    """
    _check_license(license_id)
    _pyarrow()  # before anything is read or written
    runs = _resolve_runs(store, run_ids)
    check_out_dir(Path(out_dir), force)
    tables = _run_tables(store, runs)
    name = pretty_name or "valuecompass results: " + ", ".join(sorted({r.model_spec for r in runs}))
    scores, verdicts = tables["scores"][1], tables["verdicts"][1]
    card = functools.partial(runs_card, runs, RUN_CONFIGS, scores=scores, verdicts=verdicts, license_id=license_id,
                             pretty_name=name)
    result = _write(Path(out_dir), tables, card, force)
    return result.model_copy(update={"run_ids": tuple(r.run_id for r in runs)})


def export_items_hf(items: Iterable[Item], out_dir: str | Path, *, version: str = "", license_id: str = "unknown",
                    pretty_name: str | None = None, force: bool = False) -> HFExport:
    """Export an item bank (texts, scoring keys, provenance) as a Hugging Face dataset with its card.

    Args:
        items: The items (sorted by id and content hash in the file).
        out_dir: The dataset folder: new, empty, or an earlier export (replaced).
        version: The bank's version, named in the card (e.g. :func:`valuecompass.items.seed_bank_version`).
        license_id: The Hub licence id for the card.
        pretty_name: The card's title.
        force: Also write into a non-empty folder that is no earlier export (see :func:`export_runs_hf`).

    Returns:
        The file and row count written.

    Raises:
        ExportError: without pyarrow, for a bad ``out_dir`` or licence, no items, or if writing fails.
    """
    _check_license(license_id)
    _pyarrow()
    check_out_dir(Path(out_dir), force)
    rows = sorted((item_row(i) for i in items), key=lambda r: (r["item_id"], r["item_hash"]))
    if not rows:
        raise ExportError("no items to export", hint="give an item file with at least one item")
    tables = {"items": (ITEM_COLUMNS, rows)}
    card = functools.partial(items_card, rows, ITEM_COLUMNS, version=version, license_id=license_id,
                             pretty_name=pretty_name or "valuecompass item bank" + (f" ({version})" if version else ""))
    return _write(Path(out_dir), tables, card, force)
