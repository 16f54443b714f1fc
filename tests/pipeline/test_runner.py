"""The runner with the fake model: retries, back-off, timeouts, concurrency, caching, progress."""

from __future__ import annotations

import asyncio
import time

import numpy as np
import pytest

from valuecompass.errors import ModelCallError, ModelError
from valuecompass.items import load_seed_bank
from valuecompass.models import FakeModel, GenerateConfig, Message, ModelAPI, ModelOutput, TransientModelError
from valuecompass.pipeline import (
    ErrorKind,
    FixedFormConfig,
    Progress,
    RetryPolicy,
    RunnerOptions,
    classify,
    run_fixed_form,
)
from valuecompass.store import Store

FAST = RetryPolicy(base_delay_s=0.001, max_delay_s=0.01)
ITEMS = load_seed_bank()[:6]



async def _run(store: Store, model: ModelAPI, items=ITEMS, policy: RetryPolicy = FAST, timeout_s: float = 120.0,
               max_connections: int | None = None, progress=None):
    config = FixedFormConfig(model=model.spec, generate=GenerateConfig(timeout_s=timeout_s))
    return await run_fixed_form(config, store, model=model, items=items, progress=progress,
                                options=RunnerOptions(max_connections=max_connections, retry=policy))


def test_backoff_doubles_is_capped_and_jittered_within_bounds() -> None:
    policy = RetryPolicy(base_delay_s=1.0, max_delay_s=5.0, jitter=0.5)
    rng = np.random.default_rng(0)
    waits = [[policy.delay(a, None, rng) for a in (1, 2, 3, 4, 5)] for _ in range(50)]
    for w in waits:
        assert 0.5 <= w[0] <= 1.0 and 1.0 <= w[1] <= 2.0 and 2.0 <= w[2] <= 4.0 and 2.5 <= w[4] <= 5.0
    assert len({round(w[0], 6) for w in waits}) > 10  # jitter spreads retries
    assert RetryPolicy(seed=1).delay(1, None, RetryPolicy(seed=1).rng()) == RetryPolicy(seed=1).delay(
        1, None, RetryPolicy(seed=1).rng())


def test_retry_after_is_honoured_and_capped() -> None:
    policy = RetryPolicy(base_delay_s=0.001, max_retry_after_s=60)
    rng = policy.rng()
    assert 7.0 <= policy.delay(1, 7.0, rng) <= 7.7
    assert 60 <= policy.delay(1, 3600.0, rng) <= 66


def test_classify() -> None:
    model = FakeModel()
    assert classify(model, TimeoutError()) is ErrorKind.TIMEOUT
    assert classify(model, TransientModelError("busy")) is ErrorKind.TRANSIENT
    assert classify(model, ModelError("bad")) is ErrorKind.FATAL


async def test_transient_failures_are_retried_and_counted(store: Store) -> None:
    fails = {i.id: 2 for i in ITEMS[:3]}

    def script(messages: list[Message], config: GenerateConfig):
        item = next(i for i in ITEMS if i.text in messages[-1]["content"])
        if fails.get(item.id, 0) > 0:
            fails[item.id] -= 1
            return TransientModelError("503 from a flaky backend", status=503)
        return f"answer to {item.id}"

    result = await _run(store, FakeModel(replies=script))
    assert result.stats.completed == 6 and result.stats.retries == {"transient": 6}
    answers = store.responses_for_run(result.run.run_id)
    assert [r.output_text for r in answers] == [f"answer to {i.id}" for i in ITEMS]
    assert [r.attempts for r in answers] == [3, 3, 3, 1, 1, 1]
    assert result.run.status == "complete"


async def test_retry_after_wait_is_honoured(store: Store) -> None:
    model = FakeModel(replies=[TransientModelError("429", retry_after=0.3), "ok"])
    t0 = time.perf_counter()
    result = await _run(store, model, items=ITEMS[:1])
    assert time.perf_counter() - t0 >= 0.3
    assert result.stats.completed == 1 and result.stats.retries == {"transient": 1}


async def test_a_call_that_keeps_failing_ends_with_a_clear_error(store: Store) -> None:
    model = FakeModel(replies=lambda m, c: TransientModelError("upstream overloaded"))
    with pytest.raises(ModelCallError) as info:
        await _run(store, model, items=ITEMS[:1], policy=RetryPolicy(max_attempts=3, base_delay_s=0.001))
    assert "kept failing (transient) after 3 attempts" in info.value.message
    assert ITEMS[0].id in info.value.message and "upstream overloaded" in info.value.message
    assert "rerun the same command to resume" in info.value.hint
    assert len(model.calls) == 3
    [summary] = store.list_runs()
    assert summary.run.status == "failed"


