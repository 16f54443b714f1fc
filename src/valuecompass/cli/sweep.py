"""CLI: ``valuecompass sweep FILE.yaml``, and ``run`` with several ``--model``: many models in one process.

One status line per model while the sweep runs (answers, verdicts, tokens, rate, ETA, failures), and a
summary at the end that says which models failed and why; the exit code is 1 when any failed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.live import Live
from rich.table import Table

from valuecompass.cli._common import JSON_OPTION, STORE_OPTION, print_json

if TYPE_CHECKING:
    from valuecompass.pipeline import ModelStatus, Sweep, SweepProgress, SweepResult

stderr = Console(stderr=True)
stdout = Console()



def _rate(status: ModelStatus) -> tuple[str, str]:
    s = status.summary
    if s is None or status.state != "running":
        return "", ""
    elapsed = time.perf_counter() - status.started
    rate = s.n_done / elapsed if elapsed > 0 else 0.0
    eta = "" if not s.run.n_jobs or rate <= 0 else f"{max(0.0, (s.run.n_jobs - s.n_done) / rate):.0f}s"
    return f"{rate:.1f}/s", eta


def status_table(statuses: Sequence[ModelStatus], title: str = "sweep", final: bool = False) -> Table:
    """One row per model: state, answers, verdicts, tokens, and while running its rate and ETA (at the end:
    its wall time and run id; errors are listed under the table)."""
    table = Table(title=title)
    last = ("seconds", "run") if final else ("rate", "ETA")
    for col in ("model", "state", "answers", "verdicts", "tokens in/out", *last):
        table.add_column(col, overflow="fold", min_width=12 if col == "model" else None,
                         no_wrap=col not in ("model", "run"))
    for st in statuses:
        s = st.summary
        done = "" if s is None else f"{s.n_done}" + (f"/{s.run.n_jobs}" if s.run.n_jobs else "")
        colour = {"complete": "green", "failed": "red", "running": "yellow"}.get(st.state, "dim")
        tail = (f"{st.seconds:.1f}", st.run_id or "") if final else _rate(st)
        table.add_row(st.label, f"[{colour}]{st.state}[/{colour}]", done, "" if s is None else str(s.n_judgments),
                      "" if s is None else f"{s.input_tokens}/{s.output_tokens}", *tail)
    return table


#: ``--executor``, ``--ray-address`` and ``--ray-workers``: shared by ``sweep`` and ``run``.
SCALE_PANEL = "Many models, many machines"
EXECUTOR_OPTION = typer.Option("local", "--executor", rich_help_panel=SCALE_PANEL,
                               help="local (one process, models concurrently) or ray (one Ray task per model and "
                                    "dimension; `pip install 'valuecompass\\[ray]'`).")
RAY_ADDRESS_OPTION = typer.Option("", "--ray-address", rich_help_panel=SCALE_PANEL,
                                  help="With --executor ray: auto, ray://HOST:PORT, or empty for a local cluster "
                                       "started and stopped for the run.")
RAY_WORKERS_OPTION = typer.Option(None, "--ray-workers", min=1, rich_help_panel=SCALE_PANEL,
                                  help="With --executor ray and a local cluster: its CPUs (default: the machine's).")
RAY_TASKS_OPTION = typer.Option(None, "--ray-tasks-per-cpu", min=1, max=256, rich_help_panel=SCALE_PANEL,
                                help="With --executor ray: tests at once per CPU, as coroutines of one worker "
                                     "per CPU (default 16).")


def run_sweep_cli(sweep: Sweep, store: Path | None, as_json: bool, executor: str = "local", ray_address: str = "",
                  ray_workers: int | None = None, ray_tasks_per_cpu: int | None = None) -> SweepResult:
    """Check the judge, run the sweep with a live status table, print the summary; exit 1 if a model failed."""
    from valuecompass.errors import UsageError
    from valuecompass.models import check_model_options, get_model
    from valuecompass.pipeline import run_sweep
    from valuecompass.store import Store

    if executor not in ("local", "ray"):
        raise UsageError(f"unknown executor {executor!r}", hint="--executor local or --executor ray")
    if executor == "local" and (ray_address or ray_workers or ray_tasks_per_cpu is not None):
        raise UsageError("--ray-address, --ray-workers and --ray-tasks-per-cpu only apply to --executor ray",
                         hint="add --executor ray")

    judge_options = {**sweep.judge.options, **({"base_url": sweep.judge.base_url} if sweep.judge.base_url else {})}
    check_model_options(sweep.judge.model, judge_options)  # a bad judge stops the sweep before any run opens
    get_model(sweep.judge.model, **judge_options).preflight()
    def execute(db: Store, progress: SweepProgress | None) -> SweepResult:
        if executor == "ray":
            from valuecompass.pipeline._ray import require_ray, run_sweep_ray

            require_ray()  # a missing Ray is said before anything starts
            return run_sweep_ray(sweep, db, address=ray_address or None, num_workers=ray_workers,
                                 tasks_per_cpu=ray_tasks_per_cpu, progress=progress)
        return asyncio.run(run_sweep(sweep, db, progress=progress))

    with Store(store) as db:
        if as_json:
            result = execute(db, None)
        else:
            with Live(status_table([]), console=stderr, refresh_per_second=2, transient=True) as live:
                result = execute(db, lambda s: live.update(status_table(s)))
    if as_json:
        print_json({"models": [{"model": m.spec, "label": m.label, "state": m.state, "run_id": m.run_id,
                                "error": m.error, "seconds": round(m.seconds, 3),
                                "answers": m.summary.n_done if m.summary else 0,
                                "verdicts": m.summary.n_judgments if m.summary else 0}
                               for m in result.models],
                    "failed": len(result.failed)})
    else:
        stdout.print(status_table(result.models, title=f"sweep of {len(result.models)} models", final=True))
        for st in result.failed:
            stdout.print(f"[red]{st.label} failed[/red]: {st.error}", highlight=False)
        if result.failed:
            stdout.print(f"[red]{len(result.failed)} of {len(result.models)} models failed[/red]; rerun the same "
                         "command to resume them (finished ones are reused)")
        stdout.print("next: valuecompass align --profile uniform-all | valuecompass leaderboard serve")
    if result.failed:
        raise typer.Exit(1)
    return result


def sweep(file: Path = typer.Argument(..., metavar="FILE.yaml", help="The sweep file."),
          executor: str = EXECUTOR_OPTION, ray_address: str = RAY_ADDRESS_OPTION,
          ray_workers: int | None = RAY_WORKERS_OPTION, ray_tasks_per_cpu: int | None = RAY_TASKS_OPTION,
          store: Path | None = STORE_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Run every model of a sweep file concurrently (each with its own connection limit), one judge for all.

    A failing model does not stop the others; the summary says which failed and why.

    Rerunning the same sweep resumes every model where it stopped.

    Example sweep file:

        judge: {model: openai/gpt-4o, base_url: https://api.example.com/v1}
        mode: adaptive            # or fixed
        systems:
          - schwartz
          - mft
        settings: {max_items: 15, se: 0.3}     # any `run` setting
        max_concurrent_models: 8
        models:
          - model: openai/qwen2.5-7b-instruct
            base_url: http://gpu-1:8000/v1
            max_connections: 32
            card: {name: Qwen2.5 7B, developer: Alibaba, weights: open, release_date: 2024-09-19}
          - model: gguf/models/llama-3.2-3b.gguf
    """
    from valuecompass.pipeline import load_sweep

    run_sweep_cli(load_sweep(file), store, as_json, executor, ray_address, ray_workers, ray_tasks_per_cpu)


def register(app: typer.Typer) -> None:
    """Add ``sweep`` to ``app``."""
    app.command("sweep")(sweep)
