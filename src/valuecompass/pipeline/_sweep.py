"""Sweeps: many models measured in one process, concurrently, each with its own connection limit.

A sweep file (YAML) lists the models (spec, endpoint options, connection limit, model card), the judge
and the settings every model's run shares::

    judge: {model: openai/gpt-4o, base_url: https://api.example.com/v1}
    mode: adaptive                 # or fixed
    systems: [schwartz, mft]
    settings: {max_items: 15, se: 0.3}
    models:
      - model: openai/qwen2.5-7b-instruct
        base_url: http://gpu-1:8000/v1
        max_connections: 32
        card: {name: Qwen2.5 7B Instruct, developer: Alibaba, weights: open}
      - model: gguf/models/llama-3.2-3b.gguf

Each model's run is exactly the run ``valuecompass run`` makes for it (the same run id, so rerunning a
sweep resumes every model where it stopped, and a model run alone first is reused). Models run
concurrently (at most ``max_concurrent_models`` at a time); a model that fails is reported with its
error, and the others go on. The judge is built once and shared, so its connection limit holds for the
whole sweep.

Entry points: :func:`load_sweep`, :func:`run_sweep`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from valuecompass._datafiles import read_yaml, validation_summary
from valuecompass.errors import DataFileError, UsageError, ValueCompassError
from valuecompass.judge import DEFAULT_JUDGE, Judge, make_judge
from valuecompass.models import ModelCard, check_model_options, get_model
from valuecompass.pipeline._adaptive import run_adaptive
from valuecompass.pipeline._evaluate import evaluate_fixed_form
from valuecompass.pipeline._fixed_form import load_items
from valuecompass.pipeline._plan import OptionValue
from valuecompass.pipeline._request import RunRequest
from valuecompass.store import RunSummary, Store

log = logging.getLogger(__name__)

#: Settings of :class:`RunRequest` a sweep file sets in ``settings`` (the rest have their own keys).
_PER_SWEEP = frozenset(RunRequest.model_fields) - {"model", "model_options", "max_connections", "judge",
                                                    "calibration", "fixed", "systems", "dimensions"}


class SweepModel(BaseModel):
    """One model of a sweep.

    Attributes:
        model: Its spec, ``provider/model``.
        base_url: Its OpenAI-compatible endpoint (``openai/`` models).
        options: Provider options (as ``-M KEY=VALUE``; no secrets).
        max_connections: Its own limit of concurrent calls (default: the provider's).
        card: What the leaderboard shows about it (stored with the run; changes no result).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = Field(min_length=3, max_length=1000)
    base_url: str | None = None
    options: dict[str, OptionValue] = Field(default_factory=dict)
    max_connections: int | None = Field(default=None, ge=1, le=4096)
    card: ModelCard | None = None

    @property
    def model_options(self) -> dict[str, OptionValue]:
        """The provider options, ``base_url`` included."""
        return {**self.options, **({"base_url": self.base_url} if self.base_url else {})}


class SweepJudge(BaseModel):
    """The judge of every model of a sweep."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = DEFAULT_JUDGE
    base_url: str | None = None
    options: dict[str, OptionValue] = Field(default_factory=dict)
    calibration: Path | None = None


class Sweep(BaseModel):
    """A sweep: models, judge, mode, value systems and dimensions, and the settings every run shares.

    Raises:
        UsageError: (on construction) for settings of the other mode, or a model listed twice.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    models: tuple[SweepModel, ...] = Field(min_length=1, max_length=10_000)
    judge: SweepJudge = SweepJudge()
    mode: Literal["adaptive", "fixed"] = "adaptive"
    systems: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    settings: dict[str, Any] = Field(default_factory=dict)
    max_concurrent_models: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _check(self) -> Sweep:
        unknown = sorted(set(self.settings) - _PER_SWEEP)
        if unknown:
            raise UsageError(f"unknown sweep setting(s): {', '.join(unknown)}",
                             hint=f"settings takes: {', '.join(sorted(_PER_SWEEP))}")
        keys = [(m.model, tuple(sorted(m.model_options.items()))) for m in self.models]
        twice = sorted({k[0] for k in keys if keys.count(k) > 1})
        if twice:
            raise UsageError(f"model(s) listed twice with the same options: {', '.join(twice)}",
                             hint="list each model once (its run would be the same run)")
        self.requests()  # settings of the other mode, bad values: refused now, not mid-sweep
        return self

    def request(self, entry: SweepModel) -> RunRequest:
        """The run of one model, as ``valuecompass run`` would make it."""
        try:
            return RunRequest(model=entry.model, model_options=entry.model_options, systems=self.systems,
                              dimensions=self.dimensions, fixed=self.mode == "fixed", judge=self.judge.model,
                              calibration=self.judge.calibration, max_connections=entry.max_connections,
                              **self.settings)
        except ValidationError as exc:
            raise UsageError(f"bad sweep settings: {validation_summary(exc)}",
                             hint="see `valuecompass run --help` for each setting") from exc

    def requests(self) -> list[RunRequest]:
        """Every model's run, in the file's order."""
        return [self.request(m) for m in self.models]


def load_sweep(path: str | Path) -> Sweep:
    """Read a sweep file (YAML).

    Raises:
        DataFileError: if it cannot be read, is not YAML, or does not describe a sweep.
        UsageError: for settings that contradict each other.
    """
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(str(path), "a sweep file is a mapping with a `models` list",
                            hint="see `valuecompass sweep --help` for an example")
    try:
        return Sweep.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(str(path), validation_summary(exc),
                            hint="see `valuecompass sweep --help` for the keys of a sweep file") from exc


@dataclass
class ModelStatus:
    """Where one model of a sweep stands.

    Attributes:
        spec: The model spec.
        label: Its display name (the card's name, else the spec).
        state: ``waiting``, ``running``, ``complete`` or ``failed``.
        run_id: Its run, once open.
        summary: Its run's counts (answers, verdicts, tokens), refreshed while it runs.
        error: Why it failed, with the fix when known.
        seconds: Wall time of its run in this session.
    """

    spec: str
    label: str
    state: str = "waiting"
    run_id: str | None = None
    summary: RunSummary | None = None
    error: str | None = None
    seconds: float = 0.0
    started: float = field(default=0.0, repr=False)


SweepProgress = Callable[[Sequence[ModelStatus]], None]


@dataclass(frozen=True)
class SweepResult:
    """What a sweep did: one status per model, in the file's order."""

    models: tuple[ModelStatus, ...]

    @property
    def failed(self) -> list[ModelStatus]:
        """The models whose run did not complete."""
        return [m for m in self.models if m.state != "complete"]


def _message(exc: BaseException) -> str:
    if isinstance(exc, ValueCompassError):
        return exc.message + (f" (fix: {exc.hint})" if exc.hint else "")
    return f"{type(exc).__name__}: {exc}"


async def _run_one(request: RunRequest, entry: SweepModel, store: Store, judge: Judge, status: ModelStatus) -> None:
    status.state, status.started = "running", time.perf_counter()
    try:
        # what can be checked is checked before the run record opens (as `valuecompass run` does)
        await asyncio.to_thread(_preflight, request.model, request.model_options)
        if request.fixed:
            items = load_items(request.item_file)
            done = await evaluate_fixed_form(request.fixed_config(), store, judge=None if request.no_judge else judge,
                                             items=items, options=request.runner_options(), card=entry.card)
            run = done.administered.run
        else:
            run = (await run_adaptive(request.adaptive_config(), store, judge=judge, retry=request.retry(),
                                      max_connections=request.max_connections, card=entry.card)).run
        status.run_id = run.run_id
        status.state = "complete"
    except asyncio.CancelledError:
        status.state, status.error = "failed", "interrupted"
        raise
    except Exception as exc:  # one model's failure is reported, and the others go on
        log.info("model %s failed: %s", entry.model, _message(exc))
        status.state, status.error = "failed", _message(exc)
    finally:
        status.seconds = time.perf_counter() - status.started


def _preflight(spec: str, options: dict[str, Any]) -> None:
    check_model_options(spec, options)
    get_model(spec, **options).preflight()


def started_at() -> str:
    """Now, in the store's time format: the runs a sweep shows are those updated since."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _refresh(store: Store, statuses: Sequence[ModelStatus], since: str) -> None:
    """Fill each running model's run and counts from the store (the newest run of its spec opened since)."""
    newest: dict[str, RunSummary] = {}
    for summary in store.list_runs():  # newest first
        if summary.run.updated >= since:
            newest.setdefault(summary.run.model_spec, summary)
    for status in statuses:
        if status.spec in newest and status.state != "waiting":
            status.summary = newest[status.spec]
            status.run_id = status.run_id or status.summary.run.run_id


async def run_sweep(sweep: Sweep, store: Store, *, judge: Judge | None = None, progress: SweepProgress | None = None,
                    interval_s: float = 0.5) -> SweepResult:
    """Run (or resume) every model of a sweep, concurrently, and report each one's outcome.

    Args:
        sweep: What to run.
        store: The results store (one writer: this process).
        judge: A judge to use instead of building ``sweep.judge`` (tests).
        progress: Called with every model's status about every ``interval_s`` seconds, and at the end.
        interval_s: Seconds between progress reports.

    Returns:
        Every model's status; failures carry their error (nothing is raised for a failing model).
    """
    requests = sweep.requests()
    statuses = [ModelStatus(m.model, (m.card.name if m.card and m.card.name else m.model)) for m in sweep.models]
    own = judge is None
    if judge is None:
        options = {**sweep.judge.options, **({"base_url": sweep.judge.base_url} if sweep.judge.base_url else {})}
        judge = make_judge(sweep.judge.model, profile=sweep.judge.calibration, model_options=options,
                           settings=requests[0].judge_settings(), retry=requests[0].retry())
    limit = asyncio.Semaphore(sweep.max_concurrent_models or len(sweep.models))
    since = started_at()

    async def one(request: RunRequest, entry: SweepModel, status: ModelStatus) -> None:
        async with limit:
            await _run_one(request, entry, store, judge, status)

    async def report() -> None:
        while True:
            await asyncio.sleep(interval_s)
            _refresh(store, statuses, since)
            progress(statuses)  # type: ignore[misc]

    ticker = asyncio.ensure_future(report()) if progress else None
    try:
        await asyncio.gather(*(one(r, m, s) for r, m, s in zip(requests, sweep.models, statuses, strict=True)))
    finally:
        if ticker is not None:
            ticker.cancel()
            await asyncio.gather(ticker, return_exceptions=True)
        if own:
            await judge.aclose()
    _refresh(store, statuses, since)
    if progress:
        progress(statuses)
    return SweepResult(tuple(statuses))
