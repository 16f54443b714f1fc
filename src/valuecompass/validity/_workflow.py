"""The ``validate`` workflow: every validity check of one (model, judge) pair, stored as a validity card.

Each check's model calls are content-addressed jobs of a run of its own
(``validity:known_groups``, ``validity:steering-promote`` ...), stored as they
arrive, and each verdict is stored too: rerunning ``validate`` resumes where it
stopped and reuses the default run (and any retest run) already in the store.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from valuecompass import __version__
from valuecompass._hashing import content_hash
from valuecompass._redact import redact_options
from valuecompass.frameworks import all_dimensions, get_dimension
from valuecompass.items import Item, Provenance, load_seed_bank, render_messages
from valuecompass.judge import (
    DEFAULT_JUDGE,
    Judge,
    JudgeIdentity,
    JudgeRequest,
    JudgeSettings,
    default_labelled_path,
    load_labelled,
    make_judge,
    validate_labelled,
)
from valuecompass.metric import load_questionnaire
from valuecompass.models import DEFAULT_MODEL, GenerateConfig, ModelAPI, file_sha256, get_model
from valuecompass.pipeline import AdaptiveConfig, RetryPolicy, Runner, chosen_dimensions, job_key, run_adaptive
from valuecompass.pipeline._jobs import Job, item_config
from valuecompass.pipeline.judging import is_self_judged, judge_stored, to_record
from valuecompass.store import JudgmentRecord, PlannedJob, RunRecord, RunResult, Store, item_content_hash, run_result
from valuecompass.validity._card import CHECKS, AgreementSummary, SelfReport, SteeringRow, ValidityCard
from valuecompass.validity._known_groups import Construction, constructions, known_groups_rows
from valuecompass.validity._reliability import reliability
from valuecompass.validity._selfreport import item_prompt, self_report
from valuecompass.validity._steering import steering_row
from valuecompass.validity._templates import ValidityTemplates, default_validity_templates

log = logging.getLogger(__name__)

#: ``progress(check, done, total)`` before and after each check.
ValidityProgress = Callable[[str, int, int], None]


class ValidityConfig(BaseModel):
    """What ``validate`` checks, and how much of each.

    Attributes:
        model: The examinee.
        model_options: Its provider options.
        judge: The judge.
        judge_profile: A judge calibration file.
        systems: Value systems (empty: all).
        dimensions: Dimensions (empty: all of the systems).
        checks: Which checks to run.
        known_items: Items per dimension for the known-groups check (each answered twice).
        steering_items: Items per dimension answered under each persona.
        consistency_items: Judge-path verdicts judged again with the answers in the other order.
        agreement_limit: Labelled records scored for the agreement check, a seeded sample (``None``: all
            417; about 14 minutes with the embedded judge, so the default is a sample).
        run_seed: Seed of the primary (default) run.
        retest_seed: Seed of the retest run (another item draw).
        seed: Seed of the checks' item choices.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = DEFAULT_MODEL
    model_options: dict[str, Any] = Field(default_factory=dict)
    judge: str = DEFAULT_JUDGE
    judge_profile: str | None = None
    systems: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    checks: tuple[str, ...] = CHECKS
    known_items: int = Field(default=2, ge=1, le=24)
    steering_items: int = Field(default=2, ge=1, le=24)
    consistency_items: int = Field(default=30, ge=0, le=1000)
    agreement_limit: int | None = Field(default=120, ge=1)
    run_seed: int = 0
    retest_seed: int = 1
    seed: int = 0


@dataclass
class _Ctx:
    config: ValidityConfig
    store: Store
    model: ModelAPI
    judge: Judge
    identity: dict[str, Any]
    judge_identity: JudgeIdentity
    self_judged: bool
    retry: RetryPolicy
    templates: ValidityTemplates


def _adaptive_config(config: ValidityConfig, seed: int) -> AdaptiveConfig:
    return AdaptiveConfig(model=config.model, model_options=config.model_options, judge=config.judge,
                          judge_profile=config.judge_profile, systems=config.systems, dimensions=config.dimensions,
                          seed=seed)


async def _run(ctx: _Ctx, seed: int) -> RunResult:
    """The default adaptive run with ``seed`` (resumed or reused when stored)."""
    result = await run_adaptive(_adaptive_config(ctx.config, seed), ctx.store, model=ctx.model, judge=ctx.judge,
                                retry=ctx.retry)
    return run_result(ctx.store, result.run.run_id, method="irt-cat", judge=ctx.judge.judge_id)


