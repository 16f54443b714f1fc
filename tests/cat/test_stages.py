"""The swappable stages: selection, stopping, initialization, estimation."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from valuecompass.cat import (
    AnyOf, BankExhausted, BayesEstimator, CATBank, CATState, FixedInitializer, FormatBalance, MaxInfoSelector,
    MaxItems, MinInformation, RandomInitializer, RandomSelector, SETarget, StopContext,
)
from valuecompass.errors import EstimationError
from valuecompass.irt import ItemParams, NormalPrior, estimate_ability


def _bank(bs, a=1.0, formats=None, retired=()):
    params = [ItemParams(item_id=f"i{j}", a=a if np.isscalar(a) else a[j], b=float(bj)) for j, bj in enumerate(bs)]
    return CATBank.from_params(params, formats=formats, retired=retired)


def _state(theta=0.0, administered=(), seed=0):
    return CATState(seed=seed, theta=theta, administered=tuple(administered),
                    responses=tuple(1.0 for _ in administered))


RNG = np.random.default_rng(0)


def test_max_info_picks_the_item_nearest_theta_for_equal_a():
    bank = _bank([-2.0, -0.5, 0.4, 1.5])
    assert MaxInfoSelector().select(bank, _state(0.5), 1, RNG) == ("i2",)
    assert MaxInfoSelector().select(bank, _state(-1.9), 1, RNG) == ("i0",)


def test_max_info_prefers_discriminating_items():
    bank = _bank([0.0, 0.0], a=[0.8, 1.9])
    assert MaxInfoSelector().select(bank, _state(0.0), 1, RNG) == ("i1",)


def test_batch_is_the_top_k_distinct_available_items():
    bank = _bank([-1.0, -0.1, 0.0, 0.1, 3.0, 0.05], retired={"i5"})
    picked = MaxInfoSelector().select(bank, _state(0.0, ["i2"]), 3, RNG)
    assert set(picked) == {"i1", "i3", "i0"}
    assert MaxInfoSelector().select(bank, _state(0.0, ["i0", "i1", "i2", "i3"]), 5, RNG) == ("i4",)


def test_randomesque_draws_only_among_the_top_group():
    bank = _bank(np.linspace(-3, 3, 13))
    counts = Counter(MaxInfoSelector(randomesque=3).select(bank, _state(0.0), 1, np.random.default_rng(s))[0]
                     for s in range(300))
    assert set(counts) == {"i5", "i6", "i7"}          # b = -0.5, 0, 0.5
    assert min(counts.values()) > 60


def test_format_balance_follows_targets():
    formats = {f"i{j}": ("story" if j % 3 == 0 else "question") for j in range(30)}
    bank = _bank(np.zeros(30), formats=formats)
    picked = MaxInfoSelector(balance=FormatBalance()).select(bank, _state(0.0), 10, RNG)
    assert Counter(formats[i] for i in picked) == {"story": 5, "question": 5}
    skewed = MaxInfoSelector(balance=FormatBalance({"story": 0.2, "question": 0.8}))
    assert Counter(formats[i] for i in skewed.select(bank, _state(0.0), 10, RNG)) == {"story": 2, "question": 8}


def test_format_balance_counts_items_already_given():
    formats = {"i0": "x", "i1": "x", "i2": "y", "i3": "y", "i4": "x"}
    bank = _bank([0.0, 0.1, 2.5, 2.6, 0.2], formats=formats)
    picked = MaxInfoSelector(balance=FormatBalance()).select(bank, _state(0.0, ["i0", "i1"]), 2, RNG)
    assert [formats[i] for i in picked] == ["y", "y"]   # less informative, but the format lags behind
    with pytest.raises(EstimationError):
        FormatBalance({"x": -1.0})


def test_random_selector_returns_available_items_only():
    bank = _bank(np.zeros(6), retired={"i5"})
    picked = RandomSelector().select(bank, _state(0.0, ["i0"]), 10, RNG)
    assert sorted(picked) == ["i1", "i2", "i3", "i4"]


def _ctx(n=5, se=0.5, info=0.3, avail=10):
    return StopContext(n_items=n, theta=0.0, se=se, max_information=info, n_available=avail)


def test_stopping_rules():
    assert SETarget(0.3).check(_ctx(se=0.29)) == "se_target"
    assert SETarget(0.3).check(_ctx(se=0.31)) is None
    assert SETarget(0.3, min_items=6).check(_ctx(n=5, se=0.1)) is None
    assert MaxItems(5).check(_ctx(n=5)) == "max_items" and MaxItems(5).budget(_ctx(n=3)) == 2
    assert BankExhausted().check(_ctx(avail=0)) == "bank_exhausted"
    assert MinInformation(0.1).check(_ctx(info=0.05)) == "no_informative_item"
    assert MinInformation(0.1).check(_ctx(info=0.05, avail=0)) is None
    rule = AnyOf([SETarget(0.3), MaxItems(8), MaxItems(6)])
    assert rule.check(_ctx(n=6, se=0.2)) == "se_target"
    assert rule.budget(_ctx(n=4)) == 2
    with pytest.raises(EstimationError):
        MaxItems(0)


def test_initializers():
    assert FixedInitializer(0.4, 0.8).initialize(RNG) == (0.4, 0.8)
    starts = {RandomInitializer(-1, 1).initialize(np.random.default_rng(s)).theta for s in range(20)}
    assert len(starts) == 20 and all(-1 <= t <= 1 for t in starts)
    with pytest.raises(EstimationError):
        RandomInitializer(1, -1)


def test_bayes_estimator_delegates_to_irt():
    a, b, u = np.array([1.0, 1.5]), np.array([0.0, 0.5]), np.array([1.0, 0.0])
    prior = NormalPrior(0.2, 1.3)
    assert BayesEstimator("map", prior).estimate(u, a, b) == estimate_ability(u, a, b, "map", prior)


def test_bank_rejects_duplicates_and_unknown_ids():
    with pytest.raises(EstimationError, match="duplicate"):
        _bank([0.0, 1.0], formats=None).from_params([ItemParams(item_id="x", a=1, b=0)] * 2)
    with pytest.raises(EstimationError, match="not in the bank"):
        _bank([0.0]).index(["nope"])
