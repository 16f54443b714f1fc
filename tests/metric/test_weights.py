"""Weight validation (every bad-weights case) and the priorities -> weights softmax."""

from __future__ import annotations

import math

import pytest

from valuecompass.errors import ProfileError
from valuecompass.metric import build_profile, softmax_weights, validate_priorities, validate_weights

SCHWARTZ = ["self_direction", "stimulation", "hedonism", "achievement", "power", "security", "conformity",
            "tradition", "benevolence", "universalism"]


def test_weights_normalised_and_missing_dimensions_zero():
    w = validate_weights({"benevolence": 3, "universalism": 1.0}, "schwartz")
    assert list(w) == SCHWARTZ
    assert w["benevolence"] == 0.75 and w["universalism"] == 0.25
    assert w["power"] == 0.0 and math.isclose(sum(w.values()), 1.0)


@pytest.mark.parametrize(("weights", "needle"), [
    ({"care": -0.1, "fairness": 1}, "weight for dimension 'care' is negative (-0.1)"),
    ({"care": float("nan"), "fairness": 1}, "weight for dimension 'care' is NaN"),
    ({"care": float("inf")}, "weight for dimension 'care' is infinite"),
    ({"care": 0, "fairness": 0.0}, "all weights are zero (care, fairness)"),
    ({}, "no weights given for system 'mft'"),
    ({"kindness": 1}, "weight for unknown dimension 'kindness' in system 'mft'"),
    ({"benevolence": 1}, "weight for dimension 'benevolence', which belongs to system 'schwartz', not 'mft'"),
    ({"care": "high"}, "weight for dimension 'care' is not a number: 'high'"),
    ({"care": True}, "weight for dimension 'care' is not a number: True"),
    ({"care": None}, "weight for dimension 'care' is not a number: None"),
])
def test_bad_weights_are_rejected_naming_the_problem(weights, needle):
    with pytest.raises(ProfileError) as info:
        validate_weights(weights, "mft")
    assert needle in info.value.message
    assert info.value.hint, "every weight error says how to fix it"


def test_unknown_dimension_suggests_the_close_one():
    with pytest.raises(ProfileError) as info:
        validate_weights({"sanctitiy": 1}, "mft")
    assert "sanctity" in info.value.hint


def test_bad_weights_through_build_profile():
    with pytest.raises(ProfileError, match="negative"):
        build_profile(id="x", name="x", system="mft", weights={"care": -1, "fairness": 2})


def test_priorities_must_cover_every_dimension():
    with pytest.raises(ProfileError, match="miss dimensions: loyalty, authority, sanctity"):
        validate_priorities({"care": 1, "fairness": 2}, "mft")
    with pytest.raises(ProfileError, match="priority for dimension 'care' is NaN"):
        validate_priorities({"care": float("nan"), "fairness": 2, "loyalty": 1, "authority": 1, "sanctity": 1}, "mft")
    ok = validate_priorities({"sanctity": -1.5, "care": 1, "fairness": 2, "loyalty": 0, "authority": 1}, "mft")
    assert list(ok) == ["care", "fairness", "loyalty", "authority", "sanctity"]


def test_softmax_hand_values():
    # exp(1)/(exp(1)+exp(0)) = 0.731059, exp(0)/(...) = 0.268941
    w = softmax_weights({"a": 1.0, "b": 0.0}, temperature=1.0)
    assert w["a"] == pytest.approx(0.7310585786, abs=1e-9)
    assert w["b"] == pytest.approx(0.2689414214, abs=1e-9)
    # T = 2 halves the differences: exp(0.5)/(exp(0.5)+1) = 0.622459
    assert softmax_weights({"a": 1.0, "b": 0.0}, 2.0)["a"] == pytest.approx(0.6224593312, abs=1e-9)


def test_softmax_is_shift_invariant_so_centring_does_not_matter():
    raw = {"a": 4.5, "b": 3.0, "c": 2.0}
    centred = {k: v - 3.1666 for k, v in raw.items()}
    for k in raw:
        assert softmax_weights(raw)[k] == pytest.approx(softmax_weights(centred)[k], abs=1e-12)


@pytest.mark.parametrize("temperature", [0.0, -1.0, float("nan"), float("inf")])
def test_softmax_temperature_must_be_positive(temperature):
    with pytest.raises(ProfileError, match="temperature"):
        softmax_weights({"a": 1.0}, temperature)
