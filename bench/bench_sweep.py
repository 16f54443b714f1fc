"""Benchmark of sweeps: many models on loopback endpoints, one after another, concurrently, and on Ray.

Each model is its own loopback OpenAI-compatible endpoint (``tests/_servers.py``, a separate process)
answering ``--delay`` seconds after each request; the judge is one more such endpoint. Every model runs
the default adaptive run (all 27 dimensions unless ``--dimensions``). Measured in one invocation, each
configuration into a fresh store:

- **sequential**: one process, the models one after another (``run_sweep`` with one model at a time);
- **concurrent**: one process, every model at once (``run_sweep``);
- **ray N**: the Ray executor on a local cluster of N CPUs, ``--tasks-per-cpu`` tasks per CPU (the cluster
  is started before the clock starts; its start-up is printed apart).

Figures: wall time of each; the **ideal** of the concurrent sweep, the longest single model of the
sequential run (models that did not slow each other down; each model's own connection limit and round
trips set it), and the concurrent sweep's share of it; Ray's own **per-task overhead** (200 empty tasks);
and that every configuration stored the same answers.

    python bench/bench_sweep.py                       # 8 models x 27 dimensions, 200 ms, Ray 1/2/4
    python bench/bench_sweep.py --models 2 --dimensions care,power --ray 2   # a quick check
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from valuecompass.pipeline import Sweep, SweepModel, chosen_dimensions, run_sweep
from valuecompass.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the loopback server lives with the tests

from tests._servers import spawn_fault_server  # noqa: E402


def _answers(path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(path)
    try:
        return sorted(conn.execute("SELECT job_key, output_text FROM responses"))
    finally:
        conn.close()


def _sweep(urls: list[str], judge_url: str, dimensions: tuple[str, ...], connections: int) -> Sweep:
    return Sweep(models=tuple(SweepModel(model=f"openai/model-{n}", base_url=url, max_connections=connections)
                              for n, url in enumerate(urls)),
                 judge={"model": "openai/judge", "base_url": judge_url}, dimensions=dimensions)


class _Noop:
    async def run(self) -> None:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", type=int, default=8)
    parser.add_argument("--delay", type=float, default=0.2, help="Seconds each endpoint takes per answer.")
    parser.add_argument("--dimensions", default="", help="Comma-separated ids (default: all 27).")
    parser.add_argument("--connections", type=int, default=8, help="Each model's connection limit.")
    parser.add_argument("--ray", default="1,2,4", help="CPUs of the local Ray clusters to try ('' for none).")
    parser.add_argument("--tasks-per-cpu", type=int, default=16, help="Tests at once per CPU (the executor's "
                        "default).")
    args = parser.parse_args()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    dims = tuple(d for d in args.dimensions.split(",") if d)
    servers = [spawn_fault_server(args.delay, ROOT) for _ in range(args.models + 1)]
    urls, judge_url = [u for _, u in servers[:-1]], servers[-1][1]
    sweep = _sweep(urls, judge_url, dims, args.connections)
    n_dims = len(chosen_dimensions(sweep.requests()[0].adaptive_config()))
    tmp = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    walls: dict[str, float] = {}
    startup: dict[int, float] = {}
    per_task: dict[int, float] = {}
    per_model: list[float] = []
    try:
        with Store(tmp / "sequential.sqlite") as store:
            start = time.perf_counter()
            for entry in sweep.models:
                t0 = time.perf_counter()
                [status] = asyncio.run(run_sweep(sweep.model_copy(update={"models": (entry,)}), store)).models
                assert status.state == "complete", status.error
                per_model.append(time.perf_counter() - t0)
            walls["sequential"] = time.perf_counter() - start
        with Store(tmp / "concurrent.sqlite") as store:
            start = time.perf_counter()
            result = asyncio.run(run_sweep(sweep, store))
            walls["concurrent"] = time.perf_counter() - start
            assert not result.failed, [m.error for m in result.failed]
        ray_cpus = [int(c) for c in args.ray.split(",") if c]
        for cpus in ray_cpus:
            from valuecompass.pipeline._ray import ray_cluster, run_sweep_ray

            t0 = time.perf_counter()
            with ray_cluster(None, cpus) as ray:
                startup[cpus] = time.perf_counter() - t0
                workers = [ray.remote(num_cpus=0, max_concurrency=args.tasks_per_cpu)(_Noop).remote()
                           for _ in range(cpus)]  # as the executor's: one async actor per CPU
                ray.get([w.run.remote() for w in workers])  # the actors' processes are up
                t0 = time.perf_counter()
                ray.get([workers[k % cpus].run.remote() for k in range(200)])
                per_task[cpus] = (time.perf_counter() - t0) / 200
                with Store(tmp / f"ray-{cpus}.sqlite") as store:
                    start = time.perf_counter()
                    result = run_sweep_ray(sweep, store, tasks_per_cpu=args.tasks_per_cpu)
                    walls[f"ray {cpus}"] = time.perf_counter() - start
                    assert not result.failed, [m.error for m in result.failed]
        reference = _answers(tmp / "sequential.sqlite")
        same = all(_answers(tmp / f"{name.replace(' ', '-')}.sqlite") == reference for name in walls)
    finally:
        for proc, _ in servers:
            proc.kill()
    tasks = args.models * n_dims
    ideal = max(per_model)
    print(f"sweep of {args.models} models x {n_dims} dimensions (default adaptive run), endpoints answering after "
          f"{args.delay * 1000:.0f} ms, {args.connections} connections per model, {len(reference)} answers")
    print(f"  {'configuration':22s} {'wall s':>8s} {'vs sequential':>14s}")
    for name, wall in walls.items():
        print(f"  {name:22s} {wall:8.1f} {walls['sequential'] / wall:13.2f}x")
    print(f"ideal concurrent (longest single model): {ideal:.1f} s; concurrent reached {ideal / walls['concurrent']:.1%} "
          f"of it (target >= 85%)")
    for cpus in ray_cpus:
        print(f"ray {cpus}: {tasks} tasks, {cpus * args.tasks_per_cpu} at once; cluster start {startup[cpus]:.1f} s "
              f"(not in the wall time); Ray's own per-task overhead {per_task[cpus] * 1000:.1f} ms (200 empty "
              f"actor tasks, {cpus * args.tasks_per_cpu} at once)")
    if "ray 2" in walls:
        verdict = "met" if walls["ray 2"] <= walls["concurrent"] else "not met"
        print(f"ray 2 vs concurrent single process: {walls['ray 2']:.1f} s vs {walls['concurrent']:.1f} s "
              f"(target: no slower; {verdict})")
    print(f"every configuration stored the same answers: {same}")


if __name__ == "__main__":
    main()
