"""The Ray executor of sweeps: each (model, dimension) test is a Ray task; this process writes every result.

``valuecompass sweep FILE --executor ray`` (and ``run ... --executor ray``) plans each model's run here,
exactly as a single process would (the same run ids), and submits one task per (model, dimension) to a Ray
cluster: ``--ray-address auto`` (a running cluster), ``ray://HOST:PORT`` (Ray Client), or empty for a local
cluster started and stopped for the sweep. The tasks are calls of worker actors, one per CPU of the
cluster, each running many tests at once as coroutines (``tasks_per_cpu``): the tests mostly wait, on
endpoints or on the one copy of a local model a worker loads, so a process per test would only add
processes. A test runs against a private store and streams every write to a sink actor pinned to this
node (see :mod:`valuecompass.pipeline._ray_worker`); this process, the single writer of the SQLite store,
applies them as they come. A worker lost with its node is restarted by Ray, which retries its unfinished
tests (``max_task_retries``); a retry first replays what the dead attempt streamed, so nothing is asked
twice, and since every write is content-addressed nothing is stored twice.

Ray is an optional extra (``pip install 'valuecompass[ray]'``): nothing else imports this module.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from valuecompass.errors import UsageError
from valuecompass.frameworks import get_dimension
from valuecompass.items import load_seed_bank
from valuecompass.judge import Judge, make_judge
from valuecompass.models import ModelCard, get_model
from valuecompass.pipeline._adaptive import adaptive_run_record, chosen_dimensions, store_metrics
from valuecompass.pipeline._fixed_form import load_items, prepare_run
from valuecompass.pipeline._ray_worker import DimensionWorker, Snapshot, apply_write
from valuecompass.pipeline._cards import record_model_card
from valuecompass.pipeline._request import RunRequest
from valuecompass.pipeline._sweep import (
    ModelStatus,
    Sweep,
    SweepProgress,
    SweepResult,
    _message,
    _preflight,
    _refresh,
    started_at,
)
from valuecompass.pipeline.judging import is_self_judged, record_judge
from valuecompass.pipeline.scoring import score_run
from valuecompass.store import RunRecord, Store

log = logging.getLogger(__name__)

#: Attempts Ray makes of a test whose worker died (its application errors are not retried: they are reported),
#: and restarts of a worker actor.
MAX_TASK_RETRIES = 3
#: Tests at once per CPU of the cluster, by default (coroutines in one worker process per CPU).
TESTS_PER_CPU = 16


def require_ray() -> Any:
    """The ``ray`` module.

    Raises:
        UsageError: if Ray is not installed, with the install command.
    """
    try:
        import ray
    except ImportError as exc:
        raise UsageError("--executor ray needs Ray, which is not installed",
                         hint="pip install 'valuecompass[ray]'  (or use the default --executor local)") from exc
    return ray


@contextlib.contextmanager
def ray_cluster(address: str | None = None, num_workers: int | None = None) -> Iterator[Any]:
    """Connect to a Ray cluster (``auto``, ``ray://HOST:PORT``) or start a local one (``None``/empty) for the block.

    A local cluster gets ``num_workers`` CPUs (tasks at once); a cluster this call did not start is left running.
    """
    ray = require_ray()
    if ray.is_initialized():
        yield ray
        return
    try:
        if address:
            loopback = address.split("://")[-1].startswith(("127.", "localhost"))  # a cluster bound to loopback
            ray.init(address=address, log_to_driver=False, configure_logging=False,
                     **({"_node_ip_address": "127.0.0.1"} if loopback else {}))
        else:
            ray.init(address="local", num_cpus=num_workers, include_dashboard=False, log_to_driver=False,
                     configure_logging=False)
    except Exception as exc:  # ConnectionError, RuntimeError, ValueError ... for an address that does not answer
        raise UsageError(f"cannot reach the Ray cluster at {address or 'a new local cluster'}: {exc}",
                         hint="check --ray-address (auto, ray://HOST:PORT, or empty for a local cluster) "
                              "and that `ray status` answers there") from exc
    try:
        yield ray
    finally:
        ray.shutdown()


class _Sink:
    """The sink actor: streamed writes in arrival order, kept per task until the driver forgets the task."""

    def __init__(self) -> None:
        self.new: list[tuple[str, str, Any]] = []
        self.by_task: dict[str, list[tuple[str, Any]]] = {}

    def put(self, task_key: str, kind: str, payload: Any) -> None:
        self.new.append((task_key, kind, payload))
        self.by_task.setdefault(task_key, []).append((kind, payload))

    def take(self) -> list[tuple[str, str, Any]]:
        out, self.new = self.new, []
        return out

    def replay(self, task_key: str) -> list[tuple[str, Any]]:
        return list(self.by_task.get(task_key, []))

    def forget(self, task_key: str) -> None:
        self.by_task.pop(task_key, None)

    def ping(self) -> bool:
        return True


@dataclass
class _Model:
    request: RunRequest
    status: ModelStatus
    card: ModelCard | None = None
    run: RunRecord | None = None
    judge: Judge | None = None
    tasks: int = 0
    failed: str | None = None


async def _plan(model: _Model, store: Store, judge: Judge) -> list[tuple[str, Snapshot, list[Any], int]]:
    """Open the model's run (as a single process would) and return its tests: (dimension, snapshot, jobs, base)."""
    request = model.request
    _preflight(request.model, request.model_options)
    examinee = get_model(request.model, **request.model_options)
    try:
        if request.fixed:
            plan, _ = await prepare_run(request.fixed_config(), examinee, store, load_items(request.item_file))
            run, items, jobs = plan.run, {i.id: i for i in plan.items}, list(plan.jobs)
            dims = list(dict.fromkeys(i.dimension for i in plan.items))
            by_dim = {d: [j for j in jobs if items[j.item_id].dimension == d] for d in dims}
        else:
            config = request.adaptive_config()
            dims = chosen_dimensions(config)
            identity = await asyncio.to_thread(examinee.identity)
            run = store.open_run(adaptive_run_record(config, identity, judge.judge_id, dims)).run
            by_dim = {d: [] for d in dims}
    finally:
        await examinee.aclose()
    judge_identity = await asyncio.to_thread(judge.identity)
    record_judge(store, run.run_id, judge_identity, is_self_judged(run, judge_identity))
    model.run, model.status.run_id = run, run.run_id
    planned = {j.job_key: j for j in store.planned_jobs(run.run_id)}
    seed = load_seed_bank()
    tests = []
    for n, dim in enumerate(dims):
        items = [i for i in seed if i.dimension == dim] + store.generated_items(dim)
        ids = {i.id for i in items}
        links = [j for j in planned.values() if j.item_id in ids]
        responses = [r for j in links if (r := store.get_response(j.job_key)) is not None]
        judgments = [g for r in responses for g in store.judgments_for_response(r.job_key)]
        snapshot = Snapshot(dim, items, links, responses, judgments, store.load_cat_state(run.run_id, dim),
                            list(store.item_params(dim).values()))
        tests.append((dim, snapshot, by_dim[dim], 1000 * n))
    return tests


def _finish(model: _Model, store: Store) -> None:
    run_id = model.run.run_id  # type: ignore[union-attr]
    if model.failed is not None:
        store.set_run_status(run_id, "failed")
        model.status.state, model.status.error = "failed", model.failed
        return
    if model.card is not None:
        record_model_card(store, run_id, model.card)
    if model.request.fixed:
        if not model.request.no_judge:
            score_run(store, run_id, judge_id=model.judge.judge_id)  # type: ignore[union-attr]
    else:
        store_metrics(store, run_id, model.judge)  # type: ignore[arg-type]
    store.set_run_status(run_id, "complete")
    model.status.state = "complete"


def run_sweep_ray(sweep: Sweep, store: Store, *, address: str | None = None, num_workers: int | None = None,
                  tasks_per_cpu: int | None = None, progress: SweepProgress | None = None,
                  interval_s: float = 0.5) -> SweepResult:
    """Run (or resume) a sweep on a Ray cluster; this process writes every result into ``store``.

    Args:
        sweep: What to run.
        store: The results store.
        address: ``auto``, ``ray://HOST:PORT``, or ``None`` for a local cluster started for the sweep.
        num_workers: CPUs of a local cluster (default: the machine's).
        tasks_per_cpu: Tests at once per CPU (default :data:`TESTS_PER_CPU`): the cluster gets one worker
            actor per CPU, running this many tests at once as coroutines (they mostly wait on endpoints,
            or on the one copy of a local model the worker loads).
        progress: Called with every model's status about every ``interval_s`` seconds, and at the end.
        interval_s: Seconds between reports (and between applying streamed writes).

    Returns:
        Every model's status; failures carry their error.
    """
    since = started_at()
    models = [_Model(r, ModelStatus(m.model, m.card.name if m.card and m.card.name else m.model), m.card)
              for r, m in zip(sweep.requests(), sweep.models, strict=True)]
    options = {**sweep.judge.options, **({"base_url": sweep.judge.base_url} if sweep.judge.base_url else {})}
    judge = make_judge(sweep.judge.model, profile=sweep.judge.calibration, model_options=options)
    with ray_cluster(address, num_workers) as ray:
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        here = NodeAffinitySchedulingStrategy(node_id=ray.get_runtime_context().get_node_id(), soft=False)
        sink = ray.remote(num_cpus=0)(_Sink).options(scheduling_strategy=here).remote()
        # no CPU reserved: an actor lost with its node can always be restarted on the nodes that are left
        worker = ray.remote(num_cpus=0, max_restarts=MAX_TASK_RETRIES, max_task_retries=MAX_TASK_RETRIES,
                            max_concurrency=tasks_per_cpu or TESTS_PER_CPU)(DimensionWorker)
        workers = [worker.options(scheduling_strategy="SPREAD").remote()
                   for _ in range(max(1, round(ray.cluster_resources().get("CPU", 1))))]
        refs: dict[Any, tuple[_Model, str]] = {}
        for model in models:
            try:
                tests = asyncio.run(_plan(model, store, judge))
            except Exception as exc:  # the model cannot start: reported, and the others go on
                model.status.state, model.status.error = "failed", _message(exc)
                continue
            model.judge, model.status.state, model.status.started = judge, "running", time.perf_counter()
            for dim, snapshot, jobs, base in tests:
                key = f"{model.run.run_id}/{dim}"  # type: ignore[union-attr]
                refs[workers[len(refs) % len(workers)].run.remote(model.request, options, model.run, dim, snapshot,
                                                                  jobs, base, sink, key)] = (model, key)
                model.tasks += 1
        runs = {f"{m.run.run_id}/": m.run for m in models if m.run is not None}

        def drain() -> None:
            for key, kind, payload in ray.get(sink.take.remote()):
                apply_write(store, runs[key.split("/")[0] + "/"], kind, payload)

        pending = list(refs)
        while pending:
            ready, pending = ray.wait(pending, num_returns=len(pending), timeout=interval_s)
            drain()
            for ref in ready:
                model, key = refs[ref]
                try:
                    ray.get(ref)
                except Exception as exc:  # the task's own error, or its worker died more often than retried
                    cause = getattr(exc, "cause", None) or exc
                    model.failed = model.failed or f"{get_dimension(key.split('/')[1]).short}: {_message(cause)}"
                sink.forget.remote(key)
                model.tasks -= 1
                if model.tasks == 0:
                    model.status.seconds = time.perf_counter() - model.status.started
                    _finish(model, store)
            if progress:
                _refresh(store, [m.status for m in models], since)
                progress([m.status for m in models])
        drain()
    asyncio.run(judge.aclose())
    _refresh(store, [m.status for m in models], since)
    if progress:
        progress([m.status for m in models])
    return SweepResult(tuple(m.status for m in models))
