"""Stopping stage: whether an adaptive test ends before the next step, and why.

Each stopper is a small class with one method, ``check(ctx)``; ``budget(ctx)``
(optional) caps how many items the next batch may hold.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from typing import NamedTuple

from valuecompass.cat._state import StopReason
from valuecompass.errors import EstimationError


class StopContext(NamedTuple):
    """What a stopper may look at.

    Attributes:
        n_items: Items administered so far.
        theta: Current ability estimate.
        se: Its standard error.
        max_information: Largest Fisher information of an available item at ``theta``
            (0 when none is left).
        n_available: Items that may still be selected.
    """

    n_items: int
    theta: float
    se: float
    max_information: float
    n_available: int


class Stopper(ABC):
    """Decides whether a test stops."""

    @abstractmethod
    def check(self, ctx: StopContext) -> StopReason | None:
        """Return why the test stops now, or ``None`` to continue."""

    def budget(self, ctx: StopContext) -> int | None:
        """Most items the next step may add (``None``: no limit)."""
        return None


class SETarget(Stopper):
    """Stop once the standard error is at most ``se`` (after at least ``min_items``).

    Args:
        se: Target standard error (0.3 gives a reliability of about 0.91 for a unit-variance population).
        min_items: Fewest items before this rule may stop the test.
    """

    def __init__(self, se: float = 0.3, min_items: int = 0) -> None:
        if se <= 0 or min_items < 0:
            raise EstimationError(f"need se > 0 and min_items >= 0, got {se}, {min_items}", hint="e.g. SETarget(0.3)")
        self.se, self.min_items = se, min_items

    def check(self, ctx: StopContext) -> StopReason | None:
        """Stop with ``se_target`` when the SE is small enough."""
        return "se_target" if ctx.n_items >= self.min_items and ctx.se <= self.se else None


class MaxItems(Stopper):
    """Stop after ``n`` items; batches are cut to fit.

    Args:
        n: Most items in the test.
    """

    def __init__(self, n: int) -> None:
        if n < 1:
            raise EstimationError(f"max items must be at least 1, got {n}", hint="e.g. MaxItems(30)")
        self.n = n

    def check(self, ctx: StopContext) -> StopReason | None:
        """Stop with ``max_items`` once ``n`` items are given."""
        return "max_items" if ctx.n_items >= self.n else None

    def budget(self, ctx: StopContext) -> int | None:
        """Items left before the limit."""
        return max(self.n - ctx.n_items, 0)


class BankExhausted(Stopper):
    """Stop when no selectable item is left."""

    def check(self, ctx: StopContext) -> StopReason | None:
        """Stop with ``bank_exhausted`` when nothing is available."""
        return "bank_exhausted" if ctx.n_available == 0 else None


class MinInformation(Stopper):
    """Stop when even the best available item tells little about the current estimate.

    This is the signal to generate new items near the current ability.

    Args:
        threshold: Fisher information below which an item counts as uninformative
            (an item with ``a = 1`` right at ``theta`` gives 0.25).
    """

    def __init__(self, threshold: float = 0.05) -> None:
        if threshold <= 0:
            raise EstimationError(f"information threshold must be positive, got {threshold}",
                                  hint="e.g. MinInformation(0.05)")
        self.threshold = threshold

    def check(self, ctx: StopContext) -> StopReason | None:
        """Stop with ``no_informative_item`` when the best item is below the threshold."""
        return "no_informative_item" if ctx.n_available and ctx.max_information < self.threshold else None


class AnyOf(Stopper):
    """Stop as soon as any of the given rules says so (the first one's reason wins).

    Args:
        stoppers: The rules, in priority order.
    """

    def __init__(self, stoppers: Sequence[Stopper]) -> None:
        self.stoppers = tuple(stoppers)

    def check(self, ctx: StopContext) -> StopReason | None:
        """The first reason any rule gives."""
        for stopper in self.stoppers:
            reason = stopper.check(ctx)
            if reason is not None:
                return reason
        return None

    def budget(self, ctx: StopContext) -> int | None:
        """The smallest budget of the rules."""
        budgets = [b for b in (s.budget(ctx) for s in self.stoppers) if b is not None]
        return min(budgets) if budgets else None
