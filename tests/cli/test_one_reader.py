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
