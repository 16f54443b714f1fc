"""Frozen, validated models of value systems and their dimensions."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SystemId = Literal["schwartz", "mft", "safety", "llm_values"]
ItemFormat = Literal["stance_question", "story_opening", "story_choice", "safety_request", "completion_stem"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SubTask(_Frozen):
    """A finer category below a dimension (e.g. a SALAD-Bench task)."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    description: str = ""


class Dimension(_Frozen):
    """One value dimension that a model is scored on (0-100).

    Attributes:
        id: Stable id, unique across all systems (e.g. ``self_direction``).
        system: The value system the dimension belongs to.
        name: Human-readable name.
        short: A short label for tables and charts.
        definition: What the value is, in this project's own words.
        conforming: What behaviour that conforms to the value looks like.
        opposing: What behaviour that opposes or violates it looks like.
        citation: Where the dimension comes from.
        tasks: Finer categories below the dimension, if the source has them.
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    system: SystemId
    name: str = Field(min_length=1)
    short: str = Field(min_length=1, max_length=24)
    definition: str = Field(min_length=20)
    conforming: str = Field(min_length=20)
    opposing: str = Field(min_length=20)
    citation: str = Field(min_length=5)
    tasks: tuple[SubTask, ...] = ()


class Group(_Frozen):
    """A higher-order group of dimensions (e.g. Schwartz's Conservation)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name: str = Field(min_length=1)
    dimensions: tuple[str, ...] = Field(min_length=1)
    description: str = ""


class ValueSystem(_Frozen):
    """A value system: its dimensions, groups and how scores are read.

    Attributes:
        id: ``schwartz``, ``mft``, ``safety`` or ``llm_values``.
        version: Version of this data file (semantic versioning).
        item_format: The item format used to elicit behaviour for this system.
        score_meaning: What a 0-100 score means on this system.
        judge_question: The question a judge answers about a response.
        order: Display order of the dimensions (the circumplex for Schwartz).
        content_hash: sha256 (16 hex digits) of the file's parsed content.
    """

    id: SystemId
    name: str = Field(min_length=1)
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    description: str = Field(min_length=10)
    citation: str = Field(min_length=5)
    item_format: ItemFormat
    score_meaning: str = Field(min_length=10)
    judge_question: str = Field(min_length=10)
    dimensions: tuple[Dimension, ...] = Field(min_length=1)
    groups: tuple[Group, ...] = ()
    order: tuple[str, ...] = ()
    content_hash: str = ""

    @field_validator("dimensions")
    @classmethod
    def _unique_ids(cls, dims: tuple[Dimension, ...]) -> tuple[Dimension, ...]:
        seen: set[str] = set()
        for d in dims:
            if d.id in seen:
                raise ValueError(f"duplicate dimension id {d.id!r}")
            seen.add(d.id)
        return dims

    @model_validator(mode="after")
    def _check_references(self) -> "ValueSystem":
        ids = {d.id for d in self.dimensions}
        for d in self.dimensions:
            if d.system != self.id:
                raise ValueError(f"dimension {d.id!r} says system {d.system!r}, file is {self.id!r}")
        for g in self.groups:
            unknown = [x for x in g.dimensions if x not in ids]
            if unknown:
                raise ValueError(f"group {g.id!r} names unknown dimensions {unknown}")
        if self.order and sorted(self.order) != sorted(ids):
            raise ValueError("'order' must list every dimension of the system exactly once")
        return self

    def dimension(self, dim_id: str) -> Dimension:
        """Return the dimension ``dim_id`` of this system.

        Raises:
            KeyError: if the system has no such dimension.
        """
        for d in self.dimensions:
            if d.id == dim_id:
                return d
        raise KeyError(dim_id)

    @property
    def ordered_ids(self) -> tuple[str, ...]:
        """Dimension ids in display order."""
        return self.order or tuple(d.id for d in self.dimensions)
