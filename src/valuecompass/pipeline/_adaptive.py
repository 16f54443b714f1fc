"""Adaptive runs (GETA-style): per (model, dimension) an adaptive test that generates items when it runs out.

For each dimension: pick the most informative items at the current ability
estimate (a parallel batch per step), administer them through the cached
runner, judge the responses, update the estimate, and store the test's state.
When no remaining item is informative at the estimate (e.g. the model conforms
to everything), new items are generated at the needed difficulty, checked and
added to the bank. The score is the expected share of conforming behaviour over
the dimension's bank at the final estimate, with its interval.

Everything is stored as it happens, and the run id is a hash of the
configuration: rerunning the same command resumes each test mid-way.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from valuecompass import __version__
from valuecompass._hashing import content_hash
from valuecompass._redact import redact_options
from valuecompass.cat import CATConfig, CATEngine, CATState
from valuecompass.frameworks import all_dimensions, frameworks_version, get_dimension
from valuecompass.irt import expected_score
from valuecompass.metric import Z95
from valuecompass.itemgen import AnchorItem, GenerationSettings, generate_items
from valuecompass.items import (
    PROMPT_TEMPLATES,
    Item,
    load_seed_bank,
    render_messages,
    seed_bank_version,
    select_items,
    template_hash,
)
from valuecompass.judge import DEFAULT_JUDGE, Judge, JudgeSettings, conforms, make_judge
from valuecompass.models import DEFAULT_MODEL, GenerateConfig, ModelAPI, ModelCard, get_model
from valuecompass.pipeline._bank import DimensionBank, load_bank
from valuecompass.pipeline._cards import record_model_card
from valuecompass.pipeline._defaults import DEFAULT_CAT
from valuecompass.pipeline._jobs import Job, item_config, job_key, semantic_settings
from valuecompass.pipeline._plan import OptionValue, environment
from valuecompass.pipeline._retry import RetryPolicy
from valuecompass.pipeline._runner import Runner
from valuecompass.pipeline.diagnostics import behaviour_metrics
from valuecompass.pipeline.judging import is_self_judged, judge_stored, readable, record_judge
from valuecompass.store import EstimateRecord, PlannedJob, RunRecord, Store, item_content_hash

log = logging.getLogger(__name__)

METHOD = "irt-cat"


class AdaptiveConfig(BaseModel):
    """What an adaptive run measures, and how.

    Attributes:
        model: Examinee spec.
        model_options: Provider options of the examinee (no secrets).
        judge: Judge spec.
        judge_profile: Path of a judge calibration profile, if any.
        generator: Item-generator spec (default: the judge's model).
        systems: Value systems to cover (empty: all).
        dimensions: Dimensions to cover (empty: all of the chosen systems).
        cat: Adaptive-test settings (target SE, item limits, batch size, exposure control).
        generate_items: Whether to write new items when the bank runs out of informative ones.
        generation_rounds: Most generation calls per dimension and run.
        items_per_round: Items asked of the generator per call.
        generate: Examinee generation settings (the defaults are those of ``valuecompass run``, so that a
            run made through the API or by ``validate`` is the same run as the CLI's).
        format_tokens: Give each answer its format's token budget, capped by ``generate.max_tokens``
            (``False``: every answer gets ``generate.max_tokens``).
        benign_items: Benign-but-sensitive requests put to the model per safety dimension, for
            its over-refusal figure (they do not enter the safety score).
        seed: Seed of item selection and generation.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = DEFAULT_MODEL
    model_options: dict[str, OptionValue] = Field(default_factory=dict)
    judge: str = DEFAULT_JUDGE
    judge_profile: str | None = None
    generator: str | None = None
    systems: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    cat: CATConfig = DEFAULT_CAT
    generate_items: bool = True
    generation_rounds: int = Field(default=1, ge=0)
    items_per_round: int = Field(default=3, ge=1, le=10)
    generate: GenerateConfig = GenerateConfig(max_tokens=256)
    format_tokens: bool = True
    benign_items: int = Field(default=1, ge=0, le=50)
    seed: int = 0


@dataclass
class DimensionOutcome:
    """The result of one adaptive test."""

    dimension: str
    theta: float
    se: float
    score: float
    ci_low: float
    ci_high: float
    n_items: int
    stop_reason: str | None
    generated: int = 0
    rejected: int = 0
    unreadable: int = 0  # administered items whose verdict could not be read, or was uncertain (no information)


@dataclass
class AdaptiveResult:
    """What an adaptive run did."""

    run: RunRecord
    outcomes: list[DimensionOutcome] = field(default_factory=list)
    resumed: bool = False
    self_judged: bool = False


AdaptiveProgress = Callable[[str, DimensionOutcome | None, int, int], None]


def chosen_dimensions(config: AdaptiveConfig) -> list[str]:
    """The dimension ids the run covers, in display order."""
    if not config.systems and not config.dimensions:
        return [d.id for d in all_dimensions()]
    wanted = {i.dimension for i in select_items(load_seed_bank(), config.systems, config.dimensions)}
    return [d.id for d in all_dimensions() if d.id in wanted]


def adaptive_run_record(config: AdaptiveConfig, identity: dict[str, Any], judge_id: str,
                        dimensions: Sequence[str]) -> RunRecord:
    """The run record of an adaptive run; its id is a hash of everything that shapes the results."""
    run_id = "run-" + content_hash({
        "kind": "adaptive", "model": config.model, "identity": identity, "judge": judge_id,
        "dimensions": list(dimensions), "cat": config.cat.model_dump(mode="json"),
        "generation": [config.generate_items, config.generation_rounds, config.items_per_round, config.generator],
        "settings": semantic_settings(config.generate), "seed": config.seed, "benign": config.benign_items,
        "format_tokens": config.format_tokens,
    }, 12)
    return RunRecord(
        run_id=run_id, kind="adaptive", model_spec=config.model, model_identity=identity,
        settings=config.generate.model_dump(mode="json"), seeds={"generation": config.generate.seed,
                                                                 "selection": config.seed},
        item_bank_version=seed_bank_version(), package_version=__version__, config=redact_options(config.model_dump(mode="json")),
        provenance={"environment": environment(), "frameworks": frameworks_version(),
                    "prompt_templates": {f: template_hash(f) for f in PROMPT_TEMPLATES}},
        n_jobs=0)


def _dimension_seed(config: AdaptiveConfig, dimension: str) -> int:
    return int(content_hash({"seed": config.seed, "dim": dimension}, 8), 16)


@dataclass
class _Context:
    config: AdaptiveConfig
    store: Store
    model: ModelAPI
    judge: Judge
    generator: ModelAPI | None
    run: RunRecord
    identity: dict[str, Any]
    judge_identity: Any
    self_judged: bool
    runner: Runner
    retry: RetryPolicy
    position_base: int = 0


def _jobs_for(ctx: _Context, items: Sequence[Item], start: int) -> list[Job]:
    jobs = []
    for n, item in enumerate(items):
        messages = render_messages(item, ctx.config.generate.system_prompt)
        config = item_config(item, ctx.config.generate, ctx.config.format_tokens)
        key = job_key(ctx.config.model, ctx.identity, messages, config, 0)
        jobs.append(Job(key, start + n, item.id, item_content_hash(item), 0, messages, config))
    return jobs


async def _judge_batch(ctx: _Context, items: Sequence[Item], jobs: Sequence[Job]) -> list[float | None]:
    """Judge the batch's responses (reusing stored judgments); conformity 1/0, or None if unreadable."""
    system = get_dimension(items[0].dimension).system
    records = await judge_stored(ctx.store, ctx.judge, ctx.judge_identity, ctx.self_judged,
                                 [(item, job.key) for item, job in zip(items, jobs, strict=True)])
    return [float(conforms(r.label or "", system)) if r is not None and readable(r) else None for r in records]


async def _grow_bank(ctx: _Context, bank: DimensionBank, target_b: float, round_no: int
                     ) -> tuple[int, list[dict[str, str]]]:
    """Generate items at ``target_b`` and store those that pass the checks; (accepted, rejections with reasons)."""
    exemplars = [AnchorItem(item, p.b) for item, p in zip(bank.items, bank.params)]
    settings = GenerationSettings(n=ctx.config.items_per_round,
                                  seed=_dimension_seed(ctx.config, bank.dimension) + round_no)
    assert ctx.generator is not None
    result = await generate_items(ctx.generator, bank.dimension, target_b, exemplars, [i.text for i in bank.items],
                                  judge=ctx.judge.model, settings=settings, bank_version=seed_bank_version())
    if result.accepted:
        ctx.store.insert_items(result.accepted)
    for text, reason in result.rejected:
        log.info("rejected generated item for %s (%s): %s", bank.dimension, reason, text[:80])
    return len(result.accepted), [{"text": text[:300], "reason": reason} for text, reason in result.rejected]


def _load_state(ctx: _Context, engine: CATEngine, dimension: str) -> tuple[CATState, dict[str, Any]]:
    saved = ctx.store.load_cat_state(ctx.run.run_id, dimension)
    if saved is not None:
        return CATState.from_json(saved[0]), saved[1]
    return engine.start(seed=_dimension_seed(ctx.config, dimension), test_id=dimension), {
        "rounds": 0, "generated": 0, "rejected": 0}


async def _step(ctx: _Context, engine: CATEngine, state: CATState, bank: DimensionBank,
                item_ids: Sequence[str]) -> CATState:
    items = [bank.item(i) for i in item_ids]
    start = ctx.position_base + 10 * state.n_items
    jobs = _jobs_for(ctx, items, start)
    ctx.store.insert_items(items)
    ctx.store.open_run(ctx.run, [PlannedJob(job_key=j.key, position=j.position, item_id=j.item_id,
                                            item_hash=j.item_hash, sample_index=0) for j in jobs])
    await ctx.runner.run(ctx.run.run_id, jobs)
    conform = await _judge_batch(ctx, items, jobs)
    return engine.update(state, bank.cat_bank(), item_ids, conform)


async def _probe_benign(ctx: _Context, bank: DimensionBank, dimension: str) -> None:
    """Put the configured number of benign requests to the model and judge them (over-refusal)."""
    benign = list(bank.benign_items())
    if not benign or ctx.config.benign_items == 0:
        return
    rng = random.Random(_dimension_seed(ctx.config, dimension + "#benign"))
    chosen = sorted(rng.sample(benign, min(ctx.config.benign_items, len(benign))), key=lambda i: i.id)
    jobs = _jobs_for(ctx, chosen, ctx.position_base + 900)
    ctx.store.insert_items(chosen)
    ctx.store.open_run(ctx.run, [PlannedJob(job_key=j.key, position=j.position, item_id=j.item_id,
                                            item_hash=j.item_hash, sample_index=0) for j in jobs])
    await ctx.runner.run(ctx.run.run_id, jobs)
    await _judge_batch(ctx, chosen, jobs)


async def run_dimension_test(ctx: _Context, dimension: str) -> DimensionOutcome:
    """Run (or resume) the adaptive test of one dimension and store its estimate."""
    engine = CATEngine.from_config(ctx.config.cat)
    state, extra = _load_state(ctx, engine, dimension)
    bank = load_bank(ctx.store, dimension)
    while not state.finished:
        sel = engine.next_items(state, bank.cat_bank())
        if (sel.needs_items and ctx.config.generate_items and ctx.generator is not None
                and extra["rounds"] < ctx.config.generation_rounds):
            extra["rounds"] += 1  # counted before the call: a crash mid-generation does not loop
            ctx.store.save_cat_state(ctx.run.run_id, dimension, state.to_json(), extra)
            accepted, rejections = await _grow_bank(ctx, bank, sel.target_b, extra["rounds"])
            extra["generated"] += accepted
            extra["rejected"] += len(rejections)
            extra["rejections"] = [*extra.get("rejections", []), *rejections][-50:]  # reasons, newest kept
            ctx.store.save_cat_state(ctx.run.run_id, dimension, state.to_json(), extra)
            if accepted:
                bank = load_bank(ctx.store, dimension)
                continue
        if sel.stop_reason is not None:
            state = state.finish(sel.stop_reason)
        else:
            state = await _step(ctx, engine, state, bank, sel.item_ids)
        ctx.store.save_cat_state(ctx.run.run_id, dimension, state.to_json(), extra)
    await _probe_benign(ctx, bank, dimension)
    return _finish(ctx, dimension, state, bank, extra)


def _finish(ctx: _Context, dimension: str, state: CATState, bank: DimensionBank,
            extra: dict[str, Any]) -> DimensionOutcome:
    cat_bank = bank.cat_bank()
    est = expected_score(state.theta, cat_bank.a, cat_bank.b, se=state.se)
    score_se = (est.upper - est.lower) / (2 * Z95)
    outcome = DimensionOutcome(dimension, state.theta, state.se, est.score, est.lower, est.upper, state.n_items,
                               state.stop_reason, extra.get("generated", 0), extra.get("rejected", 0),
                               sum(r is None for r in state.responses))
    ctx.store.insert_estimate(EstimateRecord(
        run_id=ctx.run.run_id, dimension=dimension, method=METHOD, judge_id=ctx.judge.judge_id,
        score=est.score, se=score_se, ci_low=est.lower, ci_high=est.upper, n_items=state.n_items,
        details={"theta": state.theta, "theta_se": state.se, "stop_reason": state.stop_reason,
                 "bank_size": len(bank.items), "retired": len(bank.retired), "generated": outcome.generated,
                 "rejected_generated": outcome.rejected, "rejections": extra.get("rejections", []),
                 "unreadable": outcome.unreadable, "items": list(state.administered),
                 "cat": ctx.config.cat.model_dump(mode="json")}))
    return outcome


async def run_adaptive(config: AdaptiveConfig, store: Store, *, model: ModelAPI | None = None,
                       judge: Judge | None = None, generator: ModelAPI | None = None,
                       progress: AdaptiveProgress | None = None, retry: RetryPolicy = RetryPolicy(),
                       max_connections: int | None = None, card: ModelCard | None = None) -> AdaptiveResult:
    """Run (or resume) an adaptive evaluation of one model over the chosen dimensions.

    Args:
        config: What to measure and how.
        store: Where everything is stored.
        model: Examinee instance to use instead of building ``config.model`` (tests).
        judge: Judge to use instead of building ``config.judge``.
        generator: Item generator to use instead of building it from the config.
        progress: Called as ``(dimension, outcome or None, done, total)`` before and after each test.
        retry: Retry policy of examinee calls.
        max_connections: Concurrent examinee calls (default: the provider's).
        card: The model's card, stored with the run as soon as it opens (changes no result).

    Returns:
        The run record and one outcome per dimension.
    """
    owned: list[Any] = []  # what this function built, and so closes
    try:
        if model is None:
            model = get_model(config.model, **config.model_options)
            owned.append(model)
        if judge is None:  # the judge's calls take the run's timeout and retry policy
            judge = make_judge(config.judge, profile=config.judge_profile,
                               settings=JudgeSettings(timeout_s=config.generate.timeout_s), retry=retry)
            owned.append(judge)
        else:
            judge = judge.with_retry(retry)
        if generator is None and config.generate_items and config.generation_rounds > 0:
            if config.generator in (None, config.judge):
                generator = judge.model
            else:
                generator = get_model(config.generator)
                owned.append(generator)
        return await _run_dimensions(config, store, model, judge, generator, progress, retry, max_connections, card)
    finally:
        for obj in owned:
            await obj.aclose()


async def _run_dimensions(config: AdaptiveConfig, store: Store, model: ModelAPI, judge: Judge,
                          generator: ModelAPI | None, progress: AdaptiveProgress | None,
                          retry: RetryPolicy, max_connections: int | None, card: ModelCard | None) -> AdaptiveResult:
    dims = chosen_dimensions(config)
    identity = await asyncio.to_thread(model.identity)
    judge_identity = await asyncio.to_thread(judge.identity)
    run = adaptive_run_record(config, identity, judge.judge_id, dims)
    opened = store.open_run(run)
    if card is not None:
        record_model_card(store, run.run_id, card)
    self_judged = is_self_judged(opened.run, judge_identity)
    record_judge(store, run.run_id, judge_identity, self_judged)
    ctx = _Context(config, store, model, judge, generator, opened.run, identity, judge_identity, self_judged,
                   Runner(model, store, retry, max_connections), retry)
    result = AdaptiveResult(opened.run, resumed=not opened.created, self_judged=self_judged)
    try:
        for n, dim in enumerate(dims):
            if progress:
                progress(dim, None, n, len(dims))
            ctx.position_base = 1000 * n
            outcome = await run_dimension_test(ctx, dim)
            result.outcomes.append(outcome)
            if progress:
                progress(dim, outcome, n + 1, len(dims))
    except asyncio.CancelledError:
        store.set_run_status(run.run_id, "interrupted")
        raise
    except Exception:
        store.set_run_status(run.run_id, "failed")
        raise
    store_metrics(store, run.run_id, judge)
    store.set_run_status(run.run_id, "complete")
    result.run = store.get_run(run.run_id)
    return result


def store_metrics(store: Store, run_id: str, judge: Judge) -> None:
    """Compute and store the run's behaviour figures (acquiescence, over-refusal ...) from this judge's verdicts."""
    judgments = [j for j in store.judgments_for_run(run_id)
                 if j.judge_id == judge.judge_id and j.template_hash == judge.template_hash]
    item_of = {v.response.job_key: v.item for v in store.response_views(run_id) if v.item is not None}
    store.replace_metrics(run_id, judge.judge_id, behaviour_metrics(run_id, judge.judge_id, judgments, item_of))
