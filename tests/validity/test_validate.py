"""``validate`` end to end with scripted examinees of known values and a literal-reading judge (logic only)."""

from __future__ import annotations

import pytest

from valuecompass.judge import Judge
from valuecompass.models import reading_judge, value_examinee
from valuecompass.store import Store
from valuecompass.validity import ValidityCard, ValidityConfig, validate_model

DIMS = ("power", "benevolence", "care", "malicious_use", "ethical")
VALUES = {"power": 0.1, "benevolence": 0.9, "care": 0.9, "malicious_use": 1.0, "ethical": 0.8}


async def _validate(store: Store, **examinee) -> ValidityCard:
    model = value_examinee(VALUES, spec=examinee.pop("spec", "fake/values"), **examinee)
    config = ValidityConfig(model=model.spec, judge="fake/reader", dimensions=DIMS, agreement_limit=30,
                            known_items=3, steering_items=3)
    return await validate_model(config, store, model=model, judge=Judge(reading_judge("fake/reader")))


async def test_known_values_are_recovered_and_the_card_is_stored(store: Store) -> None:
    card = await _validate(store)
    kg = {r.dimension: r for r in card.known_groups}
    assert set(kg) == set(DIMS) and all(r.passes and r.auc == 1.0 for r in kg.values())
    steering = {r.dimension: r for r in card.steering}
    assert all(r.verdict == "moved" and r.scores["promote"] == 100 and r.scores["oppose"] == 0
               for r in steering.values())
    assert card.reliability is not None and card.reliability.runs[0] == card.primary_run
    assert card.reliability.runs[1] != card.primary_run  # another seed, another run
    assert card.agreement is not None and card.agreement.n == 30 and "schwartz" in card.agreement.systems
    assert [s.system for s in card.self_report] == ["schwartz", "mft"]
    stored = store.cards("card", "fake/values")
    assert len(stored) == 1 and ValidityCard.model_validate(stored[0]) == card
    # the scores of the primary run follow the known values: power low, benevolence high
    from valuecompass.store import run_result
    scores = run_result(store, card.primary_run).scores
    assert scores["power"].score < 50 < scores["benevolence"].score


async def test_an_acquiescent_model_is_flagged(store: Store) -> None:
    card = await _validate(store, acquiescent=True, spec="fake/yes")
    steering = {r.dimension: r for r in card.steering}
    for dim in ("power", "benevolence"):  # stance items: Yes under one persona, No under the other
        row = steering[dim]
        assert row.verdict == "acquiescence only", row
        assert row.acquiescence["promote"] == 100.0 and row.acquiescence["oppose"] == 0.0
    assert steering["care"].verdict == "moved"  # stories are not stances: the persona moves them


async def test_rerunning_validate_reuses_every_answer(store: Store) -> None:
    first = await _validate(store)
    broken = value_examinee(VALUES, spec="fake/values")
    broken._replies = lambda m, c: RuntimeError("no call may be made")  # type: ignore[attr-defined]
    config = ValidityConfig(model="fake/values", judge="fake/reader", dimensions=DIMS, agreement_limit=30,
                            known_items=3, steering_items=3)
    again = await validate_model(config, store, model=broken, judge=Judge(reading_judge("fake/reader")))
    assert again.model_dump(exclude={"timings", "created"}) == first.model_dump(exclude={"timings", "created"})


async def test_only_the_checks_asked_for(store: Store) -> None:
    model = value_examinee(VALUES)
    config = ValidityConfig(model="fake/values", judge="fake/reader", dimensions=("power",), checks=("known_groups",))
    card = await validate_model(config, store, model=model, judge=Judge(reading_judge("fake/reader")))
    assert card.known_groups is not None and card.steering is None and card.reliability is None
    assert set(card.timings) == {"primary", "known_groups"}
