"""The one reader of results: which run, method and judge give a model's score on a dimension.

Every command that shows scores (``run``, ``scores``, ``align``, ``match``, the exports)
reads them here, so they agree on the number and its interval:

- A run's scores are the estimates of its own method (``irt-cat`` for an adaptive run,
  ``share`` for a fixed form) by its own judge (the judge of its configuration, else
  the judge it was judged by most recently), unless a method or judge is asked for.
- A model's scores are those of its newest run that has estimates of the chosen
  method and judge (complete runs before unfinished ones). The default method and
  judge are the pair with the most estimates in the store.
- An interval is the stored 95% interval; its "SE" is half its width over 1.96
  (one meaning everywhere). An estimate without an interval gets none made up.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

from valuecompass.errors import StoreError
from valuecompass.frameworks import is_dimension
from valuecompass.store._models import EstimateRecord, MetricRecord, RunRecord

if TYPE_CHECKING:
    from valuecompass.store._store import Store

log = logging.getLogger(__name__)

#: 1.96: the normal quantile of a two-sided 95% interval (its half-width is 1.96 SE).
Z95 = 1.959963984540054


class ScoreRow(BaseModel):
    """One dimension's score as every reader shows it.

    Attributes:
        dimension: The dimension id.
        score: 0-100.
        ci_low: Lower end of the 95% interval (``None`` if the estimate has none).
        ci_high: Upper end.
        se: Half the interval's width over 1.96 (the stored SE if there is no interval).
        n_items: Items the score rests on.
        method: The estimation method.
        judge_id: The judge whose verdicts it rests on.
        details: The estimate's details (theta, counts, stop reason ...).
    """

    model_config = ConfigDict(frozen=True)

    dimension: str
    score: float
    ci_low: float | None
    ci_high: float | None
    se: float | None
    n_items: int
    method: str
    judge_id: str
    details: dict = {}

    @classmethod
    def of(cls, e: EstimateRecord) -> ScoreRow:
        """The row of a stored estimate (score clipped to 0-100)."""
        se = (e.ci_high - e.ci_low) / (2 * Z95) if e.ci_low is not None and e.ci_high is not None else e.se
        return cls(dimension=e.dimension, score=min(100.0, max(0.0, e.score)), ci_low=e.ci_low, ci_high=e.ci_high,
                   se=se, n_items=e.n_items, method=e.method, judge_id=e.judge_id, details=e.details)


class RunResult(BaseModel):
    """A run's scores under one method and judge, with its behaviour figures.

    Attributes:
        run: The run record.
        method: The method the scores come from.
        judge_id: The judge they rest on.
        scores: One row per dimension (framework order is the caller's concern).
        metrics: The run's behaviour figures by that judge (acquiescence, over-refusal ...).
        other: Other ``method@judge`` pairs the run has estimates of.
    """

    model_config = ConfigDict(frozen=True)

    run: RunRecord
    method: str
    judge_id: str
    scores: dict[str, ScoreRow]
    metrics: tuple[MetricRecord, ...] = ()
    other: tuple[str, ...] = ()


def run_method(run: RunRecord) -> str:
    """The method a run estimates its own scores with: ``irt-cat`` (adaptive) or ``share`` (fixed form)."""
    return "irt-cat" if run.kind == "adaptive" else "share"


def run_judge(run: RunRecord, estimates: Sequence[EstimateRecord]) -> str | None:
    """The judge a run's own scores rest on: its configured judge, else the one it was judged by last."""
    judge = run.config.get("judge") if isinstance(run.config, dict) else None
    if judge and any(e.judge_id == judge or e.judge_id.startswith(f"{judge}+") for e in estimates):
        return next(e.judge_id for e in estimates if e.judge_id == judge or e.judge_id.startswith(f"{judge}+"))
    judges = run.provenance.get("judges") or []
    for entry in reversed(judges):
        if any(e.judge_id == entry.get("judge_id") for e in estimates):
            return str(entry["judge_id"])
    return estimates[-1].judge_id if estimates else None


def choose_run_scores(run: RunRecord, estimates: Sequence[EstimateRecord], metrics: Sequence[MetricRecord] = (),
                      *, method: str | None = None, judge: str | None = None) -> RunResult:
    """The run's scores under the rule in the module docstring (pure).

    Raises:
        StoreError: if the run has no estimates of the asked method or judge (naming those it has).
    """
    have = sorted({f"{e.method}@{e.judge_id}" for e in estimates})
    if method is None:
        own = [e for e in estimates if e.method == run_method(run)]
        method = run_method(run) if own or not estimates else estimates[-1].method
    pool = [e for e in estimates if e.method == method]
    judge = judge or run_judge(run, pool)
    chosen = [e for e in pool if e.judge_id == judge]
    for e in chosen:
        if not is_dimension(e.dimension):
            log.warning("run %s: skipped a score for %r, which is no dimension of the value systems",
                        run.run_id, e.dimension)
    chosen = [e for e in chosen if is_dimension(e.dimension) and _readable(run.run_id, e)]
    if not chosen:
        raise StoreError(f"run {run.run_id} has no scores by method {method!r} and judge {judge!r}",
                         hint=f"it has: {', '.join(have)}" if have else
                         f"judge and score it: valuecompass judge {run.run_id}, then valuecompass scores {run.run_id}")
    return RunResult(run=run, method=str(method), judge_id=str(judge),
                     scores={e.dimension: ScoreRow.of(e) for e in chosen},
                     metrics=tuple(m for m in metrics if m.judge_id == judge),
                     other=tuple(h for h in have if h != f"{method}@{judge}"))


def _readable(run_id: str, e: EstimateRecord) -> bool:
    """An estimate whose score (and SE and interval, where given) are finite numbers; else a warning."""
    numbers = [e.score, *(x for x in (e.se, e.ci_low, e.ci_high) if x is not None)]
    if all(math.isfinite(x) for x in numbers) and (e.se is None or e.se >= 0):
        return True
    log.warning("run %s: skipped an unreadable score for %s (score %r, se %r)", run_id, e.dimension, e.score, e.se)
    return False


class KindCount(BaseModel):
    """How much of the store one ``method@judge`` pair covers.

    Attributes:
        method: The estimation method.
        judge_id: The judge.
        n_estimates: Its stored estimates.
        n_models: The model specs with at least one of them.
    """

    model_config = ConfigDict(frozen=True)

    method: str
    judge_id: str
    n_estimates: int
    n_models: int

    @property
    def name(self) -> str:
        """``method@judge``."""
        return f"{self.method}@{self.judge_id}"


def estimate_kinds(runs: Sequence[RunRecord], estimates: Sequence[EstimateRecord]) -> list[KindCount]:
    """Every ``method@judge`` pair of the estimates, most estimates first (ties: alphabetical) (pure)."""
    spec = {r.run_id: r.model_spec for r in runs}
    counts = Counter((e.method, e.judge_id) for e in estimates)
    models: dict[tuple[str, str], set[str]] = {}
    for e in estimates:
        if e.run_id in spec:
            models.setdefault((e.method, e.judge_id), set()).add(spec[e.run_id])
    return [KindCount(method=m, judge_id=j, n_estimates=n, n_models=len(models.get((m, j), ())))
            for (m, j), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def most_common_kind(estimates: Sequence[EstimateRecord]) -> tuple[str, str] | None:
    """The ``(method, judge_id)`` pair with the most estimates (ties: alphabetical), or ``None``."""
    counts = Counter((e.method, e.judge_id) for e in estimates)
    if not counts:
        return None
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def choose_model_runs(runs: Sequence[RunRecord], estimates: Sequence[EstimateRecord], *, method: str | None = None,
                      judge: str | None = None) -> tuple[str, str, dict[str, RunRecord], dict[str, int]]:
    """Per model spec, the run whose scores stand for the model (pure).

    Returns:
        ``(method, judge, {model_spec: run}, hidden)`` where ``hidden`` counts, per other
        ``method@judge``, the models that have scores only under it (and so are not shown).

    Raises:
        StoreError: if the store has no estimates of the asked method or judge.
    """
    kinds = Counter((e.method, e.judge_id) for e in estimates)
    fits = sorted(((m, j) for m, j in kinds if (method is None or m == method) and (judge is None or j == judge)),
                  key=lambda mj: (-kinds[mj], mj))
    if not fits:
        names = ", ".join(sorted(f"{m}@{j}" for m, j in kinds)) or "none"
        raise StoreError(f"the store has no scores by method {method!r} and judge {judge!r}",
                         hint=f"scores in the store: {names}")
    method, judge = fits[0]
    scored = {e.run_id for e in estimates if e.method == method and e.judge_id == judge}
    chosen: dict[str, RunRecord] = {}
    for run in sorted(runs, key=lambda r: (r.status == "complete", r.created, r.run_id), reverse=True):
        if run.run_id in scored and run.model_spec not in chosen:
            chosen[run.model_spec] = run
    hidden: Counter[str] = Counter()
    by_run = {r.run_id: r.model_spec for r in runs}
    other: dict[str, set[str]] = {}
    for e in estimates:
        spec = by_run.get(e.run_id)
        if spec is not None and spec not in chosen:
            other.setdefault(spec, set()).add(f"{e.method}@{e.judge_id}")
    for kinds_of_model in other.values():
        for name in kinds_of_model:
            hidden[name] += 1
    return method, judge, chosen, dict(hidden)


class ModelResults(BaseModel):
    """Every model's scores under one method and judge.

    Attributes:
        method: The method shown.
        judge_id: The judge shown.
        results: One run result per model (or per asked run), in store order.
        hidden: Per other ``method@judge``, how many models have scores only under it.
    """

    model_config = ConfigDict(frozen=True)

    method: str
    judge_id: str
    results: tuple[RunResult, ...]
    hidden: dict[str, int] = {}


def run_result(store: Store, run_id: str, *, method: str | None = None, judge: str | None = None) -> RunResult:
    """A run's scores and behaviour figures (the rule in the module docstring).

    Raises:
        StoreError: for an unknown run, or one with no scores of the asked method or judge.
    """
    run = store.get_run(run_id)
    return choose_run_scores(run, store.estimates_for_run(run.run_id), store.metrics_for_run(run.run_id),
                             method=method, judge=judge)


def model_results(store: Store, *, method: str | None = None, judge: str | None = None,
                  run_ids: Sequence[str] = ()) -> ModelResults:
    """Every model's scores: the given runs, or per model spec the run the rule chooses.

    Raises:
        StoreError: if the store has no scores (of the asked method or judge), or a run is unknown.
    """
    if run_ids:
        results = tuple(run_result(store, r, method=method, judge=judge) for r in run_ids)
        return ModelResults(method=results[0].method, judge_id=results[0].judge_id, results=results)
    runs = store.runs()
    estimates = store.all_estimates()
    if not estimates:
        raise StoreError(f"no scores yet in store {str(store.path)!r}",
                         hint="evaluate a model first: valuecompass run --model SPEC")
    method, judge, chosen, hidden = choose_model_runs(runs, estimates, method=method, judge=judge)
    by_run: dict[str, list[EstimateRecord]] = {}
    for e in estimates:
        by_run.setdefault(e.run_id, []).append(e)
    results = []
    for run in chosen.values():
        try:
            results.append(choose_run_scores(run, by_run[run.run_id], store.metrics_for_run(run.run_id),
                                             method=method, judge=judge))
        except StoreError as exc:  # only unreadable scores or unknown dimensions: the other models still show
            log.warning("left out %s: %s", run.model_spec, exc.message)
    return ModelResults(method=method, judge_id=judge, results=tuple(results), hidden=hidden)
