"""The frozen :class:`ValueProfile` model and the one way to build one."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from valuecompass.metric._defaults import PROFILE_KINDS
from valuecompass._hashing import content_hash
from valuecompass.errors import ProfileError
from valuecompass.frameworks import SystemId
from valuecompass.metric._weights import (
    DEFAULT_TEMPERATURE,
    softmax_weights,
    system_dimensions,
    validate_priorities,
    validate_weights,
)

ProfileKind = Literal["uniform", "country", "personal", "custom"]
_ID_PATTERN = r"^[a-z0-9][a-z0-9_.-]*$"


class ValueProfile(BaseModel):
    """A value profile: how much one person, culture or preset weighs each dimension.

    Attributes:
        id: Stable id (lower case, e.g. ``schwartz-de``, ``uniform-self_transcendence``).
        name: Human-readable name.
        system: The value system whose dimensions the profile weighs.
        kind: ``uniform``, ``country``, ``personal`` or ``custom``.
        weights: Every dimension of the system -> weight >= 0; the weights sum to 1.
        priorities: Every dimension -> raw priority (e.g. mean-centred importance, may be
            negative); the Spearman view ranks these. Equal to ``weights`` when only
            weights were given.
        priority_scale: What the priority numbers mean (instrument and scale).
        weighting: How ``weights`` were obtained (``given``, ``uniform``, ``softmax(T=1)``).
        source: Citation or origin of the profile.
        version: Version of the profile (of its data table for packaged profiles).
        description: Free text.
        sample_n: Number of respondents behind the priorities, if known.
        content_hash: sha256 (16 hex digits) of every other field.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=_ID_PATTERN, max_length=80)
    name: str = Field(min_length=1)
    system: SystemId
    kind: ProfileKind
    weights: dict[str, float]
    priorities: dict[str, float]
    priority_scale: str = ""
    weighting: str = "given"
    source: str = ""
    version: str = "1.0.0"
    description: str = ""
    sample_n: int | None = None
    content_hash: str = ""

    @model_validator(mode="after")
    def _check(self) -> "ValueProfile":
        dims = system_dimensions(self.system)
        if tuple(self.weights) != dims or tuple(self.priorities) != dims:
            raise ProfileError(f"profile {self.id!r}: weights and priorities must list every dimension of "
                               f"{self.system!r} in order", "build profiles with valuecompass.metric.build_profile")
        if any(w < 0 or not math.isfinite(w) for w in self.weights.values()):
            raise ProfileError(f"profile {self.id!r} has a negative or non-finite weight")
        if abs(math.fsum(self.weights.values()) - 1.0) > 1e-9:
            raise ProfileError(f"profile {self.id!r}: weights sum to {math.fsum(self.weights.values())}, not 1")
        return self

    @property
    def dimensions(self) -> tuple[str, ...]:
        """The system's dimension ids, in display order."""
        return tuple(self.weights)

    def top(self, n: int = 3) -> list[tuple[str, float]]:
        """The ``n`` dimensions with the largest weight, largest first."""
        return sorted(self.weights.items(), key=lambda kv: -kv[1])[:n]


def slugify(text: str) -> str:
    """Lower-case ``text`` and replace runs of other characters by ``-`` (for profile ids)."""
    slug = re.sub(r"[^a-z0-9_.]+", "-", text.lower()).strip("-.")
    return slug or "profile"


def build_profile(
    *,
    id: str,
    name: str,
    system: str,
    kind: str = "custom",
    weights: Mapping[str, object] | None = None,
    priorities: Mapping[str, object] | None = None,
    temperature: float = DEFAULT_TEMPERATURE,
    priority_scale: str = "",
    source: str = "",
    version: str = "1.0.0",
    description: str = "",
    sample_n: int | None = None,
) -> ValueProfile:
    """Validate weights and/or priorities and build a frozen, hashed :class:`ValueProfile`.

    Give ``weights`` (used as given after normalisation), ``priorities`` (weights are their
    softmax at ``temperature``), or both.

    Args:
        id: Profile id (``[a-z0-9][a-z0-9_.-]*``).
        name: Human-readable name.
        system: Value-system id.
        kind: ``uniform``, ``country``, ``personal`` or ``custom``.
        weights: Dimension -> non-negative number; normalised to sum 1, missing dims get 0.
        priorities: Dimension -> raw priority for every dimension of the system.
        temperature: Softmax temperature when weights come from priorities.
        priority_scale: What the priority numbers mean.
        source: Citation or origin.
        version: Profile version.
        description: Free text.
        sample_n: Respondents behind the priorities, if known.

    Returns:
        The profile, with ``content_hash`` set.

    Raises:
        ProfileError: for bad weights, priorities, id or kind, naming the bad value.
    """
    if kind not in PROFILE_KINDS:
        raise ProfileError(f"unknown profile kind {kind!r}", f"use one of: {', '.join(PROFILE_KINDS)}")
    if not re.match(_ID_PATTERN, id):
        raise ProfileError(f"bad profile id {id!r}",
                           f"use lower-case letters, digits, '-', '_', '.', e.g. {slugify(id)!r}")
    if weights is None and priorities is None:
        raise ProfileError(f"profile {id!r} gives neither weights nor priorities",
                           "add 'weights:' (dimension: number) or 'priorities:' to the profile")
    prio = validate_priorities(priorities, system) if priorities is not None else None
    if weights is not None:
        w, weighting = validate_weights(weights, system), "given"
    else:
        w, weighting = softmax_weights(prio, temperature), f"softmax(T={temperature:g})"
    fields = {
        "id": id, "name": name, "system": system, "kind": kind, "weights": w,
        "priorities": prio if prio is not None else dict(w), "priority_scale": priority_scale,
        "weighting": weighting, "source": source, "version": version, "description": description,
        "sample_n": sample_n,
    }
    return ValueProfile(**fields, content_hash=content_hash(fields))


def uniform_profile(system: str, subset: tuple[str, ...] | None = None, *, id: str | None = None,
                    name: str | None = None, source: str = "") -> ValueProfile:
    """The uniform profile over ``subset`` (default: every dimension) of ``system``.

    Priorities are 1 for the dimensions in the subset and 0 elsewhere.

    Args:
        system: Value-system id.
        subset: Dimension ids to weigh equally; others get weight 0.
        id: Profile id (default ``uniform-<system>``).
        name: Name (default "Uniform (<system>)").
        source: Citation or origin.

    Raises:
        ProfileError: naming an unknown dimension in ``subset``.
    """
    dims = system_dimensions(system)
    chosen = subset or dims
    weights = {d: 1.0 for d in chosen}
    validate_weights(weights, system)
    prio = {d: (1.0 if d in chosen else 0.0) for d in dims}
    profile = build_profile(id=id or f"uniform-{system}", name=name or f"Uniform ({system})", system=system,
                            kind="uniform", weights=weights, priorities=prio,
                            priority_scale="1 = in the chosen subset, 0 = not", source=source,
                            description=f"Equal weight on {', '.join(chosen)}.")
    fields = profile.model_dump(exclude={"content_hash"}) | {"weighting": "uniform"}
    return ValueProfile(**fields, content_hash=content_hash(fields))
