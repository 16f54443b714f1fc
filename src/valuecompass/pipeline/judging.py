"""The judge stage over the store: judge every unjudged response of a run; resumable.

Each judgment is stored as soon as it arrives (unique per response, judge id,
template hash and dimension), so a stage killed at any point loses at most the
calls in flight, and rerunning it judges only what is missing. Judging the same
run with another judge keeps both judges' verdicts side by side.

Entry point for ``valuecompass run`` and ``valuecompass judge``: :func:`judge_run`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from valuecompass.frameworks import get_dimension
from valuecompass.items import Item
from valuecompass.judge import Judge, JudgeIdentity, JudgeRequest, Judgment, conforming_rule, read_occlusion
from valuecompass.models import RetryPolicy
from valuecompass.store import JudgmentRecord, ResponseView, RunRecord, Store
from valuecompass.store._db import now

log = logging.getLogger(__name__)


@dataclass
class JudgeStats:
    """What one judge stage did.

    Attributes:
        run_id: The run judged.
        judge_id: The judge's id.
        template_hash: Hash of the judge's prompt templates.
        total: Responses of the run that can be judged (with a stored item).
        cached: Responses this judge had already judged.
        judged: Responses judged and stored now.
        unparsable: Of those, judgments whose answer could not be read.
        skipped: Responses without a stored item (cannot be judged).
        retries: Failed judge calls that were retried.
        self_judged: Whether the judge is the examinee's own model.
        elapsed_s: Wall time of the stage.
    """

    run_id: str
    judge_id: str
    template_hash: str
    total: int = 0
    cached: int = 0
    judged: int = 0
    unparsable: int = 0
    skipped: int = 0
    retries: int = 0
    self_judged: bool = False
    elapsed_s: float = 0.0
    judge_seconds: list[float] = field(default_factory=list, repr=False)

    @property
    def seconds_per_judgment(self) -> float | None:
        """Mean seconds per judge call of this session (``None`` if none was made)."""
        return sum(self.judge_seconds) / len(self.judge_seconds) if self.judge_seconds else None

    def as_dict(self) -> dict[str, Any]:
        """The counts as a JSON-ready dict."""
        return {"run_id": self.run_id, "judge_id": self.judge_id, "template_hash": self.template_hash,
                "total": self.total, "cached": self.cached, "judged": self.judged, "unparsable": self.unparsable,
                "skipped": self.skipped, "retries": self.retries, "self_judged": self.self_judged,
                "elapsed_s": round(self.elapsed_s, 3), "seconds_per_judgment": self.seconds_per_judgment}


#: Called after each stored judgment with the stage's counts so far.
JudgeProgressCallback = Callable[[JudgeStats], None]


def is_self_judged(run: RunRecord, identity: JudgeIdentity) -> bool:
    """Whether the judge model is the run's examinee (same spec, or same weights checksum)."""
    if run.model_spec == identity.spec:
        return True
    a, b = run.model_identity.get("sha256"), identity.model.get("sha256")
    return bool(a) and a == b


def record_judge(store: Store, run_id: str, identity: JudgeIdentity, self_judged: bool) -> None:
    """Add the judge to the run record (``provenance.judges``), once per judge id and template hash."""
    entry = {"judge_id": identity.judge_id, "template_hash": identity.template_hash, "spec": identity.spec,
             "self_judged": self_judged, "identity": identity.model_dump(mode="json"), "first_used": now()}
    store.append_provenance(run_id, "judges", entry, unique_by=("judge_id", "template_hash"))


def readable(record: JudgmentRecord) -> bool:
    """Whether a stored verdict counts towards a score: read, and not a judge verdict on a text that
    addressed the judge (recorded injection signs make such a verdict uncertain; a keyed verdict cannot be
    moved by the text, so it still counts)."""
    if record.parse_status != "ok" or record.label is None:
        return False
    path = record.provenance.get("path") or "recognition"
    return not (path in ("judge", "recognition") and record.provenance.get("injection_signs"))


def pending_requests(views: Sequence[ResponseView], judge_id: str, template_hash: str
                     ) -> tuple[list[JudgeRequest], int, int]:
    """Requests for the responses not yet judged by this judge, in cache-friendly order.

    Returns:
        ``(requests, already_judged, without_item)``.
    """
    requests, cached, skipped = [], 0, 0
    for view in views:
        if view.item is None:
            skipped += 1
            continue
        dim = view.item.dimension
        if any(j.judge_id == judge_id and j.template_hash == template_hash and j.dimension == dim
               for j in view.judgments):
            cached += 1
            continue
        requests.append(JudgeRequest.for_item(view.item, view.response.output_text, key=view.response.job_key))
    requests.sort(key=lambda r: (r.dimension, r.context, r.key))
    return requests, cached, skipped


def conforming_probability(judgment: Judgment) -> float | None:
    """P(the behaviour conforms) under the dimension's system, from the judgment's label probabilities."""
    if judgment.probabilities is None:
        return None
    if conforming_rule(get_dimension(judgment.dimension).system) == "supports":
        return judgment.probability("supports")
    return 1.0 - (judgment.probability("opposes") or 0.0)


