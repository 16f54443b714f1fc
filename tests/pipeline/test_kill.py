"""SIGKILL a run mid-way, twice, resume it, and compare with an uninterrupted run: identical, no duplicates."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests._stores import CLI, count_responses

RUN = ["run", "--fixed", "--no-judge", "-m", "fake/echo", "-M", "delay_s=0.03", "--max-connections", "4", "-s", "schwartz", "-n", "8",
       "--samples", "2", "--temperature", "0.7", "--seed", "5", "--json"]
TOTAL = 10 * 8 * 2
COMPARED = ("job_key", "run_id", "item_id", "item_hash", "sample_index", "model_spec", "messages", "settings",
            "output_text", "finish_reason", "first_token", "input_tokens", "output_tokens", "model_reported")


def _start(store: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", CLI, *RUN, "--store", str(store)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _kill_after(store: Path, at_least: int) -> int:
    proc = _start(store)
    while count_responses(store) < at_least:
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.005)  # poll interval
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    assert proc.returncode == -signal.SIGKILL
    return count_responses(store)


def _rows(store: Path) -> list[tuple]:
    conn = sqlite3.connect(store)
    rows = conn.execute(f"SELECT {', '.join(COMPARED)} FROM responses ORDER BY job_key").fetchall()
    jobs = conn.execute("SELECT * FROM run_jobs ORDER BY position").fetchall()
    conn.close()
    return [rows, jobs]


def test_killed_run_resumes_to_the_same_results(tmp_path: Path) -> None:
    killed, clean = tmp_path / "killed.sqlite", tmp_path / "clean.sqlite"
    first = _kill_after(killed, 30)
    second = _kill_after(killed, first + 40)
    assert 30 <= first < second < TOTAL  # both kills landed mid-run
    from valuecompass.store import Store

    with Store(killed) as store:  # the killed owner could not say so: readers see it is gone
        [summary] = store.list_runs()
        assert summary.run.status == "interrupted" and store.get_run(summary.run.run_id).status == "interrupted"
    assert sqlite3.connect(killed).execute("SELECT status FROM runs").fetchone()[0] == "running"  # as stored
    resumed = subprocess.run([sys.executable, "-c", CLI, *RUN, "--store", str(killed)], capture_output=True,
                             text=True, timeout=120)
    assert resumed.returncode == 0, resumed.stderr
    report = json.loads(resumed.stdout)
    assert report["resumed"] and report["stats"]["reused"] == second
    assert report["stats"]["new"] == TOTAL - second and report["run"]["status"] == "complete"

    reference = subprocess.run([sys.executable, "-c", CLI, *RUN, "--store", str(clean)], capture_output=True,
                               text=True, timeout=120)
    assert reference.returncode == 0, reference.stderr
    killed_rows, clean_rows = _rows(killed), _rows(clean)
    assert len(killed_rows[0]) == len({r[0] for r in killed_rows[0]}) == TOTAL
    assert killed_rows == clean_rows
