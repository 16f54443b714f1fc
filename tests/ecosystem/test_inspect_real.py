"""The real ``inspect`` command runs a valuecompass task against a real llama.cpp server, and its log imports."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("inspect_ai")

from valuecompass.ecosystem import import_inspect_log  # noqa: E402
from valuecompass.store import Store  # noqa: E402

pytestmark = pytest.mark.slow


def test_inspect_eval_command_on_a_llama_cpp_server(llama_server, tmp_path: Path) -> None:
    inspect = Path(sys.executable).with_name("inspect")
    env = {**os.environ, "LLAMA_API_KEY": "none", "LLAMA_BASE_URL": llama_server.base_url}
    done = subprocess.run([str(inspect), "eval", "valuecompass/safety", "--model", "openai-api/llama/smollm2",
                           "-T", "dimensions=malicious_use", "-T", "items_per_dimension=3", "--max-connections", "2",
                           "--log-dir", str(tmp_path / "logs"), "--display", "plain"],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    [log_file] = (tmp_path / "logs").glob("*.eval")
    store = Store(tmp_path / "s.sqlite")
    result = import_inspect_log(store, log_file)
    assert result.answers == 3 and result.missing == 0 and result.run.status == "complete"
    views = store.response_views(result.run.run_id)
    assert all(v.response.output_text and v.response.output_tokens > 0 for v in views)
    # every answer has a verdict with its path, judged by the model under evaluation (Inspect's default grader)
    assert all(len(v.judgments) == 1 and v.judgments[0].provenance["path"] in ("rule", "judge", "key")
               for v in views)
    assert {v.judgments[0].judge_id for v in views} == {"inspect/openai-api/llama/smollm2"}
