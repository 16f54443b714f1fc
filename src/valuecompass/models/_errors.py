"""Errors a provider raises for calls that are worth retrying."""

from __future__ import annotations

from valuecompass.errors import ModelError


class TransientModelError(ModelError):
    """A call that failed for a reason that may pass: rate limit, server error, timeout.

    Providers raise it (or map their SDK's errors to it) so that the runner retries.

    Args:
        message: What failed, naming the model.
        retry_after: Seconds the backend asked us to wait, if it said.
        status: HTTP status code, if there was one.
        hint: How to fix it, if it keeps happening.
    """

    def __init__(self, message: str, retry_after: float | None = None, status: int | None = None,
                 hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.retry_after = retry_after
        self.status = status


class MalformedResponseError(TransientModelError):
    """The backend answered, but the answer could not be read (broken JSON, no choices)."""
