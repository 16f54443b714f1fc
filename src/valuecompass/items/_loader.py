"""Reading, validating and querying item files (JSONL or YAML, one record per item)."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from valuecompass._datafiles import parse_json, parse_yaml, read_text, validation_summary
from valuecompass._hashing import content_hash
from valuecompass.errors import DataFileError, UnknownFrameworkError
from valuecompass.frameworks import get_dimension, get_system
from valuecompass.items._keys import FORMAT_KEY, KEY_EXAMPLES, ChoiceKey, StanceKey
from valuecompass.items._models import SYSTEM_FORMATS, Item

SEED_BANK_VERSION = "1.0.0"


def _records(path: Path) -> list[tuple[str, Any]]:
    """Return (location, raw record) pairs from a JSONL, JSON or YAML file."""
    text = read_text(path, hint="check the path")
    if path.suffix == ".jsonl":
        return [(f"line {n}", parse_json(path, line, f"line {n}"))
                for n, line in enumerate(text.splitlines(), start=1) if line.strip()]
    data = parse_json(path, text) if path.suffix == ".json" else parse_yaml(path, text)
    if isinstance(data, dict) and "items" in data:
        data = data["items"]
    if not isinstance(data, list):
        raise DataFileError(str(path), "expected a list of item records (or a mapping with 'items:')")
    return [(f"#{n}", rec) for n, rec in enumerate(data, start=1)]


def _check_item(path: Path, where: str, raw: Any) -> Item:
    label = raw.get("id", where) if isinstance(raw, dict) else where
    if not isinstance(raw, dict):
        raise DataFileError(str(path), "each record must be a JSON/YAML object", where)
    try:
        item = Item.model_validate(raw)
    except ValidationError as exc:
        raise DataFileError(str(path), validation_summary(exc), str(label), _hint(exc, raw)) from exc
    try:
        dim = get_dimension(item.dimension)
    except UnknownFrameworkError as exc:
        raise DataFileError(str(path), f"unknown dimension {item.dimension!r}", str(label),
                            exc.hint) from exc
    allowed = SYSTEM_FORMATS[dim.system]
    if item.format not in allowed:
        raise DataFileError(str(path), f"format {item.format!r} does not fit system {dim.system!r}",
                            str(label), f"use format {' or '.join(map(repr, allowed))} for {dim.system} items")
    if item.key is None:
        kind = FORMAT_KEY[item.format]
        raise DataFileError(str(path), f"no scoring key: a {item.format} item needs a {kind!r} key", str(label),
                            f"add {KEY_EXAMPLES[kind]} (see `valuecompass items validate --help`)")
    if item.task is not None and dim.tasks and item.task not in {t.id for t in dim.tasks}:
        raise DataFileError(str(path), f"unknown task {item.task!r} for dimension {dim.id!r}", str(label),
                            f"use one of: {', '.join(t.id for t in dim.tasks)}")
    return item


def _hint(exc: ValidationError, raw: dict[str, Any]) -> str:
    """The fix for an invalid item: the key a format needs, or the required fields."""
    if any(e["loc"][:1] == ("key",) or "key" in str(e.get("msg", "")) for e in exc.errors()):
        kind = FORMAT_KEY.get(str(raw.get("format")))
        if kind:
            return f"a {raw.get('format')} item needs {KEY_EXAMPLES[kind]}"
        return "give a key of kind stance, choice, rubric or safety that fits the item's format"
    return "give every item id, dimension, format, text, difficulty, key and provenance"


def load_item_file(path: str | Path) -> tuple[Item, ...]:
    """Load and validate one item file.

    Accepts JSONL (one item per line), a JSON list, or YAML (a list, or a
    mapping with ``items:``).

    Args:
        path: The item file.

    Returns:
        The validated items, in file order.

    Raises:
        DataFileError: naming the file, the record and the fix, for unreadable
            files, bad syntax, missing or empty fields, unknown dimensions and
            duplicate ids.
    """
    path = Path(path)
    items: list[Item] = []
    seen: dict[str, str] = {}
    for where, raw in _records(path):
        item = _check_item(path, where, raw)
        if item.id in seen:
            raise DataFileError(str(path), f"duplicate id {item.id!r} (first at {seen[item.id]})", where,
                                "give every item a unique id")
        seen[item.id] = where
        items.append(item)
    if not items:
        raise DataFileError(str(path), "the file holds no items")
    return tuple(items)


def _seed_files() -> list[Path]:
    root = resources.files("valuecompass.items") / "data" / "seed"
    return sorted(Path(str(p)) for p in root.iterdir() if str(p).endswith(".jsonl"))


@functools.lru_cache(maxsize=1)
def load_seed_bank() -> tuple[Item, ...]:
    """Load the packaged seed item bank (all systems), checking ids are unique."""
    items: list[Item] = []
    seen: dict[str, Path] = {}
    for f in _seed_files():
        for item in load_item_file(f):
            if item.id in seen:
                raise DataFileError(str(f), f"duplicate id {item.id!r} (also in {seen[item.id].name})")
            seen[item.id] = f
            items.append(item)
    return tuple(items)


def seed_bank_version() -> str:
    """Version and content hash of the packaged seed bank, e.g. ``seed-1.0.0#ab12...``."""
    bank = load_seed_bank()
    return f"seed-{SEED_BANK_VERSION}#{content_hash([i.model_dump(mode='json') for i in bank])}"


def select_items(items: Iterable[Item], systems: Iterable[str] = (),
                 dimensions: Iterable[str] = ()) -> list[Item]:
    """Filter items by value system and/or dimension ids (empty means all).

    Raises:
        UnknownFrameworkError: for an unknown system or dimension id.
    """
    systems = set(systems)
    dims = set(dimensions)
    for d in dims:
        get_dimension(d)
    for s in systems:
        get_system(s)
    out = []
    for item in items:
        dim = get_dimension(item.dimension)
        if systems and dim.system not in systems:
            continue
        if dims and item.dimension not in dims:
            continue
        out.append(item)
    return out


def key_balance(items: Iterable[Item]) -> dict[str, dict[str, int]]:
    """Per dimension, how many stance items are keyed ``yes`` and ``no`` (forced choices: ``A`` and ``B``).

    A dimension whose keys lean one way measures acquiescence (or position bias) as much as
    value: the seed bank keeps at least 40% each way.
    """
    out: dict[str, dict[str, int]] = {}
    for item in items:
        key = item.key
        side = key.expresses if isinstance(key, StanceKey) else key.violating if isinstance(key, ChoiceKey) else None
        if side is not None:
            counts = out.setdefault(item.dimension, {})
            counts[side] = counts.get(side, 0) + 1
    return out


def unbalanced(balance: dict[str, dict[str, int]], least: float = 0.4) -> list[str]:
    """The dimensions of :func:`key_balance` with less than ``least`` of their keys on one side."""
    return [dim for dim, counts in balance.items()
            if min(counts.get(a, 0) for a in (("yes", "no") if "yes" in counts or "no" in counts else ("A", "B")))
            < least * sum(counts.values())]
