"""CLI: ``valuecompass run``: measure a model's values and store everything.

By default an adaptive test per dimension (item selection by information,
item generation when the bank runs dry, judge, IRT estimate); with ``--fixed``
a fixed form of items, judged and scored as the share of conforming behaviour.
A thin layer over :mod:`valuecompass.pipeline`.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from valuecompass.cli._common import JSON_OPTION, STORE_OPTION, print_json
from valuecompass.cli.scores import print_result, result_json
from valuecompass.cli.sweep import EXECUTOR_OPTION, RAY_ADDRESS_OPTION, RAY_TASKS_OPTION, RAY_WORKERS_OPTION
from valuecompass.errors import ModelError, UsageError
from valuecompass.models import DEFAULT_MODEL, check_model_options, get_model
from valuecompass.judge import DEFAULT_JUDGE
from valuecompass.pipeline import DEFAULT_CAT

if TYPE_CHECKING:
    from valuecompass.judge import Judge
    from valuecompass.models import ModelCard
    from valuecompass.pipeline import FixedFormConfig, FixedFormEvaluation, FixedFormResult, RunnerOptions
    from valuecompass.pipeline import Progress as RunProgress
    from valuecompass.pipeline.judging import JudgeStats

stderr = Console(stderr=True)


def parse_model_args(pairs: list[str]) -> dict[str, str | int | float | bool | None]:
    """``KEY=VALUE`` pairs to provider options; values are read as JSON when they parse, else as text.

    Raises:
        ModelError: for a pair without ``=``.
    """
    from valuecompass.pipeline import SECRET_OPTIONS

    options: dict[str, str | int | float | bool | None] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ModelError(f"model option {pair!r} is not KEY=VALUE", hint="e.g. -M n_ctx=2048")
        if key in SECRET_OPTIONS:
            raise ModelError(f"model option {key!r} would be recorded with the run",
                             hint="pass API keys in the environment: VALUECOMPASS_API_KEY or OPENAI_API_KEY")
        try:
            options[key] = json.loads(value)
        except json.JSONDecodeError:
            options[key] = value
    return options


def recorded_options(options: dict[str, Any]) -> dict[str, Any]:
    """Options that go into a run record: each a number, text, true/false or null.

    Raises:
        ModelError: naming an option given as a JSON object or list.
    """
    for key, value in options.items():
        if isinstance(value, (dict, list)):
            raise ModelError(f"model option {key!r} must be a number, text, true/false or null, not a JSON "
                             f"{'object' if isinstance(value, dict) else 'list'}", hint=f"e.g. -M {key}=8")
    return options


class _Bar:
    """A rich progress bar fed by the runner's progress callback: done/total, rate, ETA."""

    def __init__(self, enabled: bool) -> None:
        self.progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"), TextColumn("ETA {task.fields[eta]}"), TimeElapsedColumn(),
            console=stderr, disable=not enabled)
        self.task = self.progress.add_task("answering", total=None, rate="", eta="?")
        self.judge_task: Any = None

    def __call__(self, p: RunProgress) -> None:
        rate = p.new / p.elapsed_s if p.elapsed_s > 0 else 0.0
        remaining = p.total - p.done
        eta = f"{remaining / rate:.0f}s" if rate > 0 else ("0s" if remaining == 0 else "?")
        self.progress.update(self.task, total=p.total, completed=p.done, rate=f"{rate:.2f} items/s", eta=eta)

    def judged(self, stats: JudgeStats) -> None:
        """The judge stage's progress: a second bar, started at its first judgment."""
        if self.judge_task is None:
            self.judge_task = self.progress.add_task("judging", total=stats.total, rate="", eta="?")
        done = stats.cached + stats.judged
        rate = stats.judged / stats.elapsed_s if stats.elapsed_s > 0 else 0.0
        eta = f"{(stats.total - done) / rate:.0f}s" if rate > 0 else "?"
        self.progress.update(self.judge_task, total=stats.total, completed=done, rate=f"{rate:.2f}/s", eta=eta)


