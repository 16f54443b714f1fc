"""Planning a fixed-form run: its configuration, its items, its jobs and its run record.

Planning is pure: the same configuration, items and model identity always give
the same run id and the same job keys, which is what makes a rerun resume.
"""

from __future__ import annotations

import importlib.metadata
import platform
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from valuecompass import __version__
from valuecompass._hashing import content_hash
from valuecompass._redact import redact_options
from valuecompass.errors import ValueCompassError
from valuecompass.frameworks import frameworks_version
from valuecompass.items import Item, render_messages, select_items, template_hash
from valuecompass.models import DEFAULT_MODEL, GenerateConfig
from valuecompass.pipeline._jobs import Job, item_config, job_key, sample_config, semantic_settings
from valuecompass.store import PlannedJob, RunRecord, item_content_hash


class EmptyFormError(ValueCompassError):
    """The chosen systems, dimensions and items leave nothing to administer."""

    exit_code = 2


OptionValue = str | int | float | bool | None
#: Model options that are secrets: never accepted into a recorded configuration.
SECRET_OPTIONS = frozenset({"api_key"})


class FixedFormConfig(BaseModel):
    """What a fixed-form run administers, and how.

    Attributes:
        model: Examinee spec, ``provider/model``.
        model_options: Provider options (e.g. ``base_url``, ``n_ctx``); no secrets.
        systems: Value systems to cover (empty: all).
        dimensions: Dimensions to cover (empty: all of the chosen systems).
        items_per_dimension: Items per dimension (``None``: every item).
        samples: Answers per item (each with its own seed).
        generate: Generation settings.
        format_tokens: Give each answer its format's token budget, capped by ``generate.max_tokens``
            (``False``: every answer gets ``generate.max_tokens``).
        form_seed: Seed of the choice of items when ``items_per_dimension`` is set.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = DEFAULT_MODEL
    model_options: dict[str, OptionValue] = Field(default_factory=dict)
    systems: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    items_per_dimension: int | None = Field(default=None, ge=1)
    samples: int = Field(default=1, ge=1, le=1000)
    generate: GenerateConfig = GenerateConfig()
    format_tokens: bool = False
    form_seed: int = 0

    @field_validator("model_options")
    @classmethod
    def _no_secrets(cls, options: dict[str, OptionValue]) -> dict[str, OptionValue]:
        secret = SECRET_OPTIONS & set(options)
        if secret:
            raise ValueError(f"{', '.join(sorted(secret))} must not be recorded: pass it in the environment")
        return options


@dataclass(frozen=True)
class RunPlan:
    """Everything a run needs before it calls the model.

    Attributes:
        run: The run record to create or resume.
        items: The items administered, in order.
        jobs: The calls, in order.
    """

    run: RunRecord
    items: tuple[Item, ...]
    jobs: tuple[Job, ...]

    def planned(self) -> list[PlannedJob]:
        """The jobs as the store links them to the run."""
        return [PlannedJob(job_key=j.key, position=j.position, item_id=j.item_id, item_hash=j.item_hash,
                           sample_index=j.sample_index) for j in self.jobs]


def select_fixed_form(items: Sequence[Item], systems: Sequence[str] = (), dimensions: Sequence[str] = (),
                      per_dimension: int | None = None, seed: int = 0) -> list[Item]:
    """Choose the items of a fixed form: the same for every model.

    With ``per_dimension``, each dimension keeps the ``per_dimension`` items that
    rank first by a seeded hash of their id (stable when items are added to the
    bank); items keep their bank order.

    Raises:
        UnknownFrameworkError: for an unknown system or dimension.
    """
    chosen = select_items(items, systems, dimensions)
    if per_dimension is None:
        return chosen
    by_dim: dict[str, list[Item]] = {}
    for item in chosen:
        by_dim.setdefault(item.dimension, []).append(item)
    keep = {i.id for group in by_dim.values()
            for i in sorted(group, key=lambda i: content_hash({"seed": seed, "id": i.id}))[:per_dimension]}
    return [i for i in chosen if i.id in keep]


def environment() -> dict[str, Any]:
    """Versions of what can change results: Python, platform, runtimes."""
    env: dict[str, Any] = {"python": platform.python_version(), "platform": platform.platform()}
    for dist in ("llama-cpp-python", "openai"):
        try:
            env[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            env[dist] = None
    return env


def _jobs(config: FixedFormConfig, items: Sequence[Item], item_hashes: Sequence[str],
          identity: dict[str, Any]) -> list[Job]:
    jobs: list[Job] = []
    for item, item_hash in zip(items, item_hashes, strict=True):
        messages = render_messages(item, config.generate.system_prompt)
        base = item_config(item, config.generate, config.format_tokens)
        for k, call in enumerate(sample_config(base, k) for k in range(config.samples)):
            jobs.append(Job(job_key(config.model, identity, messages, call, k), len(jobs), item.id, item_hash, k,
                            messages, call))
    return jobs


def plan_fixed_form(config: FixedFormConfig, items: Sequence[Item], identity: dict[str, Any],
                    item_bank_version: str) -> RunPlan:
    """Plan a fixed-form run of ``items`` (already selected) on the model pinned by ``identity``.

    The run id is a hash of the model, its identity, the items (ids and content),
    the samples and the answer-shaping settings: rerunning the same command gives
    the same id and so resumes the same run.
    """
    items = tuple(items)
    item_hashes = [item_content_hash(i) for i in items]
    run_id = "run-" + content_hash({
        "kind": "fixed_form", "model": config.model, "identity": identity, "samples": config.samples,
        "items": [[i.id, h] for i, h in zip(items, item_hashes, strict=True)],
        "settings": semantic_settings(config.generate), **({"format_tokens": True} if config.format_tokens else {}),
    }, 12)
    jobs = _jobs(config, items, item_hashes, identity)
    run = RunRecord(
        run_id=run_id, kind="fixed_form", model_spec=config.model, model_identity=identity,
        settings=config.generate.model_dump(mode="json"),
        seeds={"generation": config.generate.seed, "form": config.form_seed},
        item_bank_version=item_bank_version, package_version=__version__, config=redact_options(config.model_dump(mode="json")),
        provenance={"environment": environment(), "frameworks": frameworks_version(),
                    "prompt_templates": {fmt: template_hash(fmt) for fmt in sorted({i.format for i in items})}},
        n_jobs=len(jobs))
    return RunPlan(run, items, tuple(jobs))
