"""Computerized adaptive testing (CAT) per (model, dimension), in catsim-style stages.

The stages are small, swappable classes in public modules:
``initialization`` (starting estimate), ``selection`` (maximum information with
randomesque exposure control, format balancing and batches), ``estimation``
(EAP/MAP via ``valuecompass.irt``) and ``stopping`` (SE target, maximum items,
bank exhausted, no informative item). :class:`CATEngine` composes them over an
immutable, JSON-serialisable :class:`CATState`, so a caller can drive many
tests concurrently and resume a killed test mid-way.

Example:
    >>> from valuecompass.irt import ItemParams
    >>> bank = CATBank.from_params([ItemParams(item_id=f"i{j}", a=1.2, b=j / 10 - 2) for j in range(40)])
    >>> engine = CATEngine.from_config(CATConfig(se_target=0.5, batch_size=2))
    >>> state = engine.start(seed=1, test_id="model-x/benevolence")
    >>> while (sel := engine.next_items(state, bank)).stop_reason is None:
    ...     state = engine.update(state, bank, sel.item_ids, [1.0] * len(sel.item_ids))
    >>> CATState.from_json(state.to_json()) == state
    True
"""

from valuecompass.cat._bank import CATBank
from valuecompass.cat._engine import CATConfig, CATEngine, Selection
from valuecompass.cat._simulate import SimulationResult, run_test, simulate
from valuecompass.cat._state import CATState, CATStep, StopReason
from valuecompass.cat.estimation import BayesEstimator, Estimator
from valuecompass.cat.initialization import FixedInitializer, Initializer, RandomInitializer
from valuecompass.cat.selection import FormatBalance, MaxInfoSelector, RandomSelector, Selector
from valuecompass.cat.stopping import (
    AnyOf, BankExhausted, MaxItems, MinInformation, SETarget, StopContext, Stopper,
)

__all__ = [
    "AnyOf", "BankExhausted", "BayesEstimator", "CATBank", "CATConfig", "CATEngine", "CATState", "CATStep",
    "Estimator", "FixedInitializer", "FormatBalance", "Initializer", "MaxInfoSelector", "MaxItems",
    "MinInformation", "RandomInitializer", "RandomSelector", "SETarget", "Selection", "Selector",
    "SimulationResult", "StopContext", "StopReason", "Stopper", "run_test", "simulate",
]
