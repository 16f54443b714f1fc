"""The one retry loop of every model call (answers, judgments, generated items)."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from valuecompass.errors import ModelCallError
from valuecompass.models import (
    ErrorKind,
    FakeModel,
    GenerateConfig,
    RetryPolicy,
    TransientModelError,
    generate_with_retry,
    retry_call,
)

FAST = RetryPolicy(max_attempts=3, base_delay_s=0.001, max_delay_s=0.002)
HI = [{"role": "user", "content": "hi"}]


def test_hooks_run_around_each_try_and_the_result_names_its_attempt() -> None:
    model = FakeModel("fake/m", replies=[TransientModelError("429", retry_after=0.001), "ok"])
    calls: list[str] = []

    async def before() -> None:
        calls.append("before")

    def on_retry(kind: ErrorKind, exc: BaseException, wait: float) -> None:
        calls.append(f"retry {kind.value} {wait > 0}")

    async def attempt() -> str:
        return (await model.generate(HI, GenerateConfig())).text

    result, n = asyncio.run(retry_call(model, attempt, FAST, np.random.default_rng(0), what="model 'fake/m'",
                                       before=before, on_retry=on_retry))
    assert (result, n) == ("ok", 2) and calls == ["before", "retry transient True", "before"]


def test_timeouts_are_retried_and_then_reported_with_what_and_where() -> None:
    class Slow(FakeModel):
        async def generate(self, messages, config):  # type: ignore[no-untyped-def]
            await asyncio.sleep(1)

    seen = []
    with pytest.raises(ModelCallError, match=r"item generator 'fake/slow' kept failing \(timeout\) after 3 attempts "
                                             r"for care: TimeoutError") as info:
        asyncio.run(generate_with_retry(Slow("fake/slow"), HI, GenerateConfig(timeout_s=0.01), policy=FAST,
                                        what="item generator 'fake/slow'", where="for care",
                                        on_retry=lambda k, e, w: seen.append(k)))
    assert seen == [ErrorKind.TIMEOUT, ErrorKind.TIMEOUT] and "rerun" in (info.value.hint or "")


def test_fatal_errors_are_not_retried() -> None:
    model = FakeModel("fake/m", replies=[ValueError("invalid model name"), "never"])
    with pytest.raises(ModelCallError, match=r"model 'fake/m' failed: ValueError: invalid model name"):
        asyncio.run(generate_with_retry(model, HI, GenerateConfig(), policy=FAST))
    assert asyncio.run(model.generate(HI, GenerateConfig())).text == "never"  # the one try used one reply
