"""Selection stage: which items to give next.

Each selector is a small class with one method, ``select(bank, state, k, rng)``,
that returns up to ``k`` item ids for one parallel step.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Mapping

import numpy as np
from numpy.typing import NDArray

from valuecompass.cat._bank import CATBank
from valuecompass.cat._state import CATState
from valuecompass.errors import EstimationError
from valuecompass.irt import item_information


class Selector(ABC):
    """Chooses the next items of a test."""

    @abstractmethod
    def select(self, bank: CATBank, state: CATState, k: int, rng: np.random.Generator) -> tuple[str, ...]:
        """Return up to ``k`` ids of available items (fewer only if fewer are left).

        Args:
            bank: The item bank.
            state: The test so far (``theta`` is the current estimate).
            k: Number of items for this step.
            rng: Random generator of this step.
        """


class FormatBalance:
    """Keeps the shares of item formats (or other labels) near targets (Kingsbury-Zara).

    Each slot goes to the format furthest below its target share; ties go to the
    format with the most informative available item.

    Args:
        targets: Target share per format (normalised over the formats still
            available); ``None`` means equal shares.
    """

    def __init__(self, targets: Mapping[str, float] | None = None) -> None:
        if targets is not None and (not targets or min(targets.values()) < 0 or sum(targets.values()) <= 0):
            raise EstimationError(f"format targets must be non-negative with a positive sum, got {dict(targets)}",
                                  hint="e.g. {'stance_question': 0.5, 'story_opening': 0.5}")
        self.targets = dict(targets) if targets is not None else None

    def choose(self, counts: Counter[str], formats: NDArray[np.str_], info: NDArray[np.float64],
               pool: NDArray[np.bool_]) -> str:
        """Format for the next slot, given the counts so far and the available pool."""
        present = sorted(set(formats[pool].tolist()))
        if self.targets is None:
            weights = dict.fromkeys(present, 1.0)
        else:
            weights = {f: self.targets.get(f, 0.0) for f in present}
            if sum(weights.values()) <= 0:
                weights = dict.fromkeys(present, 1.0)
        total_w = sum(weights.values())
        total_n = sum(counts[f] for f in present) + 1
        deficit = {f: weights[f] / total_w * total_n - counts[f] for f in present}
        best = max(deficit.values())
        tied = [f for f in present if deficit[f] >= best - 1e-9]
        return max(tied, key=lambda f: float(info[pool & (formats == f)].max()))


class MaxInfoSelector(Selector):
    """Maximum Fisher information at the current estimate, with exposure control.

    Randomesque exposure control: each slot is filled by a uniform draw among
    the ``randomesque`` most informative available items (1 = pure maximum
    information). A batch of ``k`` fills ``k`` slots in turn at the same
    estimate, so one step is one parallel burst.

    Args:
        randomesque: Size of the top group each item is drawn from.
        balance: Optional format balancing.
    """

    def __init__(self, randomesque: int = 1, balance: FormatBalance | None = None) -> None:
        if randomesque < 1:
            raise EstimationError(f"randomesque must be at least 1, got {randomesque}", hint="e.g. 5")
        self.randomesque, self.balance = randomesque, balance

    def select(self, bank: CATBank, state: CATState, k: int, rng: np.random.Generator) -> tuple[str, ...]:
        """Pick up to ``k`` informative items for the current ``state.theta``."""
        pool = bank.available(state.administered)
        info = item_information(state.theta, bank.a, bank.b)
        formats = np.array(bank.formats, dtype=str)
        counts = Counter(bank.formats[i] for i in bank.index(state.administered))
        chosen: list[int] = []
        while len(chosen) < k and pool.any():
            candidates = pool
            if self.balance is not None:
                fmt = self.balance.choose(counts, formats, info, pool)
                candidates = pool & (formats == fmt)
            idx = rng.permutation(np.flatnonzero(candidates))  # ties (equal priors) broken at random, not by bank order
            top = idx[np.argsort(-info[idx], kind="stable")[: self.randomesque]]
            pick = int(top[rng.integers(top.size)]) if top.size > 1 else int(top[0])
            chosen.append(pick)
            pool[pick] = False
            counts[bank.formats[pick]] += 1
        return tuple(bank.item_ids[i] for i in chosen)


class RandomSelector(Selector):
    """Uniformly random items: the non-adaptive baseline (a random fixed-length test)."""

    def select(self, bank: CATBank, state: CATState, k: int, rng: np.random.Generator) -> tuple[str, ...]:
        """Pick up to ``k`` available items at random."""
        idx = np.flatnonzero(bank.available(state.administered))
        picks = rng.choice(idx, size=min(k, idx.size), replace=False) if idx.size else idx
        return tuple(bank.item_ids[int(i)] for i in picks)
