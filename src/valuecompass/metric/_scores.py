"""Per-dimension scores of models as plain inputs, and their validation."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import NamedTuple

from valuecompass._datafiles import parse_json, read_text
from valuecompass.errors import DataFileError, ValueCompassError


#: Largest standard error accepted: a score on a 0-100 scale cannot be less certain than that.
MAX_SE = 100.0


class DimScore(NamedTuple):
    """A model's score on one dimension and its standard error.

    Attributes:
        score: 0-100.
        se: Standard error of ``score`` (>= 0, same units).
    """

    score: float
    se: float


#: Scores of one model: dimension id -> score.
ModelScores = Mapping[str, DimScore]
#: Scores of several models: model label -> dimension id -> score.
ScoreTable = Mapping[str, ModelScores]


def check_dim_score(model: str, dim: str, value: object) -> DimScore:
    """Turn ``value`` into a :class:`DimScore` and check its range.

    Args:
        model: Model label (for the message).
        dim: Dimension id (for the message).
        value: A :class:`DimScore`, a ``(score, se)`` pair, a ``{"score", "se"}`` mapping,
            or a bare number (se 0).

    Raises:
        ValueCompassError: naming the model and dimension whose score or se is bad.
    """
    if isinstance(value, Mapping):
        pair: object = (value.get("score"), value.get("se", 0.0))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        pair = (value, 0.0)
    else:
        pair = value
    try:
        score, se = (float(x) for x in pair)  # type: ignore[union-attr]
    except (TypeError, ValueError, OverflowError):
        raise ValueCompassError(f"score of model {model!r} on {dim!r} is not a (score, se) pair: {value!r}",
                                'give {"score": 0-100, "se": >= 0}') from None
    if not (math.isfinite(score) and 0.0 <= score <= 100.0):
        raise ValueCompassError(f"score of model {model!r} on {dim!r} is {score}, outside 0-100",
                                "scores are on the 0-100 scale")
    if not (math.isfinite(se) and 0.0 <= se <= MAX_SE):
        raise ValueCompassError(f"standard error of model {model!r} on {dim!r} is {se}, not a number from 0 to "
                                f"{MAX_SE:g}", f"give 0 <= se <= {MAX_SE:g} on the 0-100 scale (0 if unknown)")
    return DimScore(score, se)


def check_score_table(table: Mapping[str, Mapping[str, object]]) -> dict[str, dict[str, DimScore]]:
    """Validate a whole score table (model -> dimension -> score).

    Raises:
        ValueCompassError: naming the first bad model/dimension.
    """
    if not isinstance(table, Mapping):
        raise ValueCompassError("scores must map model labels to {dimension: score}", None)
    out: dict[str, dict[str, DimScore]] = {}
    for model, dims in table.items():
        if not isinstance(dims, Mapping):
            raise ValueCompassError(f"scores of model {model!r} must map dimension ids to scores, got {dims!r}")
        out[str(model)] = {str(d): check_dim_score(str(model), str(d), v) for d, v in dims.items()}
    return out


def load_scores_file(path: str | Path) -> dict[str, dict[str, DimScore]]:
    """Read a JSON file ``{model: {dimension: {"score": s, "se": e}}}``.

    Args:
        path: The JSON file.

    Raises:
        DataFileError: if the file is unreadable, not JSON, or holds a bad score.
    """
    path = Path(path)
    data = parse_json(path, read_text(path))
    try:
        return check_score_table(data)
    except ValueCompassError as exc:
        raise DataFileError(str(path), exc.message, hint=exc.hint or
                            'write {"model": {"dimension": {"score": 0-100, "se": 1.5}}}') from exc
