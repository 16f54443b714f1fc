"""``valuecompass judge RUN_ID``, ``judge validate``, ``judge calibrate`` and ``scores``, through the entry point."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from valuecompass.models import FakeModel
from valuecompass.pipeline import FixedFormConfig, run_fixed_form_sync
from valuecompass.store import Store

TOUCHE = Path(__file__).resolve().parents[1] / "judge" / "fixtures" / "touche"


@pytest.fixture
def run_store(tmp_path: Path) -> tuple[Path, str]:
    """A store with one complete run: 2 items each of care and self_direction, answered by a fake examinee."""
    path = tmp_path / "store.sqlite"
    config = FixedFormConfig(model="fake/examinee", dimensions=("care", "self_direction"), items_per_dimension=2)
    with Store(path) as store:
        result = run_fixed_form_sync(config, store, model=FakeModel("fake/examinee", replies=lambda m, c: "An answer."))
    return path, result.run.run_id


def replies(*words: str) -> str:
    return "replies=" + json.dumps([f"{w} - because" for w in words])


def test_judge_run_then_scores(cli, run_store: tuple[Path, str]) -> None:
    store, run_id = run_store
    # care (MFT story openings) is judged first (cache order), one at a time: two keyed questions per answer
    # (the violating action, then the upholding one); "An answer." takes no stance on self_direction (no call)
    res = cli("judge", run_id[:10], "--judge", "fake/judge", "-J", replies("No", "Yes", "Yes", "Gibberish"),
              "-J", "max_connections=1", "--store", str(store), "--json")
    assert res.exit_code == 0, res.stderr
    stats = res.json()
    assert (stats["judged"], stats["cached"], stats["unparsable"], stats["self_judged"]) == (4, 0, 1, False)
    again = cli("judge", "run", run_id, "--judge", "fake/judge", "--store", str(store), "--json")
    assert again.exit_code == 0 and again.json()["judged"] == 0 and again.json()["cached"] == 4
    res = cli("scores", run_id, "--store", str(store), "--json")
    assert res.exit_code == 0, res.stderr
    scores = {s["dimension"]: s for s in res.json()["scores"]}
    assert scores["care"]["score"] == 100.0 and scores["care"]["n_items"] == 1
    assert scores["care"]["details"]["n_unparsable"] == 1 and scores["care"]["ci_low"] < 30  # 1 of 1: not certain
    assert scores["self_direction"]["score"] == 0.0 and scores["self_direction"]["details"]["labels"] == {
        "unrelated": 2}
    metrics = {(m["name"], m["dimension"]): m for m in res.json()["metrics"]}
    assert metrics[("no_stance", "")]["value"] == 100.0
    table = cli("scores", run_id, "--store", str(store))
    assert table.exit_code == 0 and "Care" in table.stdout and "fake/judge" in table.stdout
    assert "no Yes/No stance: 2 of 2" in table.stdout


def test_self_judging_is_said_in_the_output(cli, run_store: tuple[Path, str]) -> None:
    store, run_id = run_store
    res = cli("judge", run_id, "--judge", "fake/examinee", "-J", replies("Yes", "Yes", "Yes", "No"),
              "--store", str(store))
    assert res.exit_code == 0, res.stderr
    assert "self-judging" in res.stderr
    out = cli("scores", run_id, "--store", str(store))
    assert "self-judging" in out.stdout
    assert cli("scores", run_id, "--store", str(store), "--json").json()["self_judged"] is True


def test_scores_without_judgments_is_a_clean_error(cli, run_store: tuple[Path, str]) -> None:
    store, run_id = run_store
    res = cli("scores", run_id, "--store", str(store))
    assert res.exit_code != 0 and "no judgments" in res.stderr and "valuecompass judge" in res.stderr
    assert "Traceback" not in res.stderr


def test_validate_on_fixture_table_and_json(cli, tmp_path: Path) -> None:
    # 6 arguments x 2 values, universalism first: X01001..X01006 in file order (seeded sample shuffles them,
    # so answer Yes everywhere and check the counts against the fixture's labels)
    words = ["Yes"] * 12
    out_file = tmp_path / "report.json"
    res = cli("judge", "validate", "--data", str(TOUCHE), "--format", "touche23", "--split", "validation",
              "--judge", "fake/judge", "-J", replies(*words), "--value", "universalism,hedonism",
              "--out", str(out_file), "--json")
    assert res.exit_code == 0, res.stderr
    report = res.json()
    uni = next(v for v in report["values"] if v["value"] == "universalism")
    assert (uni["n"], uni["positives"], uni["predicted"], uni["recall"]) == (6, 2, 6, 1.0)
    assert uni["precision"] == pytest.approx(2 / 6)
    assert report["data"]["n_arguments"] == 6 and report["n_judgments"] == 12
    assert json.loads(out_file.read_text())["macro_f1"] == pytest.approx(report["macro_f1"])
    table = cli("judge", "validate", "--data", str(TOUCHE), "--format", "touche23", "--judge", "fake/judge",
                "-J", replies(*words), "--value", "hedonism", "--limit", "3")
    assert table.exit_code == 0, table.stderr
    assert "hedonism" in table.stdout and "macro-F1" in table.stderr and "0.56" in table.stderr


def test_validate_rejects_unknown_format_and_value(cli) -> None:
    res = cli("judge", "validate", "--data", str(TOUCHE), "--format", "csv")
    assert res.exit_code != 0 and "unknown data format 'csv'" in res.stderr
    res = cli("judge", "validate", "--data", str(TOUCHE), "--format", "touche23", "--value", "kindness")
    assert res.exit_code != 0 and "kindness" in res.stderr


def test_calibrate_writes_a_profile_usable_by_validate(cli, tmp_path: Path) -> None:
    profile = tmp_path / "profile.json"
    # universalism: 2 positives + 2 negatives drawn; 1 exemplar per label leaves 2 to tune on
    res = cli("judge", "calibrate", "--data", str(TOUCHE), "--split", "training", "--judge", "fake/judge",
              "-J", replies("Yes", "Neutral"), "--value", "universalism", "--per-value", "4",
              "--out", str(profile), "--json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(profile.read_text())
    assert data["schema"] == "valuecompass.judge-profile/1" and data["judge_spec"] == "fake/judge"
    cal = data["dimensions"]["universalism"]
    assert len(cal["exemplars"]) == 2 and cal["fits"][0]["n"] == 2
    res = cli("judge", "validate", "--data", str(TOUCHE), "--format", "touche23", "--judge", "fake/judge",
              "--calibration", str(profile), "-J", replies(*["Yes"] * 6), "--value", "universalism", "--json")
    assert res.exit_code == 0, res.stderr
    assert res.json()["judge"]["judge_id"] == f"fake/judge+profile:{data['profile_id']}"
    wrong = cli("judge", "validate", "--data", str(TOUCHE), "--format", "touche23", "--judge", "fake/other",
                "--profile", str(profile))
    assert wrong.exit_code != 0 and "calibrated for 'fake/judge'" in wrong.stderr
    table = cli("judge", "calibrate", "--data", str(TOUCHE), "--judge", "fake/judge", "-J", replies("Yes", "Neutral"),
                "--value", "universalism", "--per-value", "4", "--out", str(tmp_path / "p2.json"))
    assert table.exit_code == 0, table.stderr
    assert "universalism" in table.stdout and "threshold" in table.stdout and "saved" in table.stderr


def test_validate_touche_defaults_to_the_recogniser_and_reports_categories(cli) -> None:
    res = cli("judge", "validate", "--data", str(TOUCHE), "--format", "touche23", "--json")
    assert res.exit_code == 0, res.stderr
    report = res.json()
    assert report["judge"]["judge_id"].startswith("recogniser/") and report["n_judgments"] == 60
    assert len(report["categories"]) == 20 and report["categories_macro_f1"] is not None
    table = cli("judge", "validate", "--data", str(TOUCHE), "--format", "touche23", "--judge", "recogniser")
    assert table.exit_code == 0, table.stderr
    assert "the 20 Touché23 categories" in table.stdout and "categories: macro-F1" in table.stderr


def test_recogniser_is_refused_where_it_cannot_answer(cli, run_store: tuple[Path, str]) -> None:
    res = cli("judge", "validate", "--data", str(TOUCHE), "--format", "touche23", "--judge", "recogniser",
              "-J", "x=1")
    assert res.exit_code == 2 and "takes no --calibration or --judge-arg" in res.stderr
    store, run_id = run_store
    res = cli("judge", run_id, "--judge", "recogniser", "--store", str(store))
    assert res.exit_code == 2 and "value-recognition questions only" in res.stderr and "Traceback" not in res.stderr
    res = cli("judge", "validate", "--judge", "recogniser")
    assert res.exit_code == 2 and "LLM judge" in res.stderr


def test_judge_explain_adds_occlusion_evidence_and_keeps_the_labels(cli, run_store: tuple[Path, str],
                                                                    tmp_path: Path) -> None:
    store, run_id = run_store
    copy = tmp_path / "copy.sqlite"
    shutil.copy(store, copy)
    args = ("--judge", "fake/judge", "-J", replies("No", "Yes", "Yes", "Gibberish"), "-J", "max_connections=1",
            "--json")
    plain = cli("judge", run_id, *args, "--store", str(store))
    explained = cli("judge", run_id, *args, "--explain", "--store", str(copy))
    assert plain.exit_code == 0 and explained.exit_code == 0, explained.stderr
    counts = ("total", "judged", "cached", "unparsable", "skipped", "retries", "template_hash", "judge_id")
    assert [plain.json()[k] for k in counts] == [explained.json()[k] for k in counts]
    with Store(store) as a, Store(copy) as b:
        before = {r.response_key: r for r in a.judgments_for_run(run_id)}
        after = {r.response_key: r for r in b.judgments_for_run(run_id)}
    assert {k: r.label for k, r in before.items()} == {k: r.label for k, r in after.items()}
    kinds = {(r.provenance["path"], r.label is not None, r.provenance.get("evidence_kind")) for r in after.values()}
    # "An answer." is one sentence: occlusion evidence, but no extra call; an unreadable verdict has none
    assert kinds == {("judge", True, "occlusion"), ("judge", False, None), ("key", True, None)}
    assert all("evidence_kind" not in r.provenance for r in before.values())
    assert "--explain" in cli("judge", "run", "--help").stdout
