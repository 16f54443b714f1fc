"""Choosing fixed-form items and planning a run (pure, deterministic)."""

from __future__ import annotations

import pydantic
import pytest

from valuecompass.errors import UnknownFrameworkError
from valuecompass.items import load_seed_bank
from valuecompass.models import GenerateConfig
from valuecompass.pipeline import FixedFormConfig, plan_fixed_form, select_fixed_form

BANK = load_seed_bank()
ID = {"spec": "fake/echo"}


def test_form_takes_n_items_per_dimension_in_bank_order() -> None:
    form = select_fixed_form(BANK, systems=["schwartz"], per_dimension=3)
    dims = {i.dimension for i in form}
    assert len(dims) == 10 and all(sum(i.dimension == d for i in form) == 3 for d in dims)
    positions = [BANK.index(i) for i in form]
    assert positions == sorted(positions)


def test_form_is_seeded_and_stable_when_the_bank_grows() -> None:
    care = [i for i in BANK if i.dimension == "care"]
    a = select_fixed_form(BANK, dimensions=["care"], per_dimension=5, seed=0)
    assert a == select_fixed_form(BANK, dimensions=["care"], per_dimension=5, seed=0)
    assert a != select_fixed_form(BANK, dimensions=["care"], per_dimension=5, seed=1)
    extra = care[0].model_copy(update={"id": "zz-new-item-that-ranks-anywhere"})
    grown = select_fixed_form([*BANK, extra], dimensions=["care"], per_dimension=5, seed=0)
    assert len(set(grown) & set(a)) >= 4  # at most one item displaced by the newcomer


def test_no_limit_means_every_item_and_unknown_dimension_fails() -> None:
    assert len(select_fixed_form(BANK, dimensions=["care", "power"])) == sum(
        i.dimension in ("care", "power") for i in BANK)
    with pytest.raises(UnknownFrameworkError):
        select_fixed_form(BANK, dimensions=["kindness"])


def _plan(config: FixedFormConfig, items=None, identity=ID):
    return plan_fixed_form(config, items if items is not None else BANK[:4], identity, "seed-test")


def test_plan_is_deterministic_with_one_job_per_item_and_sample() -> None:
    config = FixedFormConfig(model="fake/echo", samples=3, generate=GenerateConfig(temperature=0.7, seed=10))
    plan = _plan(config)
    assert plan == _plan(config)
    assert len(plan.jobs) == 12 == plan.run.n_jobs
    assert [j.position for j in plan.jobs] == list(range(12))
    assert [j.config.seed for j in plan.jobs[:3]] == [10, 11, 12]
    assert len({j.key for j in plan.jobs}) == 12
    assert plan.run.run_id.startswith("run-") and len(plan.run.run_id) == 16
    assert [p.job_key for p in plan.planned()] == [j.key for j in plan.jobs]


def test_plan_records_provenance() -> None:
    run = _plan(FixedFormConfig(model="fake/echo", generate=GenerateConfig(seed=3, system_prompt="Be brief."))).run
    assert run.seeds == {"generation": 3, "form": 0}
    assert run.settings["system_prompt"] == "Be brief." and run.item_bank_version == "seed-test"
    assert run.package_version and run.provenance["environment"]["python"]
    assert run.provenance["prompt_templates"] and "schwartz@" in run.provenance["frameworks"]
    assert run.config["model"] == "fake/echo"


def test_run_id_follows_what_shapes_answers_only() -> None:
    base = _plan(FixedFormConfig(model="fake/echo")).run.run_id
    same = [
        FixedFormConfig(model="fake/echo", generate=GenerateConfig(timeout_s=5)),
        FixedFormConfig(model="fake/echo", model_options={"delay_s": 0.1}),
    ]
    assert all(_plan(c).run.run_id == base for c in same)
    different = [
        _plan(FixedFormConfig(model="fake/other")),
        _plan(FixedFormConfig(model="fake/echo", samples=2)),
        _plan(FixedFormConfig(model="fake/echo", generate=GenerateConfig(max_tokens=9))),
        _plan(FixedFormConfig(model="fake/echo"), items=BANK[:3]),
        _plan(FixedFormConfig(model="fake/echo"), identity={"spec": "fake/echo", "sha256": "x"}),
    ]
    assert len({p.run.run_id for p in different} | {base}) == len(different) + 1


def test_system_prompt_goes_first_in_every_job() -> None:
    plan = _plan(FixedFormConfig(model="fake/echo", generate=GenerateConfig(system_prompt="You are a nurse.")))
    assert all(j.messages[0] == {"role": "system", "content": "You are a nurse."} for j in plan.jobs)


def test_api_keys_are_never_recorded() -> None:
    with pytest.raises(pydantic.ValidationError, match="api_key must not be recorded"):
        FixedFormConfig(model="openai/x", model_options={"api_key": "sk-123"})
