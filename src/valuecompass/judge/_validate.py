"""Agreement of a judge with human labels on Touché23-ValueEval, and Touché examples for calibration."""

from __future__ import annotations

import math
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from valuecompass.judge._agreement import (
    Confusion,
    ValueAgreement,
    macro_f1,
    mean_auc,
    micro_f1,
    pooled_confusion,
    value_agreement,
)
from valuecompass.judge._calibrate import LabelledExample
from valuecompass.judge._judge import Judge, cache_order
from valuecompass.judge._recognition import RecogniserJudge
from valuecompass.judge._touche import SCHWARTZ_VALUES, ToucheArgument
from valuecompass.judge._types import JudgeIdentity, JudgeRequest, Judgment

#: Either kind of judge: an LLM judge or the recogniser.
AnyJudge = Judge | RecogniserJudge

#: SemEval-2023 Task 4 figures on the 20 level-2 categories (test set), for orientation only:
#: they are not directly comparable with macro-F1 over the 10 basic values.
SEMEVAL_REFERENCE: dict[str, float] = {"best team macro-F1 (20 categories)": 0.56,
                                       "BERT baseline macro-F1 (20 categories)": 0.42}


class AgreementReport(BaseModel):
    """How well a judge agrees with Touché23 human labels.

    Attributes:
        judge: The judge's identity.
        data: Dataset, split, sample size and seed.
        values: Per-value agreement (judge says ``supports`` = the argument resorts to the value).
        macro_f1: Mean F1 over the values.
        micro_f1: F1 over all decisions pooled.
        mean_auc: Mean AUC of P(supports), where the judge gave probabilities (log-probabilities
            of an LLM judge, or the recogniser's).
        all_yes_macro_f1: Macro-F1 of a judge that always says yes (a floor to beat,
            high here because most arguments resort to several values).
        categories: Per-category agreement on the 20 Touché23 level-2 categories, for a judge that
            gives them (the recogniser); empty otherwise.
        categories_macro_f1: Mean F1 over the categories (``None`` without them).
        categories_all_yes_macro_f1: The always-yes floor over the categories.
        confusion: Pooled confusion counts.
        label_counts: How often the judge gave each label (``unparsed`` included), per value.
        n_judgments: Judgments made.
        n_unparsable: Judgments that could not be read (counted as "no").
        seconds_per_judgment: Mean wall time per judgment.
        reference: SemEval-2023 leaderboard figures, for orientation.
    """

    model_config = ConfigDict(frozen=True)

    judge: JudgeIdentity
    data: dict[str, Any]
    values: tuple[ValueAgreement, ...]
    macro_f1: float
    micro_f1: float
    mean_auc: float | None
    all_yes_macro_f1: float
    categories: tuple[ValueAgreement, ...] = ()
    categories_macro_f1: float | None = None
    categories_all_yes_macro_f1: float | None = None
    confusion: Confusion
    label_counts: dict[str, dict[str, int]] = Field(default_factory=dict)
    n_judgments: int
    n_unparsable: int
    seconds_per_judgment: float
    reference: dict[str, float] = Field(default_factory=lambda: dict(SEMEVAL_REFERENCE))


def touche_requests(arguments: Sequence[ToucheArgument], values: Sequence[str] = SCHWARTZ_VALUES
                    ) -> list[JudgeRequest]:
    """One request per (value, argument), grouped by value (cache-friendly)."""
    return [JudgeRequest(dimension=v, text=a.text, key=f"{v}#{a.id}") for v in values for a in arguments]


def _all_yes_f1(positives: int, n: int) -> float:
    return 2 * positives / (positives + n) if positives else math.nan


def _floor(agreements: Sequence[ValueAgreement]) -> float:
    floor = [f for f in (_all_yes_f1(x.positives, x.n) for x in agreements) if not math.isnan(f)]
    return sum(floor) / len(floor) if floor else math.nan


def _category_agreement(judge: AnyJudge, arguments: Sequence[ToucheArgument]) -> tuple[ValueAgreement, ...]:
    """Agreement on the 20 categories, for a judge that gives them (the recogniser), at its thresholds."""
    if not isinstance(judge, RecogniserJudge):
        return ()
    card = judge.recogniser.card
    probs = [judge.category_probabilities(a.text) for a in arguments]
    if not all(probs):
        return ()
    out = []
    for category, threshold in zip(card.categories, card.thresholds["categories"]):
        scores = [p[category] for p in probs]
        out.append(value_agreement(category, [category in a.categories for a in arguments],
                                   [s >= threshold for s in scores], scores, 0))
    return tuple(out)


