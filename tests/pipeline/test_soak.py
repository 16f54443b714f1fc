"""Soak: a 2,160-job run through a loopback endpoint with 25% mixed faults, killed three times, completes exactly.

The run is the CLI in a subprocess against :class:`tests._servers.FaultServer` (429 with
Retry-After, 500, malformed JSON, hung connections). It is SIGKILLed three times at
growing progress and resumed each time; the fourth start must finish with exit 0, every
planned job answered exactly once, and every answer stored before a kill reused, not asked
again.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests._servers import FAULTS
from tests._stores import CLI, count_responses

DIMENSIONS = 27
ITEMS, SAMPLES = 20, 4
TOTAL = DIMENSIONS * ITEMS * SAMPLES  # 2,160 jobs
KILL_AT = (400, 900, 1500)



@pytest.mark.slow
@pytest.mark.timeout(900)
def test_a_long_faulty_run_killed_three_times_finishes_with_every_job_done_once(fault_server, tmp_path: Path) -> None:
    server = fault_server(fault_share=0.25, max_faults_per_prompt=2, retry_after="1", seed=11)
    store = tmp_path / "soak.sqlite"
    args = [sys.executable, "-c", CLI, "run", "--fixed", "--no-judge", "-m", "openai/loopback", "--base-url",
            server.base_url, "-n", str(ITEMS), "--samples", str(SAMPLES), "--temperature", "0.7", "--seed", "7",
            "--max-connections", "32", "--timeout", "2", "--max-attempts", "5", "--json", "--store", str(store)]
    started = time.monotonic()
    counts = []
    for at_least in KILL_AT:
        proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while count_responses(store) < at_least:
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() - started < 600, "the soak run made too little progress"
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait(30)
        assert proc.returncode == -signal.SIGKILL
        counts.append(count_responses(store))
    assert counts == sorted(counts) and counts[-1] < TOTAL, counts  # every kill landed mid-run

    final = subprocess.run(args, capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    report = json.loads(final.stdout)
    assert report["run"]["status"] == "complete" and report["resumed"]
    assert report["stats"]["reused"] == counts[-1] and report["stats"]["new"] == TOTAL - counts[-1]

    conn = sqlite3.connect(store)
    planned = conn.execute("SELECT COUNT(*), COUNT(DISTINCT job_key) FROM run_jobs").fetchone()
    answered = conn.execute("SELECT COUNT(*), COUNT(DISTINCT job_key) FROM responses").fetchone()
    unmatched = conn.execute("SELECT COUNT(*) FROM run_jobs j LEFT JOIN responses r ON r.job_key = j.job_key "
                             "WHERE r.job_key IS NULL").fetchone()[0]
    runs = conn.execute("SELECT COUNT(*), MIN(status) FROM runs").fetchone()
    conn.close()
    assert planned == (TOTAL, TOTAL) and answered == (TOTAL, TOTAL) and unmatched == 0
    assert runs == (1, "complete")
    assert set(server.log.faults) == set(FAULTS) and sum(server.log.faults.values()) > 0.15 * TOTAL, server.log.faults
