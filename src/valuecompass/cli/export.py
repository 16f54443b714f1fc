"""CLI: ``valuecompass export hf RUN... --out DIR``: runs as a Hugging Face dataset (parquet files and a card)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from valuecompass.cli._common import JSON_OPTION, STORE_OPTION, console, print_json

if TYPE_CHECKING:
    from valuecompass.ecosystem import HFExport

export_app = typer.Typer(help="Export results for other tools: a Hugging Face dataset.", no_args_is_help=True)

#: ``--license`` and ``--force`` of every Hugging Face export (``export hf``, ``items export --format hf``).
LICENSE_OPTION = typer.Option(None, "--license", metavar="ID",
                              help="The dataset's licence id on the Hub, e.g. cc-by-4.0 (default: unknown).")
FORCE_OPTION = typer.Option(False, "--force", help="Also write into a non-empty folder that is no earlier export "
                            "(its README.md and data/ are replaced, its other files kept).")


def report_export(result: HFExport, as_json: bool) -> None:
    """Print what an export wrote (and which configs it left out for having no rows)."""
    if as_json:
        print_json(result.model_dump(mode="json"))
        return
    rows = ", ".join(f"{name} {n}" for name, n in result.rows.items())
    console.print(f"wrote a Hugging Face dataset to {result.out_dir} (rows: {rows})")
    if result.empty:
        console.print(f"[yellow]left out, having no rows: {', '.join(result.empty)}[/yellow]"
                      + ("; judge and score the runs first: valuecompass judge RUN" if "scores" in result.empty
                         and result.run_ids else ""))


@export_app.command("hf")
def hf(run_ids: list[str] = typer.Argument(..., metavar="RUN...", help="Run ids (a unique prefix is enough)."),
       out: Path = typer.Option(..., "--out", "-o", help="The dataset folder: new, empty, or an earlier export "
                                "(replaced)."),
       store: Path | None = STORE_OPTION,
       license_id: str | None = LICENSE_OPTION,
       force: bool = FORCE_OPTION,
       as_json: bool = JSON_OPTION) -> None:
    """Export runs as a Hugging Face dataset: parquet files and a dataset card.

    One parquet file per config: scores (every stored estimate), responses, verdicts, items and runs
    (provenance). Needs pyarrow: pip install 'valuecompass\\[hf]'. Load it with
    datasets.load_dataset("parquet", data_files=...) or datasets.load_dataset(DIR, "scores").
    """
    from valuecompass.ecosystem import export_runs_hf
    from valuecompass.store import Store

    with Store.existing(store) as db:
        result = export_runs_hf(db, run_ids, out, license_id=license_id or "unknown", force=force)
    report_export(result, as_json)


def register(app: typer.Typer) -> None:
    """Add ``export`` to ``app``."""
    app.add_typer(export_app, name="export")
