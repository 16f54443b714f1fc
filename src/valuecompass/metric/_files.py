"""Profile files: custom YAML/JSON/CSV profiles, and saved profiles in the user data dir.

A custom profile file (YAML or JSON) is a mapping::

    id: my-profile            # optional; default: the file name
    name: My profile          # optional; default: the file name
    system: schwartz          # optional if the dimensions show it
    weights: {benevolence: 2, universalism: 1}   # >= 0, any total; missing dimensions get 0
    # or instead of (or as well as) weights:
    priorities: {self_direction: 0.4, ...}       # every dimension; weights = softmax(p / T)
    temperature: 1.0
    source: where the numbers come from

A CSV file has a header with ``dimension`` and ``weight`` and/or ``priority`` columns, one
row per dimension; its id and name come from the file name.
"""

from __future__ import annotations

import csv
import difflib
import io
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import platformdirs
import yaml
from pydantic import ValidationError

from valuecompass._datafiles import parse_json, parse_yaml, read_text, validation_summary
from valuecompass._hashing import content_hash
from valuecompass.errors import DataFileError, ProfileError, UnknownFrameworkError
from valuecompass.frameworks import all_dimensions
from valuecompass.metric._profiles import ValueProfile, build_profile, slugify
from valuecompass.metric._weights import DEFAULT_TEMPERATURE

log = logging.getLogger(__name__)

#: Environment variable that moves the user data dir (profiles go to ``$VALUECOMPASS_HOME/profiles``).
HOME_ENV = "VALUECOMPASS_HOME"
_SPEC_KEYS = {"id", "name", "system", "kind", "weights", "priorities", "temperature", "priority_scale", "source",
              "version", "description", "sample_n", "weighting", "content_hash"}


def profiles_dir(home: str | Path | None = None) -> Path:
    """Where saved personal and imported profiles live.

    Order: ``home`` argument, then ``$VALUECOMPASS_HOME``, then
    ``platformdirs.user_data_dir("valuecompass")``; profiles are in its ``profiles/``.
    """
    base = home or os.environ.get(HOME_ENV) or platformdirs.user_data_dir("valuecompass")
    return Path(base) / "profiles"


def _infer_system(dims: list[str], path: Path) -> str:
    owners = {d.id: d.system for d in all_dimensions()}
    systems = {owners[d] for d in dims if d in owners}
    unknown = [str(d) for d in dims if d not in owners]
    if unknown:
        close = {d: difflib.get_close_matches(d, list(owners), n=1) for d in unknown}
        hints = [f"{d} -> {c[0]}?" for d, c in close.items() if c]
        raise DataFileError(str(path), f"unknown dimension{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
                            hint=f"did you mean {'; '.join(hints)} " if hints else
                            "run 'valuecompass frameworks list' to see the dimension ids")
    if len(systems) != 1:
        found = ", ".join(sorted(systems)) or "none"
        raise DataFileError(str(path), f"cannot tell the value system from the dimensions (systems: {found})",
                            hint="add 'system: schwartz' (or mft, safety, llm_values) to the file")
    return systems.pop()


def _read_structured(path: Path, text: str) -> dict[str, Any]:
    data = parse_json(path, text) if path.suffix.lower() == ".json" else parse_yaml(path, text)
    if not isinstance(data, dict):
        raise DataFileError(str(path), "expected a mapping with 'weights:' or 'priorities:' at the top level")
    unknown = sorted(set(data) - _SPEC_KEYS)
    if unknown:
        raise DataFileError(str(path), f"unknown keys: {', '.join(map(str, unknown))}",
                            hint=f"allowed keys: {', '.join(sorted(_SPEC_KEYS - {'content_hash', 'weighting'}))}")
    for key in ("weights", "priorities"):
        if key in data and not isinstance(data[key], Mapping):
            raise DataFileError(str(path), f"'{key}' must map dimension ids to numbers, got {data[key]!r}")
    return data


def _number(cell: str, path: Path, line: int, column: str) -> float:
    try:
        return float(cell)
    except ValueError:
        raise DataFileError(str(path), f"column {column!r} is not a number: {cell!r}", f"line {line}",
                            "write a plain number, e.g. 0.25") from None


