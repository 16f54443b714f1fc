"""The adaptive-test engine: composes initialization, selection, estimation and stopping."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from valuecompass.cat._bank import CATBank
from valuecompass.cat._config import CATConfig
from valuecompass.cat._state import CATState, CATStep, StopReason
from valuecompass.cat.estimation import BayesEstimator, Estimator
from valuecompass.cat.initialization import FixedInitializer, Initializer
from valuecompass.cat.selection import FormatBalance, MaxInfoSelector, Selector
from valuecompass.cat.stopping import AnyOf, BankExhausted, MaxItems, MinInformation, SETarget, StopContext, Stopper
from valuecompass.errors import EstimationError
from valuecompass.irt import NormalPrior, item_information

logger = logging.getLogger(__name__)

_SELECT, _INIT = 0, 1   # streams of the per-test random generator


class Selection(NamedTuple):
    """What to do next in a test.

    Attributes:
        item_ids: Items to administer now, as one parallel burst (empty when the test stops).
        step: Number of the step these items form.
        theta: Current ability estimate.
        se: Its standard error.
        stop_reason: Why the test stops, or ``None`` to continue.
        max_information: Fisher information of the best available item at ``theta``.
        needs_items: ``True`` when the bank has no informative item left near
            ``theta``: the signal to generate items of difficulty ``target_b``.
        target_b: Difficulty at which a new item would be most informative.
    """

    item_ids: tuple[str, ...]
    step: int
    theta: float
    se: float
    stop_reason: StopReason | None
    max_information: float
    needs_items: bool
    target_b: float


class CATEngine:
    """Runs adaptive tests: ``start``, then alternate ``next_items`` and ``update``.

    The engine holds no per-test state; every call takes and returns an
    immutable :class:`CATState`, so many tests (models x dimensions) can be
    driven concurrently, and a state restored from JSON resumes mid-test.

    Args:
        selector: Selection stage (default: maximum information).
        estimator: Estimation stage (default: EAP with a standard-normal prior).
        stopper: Stopping stage (default: SE <= 0.3 or 30 items); running out of
            items always stops the test.
        initializer: Initialization stage (default: 0 with SE 1).
        batch_size: Items per step.
        min_information: Best-item information below which ``needs_items`` is set.

    Example:
        >>> from valuecompass.irt import ItemParams
        >>> bank = CATBank.from_params([ItemParams(item_id=f"i{j}", a=1.5, b=j / 5 - 1) for j in range(11)])
        >>> engine = CATEngine()
        >>> state = engine.start(seed=7)
        >>> sel = engine.next_items(state, bank)
        >>> state = engine.update(state, bank, sel.item_ids, [1.0])
        >>> state.theta > 0
        True
    """

    def __init__(
        self,
        selector: Selector | None = None,
        estimator: Estimator | None = None,
        stopper: Stopper | None = None,
        initializer: Initializer | None = None,
        batch_size: int = 1,
        min_information: float = 0.05,
    ) -> None:
        if batch_size < 1:
            raise EstimationError(f"batch size must be at least 1, got {batch_size}", hint="e.g. batch_size=4")
        self.selector = selector or MaxInfoSelector()
        self.estimator = estimator or BayesEstimator()
        self.stopper = AnyOf([stopper or AnyOf([SETarget(0.3), MaxItems(30)]), BankExhausted()])
        self.initializer = initializer or FixedInitializer()
        self.batch_size, self.min_information = batch_size, min_information
        #: The settings this engine was built from (``from_config``), for run records; else ``None``.
        self.config: CATConfig | None = None

    @classmethod
    def from_config(cls, config: CATConfig) -> CATEngine:
        """Build the standard engine from settings."""
        balance = FormatBalance(config.format_targets) if config.balance_formats else None
        rules: list[Stopper] = [SETarget(config.se_target, config.min_items), MaxItems(config.max_items)]
        if config.stop_on_low_information:
            rules.append(MinInformation(config.min_information))
        engine = cls(
            selector=MaxInfoSelector(config.randomesque, balance),
            estimator=BayesEstimator(config.method, NormalPrior(config.prior_mean, config.prior_sd)),
            stopper=AnyOf(rules), batch_size=config.batch_size, min_information=config.min_information,
        )
        engine.config = config
        return engine

    def start(self, seed: int, test_id: str = "") -> CATState:
        """Begin a test.

        Args:
            seed: Seed of the test's randomness (selection draws derive from it and the step).
            test_id: Caller's label, e.g. ``"<model>/<dimension>"``.
        """
        est = self.initializer.initialize(np.random.default_rng([seed, 0, _INIT]))
        return CATState(test_id=test_id, seed=seed, theta=est.theta, se=est.se)

    def _context(self, state: CATState, bank: CATBank) -> StopContext:
        pool = bank.available(state.administered)
        info = item_information(state.theta, bank.a[pool], bank.b[pool]) if pool.any() else np.zeros(1)
        return StopContext(state.n_items, state.theta, state.se, float(info.max()), int(pool.sum()))

    def next_items(self, state: CATState, bank: CATBank) -> Selection:
        """Choose the items of the next step, or say why the test stops.

        Deterministic given ``state`` and ``bank``: calling it again after a crash
        returns the same items.

        Args:
            state: The test so far.
            bank: The item bank of the test's dimension.

        Returns:
            The selection; ``item_ids`` is empty when ``stop_reason`` is set.
        """
        ctx = self._context(state, bank)
        reason = state.stop_reason or self.stopper.check(ctx)
        budget = self.stopper.budget(ctx)
        k = self.batch_size if budget is None else min(self.batch_size, budget)
        ids: tuple[str, ...] = ()
        if reason is None and k > 0:
            ids = self.selector.select(bank, state, k, np.random.default_rng([state.seed, state.step, _SELECT]))
        needs = ctx.max_information < self.min_information
        return Selection(ids, state.step + 1, state.theta, state.se, reason, ctx.max_information, needs, state.theta)

    def update(self, state: CATState, bank: CATBank, item_ids: Sequence[str],
               responses: Sequence[float | None]) -> CATState:
        """Record the responses of one step and re-estimate ability.

        Args:
            state: The test before the step.
            bank: The item bank (parameters of all administered items are taken from it).
            item_ids: Items answered in this step.
            responses: Their responses: 1 conforming, 0 opposing, a probability of
                conformity, or ``None``/``NaN`` for no usable response (the item
                still counts as administered).

        Returns:
            The new state.

        Raises:
            EstimationError: If items repeat, are unknown, or responses are out of range.
        """
        clean = _clean_responses(item_ids, responses, state)
        administered = state.administered + tuple(item_ids)
        values = np.array([np.nan if r is None else r for r in state.responses + clean], dtype=float)
        idx = bank.index(administered)
        est = self.estimator.estimate(values, bank.a[idx], bank.b[idx])
        step = CATStep(step=state.step + 1, item_ids=tuple(item_ids), responses=clean, theta=est.theta, se=est.se)
        logger.debug("test %s step %d: theta=%.3f se=%.3f", state.test_id, step.step, est.theta, est.se)
        return state.model_copy(update={
            "administered": administered, "responses": state.responses + clean, "theta": est.theta,
            "se": est.se, "step": step.step, "history": state.history + (step,),
        })


    def rescore(self, state: CATState, bank: CATBank) -> CATState:
        """Re-estimate ability from all responses with the bank's current parameters.

        Use after a recalibration; the history keeps the estimates made at the time.

        Args:
            state: A test (running or finished).
            bank: The bank with the new parameters.

        Returns:
            The state with ``theta`` and ``se`` recomputed.
        """
        values = np.array([np.nan if r is None else r for r in state.responses], dtype=float)
        idx = bank.index(state.administered)
        est = self.estimator.estimate(values, bank.a[idx], bank.b[idx])
        return state.model_copy(update={"theta": est.theta, "se": est.se})


def _clean_responses(item_ids: Sequence[str], responses: Sequence[float | None],
                     state: CATState) -> tuple[float | None, ...]:
    if len(item_ids) != len(responses) or not item_ids:
        raise EstimationError(f"got {len(item_ids)} items and {len(responses)} responses",
                              hint="give one response per administered item, at least one")
    repeated = {i for i in item_ids if list(item_ids).count(i) > 1} | (set(item_ids) & set(state.administered))
    if repeated:
        raise EstimationError(f"items administered twice: {', '.join(sorted(repeated))}",
                              hint="update each step once, with the ids from next_items")
    out: list[float | None] = []
    for item_id, r in zip(item_ids, responses):
        if r is None or math.isnan(float(r)):
            out.append(None)
        elif 0.0 <= float(r) <= 1.0:
            out.append(float(r))
        else:
            raise EstimationError(f"response {r!r} to {item_id!r} is not in [0, 1]",
                                  hint="1 conforming, 0 opposing, a probability, or None for no usable response")
    return tuple(out)
