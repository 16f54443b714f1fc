"""Computerized adaptive testing (CAT) per (model, dimension), in catsim-style stages.

The stages are small, swappable classes in public modules:
``initialization`` (starting estimate), ``selection`` (maximum information with
randomesque exposure control, format balancing and batches), ``estimation``
(EAP/MAP via ``valuecompass.irt``) and ``stopping`` (SE target, maximum items,
bank exhausted, no informative item). :class:`CATEngine` composes them over an
immutable, JSON-serialisable :class:`CATState`, so a caller can drive many
tests concurrently and resume a killed test mid-way.

Example:
    >>> from valuecompass.cat import CATBank, CATConfig, CATEngine, CATState
    >>> from valuecompass.irt import ItemParams
    >>> bank = CATBank.from_params([ItemParams(item_id=f"i{j}", a=1.2, b=j / 10 - 2) for j in range(40)])
    >>> engine = CATEngine.from_config(CATConfig(se_target=0.5, batch_size=2))
    >>> state = engine.start(seed=1, test_id="model-x/benevolence")
    >>> while (sel := engine.next_items(state, bank)).stop_reason is None:
    ...     state = engine.update(state, bank, sel.item_ids, [1.0] * len(sel.item_ids))
    >>> CATState.from_json(state.to_json()) == state
    True

Names are imported on first use (see :mod:`valuecompass._lazy`): ``CATConfig`` needs neither numpy nor scipy.
"""

from valuecompass._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "_bank": ["CATBank"],
    "_config": ["CATConfig"],
    "_engine": ["CATEngine", "Selection"],
    "_simulate": ["SimulationResult", "run_test", "simulate"],
    "_state": ["CATState", "CATStep", "StopReason"],
    "estimation": ["BayesEstimator", "Estimator"],
    "initialization": ["FixedInitializer", "Initializer", "RandomInitializer"],
    "selection": ["FormatBalance", "MaxInfoSelector", "RandomSelector", "Selector"],
    "stopping": ["AnyOf", "BankExhausted", "MaxItems", "MinInformation", "SETarget", "StopContext", "Stopper"],
})
