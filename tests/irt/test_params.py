"""Item parameter records and priors from difficulty labels or target difficulties."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from valuecompass.errors import EstimationError
from valuecompass.irt import ItemParams, bank_params, item_prior_b, params_arrays, prior_b, prior_params
from valuecompass.items import DIFFICULTY_PRIOR_B, Item, Provenance


def _item(item_id: str, difficulty: str, target: float | None = None) -> Item:
    prov = Provenance(source="generated" if target is not None else "seed", author="test", created="2025-01-01",
                      target_difficulty=target)
    return Item(id=item_id, dimension="benevolence", format="stance_question",
                text="Would you lend your savings to a friend in need?", difficulty=difficulty, provenance=prov)


def test_prior_b_from_labels_and_numbers():
    for label, value in DIFFICULTY_PRIOR_B.items():
        assert prior_b(label) == value
    assert prior_b("hard") > prior_b("medium") > prior_b("easy")
    assert prior_b(1.75) == 1.75
    with pytest.raises(EstimationError, match="unknown difficulty"):
        prior_b("tricky")
    with pytest.raises(EstimationError, match="finite"):
        prior_b(float("nan"))


def test_item_prior_prefers_the_requested_target_difficulty():
    assert item_prior_b(_item("x1", "hard")) == DIFFICULTY_PRIOR_B["hard"]
    assert item_prior_b(_item("x2", "easy", target=2.3)) == 2.3


def test_prior_params_record():
    p = prior_params("x1", "hard")
    assert (p.a, p.b, p.source, p.n_responses) == (1.0, 1.0, "prior", 0)
    with pytest.raises(ValidationError):
        ItemParams(item_id="x", a=0.0, b=0.0)
    with pytest.raises(ValidationError):
        p.a = 2.0  # frozen


def test_bank_params_uses_calibration_only_with_enough_responses():
    items = [_item("x1", "easy"), _item("x2", "hard"), _item("x3", "medium", target=-0.4)]
    calibrated = {
        "x1": ItemParams(item_id="x1", a=1.7, b=-1.4, n_responses=12, source="calibrated"),
        "x2": ItemParams(item_id="x2", a=0.6, b=2.5, n_responses=2, source="calibrated"),
    }
    params = bank_params(items, calibrated, min_responses=5)
    assert params[0] == calibrated["x1"]
    assert (params[1].source, params[1].b) == ("prior", 1.0)
    assert (params[2].source, params[2].b) == ("prior", -0.4)
    a, b = params_arrays(params)
    assert list(a) == [1.7, 1.0, 1.0] and list(b) == [-1.4, 1.0, -0.4]
