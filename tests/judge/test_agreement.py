"""Agreement metrics: golden values and a cross-check of AUC against SciPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import mannwhitneyu

from valuecompass.judge import confusion, f1, macro_f1, mean_auc, micro_f1, precision, recall, roc_auc, value_agreement


def test_confusion_and_ratios_golden() -> None:
    truth = [1, 1, 1, 0, 0, 0, 0, 1]
    pred = [1, 1, 0, 1, 0, 0, 0, 0]
    c = confusion(np.array(truth, bool), np.array(pred, bool))
    assert (c.tp, c.fp, c.fn, c.tn, c.n) == (2, 1, 2, 3, 8)
    assert precision(c) == pytest.approx(2 / 3)
    assert recall(c) == pytest.approx(0.5)
    assert f1(c) == pytest.approx(2 * 2 / (2 * 2 + 1 + 2))


def test_undefined_ratios_are_nan() -> None:
    c = confusion([False, False], [False, False])
    assert math.isnan(precision(c)) and math.isnan(recall(c)) and math.isnan(f1(c))
    c = confusion([True, False], [False, False])
    assert f1(c) == 0.0


def test_auc_golden_with_ties() -> None:
    assert roc_auc([1, 1, 0, 0], [0.9, 0.8, 0.2, 0.1]) == 1.0
    assert roc_auc([1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]) == 0.0
    assert roc_auc([1, 0], [0.5, 0.5]) == 0.5
    assert roc_auc([1, 1, 0], [0.7, 0.5, 0.5]) == pytest.approx(0.75)
    assert math.isnan(roc_auc([1, 1], [0.2, 0.3]))


def test_auc_matches_scipy_mann_whitney() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = int(rng.integers(5, 60))
        truth = rng.random(n) < 0.4
        if truth.all() or not truth.any():
            continue
        scores = np.round(rng.random(n) + truth * 0.3, 1)  # rounding makes ties
        u = mannwhitneyu(scores[truth], scores[~truth]).statistic
        assert roc_auc(truth, scores) == pytest.approx(u / (truth.sum() * (~truth).sum()))


def test_macro_and_micro_f1() -> None:
    a = value_agreement("a", [1, 1, 0, 0], [1, 0, 0, 0], [0.9, 0.4, 0.3, 0.1])
    b = value_agreement("b", [1, 0, 0, 0], [1, 1, 1, 0])
    empty = value_agreement("c", [0, 0], [0, 0])  # F1 undefined: left out of the mean
    assert a.f1 == pytest.approx(2 / 3) and b.f1 == pytest.approx(0.5)
    assert macro_f1([a, b, empty]) == pytest.approx((2 / 3 + 0.5) / 2)
    assert micro_f1([a, b, empty]) == pytest.approx(2 * 2 / (2 * 2 + 2 + 1))
    assert a.auc == 1.0 and b.auc is None
    assert mean_auc([a, b, empty]) == 1.0
    assert mean_auc([b]) is None