def _evaluate_fixed(config: FixedFormConfig, store: Path | None, item_file: Path | None, options: RunnerOptions,
                    judge: Judge | None, as_json: bool, card: ModelCard | None) -> FixedFormEvaluation:
    """Run the pipeline's fixed-form evaluation (one store, one event loop) and print as it goes."""
    from valuecompass.pipeline import evaluate_fixed_form, load_items
    from valuecompass.store import Store

    source = load_items(item_file)
    bar = _Bar(not as_json)

    async def main() -> FixedFormEvaluation:
        try:
            with bar.progress:
                return await evaluate_fixed_form(config, db, judge=judge, items=source, options=options,
                                                 progress=bar, judge_progress=bar.judged, card=card)
        finally:
            if judge is not None:
                await judge.aclose()

    with Store(store) as db:
        return asyncio.run(main())


def _judging_json(done: FixedFormEvaluation, judge: Judge) -> dict:
    """The judging part of ``run --fixed --json`` (the same shape as ``scores --json``)."""
    stats = done.judging
    assert stats is not None
    if done.scores is None:
        return {"judge": judge.judge_id, "self_judged": stats.self_judged, "scores": [], "metrics": [],
                "unreadable": done.unreadable}
    return result_json(done.scores, stats.self_judged)


def _print_summary(result: FixedFormResult) -> None:
    s, run = result.stats, result.run
    rate = s.completed / s.elapsed_s if s.elapsed_s > 0 else 0.0
    stderr.print(f"[green]{run.status}[/green] {run.run_id}: {s.done}/{s.total} answered "
                 f"({s.completed} new, {s.cached} reused) in {s.elapsed_s:.1f}s, {rate:.2f}/s; "
                 f"tokens {s.input_tokens} in, {s.output_tokens} out; retries {sum(s.retries.values())}")
    stderr.print(f"next: valuecompass runs show {run.run_id}")


_ADAPTIVE = "Adaptive testing (the default)"
_FIXED = "Fixed form (--fixed)"
_JUDGE = "Judge"
_CALLS = "Sampling and model calls"
_CARD = "Model card (shown on the leaderboard; changes no result)"


def _model_card(path: Path | None, name: str | None) -> ModelCard | None:
    """The card of ``--card`` and ``--name`` (``None`` if neither is given).

    Raises:
        DataFileError: for a bad card file.
        UsageError: for a bad ``--name``.
    """
    from pydantic import ValidationError

    from valuecompass.models import ModelCard, load_model_card

    if path is not None:
        return load_model_card(path, name)
    if name is None:
        return None
    try:
        return ModelCard(name=name)
    except ValidationError as exc:
        raise UsageError(f"--name {name!r} is not a display name: 1 to 120 characters",
                         hint="e.g. --name 'Qwen2.5 1.5B Instruct'") from exc


