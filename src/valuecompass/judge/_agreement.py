"""Agreement of binary judge decisions with human labels: pure NumPy, no I/O.

Per value: the confusion counts, precision, recall, F1 and (where the judge
gives probabilities) the area under the ROC curve; over values: macro-F1 (the
SemEval-2023 Task 4 measure) and micro-F1.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np
from pydantic import BaseModel, ConfigDict


class Confusion(BaseModel):
    """Counts of one binary decision against the truth.

    Attributes:
        tp: Judge yes, human yes.
        fp: Judge yes, human no.
        fn: Judge no, human yes.
        tn: Judge no, human no.
    """

    model_config = ConfigDict(frozen=True)

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def n(self) -> int:
        """All decisions."""
        return self.tp + self.fp + self.fn + self.tn


def confusion(truth: Sequence[bool] | np.ndarray, pred: Sequence[bool] | np.ndarray) -> Confusion:
    """Count agreement of ``pred`` with ``truth`` (both boolean, same length)."""
    t = np.asarray(truth, dtype=bool)
    p = np.asarray(pred, dtype=bool)
    if t.shape != p.shape:
        raise ValueError(f"truth has {t.size} entries, predictions {p.size}")
    return Confusion(tp=int(np.sum(t & p)), fp=int(np.sum(~t & p)), fn=int(np.sum(t & ~p)), tn=int(np.sum(~t & ~p)))


def _ratio(num: int, den: int) -> float:
    return num / den if den else math.nan


def precision(c: Confusion) -> float:
    """tp / (tp + fp); NaN when the judge never said yes."""
    return _ratio(c.tp, c.tp + c.fp)


def recall(c: Confusion) -> float:
    """tp / (tp + fn); NaN when the truth has no positives."""
    return _ratio(c.tp, c.tp + c.fn)


def f1(c: Confusion) -> float:
    """2 tp / (2 tp + fp + fn); 0 when there were positives but none found, NaN when there is nothing to find."""
    return _ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn)


def roc_auc(truth: Sequence[bool] | np.ndarray, scores: Sequence[float] | np.ndarray) -> float:
    """Area under the ROC curve (the Mann-Whitney U statistic, ties counted half).

    Args:
        truth: Boolean labels.
        scores: Higher means more likely positive.

    Returns:
        The AUC, or NaN when either class is absent.
    """
    from scipy.stats import rankdata  # here, not up front: scipy takes most of a second to import

    t = np.asarray(truth, dtype=bool)
    s = np.asarray(scores, dtype=float)
    n_pos, n_neg = int(t.sum()), int((~t).sum())
    if n_pos == 0 or n_neg == 0:
        return math.nan
    ranks = rankdata(s)  # ties get their average rank
    u = ranks[t].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


class ValueAgreement(BaseModel):
    """Agreement on one value.

    Attributes:
        value: The value (dimension id).
        n: Decisions compared.
        positives: Human positives among them.
        predicted: Judge positives.
        confusion: The counts.
        precision: Precision (NaN if the judge never said yes).
        recall: Recall (NaN if no human positives).
        f1: F1.
        auc: ROC AUC of the judge's probability, if it gave probabilities.
        unparsable: Judgments that could not be read (counted as "no").
    """

    model_config = ConfigDict(frozen=True)

    value: str
    n: int
    positives: int
    predicted: int
    confusion: Confusion
    precision: float
    recall: float
    f1: float
    auc: float | None = None
    unparsable: int = 0


def value_agreement(value: str, truth: Sequence[bool], pred: Sequence[bool],
                    scores: Sequence[float] | None = None, unparsable: int = 0) -> ValueAgreement:
    """Compute :class:`ValueAgreement` for one value.

    Args:
        value: The value's id.
        truth: Human labels.
        pred: Judge decisions.
        scores: Judge probabilities of "yes" (``None`` if it gave none).
        unparsable: How many of the judge's answers could not be read.
    """
    c = confusion(truth, pred)
    auc = roc_auc(truth, scores) if scores is not None else None
    return ValueAgreement(value=value, n=c.n, positives=c.tp + c.fn, predicted=c.tp + c.fp, confusion=c,
                          precision=precision(c), recall=recall(c), f1=f1(c), auc=auc, unparsable=unparsable)


def macro_f1(per_value: Sequence[ValueAgreement]) -> float:
    """Mean F1 over values, the SemEval-2023 Task 4 measure.

    Values with nothing to find and nothing found (F1 undefined) are left out.
    """
    scores = [v.f1 for v in per_value if not math.isnan(v.f1)]
    return float(np.mean(scores)) if scores else math.nan


def micro_f1(per_value: Sequence[ValueAgreement]) -> float:
    """F1 of all decisions pooled over values."""
    return f1(pooled_confusion(per_value))


def mean_auc(per_value: Sequence[ValueAgreement]) -> float | None:
    """Mean AUC over values where it is defined; ``None`` without probabilities."""
    aucs = [v.auc for v in per_value if v.auc is not None and not math.isnan(v.auc)]
    return float(np.mean(aucs)) if aucs else None


def pooled_confusion(per_value: Mapping[str, Confusion] | Sequence[ValueAgreement]) -> Confusion:
    """All confusion counts added up."""
    items = list(per_value.values()) if isinstance(per_value, Mapping) else [v.confusion for v in per_value]
    return Confusion(tp=sum(c.tp for c in items), fp=sum(c.fp for c in items),
                     fn=sum(c.fn for c in items), tn=sum(c.tn for c in items))
