"""Value portraits: a few sentences about a person from the values their answers put first.

The words are data (``metric/data/portraits.yaml``): per value system, how many top values a
portrait names, an opening sentence, and for every dimension a name, a trait adjective and one
sentence. :func:`value_portrait` picks the profile's highest *priorities* (ties keep the system's
dimension order) and joins those words; ``static/js/portrait.js`` builds the same text in the
browser from the same data (:func:`portraits_json`).

Example:
    >>> from valuecompass.metric import load_questionnaire, profile_from_answers, value_portrait
    >>> q = load_questionnaire("mft")
    >>> answers = {i.id: 5 if i.dimension in ("care", "fairness") else 1 for i in q.items}
    >>> value_portrait(profile_from_answers(q, answers, name="me")).title
    'Compassionate and even-handed'
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from valuecompass._datafiles import load_hashed
from valuecompass.errors import DataFileError, ProfileError
from valuecompass.metric._defaults import QUESTIONNAIRE_SYSTEMS
from valuecompass.metric._profiles import ValueProfile
from valuecompass.metric._weights import system_dimensions

#: The placeholder of a portrait's opening sentence.
VALUES_FIELD = "{values}"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PortraitWords(_Frozen):
    """The words for one dimension: its name in a sentence, a trait adjective and one sentence."""

    name: str = Field(min_length=1)
    trait: str = Field(min_length=1)
    sentence: str = Field(min_length=1)


class PortraitSystem(_Frozen):
    """A value system's portrait words: how many values to name, the opening, and every dimension."""

    top: int = Field(ge=1, le=5)
    lead: str
    dimensions: dict[str, PortraitWords]

    @model_validator(mode="after")
    def _check(self) -> "PortraitSystem":
        if VALUES_FIELD not in self.lead:
            raise ValueError(f"lead must contain {VALUES_FIELD}")
        return self


class PortraitSet(_Frozen):
    """Every value system's portrait words, versioned and hashed like the other data files."""

    id: str
    version: str
    systems: dict[str, PortraitSystem]
    content_hash: str = ""


@dataclass(frozen=True)
class ValuePortrait:
    """A short description of a person from their top values.

    Attributes:
        system: The value system.
        dimensions: The top dimensions, highest priority first.
        title: Their trait adjectives joined, e.g. ``"Caring, broad-minded and independent"``.
        text: The opening sentence and one sentence per top value.
    """

    system: str
    dimensions: tuple[str, ...]
    title: str
    text: str


def _check_systems(portraits: PortraitSet, path: Path) -> None:
    for system in QUESTIONNAIRE_SYSTEMS:
        spec = portraits.systems.get(system)
        if spec is None:
            raise DataFileError(str(path), f"no portrait words for value system {system!r}",
                                hint="add the system under systems:")
        dims = system_dimensions(system)
        if set(spec.dimensions) != set(dims) or spec.top > len(dims):
            missing = sorted(set(dims) - set(spec.dimensions))
            extra = sorted(set(spec.dimensions) - set(dims))
            raise DataFileError(str(path), f"{system}: missing dimensions {missing}, unknown {extra}, top "
                                f"{spec.top}", hint=f"give words for exactly: {', '.join(dims)}")


def load_portraits_file(path: str | Path) -> PortraitSet:
    """Load and validate a portrait words file (the format of ``metric/data/portraits.yaml``).

    Raises:
        DataFileError: if the file is unreadable, invalid, or lacks a questionnaire system or dimension.
    """
    path = Path(path)
    portraits = load_hashed(path, PortraitSet, "valuecompass/metric/data/portraits.yaml")
    _check_systems(portraits, path)
    return portraits


@functools.cache
def load_portraits() -> PortraitSet:
    """The packaged portrait words (``metric/data/portraits.yaml``)."""
    return load_portraits_file(Path(str(resources.files("valuecompass.metric") / "data" / "portraits.yaml")))


def join_names(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``: names joined as in a sentence."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def portrait_of(system: str, priorities: Mapping[str, float], top: int | None = None) -> ValuePortrait:
    """The portrait of a person whose priorities on ``system``'s dimensions are ``priorities``.

    Args:
        system: A value system with a questionnaire (``schwartz`` or ``mft``).
        priorities: Every dimension -> priority (higher: more important); ties keep the system's order.
        top: How many values to name (default: the data file's number for the system).

    Raises:
        ProfileError: for a system without portrait words or priorities missing a dimension.
    """
    spec = load_portraits().systems.get(system)
    if spec is None:
        raise ProfileError(f"no value portrait for value system {system!r}",
                           f"use one of: {', '.join(load_portraits().systems)}")
    dims = system_dimensions(system)
    missing = [d for d in dims if d not in priorities]
    if missing:
        raise ProfileError(f"priorities lack dimensions: {', '.join(missing)}", "give a priority for every dimension")
    ranked = sorted(dims, key=lambda d: -priorities[d])[: top or spec.top]
    words = [spec.dimensions[d] for d in ranked]
    title = join_names([w.trait for w in words])
    lead = spec.lead.replace(VALUES_FIELD, join_names([w.name for w in words]))
    return ValuePortrait(system, tuple(ranked), title[:1].upper() + title[1:],
                         " ".join([lead, *(w.sentence for w in words)]))


def value_portrait(profile: ValueProfile, top: int | None = None) -> ValuePortrait:
    """The portrait of the person behind ``profile``, from its highest priorities.

    Args:
        profile: A value profile (usually personal, from :func:`profile_from_answers`).
        top: How many values to name (default: the data file's number for the profile's system).

    Raises:
        ProfileError: if the profile's system has no portrait words.
    """
    return portrait_of(profile.system, profile.priorities, top)


def portraits_json() -> dict[str, Any]:
    """The portrait words of every questionnaire system, for the browser (``static/js/portrait.js``)."""
    out: dict[str, Any] = {}
    for system, spec in load_portraits().systems.items():
        out[system] = {"top": spec.top, "lead": spec.lead, "dims": list(system_dimensions(system)),
                       "words": {d: spec.dimensions[d].model_dump() for d in system_dimensions(system)}}
    return out
