"""The runner: calls a model for many jobs with bounded concurrency, retries and a cache.

Jobs whose key is already stored are skipped. Each result is stored, in its own
transaction, as soon as it arrives, so a process killed at any point loses at
most the calls in flight and, because keys are unique, never duplicates one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np

from valuecompass.models import ErrorKind, ModelAPI, ModelOutput, RetryPolicy, retry_call
from valuecompass.pipeline._jobs import Job
from valuecompass.pipeline._progress import Progress, ProgressCallback
from valuecompass.pipeline._retry import first_leaf
from valuecompass.store import ResponseRecord, Store

log = logging.getLogger(__name__)

@dataclass
class RunnerStats:
    """Counts of one runner session.

    Attributes:
        total: Jobs given.
        cached: Jobs already stored before the session.
        completed: Jobs answered and stored in this session.
        duplicates: Answers that another process had stored first.
        retries: Failed attempts that were retried, by error kind.
        input_tokens: Prompt tokens of this session's calls.
        output_tokens: Generated tokens of this session's calls.
        elapsed_s: Wall time of the session.
        failed: Whether a call failed for good (the session stopped taking jobs).
    """

    total: int = 0
    cached: int = 0
    completed: int = 0
    duplicates: int = 0
    retries: dict[str, int] = field(default_factory=dict)
    input_tokens: int = 0
    output_tokens: int = 0
    elapsed_s: float = 0.0
    failed: bool = False

    @property
    def done(self) -> int:
        """Jobs with a stored response now."""
        return self.cached + self.completed + self.duplicates

    def progress(self) -> Progress:
        """A snapshot for progress callbacks."""
        return Progress(self.total, self.done, self.cached, sum(self.retries.values()), self.input_tokens,
                        self.output_tokens, self.elapsed_s)


@dataclass
class _Attempted:
    output: ModelOutput
    attempts: int
    latency_s: float


class Runner:
    """Administers jobs to one model and stores the responses of one run.

    Args:
        model: The provider to call.
        store: Where responses go.
        policy: Retry policy.
        max_connections: Concurrent calls (default: the provider's ``max_connections()``).
    """

    #: Workers per connection slot: a worker waiting out a back-off holds no slot, and
    #: the extra worker keeps the connections busy meanwhile.
    WORKERS_PER_CONNECTION = 2

    def __init__(self, model: ModelAPI, store: Store, policy: RetryPolicy | None = None,
                 max_connections: int | None = None) -> None:
        self.model = model
        self.store = store
        self.policy = policy or RetryPolicy()
        self.max_connections = max_connections or model.max_connections()
        self._rng: np.random.Generator = self.policy.rng()
        self._settings_cache: dict[int, tuple[object, dict]] = {}

    async def run(self, run_id: str, jobs: Sequence[Job], progress: ProgressCallback | None = None) -> RunnerStats:
        """Answer every job of ``run_id`` not yet stored, storing each answer as it arrives.

        Args:
            run_id: The run the responses belong to (its jobs must be planned in the store).
            jobs: The run's jobs.
            progress: Called with a :class:`Progress` at the start and after each stored answer.

        Returns:
            Counts of the session.

        Raises:
            ModelCallError: for a call that failed for good (after every retry, or at
                once for an error not worth retrying); answers stored so far are kept.
        """
        done = self.store.done_keys(run_id)
        todo = [j for j in jobs if j.key not in done]
        stats = RunnerStats(total=len(jobs), cached=len(jobs) - len(todo))
        started = time.perf_counter()
        report = (lambda: progress(stats.progress())) if progress else (lambda: None)
        report()
        pending = iter(todo)
        semaphore = asyncio.Semaphore(self.max_connections)
        try:
            async with asyncio.TaskGroup() as group:
                for _ in range(min(self.WORKERS_PER_CONNECTION * self.max_connections, len(todo))):
                    group.create_task(self._worker(run_id, pending, semaphore, stats, started, report))
        except BaseExceptionGroup as group_error:  # one worker failed: the others were cancelled
            raise first_leaf(group_error)  # noqa: B904 - keep its own cause
        stats.elapsed_s = time.perf_counter() - started
        return stats

    async def _worker(self, run_id: str, pending: Iterator[Job], semaphore: asyncio.Semaphore,
                      stats: RunnerStats, started: float, report: ProgressCallback) -> None:
        slot = _Slot(semaphore)
        try:
            for job in pending:
                if stats.failed:  # another worker failed for good: take no new job
                    return
                try:
                    result = await self._attempt(job, slot, stats)
                except Exception:
                    stats.failed = True
                    raise
                self._store(run_id, job, result, stats)
                stats.elapsed_s = time.perf_counter() - started
                report()
        finally:
            slot.release()

    async def _attempt(self, job: Job, slot: _Slot, stats: RunnerStats) -> _Attempted:
        """Call the model for ``job``, retrying transient failures under the policy.

        Each attempt holds a connection slot; a back-off wait gives it up, so that
        another worker keeps the connection busy meanwhile.
        """
        t0 = 0.0

        async def attempt() -> ModelOutput:
            nonlocal t0
            t0 = time.perf_counter()
            async with asyncio.timeout(job.config.timeout_s):
                return await self.model.generate(list(job.messages), job.config)

        def on_retry(kind: ErrorKind, exc: BaseException, wait: float) -> None:
            stats.retries[kind.value] = stats.retries.get(kind.value, 0) + 1
            slot.release()

        output, n = await retry_call(
            self.model, attempt, self.policy, self._rng, before=slot.acquire, on_retry=on_retry,
            what=f"model {self.model.spec!r}", where=f"on item {job.item_id!r} (sample {job.sample_index})",
            hint="answers stored so far are kept; fix the cause (endpoint, key, model name, --timeout) "
                 "and rerun the same command to resume")
        return _Attempted(output, n, time.perf_counter() - t0)

    def _settings(self, job: Job) -> dict:
        """The job's settings as JSON data, dumped once per settings object (jobs share them)."""
        cached = self._settings_cache.get(id(job.config))
        if cached is None or cached[0] is not job.config:
            cached = self._settings_cache[id(job.config)] = (job.config, job.config.model_dump(mode="json"))
        return cached[1]

    def _store(self, run_id: str, job: Job, result: _Attempted, stats: RunnerStats) -> None:
        out = result.output
        record = ResponseRecord(
            job_key=job.key, run_id=run_id, item_id=job.item_id, item_hash=job.item_hash,
            sample_index=job.sample_index, model_spec=self.model.spec, messages=list(job.messages),
            settings=self._settings(job), output_text=out.text, finish_reason=out.finish_reason,
            first_token=out.first_token, input_tokens=out.usage.input_tokens, output_tokens=out.usage.output_tokens,
            latency_s=result.latency_s, attempts=result.attempts, model_reported=out.model)
        if self.store.insert_response(record):
            stats.completed += 1
        else:
            stats.duplicates += 1
        stats.input_tokens += out.usage.input_tokens
        stats.output_tokens += out.usage.output_tokens


class _Slot:
    """A worker's hold on one connection slot of a shared semaphore.

    The worker keeps its slot from one job to the next, so the next request goes
    out in the same step that read the last answer (a hand-over through the
    semaphore would wait behind every other ready callback of the loop). It
    gives the slot up while it waits out a back-off and when it is done.
    """

    def __init__(self, semaphore: asyncio.Semaphore) -> None:
        self._semaphore = semaphore
        self._held = False

    async def acquire(self) -> None:
        """Take a slot unless this worker holds one already."""
        if not self._held:
            await self._semaphore.acquire()
            self._held = True

    def release(self) -> None:
        """Give the slot back if held."""
        if self._held:
            self._held = False
            self._semaphore.release()
