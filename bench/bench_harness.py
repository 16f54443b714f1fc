"""Benchmark: harness overhead of the runner and store, with the fake provider.

Administers 10,000 jobs (400 seed items x 25 samples) through ``run_fixed_form``:
planning, job keys, the runner, and one SQLite transaction per stored answer.
A second pass uses a fake model that awaits once per call (so the 128 workers
really interleave, as with a network provider). Then the same form is rerun
(all 10,000 answers reused from the store). Baselines measured in the same run:
the fake model's ``generate`` alone (no runner, no store) and
``Store.insert_response`` alone.

Targets: >= 2,000 administrations/s, peak RSS < 300 MB.

Run:  .venv/bin/python bench/bench_harness.py [--n-items 400] [--samples 25]
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import tempfile
import time
from pathlib import Path

from valuecompass.items import load_seed_bank
from valuecompass.models import FakeModel, GenerateConfig
from valuecompass.pipeline import FixedFormConfig, plan_fixed_form, run_fixed_form
from valuecompass.store import ResponseRecord, Store


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _model_only(n: int) -> float:
    model = FakeModel()
    messages = [{"role": "user", "content": "Should a nurse tell a patient the whole truth?"}]
    t = time.perf_counter()
    for k in range(n):
        await model.generate(messages, GenerateConfig(seed=k, temperature=0.7))
    return time.perf_counter() - t


def _store_only(directory: Path, n: int) -> float:
    with Store(directory / "store-only.sqlite") as store:
        t = time.perf_counter()
        for k in range(n):
            store.insert_response(ResponseRecord(
                job_key=f"k{k}", run_id="r", item_id="i", item_hash="h", sample_index=k, model_spec="fake/echo",
                messages=[{"role": "user", "content": "q"}], settings={"seed": k}, output_text="a"))
        return time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n-items", type=int, default=400)
    parser.add_argument("--samples", type=int, default=25)
    args = parser.parse_args()
    items = load_seed_bank()[: args.n_items]
    n = len(items) * args.samples
    config = FixedFormConfig(model="fake/echo", samples=args.samples, generate=GenerateConfig(temperature=0.7))
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp)
        rss_before = _peak_rss_mb()
        with Store(directory / "harness.sqlite") as store:
            t = time.perf_counter()
            first = asyncio.run(run_fixed_form(config, store, model=FakeModel(), items=items))
            total_s = time.perf_counter() - t
            t = time.perf_counter()
            again = asyncio.run(run_fixed_form(config, store, model=FakeModel(), items=items))
            rerun_s = time.perf_counter() - t
        with Store(directory / "yielding.sqlite") as store:  # every call awaits: 128 workers interleave
            t = time.perf_counter()
            yielding = asyncio.run(run_fixed_form(config, store, model=FakeModel(delay_s=1e-9), items=items))
            yielding_s = time.perf_counter() - t
        rss_after = _peak_rss_mb()
        t = time.perf_counter()
        plan_fixed_form(config, items, {"spec": "fake/echo"}, "bench")
        plan_s = time.perf_counter() - t
        model_s = asyncio.run(_model_only(n))
        store_s = _store_only(directory, n)
    assert first.stats.completed == n == yielding.stats.completed and again.stats.cached == n
    print(f"administrations: {n} ({len(items)} items x {args.samples} samples), fake provider")
    print(f"  end to end (plan + run + store): {total_s:6.2f} s  {n / total_s:8.0f} administrations/s"
          f"   target >= 2000: {'PASS' if n / total_s >= 2000 else 'FAIL'}")
    print(f"  runner phase only:               {first.stats.elapsed_s:6.2f} s  "
          f"{n / first.stats.elapsed_s:8.0f} /s")
    print(f"  same, fake model awaiting once per call: {yielding_s:6.2f} s  {n / yielding_s:8.0f} /s")
    print(f"  rerun, all {n} reused:        {rerun_s:6.2f} s  {n / rerun_s:8.0f} /s")
    print(f"  peak RSS over the runs: {rss_after:.0f} MB (before them {rss_before:.0f} MB)"
          f"   target < 300 MB: {'PASS' if rss_after < 300 else 'FAIL'}")
    print("baselines (same run):")
    print(f"  planning alone (keys, messages): {plan_s:6.2f} s  {n / plan_s:8.0f} /s")
    print(f"  fake generate alone:             {model_s:6.2f} s  {n / model_s:8.0f} /s")
    print(f"  store insert alone (1 tx each):  {store_s:6.2f} s  {n / store_s:8.0f} /s")
    print(f"  harness time / (generate + insert) baselines: {total_s / (model_s + store_s):.2f}x")


if __name__ == "__main__":
    main()
