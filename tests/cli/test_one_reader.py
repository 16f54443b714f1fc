"""`run`, `scores`, `align` and the leaderboard show the same number and interval for the same run."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from valuecompass.cat import CATConfig
from valuecompass.judge import Judge
from valuecompass.leaderboard import StoreReader
from valuecompass.models import reading_judge, value_examinee
from valuecompass.pipeline import AdaptiveConfig, run_adaptive
from valuecompass.store import Store

DIMS = ("benevolence", "universalism", "power")


@pytest.fixture
def adaptive_store(store_path: Path) -> tuple[Path, str]:
    async def fill() -> str:
        with Store(store_path) as store:
            config = AdaptiveConfig(model="fake/values", judge="fake/reader", dimensions=DIMS, generate_items=False,
                                    cat=CATConfig(min_items=4, max_items=4, batch_size=2))
            result = await run_adaptive(config, store, model=value_examinee({"benevolence": 0.9, "power": 0.1}),
                                        judge=Judge(reading_judge("fake/reader")))
            return result.run.run_id

    return store_path, asyncio.run(fill())


def test_every_reader_shows_the_same_scores(cli, adaptive_store: tuple[Path, str]) -> None:
    store, run_id = adaptive_store
    shown = cli("scores", run_id, "--store", str(store), "--json").json()
    rows = {r["dimension"]: r for r in shown["scores"]}
    assert set(rows) == set(DIMS) and shown["method"] == "irt-cat"
    with Store(store) as db:
        estimates = {e.dimension: e for e in db.estimates_for_run(run_id)}
    for dim, row in rows.items():  # what the run stored is what `scores` shows
        assert (row["score"], row["ci_low"], row["ci_high"]) == pytest.approx(
            (estimates[dim].score, estimates[dim].ci_low, estimates[dim].ci_high))
    board = StoreReader(store).load()
    [model] = board.models
    for dim, row in rows.items():
        cell = model.scores[dim]
        assert (cell.score, cell.low, cell.high) == pytest.approx((row["score"], row["ci_low"], row["ci_high"]))
    aligned = cli("align", "--store", str(store), "-p", "uniform-self_transcendence", "--json").json()
    [entry] = aligned["models"]
    expected = (rows["benevolence"]["score"] + rows["universalism"]["score"]) / 2
    assert entry["align"] == pytest.approx(expected)
    # scoring again (e.g. `scores` after a run) writes nothing that changes what align reads
    cli("scores", run_id, "--store", str(store), "--json")
    assert cli("align", "--store", str(store), "-p", "uniform-self_transcendence", "--json").json() == aligned
    text = cli("scores", run_id, "--store", str(store)).stdout
    assert "acquiescence: Yes in" in text and f"{rows['power']['score']:.1f}" in text


@pytest.fixture
def two_judge_store(store_path: Path) -> Path:
    """Three models: two adaptive runs judged by fake/reader, one fixed form judged by fake/other."""
    from valuecompass.pipeline import FixedFormConfig, run_fixed_form
    from valuecompass.pipeline.judging import judge_run
    from valuecompass.pipeline.scoring import score_run

    async def fill() -> None:
        with Store(store_path) as store:
            for spec, leaning in (("fake/kind", {"benevolence": 0.9, "universalism": 0.8, "power": 0.1}),
                                  ("fake/proud", {"benevolence": 0.2, "universalism": 0.3, "power": 0.9})):
                config = AdaptiveConfig(model=spec, judge="fake/reader", dimensions=DIMS, generate_items=False,
                                        cat=CATConfig(min_items=4, max_items=4, batch_size=2))
                await run_adaptive(config, store, model=value_examinee(leaning, spec=spec),
                                   judge=Judge(reading_judge("fake/reader")))
            fixed = FixedFormConfig(model="fake/third", dimensions=DIMS, items_per_dimension=2)
            run = (await run_fixed_form(fixed, store, model=value_examinee({"power": 0.5}, spec="fake/third"))).run
            await judge_run(store, run.run_id, Judge(reading_judge("fake/other")))
            score_run(store, run.run_id)

    asyncio.run(fill())
    return store_path


def test_cli_and_site_rank_alike_and_the_site_says_what_it_hides(cli, two_judge_store: Path) -> None:
    from fastapi.testclient import TestClient

    from valuecompass.leaderboard import create_app, parse_state, ranking, tab_defaults

    store = two_judge_store
    aligned = cli("align", "--store", str(store), "-p", "uniform-self_transcendence", "--json").json()
    cli_order = [(m["model"], round(m["align"], 6)) for m in aligned["models"]]
    board = StoreReader(store).load()
    assert (board.method, board.judge) == ("irt-cat", "fake/reader")
    assert board.hidden == {"share@fake/other": 1} and {m.label for m in board.models} == {"fake/kind", "fake/proud"}
    state = parse_state({"sys": "schwartz", "p": "uniform-self_transcendence"}, tab_defaults())
    site_order = [(r.model.label, round(r.value, 6)) for r in ranking(board, state)]
    assert site_order == cli_order and site_order[0][0] == "fake/kind"
    page = TestClient(create_app(store)).get("/").text
    assert ('<code>share</code> by <code>fake/other</code></a> (1 model, 1 not shown here)' in page
            and "judge <code>fake/reader</code>" in page)
    other = StoreReader(store).load(method="share", judge="fake/other")
    assert [m.label for m in other.models] == ["fake/third"] and other.hidden == {"irt-cat@fake/reader": 2}


def test_every_reader_takes_the_same_judge_and_method_options(cli, two_judge_store: Path) -> None:
    store = two_judge_store
    args = ["--store", str(store), "--score-method", "share", "--judge", "fake/other", "--json"]
    aligned = cli("align", "-p", "uniform-self_transcendence", *args).json()
    assert [m["model"] for m in aligned["models"]] == ["fake/third"]
    matched = cli("match", "-p", "uniform-self_transcendence", *args).json()
    assert [m["model"] for m in matched["models"]] == ["fake/third"]
    wrong = cli("align", "--store", str(store), "--judge", "fake/nobody")
    assert wrong.exit_code != 0 and "no scores by" in wrong.stderr and "share@fake/other" in wrong.stderr