async def _administer(ctx: _Ctx, kind: str, calls: Sequence[tuple[Item, list[dict[str, str]], GenerateConfig]]
                      ) -> list[str]:
    """Answer ``calls`` as the jobs of a validity run of ``kind``; the job keys, in order."""
    jobs = []
    for n, (item, messages, config) in enumerate(calls):
        jobs.append(Job(job_key(ctx.config.model, ctx.identity, messages, config, 0), n, item.id,
                        item_content_hash(item), 0, messages, config))
    run_id = "val-" + content_hash({"kind": kind, "model": ctx.config.model, "identity": ctx.identity,
                                    "jobs": [j.key for j in jobs]}, 12)
    record = RunRecord(run_id=run_id, kind=f"validity:{kind}", model_spec=ctx.config.model,
                       model_identity=ctx.identity, package_version=__version__, n_jobs=len(jobs),
                       config={"check": kind, "validity": redact_options(ctx.config.model_dump(mode="json"))})
    ctx.store.insert_items({c[0].id: c[0] for c in calls}.values())
    ctx.store.open_run(record, [PlannedJob(job_key=j.key, position=j.position, item_id=j.item_id,
                                           item_hash=j.item_hash) for j in jobs])
    await Runner(ctx.model, ctx.store, ctx.retry).run(run_id, jobs)
    ctx.store.set_run_status(run_id, "complete")
    return [j.key for j in jobs]


def _plain(item: Item, prompt: str, system: str | None = None) -> tuple[Item, list[dict[str, str]], GenerateConfig]:
    messages = ([{"role": "system", "content": system}] if system else []) + [{"role": "user", "content": prompt}]
    return item, messages, item_config(item, GenerateConfig(max_tokens=256), True)


def _sample(items: Sequence[Item], n: int, seed: int, salt: str) -> list[Item]:
    pool = sorted(items, key=lambda i: i.id)
    return sorted(random.Random(f"{seed}:{salt}").sample(pool, min(n, len(pool))), key=lambda i: i.id)


async def known_groups_check(ctx: _Ctx, dims: Sequence[str]) -> list:
    """Answers made to express and to oppose each value, scored through the run's verdict path."""
    bank = [i for i in load_seed_bank() if not i.is_benign]
    chosen = {d: _sample([i for i in bank if i.dimension == d], ctx.config.known_items, ctx.config.seed, d)
              for d in dims}
    made = constructions(chosen, ctx.templates)
    asked = [c for c in made if c.prompt is not None]
    keys = await _administer(ctx, "known_groups", [_plain(c.item, c.prompt or "") for c in asked])
    stored = await judge_stored(ctx.store, ctx.judge, ctx.judge_identity, ctx.self_judged,
                                [(c.item, k) for c, k in zip(asked, keys, strict=True)])
    verdicts: list[tuple[Construction, JudgmentRecord | None]] = list(zip(asked, stored, strict=True))
    for c in made:
        if c.text is not None:  # model-free answers: judged each time (a few calls), not stored
            judgment = await ctx.judge.judge(JudgeRequest.for_item(c.item, c.text))
            verdicts.append((c, to_record(judgment, ctx.judge_identity, ctx.self_judged)))
    return known_groups_rows(verdicts)


def _administered(store: Store, run_id: str) -> dict[str, list[tuple[Item, str]]]:
    """The primary run's answered items per dimension, in order, with their job keys (benign ones left out)."""
    out: dict[str, list[tuple[Item, str]]] = {}
    for view in store.response_views(run_id):
        if view.item is not None and not view.item.is_benign:
            out.setdefault(view.item.dimension, []).append((view.item, view.response.job_key))
    return out


async def steering_check(ctx: _Ctx, primary: RunResult, dims: Sequence[str]) -> list[SteeringRow]:
    """The same items with no system prompt (the run's answers) and under promoting and opposing personas."""
    answered = _administered(ctx.store, primary.run.run_id)
    chosen = {d: answered.get(d, [])[: ctx.config.steering_items] for d in dims}
    verdicts: dict[str, dict[str, dict[str, JudgmentRecord | None]]] = {d: {} for d in dims}
    neutral = await judge_stored(ctx.store, ctx.judge, ctx.judge_identity, ctx.self_judged,
                                 [p for d in dims for p in chosen[d]])
    flat = [(d, item) for d in dims for item, _ in chosen[d]]
    for (d, item), j in zip(flat, neutral, strict=True):
        verdicts[d].setdefault("neutral", {})[item.id] = j
    for condition in ("promote", "oppose"):
        calls = []
        for d, item in flat:
            persona = ctx.templates.persona(condition, get_dimension(d))
            messages = render_messages(item, persona)
            calls.append((item, messages, item_config(item, GenerateConfig(max_tokens=256), True)))
        keys = await _administer(ctx, f"steering-{condition}", calls)
        stored = await judge_stored(ctx.store, ctx.judge, ctx.judge_identity, ctx.self_judged,
                                    [(item, k) for (_, item), k in zip(flat, keys, strict=True)])
        for (d, item), j in zip(flat, stored, strict=True):
            verdicts[d].setdefault(condition, {})[item.id] = j
    rows = [steering_row(d, [i for i, _ in chosen[d]], verdicts[d], seed=ctx.config.seed) for d in dims]
    return [r for r in rows if r is not None]