def _read_csv(path: Path, text: str) -> dict[str, Any]:
    reader = csv.DictReader(io.StringIO(text))
    fields = [f.strip().lower() for f in reader.fieldnames or []]
    if "dimension" not in fields or not {"weight", "priority"} & set(fields):
        raise DataFileError(str(path), f"CSV header must have 'dimension' and 'weight' or 'priority', got {fields}",
                            hint="start the file with the line: dimension,weight")
    data: dict[str, Any] = {}
    for line, row in enumerate(reader, start=2):
        row = {k.strip().lower(): (v or "").strip() for k, v in row.items() if k}
        for column, key in (("weight", "weights"), ("priority", "priorities")):
            if row.get(column):
                data.setdefault(key, {})[row["dimension"]] = _number(row[column], path, line, column)
    if not data:
        raise DataFileError(str(path), "no weights or priorities in the file", hint="add rows like: care,0.3")
    return data


def _spec_from_file(path: Path) -> dict[str, Any]:
    suffix = path.suffix.lower()
    if suffix not in {".yaml", ".yml", ".json", ".csv"}:
        raise DataFileError(str(path), f"unknown profile file type {suffix!r}", hint="use .yaml, .json or .csv")
    text = read_text(path)
    return _read_csv(path, text) if suffix == ".csv" else _read_structured(path, text)


def _saved_profile(data: dict[str, Any]) -> ValueProfile | None:
    """The profile itself if ``data`` is an unedited saved profile (its hash matches)."""
    stored = data.get("content_hash")
    fields = {k: v for k, v in data.items() if k != "content_hash"}
    if not stored or set(fields) != set(ValueProfile.model_fields) - {"content_hash"}:
        return None
    if content_hash(fields) != stored:
        return None
    return ValueProfile.model_validate(data)


def load_profile_file(path: str | Path) -> ValueProfile:
    """Load a custom or saved profile from a YAML, JSON or CSV file.

    Args:
        path: The file.

    Returns:
        The validated profile (kind ``custom`` unless the file says otherwise).

    Raises:
        DataFileError: if the file is unreadable or malformed.
        ProfileError: if its weights or priorities are invalid (the message names the file
            and the bad dimension or value).
    """
    path = Path(path)
    data = _spec_from_file(path)
    saved = _saved_profile(data)
    if saved is not None:
        return saved
    dims = list(data.get("weights") or {}) + list(data.get("priorities") or {})
    system = data.get("system") or _infer_system([str(d) for d in dims], path)
    try:
        temperature = float(data.get("temperature", DEFAULT_TEMPERATURE))
    except (TypeError, ValueError):
        raise DataFileError(str(path), f"temperature is not a number: {data.get('temperature')!r}",
                            hint=f"e.g. temperature: {DEFAULT_TEMPERATURE}") from None
    try:
        return build_profile(
            id=str(data.get("id") or slugify(path.stem)), name=str(data.get("name") or path.stem),
            system=system, kind=data.get("kind", "custom"), weights=data.get("weights"),
            priorities=data.get("priorities"), temperature=temperature,
            priority_scale=str(data.get("priority_scale", "")), source=str(data.get("source", str(path))),
            version=str(data.get("version", "1.0.0")), description=str(data.get("description", "")),
            sample_n=data.get("sample_n"))
    except (ProfileError, UnknownFrameworkError) as exc:
        raise type(exc)(f"{path}: {exc.message}", exc.hint) from exc
    except ValidationError as exc:
        raise DataFileError(str(path), validation_summary(exc), str(data.get("id") or ""),
                            "see 'valuecompass profiles show uniform-schwartz --json' for the fields") from exc


def save_profile(profile: ValueProfile, home: str | Path | None = None) -> Path:
    """Write ``profile`` as ``<id>.yaml`` into the user profiles dir (replacing a file of that id).

    Args:
        profile: The profile.
        home: Overrides the user data dir (see :func:`profiles_dir`).

    Returns:
        The path written.
    """
    folder = profiles_dir(home)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{profile.id}.yaml"
    text = yaml.safe_dump(profile.model_dump(mode="json"), sort_keys=False, allow_unicode=True)
    tmp = path.with_suffix(".yaml.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    log.info("saved profile %s to %s", profile.id, path)
    return path


def user_profiles(home: str | Path | None = None) -> tuple[ValueProfile, ...]:
    """Every profile saved in the user profiles dir, sorted by id.

    Files that fail to load are skipped with a logged warning naming the problem.
    """
    folder = profiles_dir(home)
    if not folder.is_dir():
        return ()
    out = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in {".yaml", ".yml", ".json", ".csv"}:
            continue
        try:
            out.append(load_profile_file(path))
        except (DataFileError, ProfileError) as exc:
            log.warning("skipping profile file %s: %s", path, exc)
    return tuple(sorted(out, key=lambda p: p.id))
