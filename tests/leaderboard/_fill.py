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
from valuecompass.store import EstimateRecord, JudgmentRecord, PlannedJob, ResponseRecord, RunRecord, Store

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
    return path
