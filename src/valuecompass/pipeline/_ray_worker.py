"""What a Ray worker does with one (model, dimension) test: run it against a private store, streaming every write.

The worker never opens the results store. It fills a private SQLite file (in its temporary directory) with
what the driver sent (the run, the dimension's items, the answers and verdicts already stored) and with
what earlier attempts of the same task streamed (a task retried after its worker died resumes where that
one stopped), then runs the test exactly as a single process would. Every write goes to the private store
and, in the same order, to the driver's sink actor; the driver, the only writer of the results store,
applies them. Writes are content-addressed (answers by job key, verdicts by response, judge and template),
so applying one twice changes nothing.

Models are built once per worker process and reused by every task it runs (a local GGUF model loads once).
"""

from __future__ import annotations

import asyncio
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from valuecompass.items import Item
from valuecompass.judge import Judge, make_judge
from valuecompass.models import ModelAPI, get_model
from valuecompass.pipeline._adaptive import _Context, run_dimension_test
from valuecompass.pipeline._jobs import Job
from valuecompass.pipeline._request import RunRequest
from valuecompass.pipeline._runner import Runner
from valuecompass.pipeline.judging import is_self_judged, judge_stored
from valuecompass.store import (
    EstimateRecord,
    OpenedRun,
    JudgmentRecord,
    PlannedJob,
    ResponseRecord,
    RunRecord,
    Store,
    StoredItemParams,
)

_MODELS: dict[str, ModelAPI] = {}
_JUDGES: dict[str, Judge] = {}


@dataclass
class Snapshot:
    """What the driver's store holds for one (run, dimension) when the task is submitted."""

    dimension: str
    items: list[Item] = field(default_factory=list)
    jobs: list[PlannedJob] = field(default_factory=list)
    responses: list[ResponseRecord] = field(default_factory=list)
    judgments: list[JudgmentRecord] = field(default_factory=list)
    cat_state: tuple[str, dict[str, Any]] | None = None
    item_params: list[StoredItemParams] = field(default_factory=list)


class StreamingStore(Store):
    """A private store whose writes are also sent, in order, to the driver's sink (``sink.put``)."""

    def __init__(self, path: Path, sink: Any, task_key: str) -> None:
        super().__init__(path)
        self.sink, self.task_key, self.streaming = sink, task_key, False

    def _send(self, kind: str, payload: Any) -> None:
        if self.streaming:
            self.sink.put.remote(self.task_key, kind, payload)  # actor calls from one caller run in order

    def insert_items(self, items: Iterable[Item]) -> dict[str, str]:  # noqa: D102
        items = list(items)
        out = super().insert_items(items)
        self._send("items", items)
        return out

    def open_run(self, run: RunRecord, jobs: Sequence[PlannedJob] = ()) -> OpenedRun:  # noqa: D102
        out = super().open_run(run, jobs)
        if jobs:
            self._send("jobs", list(jobs))
        return out

    def insert_response(self, response: ResponseRecord) -> bool:  # noqa: D102
        out = super().insert_response(response)
        self._send("response", response)
        return out

    def insert_judgments(self, judgments: Iterable[JudgmentRecord]) -> int:  # noqa: D102
        judgments = list(judgments)
        out = super().insert_judgments(judgments)
        self._send("judgments", judgments)
        return out

    def save_cat_state(self, run_id: str, dimension: str, state_json: str, extra: dict[str, Any]) -> None:  # noqa: D102
        super().save_cat_state(run_id, dimension, state_json, extra)
        self._send("cat_state", (run_id, dimension, state_json, extra))

    def insert_estimate(self, estimate: EstimateRecord) -> None:  # noqa: D102
        super().insert_estimate(estimate)
        self._send("estimate", estimate)

    def load(self, run: RunRecord, snapshot: Snapshot, replay: Sequence[tuple[str, Any]]) -> None:
        """Fill the store with the snapshot, then the writes of earlier attempts (before streaming is on)."""
        assert not self.streaming, "load before streaming starts: the driver has these already"
        self.insert_items(snapshot.items)
        self.open_run(run, snapshot.jobs)
        for response in snapshot.responses:
            self.insert_response(response)
        self.insert_judgments(snapshot.judgments)
        if snapshot.item_params:
            self.save_item_params("snapshot", snapshot.item_params, {})
        if snapshot.cat_state is not None:
            self.save_cat_state(run.run_id, snapshot.dimension, *snapshot.cat_state)
        for kind, payload in replay:
            apply_write(self, run, kind, payload)


