"""Validity statistics (cross-checked against scipy) and reliability grades."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import pearsonr

from valuecompass.validity import grade_cell
from valuecompass.validity._stats import (
    cohen_kappa,
    correlation,
    newcombe_difference,
    paired_bootstrap,
    separation_auc,
    sign_test,
    spearman_brown,
)


def test_separation_auc() -> None:
    assert separation_auc([0.9, 0.8, 0.7], [0.1, 0.2, 0.3]) == 1.0
    assert separation_auc([0.5, 0.5], [0.5, 0.5]) == 0.5
    assert separation_auc([0.1], [0.9]) == 0.0


def test_newcombe_difference_golden() -> None:
    """Newcombe (1998) Table II, example (a): 56/70 vs 48/80 -> 0.2000 (0.0524, 0.3339)."""
    d = newcombe_difference(56, 70, 48, 80)
    assert d.value == pytest.approx(0.2) and d.low == pytest.approx(0.0524, abs=1e-4)
    assert d.high == pytest.approx(0.3339, abs=1e-4)
    small = newcombe_difference(3, 3, 0, 3)
    assert small.value == 1.0 and 0.0 < small.low < 0.8 and small.high == 1.0  # 3 vs 3 is not certain


def test_paired_bootstrap_and_sign_test() -> None:
    est = paired_bootstrap([1, 1, 1, 1, 0], [0, 0, 0, 1, 0], seed=3)
    assert est.value == pytest.approx(0.6) and est.low <= 0.6 <= est.high
    assert paired_bootstrap([1, 1, 1, 1, 0], [0, 0, 0, 1, 0], seed=3) == est  # seeded
    assert sign_test([1, 1, 1, 1, 1, 1], [0] * 6) == pytest.approx(2 * 0.5 ** 6)
    assert sign_test([1, 0], [1, 0]) == 1.0
    with pytest.raises(ValueError):
        paired_bootstrap([], [])


def test_correlation_spearman_brown_and_kappa() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=20)
    y = x + rng.normal(scale=0.5, size=20)
    r, rho = correlation(x, y)
    assert r == pytest.approx(pearsonr(x, y)[0]) and -1 <= rho <= 1
    assert math.isnan(correlation([1, 1, 1], [1, 2, 3])[0])
    assert spearman_brown(0.6) == pytest.approx(0.75) and spearman_brown(1.0) == 1.0
    assert cohen_kappa(["a", "b", "a", "b"], ["a", "b", "a", "b"]) == 1.0
    assert cohen_kappa(["a", "a", "b", "b"], ["a", "b", "a", "b"]) == pytest.approx(0.0)


@pytest.mark.parametrize("kwargs, letter, needle", [
    ({"n_items": 12, "ci_low": 70, "ci_high": 90, "agreement": 0.95, "known_groups_pass": True}, "A", None),
    ({"n_items": 12, "ci_low": 60, "ci_high": 95, "agreement": 0.95, "known_groups_pass": True}, "B", "35 points"),
    ({"n_items": 3, "ci_low": 44, "ci_high": 100, "agreement": 0.95, "known_groups_pass": True}, "C", "3 items"),
    ({"n_items": 12, "ci_low": 70, "ci_high": 90, "agreement": 0.95, "known_groups_pass": False}, "D", "did not separate"),
    ({"n_items": 12, "ci_low": 70, "ci_high": 90, "agreement": 0.8, "known_groups_pass": True}, "C", "80%"),
    ({"n_items": 12, "ci_low": 70, "ci_high": 90, "agreement": 0.95, "known_groups_pass": True, "self_judged": True},
     "B", "own model"),
    ({"n_items": 12, "ci_low": None, "ci_high": None, "agreement": 0.95, "known_groups_pass": True}, "D", "no interval"),
])
def test_grades_name_every_weakness(kwargs, letter, needle) -> None:
    grade = grade_cell(**kwargs)
    assert grade.letter == letter
    if needle:
        assert needle in grade.explanation
    else:
        assert grade.reasons == ()


def test_known_groups_pass_only_when_the_labels_separate_too() -> None:
    """Probabilities that rank the groups are not enough: the verdicts the score is made of must differ."""
    from valuecompass.items import load_seed_bank
    from valuecompass.store import JudgmentRecord
    from valuecompass.validity import Construction, known_groups_rows

    item = next(i for i in load_seed_bank() if i.dimension == "professional")

    def verdict(label: str, score: float) -> JudgmentRecord:
        return JudgmentRecord(response_key="r", judge_id="j", template_hash="t", dimension="professional",
                              label=label, score=score)

    ranked_only = [(Construction(item, "expressing", text="x"), verdict("unrelated", 0.4)),
                   (Construction(item, "opposing", text="y"), verdict("unrelated", 0.1))]
    row, = known_groups_rows(ranked_only)
    assert row.auc == 1.0 and row.difference == 0 and not row.passes
    separated = [(Construction(item, "expressing", text="x"), verdict("supports", 0.9)),
                 (Construction(item, "opposing", text="y"), verdict("opposes", 0.1))]
    row, = known_groups_rows(separated)
    assert row.passes and row.difference == 100
