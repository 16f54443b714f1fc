"""Fill a real store with scripted models through the store's own write API (for UI-logic tests).

Each scripted model answers a few seed items per dimension with canned text; a scripted
"judge" labels the first ``round(p * n)`` responses of a dimension ``supports`` (``p`` the
model's level on it) and the rest ``opposes``, and the estimate is the share of supporting responses with its binomial SE. The numbers are made up
on purpose so the tests know which model must rank first under which weights.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from valuecompass.items import load_seed_bank, seed_bank_version
from valuecompass.models import ModelCard
from valuecompass.pipeline import record_model_card
from valuecompass.store import EstimateRecord, JudgmentRecord, PlannedJob, ResponseRecord, RunRecord, Store
from valuecompass.validity import AgreementSummary, KnownGroupsRow, Reliability, SteeringRow, ValidityCard

#: Text that must never execute in the browser (the XSS test looks for its effects).
HOSTILE = ('<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
           '<a href="javascript:window.__pwned = 3">click me</a> "quoted" & <b>bold</b>')
JUDGE = "scripted-judge"
METHOD = "mean"


@dataclass(frozen=True)
class ScriptedModel:
    """A model spec, its share of supporting responses per dimension (default ``base``), and the
    dimensions it gets no estimate on."""

    spec: str
    base: float = 0.5
    per_dim: dict[str, float] = field(default_factory=dict)
    hostile: bool = False
    unscored: tuple[str, ...] = ()
    card: bool = False
    model_card: ModelCard | None = None


def _run(store: Store, model: ScriptedModel, items: list, per_dim: int) -> None:
    run_id = "run-" + model.spec.replace("/", "-")
    hashes = store.insert_items(items)
    jobs = [PlannedJob(job_key=f"{run_id}:{it.id}", position=k, item_id=it.id, item_hash=hashes[it.id])
            for k, it in enumerate(items)]
    store.open_run(RunRecord(run_id=run_id, model_spec=model.spec, settings={"temperature": 0.0, "max_tokens": 256},
                             seeds={"run": 7}, item_bank_version=seed_bank_version(), package_version="test",
                             config={"items_per_dimension": 3}, n_jobs=len(jobs)), jobs)
    labels: dict[str, list[int]] = {}
    judgments = []
    for job, it in zip(jobs, items):
        text = HOSTILE if model.hostile else f"{model.spec} answers {it.id}: Stance: Yes. Key points: be kind."
        store.insert_response(ResponseRecord(job_key=job.job_key, run_id=run_id, item_id=it.id,
                                             item_hash=job.item_hash, model_spec=model.spec,
                                             messages=[{"role": "user", "content": it.text}],
                                             settings={"temperature": 0.0}, output_text=text))
        done = labels.setdefault(it.dimension, [])
        ok = len(done) < round(model.per_dim.get(it.dimension, model.base) * per_dim)
        done.append(int(ok))
        judgments.append(JudgmentRecord(response_key=job.job_key, judge_id=JUDGE, template_hash="t1",
                                        dimension=it.dimension, label="supports" if ok else "opposes",
                                        rationale=HOSTILE if model.hostile else f"The answer {'supports' if ok else 'opposes'} it."))
    store.insert_judgments(judgments)
    store.insert_estimates(_estimate(run_id, dim, xs) for dim, xs in labels.items() if dim not in model.unscored)
    store.set_run_status(run_id, "complete")


def _estimate(run_id: str, dim: str, xs: list[int]) -> EstimateRecord:
    p = sum(xs) / len(xs)
    se = 100 * math.sqrt(max(p * (1 - p), 0.05) / len(xs))
    return EstimateRecord(run_id=run_id, dimension=dim, method=METHOD, judge_id=JUDGE, score=100 * p, se=se,
                          ci_low=max(0.0, 100 * p - 1.96 * se), ci_high=min(100.0, 100 * p + 1.96 * se),
                          n_items=len(xs))


def fill_store(path: Path, models: list[ScriptedModel], per_dim: int = 4) -> Path:
    """Write ``models`` into a new store at ``path``, ``per_dim`` seed items per dimension each."""
    bank = load_seed_bank()
    items, seen = [], {}
    for it in bank:
        if seen.get(it.dimension, 0) < per_dim:
            items.append(it)
            seen[it.dimension] = seen.get(it.dimension, 0) + 1
    with Store(path) as store:
        for model in models:
            _run(store, model, items, per_dim)
            if model.card:
                add_card(store, model.spec, "run-" + model.spec.replace("/", "-"))
            if model.model_card is not None:
                record_model_card(store, "run-" + model.spec.replace("/", "-"), model.model_card)
    return path


def add_card(store: Store, spec: str, run_id: str) -> ValidityCard:
    """Store a made-up validity card for ``spec`` (known groups fail on power; stances move by acquiescence)."""
    card = ValidityCard(
        card_id=f"card-{run_id}", model_spec=spec, judge_id=JUDGE, self_judged=False, primary_run=run_id, config={},
        known_groups=tuple(KnownGroupsRow(dimension=d, n_items=3, expressing=100.0, opposing=0.0 if d != "power" else 100.0,
                                          difference=100.0 if d != "power" else 0.0, low=40.0, high=100.0,
                                          auc=1.0 if d != "power" else 0.5, passes=d != "power")
                           for d in ("benevolence", "universalism", "power", "care")),
        steering=(SteeringRow(dimension="benevolence", n_items=3, scores={"neutral": 50.0, "promote": 50.0, "oppose": 50.0},
                              difference=0.0, low=0.0, high=0.0, p_sign=1.0,
                              acquiescence={"neutral": 60.0, "promote": 100.0, "oppose": 0.0}, verdict="acquiescence only"),
                  SteeringRow(dimension="care", n_items=3, scores={"neutral": 67.0, "promote": 100.0, "oppose": 0.0},
                              difference=100.0, low=67.0, high=100.0, p_sign=0.25, verdict="moved")),
        reliability=Reliability(runs=(run_id, run_id + "-retest"), retest_pearson=0.9, retest_spearman=0.85,
                                retest_mean_abs_difference=6.0, split_half=0.7, spearman_brown=0.82, consistency_n=20,
                                consistency_agreement=0.95, consistency_kappa=0.9),
        agreement=AgreementSummary(data={"path": "dev.jsonl"}, n=100, systems={
            "schwartz": {"n": 40, "accuracy": 0.97, "macro_f1": 0.96, "baseline_accuracy": 0.4, "baseline_macro_f1": 0.2},
            "mft": {"n": 30, "accuracy": 0.8, "macro_f1": 0.78, "baseline_accuracy": 0.4, "baseline_macro_f1": 0.2}}),
        created="2026-12-01T00:00:00+00:00")
    store.save_card(card.card_id, "card", spec, JUDGE, card.model_dump(mode="json"))
    return card
