"""``valuecompass run``, ``runs`` and ``models`` through the real entry point."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest


def _run(cli, store: Path, *args: str):
    return cli("run", "--fixed", "--no-judge", "-m", "fake/echo", "--store", str(store), "--json", *args)


def test_run_stores_answers_and_rerun_resumes(cli, store_path: Path) -> None:
    first = _run(cli, store_path, "-d", "care", "-d", "power", "-n", "3", "--seed", "4")
    assert first.exit_code == 0, first.stderr
    report = first.json()
    assert report["stats"]["new"] == 6 and report["stats"]["total"] == 6 and not report["resumed"]
    assert report["run"]["status"] == "complete" and report["run"]["settings"]["seed"] == 4
    again = _run(cli, store_path, "-d", "care", "-d", "power", "-n", "3", "--seed", "4", "--max-connections", "2")
    assert again.json()["run"]["run_id"] == report["run"]["run_id"]
    assert again.json()["stats"]["reused"] == 6 and again.json()["resumed"]


def test_run_options_reach_the_record(cli, store_path: Path) -> None:
    result = _run(cli, store_path, "-s", "llm_values", "-n", "1", "--samples", "2", "--temperature", "0.9",
                  "--max-tokens", "5", "--system-prompt", "Answer briefly.", "-M", "delay_s=0.001")
    run = result.json()["run"]
    assert result.json()["stats"]["total"] == 6 * 2
    assert run["settings"]["temperature"] == 0.9 and run["settings"]["max_tokens"] == 5
    assert run["settings"]["system_prompt"] == "Answer briefly."
    assert run["config"]["model_options"] == {"delay_s": 0.001} and run["config"]["samples"] == 2


def test_runs_list_show_and_export(cli, store_path: Path, tmp_path: Path) -> None:
    run_id = _run(cli, store_path, "-d", "care", "-n", "2").json()["run"]["run_id"]
    listed = cli("runs", "list", "--store", str(store_path), "--json").json()
    assert [(r["run"]["run_id"], r["n_done"]) for r in listed] == [(run_id, 2)]
    shown = cli("runs", "show", run_id[:8], "--store", str(store_path), "--json").json()
    assert shown["run"]["run_id"] == run_id and shown["responses_per_dimension"] == {"care": 2}
    table = cli("runs", "show", run_id, "--store", str(store_path))
    assert table.exit_code == 0 and "model identity" in table.stdout
    out_csv, out_jsonl = tmp_path / "r.csv", tmp_path / "r.jsonl"
    assert cli("runs", "export", run_id, "--format", "csv", "--out", str(out_csv), "--store",
               str(store_path)).exit_code == 0
    with open(out_csv, newline="") as fh:
        assert [r["dimension"] for r in csv.DictReader(fh)] == ["care", "care"]
    cli("runs", "export", run_id, "-f", "jsonl", "-o", str(out_jsonl), "--store", str(store_path))
    assert len([json.loads(x) for x in out_jsonl.read_text().splitlines()]) == 2


def test_store_comes_from_the_environment(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VALUECOMPASS_STORE", str(tmp_path / "env.sqlite"))
    assert cli("run", "--fixed", "--no-judge", "-m", "fake/echo", "-d", "care", "-n", "1", "--json").exit_code == 0
    assert (tmp_path / "env.sqlite").exists()
    assert len(cli("runs", "list", "--json").json()) == 1


@pytest.mark.parametrize(("args", "code", "message"), [
    (["-d", "kindness"], 2, "kindness"),
    (["-M", "api_key=sk-1"], 1, "would be recorded"),
    (["-M", "novalue"], 1, "not KEY=VALUE"),
    (["-M", "colour=red"], 1, "unknown option(s) colour"),
])
def test_bad_run_arguments_fail_without_traceback(cli, store_path: Path, args, code, message) -> None:
    result = _run(cli, store_path, *args)
    assert result.exit_code == code
    assert message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["runs", "list", "--bogus"], "No such option: --bogus"),
    (["runs", "show"], "Missing argument"),
    (["run", "--max-items", "abc"], "Invalid value for '--max-items'"),
    (["run", "--temperature", "5"], "Invalid value for '--temperature'"),
    (["nosuchcommand"], "No such command"),
])
def test_usage_errors_say_what_is_wrong_without_traceback(cli, args, message) -> None:
    result = cli(*args)  # an uncaught exception would fail this test rather than exit
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--items", "3"], "--items only applies to --fixed runs"),
    (["--samples", "2", "--no-judge"], "--samples, --no-judge only applies to --fixed runs"),
    (["--fixed", "--max-items", "9"], "--max-items only applies to adaptive runs"),
    (["--fixed", "--no-generate"], "--no-generate only applies to adaptive runs"),
])
def test_options_of_the_other_mode_are_refused_not_ignored(cli, store_path: Path, args, message) -> None:
    result = cli("run", "-m", "fake/echo", "--store", str(store_path), *args)
    assert result.exit_code == 2 and message in result.stderr and "fix:" in result.stderr
    assert not store_path.exists(), "refused before anything is stored"


def test_reading_commands_do_not_create_a_store(cli, tmp_path: Path) -> None:
    typo = tmp_path / "no-such-dir" / "stroe.sqlite"
    for args in (["runs", "list"], ["runs", "show", "run-x"], ["scores", "run-x"]):
        result = cli(*args, "--store", str(typo))
        assert result.exit_code == 1 and "no store at" in result.stderr and "fix:" in result.stderr
    assert not typo.parent.exists()


def test_fixed_run_with_a_bad_judge_fails_before_any_call(cli, store_path: Path, tmp_path: Path) -> None:
    for judge_args in (["--judge", "nosuch/x"], ["--judge-profile", str(tmp_path / "missing.json")]):
        result = cli("run", "--fixed", "-m", "fake/echo", "-d", "care", "--store", str(store_path), *judge_args)
        assert result.exit_code != 0 and "fix:" in result.stderr and "Traceback" not in result.stderr
    assert not store_path.exists() or not cli("runs", "list", "--store", str(store_path), "--json").json()


def test_unknown_model_and_run_fail_clearly(cli, store_path: Path) -> None:
    bad = cli("run", "-m", "hf/x", "--store", str(store_path))
    assert bad.exit_code == 1 and "unknown model provider 'hf'" in bad.stderr and "fix:" in bad.stderr
    assert not store_path.exists()  # checked before anything is opened
    cli("run", "--fixed", "--no-judge", "-m", "fake/echo", "-d", "power", "-n", "1", "--store", str(store_path))
    missing = cli("runs", "show", "run-nothere", "--store", str(store_path))
    assert missing.exit_code == 1 and "no run with id 'run-nothere'" in missing.stderr


def test_models_list_and_prepare(cli, isolated_cache: Path) -> None:
    listed = {m["spec"]: m for m in cli("models", "list", "--json").json()}
    assert listed["local/smollm2-135m"]["status"] in {"ready", "installed"}
    prepared = cli("models", "prepare", "smollm2-135m", "--json")
    assert prepared.exit_code == 0, prepared.stderr
    [entry] = prepared.json()
    assert entry["sha256"].startswith("b179c952") and entry["spec"] == "local/smollm2-135m"
    after = {m["spec"]: m for m in cli("models", "list", "--json").json()}
    assert after["local/smollm2-135m"]["status"] == "ready"
    unknown = cli("models", "prepare", "gpt-5")
    assert unknown.exit_code == 1 and "unknown embedded model 'gpt-5'" in unknown.stderr


@pytest.mark.slow
def test_run_on_the_embedded_model_and_on_a_llama_server(cli, store_path: Path, llama_server) -> None:
    """The same form through both backends. Texts are not compared: the llama.cpp server applies its own
    default repeat penalty (1.1), which the OpenAI protocol cannot turn off."""
    args = ["--fixed", "--no-judge", "-d", "care", "-n", "2", "--max-tokens", "12", "--store", str(store_path), "--json"]
    local = cli("run", "-m", "local/smollm2-135m", *args)
    served = cli("run", "-m", "openai/smollm2", "--base-url", llama_server.base_url, *args)
    assert local.exit_code == 0 and served.exit_code == 0, local.stderr + served.stderr
    runs = [local.json()["run"], served.json()["run"]]
    assert runs[0]["model_identity"]["sha256"].startswith("b179c952")
    assert runs[1]["model_identity"]["base_url"] == llama_server.base_url
    exports = [_export(cli, store_path, run["run_id"]) for run in runs]
    assert [r["item_id"] for r in exports[0]] == [r["item_id"] for r in exports[1]]
    assert all(r["output_text"] and 0 < r["output_tokens"] <= 12 for r in exports[0] + exports[1])


def _export(cli, store: Path, run_id: str) -> list[dict]:
    out = store.with_suffix(f".{run_id}.jsonl")
    assert cli("runs", "export", run_id, "-o", str(out), "--store", str(store)).exit_code == 0
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_run_with_a_user_item_file(cli, store_path: Path, tmp_path: Path) -> None:
    from valuecompass.items import load_seed_bank

    items = [i.model_copy(update={"id": f"user-{n}"}) for n, i in enumerate(load_seed_bank()[:3])]
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(i.model_dump_json() + "\n" for i in items))
    result = _run(cli, store_path, "--item-file", str(path))
    assert result.exit_code == 0, result.stderr
    run = result.json()["run"]
    assert run["item_bank_version"].startswith("file:mine.jsonl#") and result.json()["stats"]["total"] == 3
    shown = cli("runs", "show", run["run_id"], "--store", str(store_path), "--json").json()
    assert sum(shown["responses_per_dimension"].values()) == 3


def test_adaptive_run_with_fake_judge_prints_table(cli, store_path: Path) -> None:
    res = cli("run", "-m", "fake/echo", "--judge", "fake/judge", "-d", "care", "-d", "power", "--max-items", "4",
              "--no-generate", "--store", str(store_path))
    # The echo examinee says "Stance: Yes" to everything: the key decides power (no judge needed). Its story
    # continuations need the judge, whose echo reply is no answer word: those verdicts are unreadable, so
    # care's estimate rests on the prior alone. The run still completes and says so.
    assert res.exit_code == 0, res.stderr
    assert "scores of run" in res.stdout and "Care/Harm" in res.stdout and "Power" in res.stdout
    assert "Moral Foundations" in res.stdout and "Schwartz basic human values" in res.stdout  # group headings
    assert "could not be read for 4 answers in 1 dimensions" in res.stdout
    assert "acquiescence: Yes in 4 of 4 stance answers" in res.stdout
    table = res.stdout[:res.stdout.index("run run-")]
    assert "…" not in table and max(len(line) for line in table.splitlines()) <= 80, "fits 80 columns untruncated"
    listed = cli("runs", "list", "--store", str(store_path), "--json").json()
    assert listed[0]["run"]["kind"] == "adaptive"
    shown = cli("runs", "show", listed[0]["run"]["run_id"], "--store", str(store_path))
    assert "answered: 8\n" in shown.stdout, "an adaptive run has no planned total to show"


def test_fixed_run_judges_and_scores(cli, store_path: Path) -> None:
    res = cli("run", "--fixed", "-m", "fake/echo", "--judge", "fake/judge", "-d", "power", "-n", "4",
              "--store", str(store_path), "--json")
    assert res.exit_code == 0, res.stderr
    report = res.json()
    assert report["judging"]["judge"].startswith("fake/judge")
    [power] = report["judging"]["scores"]
    assert power["dimension"] == "power" and power["method"] == "share" and power["ci_low"] < power["score"]
    shown = cli("scores", report["run"]["run_id"], "--store", str(store_path), "--json").json()
    assert shown["scores"] == report["judging"]["scores"]  # `run` and `scores` show the same numbers


def test_fixed_run_whose_verdicts_are_all_unreadable_says_so(cli, store_path: Path) -> None:
    res = cli("run", "--fixed", "-m", "fake/echo", "--judge", "fake/judge", "-d", "care", "-n", "2",
              "--store", str(store_path))
    assert res.exit_code == 0, res.stderr
    assert "no verdict of judge fake/judge could be read (2 unreadable)" in res.stderr


def test_the_cli_default_run_is_the_api_default_run(cli, store_path: Path) -> None:
    """`validate` and the Python API build AdaptiveConfig with its defaults: they must find the CLI's run."""
    from valuecompass.models import get_model
    from valuecompass.pipeline import AdaptiveConfig, adaptive_run_record

    res = cli("run", "-m", "fake/echo", "--judge", "fake/judge", "-d", "power", "--no-generate", "--store",
              str(store_path), "--json")
    assert res.exit_code == 0, res.stderr
    config = AdaptiveConfig(model="fake/echo", judge="fake/judge", dimensions=("power",), generate_items=False)
    record = adaptive_run_record(config, get_model("fake/echo").identity(), "fake/judge", ["power"])
    assert record.run_id == res.json()["run"]["run_id"]
