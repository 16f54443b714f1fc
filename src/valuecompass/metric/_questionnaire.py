"""Short value questionnaires (PVQ-style, MFQ-style) as data, and their scoring.

Scoring follows the instruments' structure:

* value score = mean of the (reverse-keyed where marked) answers to its items;
* ``centring: mrat`` (PVQ): each value score minus the person's mean over *all* scored
  items, which removes individual differences in scale use (Schwartz, PVQ-RR coding
  instructions, 2021); ``centring: none`` (MFQ): the raw means are the scores;
* catch items are not scored; an answer beyond their threshold adds a warning.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from valuecompass.metric._defaults import QUESTIONNAIRE_SYSTEMS
from valuecompass._datafiles import load_hashed
from valuecompass.errors import ProfileError
from valuecompass.frameworks import SystemId
from valuecompass.metric._profiles import ValueProfile, build_profile, slugify
from valuecompass.metric._weights import DEFAULT_TEMPERATURE, system_dimensions


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Scale(_Frozen):
    """An integer response scale with one label per point."""

    min: int
    max: int
    labels: tuple[str, ...]

    @model_validator(mode="after")
    def _check(self) -> "Scale":
        if self.max <= self.min or len(self.labels) != self.max - self.min + 1:
            raise ValueError(f"scale {self.min}..{self.max} needs {self.max - self.min + 1} labels")
        return self


class Part(_Frozen):
    """A block of items sharing instructions, a question and a scale."""

    id: str
    instructions: str
    question: str
    scale: Scale


class CatchRule(_Frozen):
    """When an unscored catch item flags inattentive answering."""

    flag_if_at_least: int | None = None
    flag_if_at_most: int | None = None
    reason: str = "unexpected answer to a check item"


class QuestionItem(_Frozen):
    """One item: its text, the dimension it scores (None for catch items), keying."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    part: str
    dimension: str | None
    text: str = Field(min_length=5)
    reverse: bool = False
    catch: CatchRule | None = None


class Questionnaire(_Frozen):
    """A questionnaire on one value system.

    Attributes:
        id: Stable id.
        name: Human-readable name.
        version: Version of the item set.
        system: The value system it measures.
        structure: Which instrument's scoring structure it follows.
        terms: Wording and licence statement.
        centring: ``mrat`` (centre on the person's mean over all scored items) or ``none``.
        parts: Item blocks; all share one numeric scale range.
        items: The items, in administration order.
        content_hash: sha256 (16 hex) of the file content.
    """

    id: str
    name: str
    version: str
    system: SystemId
    structure: str = ""
    terms: str = ""
    centring: Literal["mrat", "none"]
    parts: tuple[Part, ...] = Field(min_length=1)
    items: tuple[QuestionItem, ...] = Field(min_length=1)
    content_hash: str = ""

    @model_validator(mode="after")
    def _check(self) -> "Questionnaire":
        parts = {p.id: p for p in self.parts}
        if len({(p.scale.min, p.scale.max) for p in self.parts}) != 1:
            raise ValueError("all parts must share one scale range (min and max)")
        dims = system_dimensions(self.system)
        ids = [i.id for i in self.items]
        if len(set(ids)) != len(ids):
            raise ValueError("item ids must be unique")
        for item in self.items:
            if item.part not in parts:
                raise ValueError(f"item {item.id!r} names unknown part {item.part!r}")
            if item.dimension is None and item.catch is None:
                raise ValueError(f"item {item.id!r} has no dimension and no catch rule")
            if item.dimension is not None and item.dimension not in dims:
                raise ValueError(f"item {item.id!r} names dimension {item.dimension!r}, not in {self.system!r}")
        unmeasured = [d for d in dims if not any(i.dimension == d for i in self.items)]
        if unmeasured:
            raise ValueError(f"no items for dimensions {unmeasured}")
        return self

    @property
    def scale_range(self) -> tuple[int, int]:
        """The common ``(min, max)`` of the answer scale."""
        return self.parts[0].scale.min, self.parts[0].scale.max

    def part(self, part_id: str) -> Part:
        """Return the part ``part_id``."""
        return next(p for p in self.parts if p.id == part_id)




def load_questionnaire_file(path: str | Path) -> Questionnaire:
    """Load and validate a questionnaire YAML file.

    Raises:
        DataFileError: if the file is unreadable, not YAML or invalid.
    """
    return load_hashed(Path(path), Questionnaire, "valuecompass/metric/data/questionnaires")


@functools.cache
def load_questionnaire(system: str = "schwartz") -> Questionnaire:
    """The packaged questionnaire for ``system`` (``schwartz`` or ``mft``).

    Raises:
        ProfileError: if there is no questionnaire for ``system``.
    """
    if system not in QUESTIONNAIRE_SYSTEMS:
        raise ProfileError(f"no questionnaire for value system {system!r}",
                           f"use one of: {', '.join(QUESTIONNAIRE_SYSTEMS)}")
    root = resources.files("valuecompass.metric") / "data" / "questionnaires"
    return load_questionnaire_file(Path(str(root / f"{system}.yaml")))


