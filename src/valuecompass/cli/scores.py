"""CLI: ``valuecompass scores RUN_ID``: per-dimension scores of a run from its judgments.

:func:`print_scores` is also used by ``valuecompass run --fixed`` to show the table
at the end of a run.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from valuecompass.cli._common import JSON_OPTION, STORE_OPTION, console, print_json
from valuecompass.pipeline.scoring import DimensionScore, score_run
from valuecompass.store import Store


def _num(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def scores_table(scores: Sequence[DimensionScore], title: str = "scores") -> Table:
    """A rich table of per-dimension scores: system, dimension, score, SE, 95% interval, counts.

    Args:
        scores: The scores, in display order.
        title: The table's title.
    """
    table = Table(title=title, show_lines=False)
    for col, justify in (("system", "left"), ("dimension", "left"), ("score", "right"), ("SE", "right"),
                         ("95% CI", "right"), ("items", "right"), ("judged", "right"), ("unparsable", "right")):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for s in scores:
        ci = "-" if s.ci_low is None else f"{s.ci_low:.0f}-{s.ci_high:.0f}"
        unparsable = f"[yellow]{s.n_unparsable}[/yellow]" if s.n_unparsable else "0"
        table.add_row(s.system, s.name, _num(s.score), _num(s.se), ci, str(s.n_items), str(s.n_judgments),
                      unparsable)
    return table


def print_scores(scores: Sequence[DimensionScore], out: Console | None = None, *, self_judged: bool = False) -> None:
    """Print the scores table with its judge, and a warning when the judge judged its own answers.

    Args:
        scores: The scores.
        out: Where to print (default: standard output).
        self_judged: Whether the judge is the examinee's own model.
    """
    out = out or console
    if not scores:
        out.print("no scores: the run has no judged responses")
        return
    first = scores[0]
    out.print(scores_table(scores, f"scores of run {first.run_id} (0-100, share of conforming behaviour)"))
    out.print(f"judge: {first.judge_id} (templates {first.template_hash}); interval: bootstrap over items, "
              f"{first.n_boot} resamples, seed {first.seed}")
    if self_judged:
        out.print("[yellow]note: the judge is the examinee's own model (self-judging); "
                  "scores may be biased in its favour[/yellow]")


def scores(
    run_id: str = typer.Argument(..., metavar="RUN_ID", help="A run id (a unique prefix is enough)."),
    judge: str | None = typer.Option(None, "--judge", help="Judge id whose judgments to use (default: latest)."),
    n_boot: int = typer.Option(2000, "--n-boot", min=10, help="Bootstrap resamples."),
    seed: int = typer.Option(0, "--seed", help="Bootstrap seed."),
    store: Path | None = STORE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Per-dimension scores of a run (0-100), with SE and bootstrap 95% intervals; stored as estimates."""
    with Store.existing(store) as db:
        result = score_run(db, run_id, judge_id=judge, n_boot=n_boot, seed=seed)
        run = db.get_run(run_id)
    judges = run.provenance.get("judges", [])
    self_judged = any(j.get("self_judged") for j in judges if result and j.get("judge_id") == result[0].judge_id)
    if as_json:
        print_json({"run_id": run.run_id, "self_judged": self_judged,
                    "scores": [s.model_dump(mode="json") for s in result]})
        return
    print_scores(result, self_judged=self_judged)


def register(app: typer.Typer) -> None:
    """Add ``scores`` to ``app``."""
    app.command("scores")(scores)
