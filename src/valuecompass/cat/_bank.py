"""The item bank an adaptive test draws from: 2PL parameters plus a format label per item."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from valuecompass.errors import EstimationError
from valuecompass.irt import ItemParams


@dataclass(frozen=True)
class CATBank:
    """Item parameters of one dimension's bank, as arrays for fast selection.

    Build it with :meth:`from_params`. Arrays are read-only.

    Attributes:
        item_ids: Item ids, in bank order.
        a: Discriminations, shape ``(m,)``.
        b: Difficulties, shape ``(m,)``.
        formats: A category label per item (item format, or any content label
            to balance); ``""`` when unused.
        selectable: ``False`` for retired items: never selected, but still used to
            estimate ability from earlier responses to them.
    """

    item_ids: tuple[str, ...]
    a: NDArray[np.float64]
    b: NDArray[np.float64]
    formats: tuple[str, ...]
    selectable: NDArray[np.bool_]
    _index: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {item_id: n for n, item_id in enumerate(self.item_ids)}
        if len(index) != len(self.item_ids):
            raise EstimationError("the item bank holds duplicate item ids", hint="give each item once")
        m = len(self.item_ids)
        if not (self.a.shape == self.b.shape == self.selectable.shape == (m,) and len(self.formats) == m):
            raise EstimationError(f"bank arrays do not all have {m} entries", hint="use CATBank.from_params")
        for arr in (self.a, self.b, self.selectable):
            arr.flags.writeable = False
        object.__setattr__(self, "_index", index)

    @classmethod
    def from_params(
        cls,
        params: Sequence[ItemParams],
        formats: Mapping[str, str] | None = None,
        retired: Collection[str] = (),
    ) -> CATBank:
        """Build a bank from item parameter records.

        Args:
            params: One record per item (calibrated or prior).
            formats: Format (or other category) of each item id; missing ids get ``""``.
            retired: Ids of items that may no longer be selected.

        Returns:
            The bank.
        """
        ids = tuple(p.item_id for p in params)
        formats = formats or {}
        return cls(
            item_ids=ids,
            a=np.array([p.a for p in params], dtype=float),
            b=np.array([p.b for p in params], dtype=float),
            formats=tuple(formats.get(i, "") for i in ids),
            selectable=np.array([i not in retired for i in ids], dtype=bool),
        )

    def __len__(self) -> int:
        return len(self.item_ids)

    def index(self, item_ids: Iterable[str]) -> NDArray[np.intp]:
        """Positions of ``item_ids`` in the bank.

        Raises:
            EstimationError: If an id is not in the bank.
        """
        ids = list(item_ids)
        missing = [i for i in ids if i not in self._index]
        if missing:
            raise EstimationError(f"items not in the bank: {', '.join(missing[:5])}",
                                  hint="keep answered items in the bank (mark them retired instead of removing)")
        return np.array([self._index[i] for i in ids], dtype=np.intp)

    def available(self, administered: Iterable[str]) -> NDArray[np.bool_]:
        """Mask of items that may still be selected: selectable and not yet administered."""
        mask = self.selectable.copy()
        mask[[self._index[i] for i in administered if i in self._index]] = False
        return mask
