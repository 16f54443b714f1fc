"""Retries in the pipeline: the policy and loop live with the models (:mod:`valuecompass.models._retry`)."""

from __future__ import annotations

from valuecompass.models import ErrorKind, RetryPolicy, classify

__all__ = ["ErrorKind", "RetryPolicy", "classify", "first_leaf"]


def first_leaf(group: BaseExceptionGroup) -> BaseException:
    """The first exception inside (nested) exception groups: what a failed task group should raise."""
    exc: BaseException = group
    while isinstance(exc, BaseExceptionGroup):
        exc = exc.exceptions[0]
    return exc
