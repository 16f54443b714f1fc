"""Progress of a run, reported to a callback after every stored result."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """Where a run stands.

    Attributes:
        total: Jobs in the run.
        done: Jobs with a stored response (``cached`` included).
        cached: Jobs found already stored when the run started.
        retries: Attempts that failed and were retried so far.
        input_tokens: Prompt tokens of the calls made in this session.
        output_tokens: Generated tokens of the calls made in this session.
        elapsed_s: Seconds since this session started calling the model.
    """

    total: int
    done: int
    cached: int
    retries: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    elapsed_s: float = 0.0

    @property
    def new(self) -> int:
        """Jobs answered in this session."""
        return self.done - self.cached


ProgressCallback = Callable[[Progress], None]
