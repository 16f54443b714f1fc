"""Export a run's responses (with item and judgments) to JSONL or CSV."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Literal

from valuecompass._hashing import canonical_json
from valuecompass.errors import StoreError
from valuecompass.store._models import ResponseView, RunRecord
from valuecompass.store._store import Store

ExportFormat = Literal["jsonl", "csv"]

#: Columns of the CSV export, in order.
CSV_COLUMNS = (
    "run_id", "job_key", "item_id", "item_hash", "dimension", "sample_index", "model_spec", "system_prompt",
    "prompt", "output_text", "finish_reason", "first_token", "first_token_logprob", "input_tokens",
    "output_tokens", "latency_s", "attempts", "settings", "judgments", "created",
)


def _flat(run: RunRecord, view: ResponseView) -> dict[str, Any]:
    r = view.response
    system = next((m["content"] for m in r.messages if m["role"] == "system"), "")
    prompt = next((m["content"] for m in reversed(r.messages) if m["role"] == "user"), "")
    return {
        "run_id": run.run_id, "job_key": r.job_key, "item_id": r.item_id, "item_hash": r.item_hash,
        "dimension": view.item.dimension if view.item else "", "sample_index": r.sample_index,
        "model_spec": r.model_spec, "system_prompt": system, "prompt": prompt, "output_text": r.output_text,
        "finish_reason": r.finish_reason, "first_token": r.first_token.token if r.first_token else "",
        "first_token_logprob": r.first_token.logprob if r.first_token else "", "input_tokens": r.input_tokens,
        "output_tokens": r.output_tokens, "latency_s": round(r.latency_s, 6), "attempts": r.attempts,
        "settings": canonical_json(r.settings),
        "judgments": canonical_json([j.model_dump(mode="json", include={"judge_id", "dimension", "label", "score"})
                                     for j in view.judgments]),
        "created": r.created,
    }


def _record(run: RunRecord, view: ResponseView) -> dict[str, Any]:
    data = view.response.model_dump(mode="json")
    data["run_id"] = run.run_id
    data["produced_by_run"] = view.response.run_id
    data["item"] = view.item.model_dump(mode="json") if view.item else None
    data["judgments"] = [j.model_dump(mode="json") for j in view.judgments]
    return data


def export_responses(store: Store, run_id: str, out: str | Path, fmt: ExportFormat = "jsonl") -> int:
    """Write a run's responses to ``out``: JSONL (full records with item and
    judgments, one per line) or CSV (one flat row per response, :data:`CSV_COLUMNS`).

    Args:
        store: The store.
        run_id: The run (a unique prefix is enough).
        out: The file to write (replaced).
        fmt: ``jsonl`` or ``csv``.

    Returns:
        How many responses were written.

    Raises:
        StoreError: for an unknown run, format or an unwritable file.
    """
    if fmt not in ("jsonl", "csv"):
        raise StoreError(f"unknown export format {fmt!r}", hint="use jsonl or csv")
    run = store.get_run(run_id)
    views = store.response_views(run.run_id)
    try:
        with open(out, "w", encoding="utf-8", newline="") as fh:
            if fmt == "jsonl":
                for view in views:
                    fh.write(json.dumps(_record(run, view), ensure_ascii=False) + "\n")
            else:
                writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
                writer.writeheader()
                writer.writerows(_flat(run, v) for v in views)
    except OSError as exc:
        raise StoreError(f"cannot write {str(out)!r}: {exc.strerror}", hint="give a writable --out path") from exc
    return len(views)
