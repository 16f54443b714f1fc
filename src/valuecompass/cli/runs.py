"""CLI: ``valuecompass runs list|show|export``: the runs in the results store."""

from __future__ import annotations

import collections
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from valuecompass.cli._common import JSON_OPTION, STORE_OPTION, console, print_json, print_table

if TYPE_CHECKING:
    from valuecompass.store import RunSummary


runs_app = typer.Typer(help="Runs in the results store: list, show, export.", no_args_is_help=True)


def _answered(summary: RunSummary) -> str:
    """Answers stored, out of those planned (an adaptive run plans as it goes, so it has no total)."""
    return f"{summary.n_done}/{summary.run.n_jobs}" if summary.run.kind == "fixed_form" else str(summary.n_done)


@runs_app.command("list")
def list_runs(store: Path | None = STORE_OPTION, as_json: bool = JSON_OPTION) -> None:
    """List every run, newest first, with how far it got."""
    from valuecompass.store import Store

    with Store.existing(store) as db:
        summaries = db.list_runs()
        path = db.path
    if as_json:
        print_json([s.model_dump(mode="json") for s in summaries])
        return
    rows = [[s.run.run_id, s.run.status, s.run.model_spec, _answered(s), s.n_judgments,
             s.run.item_bank_version, s.run.created[:19].replace("T", " ")] for s in summaries]
    print_table(f"{len(rows)} runs in {path}", ["run", "status", "model", "answered", "judgments", "items",
                                                "created (UTC)"], rows)


@runs_app.command("show")
def show(run_id: str = typer.Argument(..., metavar="RUN_ID", help="A run id (a unique prefix is enough)."),
         store: Path | None = STORE_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Show one run: provenance, settings, progress and answers per dimension."""
    from valuecompass.store import Store

    with Store.existing(store) as db:
        summary = db.run_summary(run_id)
        views = db.response_views(summary.run.run_id)
    per_dim = collections.Counter(v.item.dimension for v in views if v.item)
    if as_json:
        print_json({**summary.model_dump(mode="json"), "responses_per_dimension": dict(per_dim)})
        return
    run = summary.run
    for key, value in (("run", run.run_id), ("status", run.status), ("model", run.model_spec),
                       ("model identity", run.model_identity), ("settings", run.settings), ("seeds", run.seeds),
                       ("item bank", run.item_bank_version), ("package", run.package_version),
                       ("answered", _answered(summary)),
                       ("tokens", f"{summary.input_tokens} in, {summary.output_tokens} out"),
                       ("judgments", summary.n_judgments), ("estimates", summary.n_estimates),
                       ("created", run.created), ("updated", run.updated)):
        console.print(f"[bold]{key}[/bold]: {value}")
    if per_dim:
        print_table("answers per dimension", ["dimension", "answers"], [[d, n] for d, n in sorted(per_dim.items())])


@runs_app.command("export")
def export(run_id: str = typer.Argument(..., metavar="RUN_ID", help="A run id (a unique prefix is enough)."),
           fmt: str = typer.Option("jsonl", "--format", "-f", help="jsonl (full records) or csv (flat rows)."),
           out: Path = typer.Option(..., "--out", "-o", help="The file to write."),
           store: Path | None = STORE_OPTION) -> None:
    """Export a run's responses (with items and judgments) to JSONL or CSV."""
    from valuecompass.store import Store, export_responses

    with Store.existing(store) as db:
        n = export_responses(db, run_id, out, fmt)  # type: ignore[arg-type]
    console.print(f"wrote {n} responses to {out}")


def register(app: typer.Typer) -> None:
    """Add ``runs`` to ``app``."""
    app.add_typer(runs_app, name="runs")
