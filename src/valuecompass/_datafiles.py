"""Reading the project's data files: one place for the file, YAML and validation errors.

Every loader of value systems, items, judge templates, profiles, questionnaires
and country tables reports a bad file the same way: a :class:`DataFileError`
naming the file (and the line, for YAML syntax) and how to fix it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from valuecompass._hashing import content_hash
from valuecompass.errors import DataFileError

M = TypeVar("M", bound=BaseModel)


#: Largest data file read (bytes): items, profiles, labelled sets and calibrations are far smaller.
MAX_FILE_BYTES = 20_000_000
#: Deepest nesting of lists and mappings accepted in a JSON or YAML data file.
MAX_DEPTH = 32


def read_text(path: Path, hint: str | None = None) -> str:
    """The file's text (UTF-8, at most :data:`MAX_FILE_BYTES`).

    Raises:
        DataFileError: if it cannot be read, is too large or is not UTF-8 (naming the byte).
    """
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise DataFileError(str(path), f"file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} a data file "
                                "may have", hint="split it, or check that it is the right file")
        data = path.read_bytes()
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read file ({exc.strerror})", hint=hint or "check the path") from exc
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataFileError(str(path), f"not UTF-8 text: byte {exc.start} (line {line}) is not valid UTF-8",
                            hint="save the file as UTF-8") from exc


def depth(value: Any) -> int:
    """How deeply lists and mappings nest in ``value`` (iteratively: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        if isinstance(node, dict):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in node.values())
        elif isinstance(node, list):
            deepest = max(deepest, level)
            stack.extend((v, level + 1) for v in node)
    return deepest


def _shallow(path: Path, data: Any, where: str | None = None) -> Any:
    if depth(data) > MAX_DEPTH:
        raise DataFileError(str(path), f"nested more than {MAX_DEPTH} levels deep", where,
                            "data files are flat records: check that it is the right file")
    return data


def parse_json(path: Path, text: str, where: str | None = None) -> Any:
    """``text`` (the content of ``path``, or of one of its lines) parsed as JSON, nested at most :data:`MAX_DEPTH`.

    Raises:
        DataFileError: for a syntax error (with its line and column) or too deep a nesting.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataFileError(str(path), f"not valid JSON: {exc.msg} (column {exc.colno})", where or f"line {exc.lineno}",
                            "fix the JSON syntax there") from exc
    except RecursionError as exc:
        raise DataFileError(str(path), "nested too deeply to read", where, "data files are flat records") from exc
    return _shallow(path, data, where)


def parse_yaml(path: Path, text: str) -> Any:
    """``text`` (the content of ``path``) parsed as YAML.

    Raises:
        DataFileError: for a syntax error, with its line.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        raise DataFileError(str(path), f"not valid YAML: {getattr(exc, 'problem', exc)}", where,
                            "fix the YAML syntax at that line") from exc
    except RecursionError as exc:
        raise DataFileError(str(path), "nested too deeply to read", hint="data files are flat records") from exc
    return _shallow(path, data)


def read_yaml(path: Path) -> Any:
    """The YAML file at ``path``, parsed.

    Raises:
        DataFileError: if it cannot be read or is not valid YAML.
    """
    return parse_yaml(path, read_text(path))


def validation_summary(exc: ValidationError) -> str:
    """A pydantic error as one short clause per problem: ``field.path: message; ...``."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or '(record)'}: {e['msg']}" for e in exc.errors())


def load_hashed(path: Path, model: type[M], fmt: str, hash_of: Callable[[dict[str, Any]], Any] = lambda d: d) -> M:
    """A YAML mapping as ``model``, its ``content_hash`` computed over ``hash_of(data)`` (a stored hash is ignored).

    Raises:
        DataFileError: if the file is unreadable, not a YAML mapping or invalid (``fmt`` names the file
            whose format to follow).
    """
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(str(path), "expected a mapping at the top level")
    data.pop("content_hash", None)
    try:
        return model.model_validate({**data, "content_hash": content_hash(hash_of(data))})
    except ValidationError as exc:
        raise DataFileError(str(path), validation_summary(exc), data.get("id"), f"see {fmt} for the format") from exc


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file in the same folder, then a rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
