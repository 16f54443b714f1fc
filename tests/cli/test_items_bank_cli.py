"""`valuecompass items generate|calibrate|stats` over a real store with scripted models."""

from __future__ import annotations

import asyncio
from pathlib import Path

from valuecompass.cat import CATConfig
from valuecompass.judge import Judge
from valuecompass.models import get_model
from valuecompass.pipeline import AdaptiveConfig, run_adaptive
from valuecompass.store import Store
from tests.pipeline.test_adaptive import examinee_model, judge_model


def test_stats_lists_seed_items_with_priors(cli, tmp_path: Path) -> None:
    res = cli("items", "stats", "-d", "care", "--store", str(tmp_path / "s.sqlite"), "--json")
    rows = res.json()
    assert res.exit_code == 0 and len(rows) == 36  # 24 story openings and 12 forced-choice stories
    assert {r["param_source"] for r in rows} == {"prior"} and {r["b"] for r in rows} == {-1.0, 0.0, 1.0}


def test_calibrate_after_runs_of_several_models(cli, tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"

    async def fill():
        with Store(store) as db:
            for name, conform in (("fake/a", True), ("fake/b", False), ("fake/c", True)):
                cfg = AdaptiveConfig(model=name, judge="fake/judge", dimensions=("care",), generate_items=False,
                                     cat=CATConfig(min_items=4, max_items=4, batch_size=4))
                await run_adaptive(cfg, db, model=examinee_model(conform, name), judge=Judge(judge_model()))

    asyncio.run(fill())
    res = cli("items", "calibrate", "-d", "care", "--store", str(store), "--json")
    assert res.exit_code == 0, res.stderr
    [summary] = res.json()
    assert summary["n_models"] == 3 and summary["n_items"] >= 4
    stats = cli("items", "stats", "-d", "care", "--store", str(store), "--json").json()
    calibrated = [r for r in stats if r["param_source"] == "calibrated"]
    assert calibrated and all(r["exposure"] >= 1 for r in calibrated)


def test_generate_stores_accepted_items(cli, tmp_path: Path, monkeypatch) -> None:
    reply = ("ITEM: Should a fishing town in Ghana keep its old harbour rules even though they exclude women "
             "from selling fish at the dock?\nKEY: No\n")
    import valuecompass.cli._items_bank as bank_cli

    monkeypatch.setattr(bank_cli, "get_model", lambda spec: get_model(
        "fake/gen", replies=lambda m, c: ("No" if "Does answering Yes" in m[-1]["content"] else "Yes")
        if m[-1]["content"].endswith("Yes or No.") else reply))
    store = tmp_path / "s.sqlite"
    res = cli("items", "generate", "-d", "universalism", "-b", "1.5", "--store", str(store), "--json")
    assert res.exit_code == 0, res.stderr
    accepted = res.json()["accepted"]
    assert len(accepted) == 1 and accepted[0]["provenance"]["target_difficulty"] == 1.5
    stats = cli("items", "stats", "-d", "universalism", "--store", str(store), "--json").json()
    assert len(stats) == 25 and stats[-1]["source"] == "generated" and stats[-1]["b"] == 1.5
