"""Simulated adaptive tests with known true abilities, for benchmarks and tests."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from valuecompass.cat._bank import CATBank
from valuecompass.cat._engine import CATEngine
from valuecompass.cat._state import CATState
from valuecompass.irt import ParamArrays, p_2pl


@dataclass(frozen=True)
class SimulationResult:
    """Outcome of simulated tests, one entry per simulated examinee.

    Attributes:
        true_theta: True abilities, shape ``(n,)``.
        theta: Final estimates, shape ``(n,)``.
        se: Final standard errors, shape ``(n,)``.
        n_items: Items administered per examinee, shape ``(n,)``.
        n_steps: Steps (parallel bursts) per examinee, shape ``(n,)``.
        stop_reasons: Why each test stopped.
        exposure: Share of examinees who saw each bank item, shape ``(m,)``.
    """

    true_theta: NDArray[np.float64]
    theta: NDArray[np.float64]
    se: NDArray[np.float64]
    n_items: NDArray[np.int_]
    n_steps: NDArray[np.int_]
    stop_reasons: tuple[str, ...]
    exposure: NDArray[np.float64]

    @property
    def rmse(self) -> float:
        """Root mean squared error of the estimates."""
        return float(np.sqrt(np.mean((self.theta - self.true_theta) ** 2)))

    @property
    def bias(self) -> float:
        """Mean error of the estimates."""
        return float(np.mean(self.theta - self.true_theta))

    @property
    def mean_items(self) -> float:
        """Mean test length."""
        return float(np.mean(self.n_items))

    def reasons(self) -> dict[str, int]:
        """How many tests stopped for each reason."""
        return dict(Counter(self.stop_reasons))


def run_test(engine: CATEngine, bank: CATBank, true_theta: float, truth: ParamArrays,
             rng: np.random.Generator, seed: int) -> CATState:
    """Run one simulated test to its end, drawing responses from the true 2PL.

    Args:
        engine: The engine to run.
        bank: The bank the engine selects from (its parameters may be estimates).
        true_theta: The examinee's true ability.
        truth: True ``a`` and ``b`` of the bank items, in bank order.
        rng: Generator for the simulated responses.
        seed: Seed of the test (selection randomness).

    Returns:
        The final state, with ``stop_reason`` set.
    """
    state = engine.start(seed=seed)
    while True:
        sel = engine.next_items(state, bank)
        if sel.stop_reason is not None:
            return state.finish(sel.stop_reason)
        idx = bank.index(sel.item_ids)
        p = p_2pl(true_theta, truth.a[idx], truth.b[idx])
        state = engine.update(state, bank, sel.item_ids, (rng.random(p.shape) < p).astype(float).tolist())


def simulate(
    engine: CATEngine,
    bank: CATBank,
    true_theta: ArrayLike,
    seed: int,
    truth: ParamArrays | None = None,
) -> SimulationResult:
    """Run one simulated adaptive test per true ability.

    Args:
        engine: The engine to evaluate.
        bank: The item bank.
        true_theta: True abilities of the simulated examinees, shape ``(n,)``.
        seed: Master seed; examinee ``i`` uses seeds derived from ``(seed, i)``.
        truth: True item parameters when they differ from the bank's (e.g. to
            study calibration error); default: the bank's own.

    Returns:
        Estimates, test lengths, stop reasons and item exposure.
    """
    thetas = np.asarray(true_theta, dtype=float).reshape(-1)
    truth = truth or ParamArrays(bank.a, bank.b)
    states = [run_test(engine, bank, float(t), truth, np.random.default_rng([seed, i, 1]), seed * 1_000_003 + i)
              for i, t in enumerate(thetas)]
    seen = Counter(item for s in states for item in s.administered)
    return SimulationResult(
        true_theta=thetas,
        theta=np.array([s.theta for s in states]),
        se=np.array([s.se for s in states]),
        n_items=np.array([s.n_items for s in states]),
        n_steps=np.array([s.step for s in states]),
        stop_reasons=tuple(str(s.stop_reason) for s in states),
        exposure=np.array([seen[i] for i in bank.item_ids], dtype=float) / max(len(states), 1),
    )
