"""The adaptive path of ``valuecompass run``: progress, the result table and next steps."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from valuecompass.cli._common import print_json
from valuecompass.frameworks import get_dimension, get_system
from valuecompass.pipeline import AdaptiveConfig, AdaptiveResult, DimensionOutcome, RetryPolicy, run_adaptive
from valuecompass.store import Store

stderr = Console(stderr=True)
stdout = Console()


class _Ticker:
    """One status line per dimension: which test runs, how far the run is, and the ETA."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.start = time.perf_counter()

    def __call__(self, dimension: str, outcome: DimensionOutcome | None, done: int, total: int) -> None:
        if not self.enabled:
            return
        elapsed = time.perf_counter() - self.start
        if outcome is None:
            eta = f", ETA {elapsed / done * (total - done):.0f}s" if done else ""
            stderr.print(f"[dim][{done + 1}/{total}] {dimension}: adaptive test ({elapsed:.0f}s elapsed{eta})[/dim]")
        else:
            extra = f", {outcome.generated} new items" if outcome.generated else ""
            stderr.print(f"  {dimension}: {outcome.score:.0f} [{outcome.ci_low:.0f}-{outcome.ci_high:.0f}] "
                         f"after {outcome.n_items} items ({outcome.stop_reason}{extra})")


def run_adaptive_cli(config: AdaptiveConfig, store: Path | None, retry: RetryPolicy, quiet: bool,
                     max_connections: int | None = None) -> AdaptiveResult:
    """Run the adaptive evaluation with a per-dimension status line."""
    with Store(store) as db:
        return asyncio.run(run_adaptive(config, db, progress=_Ticker(not quiet), retry=retry,
                                        max_connections=max_connections))


_STOP_REASONS = {"se_target": "target SE reached", "max_items": "item limit (--max-items) reached",
                 "bank_exhausted": "no items left", "no_informative_item": "no informative item left"}


def outcomes_table(result: AdaptiveResult) -> Table:
    """The per-dimension table, grouped by value system: score with its 95% interval, ability, items.

    It fits 80 columns (logs, pipes): the system names head their groups, and the
    reason a test stopped has its own column only when the reasons differ.
    """
    reasons = {o.stop_reason or "" for o in result.outcomes}
    table = Table(title=f"{result.run.model_spec}: adaptive estimates (0-100, expected share of conforming "
                        f"behaviour over the item bank)")
    columns = [("dimension", "left"), ("score", "right"), ("95% CI", "right"), ("θ ± SE", "right"),
               ("items", "right"), ("new", "right")]
    if len(reasons) > 1:
        columns.append(("stopped", "left"))
    for col, justify in columns:
        table.add_column(col, justify=justify, no_wrap=col != "dimension")  # type: ignore[arg-type]
    system = None
    for o in result.outcomes:
        dim = get_dimension(o.dimension)
        if dim.system != system:
            system = dim.system
            if table.row_count:
                table.add_section()
            table.add_row(f"[bold]{get_system(system).name}[/bold]")
        row = [f"  {dim.short}", f"{o.score:.1f}", f"{o.ci_low:.0f}-{o.ci_high:.0f}", f"{o.theta:+.2f} ± {o.se:.2f}",
               str(o.n_items), str(o.generated)]
        table.add_row(*row, *([o.stop_reason or ""] if len(reasons) > 1 else []))
    if len(reasons) == 1 and reasons != {""}:
        reason = reasons.pop()
        table.caption = f"every test stopped: {_STOP_REASONS.get(reason, reason)}; new = items generated during the test"
    else:
        table.caption = "new = items generated during the test"
    return table


def print_adaptive(result: AdaptiveResult, config: AdaptiveConfig, as_json: bool) -> None:
    """Print the result (table or JSON) and how to go deeper."""
    if as_json:
        print_json({"run": result.run.model_dump(mode="json"), "resumed": result.resumed,
                    "self_judged": result.self_judged, "judge": config.judge,
                    "outcomes": [o.__dict__ for o in result.outcomes]})
        return
    stdout.print(outcomes_table(result))
    stdout.print(f"run {result.run.run_id} ({'resumed' if result.resumed else 'new'}); judge {config.judge}; "
                 f"items per dimension {config.cat.min_items}-{config.cat.max_items}, target SE {config.cat.se_target}")
    if result.self_judged:
        stdout.print("[yellow]note: the judge is the examinee's own model (self-judging); scores may be biased in "
                     "its favour; use --judge to choose another judge[/yellow]")
    unreadable = [o for o in result.outcomes if o.unreadable]
    if unreadable:
        stdout.print(f"[yellow]warning: the judge's verdict could not be read for "
                     f"{sum(o.unreadable for o in unreadable)} answers in {len(unreadable)} dimensions "
                     f"({', '.join(o.dimension for o in unreadable[:5])}{' ...' if len(unreadable) > 5 else ''}); "
                     f"those answers carry no information, so the estimates lean on the prior. Try another "
                     f"--judge, or 'valuecompass judge calibrate'.[/yellow]")
    wide = [o for o in result.outcomes if o.ci_high - o.ci_low > 40]
    if wide:
        stdout.print(f"{len(wide)} of {len(result.outcomes)} intervals are wider than 40 points. To go deeper: "
                     f"--max-items 15 --se 0.3 (more items per dimension), and calibrate the bank across "
                     f"models with 'valuecompass items calibrate'.")
    stdout.print(f"next: valuecompass runs show {result.run.run_id} | valuecompass leaderboard serve")
