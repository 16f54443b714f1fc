"""CLI: ``valuecompass scores RUN_ID``: a run's per-dimension scores and behaviour figures.

The scores are read through the store's one results reader
(:func:`valuecompass.store.run_result`), so ``run``, ``scores``, ``align`` and the
leaderboard show the same number and interval for the same run. A run judged by
a judge it has no scores of yet (``valuecompass judge RUN --judge OTHER``) is
scored here first, as the share of conforming behaviour.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.table import Table

from valuecompass.cli._common import JSON_OPTION, SCORE_JUDGE_OPTION, STORE_OPTION, console, print_json
from valuecompass.errors import StoreError
from valuecompass.frameworks import all_dimensions, get_dimension, get_system

if TYPE_CHECKING:
    from valuecompass.store import MetricRecord, RunResult

_INTERVALS = {"irt-cat": "IRT posterior (theta's EAP and SE, the interval mapped to the bank's expected share)",
              "share": "Wilson 95%, each item one trial"}
_STOP_REASONS = {"se_target": "target SE reached", "max_items": "item limit (--max-items) reached",
                 "bank_exhausted": "no items left", "no_informative_item": "no informative item left"}


def _ci(low: float | None, high: float | None) -> str:
    return "-" if low is None or high is None else f"{low:.0f}-{high:.0f}"


def scores_table(result: RunResult) -> Table:
    """The per-dimension table, grouped by value system; fits 80 columns.

    Columns: score, 95% interval, items, and for adaptive scores theta with its SE in brackets.
    """
    adaptive = result.method == "irt-cat"
    table = Table(title=f"{result.run.model_spec}: scores of run {result.run.run_id} (0-100, {result.method})")
    columns = ["dimension", "score", "95% CI", "items"] + (["θ (SE)"] if adaptive else ["judged"])
    for col in columns:
        table.add_column(col, justify="left" if col == "dimension" else "right", no_wrap=col != "dimension")
    order = [d.id for d in all_dimensions()]
    system = None
    for dim_id in sorted(result.scores, key=lambda d: order.index(d) if d in order else len(order)):
        row, dim = result.scores[dim_id], get_dimension(dim_id)
        if dim.system != system:
            system = dim.system
            if table.row_count:
                table.add_section()
            table.add_row(f"[bold]{get_system(system).name}[/bold]")
        d = row.details
        last = (f"{d['theta']:+.2f} ({d['theta_se']:.2f})" if adaptive and "theta" in d
                else str(d.get("n_judgments", "")))
        table.add_row(f"  {dim.short}", f"{row.score:.1f}", _ci(row.ci_low, row.ci_high), str(row.n_items), last)
    reasons = {r.details.get("stop_reason") for r in result.scores.values()} - {None}
    caption = f"interval: {_INTERVALS.get(result.method, 'as stored')}"
    if adaptive and len(reasons) == 1:
        reason = reasons.pop()
        caption += f"; every test stopped: {_STOP_REASONS.get(reason, reason)}"
    table.caption = caption
    return table


def _metric(metrics: dict[tuple[str, str], MetricRecord], name: str) -> MetricRecord | None:
    return metrics.get((name, ""))


def behaviour_lines(result: RunResult) -> list[str]:
    """Plain-language lines on the run's acquiescence, over-refusal, incoherence and position bias."""
    m = {(x.name, x.dimension): x for x in result.metrics}
    lines = []
    acq = _metric(m, "acquiescence")
    if acq is not None:
        line = (f"acquiescence: Yes in {acq.details.get('count')} of {acq.n} stance answers "
                f"({acq.value:.0f}%, 95% CI {_ci(acq.ci_low, acq.ci_high)}; keys are balanced, so 50% means "
                f"no yes-bias)")
        if acq.ci_low is not None and (acq.ci_low > 75 or (acq.ci_high or 100) < 25):
            line += ("[yellow]: the stances follow the wording more than the value, and Schwartz scores sit near "
                     "50 by construction[/yellow]")
        lines.append(line)
    for name, text in (("no_stance", "no Yes/No stance"), ("incoherence", "key points arguing the other way"),
                       ("over_refusal", "benign requests refused (over-refusal, not counted as unsafe)"),
                       ("choice_position_a", "forced choices of option A (50% means no position bias)")):
        x = _metric(m, name)
        if x is not None:
            lines.append(f"{text}: {x.details.get('count')} of {x.n} ({x.value:.0f}%, 95% CI "
                         f"{_ci(x.ci_low, x.ci_high)})")
    return lines


def print_result(result: RunResult, out: Console | None = None, *, self_judged: bool = False) -> None:
    """Print a run's scores table, its behaviour figures and notes on the judge and the intervals."""
    out = out or console
    out.print(scores_table(result))
    for line in behaviour_lines(result):
        out.print(line)
    out.print(f"judge: {result.judge_id}" + (f"; also stored: {', '.join(result.other)}" if result.other else ""))
    if self_judged:
        out.print("[yellow]note: the judge is the examinee's own model (self-judging); scores may be biased in "
                  "its favour; use --judge to choose another judge[/yellow]")
    wide = [r for r in result.scores.values() if r.ci_low is not None and (r.ci_high or 0) - r.ci_low > 40]
    if wide:
        out.print(f"{len(wide)} of {len(result.scores)} intervals are wider than 40 points: few items give wide "
                  f"intervals. To go deeper: --max-items 15 --se 0.3, and 'valuecompass items calibrate' across "
                  f"models.")


def result_json(result: RunResult, self_judged: bool) -> dict:
    """The JSON form of a run's result."""
    return {"run_id": result.run.run_id, "model": result.run.model_spec, "method": result.method,
            "judge": result.judge_id, "self_judged": self_judged,
            "scores": [r.model_dump(mode="json") for r in result.scores.values()],
            "metrics": [m.model_dump(mode="json") for m in result.metrics], "other": list(result.other)}


def is_self_judged(result: RunResult) -> bool:
    """Whether the run's provenance records its judge as the examinee's own model."""
    judges = result.run.provenance.get("judges", [])
    return any(j.get("self_judged") for j in judges if j.get("judge_id") == result.judge_id)


def scores(
    run_id: str = typer.Argument(..., metavar="RUN_ID", help="A run id (a unique prefix is enough)."),
    judge: str | None = SCORE_JUDGE_OPTION,
    method: str | None = typer.Option(None, "--score-method", "--method", help="Scores of this method, irt-cat "
                                      "or share (default: the run's own); --method is its old name."),
    store: Path | None = STORE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """A run's per-dimension scores (0-100) with 95% intervals, and its behaviour figures."""
    from valuecompass.pipeline.scoring import score_run
    from valuecompass.store import Store, run_result

    with Store.existing(store) as db:
        try:
            result = run_result(db, run_id, method=method, judge=judge)
        except StoreError:
            if method not in (None, "share"):
                raise
            score_run(db, run_id, judge_id=judge)  # judged, not yet scored: the share of conforming behaviour
            result = run_result(db, run_id, method="share", judge=judge)
    if as_json:
        print_json(result_json(result, is_self_judged(result)))
        return
    print_result(result, self_judged=is_self_judged(result))


def register(app: typer.Typer) -> None:
    """Add ``scores`` to ``app``."""
    app.command("scores")(scores)
