"""Judge profiles: the result of calibrating a judge on labelled examples, saved as versioned JSON.

A profile holds, per dimension, the in-context exemplars the judge is shown and
the per-label decision thresholds tuned on a validation split, together with
how well the judge did on that split before and after tuning. It is tied to one
judge model and one template hash: thresholds tuned for one are meaningless for
another, so a judge refuses a profile made for a different model or template.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from valuecompass._datafiles import parse_json, read_text, validation_summary
from valuecompass._hashing import content_hash
from valuecompass.errors import DataFileError
from valuecompass.judge._templates import Exemplar

#: Schema id written into every profile file; bump when the format changes.
PROFILE_SCHEMA = "valuecompass.judge-profile/1"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CalibrationFit(_Frozen):
    """How the judge did on one dimension's validation split.

    Attributes:
        n: Validation examples judged.
        positives: Examples whose label is the tuned one (``supports`` unless noted in ``label``).
        label: The label the figures are for.
        f1_default: F1 of the uncalibrated decision (the most probable label).
        f1_tuned: F1 with the tuned threshold (in-sample: optimistic).
        auc: ROC AUC of the label's probability.
        unparsable: Validation judgments that could not be read.
    """

    n: int
    positives: float
    label: str = "supports"
    f1_default: float | None = None
    f1_tuned: float | None = None
    auc: float | None = None
    unparsable: int = 0


class DimensionCalibration(_Frozen):
    """Calibration of one dimension.

    Attributes:
        exemplars: Labelled examples shown in the judge's prompt.
        thresholds: ``{label: threshold}`` on that label's probability (see :func:`decide`).
        fits: Validation figures, one per tuned label.
    """

    exemplars: tuple[Exemplar, ...] = ()
    thresholds: dict[str, float] = Field(default_factory=dict)
    fits: tuple[CalibrationFit, ...] = ()


class JudgeCalibration(_Frozen):
    """A versioned judge calibration.

    Attributes:
        schema_id: :data:`PROFILE_SCHEMA`.
        profile_id: Content hash of everything else (16 hex digits).
        judge_spec: The judge model the profile was tuned for.
        template_version: Version of the templates it was tuned with.
        template_hash: Hash of those templates.
        source: Where the labelled examples came from (dataset, split, counts, file hashes).
        seed: Seed of the exemplar choice and the splits.
        created: Date of creation (ISO).
        dimensions: Per-dimension calibration.
    """

    schema_id: str = Field(default=PROFILE_SCHEMA, alias="schema")
    profile_id: str = ""
    judge_spec: str
    template_version: str
    template_hash: str
    source: dict[str, Any] = Field(default_factory=dict)
    seed: int = 0
    created: str = ""
    dimensions: dict[str, DimensionCalibration] = Field(default_factory=dict)

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)

    def for_dimension(self, dimension: str) -> DimensionCalibration | None:
        """The calibration of ``dimension``, or ``None`` if the profile has none."""
        return self.dimensions.get(dimension)

    def with_id(self) -> JudgeCalibration:
        """This profile with ``profile_id`` set to the hash of its content."""
        body = self.model_dump(mode="json", by_alias=True, exclude={"profile_id"})
        return self.model_copy(update={"profile_id": content_hash(body)})


def save_profile(profile: JudgeCalibration, path: str | Path) -> Path:
    """Write ``profile`` (with its id set) as indented JSON; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = profile.with_id().model_dump(mode="json", by_alias=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def load_profile(path: str | Path) -> JudgeCalibration:
    """Read and check a judge profile.

    Raises:
        DataFileError: if the file is unreadable, of another schema, invalid,
            or edited since it was saved (its id no longer matches its content).
    """
    path = Path(path)
    data = parse_json(path, read_text(path, hint="create one with `valuecompass judge calibrate`"))
    if not isinstance(data, dict) or data.get("schema") != PROFILE_SCHEMA:
        found = data.get("schema") if isinstance(data, dict) else None
        raise DataFileError(str(path), f"not a judge profile of schema {PROFILE_SCHEMA!r} (found {found!r})",
                            hint="create one with `valuecompass judge calibrate`")
    try:
        profile = JudgeCalibration.model_validate(data)
    except ValidationError as exc:
        raise DataFileError(str(path), validation_summary(exc),
                            hint="recreate it with `valuecompass judge calibrate`") from exc
    if profile.with_id().profile_id != profile.profile_id:
        raise DataFileError(str(path), f"profile id {profile.profile_id!r} does not match its content",
                            hint="the file was edited by hand; recreate it with `valuecompass judge calibrate`")
    return profile