async def test_fatal_errors_stop_at_once_and_keep_what_was_stored(store: Store) -> None:
    def script(messages: list[Message], config: GenerateConfig):
        if ITEMS[3].text in messages[-1]["content"]:
            return ValueError("invalid model name")
        return "fine"

    model = FakeModel(replies=script, max_connections=1)
    with pytest.raises(ModelCallError, match="failed on item .* ValueError: invalid model name"):
        await _run(store, model)
    assert sum(ITEMS[3].text in m[-1]["content"] for m, _ in model.calls) == 1  # not retried
    assert len(model.calls) <= 5  # at most the one call already queued behind it
    [summary] = store.list_runs()
    assert summary.n_done == len(model.calls) - 1 and summary.run.status == "failed"


async def test_library_errors_pass_through_unchanged(store: Store) -> None:
    err = ModelError("weights missing", hint="pip install them")
    with pytest.raises(ModelError) as info:
        await _run(store, FakeModel(replies=[err]), items=ITEMS[:1])
    assert info.value is err


async def test_per_call_timeout_retries_then_fails(store: Store) -> None:
    model = FakeModel(delay_s=5.0)
    with pytest.raises(ModelCallError, match=r"kept failing \(timeout\) after 2 attempts"):
        await _run(store, model, items=ITEMS[:1], timeout_s=0.05, policy=RetryPolicy(max_attempts=2,
                                                                                    base_delay_s=0.001))


class Gauge(ModelAPI):
    """Counts calls in flight; each call takes a little while."""

    def __init__(self, limit: int = 64) -> None:
        super().__init__("fake/gauge")
        self.in_flight = self.peak = 0
        self.limit = limit

    async def generate(self, messages: list[Message], config: GenerateConfig) -> ModelOutput:
        self.in_flight += 1
        self.peak = max(self.peak, self.in_flight)
        await asyncio.sleep(0.01)
        self.in_flight -= 1
        return ModelOutput(text="ok")

    def max_connections(self) -> int:
        return self.limit


async def test_concurrency_reaches_but_never_exceeds_the_limit(store: Store) -> None:
    model = Gauge(limit=3)
    await _run(store, model, items=load_seed_bank()[:30])
    assert model.peak == 3
    explicit = Gauge(limit=64)
    await _run(store, explicit, items=load_seed_bank()[30:60], max_connections=5)
    assert explicit.peak == 5


async def test_rerun_reuses_every_stored_answer(store: Store) -> None:
    first_model = FakeModel()
    first = await _run(store, first_model)
    again_model = FakeModel()
    again = await _run(store, again_model)
    assert first.run.run_id == again.run.run_id and again.resumed and not first.resumed
    assert (again.stats.cached, again.stats.completed, len(again_model.calls)) == (6, 0, 0)
    more = await _run(store, FakeModel(), items=load_seed_bank()[:8])  # another run sharing 6 jobs
    assert (more.stats.cached, more.stats.completed) == (6, 2)
    assert store._conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0] == 8


async def test_progress_reports_every_answer_and_counts_tokens(store: Store) -> None:
    seen: list[Progress] = []
    result = await _run(store, FakeModel(), progress=seen.append)
    assert [p.done for p in seen] == list(range(7)) and seen[0].total == 6
    assert seen[-1].output_tokens == result.stats.output_tokens > 0
    assert seen[-1].input_tokens == sum(r.input_tokens for r in store.responses_for_run(result.run.run_id))
    assert seen[-1].new == 6 and seen[-1].elapsed_s > 0


async def test_a_backing_off_call_gives_its_connection_to_other_jobs(store: Store) -> None:
    """With one connection, the other items are answered while the first waits out its Retry-After."""
    answered: list[str] = []
    first_failed = []

    def script(messages: list[Message], config: GenerateConfig):
        item = next(i for i in ITEMS if i.text in messages[-1]["content"])
        if item.id == ITEMS[0].id and not first_failed:
            first_failed.append(True)
            return TransientModelError("429", retry_after=0.3)
        answered.append(item.id)
        return "ok"

    result = await _run(store, FakeModel(replies=script), items=ITEMS[:4], max_connections=1)
    assert result.stats.completed == 4
    # Had the backing-off worker kept the only slot, the retried item would have been answered first.
    assert answered[-1] == ITEMS[0].id, "the others were answered during the back-off"
