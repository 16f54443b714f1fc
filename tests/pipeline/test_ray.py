"""The Ray executor on a real cluster: a head and a second worker node on loopback, started and stopped here.

A worker node killed mid-sweep loses nothing and duplicates nothing: the sweep's store ends identical to
a single-process run of the same sweep. The fault-injection endpoint is answered exactly once per job.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._servers import free_port
from tests._stores import count_responses
from valuecompass.errors import UsageError
from valuecompass.pipeline import Sweep, SweepModel, run_sweep
from valuecompass.store import Store

RAY = str(Path(sys.executable).with_name("ray"))


def test_a_missing_ray_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    from valuecompass.pipeline._ray import require_ray

    monkeypatch.setitem(sys.modules, "ray", None)
    with pytest.raises(UsageError, match="needs Ray") as info:
        require_ray()
    assert "pip install 'valuecompass[ray]'" in info.value.hint


def _dump(path: Path) -> tuple:
    """Everything a sweep stores that must not depend on the executor (ids, texts, labels, scores, links)."""
    conn = sqlite3.connect(path)
    try:
        return (sorted(conn.execute("SELECT job_key, run_id, item_id, output_text FROM responses")),
                sorted(conn.execute("SELECT response_key, judge_id, dimension, label, parse_status FROM judgments")),
                sorted(conn.execute("SELECT run_id, dimension, method, judge_id, round(score, 9), round(ci_low, 9), "
                                    "round(ci_high, 9), n_items FROM estimates")),
                sorted(conn.execute("SELECT run_id, status, model_spec FROM runs")),
                sorted(conn.execute("SELECT run_id, job_key, position, item_id FROM run_jobs")),
                sorted(conn.execute("SELECT run_id, dimension, state FROM cat_states")))
    finally:
        conn.close()


def _sweep(mode: str, delay: float, **settings: object) -> Sweep:
    return Sweep(models=(SweepModel(model="fake/echo", options={"delay_s": delay}, max_connections=1),
                         SweepModel(model="fake/value", options={"delay_s": delay}, max_connections=1)),
                 judge={"model": "fake/judge"}, mode=mode, systems=("mft",), settings=settings)


@pytest.fixture
def ray_env(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    pytest.importorskip("ray")
    # a loopback test cluster: no token (Ray's token files are per user, shared with any other cluster)
    monkeypatch.setenv("RAY_AUTH_MODE", "disabled")
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    return dict(os.environ)


@pytest.fixture
def two_node_cluster(ray_env: dict[str, str]) -> Iterator[tuple[str, subprocess.Popen]]:
    """``ray start --head`` on a free loopback port (1 CPU), plus a second node (2 CPUs) in its own process group."""
    port = free_port()
    subprocess.run([RAY, "start", "--head", "--node-ip-address", "127.0.0.1", "--port", str(port), "--num-cpus", "1",
                    "--include-dashboard=false", "--disable-usage-stats"], check=True, env=ray_env,
                   capture_output=True, timeout=120)
    worker = subprocess.Popen([RAY, "start", "--address", f"127.0.0.1:{port}", "--node-ip-address", "127.0.0.1",
                               "--num-cpus", "2", "--block", "--disable-usage-stats"], env=ray_env,
                              start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:  # wait for the second node to join
            status = subprocess.run([RAY, "status", "--address", f"127.0.0.1:{port}"], env=ray_env,
                                    capture_output=True, text=True, timeout=60)
            if status.stdout.count(" node_") >= 2:
                break
            time.sleep(1)
        else:
            pytest.fail(f"the second Ray node did not join: {status.stdout[-1000:]}")
        yield f"127.0.0.1:{port}", worker
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
        subprocess.run([RAY, "stop", "--force"], env=ray_env, capture_output=True, timeout=120)


@pytest.mark.slow
@pytest.mark.parametrize("mode, settings", [("fixed", {"items": 4}), ("adaptive", {"max_items": 4})])
def test_killing_a_worker_node_mid_sweep_loses_and_duplicates_nothing(two_node_cluster, tmp_path: Path, mode: str,
                                                                       settings: dict) -> None:
    from valuecompass.pipeline._ray import run_sweep_ray

    address, worker = two_node_cluster
    sweep = _sweep(mode, 0.3, **settings)
    ray_store, local_store = tmp_path / "ray.sqlite", tmp_path / "local.sqlite"

    def kill_when_answering() -> None:
        deadline = time.monotonic() + 120
        while count_responses(ray_store) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(worker.pid, signal.SIGKILL)

    killer = threading.Thread(target=kill_when_answering, daemon=True)
    killer.start()
    with Store(ray_store) as store:
        result = run_sweep_ray(sweep, store, address=address)
    killer.join(5)
    assert worker.poll() is not None  # the node was killed while the sweep ran
    assert [m.state for m in result.models] == ["complete", "complete"], [m.error for m in result.models]
    with Store(local_store) as store:
        asyncio.run(run_sweep(sweep, store))
    assert _dump(ray_store) == _dump(local_store)
    keys = [k for (k,) in sqlite3.connect(ray_store).execute("SELECT job_key FROM responses")]
    assert len(keys) == len(set(keys)) > 0


@pytest.mark.slow
def test_the_fault_injection_endpoint_under_ray(ray_env, fault_server, tmp_path: Path) -> None:
    from valuecompass.pipeline._ray import run_sweep_ray

    server = fault_server(fault_share=0.25, delay_s=0.01, retry_after="0")
    sweep = Sweep(models=(SweepModel(model="openai/loopback", base_url=server.base_url, max_connections=4),),
                  judge={"model": "fake/judge"}, mode="fixed", systems=("schwartz", "mft"),
                  settings={"items": 4, "max_attempts": 8, "timeout": 2.0})
    with Store(tmp_path / "s.sqlite") as store:
        [status] = run_sweep_ray(sweep, store, num_workers=2).models
        assert status.state == "complete", status.error
        views = store.response_views(status.run_id)
    assert len(views) == 60 and len({v.response.job_key for v in views}) == 60
    assert sum(server.log.faults.values()) > 0  # faults were injected and retried
    assert all(n == 1 for n in server.log.answered.values()) and len(server.log.answered) == 60


def test_a_worker_builds_each_model_and_judge_once() -> None:
    from valuecompass.pipeline import RunRequest
    from valuecompass.pipeline._ray_worker import _cached_judge, _cached_model

    first = _cached_model("fake/echo", {"delay_s": 0.0})
    assert _cached_model("fake/echo", {"delay_s": 0.0}) is first
    assert _cached_model("fake/echo", {"delay_s": 0.1}) is not first
    request = RunRequest(model="fake/echo", judge="fake/judge")
    assert _cached_judge(request, {}) is _cached_judge(request, {})


@pytest.mark.slow
def test_an_embedded_gguf_model_under_ray_answers_as_in_one_process(ray_env, smollm2_path, tmp_path: Path) -> None:
    """local/smollm2-135m (llama.cpp in the worker) on a local 2-CPU cluster: the same answers as one process."""
    from valuecompass.pipeline._ray import run_sweep_ray

    sweep = Sweep(models=(SweepModel(model="local/smollm2-135m"),), judge={"model": "fake/judge"}, mode="fixed",
                  dimensions=("care", "fairness", "power"), settings={"items": 2, "max_tokens": 12})
    with Store(tmp_path / "ray.sqlite") as store:
        [status] = run_sweep_ray(sweep, store, num_workers=2).models
        assert status.state == "complete", status.error
    with Store(tmp_path / "local.sqlite") as store:
        [local] = asyncio.run(run_sweep(sweep, store)).models
        assert local.state == "complete", local.error
    ray_rows, local_rows = _dump(tmp_path / "ray.sqlite"), _dump(tmp_path / "local.sqlite")
    assert ray_rows == local_rows and len(ray_rows[0]) == 6
    assert all(text for *_, text in ray_rows[0])


@pytest.fixture
def client_cluster(ray_env: dict[str, str]) -> Iterator[str]:
    """``ray start --head`` on loopback with a Ray Client server: yields its ``ray://`` address."""
    pytest.importorskip("grpc", reason="Ray Client needs grpcio (requirements/ecosystem.txt)")
    port, client_port = free_port(), free_port()
    subprocess.run([RAY, "start", "--head", "--node-ip-address", "127.0.0.1", "--port", str(port), "--num-cpus", "2",
                    "--ray-client-server-port", str(client_port), "--include-dashboard=false",
                    "--disable-usage-stats"], check=True, env=ray_env, capture_output=True, timeout=120)
    try:
        yield f"ray://127.0.0.1:{client_port}"
    finally:
        subprocess.run([RAY, "stop", "--force"], env=ray_env, capture_output=True, timeout=120)


@pytest.mark.slow
def test_a_sweep_through_ray_client_matches_one_process(client_cluster: str, tmp_path: Path) -> None:
    from valuecompass.pipeline._ray import run_sweep_ray

    sweep = _sweep("fixed", 0.0, items=2)
    with Store(tmp_path / "ray.sqlite") as store:
        result = run_sweep_ray(sweep, store, address=client_cluster)
    assert [m.state for m in result.models] == ["complete", "complete"], [m.error for m in result.models]
    with Store(tmp_path / "local.sqlite") as store:
        asyncio.run(run_sweep(sweep, store))
    assert _dump(tmp_path / "ray.sqlite") == _dump(tmp_path / "local.sqlite")