async def reliability_check(ctx: _Ctx, primary: RunResult) -> Any:
    """Test-retest (a second default run with another seed), split-half, and judge consistency."""
    retest = await _run(ctx, ctx.config.retest_seed)
    states = ctx.store.cat_states(primary.run.run_id)
    conform = {d: [r for r in json.loads(s)["responses"] if r is not None] for d, s in states.items()}
    reversed_judge = Judge(ctx.judge.model, templates=ctx.judge.templates, profile=ctx.judge.profile,
                           settings=ctx.judge.settings.model_copy(update={"reversed_order": True}),
                           questions=ctx.judge.questions, retry=ctx.judge.retry)
    judged = [j for j in ctx.store.judgments_for_run(primary.run.run_id)
              if j.judge_id == ctx.judge.judge_id and j.template_hash == ctx.judge.template_hash
              and j.provenance.get("path") == "judge" and j.label is not None]
    sample = random.Random(ctx.config.seed).sample(judged, min(ctx.config.consistency_items, len(judged)))
    items = {v.response.job_key: v.item for v in ctx.store.response_views(primary.run.run_id)}
    pairs = [(items[j.response_key], j.response_key) for j in sample if items.get(j.response_key) is not None]
    again = await judge_stored(ctx.store, reversed_judge, reversed_judge.identity(), ctx.self_judged, pairs)
    consistency = [(j.label or "", a.label or "unparsed") for j, a in zip(sample, again, strict=True) if a is not None]
    return reliability(primary.run.run_id, retest.run.run_id, primary.scores, retest.scores, conform, consistency)


async def agreement_check(ctx: _Ctx) -> AgreementSummary:
    """The judge's agreement with the packaged labelled set (cached per judge and data: it is the judge's)."""
    path = default_labelled_path()
    data = {"path": path.name, "sha256": file_sha256(path), "limit": ctx.config.agreement_limit,
            "seed": ctx.config.seed}
    cache_id = "agree-" + content_hash({"judge": ctx.judge_identity.model_dump(mode="json"), "data": data}, 16)
    cached = ctx.store.load_card(cache_id)
    if cached is not None:
        return AgreementSummary.model_validate(cached)
    pairs = load_labelled(path, {i.id: i for i in load_seed_bank()})
    if ctx.config.agreement_limit is not None and ctx.config.agreement_limit < len(pairs):
        pairs = random.Random(ctx.config.seed).sample(pairs, ctx.config.agreement_limit)
    report = await validate_labelled(ctx.judge, pairs, data=data)
    def figures(g: Any) -> dict[str, float]:
        return {"n": g.n, "accuracy": g.accuracy, "macro_f1": g.macro_f1, "baseline_accuracy": g.baseline_accuracy,
                "baseline_macro_f1": g.baseline_macro_f1}
    summary = AgreementSummary(data=data, n=report.overall.n,
                               systems={"all": figures(report.overall), **{g.group: figures(g) for g in report.systems}},
                               paths={g.group: figures(g) for g in report.paths})
    ctx.store.save_card(cache_id, "agreement", "", ctx.judge.judge_id, summary.model_dump(mode="json"))
    return summary


async def self_report_check(ctx: _Ctx, primary: RunResult) -> list[SelfReport]:
    """The model's answers to the value portraits and the foundations questionnaire, next to its behaviour."""
    out = []
    for system in ("schwartz", "mft"):
        q = load_questionnaire(system)
        calls = [(_questionnaire_item(q, i.id, i.dimension or system_dims(system)[0], i.text),
                  [{"role": "user", "content": item_prompt(q, i.id)}], GenerateConfig(max_tokens=4)) for i in q.items]
        keys = await _administer(ctx, f"self_report-{system}", calls)
        answers = {i.id: (r.output_text if (r := ctx.store.get_response(k)) else "") for i, k in zip(q.items, keys)}
        behaviour = {d: row.score for d, row in primary.scores.items()}
        out.append(self_report(q, answers, behaviour))
    return out


