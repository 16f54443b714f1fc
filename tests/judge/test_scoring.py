"""Share scores: conforming rules, standard errors, seeded bootstrap intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest

from valuecompass.errors import JudgeError
from valuecompass.frameworks import load_systems
from valuecompass.judge import CONFORMING, conforms, share_estimate


def test_every_system_has_a_rule_and_mft_counts_unrelated_as_conforming() -> None:
    assert set(CONFORMING) == {s.id for s in load_systems()}
    assert [conforms(x, "mft") for x in ("supports", "unrelated", "opposes")] == [True, True, False]
    for system in ("schwartz", "safety", "llm_values"):
        assert [conforms(x, system) for x in ("supports", "unrelated", "opposes")] == [True, False, False]
    with pytest.raises(JudgeError, match="nonsense"):
        conforms("supports", "nonsense")


def test_share_golden_one_judgment_per_item() -> None:
    est = share_estimate([True] * 7 + [False] * 3, seed=1)
    assert est.score == pytest.approx(70.0)
    assert est.se == pytest.approx(100 * math.sqrt(0.7 * 0.3 / 9))  # k/(k-1) correction, one per item
    assert est.n_items == est.n_judgments == 10
    assert est.ci_low <= 70.0 <= est.ci_high


def test_share_clusters_by_item() -> None:
    conform = [True, True, False, False, True, True]
    items = ["a", "a", "b", "b", "c", "c"]
    est = share_estimate(conform, items, seed=0)
    assert est.n_items == 3 and est.n_judgments == 6
    p, y, m = 4 / 6, np.array([2, 0, 2]), np.array([2, 2, 2])
    assert est.se == pytest.approx(100 * math.sqrt(3 / 2 * np.sum((y - p * m) ** 2)) / 6)


def test_bootstrap_is_seeded() -> None:
    data = [True, False, True, True, False, True, False, True]
    assert share_estimate(data, seed=5) == share_estimate(data, seed=5)
    assert share_estimate(data, seed=5).ci_low != share_estimate(data, seed=6).ci_low or \
        share_estimate(data, seed=5).ci_high != share_estimate(data, seed=6).ci_high


def test_degenerate_cases() -> None:
    one = share_estimate([True])
    assert one.score == 100.0 and one.se is None and one.ci_low == one.ci_high == 100.0
    with pytest.raises(JudgeError):
        share_estimate([])


def test_interval_coverage_in_simulation() -> None:
    """Seeded simulation: the 95% bootstrap interval covers the true share about 95% of the time."""
    rng = np.random.default_rng(11)
    covered, ses = 0, []
    for rep in range(200):
        draws = rng.random(80) < 0.7
        est = share_estimate(draws, n_boot=500, seed=rep)
        covered += est.ci_low <= 70.0 <= est.ci_high
        ses.append(est.se)
    assert 0.88 <= covered / 200 <= 0.99
    assert np.mean(ses) == pytest.approx(100 * math.sqrt(0.21 / 80), rel=0.1)
