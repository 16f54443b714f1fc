"""Exit codes and run status: Ctrl-C, bad -M values, runs that cannot complete."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests._stores import CLI, count_responses


def test_ctrl_c_says_it_was_interrupted_and_exits_130(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    proc = subprocess.Popen([sys.executable, "-c", CLI, "run", "--fixed", "--no-judge", "-m", "fake/echo", "-M",
                             "delay_s=0.2", "--max-connections", "1", "-s", "schwartz", "-n", "5", "--store",
                             str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while count_responses(store) < 2:
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.02)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err
    status = sqlite3.connect(store).execute("SELECT status FROM runs").fetchone()[0]
    assert status == "interrupted"


@pytest.mark.parametrize("arg, needle", [
    ("max_connections=0", "max_connections"),
    ("max_connections=-3", "max_connections"),
    ("max_connections=lots", "max_connections"),
    ('max_connections={"a": 1}', "max_connections"),
    ("delay_s=-1", "delay_s"),
])
def test_bad_model_options_are_refused_before_anything_is_stored(cli, store_path: Path, arg: str,
                                                                 needle: str) -> None:
    res = cli("run", "--fixed", "--no-judge", "-m", "fake/echo", "-M", arg, "-d", "power", "-n", "2",
              "--store", str(store_path))
    assert res.exit_code != 0 and needle in res.stderr and "Traceback" not in res.stderr
    assert not store_path.exists() or count_responses(store_path) == 0
