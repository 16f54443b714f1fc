"""The engine: a whole test, batches, resume from JSON, signals and errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from valuecompass.cat import (
    AnyOf, CATBank, CATConfig, CATEngine, CATState, MaxItems, RandomInitializer, SETarget, run_test,
)
from valuecompass.errors import EstimationError
from valuecompass.irt import ItemParams, ParamArrays, estimate_ability


def _bank(m=120, seed=0, formats=None):
    rng = np.random.default_rng(seed)
    params = [ItemParams(item_id=f"q{j:03d}", a=float(rng.uniform(0.7, 2.0)), b=float(rng.normal()))
              for j in range(m)]
    return CATBank.from_params(params, formats=formats)


def _respond(bank, ids, theta, rng):
    idx = bank.index(ids)
    p = 1 / (1 + np.exp(-bank.a[idx] * (theta - bank.b[idx])))
    return (rng.random(len(ids)) < p).astype(float).tolist()


def test_a_test_runs_to_the_se_target_and_the_state_records_it():
    bank, engine = _bank(), CATEngine.from_config(CATConfig(se_target=0.35, max_items=40))
    state = run_test(engine, bank, 0.8, ParamArrays(bank.a, bank.b), np.random.default_rng(1), seed=3)
    assert state.stop_reason == "se_target" and state.se <= 0.35
    assert state.step == state.n_items == len(state.history)
    idx = bank.index(state.administered)
    again = estimate_ability(np.array(state.responses, dtype=float), bank.a[idx], bank.b[idx])
    assert (state.theta, state.se) == pytest.approx(again)
    assert [s.step for s in state.history] == list(range(1, state.step + 1))


def test_batches_fill_steps_and_respect_the_item_budget():
    bank = _bank()
    engine = CATEngine(stopper=AnyOf([SETarget(0.01), MaxItems(10)]), batch_size=4)
    state = engine.start(seed=1)
    sizes = []
    while (sel := engine.next_items(state, bank)).stop_reason is None:
        sizes.append(len(sel.item_ids))
        state = engine.update(state, bank, sel.item_ids, [1.0] * len(sel.item_ids))
    assert sizes == [4, 4, 2] and sel.stop_reason == "max_items" and sel.item_ids == ()


def test_resume_from_json_continues_exactly():
    bank = _bank(seed=2)
    engine = CATEngine.from_config(CATConfig(se_target=0.3, max_items=25, randomesque=4, batch_size=2))
    truth = ParamArrays(bank.a, bank.b)
    whole = run_test(engine, bank, -0.4, truth, np.random.default_rng(9), seed=42)
    # the same test, killed after 3 steps and restored from its JSON
    rng, state = np.random.default_rng(9), engine.start(seed=42)
    for _ in range(3):
        sel = engine.next_items(state, bank)
        state = engine.update(state, bank, sel.item_ids, _respond(bank, sel.item_ids, -0.4, rng))
    state = CATState.from_json(state.to_json())
    while (sel := engine.next_items(state, bank)).stop_reason is None:
        state = engine.update(state, bank, sel.item_ids, _respond(bank, sel.item_ids, -0.4, rng))
    assert state.finish(sel.stop_reason) == whole


def test_selection_depends_on_the_seed_and_is_repeatable():
    bank = _bank(seed=3)
    engine = CATEngine.from_config(CATConfig(randomesque=5))
    first = engine.next_items(engine.start(seed=1), bank).item_ids
    assert engine.next_items(engine.start(seed=1), bank).item_ids == first
    assert len({engine.next_items(engine.start(seed=s), bank).item_ids for s in range(20)}) > 1


def test_no_usable_response_counts_as_given_but_not_as_evidence():
    bank, engine = _bank(), CATEngine()
    state = engine.start(seed=0)
    sel = engine.next_items(state, bank)
    state = engine.update(state, bank, sel.item_ids, [None])
    assert state.n_items == 1 and state.responses == (None,)
    assert state.theta == pytest.approx(0.0, abs=1e-9)
    assert sel.item_ids[0] not in engine.next_items(state, bank).item_ids
    state = engine.update(state, bank, engine.next_items(state, bank).item_ids, [float("nan")])
    assert state.responses == (None, None)


def test_needs_items_signal_and_low_information_stop():
    far = CATBank.from_params([ItemParams(item_id=f"h{j}", a=1.0, b=4.0 + j) for j in range(5)])
    sel = CATEngine().next_items(CATEngine().start(seed=0), far)
    assert sel.needs_items and sel.target_b == 0.0 and sel.max_information < 0.05 and sel.stop_reason is None
    engine = CATEngine.from_config(CATConfig(stop_on_low_information=True))
    assert engine.next_items(engine.start(seed=0), far).stop_reason == "no_informative_item"
    assert not CATEngine().next_items(CATEngine().start(seed=0), _bank()).needs_items


def test_exhausted_bank_stops():
    bank = _bank(m=3)
    engine = CATEngine(stopper=MaxItems(10), batch_size=5)
    state = engine.start(seed=0)
    sel = engine.next_items(state, bank)
    assert len(sel.item_ids) == 3
    state = engine.update(state, bank, sel.item_ids, [1.0, 0.0, 1.0])
    assert engine.next_items(state, bank).stop_reason == "bank_exhausted"


def test_finished_state_stays_finished():
    engine, bank = CATEngine(), _bank()
    state = engine.start(seed=0).finish("max_items")
    assert engine.next_items(state, bank).stop_reason == "max_items" and state.finished


def test_random_initializer_is_seeded_per_test():
    engine = CATEngine(initializer=RandomInitializer(-1, 1))
    assert engine.start(seed=5).theta == engine.start(seed=5).theta != engine.start(seed=6).theta


def test_update_rejects_bad_steps():
    bank, engine = _bank(), CATEngine()
    state = engine.update(engine.start(seed=0), bank, ["q000"], [1.0])
    with pytest.raises(EstimationError, match="twice"):
        engine.update(state, bank, ["q000"], [1.0])
    with pytest.raises(EstimationError, match="twice"):
        engine.update(state, bank, ["q001", "q001"], [1.0, 0.0])
    with pytest.raises(EstimationError, match="not in the bank"):
        engine.update(state, bank, ["zzz"], [1.0])
    with pytest.raises(EstimationError, match="responses"):
        engine.update(state, bank, ["q001"], [1.0, 0.0])
    with pytest.raises(EstimationError, match=r"\[0, 1\]"):
        engine.update(state, bank, ["q001"], [1.5])


def test_state_json_round_trip_and_validation():
    bank, engine = _bank(), CATEngine()
    state = engine.update(engine.start(seed=0, test_id="m/benevolence"), bank, ["q000", "q001"], [1.0, None])
    text = state.to_json()
    assert CATState.from_json(text) == state and '"test_id":"m/benevolence"' in text
    with pytest.raises(EstimationError, match="not a valid saved"):
        CATState.from_json('{"seed": 1, "administered": ["a"], "responses": []}')
    with pytest.raises(EstimationError):
        CATState.from_json("not json")
    assert math.isfinite(CATState.from_json(text).theta)


def test_rescore_uses_new_parameters_and_keeps_history():
    bank, engine = _bank(), CATEngine.from_config(CATConfig(max_items=8))
    assert engine.config is not None and engine.config.max_items == 8
    state = run_test(engine, bank, 0.5, ParamArrays(bank.a, bank.b), np.random.default_rng(0), seed=1)
    harder = CATBank.from_params([ItemParams(item_id=i, a=float(a), b=float(b) + 1.0)
                                  for i, a, b in zip(bank.item_ids, bank.a, bank.b)])
    again = engine.rescore(state, harder)
    assert again.theta == pytest.approx(state.theta + 1.0, abs=0.35) and again.theta > state.theta + 0.5
    assert again.history == state.history and engine.rescore(state, bank).theta == pytest.approx(state.theta)
