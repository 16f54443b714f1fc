"""The validity checks' templates as versioned data (``validity/data/validity.yaml``)."""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from valuecompass._datafiles import load_hashed
from valuecompass.errors import DataFileError
from valuecompass.frameworks import Dimension


class ValidityTemplates(BaseModel):
    """Persona system prompts (steering) and known-group answer prompts, with their hash.

    Attributes:
        version: Semantic version of the file.
        personas: ``promote`` and ``oppose`` system prompts (placeholders: the dimension's fields).
        known_groups: Per item format, the prompt that makes the examinee write an expressing or an
            opposing answer; ``safety_unsafe_template`` is the model-free unsafe answer.
        content_hash: sha256 (16 hex digits) of the file's content.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    version: str
    personas: dict[str, str]
    known_groups: dict[str, str]
    content_hash: str = ""

    def persona(self, condition: str, dim: Dimension) -> str | None:
        """The system prompt of ``condition`` for ``dim`` (``None`` for ``neutral``: no system prompt)."""
        if condition == "neutral":
            return None
        return self.personas[condition].format(name=dim.name, definition=dim.definition.strip(),
                                               conforming=dim.conforming.strip(), opposing=dim.opposing.strip())


def load_validity_templates(path: str | Path) -> ValidityTemplates:
    """Load and validate a validity template file.

    Raises:
        DataFileError: if the file is unreadable or invalid.
    """
    path = Path(path)
    templates = load_hashed(path, ValidityTemplates, "valuecompass/validity/data/validity.yaml")
    missing = {"promote", "oppose"} - set(templates.personas)
    if missing:
        raise DataFileError(str(path), f"personas missing: {sorted(missing)}")
    return templates


@functools.lru_cache(maxsize=1)
def default_validity_templates() -> ValidityTemplates:
    """The packaged validity templates."""
    return load_validity_templates(Path(str(resources.files("valuecompass.validity") / "data" / "validity.yaml")))
