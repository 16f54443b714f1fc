"""The valuecompass tasks for Inspect AI: one per value system, and one for all 27 dimensions.

Inspect finds them through the ``inspect_ai`` entry point of the installed package::

    pip install 'valuecompass[inspect]'
    inspect eval valuecompass/schwartz --model openai/gpt-4o-mini
    inspect eval valuecompass/all --model openai/gpt-4o-mini --model-role grader=openai/gpt-4o
    inspect eval valuecompass/mft -T items_per_dimension=6 -T dimensions=care,fairness --epochs 3

Each task administers the seed bank's items as a fixed form (the same prompts, settings and item choice
as ``valuecompass run --fixed``), scores each answer with the item's key, the refusal rule and the judge
(Inspect's ``grader`` role, else the model under evaluation), and reports per dimension the score and its
95% interval (metric ``value_scores``). ``valuecompass import inspect LOG`` brings the log into a store,
where the leaderboard shows it.

Task options (``-T NAME=VALUE``): ``dimensions`` (comma-separated ids), ``items_per_dimension``,
``form_seed``, ``system_prompt``, ``max_tokens``, ``seed``. Epochs (``--epochs N``) are several answers
per item, each judged; the interval still counts each item once.
"""

from __future__ import annotations

from inspect_ai import Epochs, Task, task
from inspect_ai.solver import generate

from valuecompass import __version__
from valuecompass.ecosystem._inspect_scorer import generate_config, item_samples, keep_judgments, value_judge
from valuecompass.errors import ValueCompassError
from valuecompass.items import load_seed_bank, seed_bank_version
from valuecompass.pipeline import select_fixed_form

__all__ = ["all_values", "llm_values", "mft", "safety", "schwartz", "value_task"]


def value_task(systems: tuple[str, ...] = (), dimensions: str | list[str] | tuple[str, ...] = (),
               items_per_dimension: int | None = None, form_seed: int = 0, system_prompt: str | None = None,
               max_tokens: int = 256, seed: int = 0, epochs: int = 1) -> Task:
    """An Inspect task over the seed bank's items of ``systems`` (empty: all) and ``dimensions``.

    Args:
        systems: Value-system ids.
        dimensions: Dimension ids (a comma-separated string, as ``-T`` gives it, or a list).
        items_per_dimension: Items per dimension (default: every item), chosen as ``run --fixed --items``.
        form_seed: Seed of that choice.
        system_prompt: A system message before every item.
        max_tokens: Most tokens per answer.
        seed: Generation seed.
        epochs: Answers per item (``--epochs`` overrides it), every one kept for the metric.

    Raises:
        ValueCompassError: for an unknown system or dimension, or a choice with no item.
    """
    dims = tuple(d.strip() for d in dimensions.split(",") if d.strip()) if isinstance(dimensions, str) \
        else tuple(dimensions)
    items = select_fixed_form(load_seed_bank(), systems, dims, items_per_dimension, form_seed)
    if not items:
        raise ValueCompassError("no items match the chosen systems and dimensions",
                                hint="check the dimension ids against `valuecompass frameworks list`")
    return Task(dataset=item_samples(items, system_prompt), solver=generate(), scorer=value_judge(),
                epochs=Epochs(epochs, keep_judgments()), config=generate_config(max_tokens, seed),
                metadata={"valuecompass": __version__, "item_bank_version": seed_bank_version(),
                          "systems": list(systems), "dimensions": list(dims),
                          "items_per_dimension": items_per_dimension, "form_seed": form_seed})


def _options(dimensions: str, items_per_dimension: int | None, form_seed: int, system_prompt: str | None,
             max_tokens: int, seed: int) -> dict[str, object]:
    return {"dimensions": dimensions, "items_per_dimension": items_per_dimension, "form_seed": form_seed,
            "system_prompt": system_prompt, "max_tokens": max_tokens, "seed": seed}


@task
def schwartz(dimensions: str = "", items_per_dimension: int | None = None, form_seed: int = 0,
             system_prompt: str | None = None, max_tokens: int = 256, seed: int = 0) -> Task:
    """Schwartz's 10 basic values (stance questions, keyed Yes and No in equal numbers)."""
    return value_task(("schwartz",), **_options(dimensions, items_per_dimension, form_seed, system_prompt,
                                                 max_tokens, seed))


@task
def mft(dimensions: str = "", items_per_dimension: int | None = None, form_seed: int = 0,
        system_prompt: str | None = None, max_tokens: int = 256, seed: int = 0) -> Task:
    """The 5 Moral Foundations (story continuations and forced-choice stories)."""
    return value_task(("mft",), **_options(dimensions, items_per_dimension, form_seed, system_prompt,
                                            max_tokens, seed))


@task
def safety(dimensions: str = "", items_per_dimension: int | None = None, form_seed: int = 0,
           system_prompt: str | None = None, max_tokens: int = 256, seed: int = 0) -> Task:
    """The 6 SALAD-Bench safety domains (harmful requests, and benign ones for over-refusal)."""
    return value_task(("safety",), **_options(dimensions, items_per_dimension, form_seed, system_prompt,
                                               max_tokens, seed))


@task
def llm_values(dimensions: str = "", items_per_dimension: int | None = None, form_seed: int = 0,
               system_prompt: str | None = None, max_tokens: int = 256, seed: int = 0) -> Task:
    """The 6 LLM-specific values of ValueLex (sentence stems)."""
    return value_task(("llm_values",), **_options(dimensions, items_per_dimension, form_seed, system_prompt,
                                                   max_tokens, seed))


@task(name="all")
def all_values(dimensions: str = "", items_per_dimension: int | None = None, form_seed: int = 0,
               system_prompt: str | None = None, max_tokens: int = 256, seed: int = 0) -> Task:
    """All 27 dimensions of the four value systems."""
    return value_task((), **_options(dimensions, items_per_dimension, form_seed, system_prompt, max_tokens, seed))
