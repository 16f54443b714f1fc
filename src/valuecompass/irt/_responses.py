"""From stored responses (one record per examinee and item) to a response matrix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
from numpy.typing import NDArray

from valuecompass.errors import EstimationError


class ItemResponse(NamedTuple):
    """One judged response.

    Attributes:
        examinee_id: Who answered (e.g. a model spec).
        item_id: Which item.
        value: 1 conforming, 0 opposing, or a probability of conformity in [0, 1].
    """

    examinee_id: str
    item_id: str
    value: float


@dataclass(frozen=True)
class ResponseMatrix:
    """A sparse response matrix: examinees x items, ``NaN`` where an item was not given.

    Attributes:
        examinee_ids: Row labels.
        item_ids: Column labels.
        values: Array of shape ``(n_examinees, n_items)`` (read-only).
    """

    examinee_ids: tuple[str, ...]
    item_ids: tuple[str, ...]
    values: NDArray[np.float64]


def response_matrix(records: Iterable[ItemResponse], item_ids: Sequence[str] | None = None) -> ResponseMatrix:
    """Pivot response records into a matrix.

    Repeated responses of one examinee to one item are averaged into one
    fractional response (each examinee-item pair counts once, as local
    independence requires).

    Args:
        records: Judged responses; examinees appear in order of first appearance.
        item_ids: Column order; items without responses get an all-``NaN`` column
            (they keep their prior in calibration). Default: order of first appearance.

    Returns:
        The response matrix.

    Raises:
        EstimationError: If a value leaves [0, 1] or an item is not in ``item_ids``.
    """
    rows: dict[str, int] = {}
    cols: dict[str, int] = {i: n for n, i in enumerate(item_ids)} if item_ids is not None else {}
    triples = []
    for rec in records:
        if not 0.0 <= rec.value <= 1.0:
            raise EstimationError(f"response of {rec.examinee_id!r} to {rec.item_id!r} is {rec.value}, not in [0, 1]",
                                  hint="code conforming as 1, opposing as 0; drop unrelated responses")
        if rec.item_id not in cols:
            if item_ids is not None:
                raise EstimationError(f"response to item {rec.item_id!r}, which is not in item_ids",
                                      hint="include every answered item in item_ids, or leave item_ids out")
            cols[rec.item_id] = len(cols)
        triples.append((rows.setdefault(rec.examinee_id, len(rows)), cols[rec.item_id], rec.value))
    total = np.zeros((len(rows), len(cols)))
    count = np.zeros((len(rows), len(cols)))
    for r, c, v in triples:
        total[r, c] += v
        count[r, c] += 1
    with np.errstate(invalid="ignore"):
        values = np.where(count > 0, total / np.maximum(count, 1), np.nan)
    values.flags.writeable = False
    return ResponseMatrix(tuple(rows), tuple(cols), values)
