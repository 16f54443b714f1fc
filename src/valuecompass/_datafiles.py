"""Reading the project's data files: one place for the file, YAML and validation errors.

Every loader of value systems, items, judge templates, profiles, questionnaires
and country tables reports a bad file the same way: a :class:`DataFileError`
naming the file (and the line, for YAML syntax) and how to fix it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from valuecompass.errors import DataFileError


def read_text(path: Path, hint: str | None = None) -> str:
    """The file's text.

    Raises:
        DataFileError: if it cannot be read.
    """
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(path), f"cannot read file ({exc.strerror})", hint=hint) from exc


def parse_yaml(path: Path, text: str) -> Any:
    """``text`` (the content of ``path``) parsed as YAML.

    Raises:
        DataFileError: for a syntax error, with its line.
    """
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else None
        raise DataFileError(str(path), f"not valid YAML: {getattr(exc, 'problem', exc)}", where,
                            "fix the YAML syntax at that line") from exc


def read_yaml(path: Path) -> Any:
    """The YAML file at ``path``, parsed.

    Raises:
        DataFileError: if it cannot be read or is not valid YAML.
    """
    return parse_yaml(path, read_text(path))


def validation_summary(exc: ValidationError) -> str:
    """A pydantic error as one short clause per problem: ``field.path: message; ...``."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or '(record)'}: {e['msg']}" for e in exc.errors())
