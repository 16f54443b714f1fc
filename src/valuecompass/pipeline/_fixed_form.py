"""Stage functions of a fixed-form run, and :func:`run_fixed_form` that chains them.

The stages are separate so that the caller can go on with its own next stage
(judging, scoring): ``load_items`` -> ``prepare_run`` (plan and open the run in
the store) -> ``administer`` (call the model).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from valuecompass._hashing import content_hash
from valuecompass.errors import ModelCallError
from valuecompass.items import Item, load_item_file, load_seed_bank, seed_bank_version
from valuecompass.models import ModelAPI, ModelCard, get_model
from valuecompass.pipeline._cards import record_model_card
from valuecompass.pipeline._plan import EmptyFormError, FixedFormConfig, RunPlan, plan_fixed_form, select_fixed_form
from valuecompass.pipeline._progress import ProgressCallback
from valuecompass.pipeline._retry import RetryPolicy
from valuecompass.pipeline._runner import Runner, RunnerStats
from valuecompass.store import RunRecord, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ItemSource:
    """Items to draw a form from, with the bank version recorded in the run.

    Attributes:
        items: All candidate items.
        version: Version string of the bank (e.g. ``seed-1.0.0#ab12...``).
    """

    items: tuple[Item, ...]
    version: str


@dataclass(frozen=True)
class RunnerOptions:
    """How calls are made (none of it changes the answers or the run id).

    Attributes:
        max_connections: Concurrent calls (default: the provider's).
        retry: Retry policy.
    """

    max_connections: int | None = None
    retry: RetryPolicy = RetryPolicy()


@dataclass(frozen=True)
class FixedFormResult:
    """What a fixed-form run did.

    Attributes:
        run: The run record, as stored at the end.
        stats: Counts of this session (cached, new, retries, tokens, time).
        resumed: Whether the run existed before this session.
    """

    run: RunRecord
    stats: RunnerStats
    resumed: bool


def load_items(item_file: str | Path | None = None) -> ItemSource:
    """The packaged seed bank, or the items of a user file (JSONL/JSON/YAML)."""
    if item_file is None:
        return ItemSource(load_seed_bank(), seed_bank_version())
    items = load_item_file(item_file)
    return ItemSource(items, f"file:{Path(item_file).name}#{content_hash([i.model_dump(mode='json') for i in items])}")


async def prepare_run(config: FixedFormConfig, model: ModelAPI, store: Store, source: ItemSource) -> tuple[RunPlan,
                                                                                                           bool]:
    """Choose the items, plan the jobs and create (or find) the run in the store.

    Returns:
        The plan, and whether the run already existed (a resume).
    """
    items = select_fixed_form(source.items, config.systems, config.dimensions, config.items_per_dimension,
                              config.form_seed)
    if not items:
        raise EmptyFormError("no items match the chosen systems and dimensions",
                                hint="check --system and --dimension against `valuecompass frameworks list`")
    identity = await asyncio.to_thread(model.identity)  # may join or hash model files once
    plan = plan_fixed_form(config, items, identity, source.version)
    store.insert_items(plan.items)
    opened = store.open_run(plan.run, plan.planned())
    return plan, not opened.created


async def administer(plan: RunPlan, model: ModelAPI, store: Store, options: RunnerOptions = RunnerOptions(),
                     progress: ProgressCallback | None = None) -> RunnerStats:
    """Call the model for every job of the plan not yet stored; mark the run's status.

    The run ends ``complete``, ``failed`` (a call failed for good) or
    ``interrupted`` (cancelled, e.g. Ctrl-C); stored answers are kept either way.
    """
    runner = Runner(model, store, options.retry, options.max_connections)
    try:
        stats = await runner.run(plan.run.run_id, plan.jobs, progress)
    except asyncio.CancelledError:
        store.set_run_status(plan.run.run_id, "interrupted")
        raise
    except Exception:
        store.set_run_status(plan.run.run_id, "failed")
        raise
    if stats.done < stats.total:  # a run is complete only when every planned job is answered
        store.set_run_status(plan.run.run_id, "failed")
        raise ModelCallError(f"run {plan.run.run_id} answered {stats.done} of {stats.total} jobs",
                             hint="rerun the same command to resume the rest")
    store.set_run_status(plan.run.run_id, "complete")
    return stats


async def run_fixed_form(config: FixedFormConfig, store: Store, *, model: ModelAPI | None = None,
                         items: Sequence[Item] | ItemSource | None = None, options: RunnerOptions = RunnerOptions(),
                         progress: ProgressCallback | None = None, card: ModelCard | None = None) -> FixedFormResult:
    """Administer a fixed form of items to a model and store every response.

    Rerunning with the same configuration resumes the same run: stored answers
    are reused, missing ones are asked for.

    Args:
        config: What to administer.
        store: Where to store the run and its responses.
        model: A provider to use instead of building ``config.model`` (tests).
        items: Candidate items (default: the packaged seed bank).
        options: Concurrency and retries.
        progress: Called after each stored answer.
        card: The model's card, stored with the run as soon as it opens (changes no result).

    Returns:
        The stored run and this session's counts.
    """
    own_model = model is None
    model = model or get_model(config.model, **config.model_options)
    if items is None:
        source = load_items()
    elif isinstance(items, ItemSource):
        source = items
    else:
        source = ItemSource(tuple(items), f"custom#{content_hash([i.model_dump(mode='json') for i in items])}")
    try:
        plan, resumed = await prepare_run(config, model, store, source)
        if card is not None:
            record_model_card(store, plan.run.run_id, card)
        stats = await administer(plan, model, store, options, progress)
    finally:
        if own_model:
            await model.aclose()
    return FixedFormResult(store.get_run(plan.run.run_id), stats, resumed)


def run_fixed_form_sync(config: FixedFormConfig, store: Store, *, model: ModelAPI | None = None,
                        items: Sequence[Item] | ItemSource | None = None, options: RunnerOptions = RunnerOptions(),
                        progress: ProgressCallback | None = None) -> FixedFormResult:
    """:func:`run_fixed_form` for synchronous callers (runs its own event loop)."""
    return asyncio.run(run_fixed_form(config, store, model=model, items=items, options=options, progress=progress))
