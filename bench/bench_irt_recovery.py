"""Benchmark: 2PL parameter recovery of valuecompass.irt.calibrate_2pl vs girth and mirt.

Scenario "dense": 2,000 simulated examinees x 60 items, a ~ U(0.7, 2), b ~ N(0, 1),
theta ~ N(0, 1) (targets: r(a) >= 0.95, r(b) >= 0.98). Scenario "sparse": a store-like
setting, 40 examinees (LLMs) x 60 items with half the cells missing, averaged over
replications. Each library gets the same data; times are wall-clock seconds of one fit.

Run:  .venv/bin/python bench/bench_irt_recovery.py [--reps 3] [--sparse-reps 10]
girth (dev dependency) and mirt (PyPI ``mirt``, optional) are compared when importable.
"""

from __future__ import annotations

import os

# The matrices here are small; OpenBLAS threads only add synchronisation (on a
# loaded 2-core machine a (60 x 2000) @ (2000 x 61) product ran 200x slower threaded).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from typing import NamedTuple  # noqa: E402

import numpy as np  # noqa: E402

from valuecompass.irt import CalibrationConfig, calibrate_2pl, simulate_responses  # noqa: E402


class Fit(NamedTuple):
    a: np.ndarray
    b: np.ndarray
    seconds: float


def _ours(u: np.ndarray, se: bool) -> Fit:
    t = time.perf_counter()
    res = calibrate_2pl(u, config=CalibrationConfig(standard_errors=se))
    return Fit(res.a, res.b, time.perf_counter() - t)


def _girth(u: np.ndarray) -> Fit:
    import girth

    data = np.where(np.isnan(u), girth.INVALID_RESPONSE, u).astype(int).T
    t = time.perf_counter()
    res = girth.twopl_mml(data)
    return Fit(np.asarray(res["Discrimination"]), np.asarray(res["Difficulty"]), time.perf_counter() - t)


def _mirt(u: np.ndarray, se: bool) -> Fit:
    import mirt

    t = time.perf_counter()
    res = mirt.fit_mirt(u, model="2PL", compute_standard_errors=se)
    return Fit(np.ravel(res.model.discrimination), np.ravel(res.model.difficulty), time.perf_counter() - t)


def _available(name: str) -> bool:
    try:
        __import__(name)
    except ImportError:
        print(f"  ({name} not importable: skipped)")
        return False
    return True


def _methods() -> dict[str, Callable[[np.ndarray], Fit]]:
    methods: dict[str, Callable[[np.ndarray], Fit]] = {
        "valuecompass (no SE)": lambda u: _ours(u, False),
        "valuecompass (+SE)": lambda u: _ours(u, True),
    }
    if _available("girth"):
        methods["girth 0.8 twopl_mml"] = _girth
    if _available("mirt"):
        methods["mirt 1.2 fit_mirt (no SE)"] = lambda u: _mirt(u, False)
        methods["mirt 1.2 fit_mirt (+SE)"] = lambda u: _mirt(u, True)
    return methods


def _scenario(name: str, n: int, m: int, missing: float, reps: int) -> None:
    methods = _methods()
    rows: dict[str, list[tuple[float, ...]]] = {k: [] for k in methods}
    for rep in range(reps):
        rng = np.random.default_rng(rep)
        a, b, theta = rng.uniform(0.7, 2.0, m), rng.normal(size=m), rng.normal(size=n)
        u = simulate_responses(theta, a, b, rng, missing=missing)
        for label, method in methods.items():
            fit = method(u)
            rows[label].append((np.corrcoef(fit.a, a)[0, 1], np.corrcoef(fit.b, b)[0, 1],
                                np.sqrt(np.mean((fit.a - a) ** 2)), np.sqrt(np.mean((fit.b - b) ** 2)),
                                fit.seconds))
    print(f"\n{name}: {n} examinees x {m} items, {missing:.0%} missing, mean of {reps} replication(s)")
    print(f"  {'method':28s} {'r(a)':>7s} {'r(b)':>7s} {'rmse a':>7s} {'rmse b':>7s} {'time s':>7s}")
    base = float(np.mean([r[4] for r in rows.get("girth 0.8 twopl_mml", [(0, 0, 0, 0, np.nan)])]))
    for label, vals in rows.items():
        mean = np.mean(vals, axis=0)
        print(f"  {label:28s} {mean[0]:7.3f} {mean[1]:7.3f} {mean[2]:7.3f} {mean[3]:7.3f} {mean[4]:7.2f}"
              f"   time / girth = {mean[4] / base:.2f}")


def main() -> None:
    """Run both scenarios and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=3, help="replications of the dense scenario")
    parser.add_argument("--sparse-reps", type=int, default=10, help="replications of the sparse scenario")
    args = parser.parse_args()
    print(f"numpy {np.__version__}; OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    _scenario("dense (targets r(a) >= 0.95, r(b) >= 0.98)", 2000, 60, 0.0, args.reps)
    _scenario("sparse, store-like", 40, 60, 0.5, args.sparse_reps)


if __name__ == "__main__":
    main()
