"""``valuecompass sweep FILE`` and ``run`` with several ``--model``: a summary per model, exit 1 if any failed."""

from __future__ import annotations

import json
from pathlib import Path


def test_run_with_several_models_runs_a_sweep(cli, tmp_path: Path) -> None:
    store = str(tmp_path / "s.sqlite")
    result = cli("run", "--fixed", "-m", "fake/echo", "-m", "fake/value", "--judge", "fake/judge", "-s", "schwartz",
                 "-n", "2", "--store", store, "--json")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert [m["state"] for m in data["models"]] == ["complete", "complete"] and data["failed"] == 0
    assert all(m["answers"] == 20 and m["verdicts"] == 20 for m in data["models"])
    listed = cli("runs", "list", "--store", store, "--json").json()
    assert sorted(r["run"]["model_spec"] for r in listed) == ["fake/echo", "fake/value"]


def test_a_sweep_file_with_a_failing_model_exits_1_and_names_it(cli, tmp_path: Path) -> None:
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("mode: fixed\njudge: {model: fake/judge}\nsystems: [mft]\nsettings: {items: 1}\nmodels:\n"
                     "  - model: fake/echo\n    card: {name: Echo}\n"
                     "  - model: openai/down\n    base_url: http://127.0.0.1:9/v1\n", encoding="utf-8")
    result = cli("sweep", str(sweep), "--store", str(tmp_path / "s.sqlite"))
    assert result.exit_code == 1
    assert "Echo" in result.stdout and "openai/down failed" in result.stdout
    assert "connection refused" in result.stdout and "1 of 2 models failed" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_bad_sweep_files_get_a_message_not_a_traceback(cli, tmp_path: Path) -> None:
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("models:\n  - model: fake/echo\n    card: {website: 'file:///etc/passwd'}\n", encoding="utf-8")
    result = cli("sweep", str(sweep), "--store", str(tmp_path / "s.sqlite"))
    assert result.exit_code == 2 and "http(s) link" in result.stderr and "fix:" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "s.sqlite").exists() or json.loads(cli("runs", "list", "--store",
                                                                  str(tmp_path / "s.sqlite"), "--json").stdout) == []
