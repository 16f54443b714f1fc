"""``valuecompass import inspect LOGFILE``: an Inspect log as a run, and clear errors for files that are not."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("inspect_ai")

from tests.ecosystem.test_inspect import keyed_examinee, run_eval  # noqa: E402


def test_import_prints_the_scores_and_is_idempotent(cli, tmp_path: Path) -> None:
    log = run_eval("valuecompass/schwartz", tmp_path, keyed_examinee(), items_per_dimension=2, dimensions="power")
    store = str(tmp_path / "s.sqlite")
    first = cli("import", "inspect", log.location, "--store", store)
    assert first.exit_code == 0, first.stderr
    assert "imported: run run-" in first.stdout and "Power" in first.stdout and "100.0" in first.stdout
    again = cli("import", "inspect", log.location, "--store", store, "--json")
    data = json.loads(again.stdout)
    assert again.exit_code == 0 and data["created"] is False and data["new_answers"] == 0 and data["answers"] == 2
    assert data["scores"]["inspect/mockllm/model"][0]["score"] == 100.0
    shown = cli("scores", data["run_id"], "--store", store)
    assert shown.exit_code == 0 and "100.0" in shown.stdout


@pytest.mark.parametrize("content, needle", [(None, "no Inspect log"),
                                             (b"PK\x03\x04junk", "not a readable Inspect log"),
                                             (b'{"version": 2}', "not a readable Inspect log")])
def test_bad_log_files_get_a_message_and_a_non_zero_exit(cli, tmp_path: Path, content, needle) -> None:
    path = tmp_path / ("log.json" if content and content.startswith(b"{") else "log.eval")
    if content is not None:
        path.write_bytes(content)
    result = cli("import", "inspect", str(path), "--store", str(tmp_path / "s.sqlite"))
    assert result.exit_code == 1 and needle in result.stderr and "Traceback" not in result.stderr + result.stdout
    assert "fix:" in result.stderr
