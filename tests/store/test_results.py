"""The one rule of which run, method and judge give a model's scores (pure parts, and on a real file)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from tests.store import _records as rec
from valuecompass.errors import StoreError
from valuecompass.store import (
    EstimateRecord,
    RunRecord,
    Store,
    choose_model_runs,
    choose_run_scores,
    estimate_kinds,
    model_results,
)


def _run(run_id: str, spec: str, created: str, kind: str = "fixed_form", status: str = "complete") -> RunRecord:
    return RunRecord(run_id=run_id, model_spec=spec, kind=kind, status=status, created=created)


def _est(run_id: str, dim: str = "care", method: str = "share", judge: str = "j1", score: float = 50.0,
         **kw: float | None) -> EstimateRecord:
    return EstimateRecord(run_id=run_id, dimension=dim, method=method, judge_id=judge, score=score, n_items=4,
                          ci_low=kw.get("ci_low", 40.0), ci_high=kw.get("ci_high", 60.0), se=kw.get("se"))


def test_kinds_count_estimates_and_models_most_common_first() -> None:
    runs = [_run("a", "m1", "1"), _run("b", "m2", "2"), _run("c", "m2", "3")]
    ests = [_est("a"), _est("a", "fairness"), _est("b"), _est("c", judge="j2")]
    kinds = estimate_kinds(runs, ests)
    assert [(k.name, k.n_estimates, k.n_models) for k in kinds] == [("share@j1", 3, 2), ("share@j2", 1, 1)]


def test_the_newest_complete_run_stands_for_a_model_and_others_are_counted_as_hidden() -> None:
    runs = [_run("old", "m1", "1"), _run("new", "m1", "2"), _run("live", "m1", "3", status="running"),
            _run("other", "m2", "1")]
    ests = [_est("old"), _est("new"), _est("live"), _est("other", judge="j2")]
    method, judge, chosen, hidden = choose_model_runs(runs, ests)
    assert (method, judge, chosen["m1"].run_id) == ("share", "j1", "new")
    assert hidden == {"share@j2": 1}
    with pytest.raises(StoreError, match="no scores by method 'irt'") as err:
        choose_model_runs(runs, ests, method="irt")
    assert "share@j1" in (err.value.hint or "")


def test_unreadable_scores_and_unknown_dimensions_are_skipped_not_shown_as_zero() -> None:
    run = _run("a", "m1", "1")
    ests = [_est("a"), _est("a", "fairness", score=math.nan), _est("a", "loyalty", se=-1.0, ci_low=None,
                                                                       ci_high=None),
            _est("a", "not-a-dimension")]
    result = choose_run_scores(run, ests)
    assert set(result.scores) == {"care"}
    row = result.scores["care"]
    assert row.se == pytest.approx(20.0 / (2 * 1.959963984540054))  # one meaning of SE: the interval's
    with pytest.raises(StoreError, match="no scores"):
        choose_run_scores(run, [_est("a", score=math.inf)])


def test_a_model_with_only_unreadable_scores_is_left_out_and_the_others_show(tmp_path: Path) -> None:
    with Store(tmp_path / "s.sqlite") as store:
        for run_id in ("run-good", "run-bad"):
            store.open_run(rec.run(run_id).model_copy(update={"model_spec": f"fake/{run_id}"}))
            store.insert_estimates([_est(run_id, score=70.0)])
        with store._conn:  # a damaged figure, as another tool might leave it: SQLite's infinity
            store._conn.execute("UPDATE estimates SET score = 1e999 WHERE run_id = 'run-bad'")
        shown = model_results(store)
    assert [r.run.run_id for r in shown.results] == ["run-good"]