@dataclass(frozen=True)
class QuestionnaireScores:
    """Scores of one person's answers.

    Attributes:
        questionnaire_id: Which questionnaire.
        questionnaire_version: Its version.
        system: The value system.
        raw: Dimension -> mean of its items (instrument scale).
        centred: Dimension -> raw minus the person's mean over all scored items (MRAT), or
            ``None`` when the instrument is not centred.
        overall_mean: The person's mean over all scored items.
        warnings: Catch-item flags.
    """

    questionnaire_id: str
    questionnaire_version: str
    system: str
    raw: dict[str, float]
    centred: dict[str, float] | None
    overall_mean: float
    warnings: tuple[str, ...] = ()

    @property
    def priorities(self) -> dict[str, float]:
        """The scores the instrument prescribes: centred if it centres, raw otherwise."""
        return self.centred if self.centred is not None else self.raw


def _check_answers(q: Questionnaire, answers: Mapping[str, int]) -> None:
    known = {i.id for i in q.items}
    unknown = sorted(set(answers) - known)
    if unknown:
        raise ProfileError(f"answers to unknown items: {', '.join(unknown)}", f"questionnaire {q.id} has items "
                           f"{q.items[0].id}..{q.items[-1].id}")
    missing = [i.id for i in q.items if i.id not in answers]
    if missing:
        raise ProfileError(f"no answer to items: {', '.join(missing)}", "answer every item")
    lo, hi = q.scale_range
    for item_id, value in answers.items():
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise ProfileError(f"answer to item {item_id!r} is {value!r}, not a whole number {lo}-{hi}",
                               f"answer on the {lo}-{hi} scale")


def score_answers(q: Questionnaire, answers: Mapping[str, int]) -> QuestionnaireScores:
    """Score a person's answers by the questionnaire's key.

    Args:
        q: The questionnaire.
        answers: Item id -> answer on the scale, for every item.

    Returns:
        The :class:`QuestionnaireScores`.

    Raises:
        ProfileError: naming unknown, missing or out-of-range answers.
    """
    _check_answers(q, answers)
    lo, hi = q.scale_range
    keyed: dict[str, list[float]] = {d: [] for d in system_dimensions(q.system)}
    warnings = []
    for item in q.items:
        value = answers[item.id]
        if item.dimension is None:
            rule = item.catch
            if rule and ((rule.flag_if_at_least is not None and value >= rule.flag_if_at_least)
                         or (rule.flag_if_at_most is not None and value <= rule.flag_if_at_most)):
                warnings.append(f"item {item.id}: {rule.reason} (answer {value}); the answers may be careless")
            continue
        keyed[item.dimension].append(float(lo + hi - value if item.reverse else value))
    raw = {d: math.fsum(v) / len(v) for d, v in keyed.items()}
    every = [x for v in keyed.values() for x in v]
    overall = math.fsum(every) / len(every)
    centred = {d: s - overall for d, s in raw.items()} if q.centring == "mrat" else None
    return QuestionnaireScores(q.id, q.version, q.system, raw, centred, overall, tuple(warnings))


def profile_from_answers(q: Questionnaire, answers: Mapping[str, int], *, name: str, id: str | None = None,
                         temperature: float = DEFAULT_TEMPERATURE) -> ValueProfile:
    """Score answers and turn them into a personal :class:`ValueProfile`.

    Priorities are the instrument's scores (MRAT-centred for PVQ-style, raw for MFQ-style);
    weights are their softmax at ``temperature`` (see :mod:`valuecompass.metric._weights`).

    Args:
        q: The questionnaire.
        answers: Item id -> answer, for every item.
        name: The person's label for the profile.
        id: Profile id (default ``personal-<name>``).
        temperature: Softmax temperature in scale points.

    Raises:
        ProfileError: for bad answers or a bad name/id.
    """
    scores = score_answers(q, answers)
    lo, hi = q.scale_range
    kind = "MRAT-centred (value mean minus the person's mean over all items)" if q.centring == "mrat" else "raw"
    return build_profile(
        id=id or f"personal-{slugify(name)}", name=name, system=q.system, kind="personal",
        priorities=scores.priorities, temperature=temperature,
        priority_scale=f"{q.name}: {kind} item means on the {lo}-{hi} scale",
        source=f"{q.id}@{q.version} (questionnaire #{q.content_hash})",
        description=f"Answered {len(answers)} items." + (f" Warnings: {'; '.join(scores.warnings)}"
                                                        if scores.warnings else ""),
    )
