"""Benchmark: concurrency against a loopback endpoint that answers every request after 100 ms.

The endpoint (``tests/_servers.py``'s FaultServer, no faults) runs in its own
process. With 32 connections the ideal is 32 / 0.1 s = 320 requests/s.
Measured: the full path (``run_fixed_form`` with the ``openai`` provider: the
SDK, the runner, one SQLite transaction per answer, each run in a fresh store
with a fresh HTTP client), and as a baseline in the same process, bare
``httpx`` sending the same requests with 32 connections (the most this machine
and server allow; on a 2-core machine shared with other work, both figures
drop with the load, the ratio between them much less).

A run is 6,480 requests by default: one pass over the 648 seed items with 10
samples each, the size of a real fixed-form run (about 22 s). Shorter runs pay
the per-run set-up (planning and storing the run's jobs, opening 32
connections, the last straggling answers) over fewer requests: with
``--requests 1280`` (4 s runs) the full path measured 2-3 points lower.

The process first makes one small untimed run of each kind, so that the
one-off imports (the openai SDK takes about 0.35 s to import) are not counted
as concurrency; that first, cold run is timed and printed too. Then each kind
runs ``--repeats`` times, alternating, and the median is reported.

Target: the full path >= 90 % of the ideal.

Run:  .venv/bin/python bench/bench_concurrency.py [--requests 6480] [--connections 32] [--delay 0.1] [--repeats 3]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

from valuecompass.items import load_seed_bank, render_messages
from valuecompass.models import GenerateConfig
from valuecompass.pipeline import FixedFormConfig, RunnerOptions, run_fixed_form
from valuecompass.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the loopback server lives with the tests

from tests._servers import spawn_fault_server  # noqa: E402


async def _raw_httpx(base_url: str, n: int, connections: int) -> float:
    """The same requests (same prompts, same body fields) sent with bare httpx; answers parsed as JSON."""
    bank = load_seed_bank()
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:
        queue = iter(range(n))

        async def worker() -> None:
            for k in queue:
                body = {"model": "loopback", "messages": render_messages(bank[k % len(bank)]), "temperature": 0.7,
                        "max_tokens": 256, "seed": k}
                response = await client.post(f"{base_url}/chat/completions", json=body)
                response.raise_for_status()
                response.json()

        t = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(connections)))
        return time.perf_counter() - t


async def _full_path(base_url: str, n: int, connections: int, store: Store) -> tuple[float, int]:
    bank = load_seed_bank()
    samples = -(-n // len(bank))
    items = bank[: -(-n // samples)]
    config = FixedFormConfig(model="openai/loopback", model_options={"base_url": base_url}, samples=samples,
                             generate=GenerateConfig(temperature=0.7))
    t = time.perf_counter()
    result = await run_fixed_form(config, store, items=items, options=RunnerOptions(max_connections=connections))
    elapsed = time.perf_counter() - t
    assert result.stats.completed == len(items) * samples
    return elapsed, result.stats.completed


def _full_path_fresh_store(base_url: str, n: int, connections: int) -> tuple[float, int]:
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.sqlite") as store:
        return asyncio.run(_full_path(base_url, n, connections, store))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=6480)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--delay", type=float, default=0.1)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    ideal = args.connections / args.delay
    proc, base_url = spawn_fault_server(args.delay, ROOT)
    raw_rates: list[float] = []
    full_rates: list[float] = []
    try:
        cold_s, cold_n = _full_path_fresh_store(base_url, 2 * args.connections, args.connections)
        asyncio.run(_raw_httpx(base_url, 2 * args.connections, args.connections))
        for _ in range(args.repeats):
            raw_rates.append(args.requests / asyncio.run(_raw_httpx(base_url, args.requests, args.connections)))
            full_s, n_full = _full_path_fresh_store(base_url, args.requests, args.connections)
            full_rates.append(n_full / full_s)
    finally:
        proc.terminate()
        proc.wait(10)
    raw_rate, full_rate = statistics.median(raw_rates), statistics.median(full_rates)
    print(f"loopback endpoint: {args.delay * 1000:.0f} ms per answer, {args.connections} connections, "
          f"ideal {ideal:.0f} requests/s; {args.requests} requests per run, median of {args.repeats} runs")
    print(f"  cold first run of the full path (imports included): {cold_n} requests in {cold_s:.2f} s")
    print(f"  baseline, bare httpx:                    {raw_rate:6.1f}/s ({raw_rate / ideal:6.1%} of ideal)   "
          f"runs: {', '.join(f'{r:.0f}' for r in raw_rates)}")
    print(f"  full path (openai SDK + runner + store): {full_rate:6.1f}/s ({full_rate / ideal:6.1%} of ideal, "
          f"{full_rate / raw_rate:6.1%} of bare httpx)   runs: {', '.join(f'{r:.0f}' for r in full_rates)}")
    print(f"  target >= 90% of ideal: {'PASS' if full_rate >= 0.9 * ideal else 'FAIL'}")


if __name__ == "__main__":
    main()
