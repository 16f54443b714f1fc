"""The one retry loop of every model call: which errors are worth retrying, how long to wait, and the loop.

Answers (the runner), judgments (the judge, in every stage and in ``judge validate``),
generated items and their checks all call models through :func:`retry_call` (or
:func:`generate_with_retry`), so a 429 or a timeout is handled the same way everywhere:
retried with exponential back-off and jitter, honouring ``Retry-After``, and reported,
after the last attempt, as a :class:`~valuecompass.errors.ModelCallError` that says what to do.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from valuecompass.errors import ModelCallError, ValueCompassError
from valuecompass.models._types import GenerateConfig, Message, ModelAPI, ModelOutput

if TYPE_CHECKING:
    import numpy as np

log = logging.getLogger(__name__)
T = TypeVar("T")


class ErrorKind(enum.Enum):
    """How the runner treats a failed attempt."""

    TIMEOUT = "timeout"
    TRANSIENT = "transient"
    FATAL = "fatal"


def classify(model: ModelAPI, exc: BaseException) -> ErrorKind:
    """Timeouts and what the provider's ``should_retry`` accepts are retried; the rest is fatal."""
    if isinstance(exc, TimeoutError):
        return ErrorKind.TIMEOUT
    return ErrorKind.TRANSIENT if model.should_retry(exc) else ErrorKind.FATAL


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off with jitter, honouring ``Retry-After``.

    Attributes:
        max_attempts: Attempts per call before it fails for good.
        base_delay_s: Wait after the first failure (doubles after each).
        max_delay_s: Cap on the exponential wait.
        jitter: Fraction of the wait drawn at random (spreads retries out).
        max_retry_after_s: Cap on a server's ``Retry-After``.
        seed: Seed of the jitter.
    """

    max_attempts: int = 6
    base_delay_s: float = 0.5
    max_delay_s: float = 30.0
    jitter: float = 0.5
    max_retry_after_s: float = 300.0
    seed: int = 0

    def rng(self) -> np.random.Generator:
        """A fresh jitter generator from :attr:`seed`."""
        import numpy as np  # here, not up front: the command line starts without numpy

        return np.random.default_rng(self.seed)

    def delay(self, attempt: int, retry_after: float | None, rng: np.random.Generator) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based).

        With a ``Retry-After``, wait that long (capped) plus up to 10 % jitter;
        else ``min(max_delay, base * 2**(attempt-1))`` minus up to ``jitter`` of it.
        """
        if retry_after is not None:
            wait = min(max(retry_after, 0.0), self.max_retry_after_s)
            return wait * (1.0 + 0.1 * float(rng.random()))
        backoff = min(self.max_delay_s, self.base_delay_s * 2 ** (attempt - 1))
        return backoff * (1.0 - self.jitter * float(rng.random()))


def describe(exc: BaseException) -> str:
    """An exception as one short line (its type when it has no message)."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def retry_call(model: ModelAPI, attempt: Callable[[], Awaitable[T]], policy: RetryPolicy,
                     rng: np.random.Generator, *, what: str, where: str = "",
                     before: Callable[[], Awaitable[None]] | None = None,
                     on_retry: Callable[[ErrorKind, BaseException, float], None] | None = None,
                     hint: str = "fix the cause and rerun the same command to resume") -> tuple[T, int]:
    """Run ``attempt()`` until it succeeds, retrying what :func:`classify` calls transient.

    Args:
        model: The model called (it says which errors are transient and reads ``Retry-After``).
        attempt: One try (it applies its own timeout).
        policy: Attempts and back-off.
        rng: Jitter generator (concurrent callers share one, so that their retries spread out).
        what: Who is called, for the final error (``model 'x'``).
        where: On what (``on item 'y' (sample 0)``).
        before: Awaited before each try (e.g. taking a connection slot).
        on_retry: Called with the error's kind, the error and the wait, before each back-off
            (e.g. giving the slot up and counting the retry).
        hint: The final error's advice.

    Returns:
        The result and the number of the attempt that gave it.

    Raises:
        ModelCallError: when a try fails for good (at once for a fatal error, else after
            ``policy.max_attempts``); a fatal library error with its own hint is raised as it is.
    """
    for n in range(1, policy.max_attempts + 1):
        try:
            if before is not None:
                await before()
            return await attempt(), n
        except Exception as exc:  # classified below; nothing is swallowed silently
            kind = classify(model, exc)
            if kind is ErrorKind.FATAL and isinstance(exc, ValueCompassError):
                raise  # a library error already says what is wrong and how to fix it
            if kind is ErrorKind.FATAL or n == policy.max_attempts:
                how = "failed" if kind is ErrorKind.FATAL else f"kept failing ({kind.value}) after {n} attempts"
                raise ModelCallError(f"{what} {how}{' ' + where if where else ''}: {describe(exc)}",
                                     hint=hint) from exc
            wait = policy.delay(n, model.retry_after(exc), rng)
            log.info("%s from %s %s (attempt %d): %s; retrying in %.2fs", kind.value, what, where, n, describe(exc),
                     wait)
            if on_retry is not None:
                on_retry(kind, exc, wait)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


async def generate_with_retry(model: ModelAPI, messages: Sequence[Message], config: GenerateConfig, *,
                              policy: RetryPolicy | None = None, rng: np.random.Generator | None = None,
                              what: str | None = None, where: str = "",
                              on_retry: Callable[[ErrorKind, BaseException, float], None] | None = None,
                              ) -> ModelOutput:
    """``model.generate(messages, config)`` with ``config.timeout_s`` per try, under :func:`retry_call`."""
    policy = policy or RetryPolicy()

    async def attempt() -> ModelOutput:
        async with asyncio.timeout(config.timeout_s):
            return await model.generate(list(messages), config)

    output, _ = await retry_call(model, attempt, policy, rng if rng is not None else policy.rng(),
                                 what=what or f"model {model.spec!r}", where=where, on_retry=on_retry)
    return output
