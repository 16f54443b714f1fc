"""Two ``valuecompass run`` processes on one store at once: both succeed, every answer stored once."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CLI = "import sys; from valuecompass.cli import main; sys.argv[0] = 'valuecompass'; main()"


def test_two_run_processes_share_a_store(tmp_path: Path) -> None:
    store = tmp_path / "shared.sqlite"
    common = ["--fixed", "--no-judge", "-m", "fake/echo", "-M", "delay_s=0.01", "--max-connections", "4", "-s", "mft", "--store", str(store),
              "--json"]
    procs = [subprocess.Popen([sys.executable, "-c", CLI, "run", *common, "-n", n], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for n in ("10", "12")]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outs]
    reports = [json.loads(out) for out, _ in outs]
    assert [r["stats"]["done"] for r in reports] == [50, 60]
    import sqlite3

    conn = sqlite3.connect(store)
    keys = [k for (k,) in conn.execute("SELECT job_key FROM responses")]
    assert len(keys) == len(set(keys)) == 60  # the 12-item form holds the 10-item one
    assert conn.execute("SELECT COUNT(*) FROM runs WHERE status = 'complete'").fetchone()[0] == 2