def apply_write(store: Store, run: RunRecord, kind: str, payload: Any) -> None:
    """Apply one streamed write to ``store`` (the driver's, or a retried task's private one)."""
    if kind == "items":
        store.insert_items(payload)
    elif kind == "jobs":
        store.open_run(run, payload)
    elif kind == "response":
        store.insert_response(payload)
    elif kind == "judgments":
        store.insert_judgments(payload)
    elif kind == "cat_state":
        store.save_cat_state(*payload)
    elif kind == "estimate":
        store.insert_estimate(payload)
    else:  # pragma: no cover - a programming error
        raise ValueError(f"unknown streamed write {kind!r}")


def _cached_model(spec: str, options: dict[str, Any]) -> ModelAPI:
    key = json.dumps([spec, options], sort_keys=True, default=str)
    if key not in _MODELS:
        _MODELS[key] = get_model(spec, **options)
    return _MODELS[key]


def _cached_judge(request: RunRequest, options: dict[str, Any]) -> Judge:
    key = json.dumps([request.judge, options, str(request.calibration), request.timeout, request.max_attempts],
                     sort_keys=True, default=str)
    if key not in _JUDGES:
        _JUDGES[key] = make_judge(request.judge, profile=request.calibration, settings=request.judge_settings(),
                                  model_options=options, retry=request.retry())
    return _JUDGES[key]


async def _run(store: StreamingStore, request: RunRequest, judge_options: dict[str, Any], run: RunRecord,
               dimension: str, jobs: Sequence[Job], position_base: int) -> dict[str, Any]:
    model = _cached_model(request.model, request.model_options)
    judge = _cached_judge(request, judge_options).with_retry(request.retry())
    identity = await asyncio.to_thread(model.identity)
    judge_identity = await asyncio.to_thread(judge.identity)
    self_judged = is_self_judged(run, judge_identity)
    runner = Runner(model, store, request.retry(), request.max_connections)
    if request.fixed:
        stats = await runner.run(run.run_id, jobs)
        if not request.no_judge:
            item_of = {v.response.job_key: v.item for v in store.response_views(run.run_id)}
            await judge_stored(store, judge, judge_identity, self_judged,
                               [(item_of[j.key], j.key) for j in jobs if item_of.get(j.key) is not None])
        return {"answered": stats.done, "new": stats.completed}
    config = request.adaptive_config()
    generator = judge.model if config.generate_items and config.generation_rounds > 0 else None
    ctx = _Context(config, store, model, judge, generator, run, identity, judge_identity, self_judged, runner,
                   request.retry(), position_base)
    outcome = await run_dimension_test(ctx, dimension)
    return {"score": outcome.score, "n_items": outcome.n_items, "stop_reason": outcome.stop_reason}


class DimensionWorker:
    """A Ray actor, one per CPU of the cluster: it runs many (model, dimension) tests at once as coroutines.

    Tests wait on the network (endpoints) or on one model loaded once per process (GGUF), so coroutines in
    one process do what a process per test would, without a process and its imports per test. An actor
    that dies with its node is restarted by Ray, which then retries its unfinished tests; each resumes
    from what its earlier attempt streamed.
    """

    async def run(self, request: RunRequest, judge_options: dict[str, Any], run: RunRecord, dimension: str,
                  snapshot: Snapshot, jobs: list[Job], position_base: int, sink: Any, task_key: str) -> dict[str, Any]:
        """Run (or resume) the test of ``dimension`` for ``run``'s model against a private store.

        Returns:
            A small summary (the results themselves were streamed to ``sink``).
        """
        replay = await sink.replay.remote(task_key)
        folder = Path(tempfile.mkdtemp(prefix="valuecompass-task-"))
        store = StreamingStore(folder / "task.sqlite", sink, task_key)
        try:
            store.load(run, snapshot, replay)
            store.streaming = True
            summary = await _run(store, request, judge_options, run, dimension, jobs, position_base)
            await sink.ping.remote()  # every streamed write has reached the sink before the test reports done
            return {**summary, "dimension": dimension, "worker_pid": os.getpid(), "replayed": len(replay)}
        finally:
            store.close()
            for path in folder.iterdir():
                path.unlink()
            folder.rmdir()
