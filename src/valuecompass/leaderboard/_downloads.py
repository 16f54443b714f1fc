"""The site's data downloads: every score as CSV and JSON, and a run's full records as JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from valuecompass.frameworks import all_dimensions
from valuecompass.leaderboard._model import LeaderboardData
from valuecompass.models import ModelCard
from valuecompass.validity import ValidityCard, card_markdown

#: Columns of ``data/leaderboard.csv``: one row per (model, dimension).
CSV_COLUMNS: tuple[str, ...] = ("model", "system", "dimension", "score", "se", "ci_low", "ci_high", "n_items",
                                "method", "judge", "run_id", "item_bank_version", "run_date", "model_spec",
                                "developer", "weights", "release_date")


def run_file(run_id: str) -> str:
    """A file-safe name for a run id (``data/runs/<name>.json``)."""
    return "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in run_id)[:120]


def _safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas: a text cell starting with ``= + - @`` gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _card_cells(card: ModelCard | None) -> tuple[str, str, str]:
    if card is None:
        return "", "", ""
    return card.developer or "", card.weights or "", card.release_date.isoformat() if card.release_date else ""


def leaderboard_csv(data: LeaderboardData) -> str:
    """Every score of every shown model, one row per (model, dimension), in display order."""
    systems = {d.id: d.system for d in all_dimensions()}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for m in data.models:
        for dim_id, system in systems.items():
            c = m.scores.get(dim_id)
            if c is None:
                continue
            writer.writerow([_safe_cell(x) for x in (
                m.label, system, dim_id, f"{c.score:.3f}", f"{c.se:.3f}", f"{c.low:.3f}", f"{c.high:.3f}", c.n_items,
                c.method, m.run.judge, m.run.run_id, m.run.item_bank_version, m.run.finished or m.run.started,
                m.run.model_spec, *_card_cells(m.model_card))])
    return out.getvalue()


def leaderboard_json(data: LeaderboardData) -> str:
    """Every shown model with its run's provenance and its scores."""
    doc: dict[str, Any] = {
        "generated": data.generated, "package_version": data.package_version, "method": data.method,
        "judge": data.judge, "models": [
            {"key": m.key, "label": m.label, "run": m.run.model_dump(), "other_runs": list(m.other_runs),
             "model_card": m.model_card.model_dump(mode="json", exclude_none=True) if m.model_card else None,
             "records": f"data/runs/{run_file(m.run.run_id)}.json",
             "scores": {d: c.model_dump(exclude={"dimension"}) for d, c in m.scores.items()}}
            for m in data.models],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1)


def run_json(records: dict[str, Any]) -> str:
    """A run's full records (see :meth:`StoreReader.run_records`) as JSON text."""
    return json.dumps(records, ensure_ascii=False, indent=1, default=str)


def card_json(card: ValidityCard) -> str:
    """A validity card as JSON text."""
    return json.dumps(card.model_dump(mode="json"), ensure_ascii=False, indent=1)


def card_files(data: LeaderboardData) -> dict[str, str]:
    """``data/cards/<model key>.json`` and ``.md`` for every shown model with a validity card."""
    out = {}
    for m in data.models:
        if m.card is not None:
            out[f"data/cards/{m.key}.json"] = card_json(m.card)
            out[f"data/cards/{m.key}.md"] = card_markdown(m.card)
    return out
