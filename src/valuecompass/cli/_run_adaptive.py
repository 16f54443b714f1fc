"""The adaptive path of ``valuecompass run``: progress, the result table and next steps."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from rich.console import Console

from valuecompass.cli._common import print_json
from valuecompass.cli.scores import print_result, result_json
from valuecompass.pipeline import AdaptiveConfig, AdaptiveResult, DimensionOutcome, RetryPolicy, run_adaptive
from valuecompass.models import ModelCard
from valuecompass.store import RunResult, Store, run_result

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
                     max_connections: int | None = None, card: ModelCard | None = None,
                     ) -> tuple[AdaptiveResult, RunResult]:
    """Run the adaptive evaluation with a per-dimension status line (the card is stored with the run).

    Returns:
        The pipeline's result and the run's scores as every reader reads them (one store, opened once).
    """
    with Store(store) as db:
        result = asyncio.run(run_adaptive(config, db, progress=_Ticker(not quiet), retry=retry,
                                          max_connections=max_connections, card=card))
        return result, run_result(db, result.run.run_id, method="irt-cat")


def print_adaptive(result: AdaptiveResult, stored: RunResult, config: AdaptiveConfig, as_json: bool) -> None:
    """Print the run's scores as ``valuecompass scores`` does (table or JSON), and how to go deeper."""
    if as_json:
        print_json({**result_json(stored, result.self_judged), "run": result.run.model_dump(mode="json"),
                    "resumed": result.resumed, "outcomes": [o.__dict__ for o in result.outcomes]})
        return
    print_result(stored, stdout, self_judged=result.self_judged)
    generated = sum(o.generated for o in result.outcomes)
    stdout.print(f"run {result.run.run_id} ({'resumed' if result.resumed else 'new'}); items per dimension "
                 f"{config.cat.min_items}-{config.cat.max_items}, target SE {config.cat.se_target}"
                 + (f"; {generated} new items generated" if generated else ""))
    unreadable = [o for o in result.outcomes if o.unreadable]
    if unreadable:
        stdout.print(f"[yellow]warning: the judge's verdict could not be read for "
                     f"{sum(o.unreadable for o in unreadable)} answers in {len(unreadable)} dimensions "
                     f"({', '.join(o.dimension for o in unreadable[:5])}{' ...' if len(unreadable) > 5 else ''}); "
                     f"those answers carry no information, so the estimates lean on the prior. Try another "
                     f"--judge, or 'valuecompass judge calibrate'.[/yellow]")
    stdout.print(f"next: valuecompass runs show {result.run.run_id} | valuecompass leaderboard serve")
