"""Align(m | w) = sum_d w_d s_d with hand-computed values, its SE propagation and intervals."""

from __future__ import annotations

import math

import numpy as np
import pytest

from valuecompass.errors import ValueCompassError
from valuecompass.metric import (
    DimScore,
    align_models,
    bootstrap_alignment,
    build_profile,
    check_score_table,
    weighted_alignment,
)


def test_alignment_and_propagated_se_by_hand():
    scores = {"care": DimScore(80.0, 3.0), "fairness": DimScore(40.0, 4.0), "loyalty": DimScore(10.0, 5.0)}
    weights = {"care": 0.5, "fairness": 0.3, "loyalty": 0.2, "authority": 0.0, "sanctity": 0.0}
    a = weighted_alignment(scores, weights, model="m", profile_id="p")
    # 0.5*80 + 0.3*40 + 0.2*10 = 40 + 12 + 2 = 54
    assert a.value == pytest.approx(54.0)
    # sqrt((0.5*3)^2 + (0.3*4)^2 + (0.2*5)^2) = sqrt(2.25 + 1.44 + 1.0) = sqrt(4.69)
    assert a.se == pytest.approx(math.sqrt(4.69))
    assert a.low == pytest.approx(54.0 - 1.959963984540054 * math.sqrt(4.69))
    assert a.high == pytest.approx(54.0 + 1.959963984540054 * math.sqrt(4.69))
    assert (a.model, a.profile_id, a.missing) == ("m", "p", ())


def test_zero_weight_dimensions_need_no_score_and_interval_is_clipped():
    a = weighted_alignment({"care": (99.0, 2.0)}, {"care": 1.0, "fairness": 0.0}, z=2.0)
    assert (a.value, a.se, a.low, a.high) == (99.0, 2.0, 95.0, 100.0)


def test_missing_weighted_dimension_errors_or_renormalises():
    scores = {"care": (60.0, 2.0), "fairness": (30.0, 2.0)}
    weights = {"care": 0.5, "fairness": 0.25, "loyalty": 0.25}
    with pytest.raises(ValueCompassError, match="model 'x' has no score on loyalty"):
        weighted_alignment(scores, weights, model="x")
    a = weighted_alignment(scores, weights, on_missing="renormalise")
    # weights become 0.5/0.75 and 0.25/0.75: 2/3*60 + 1/3*30 = 50
    assert a.value == pytest.approx(50.0) and a.missing == ("loyalty",)
    assert a.se == pytest.approx(math.sqrt((2 / 3 * 2) ** 2 + (1 / 3 * 2) ** 2))


def test_out_of_range_scores_are_rejected():
    with pytest.raises(ValueCompassError, match="score of model 'model' on 'care' is 120.0, outside 0-100"):
        weighted_alignment({"care": (120.0, 1.0)}, {"care": 1.0})
    with pytest.raises(ValueCompassError, match="standard error of model 'm' on 'care'"):
        check_score_table({"m": {"care": {"score": 50, "se": -1}}})


def test_align_models_ranks_best_first():
    profile = build_profile(id="p", name="p", system="mft", weights={"care": 3, "sanctity": 1})
    table = {"low": {"care": (20.0, 1.0), "sanctity": (80.0, 1.0)},   # 0.75*20 + 0.25*80 = 35
             "high": {"care": (60.0, 1.0), "sanctity": (40.0, 1.0)},  # 0.75*60 + 0.25*40 = 55
             "mid": {"care": (40.0, 1.0), "sanctity": (40.0, 1.0)}}   # 40
    ranked = align_models(table, profile)
    assert [(a.model, round(a.value, 6)) for a in ranked] == [("high", 55.0), ("mid", 40.0), ("low", 35.0)]
    assert all(a.profile_id == "p" for a in ranked)


def test_bootstrap_agrees_with_propagation_and_is_seeded():
    scores = {"care": DimScore(50.0, 4.0), "fairness": DimScore(60.0, 3.0)}
    weights = {"care": 0.5, "fairness": 0.5}
    analytic = weighted_alignment(scores, weights)
    boot = bootstrap_alignment(scores, weights, n_boot=20_000, rng=1)
    assert boot.estimate == pytest.approx(55.0)
    assert boot.se == pytest.approx(analytic.se, rel=0.03)  # sqrt(4 + 2.25) = 2.5
    assert boot.low == pytest.approx(analytic.low, abs=0.15) and boot.high == pytest.approx(analytic.high, abs=0.15)
    again = bootstrap_alignment(scores, weights, n_boot=20_000, rng=np.random.default_rng(1))
    assert (again.low, again.high) == (boot.low, boot.high)


def test_bootstrap_checks_scores_like_the_analytic_interval() -> None:
    weights = {"care": 0.5, "fairness": 0.5}
    with pytest.raises(ValueCompassError, match="on 'care' is 150.0, outside 0-100"):
        bootstrap_alignment({"care": (150.0, 1.0), "fairness": (60.0, 3.0)}, weights)
    with pytest.raises(ValueCompassError, match="standard error of model 'model' on 'care'"):
        bootstrap_alignment({"care": (50.0, -1.0), "fairness": (60.0, 3.0)}, weights)
    bare = bootstrap_alignment({"care": 50.0, "fairness": 60.0}, weights, n_boot=50)  # a bare number: se 0
    assert (bare.estimate, bare.low, bare.high) == (55.0, 55.0, 55.0)
