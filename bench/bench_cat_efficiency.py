"""Benchmark: adaptive testing efficiency of valuecompass.cat vs random tests and catsim.

A simulated 300-item bank (a ~ U(0.7, 2), b ~ N(0, 1)) and 500 simulated examinees
(theta ~ N(0, 1)). The adaptive test (maximum information, EAP, stop at SE <= 0.3,
cap 100 items) is compared with a random fixed-length test of equal length, with
the random-test length needed for the same RMSE, and with catsim on the same bank.
Targets: adaptive RMSE <= 0.3 with <= 25 items on average; random needs >= 2.5x as many.

Run:  .venv/bin/python bench/bench_cat_efficiency.py [--examinees 500] [--reps 5]
"""

from __future__ import annotations

import os

# Small matrices: BLAS threads only add synchronisation overhead (see bench_irt_recovery.py).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import argparse  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from valuecompass.cat import (  # noqa: E402
    AnyOf, CATBank, CATConfig, CATEngine, MaxItems, RandomSelector, SETarget, SimulationResult, simulate,
)
from valuecompass.irt import ItemParams, estimate_abilities, simulate_responses  # noqa: E402

SE_TARGET, CAP = 0.3, 100


def _row(label: str, res: SimulationResult, seconds: float) -> None:
    print(f"  {label:44s} {res.mean_items:6.1f} {res.n_steps.mean():6.1f} {res.rmse:6.3f} {res.bias:+6.3f} "
          f"{res.se.mean():6.3f} {res.exposure.max():6.2f} {seconds:7.1f}")


def _timed(engine: CATEngine, bank: CATBank, theta: np.ndarray) -> tuple[SimulationResult, float]:
    t = time.perf_counter()
    res = simulate(engine, bank, theta, seed=2)
    return res, time.perf_counter() - t


def _random_rmse(length: int, a: np.ndarray, b: np.ndarray, theta: np.ndarray, reps: int) -> float:
    """RMSE of EAP from random fixed-length tests (all examinees at once), mean over reps."""
    out = []
    for rep in range(reps):
        rng = np.random.default_rng([length, rep])
        u = simulate_responses(theta, a, b, rng)
        keep = np.argsort(rng.random(u.shape), axis=1) < length      # a random subset per examinee
        est = estimate_abilities(np.where(keep, u, np.nan), a, b)
        out.append(np.sqrt(np.mean((est.theta - theta) ** 2)))
    return float(np.mean(out))


def _length_for(rmse: float, a: np.ndarray, b: np.ndarray, theta: np.ndarray, reps: int) -> int:
    """Smallest random-test length whose RMSE is at most ``rmse`` (bisection; RMSE falls with length)."""
    lo, hi = 1, len(a)
    while lo < hi:
        mid = (lo + hi) // 2
        if _random_rmse(mid, a, b, theta, reps) <= rmse:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _catsim(a: np.ndarray, b: np.ndarray, theta: np.ndarray) -> None:
    try:
        from catsim.estimation import NumericalSearchEstimator
        from catsim.initialization import FixedPointInitializer
        from catsim.selection import MaxInfoSelector
        from catsim.simulation import Simulator
        from catsim.stopping import MinErrorStopper
    except ImportError:
        print("  (catsim not importable: skipped)")
        return
    items = np.column_stack([a, b, np.zeros_like(a), np.ones_like(a)])
    t = time.perf_counter()
    sim = Simulator(items, theta, seed=2)
    sim.simulate(FixedPointInitializer(0.0), MaxInfoSelector(), NumericalSearchEstimator(),
                 MinErrorStopper(SE_TARGET, max_items=CAP))
    seconds = time.perf_counter() - t
    lengths = np.array([len(x) for x in sim.administered_items])
    print(f"  {'catsim: max info, MLE, SE <= 0.3':44s} {lengths.mean():6.1f} {lengths.mean():6.1f} "
          f"{sim.rmse:6.3f} {sim.bias:+6.3f} {'':6s} {'':6s} {seconds:7.1f}")


def main() -> None:
    """Run the simulations and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examinees", type=int, default=500)
    parser.add_argument("--items", type=int, default=300)
    parser.add_argument("--reps", type=int, default=5, help="replications per random-test length")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    a, b = rng.uniform(0.7, 2.0, args.items), rng.normal(size=args.items)
    theta = np.random.default_rng(1).normal(size=args.examinees)
    bank = CATBank.from_params([ItemParams(item_id=f"q{j}", a=float(a[j]), b=float(b[j])) for j in range(len(a))])
    print(f"bank {len(a)} items, {len(theta)} examinees; stop at SE <= {SE_TARGET} or {CAP} items")
    print(f"  {'test':44s} {'items':>6s} {'steps':>6s} {'rmse':>6s} {'bias':>6s} {'se':>6s} {'maxexp':>6s} "
          f"{'time s':>7s}")
    stop = AnyOf([SETarget(SE_TARGET), MaxItems(CAP)])
    adaptive, secs = _timed(CATEngine(stopper=stop), bank, theta)
    _row("valuecompass: max info, EAP", adaptive, secs)
    for label, config in [("valuecompass: randomesque 5", CATConfig(randomesque=5, max_items=CAP)),
                          ("valuecompass: batch 4 per step", CATConfig(batch_size=4, max_items=CAP)),
                          ("valuecompass: batch 4 + randomesque 5", CATConfig(batch_size=4, randomesque=5,
                                                                               max_items=CAP))]:
        _row(label, *_timed(CATEngine.from_config(config), bank, theta))
    length = int(round(adaptive.mean_items))
    fixed, secs = _timed(CATEngine(selector=RandomSelector(), stopper=MaxItems(length)), bank, theta)
    _row(f"random fixed length {length} (engine)", fixed, secs)
    _catsim(a, b, theta)
    print(f"\nrandom fixed length {length}, vectorised EAP, mean of {args.reps} reps: "
          f"RMSE {_random_rmse(length, a, b, theta, args.reps):.3f}")
    needed = _length_for(adaptive.rmse, a, b, theta, args.reps)
    print(f"random test length for RMSE <= {adaptive.rmse:.3f} (adaptive's): {needed} items "
          f"= {needed / adaptive.mean_items:.2f} x the adaptive mean of {adaptive.mean_items:.1f}")
    ok = adaptive.rmse <= 0.3 and adaptive.mean_items <= 25 and needed >= 2.5 * adaptive.mean_items
    print(f"targets (RMSE <= 0.3, <= 25 items, random >= 2.5x): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
