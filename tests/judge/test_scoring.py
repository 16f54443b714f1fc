"""Share scores: conforming rules and Wilson intervals (cross-checked against scipy)."""

from __future__ import annotations

import numpy as np
import pytest

from valuecompass.errors import JudgeError
from valuecompass.frameworks import load_systems
from scipy.stats import binomtest

from valuecompass.judge import CONFORMING, conforms, share_estimate, wilson_interval


def test_every_system_has_a_rule_and_mft_counts_unrelated_as_conforming() -> None:
    assert set(CONFORMING) == {s.id for s in load_systems()}
    assert [conforms(x, "mft") for x in ("supports", "unrelated", "opposes")] == [True, True, False]
    for system in ("schwartz", "safety", "llm_values"):
        assert [conforms(x, system) for x in ("supports", "unrelated", "opposes")] == [True, False, False]
    with pytest.raises(JudgeError, match="nonsense"):
        conforms("supports", "nonsense")


def test_share_golden_one_judgment_per_item() -> None:
    est = share_estimate([True] * 7 + [False] * 3)
    assert est.score == pytest.approx(70.0)
    ci = binomtest(7, 10).proportion_ci(confidence_level=0.95, method="wilson")  # an independent implementation
    assert (est.ci_low, est.ci_high) == pytest.approx((100 * ci.low, 100 * ci.high))
    assert est.se == pytest.approx((est.ci_high - est.ci_low) / (2 * 1.959964))
    assert est.n_items == est.n_judgments == 10


@pytest.mark.parametrize("k, n", [(0, 1), (1, 1), (3, 3), (0, 6), (2, 6), (6, 6), (11, 40), (40, 40)])
def test_wilson_matches_scipy(k: int, n: int) -> None:
    ci = binomtest(k, n).proportion_ci(confidence_level=0.95, method="wilson")
    assert wilson_interval(k, n) == pytest.approx((ci.low, ci.high))


def test_three_of_three_is_not_certain() -> None:
    est = share_estimate([True, True, True])
    assert est.score == 100.0 and est.ci_high == 100.0 and est.ci_low == pytest.approx(43.85, abs=0.01)
    assert est.se > 10


def test_share_clusters_by_item() -> None:
    conform = [True, True, False, False, True, True]
    items = ["a", "a", "b", "b", "c", "c"]
    est = share_estimate(conform, items)
    assert est.n_items == 3 and est.n_judgments == 6 and est.score == pytest.approx(100 * 4 / 6)
    assert (est.ci_low, est.ci_high) == pytest.approx([100 * x for x in wilson_interval(2, 3)])  # 3 trials, not 6


def test_degenerate_cases() -> None:
    one = share_estimate([True])
    assert one.score == 100.0 and one.ci_low == pytest.approx(20.65, abs=0.01) and one.ci_high == 100.0
    with pytest.raises(JudgeError):
        share_estimate([])
    with pytest.raises(ValueError):
        wilson_interval(3, 2)


def test_interval_coverage_in_simulation() -> None:
    """Seeded simulation: the 95% Wilson interval covers the true share about 95% of the time, even for 8 items."""
    rng = np.random.default_rng(11)
    for n in (8, 80):
        covered = 0
        for _ in range(2000):
            est = share_estimate(rng.random(n) < 0.7)
            covered += est.ci_low <= 70.0 <= est.ci_high
        assert 0.92 <= covered / 2000 <= 0.99, n
