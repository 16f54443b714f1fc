"""A model card: who made a model, and what it is, for people reading its results.

Nothing on a card changes a result, so a card is stored with a run (``provenance.model_card``), not in
its id: correcting a card never starts a new run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from valuecompass.errors import DataFileError


class ModelCard(BaseModel):
    """What a leaderboard shows about a model.

    Attributes:
        name: Display name (e.g. ``Qwen2.5 1.5B Instruct``).
        developer: Who made it.
        weights: ``open`` or ``closed``.
        release_date: When it was released.
        website: Its home page (http or https).
        report: Its technical report or paper (http or https).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=120)
    developer: str | None = Field(default=None, min_length=1, max_length=120)
    weights: Literal["open", "closed"] | None = None
    release_date: dt.date | None = None
    website: str | None = Field(default=None, max_length=500)
    report: str | None = Field(default=None, max_length=500)

    @field_validator("website", "report")
    @classmethod
    def _http_only(cls, url: str | None) -> str | None:
        if url is None:
            return None
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in url):
            raise ValueError(f"{url!r} is not an http(s) link")
        return url


def load_model_card(path: str | Path, name: str | None = None) -> ModelCard:
    """Read a model card file (YAML with the fields of :class:`ModelCard`), optionally renaming it.

    Args:
        path: The card file.
        name: A display name that replaces the file's ``name``.

    Raises:
        DataFileError: if the file cannot be read, is not YAML, or is not a model card.
    """
    from valuecompass._datafiles import read_yaml, validation_summary

    path = Path(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise DataFileError(str(path), "a model card is a mapping, e.g. `name: My model` and `developer: Me`",
                            hint=f"keys: {', '.join(ModelCard.model_fields)}")
    if name is not None:
        data = {**data, "name": name}
    try:
        return ModelCard.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(str(path), validation_summary(exc),
                            hint=f"keys: {', '.join(ModelCard.model_fields)}; links are http(s) only") from exc
