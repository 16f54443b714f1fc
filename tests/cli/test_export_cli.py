"""``valuecompass export hf`` and ``items export`` through the real entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from valuecompass.items import load_item_file, load_seed_bank
from valuecompass.judge import Judge
from valuecompass.models import FakeModel, reading_judge
from valuecompass.pipeline import FixedFormConfig, run_fixed_form_sync
from valuecompass.pipeline.judging import judge_run_sync
from valuecompass.pipeline.scoring import score_run
from valuecompass.store import Store

datasets = pytest.importorskip("datasets")
pq = pytest.importorskip("pyarrow.parquet")

ANSWER = "Yes.\n---\nlicense: mit\n---\n<script>alert('x')</script> | \x00 ünïcödé"


@pytest.fixture
def scored(tmp_path: Path) -> tuple[Path, str]:
    """A store with one fixed-form run (care and power, 2 items each), judged and scored."""
    path = tmp_path / "store.sqlite"
    with Store(path) as store:
        config = FixedFormConfig(model="fake/examinee", dimensions=("care", "power"), items_per_dimension=2)
        run = run_fixed_form_sync(config, store, model=FakeModel("fake/examinee", replies=lambda m, c: ANSWER)).run
        judge_run_sync(store, run.run_id, Judge(reading_judge("fake/reader")))
        score_run(store, run.run_id)
    return path, run.run_id


def test_export_hf_writes_a_dataset_that_loads_back(cli, scored: tuple[Path, str], tmp_path: Path) -> None:
    store, run_id = scored
    out = tmp_path / "dataset"
    res = cli("export", "hf", run_id[:10], "--out", str(out), "--store", str(store), "--license", "cc-by-4.0",
              "--json")
    assert res.exit_code == 0, res.stderr
    report = res.json()
    assert report["run_ids"] == [run_id] and report["empty"] == []
    with Store(store) as db:
        estimates = {e.dimension: e for e in db.estimates_for_run(run_id)}
        views = db.response_views(run_id)
    assert report["rows"]["scores"] == len(estimates) == 2 and report["rows"]["responses"] == len(views) == 4
    scores = datasets.load_dataset(str(out), "scores", cache_dir=str(tmp_path / "cache"))["train"]
    for row in scores:
        e = estimates[row["dimension"]]
        assert (row["score"], row["ci_low"], row["ci_high"], row["judge_id"]) == (e.score, e.ci_low, e.ci_high,
                                                                                 e.judge_id)
    responses = datasets.load_dataset("parquet", data_files={"train": str(out / "data" / "responses.parquet")},
                                      cache_dir=str(tmp_path / "cache"))["train"]
    assert responses["output_text"] == [ANSWER] * 4
    assert "license: cc-by-4.0" in (out / "README.md").read_text(encoding="utf-8")
    text = cli("export", "hf", run_id, "--out", str(out), "--store", str(store))  # an earlier export: replaced
    assert text.exit_code == 0 and "scores 2" in text.stdout and "responses 4" in text.stdout


def test_export_hf_leaves_out_what_has_no_rows_and_says_so(cli, tmp_path: Path) -> None:
    store = tmp_path / "store.sqlite"
    run = cli("run", "--fixed", "--no-judge", "-m", "fake/echo", "-d", "care", "-n", "1", "--store", str(store),
              "--json").json()["run"]["run_id"]
    res = cli("export", "hf", run, "--out", str(tmp_path / "out"), "--store", str(store))
    assert res.exit_code == 0, res.stderr
    assert "left out, having no rows: scores, verdicts" in " ".join(res.stdout.split())
    assert "valuecompass judge" in res.stdout


@pytest.mark.parametrize(("target", "extra", "message"), [
    ("file", [], "is a file, not a folder"),
    ("busy", [], "not an earlier valuecompass export"),
    ("new", ["--license", "CC BY"], "is not a licence id"),
])
def test_export_hf_refuses_bad_targets_without_traceback(cli, scored, tmp_path: Path, target, extra,
                                                         message) -> None:
    store, run_id = scored
    out = tmp_path / target
    if target == "file":
        out.write_text("mine")
    elif target == "busy":
        out.mkdir()
        (out / "mine.txt").write_text("mine")
    res = cli("export", "hf", run_id, "--out", str(out), "--store", str(store), *extra)
    assert res.exit_code == 1 and message in res.stderr and "fix:" in res.stderr
    assert "Traceback" not in res.stderr
    if target == "file":
        assert out.read_text() == "mine"
    elif target == "busy":
        assert [p.name for p in out.iterdir()] == ["mine.txt"]
        forced = cli("export", "hf", run_id, "--out", str(out), "--store", str(store), "--force")
        assert forced.exit_code == 0 and (out / "mine.txt").read_text() == "mine" and (out / "README.md").exists()
    else:
        assert not out.exists()


def test_export_hf_unknown_run_and_missing_store(cli, scored, tmp_path: Path) -> None:
    store, run_id = scored
    res = cli("export", "hf", run_id, "run-nothere", "--out", str(tmp_path / "out"), "--store", str(store))
    assert res.exit_code == 1 and "no run with id 'run-nothere'" in res.stderr and "fix:" in res.stderr
    assert not (tmp_path / "out").exists()
    res = cli("export", "hf", run_id, "--out", str(tmp_path / "out"), "--store", str(tmp_path / "typo.sqlite"))
    assert res.exit_code == 1 and "no store at" in res.stderr and not (tmp_path / "typo.sqlite").exists()
    assert cli("export", "hf", "--out", str(tmp_path / "out"), "--store", str(store)).exit_code == 2  # no RUN


def test_missing_pyarrow_names_the_install_command(cli, scored, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    store, run_id = scored
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    for args in (["export", "hf", run_id, "--store", str(store)], ["items", "export", "--format", "hf"]):
        res = cli(*args, "--out", str(tmp_path / "out"))
        assert res.exit_code == 1 and "needs pyarrow" in res.stderr
        assert "pip install 'valuecompass[hf]'" in res.stderr and "Traceback" not in res.stderr
    assert not (tmp_path / "out").exists()


def test_items_export_hf_and_jsonl(cli, tmp_path: Path) -> None:
    bank = load_seed_bank()
    res = cli("items", "export", "--format", "hf", "--out", str(tmp_path / "bank"), "--json")
    assert res.exit_code == 0, res.stderr
    assert res.json()["rows"] == {"items": len(bank)}
    rows = datasets.load_dataset(str(tmp_path / "bank"), "items", cache_dir=str(tmp_path / "cache"))["train"]
    assert sorted(rows["item_id"]) == sorted(i.id for i in bank)
    jsonl = tmp_path / "bank.jsonl"
    res = cli("items", "export", "--format", "jsonl", "--out", str(jsonl))
    assert res.exit_code == 0 and f"wrote {len(bank)} items" in res.stdout
    assert load_item_file(jsonl) == bank  # what `items validate` reads back is the bank, item for item
    subset = tmp_path / "subset.jsonl"
    subset.write_text("".join(line + "\n" for line in jsonl.read_text(encoding="utf-8").splitlines()[:3]))
    res = cli("items", "export", "--format", "hf", "--items", str(subset), "--out", str(tmp_path / "mine"), "--json")
    assert res.exit_code == 0 and res.json()["rows"] == {"items": 3}
    assert pq.read_metadata(tmp_path / "mine" / "data" / "items.parquet").num_rows == 3


@pytest.mark.parametrize(("args", "message"), [
    (["--format", "csv"], "unknown export format 'csv'"),
    (["--format", "jsonl", "--license", "mit"], "--license only applies to --format hf"),
    (["--format", "jsonl", "--force"], "--force only applies to --format hf"),
])
def test_items_export_bad_options_fail_clearly(cli, tmp_path: Path, args, message) -> None:
    res = cli("items", "export", *args, "--out", str(tmp_path / "x"))
    assert res.exit_code == 2 and message in res.stderr and "fix:" in res.stderr
    assert not (tmp_path / "x").exists()


def test_items_export_jsonl_refuses_a_folder_and_a_bad_item_file(cli, tmp_path: Path) -> None:
    res = cli("items", "export", "--out", str(tmp_path))
    assert res.exit_code == 2 and "is a folder" in res.stderr and "Traceback" not in res.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": "x"}) + "\n")
    res = cli("items", "export", "--format", "hf", "--items", str(bad), "--out", str(tmp_path / "out"))
    assert res.exit_code == 2 and "bad.jsonl" in res.stderr and not (tmp_path / "out").exists()


_PROBE = """
import json, sys
from typer.testing import CliRunner
from valuecompass.cli import app
for args in (["export", "--help"], ["export", "hf", "--help"], ["items", "export", "--help"]):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0 and "Usage" in result.output, (args, result.output)
print(json.dumps(sorted(sys.modules)))
"""


def test_export_help_imports_neither_pyarrow_nor_the_exporter() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    loaded = set(json.loads(out.stdout.splitlines()[-1]))
    heavy = {m for m in loaded if m.split(".")[0] in ("pyarrow", "numpy", "datasets")
             or m.startswith("valuecompass.ecosystem._hf")}
    assert heavy == set()
