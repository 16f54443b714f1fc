"""A fixed-form run end to end through the pipeline: administer, judge, score, read back."""

from __future__ import annotations

import asyncio
from pathlib import Path

from valuecompass.judge import Judge, JudgeSettings
from valuecompass.models import FakeModel, reading_judge
from valuecompass.pipeline import FixedFormConfig, RetryPolicy, RunnerOptions, evaluate_fixed_form
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
