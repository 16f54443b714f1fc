"""Seeded simulations with known true abilities: adaptive beats random."""

from __future__ import annotations

import numpy as np
import pytest

from valuecompass.cat import AnyOf, CATBank, CATConfig, CATEngine, MaxItems, RandomSelector, SETarget, simulate
from valuecompass.irt import ItemParams, ParamArrays


def _bank(m: int, seed: int) -> CATBank:
    rng = np.random.default_rng(seed)
    a, b = rng.uniform(0.7, 2.0, m), rng.normal(size=m)
    return CATBank.from_params([ItemParams(item_id=f"q{j}", a=float(a[j]), b=float(b[j])) for j in range(m)])


def _random_test(length: int) -> CATEngine:
    return CATEngine(selector=RandomSelector(), stopper=MaxItems(length))


def test_adaptive_is_shorter_and_better_than_random():
    bank = _bank(150, 0)
    theta = np.random.default_rng(1).normal(size=150)
    adaptive = simulate(CATEngine(stopper=AnyOf([SETarget(0.3), MaxItems(60)])), bank, theta, seed=2)
    assert adaptive.reasons()["se_target"] >= 145      # a few extreme examinees may hit the cap
    assert adaptive.mean_items <= 25 and adaptive.rmse <= 0.35 and abs(adaptive.bias) < 0.08
    assert np.all((adaptive.se <= 0.3) | (adaptive.n_items == 60))
    fixed = simulate(_random_test(round(adaptive.mean_items)), bank, theta, seed=2)
    assert fixed.rmse > 1.2 * adaptive.rmse
    assert np.all((adaptive.exposure >= 0) & (adaptive.exposure <= 1))
    assert adaptive.exposure.sum() == pytest.approx(adaptive.mean_items)


def test_randomesque_lowers_the_maximum_exposure():
    bank, theta = _bank(150, 3), np.random.default_rng(4).normal(size=100)
    plain = simulate(CATEngine.from_config(CATConfig(max_items=15, se_target=0.01)), bank, theta, seed=5)
    spread = simulate(CATEngine.from_config(CATConfig(max_items=15, se_target=0.01, randomesque=5)),
                      bank, theta, seed=5)
    assert plain.exposure.max() == 1.0 and spread.exposure.max() < 0.8
    assert spread.rmse < 1.25 * plain.rmse


def test_batches_need_fewer_steps():
    bank, theta = _bank(150, 6), np.random.default_rng(7).normal(size=80)
    one = simulate(CATEngine.from_config(CATConfig(se_target=0.3, max_items=60)), bank, theta, seed=8)
    four = simulate(CATEngine.from_config(CATConfig(se_target=0.3, max_items=60, batch_size=4)), bank, theta, seed=8)
    assert four.n_steps.mean() < 0.4 * one.n_steps.mean()
    assert four.mean_items < one.mean_items + 4
    assert four.rmse < 1.2 * one.rmse + 0.02


def test_responses_follow_the_true_parameters():
    bank = _bank(100, 9)
    wrong = ParamArrays(bank.a, bank.b + 1.0)    # the bank's b are all 1 logit too low
    res = simulate(CATEngine.from_config(CATConfig(max_items=20, se_target=0.01)), bank, np.zeros(100), seed=1,
                   truth=wrong)
    assert res.bias < -0.5


@pytest.mark.slow
def test_benchmark_targets_on_a_300_item_bank():
    bank = _bank(300, 0)
    theta = np.random.default_rng(1).normal(size=500)
    adaptive = simulate(CATEngine(stopper=AnyOf([SETarget(0.3), MaxItems(100)])), bank, theta, seed=2)
    assert adaptive.mean_items <= 25 and adaptive.rmse <= 0.3
    length = int(np.ceil(2.5 * adaptive.mean_items))
    assert simulate(_random_test(length), bank, theta, seed=2).rmse > adaptive.rmse
