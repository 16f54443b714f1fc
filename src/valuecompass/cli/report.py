"""CLI: ``valuecompass report MODEL --out FILE.pdf``: a model's leaderboard page as a PDF."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from valuecompass.cli._common import SCORE_JUDGE_OPTION, STORE_OPTION, console
from valuecompass.cli.leaderboard import METHOD_OPTION


def report(
    model: str = typer.Argument(..., help="The model: its leaderboard key, model spec or display name."),
    out: Path = typer.Option(..., "--out", help="The PDF file to write (replaced if it exists)."),
    store: Path | None = STORE_OPTION,
    method: str | None = METHOD_OPTION,
    judge: str | None = SCORE_JUDGE_OPTION,
) -> None:
    """Print MODEL's leaderboard page (scores, charts, validity, provenance, examples) to an A4 PDF.

    Needs Debian's headless Chromium (apt-get install chromium).
    """
    from valuecompass.leaderboard import render_report
    from valuecompass.store import resolve_store_path

    result = render_report(resolve_store_path(store), model, out, method=method, judge=judge)
    console.print(f"Wrote the report of [bold]{escape(result.label)}[/bold] ({result.bytes / 1e3:.0f} kB) to "
                  f"[bold]{escape(str(result.out))}[/bold]", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``report`` to ``app``."""
    app.command("report")(report)
