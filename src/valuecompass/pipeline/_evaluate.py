"""A fixed-form run end to end: administer, judge, score, read the scores back (as an adaptive run does).

The adaptive pipeline (:func:`~valuecompass.pipeline.run_adaptive`) already judges and scores as
it goes; :func:`evaluate_fixed_form` gives the fixed form the same single owner, so that the CLI
only parses options and prints. One store, one event loop; every stage resumes from what is
stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from valuecompass.items import Item
from valuecompass.judge import Judge
from valuecompass.models import ModelCard
from valuecompass.pipeline._fixed_form import FixedFormResult, ItemSource, RunnerOptions, run_fixed_form
from valuecompass.pipeline._plan import FixedFormConfig
from valuecompass.pipeline._progress import ProgressCallback
from valuecompass.pipeline.judging import JudgeProgressCallback, JudgeStats, judge_run
from valuecompass.pipeline.scoring import score_run
from valuecompass.store import RunResult, Store, run_result


@dataclass(frozen=True)
class FixedFormEvaluation:
    """What :func:`evaluate_fixed_form` did.

    Attributes:
        administered: The run and its answering counts.
        judging: The judge stage's counts (``None`` without a judge).
        scores: The run's scores as every reader shows them (``None`` without a judge, or when no
            verdict could be read).
        unreadable: Verdicts that could not be read, when none could (the run then has no scores).
    """

    administered: FixedFormResult
    judging: JudgeStats | None = None
    scores: RunResult | None = None
    unreadable: int = 0


async def evaluate_fixed_form(config: FixedFormConfig, store: Store, *, judge: Judge | None,
                              items: Sequence[Item] | ItemSource | None = None,
                              options: RunnerOptions = RunnerOptions(), progress: ProgressCallback | None = None,
                              judge_progress: JudgeProgressCallback | None = None,
                              card: ModelCard | None = None) -> FixedFormEvaluation:
    """Administer a fixed form, then (with a judge) judge every unjudged answer and score the run.

    The judge's calls follow the run's retry policy (``options.retry``). The judge is not closed
    here: its owner closes it.

    Args:
        config: What to administer.
        store: The results store.
        judge: The judge, or ``None`` to store answers only (judge later with ``valuecompass judge``).
        items: Candidate items (default: the packaged seed bank).
        options: Concurrency and retries.
        progress: Called after each stored answer.
        judge_progress: Called after each stored judgment.
        card: The model's card, stored with the run as soon as it opens (changes no result).

    Raises:
        ModelCallError: if an examinee or judge call fails for good (what is stored is kept).
    """
    administered = await run_fixed_form(config, store, items=items, options=options, progress=progress, card=card)
    if judge is None:
        return FixedFormEvaluation(administered)
    run_id = administered.run.run_id
    stats = await judge_run(store, run_id, judge, retry=options.retry, progress=judge_progress)
    scored = score_run(store, run_id, judge_id=judge.judge_id)
    if all(s.score is None for s in scored):
        return FixedFormEvaluation(administered, stats, None, sum(s.n_unparsable for s in scored))
    return FixedFormEvaluation(administered, stats, run_result(store, run_id, method="share", judge=judge.judge_id))
