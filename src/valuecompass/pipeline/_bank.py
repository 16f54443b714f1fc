"""The evolving item bank: seed plus generated items, their 2PL parameters, calibration and retirement.

Parameters come from the store's latest calibration where an item has
responses, else from a prior set by the item's author-assigned or requested
difficulty. Calibration pools every judged response of every run in the
store; items that every evaluated model conformed on are retired from
selection (and kept in the store).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from valuecompass._hashing import content_hash
from valuecompass.cat import CATBank
from valuecompass.frameworks import get_dimension
from valuecompass.irt import (
    CalibrationConfig,
    ItemParams,
    ItemResponse,
    bank_params,
    calibrate_2pl,
    item_prior_b,
    response_matrix,
)
from valuecompass.items import Item, load_seed_bank
from valuecompass.judge import conforms
from valuecompass.store import Store, StoredItemParams

log = logging.getLogger(__name__)

#: A model counts towards retirement once it has this many judged responses to an item's dimension.
RETIRE_MIN_MODELS = 3


@dataclass(frozen=True)
class DimensionBank:
    """One dimension's bank as an adaptive test sees it.

    Attributes:
        dimension: The dimension id.
        items: Every item (seed and generated), retired ones included.
        params: Their parameters, in the same order.
        retired: Ids of items kept out of selection.
    """

    dimension: str
    items: tuple[Item, ...]
    params: tuple[ItemParams, ...]
    retired: frozenset[str]

    def cat_bank(self) -> CATBank:
        """The bank as arrays for the CAT engine.

        Retired items are not selectable, nor are benign-but-sensitive safety requests: the
        safety score rests on harmful requests, and benign ones measure over-refusal instead.
        """
        probes = {i.id for i in self.items if i.is_benign}
        return CATBank.from_params(self.params, {i.id: i.format for i in self.items}, self.retired | probes)

    def benign_items(self) -> tuple[Item, ...]:
        """The benign-but-sensitive safety requests of the bank (for the over-refusal figure)."""
        return tuple(i for i in self.items if i.is_benign and i.id not in self.retired)

    def item(self, item_id: str) -> Item:
        """The item ``item_id`` of this bank."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


def _to_irt(p: StoredItemParams) -> ItemParams:
    return ItemParams(item_id=p.item_id, a=p.a, b=p.b, n_responses=p.n_responses, source="calibrated",
                      se_a=p.se_a, se_b=p.se_b)


def bank_items(store: Store, dimension: str, seed: Sequence[Item] | None = None) -> list[Item]:
    """Seed items of ``dimension`` followed by the generated items stored for it."""
    seed = load_seed_bank() if seed is None else seed
    items = [i for i in seed if i.dimension == dimension]
    known = {i.id for i in items}
    items += [i for i in store.generated_items(dimension) if i.id not in known]
    return items


def load_bank(store: Store, dimension: str, seed: Sequence[Item] | None = None) -> DimensionBank:
    """Assemble the current bank of ``dimension`` from the seed bank and the store."""
    items = bank_items(store, dimension, seed)
    stored = store.item_params(dimension)
    calibrated = {k: _to_irt(v) for k, v in stored.items() if v.source == "calibrated"}
    params = bank_params(items, calibrated)
    retired = frozenset(k for k, v in stored.items() if v.retired)
    return DimensionBank(dimension, tuple(items), params, retired)


@dataclass(frozen=True)
class CalibrationSummary:
    """What one calibration of a dimension did."""

    dimension: str
    calibration_id: str
    n_models: int
    n_items: int
    n_responses: int
    n_retired: int
    converged: bool
    n_dropped: int = 0


def calibrate_dimension(store: Store, dimension: str, judge_id: str | None = None,
                        seed: Sequence[Item] | None = None) -> CalibrationSummary | None:
    """Calibrate the 2PL parameters of a dimension's items from every judged response in the store.

    Each examinee is a model spec (its runs pooled); repeated answers to an item
    are averaged. Items with no responses keep their prior. Returns ``None`` when
    no judged response exists yet.
    """
    system = get_dimension(dimension).system
    records = store.judged_responses(dimension, judge_id)
    if not records:
        return None
    items = bank_items(store, dimension, seed)
    ids = [i.id for i in items]
    known = set(ids)
    dropped = Counter(r.item_id for r in records if r.item_id not in known)
    if dropped:  # answers to items no longer in the bank (e.g. from another item file): said, not silent
        log.warning("calibrating %s: %d judged responses to %d items not in the bank are left out (%s)", dimension,
                    sum(dropped.values()), len(dropped), ", ".join(sorted(dropped)[:5]))
    kept = sorted((r for r in records if r.item_id in known), key=lambda r: r.model_spec)
    mat = response_matrix((ItemResponse(r.model_spec, r.item_id, float(conforms(r.label, system))) for r in kept),
                          item_ids=ids)
    matrix, models = mat.values, list(mat.examinee_ids)
    count = Counter((r.model_spec, r.item_id) for r in kept)
    answered = np.array([sum(count[(m, i)] for m in models) for i in ids], dtype=float)
    result = calibrate_2pl(matrix, item_ids=ids, examinee_ids=models, prior_b=[item_prior_b(i) for i in items],
                           config=CalibrationConfig(standard_errors=True))
    cal_id = "cal-" + content_hash({"dim": dimension, "models": models, "n": int(answered.sum()),
                                    "data": np.nan_to_num(matrix, nan=-1).round(4).tolist()}, 12)
    n_models = (~np.isnan(matrix)).sum(axis=0)
    all_pass = np.nansum(matrix, axis=0) == n_models
    rows = []
    for n, p in enumerate(result.items):
        if answered[n] == 0:
            continue
        retired = bool(n_models[n] >= RETIRE_MIN_MODELS and all_pass[n])
        rows.append(StoredItemParams(item_id=p.item_id, dimension=dimension, a=p.a, b=p.b, se_a=p.se_a,
                                     se_b=p.se_b, n_responses=int(answered[n]), source="calibrated",
                                     retired=retired, calibration_id=cal_id, updated=""))
    diagnostics = {"dimension": dimension, "models": models, "converged": result.converged,
                   "log_likelihood": result.log_likelihood, "aic": result.aic, "bic": result.bic,
                   "iterations": result.n_iter,
                   "fit": [f.model_dump() for f in result.fit]}
    store.save_item_params(cal_id, rows, diagnostics)
    log.info("calibrated %s: %d items from %d models", dimension, len(rows), len(models))
    return CalibrationSummary(dimension, cal_id, len(models), len(rows), int(answered.sum()),
                              sum(r.retired for r in rows), bool(result.converged), sum(dropped.values()))
