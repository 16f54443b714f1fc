"""The Spearman (rank-agreement) and cosine views, with hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scipy.stats

from valuecompass.metric import (
    DimScore,
    build_profile,
    cosine,
    cosine_view,
    get_profile,
    similarity_view,
    spearman,
    spearman_view,
)

MFT = ["care", "fairness", "loyalty", "authority", "sanctity"]
SCHWARTZ = ["self_direction", "stimulation", "hedonism", "achievement", "power", "security", "conformity",
            "tradition", "benevolence", "universalism"]


def test_spearman_with_ties_by_hand():
    # ranks (1, 2.5, 2.5, 4) vs (1, 2, 3, 4): centred dot 4.5, norms^2 4.5 and 5 -> 4.5/sqrt(22.5) = sqrt(0.9)
    assert spearman([10, 20, 20, 40], [1, 2, 3, 4]) == pytest.approx(math.sqrt(0.9))
    assert spearman([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert math.isnan(spearman([5, 5, 5], [1, 2, 3]))


def test_spearman_matches_scipy_on_random_tied_vectors():
    rng = np.random.default_rng(7)
    for _ in range(50):
        a, b = rng.integers(0, 5, size=10), rng.integers(0, 5, size=10)
        expected = scipy.stats.spearmanr(a, b).statistic
        got = spearman(a, b)
        assert (math.isnan(got) and math.isnan(expected)) or got == pytest.approx(expected, abs=1e-12)


def test_cosine_by_hand():
    assert cosine([3, 4], [1, 0]) == pytest.approx(0.6)
    assert cosine([1, 2, 2], [2, 4, 4]) == pytest.approx(1.0)
    assert math.isnan(cosine([0, 0], [1, 1]))


def test_spearman_view_against_the_self_transcendence_preset_by_hand():
    profile = get_profile("uniform-self_transcendence")
    # benevolence and universalism are the model's two highest scores (ranks 9, 10), the rest ranks 1..8.
    scores = {d: DimScore(float(10 + 5 * i), 1.0) for i, d in enumerate(SCHWARTZ)}
    view = spearman_view(scores, profile, model="m")
    # indicator ranks: 4.5 (x8), 9.5 (x2); dot of centred ranks = 8 + 32 = 40; norms^2 82.5 and 40
    assert view.value == pytest.approx(math.sqrt(40 / 82.5))
    assert (view.method, view.n_dims, view.note) == ("spearman", 10, "")


def test_views_use_priorities_for_spearman_and_weights_for_cosine():
    profile = build_profile(id="p", name="p", system="mft", weights={"care": 1.0},
                            priorities={d: float(i) for i, d in enumerate(MFT)})
    scores = {"care": (30.0, 0.0), "fairness": (40.0, 0.0), "loyalty": (50.0, 0.0), "authority": (60.0, 0.0),
              "sanctity": (70.0, 0.0)}
    assert spearman_view(scores, profile).value == pytest.approx(1.0)
    # cosine of (30, 40, 50, 60, 70) with (1, 0, 0, 0, 0) = 30 / sqrt(13500)
    assert cosine_view(scores, profile).value == pytest.approx(30 / math.sqrt(13500))


def test_undefined_views_say_why():
    flat = get_profile("uniform-mft")
    scores = {d: (50.0 + i, 1.0) for i, d in enumerate(MFT)}
    view = spearman_view(scores, flat)
    assert math.isnan(view.value) and "constant" in view.note
    few = spearman_view({"care": (50.0, 1.0), "fairness": (60.0, 1.0)}, get_profile("mft-us"))
    assert math.isnan(few.value) and "fewer than 3" in few.note and "no score on loyalty" in few.note


def test_bootstrap_interval_of_a_view_is_seeded_and_brackets_the_value():
    profile = get_profile("schwartz-se")
    scores = {d: DimScore(float(20 + 6 * i), 4.0) for i, d in enumerate(SCHWARTZ)}
    one = similarity_view(scores, profile, "spearman", n_boot=400, rng=3)
    two = similarity_view(scores, profile, "spearman", n_boot=400, rng=3)
    assert (one.low, one.high) == (two.low, two.high)
    assert one.low <= one.value <= one.high and one.high - one.low > 0
    assert math.isnan(spearman_view(scores, profile).low)  # no bootstrap, no interval
