"""Loading and validating value-system files."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from valuecompass._datafiles import read_yaml, validation_summary
from valuecompass._hashing import content_hash
from valuecompass.errors import DataFileError, UnknownFrameworkError
from valuecompass.frameworks._models import Dimension, ValueSystem

SYSTEM_IDS: tuple[str, ...] = ("schwartz", "mft", "safety", "llm_values")


def load_system_file(path: str | Path) -> ValueSystem:
    """Load and validate one value-system YAML file.

    Args:
        path: Path to a YAML file in the value-system format.

    Returns:
        The frozen :class:`ValueSystem`, with its ``content_hash`` set.

    Raises:
        DataFileError: if the file is unreadable, not YAML, or invalid.
    """
    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(str(path), "expected a mapping at the top level",
                            hint="start the file with 'id:', 'name:', 'dimensions:' ...")
    data = {k: v for k, v in data.items() if k != "content_hash"}
    try:
        system = ValueSystem.model_validate({**data, "content_hash": content_hash(data)})
    except ValidationError as exc:
        raise DataFileError(str(path), validation_summary(exc), data.get("id"),
                            "see the packaged files under valuecompass/frameworks/data for the format") from exc
    return system


@functools.lru_cache(maxsize=1)
def load_systems() -> tuple[ValueSystem, ...]:
    """Load the four packaged value systems, in canonical order."""
    root = resources.files("valuecompass.frameworks") / "data"
    systems = tuple(load_system_file(Path(str(root / f"{sid}.yaml"))) for sid in SYSTEM_IDS)
    seen: dict[str, str] = {}
    for s in systems:
        for d in s.dimensions:
            if d.id in seen:
                raise DataFileError(f"{s.id}.yaml", f"dimension id {d.id!r} also used by {seen[d.id]}")
            seen[d.id] = s.id
    return systems


def get_system(system_id: str) -> ValueSystem:
    """Return the packaged value system ``system_id``.

    Raises:
        UnknownFrameworkError: naming the known systems.
    """
    for s in load_systems():
        if s.id == system_id:
            return s
    raise UnknownFrameworkError(f"unknown value system {system_id!r}",
                                f"use one of: {', '.join(SYSTEM_IDS)}")


@functools.lru_cache(maxsize=1)
def all_dimensions() -> tuple[Dimension, ...]:
    """All 27 dimensions of the four systems, in display order (read once)."""
    out: list[Dimension] = []
    for s in load_systems():
        out.extend(s.dimension(d) for d in s.ordered_ids)
    return tuple(out)


@functools.lru_cache(maxsize=1)
def _by_id() -> dict[str, Dimension]:
    return {d.id: d for d in all_dimensions()}


def is_dimension(dim_id: str) -> bool:
    """Whether ``dim_id`` is a dimension of the value systems (a store or file may name others)."""
    return dim_id in _by_id()


def get_dimension(dim_id: str) -> Dimension:
    """Return the dimension ``dim_id`` from any system.

    Raises:
        UnknownFrameworkError: naming the closest known ids.
    """
    found = _by_id().get(dim_id)
    if found is not None:
        return found
    import difflib

    close = difflib.get_close_matches(dim_id, [d.id for d in all_dimensions()], n=3)
    hint = f"did you mean {', '.join(close)}?" if close else "run 'valuecompass frameworks list' to see the ids"
    raise UnknownFrameworkError(f"unknown dimension {dim_id!r}", hint)


def frameworks_version() -> str:
    """A combined version string of the packaged systems (ids, versions, hashes)."""
    return ";".join(f"{s.id}@{s.version}#{s.content_hash}" for s in load_systems())