def run(
    model: list[str] = typer.Option([DEFAULT_MODEL], "--model", "-m",
                                    help="Examinee, provider/model (repeatable: the models run concurrently, as a "
                                         "sweep)."),
    system: list[str] = typer.Option([], "--system", "-s", help="Only this value system (repeatable)."),
    dimension: list[str] = typer.Option([], "--dimension", "-d", help="Only this dimension (repeatable)."),
    fixed: bool = typer.Option(False, "--fixed", help="A fixed form of seed items instead of adaptive testing."),
    items: int | None = typer.Option(None, "--items", "-n", min=1, rich_help_panel=_FIXED,
                                     help="Items per dimension (default: all)."),
    samples: int = typer.Option(1, "--samples", "-k", min=1, rich_help_panel=_FIXED,
                                help="Answers per item (each with its own seed)."),
    no_judge: bool = typer.Option(False, "--no-judge", rich_help_panel=_FIXED,
                                  help="Store answers only, judge later."),
    item_file: Path | None = typer.Option(None, "--item-file", rich_help_panel=_FIXED,
                                          help="Items from this file, not the seed bank."),
    max_items: int = typer.Option(DEFAULT_CAT.max_items, "--max-items", min=1, rich_help_panel=_ADAPTIVE,
                                  help="Most items per dimension."),
    min_items: int = typer.Option(DEFAULT_CAT.min_items, "--min-items", min=0, rich_help_panel=_ADAPTIVE,
                                  help="Fewest items per dimension."),
    se: float = typer.Option(DEFAULT_CAT.se_target, "--se", min=0.01, rich_help_panel=_ADAPTIVE,
                             help="Stop at this SE of theta."),
    batch: int = typer.Option(DEFAULT_CAT.batch_size, "--batch", min=1, rich_help_panel=_ADAPTIVE,
                              help="Items per step."),
    generate_items: bool = typer.Option(True, "--generate/--no-generate", rich_help_panel=_ADAPTIVE,
                                        help="Write new items when none is informative."),
    generator: str | None = typer.Option(None, "--generator", rich_help_panel=_ADAPTIVE,
                                         help="Item generator (default: the judge)."),
    judge: str = typer.Option(DEFAULT_JUDGE, "--judge", rich_help_panel=_JUDGE, help="Judge model, provider/model."),
    calibration: Path | None = typer.Option(None, "--calibration", "--judge-profile", rich_help_panel=_JUDGE,
                                            help="A judge calibration (from `judge calibrate`); --judge-profile is "
                                                 "its old name, kept for one release."),
    system_prompt: str | None = typer.Option(None, "--system-prompt", rich_help_panel=_CALLS,
                                             help="System message for the examinee."),
    base_url: str | None = typer.Option(None, "--base-url", rich_help_panel=_CALLS,
                                        help="OpenAI-compatible endpoint (openai/ models)."),
    temperature: float = typer.Option(0.0, "--temperature", min=0.0, max=2.0, rich_help_panel=_CALLS,
                                      help="Sampling temperature."),
    max_tokens: int | None = typer.Option(None, "--max-tokens", min=1, max=32768, rich_help_panel=_CALLS,
                                          help="Most tokens of every answer (default: each format's own budget, "
                                          "48 for a stance to 80 for a story or a response to a request)."),
    seed: int = typer.Option(0, "--seed", rich_help_panel=_CALLS, help="Sampling seed (sample k uses seed + k)."),
    form_seed: int = typer.Option(0, "--form-seed", help="Seed of item choice: the form with --items, adaptive "
                                  "selection and generation."),
    timeout: float = typer.Option(120.0, "--timeout", min=0.001, rich_help_panel=_CALLS,
                                  help="Seconds per call (examinee and judge) before it is retried."),
    max_connections: int | None = typer.Option(None, "--max-connections", min=1, rich_help_panel=_CALLS,
                                               help="Concurrent calls."),
    max_attempts: int = typer.Option(6, "--max-attempts", min=1, rich_help_panel=_CALLS,
                                     help="Attempts per call before giving up."),
    model_arg: list[str] = typer.Option([], "--model-arg", "-M", rich_help_panel=_CALLS,
                                        help="Provider option KEY=VALUE (repeatable)."),
    card: Path | None = typer.Option(None, "--card", rich_help_panel=_CARD, dir_okay=False,
                                     help="Model card file (YAML: name, developer, weights open/closed, "
                                          "release_date, website, report), stored with the run."),
    name: str | None = typer.Option(None, "--name", rich_help_panel=_CARD,
                                    help="Display name of the model (overrides the card's name)."),
    executor: str = EXECUTOR_OPTION,
    ray_address: str = RAY_ADDRESS_OPTION,
    ray_workers: int | None = RAY_WORKERS_OPTION,
    ray_tasks_per_cpu: int | None = RAY_TASKS_OPTION,
    store: Path | None = STORE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Measure a model's values: adaptive tests per dimension (default) or a fixed form (--fixed).

    Everything is stored as it arrives; rerun the same command to resume.
    """
    from valuecompass.judge import make_judge
    from valuecompass.pipeline import RunRequest

    options = recorded_options(parse_model_args(model_arg))
    model_card = _model_card(card, name)
    if model_card is not None and len(model) > 1:
        raise UsageError("--card and --name describe one model, and this run has several",
                         hint="give each model its card in a sweep file: valuecompass sweep FILE.yaml")
    if base_url:
        options["base_url"] = base_url
    if len(model) > 1 or executor != "local" or ray_address or ray_workers or ray_tasks_per_cpu is not None:
        from valuecompass.cli.sweep import run_sweep_cli
        from valuecompass.pipeline import Sweep, SweepJudge, SweepModel

        settings = dict(items=items, samples=samples, no_judge=no_judge, item_file=item_file, max_items=max_items,
                        min_items=min_items, se=se, batch=batch, generate_items=generate_items, generator=generator,
                        system_prompt=system_prompt, temperature=temperature, max_tokens=max_tokens, seed=seed,
                        form_seed=form_seed, timeout=timeout, max_attempts=max_attempts)
        run_sweep_cli(Sweep(models=tuple(SweepModel(model=m, options=options, max_connections=max_connections,
                                                    card=model_card) for m in model),
                            judge=SweepJudge(model=judge, calibration=calibration),
                            mode="fixed" if fixed else "adaptive",
                            systems=tuple(system), dimensions=tuple(dimension), settings=settings), store, as_json,
                      executor, ray_address, ray_workers, ray_tasks_per_cpu)
        return
    spec = model[0]
    request = RunRequest(
        model=spec, model_options=options, systems=tuple(system), dimensions=tuple(dimension), fixed=fixed,
        items=items, samples=samples, no_judge=no_judge, item_file=item_file, max_items=max_items,
        min_items=min_items, se=se, batch=batch, generate_items=generate_items, generator=generator, judge=judge,
        calibration=calibration, system_prompt=system_prompt, temperature=temperature, max_tokens=max_tokens,
        seed=seed, form_seed=form_seed, timeout=timeout, max_connections=max_connections,
        max_attempts=max_attempts)
    check_model_options(spec, options)  # bad specs, option values, files and endpoints fail before anything
    check_model_options(judge, {})       # is stored (a run record opened now would be left failed)
    get_model(spec, **options).preflight()
    if request.judged:
        get_model(judge).preflight()
    if not fixed:
        from valuecompass.cli._run_adaptive import print_adaptive, run_adaptive_cli

        config = request.adaptive_config()
        adaptive, stored = run_adaptive_cli(config, store, request.retry(), quiet=as_json,
                                            max_connections=max_connections, card=model_card)
        print_adaptive(adaptive, stored, config, as_json)
        return
    the_judge = make_judge(judge, profile=calibration, settings=request.judge_settings()) if request.judged \
        else None  # a bad judge fails before any call
    done = _evaluate_fixed(request.fixed_config(), store, item_file, request.runner_options(), the_judge, as_json,
                           model_card)
    result = done.administered
    if not as_json:
        _print_summary(result)
        if the_judge is not None and done.scores is None:
            stderr.print(f"[yellow]warning: no verdict of judge {the_judge.judge_id} could be read "
                         f"({done.unreadable} unreadable), so the run has no scores; try another --judge[/yellow]")
        elif done.scores is not None and done.judging is not None:
            print_result(done.scores, self_judged=done.judging.self_judged)
    judged = None if the_judge is None else _judging_json(done, the_judge)
    if as_json:
        s = result.stats
        print_json({"run": result.run.model_dump(mode="json"), "resumed": result.resumed,
                    "stats": {"total": s.total, "done": s.done, "new": s.completed, "reused": s.cached,
                              "retries": s.retries, "input_tokens": s.input_tokens,
                              "output_tokens": s.output_tokens, "elapsed_s": s.elapsed_s},
                    "judging": judged})


def register(app: typer.Typer) -> None:
    """Add ``run`` to ``app``."""
    app.command("run")(run)
