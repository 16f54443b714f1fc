"""A fixed-form run end to end through the pipeline: administer, judge, score, read back."""

from __future__ import annotations

import asyncio
from pathlib import Path

from valuecompass.judge import Judge, JudgeSettings
from valuecompass.models import FakeModel, reading_judge
from valuecompass.pipeline import FixedFormConfig, RetryPolicy, RunnerOptions, evaluate_fixed_form, run_fixed_form
from valuecompass.store import Store

CONFIG = FixedFormConfig(model="fake/values", dimensions=("benevolence", "power"), items_per_dimension=4)


def test_administers_judges_and_scores_in_one_store(store_path: Path) -> None:
    with Store(store_path) as store:
        done = asyncio.run(evaluate_fixed_form(CONFIG, store, judge=Judge(reading_judge("fake/reader")),
                                               options=RunnerOptions(retry=RetryPolicy(max_attempts=2))))
        assert done.administered.run.status == "complete" and done.judging is not None
        assert done.judging.judged == 8 and done.scores is not None and done.scores.method == "share"
        assert set(done.scores.scores) == {"benevolence", "power"}
        again = asyncio.run(evaluate_fixed_form(CONFIG, store, judge=Judge(reading_judge("fake/reader"))))
        assert again.administered.resumed and again.judging is not None and again.judging.judged == 0
        assert again.judging.cached == 8 and again.scores is not None
        assert again.scores.scores == done.scores.scores


def test_without_a_judge_or_with_an_unreadable_one(store_path: Path) -> None:
    with Store(store_path) as store:
        only = asyncio.run(evaluate_fixed_form(CONFIG, store, judge=None))
        assert only.judging is None and only.scores is None and only.administered.stats.done == 8
        mumbler = Judge(FakeModel("fake/mumbler", replies=lambda m, c: "Hmm."), settings=JudgeSettings(keyed=False))
        none = asyncio.run(evaluate_fixed_form(CONFIG, store, judge=mumbler))
        assert none.scores is None and none.unreadable == 8 and none.judging is not None


def test_the_model_card_is_stored_with_the_run_as_it_opens(store_path: Path) -> None:
    from valuecompass.models import FakeModel, ModelCard

    card = ModelCard(name="Values 1", developer="Lab")

    def failing(messages, config):  # the run fails after it opened: the card is there all the same
        raise ValueError("boom")

    with Store(store_path) as store:
        done = asyncio.run(evaluate_fixed_form(CONFIG, store, judge=None, card=card))
        assert done.administered.run.provenance["model_card"] == [{"name": "Values 1", "developer": "Lab"}]
        broken = FixedFormConfig(model="fake/broken", dimensions=("power",), items_per_dimension=2)
        try:
            asyncio.run(run_fixed_form(broken, store, model=FakeModel("fake/broken", replies=failing),
                                       options=RunnerOptions(retry=RetryPolicy(max_attempts=1)), card=card))
        except Exception:  # noqa: BLE001 - the failure itself is tested elsewhere
            pass
        [failed] = [r for r in store.runs() if r.model_spec == "fake/broken"]
        assert failed.provenance["model_card"][-1]["name"] == "Values 1"