def agreement_report(judge: AnyJudge, arguments: Sequence[ToucheArgument], judgments: Sequence[Judgment],
                     values: Sequence[str], data: dict[str, Any], elapsed_s: float) -> AgreementReport:
    """Compare judgments (keys ``VALUE#ARGUMENT_ID``) with the arguments' labels."""
    by_key = {j.key: j for j in judgments}
    per_value, counts = [], {}
    for v in values:
        js = [by_key[f"{v}#{a.id}"] for a in arguments]
        truth = [v in a.values for a in arguments]
        pred = [j.label == "supports" for j in js]
        has_probs = any(j.probability_source in ("logprobs", "classifier") for j in js)
        scores = [j.probability("supports") or 0.0 for j in js] if has_probs else None
        unparsable = sum(j.status != "ok" for j in js)
        per_value.append(value_agreement(v, truth, pred, scores, unparsable))
        counts[v] = dict(Counter(j.label or "unparsed" for j in js))
    n = len(judgments)
    cats = _category_agreement(judge, arguments)
    return AgreementReport(
        judge=judge.identity(), data=data, values=tuple(per_value), macro_f1=macro_f1(per_value),
        micro_f1=micro_f1(per_value), mean_auc=mean_auc(per_value),
        all_yes_macro_f1=_floor(per_value), categories=cats,
        categories_macro_f1=macro_f1(cats) if cats else None, categories_all_yes_macro_f1=_floor(cats) if cats else None,
        confusion=pooled_confusion(per_value),
        label_counts=counts, n_judgments=n, n_unparsable=sum(x.unparsable for x in per_value),
        seconds_per_judgment=elapsed_s / n if n else 0.0)


async def validate_touche(judge: AnyJudge, arguments: Sequence[ToucheArgument], *,
                          values: Sequence[str] = SCHWARTZ_VALUES, data: dict[str, Any] | None = None,
                          on_judgment: Callable[[Judgment], None] | None = None) -> AgreementReport:
    """Ask ``judge`` whether each argument resorts to each value and compare with the human labels.

    Args:
        judge: The judge (an LLM judge, uncalibrated or with a profile, or the recogniser).
        arguments: Touché arguments (e.g. a seeded sample of the validation split).
        values: The Schwartz values to ask about.
        data: Description of the data (recorded in the report).
        on_judgment: Called after each judgment (progress).

    Returns:
        The agreement report.
    """
    start = time.perf_counter()
    judgments = await judge.judge_many(cache_order(touche_requests(arguments, values)), on_judgment=on_judgment)
    return agreement_report(judge, arguments, judgments, values, data or {}, time.perf_counter() - start)


def touche_examples(arguments: Sequence[ToucheArgument], per_value: int, *, values: Sequence[str] = SCHWARTZ_VALUES,
                    positive_share: float = 0.5, seed: int = 0) -> list[LabelledExample]:
    """Labelled calibration examples from Touché arguments, stratified per value.

    Each value gets ``per_value`` examples, ``positive_share`` of them arguments
    that resort to it (label ``supports``) and the rest arguments that do not
    (label ``unrelated``). Weights restore the split's base rate, so that a
    threshold tuned on the weighted sample suits data with the natural rate.

    Args:
        arguments: Arguments of one split (use the training split; validate on another).
        per_value: Examples per value.
        values: The values.
        positive_share: Share of positives drawn.
        seed: Seed of the draw.
    """
    rng = random.Random(seed)
    out: list[LabelledExample] = []
    for v in values:
        pos = [a for a in arguments if v in a.values]
        neg = [a for a in arguments if v not in a.values]
        n_pos = min(len(pos), max(1, round(per_value * positive_share)))
        n_neg = min(len(neg), per_value - n_pos)
        rate = len(pos) / len(arguments)
        w_pos = rate / (n_pos / (n_pos + n_neg)) if n_pos else 1.0
        w_neg = (1 - rate) / (n_neg / (n_pos + n_neg)) if n_neg else 1.0
        for a in rng.sample(pos, n_pos):
            out.append(LabelledExample(id=a.id, dimension=v, text=a.text, label="supports", weight=w_pos))
        for a in rng.sample(neg, n_neg):
            out.append(LabelledExample(id=a.id, dimension=v, text=a.text, label="unrelated", weight=w_neg))
    return out