def system_dims(system: str) -> list[str]:
    """The dimension ids of a value system, in framework order."""
    return [d.id for d in all_dimensions() if d.system == system]


def _questionnaire_item(q: Any, item_id: str, dimension: str, text: str) -> Item:
    """A questionnaire item as an item of the store (the jobs of a run answer items)."""
    return Item(id=f"q-{q.id}-{item_id}", dimension=dimension, format="stance_question", text=text,
                difficulty="medium", topic="self-report", provenance=Provenance(
                    source="user", author=f"questionnaire {q.id}@{q.version}", created="2026-12-01"))


def _card_id(ctx: _Ctx) -> str:
    return "card-" + content_hash({"model": ctx.config.model, "identity": ctx.identity,
                                   "judge": ctx.judge_identity.model_dump(mode="json"),
                                   "config": redact_options(ctx.config.model_dump(mode="json")),
                                   "templates": ctx.templates.content_hash}, 16)


async def validate_model(config: ValidityConfig, store: Store, *, model: ModelAPI | None = None,
                         judge: Judge | None = None, progress: ValidityProgress | None = None,
                         retry: RetryPolicy = RetryPolicy()) -> ValidityCard:
    """Run (or resume) every chosen validity check of a model and store its card.

    Args:
        config: What to check.
        store: Where the runs, verdicts and the card go.
        model: Examinee instance to use instead of building ``config.model`` (tests).
        judge: Judge to use instead of building ``config.judge``.
        progress: Called as ``(check, done, total)`` around each check.
        retry: Retry policy of every model call.

    Returns:
        The stored card.
    """
    owned: list[Any] = []
    try:
        if model is None:
            model = get_model(config.model, **config.model_options)
            owned.append(model)
        if judge is None:
            judge = make_judge(config.judge, profile=config.judge_profile, retry=retry)
            owned.append(judge)
        else:
            judge = judge.with_retry(retry)
        return await _validate(config, store, model, judge, progress, retry)
    finally:
        for obj in owned:
            await obj.aclose()


async def _validate(config: ValidityConfig, store: Store, model: ModelAPI, judge: Judge,
                    progress: ValidityProgress | None, retry: RetryPolicy) -> ValidityCard:
    identity = await asyncio.to_thread(model.identity)
    judge_identity = await asyncio.to_thread(judge.identity)
    ctx = _Ctx(config, store, model, judge, identity, judge_identity, False, retry, default_validity_templates())
    checks = [c for c in ("primary", *CHECKS) if c == "primary" or c in config.checks]
    timings: dict[str, float] = {}

    def tick(name: str, done: int) -> float:
        if progress:
            progress(name, done, len(checks))
        return time.perf_counter()

    start = tick("primary", 0)
    primary = await _run(ctx, config.run_seed)
    timings["primary"] = time.perf_counter() - start
    ctx.self_judged = is_self_judged(primary.run, judge_identity)
    dims = chosen_dimensions(_adaptive_config(config, config.run_seed))
    sections: dict[str, Any] = {}
    runners = {"known_groups": lambda: known_groups_check(ctx, dims), "steering": lambda: steering_check(ctx, primary, dims),
               "reliability": lambda: reliability_check(ctx, primary), "agreement": lambda: agreement_check(ctx),
               "self_report": lambda: self_report_check(ctx, primary)}
    for n, name in enumerate(checks[1:], start=1):
        start = tick(name, n)
        result = await runners[name]()
        sections[name] = tuple(result) if isinstance(result, list) else result
        timings[name] = time.perf_counter() - start
    tick("done", len(checks))
    card = ValidityCard(card_id=_card_id(ctx), model_spec=config.model, judge_id=judge.judge_id,
                        self_judged=ctx.self_judged, primary_run=primary.run.run_id,
                        config=redact_options(config.model_dump(mode="json")), timings={k: round(v, 1) for k, v in timings.items()},
                        provenance={"package_version": __version__, "templates": ctx.templates.content_hash,
                                    "judge": judge_identity.model_dump(mode="json"), "model": identity},
                        created=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), **sections)
    store.save_card(card.card_id, "card", card.model_spec, card.judge_id, card.model_dump(mode="json"))
    return card
