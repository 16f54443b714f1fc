"""Two real processes writing to the same new store at once must both succeed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from valuecompass.store import Store

WRITER = textwrap.dedent('''
    import sys, time
    from pathlib import Path
    from tests.store import _records as rec
    from valuecompass.store import PlannedJob, Store
    path, me, go, n = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    store = Store(path)  # both processes create and migrate the same new file
    Path(str(go) + "." + me).touch()
    while not go.exists():
        time.sleep(0.002)  # poll interval of the start barrier
    jobs = [PlannedJob(job_key=f"{me}-{i}" if i % 2 else f"shared-{i}", position=i, item_id="x", item_hash="h")
            for i in range(n)]
    store.open_run(rec.run("run-shared", n), jobs)
    other = "b" if me == "a" else "a"
    for i, job in enumerate(jobs):
        if i == n // 2:  # interleave for sure: wait until the other process has written too
            deadline = time.monotonic() + 60
            while not store._conn.execute("SELECT 1 FROM responses WHERE output_text LIKE ?",
                                          (f"{other} wrote %",)).fetchone():
                if time.monotonic() > deadline:
                    sys.exit(f"{me}: no write of {other} seen in 60 s")
                time.sleep(0.001)
        store.insert_response(rec.response(job, run_id="run-shared", text=f"{me} wrote {job.job_key}"))
    store.close()
''')


def test_two_writer_processes_both_succeed(tmp_path: Path) -> None:
    path, go, n = tmp_path / "shared.sqlite", tmp_path / "go", 600
    root = Path(__file__).resolve().parents[2]
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(path), name, str(go), str(n)], cwd=root,
                              stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
    ready = [Path(f"{go}.a"), Path(f"{go}.b")]
    while not all(p.exists() for p in ready):  # wait for both to have opened the store
        assert all(p.poll() is None for p in procs), [p.stderr.read() for p in procs]
        time.sleep(0.005)  # poll interval
    go.touch()
    try:
        errors = [p.communicate(timeout=120)[1] for p in procs]
    finally:
        for p in procs:
            p.kill()  # no-op for a process that has exited
    assert [p.returncode for p in procs] == [0, 0], errors
    with Store(path) as store:
        keys = [r[0] for r in store._conn.execute("SELECT job_key FROM responses")]
        assert len(keys) == len(set(keys)) == n // 2 * 2 + n // 2  # a's and b's odd keys, shared even keys once
        assert store._conn.execute("SELECT COUNT(*) FROM run_jobs").fetchone()[0] == n + n // 2
        assert [r.run.run_id for r in store.list_runs()] == ["run-shared"]
        spans = {w: store._conn.execute("SELECT MIN(created), MAX(created) FROM responses WHERE output_text LIKE ?",
                                        (f"{w} wrote %",)).fetchone() for w in ("a", "b")}
    assert spans["a"][0] < spans["b"][1] and spans["b"][0] < spans["a"][1], f"the writes did not overlap: {spans}"
