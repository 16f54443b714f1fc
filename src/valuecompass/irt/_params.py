"""Item parameter records and item priors from author-assigned difficulty."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field

from valuecompass.errors import EstimationError
from valuecompass.items import DIFFICULTY_PRIOR_B, Item

#: Discrimination given to an item that has no responses yet.
DEFAULT_PRIOR_A = 1.0


class ItemParams(BaseModel):
    """2PL parameters of one item, as used by scoring and adaptive testing.

    Attributes:
        item_id: Id of the item in the bank.
        a: Discrimination (> 0).
        b: Difficulty on the logit scale (the ability at which ``P = 0.5``).
        n_responses: How many responses the estimate rests on (0 for a prior).
        source: ``prior`` (set from the author-assigned or requested difficulty)
            or ``calibrated`` (estimated from responses).
        se_a: Standard error of ``a``, if known.
        se_b: Standard error of ``b``, if known.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    item_id: str = Field(min_length=1)
    a: float = Field(gt=0.0, allow_inf_nan=False)
    b: float = Field(allow_inf_nan=False)
    n_responses: int = Field(default=0, ge=0)
    source: Literal["prior", "calibrated"] = "prior"
    se_a: float | None = Field(default=None, ge=0.0)
    se_b: float | None = Field(default=None, ge=0.0)


def prior_b(difficulty: str | float) -> float:
    """Prior mean of the difficulty ``b`` for a label or a numeric target.

    Args:
        difficulty: ``easy``, ``medium`` or ``hard`` (see ``DIFFICULTY_PRIOR_B``),
            or a numeric target difficulty on the logit scale (generated items).

    Returns:
        The prior mean of ``b``.

    Raises:
        EstimationError: If the label is unknown or the number is not finite.
    """
    if isinstance(difficulty, str):
        if difficulty not in DIFFICULTY_PRIOR_B:
            raise EstimationError(f"unknown difficulty label {difficulty!r}",
                                  hint=f"use one of {', '.join(DIFFICULTY_PRIOR_B)} or a number")
        return DIFFICULTY_PRIOR_B[difficulty]
    value = float(difficulty)
    if not np.isfinite(value):
        raise EstimationError(f"target difficulty {difficulty!r} is not a finite number",
                              hint="give a logit difficulty such as -1.0, 0.0 or 1.5")
    return value


def item_prior_b(item: Item) -> float:
    """Prior mean of ``b`` for an item: its requested target difficulty, else its label.

    Args:
        item: An item of the bank.

    Returns:
        ``item.provenance.target_difficulty`` if set, else the prior of ``item.difficulty``.
    """
    target = item.provenance.target_difficulty
    return prior_b(target if target is not None else item.difficulty)


def prior_params(item_id: str, difficulty: str | float, a: float = DEFAULT_PRIOR_A) -> ItemParams:
    """Parameters of an item that has no responses yet.

    Args:
        item_id: Id of the item.
        difficulty: A difficulty label or a numeric target difficulty.
        a: Discrimination to assume (default 1.0, the prior median).

    Returns:
        ``ItemParams`` with ``source="prior"`` and ``n_responses=0``.
    """
    return ItemParams(item_id=item_id, a=a, b=prior_b(difficulty), source="prior")


def bank_params(
    items: Sequence[Item],
    calibrated: Mapping[str, ItemParams] | None = None,
    min_responses: int = 1,
) -> tuple[ItemParams, ...]:
    """Parameters for every item of a bank: calibrated where possible, else the prior.

    Args:
        items: The items of one dimension's bank.
        calibrated: Calibrated parameters by item id (e.g. ``result.params_by_id()``).
        min_responses: An item needs at least this many responses for its
            calibrated parameters to replace the prior.

    Returns:
        One ``ItemParams`` per item, in the order of ``items``.
    """
    calibrated = calibrated or {}
    out = []
    for item in items:
        cal = calibrated.get(item.id)
        if cal is not None and cal.source == "calibrated" and cal.n_responses >= min_responses:
            out.append(cal)
        else:
            out.append(prior_params(item.id, item_prior_b(item)))
    return tuple(out)


class ParamArrays(NamedTuple):
    """Item parameters as arrays of shape ``(m,)``."""

    a: NDArray[np.float64]
    b: NDArray[np.float64]


def params_arrays(params: Sequence[ItemParams]) -> ParamArrays:
    """Split parameter records into arrays ``a`` and ``b`` of shape ``(m,)`` each.

    Args:
        params: Item parameter records.

    Returns:
        The discriminations and the difficulties, in the order given.
    """
    a = np.array([p.a for p in params], dtype=float)
    b = np.array([p.b for p in params], dtype=float)
    return ParamArrays(a, b)
