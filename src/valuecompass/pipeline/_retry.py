"""Retry policy: which errors are worth retrying, and how long to wait before the next try."""

from __future__ import annotations

import enum
from dataclasses import dataclass

import numpy as np

from valuecompass.models import ModelAPI


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


def first_leaf(group: BaseExceptionGroup) -> BaseException:
    """The first exception inside (nested) exception groups: what a failed task group should raise."""
    exc: BaseException = group
    while isinstance(exc, BaseExceptionGroup):
        exc = exc.exceptions[0]
    return exc
