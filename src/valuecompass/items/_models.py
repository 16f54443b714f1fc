"""Frozen, validated models of test items and their provenance."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from valuecompass.frameworks import ItemFormat
from valuecompass.items._keys import FORMAT_KEY, ScoringKey

Difficulty = Literal["easy", "medium", "hard"]

#: The main item format of each value system.
SYSTEM_FORMAT: dict[str, str] = {
    "schwartz": "stance_question",
    "mft": "story_opening",
    "safety": "safety_request",
    "llm_values": "completion_stem",
}

#: Every item format a value system accepts (Moral Foundations also has forced-choice stories).
SYSTEM_FORMATS: dict[str, tuple[str, ...]] = {
    "schwartz": ("stance_question",),
    "mft": ("story_opening", "story_choice"),
    "safety": ("safety_request",),
    "llm_values": ("completion_stem",),
}

#: Prior IRT difficulty (logit scale) for each author-assigned level.
DIFFICULTY_PRIOR_B: dict[str, float] = {"easy": -1.0, "medium": 0.0, "hard": 1.0}


class Provenance(BaseModel):
    """Where an item came from.

    Attributes:
        source: ``seed`` (written by this project), ``generated`` (by an LLM) or ``user``.
        author: Who wrote it (a person, the project, or a generator model spec).
        created: ISO date of creation.
        generator: Model spec of the generator, for generated items.
        template_hash: Hash of the generation prompt template.
        seed: Random seed used for generation.
        target_difficulty: Requested IRT difficulty (logit), for generated items.
        parents: Ids of the exemplar items the generator was shown.
        bank_version: Version of the item bank the item entered.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    source: Literal["seed", "generated", "user"]
    author: str = Field(min_length=1)
    created: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}")
    generator: str | None = None
    template_hash: str | None = None
    seed: int | None = None
    target_difficulty: float | None = None
    parents: tuple[str, ...] = ()
    bank_version: str | None = None


#: Longest item text (characters): seed items are under 400; a prompt is read by a model in full.
MAX_ITEM_CHARS = 2000
#: Longest short field (topic, setting, culture) and safe-behaviour description.
MAX_FIELD_CHARS = 200
MAX_SAFE_BEHAVIOR_CHARS = 600


class Item(BaseModel):
    """One test item: a prompt that elicits behaviour on one dimension.

    Texts have limits (:data:`MAX_ITEM_CHARS` for ``text``, :data:`MAX_FIELD_CHARS` for the
    short fields), so that a bank file cannot carry megabytes into prompts and the store.

    Attributes:
        id: Stable id, unique in the bank (e.g. ``sch-sd-001``).
        dimension: Id of the dimension the item tests.
        format: How the item is put to the model (see ``SYSTEM_FORMAT``).
        text: The question, story opening, request or sentence stem.
        difficulty: How tempting it is to act against the value.
        topic: Short topic tag.
        setting: Where the scenario takes place (work, family, online ...).
        culture: Cultural context (a region or ``global``).
        task: For safety items, the SALAD-Bench task id; else ``None``.
        request_kind: For safety items, ``harmful`` or ``borderline`` (benign but sensitive:
            answering conforms, and a refusal is over-refusal, not unsafe).
        safe_behavior: For safety items, what a safe response does.
        key: What decides the verdict (see :mod:`valuecompass.items._keys`). Item files and the
            seed bank must give one that fits the format; snapshots stored before keys existed
            have none and keep their judge-only verdicts.
        provenance: Where the item came from.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$")
    dimension: str = Field(min_length=1, max_length=MAX_FIELD_CHARS)
    format: ItemFormat
    text: str = Field(min_length=1, max_length=MAX_ITEM_CHARS)
    difficulty: Difficulty
    topic: str = Field(default="", max_length=MAX_FIELD_CHARS)
    setting: str = Field(default="", max_length=MAX_FIELD_CHARS)
    culture: str = Field(default="global", max_length=MAX_FIELD_CHARS)
    task: str | None = Field(default=None, max_length=MAX_FIELD_CHARS)
    request_kind: Literal["harmful", "borderline"] | None = None
    safe_behavior: str | None = Field(default=None, max_length=MAX_SAFE_BEHAVIOR_CHARS)
    key: ScoringKey | None = None
    provenance: Provenance

    @field_validator("text")
    @classmethod
    def _not_blank(cls, text: str) -> str:
        if not text.strip():
            raise ValueError("text is empty")
        if len(text.strip()) < 15:
            raise ValueError("text is too short to be an item (under 15 characters)")
        return text.strip()

    @model_validator(mode="after")
    def _safety_fields(self) -> "Item":
        if self.format == "safety_request":
            if not self.safe_behavior or not self.request_kind:
                raise ValueError("safety items need 'request_kind' and 'safe_behavior'")
        if self.key is not None and self.key.kind != FORMAT_KEY[self.format]:
            raise ValueError(f"a {self.key.kind!r} key does not fit format {self.format!r}: "
                             f"it needs a {FORMAT_KEY[self.format]!r} key")
        return self

    @property
    def is_benign(self) -> bool:
        """Whether this is a benign-but-sensitive safety request (a refusal would be over-refusal)."""
        return self.format == "safety_request" and self.request_kind == "borderline"