def to_record(judgment: Judgment, identity: JudgeIdentity, self_judged: bool) -> JudgmentRecord:
    """The store record of a judgment, with its provenance."""
    return JudgmentRecord(
        response_key=judgment.key, judge_id=judgment.judge_id, template_hash=judgment.template_hash,
        dimension=judgment.dimension, label=judgment.label, score=conforming_probability(judgment),
        probabilities=judgment.probabilities, rationale=judgment.rationale or None, raw_output=judgment.raw_output,
        parse_status="ok" if judgment.status == "ok" else "unparsed",
        provenance={"probability_source": judgment.probability_source, "label_mass": judgment.label_mass,
                    "profile_id": judgment.profile_id, "seconds": round(judgment.seconds, 4),
                    "injection_signs": list(judgment.injection_signs), "truncated": judgment.truncated,
                    "path": judgment.path, "flags": list(judgment.flags),
                    "evidence": judgment.evidence,
                    **({"evidence_kind": "occlusion"} if read_occlusion(judgment.evidence) else {}),
                    "self_judged": self_judged, "template_version": identity.template_version,
                    "judge_model": identity.model, "judge_settings": identity.settings})


async def judge_stored(store: Store, judge: Judge, identity: JudgeIdentity, self_judged: bool,
                       pairs: Sequence[tuple[Item, str]]) -> list[JudgmentRecord | None]:
    """Judge stored responses (``(item, job key)`` pairs) one at a time, reusing any verdict this judge stored.

    Each new verdict is stored at once, so a killed process judges only what is missing when rerun.

    Returns:
        The judgment of each pair, or ``None`` where no response is stored under the key.
    """
    out: list[JudgmentRecord | None] = []
    for item, key in pairs:
        stored = [j for j in store.judgments_for_response(key) if j.judge_id == judge.judge_id
                  and j.template_hash == judge.template_hash and j.dimension == item.dimension]
        if stored:
            out.append(stored[0])
            continue
        response = store.get_response(key)
        if response is None:
            out.append(None)
            continue
        judgment = await judge.judge(JudgeRequest.for_item(item, response.output_text, key=key))
        record = to_record(judgment, identity, self_judged)
        store.insert_judgment(record)
        out.append(record)
    return out


async def judge_run(store: Store, run_id: str, judge: Judge, *, retry: RetryPolicy | None = None,
                    concurrency: int | None = None, progress: JudgeProgressCallback | None = None) -> JudgeStats:
    """Judge every response of a run that this judge has not judged yet, storing each judgment at once.

    Args:
        store: The results store.
        run_id: The run (a unique prefix is enough).
        judge: The judge.
        retry: Retries of failed judge calls (default: the judge's own policy).
        concurrency: Concurrent judge calls (default: the judge model's limit).
        progress: Called after each stored judgment.

    Returns:
        The stage's counts; ``self_judged`` says whether the judge is the examinee's model.

    Raises:
        StoreError: if the run does not exist.
        ModelCallError: if a judge call fails for good (stored judgments are kept).
    """
    start = time.perf_counter()
    judge = judge.with_retry(retry) if retry is not None else judge
    retries_before = judge.retries
    run = store.get_run(run_id)
    identity = await asyncio.to_thread(judge.identity)  # may hash model weights once
    stats = JudgeStats(run.run_id, judge.judge_id, judge.template_hash, self_judged=is_self_judged(run, identity))
    if stats.self_judged:
        log.warning("judge %s is the examinee's own model (self-judging)", judge.spec)
    record_judge(store, run.run_id, identity, stats.self_judged)
    requests, stats.cached, stats.skipped = pending_requests(store.response_views(run.run_id), judge.judge_id,
                                                             judge.template_hash)
    stats.total = len(requests) + stats.cached
    def stored(judgment: Judgment) -> None:
        store.insert_judgment(to_record(judgment, identity, stats.self_judged))
        stats.judged += 1
        stats.retries = judge.retries - retries_before
        stats.unparsable += judgment.status != "ok"
        stats.judge_seconds.append(judgment.seconds)
        stats.elapsed_s = time.perf_counter() - start
        if progress is not None:
            progress(stats)

    # the judge's own bounded, retried calls; the first that fails for good stops the rest, stored ones stay
    await judge.judge_many(requests, concurrency=concurrency, on_judgment=stored)
    stats.elapsed_s = time.perf_counter() - start
    stats.retries = judge.retries - retries_before
    return stats


def judge_run_sync(store: Store, run_id: str, judge: Judge, *, retry: RetryPolicy | None = None,
                   concurrency: int | None = None, progress: JudgeProgressCallback | None = None) -> JudgeStats:
    """:func:`judge_run` for synchronous callers (runs its own event loop)."""
    return asyncio.run(judge_run(store, run_id, judge, retry=retry, concurrency=concurrency, progress=progress))
