"""The packaged profiles (uniform presets, country tables) and profile look-up by id or path."""

from __future__ import annotations

import difflib
import functools
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from valuecompass.metric._defaults import DEFAULT_PROFILE_ID
from valuecompass._datafiles import read_yaml, validation_summary
from valuecompass.errors import DataFileError, ProfileError
from valuecompass.frameworks import get_system, load_systems
from valuecompass.metric._files import load_profile_file, user_profiles
from valuecompass.metric._profiles import (
    PROFILE_KINDS,
    ValueProfile,
    build_profile,
    uniform_profile,
)
from valuecompass.metric._weights import DEFAULT_TEMPERATURE



class CountryRow(BaseModel):
    """One country or culture in a derived country table."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: str
    n: int | None = None
    priorities: dict[str, float]
    sd: dict[str, float] | None = None


class CountryTable(BaseModel):
    """A derived table of country value priorities with its citation and derivation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    table: str
    system: str
    version: str
    title: str
    citation: str
    source_data: str
    derivation: str
    script: str
    priority_scale: str
    temperature: float = DEFAULT_TEMPERATURE
    caveats: str = ""
    checks: dict[str, float] = {}
    countries: tuple[CountryRow, ...]


def load_country_table(path: str | Path) -> CountryTable:
    """Load and validate one derived country table (YAML).

    Raises:
        DataFileError: if the file is unreadable or malformed.
    """
    path = Path(path)
    try:
        return CountryTable.model_validate(read_yaml(path))
    except ValidationError as exc:
        raise DataFileError(str(path), validation_summary(exc),
                            hint="regenerate it with scripts/derive_profiles.py") from exc


def country_profiles_from_table(table: CountryTable) -> tuple[ValueProfile, ...]:
    """One ``country`` profile per row: weights = softmax(priorities / T) at the table's T."""
    return tuple(
        build_profile(id=f"{table.system}-{row.code}", name=f"{row.name} ({table.title})", system=table.system,
                      kind="country", priorities=row.priorities, temperature=table.temperature,
                      priority_scale=table.priority_scale, source=table.citation, version=table.version,
                      description=f"Derived table {table.table}: {table.derivation}", sample_n=row.n)
        for row in table.countries
    )


def country_table_paths() -> tuple[Path, ...]:
    """The packaged derived country tables."""
    root = Path(str(resources.files("valuecompass.metric") / "data" / "countries"))
    return tuple(sorted(root.glob("*.yaml")))


def uniform_presets() -> tuple[ValueProfile, ...]:
    """Uniform profiles over each whole system and over each higher-order group."""
    out = []
    for system in load_systems():
        out.append(uniform_profile(system.id, name=f"Uniform: all of {system.name}",
                                   source="uniform preset over every dimension of the system"))
        for group in system.groups:
            out.append(uniform_profile(system.id, tuple(group.dimensions), id=f"uniform-{group.id}",
                                       name=f"Uniform: {group.name} ({system.name})",
                                       source=f"uniform preset over the higher-order group {group.id!r}"))
    return tuple(out)


@functools.lru_cache(maxsize=1)
def packaged_profiles() -> tuple[ValueProfile, ...]:
    """Every packaged profile: uniform presets, then the country tables."""
    profiles = list(uniform_presets())
    for path in country_table_paths():
        profiles.extend(country_profiles_from_table(load_country_table(path)))
    return tuple(profiles)


def list_profiles(system: str | None = None, kind: str | None = None,
                  home: str | Path | None = None) -> tuple[ValueProfile, ...]:
    """Packaged and saved profiles, optionally of one system and/or kind.

    Args:
        system: Only profiles of this value system.
        kind: Only profiles of this kind.
        home: Overrides the user data dir (see :func:`profiles_dir`).

    Raises:
        ProfileError: for an unknown kind.
        UnknownFrameworkError: for an unknown system.
    """
    if kind is not None and kind not in PROFILE_KINDS:
        raise ProfileError(f"unknown profile kind {kind!r}", f"use one of: {', '.join(PROFILE_KINDS)}")
    if system is not None:
        get_system(system)  # raises UnknownFrameworkError naming the known systems
    packaged = packaged_profiles()
    taken = {p.id for p in packaged}
    saved = tuple(p for p in user_profiles(home) if p.id not in taken)
    return tuple(p for p in packaged + saved
                 if (system is None or p.system == system) and (kind is None or p.kind == kind))


def get_profile(ref: str, home: str | Path | None = None) -> ValueProfile:
    """Find a profile by id (packaged or saved), or load it from a file path.

    Args:
        ref: A profile id (see ``valuecompass profiles list``) or a path to a profile file.
        home: Overrides the user data dir.

    Raises:
        ProfileError: naming the closest ids if nothing matches.
    """
    profiles = list_profiles(home=home)
    for p in profiles:
        if p.id == ref:
            return p
    if Path(ref).suffix.lower() in {".yaml", ".yml", ".json", ".csv"} or Path(ref).is_file():
        return load_profile_file(ref)
    close = difflib.get_close_matches(ref, [p.id for p in profiles], n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "run 'valuecompass profiles list' to see the ids"
    raise ProfileError(f"unknown profile {ref!r}", hint)


def check_new_id(profile: ValueProfile) -> None:
    """Refuse to save a user profile whose id is taken by a packaged profile.

    Raises:
        ProfileError: naming the id.
    """
    if any(p.id == profile.id for p in packaged_profiles()):
        raise ProfileError(f"profile id {profile.id!r} is already used by a packaged profile",
                           "choose another id (e.g. --save my-name, or 'id:' in the file)")
