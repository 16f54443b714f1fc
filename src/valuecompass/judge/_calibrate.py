"""Calibrating a judge on labelled examples (the CLAVE idea without fine-tuning).

Given a small labelled set per value, the judge draws in-context exemplars
from it, judges the rest (the validation split), and tunes a per-value
decision threshold on the probability of each label so as to maximise F1 there.
The result is a :class:`JudgeCalibration`.
"""

from __future__ import annotations

import logging
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from valuecompass._datafiles import parse_json, read_text, validation_summary
from valuecompass.errors import DataFileError, JudgeError
from valuecompass.judge._agreement import roc_auc
from valuecompass.judge._judge import Judge, cache_order
from valuecompass.judge._profile import CalibrationFit, DimensionCalibration, JudgeCalibration
from valuecompass.judge._templates import Exemplar, Label
from valuecompass.judge._types import JudgeRequest, Judgment

log = logging.getLogger(__name__)


class LabelledExample(BaseModel):
    """A human-labelled example for calibration.

    Attributes:
        id: The example's id in its source.
        dimension: The dimension it is labelled for.
        text: The judged text.
        label: The human label.
        context: The item it answers, if any.
        weight: Weight in the tuning objective (e.g. to restore a base rate after stratified sampling).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = ""
    dimension: str
    text: str
    label: Label
    context: str = ""
    weight: float = Field(default=1.0, gt=0)


def load_labelled_examples(path: str | Path) -> list[LabelledExample]:
    """Read labelled examples from a JSONL file, one :class:`LabelledExample` object per line.

    Each line needs ``dimension``, ``text`` and ``label`` (``supports``,
    ``unrelated`` or ``opposes``); ``id``, ``context`` and ``weight`` are optional.

    Raises:
        DataFileError: naming the file and line of the first bad record.
    """
    path = Path(path)
    lines = read_text(path).splitlines()
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(LabelledExample.model_validate(parse_json(path, line, f"line {n}")))
        except ValidationError as exc:
            raise DataFileError(str(path), validation_summary(exc), record=str(n),
                                hint='each line: {"dimension": "...", "text": "...", "label": "supports"}') from exc
    return out


class ThresholdFit(NamedTuple):
    """A tuned threshold and the (weighted) F1 it reaches."""

    threshold: float
    f1: float


def weighted_f1(truth: np.ndarray, pred: np.ndarray, weights: np.ndarray | None = None) -> float:
    """F1 with each decision weighted (NaN when there is nothing to find and nothing found)."""
    w = np.ones(len(truth)) if weights is None else np.asarray(weights, dtype=float)
    t, p = np.asarray(truth, dtype=bool), np.asarray(pred, dtype=bool)
    tp, fp, fn = w[t & p].sum(), w[~t & p].sum(), w[t & ~p].sum()
    den = 2 * tp + fp + fn
    return float(2 * tp / den) if den > 0 else float("nan")


def tune_threshold(truth: Sequence[bool], scores: Sequence[float], weights: Sequence[float] | None = None
                   ) -> ThresholdFit:
    """The threshold on ``scores`` (predict positive when ``score >= threshold``) that maximises F1.

    Every cut between two distinct scores is tried; the threshold returned is
    the midpoint of the best cut (0 if predicting everything positive is best).
    Ties go to the higher threshold (fewer false positives).

    Raises:
        JudgeError: if ``truth`` has no positive.
    """
    t = np.asarray(truth, dtype=bool)
    s = np.asarray(scores, dtype=float)
    if not t.any():
        raise JudgeError("cannot tune a threshold without positive examples",
                         hint="give labelled examples of the label being tuned")
    uniq = np.unique(s)
    best = ThresholdFit(0.0, -1.0)
    for j, cut in enumerate(uniq):
        f = weighted_f1(t, s >= cut, None if weights is None else np.asarray(weights))
        if f >= best.f1:
            best = ThresholdFit(float((uniq[j - 1] + cut) / 2) if j > 0 else 0.0, f)
    return best


def choose_exemplars(examples: Sequence[LabelledExample], per_label: int, max_chars: int,
                     rng: random.Random) -> tuple[list[LabelledExample], list[LabelledExample]]:
    """Split one dimension's examples into exemplars (``per_label`` of each label, short ones first) and the rest.

    Returns:
        ``(exemplars, rest)``; exemplars in a shuffled order, rest in input order.
    """
    by_label: dict[str, list[LabelledExample]] = defaultdict(list)
    for ex in rng.sample(list(examples), len(examples)):
        by_label[ex.label].append(ex)
    chosen: list[LabelledExample] = []
    for label in sorted(by_label):
        pool = sorted(by_label[label], key=lambda e: len(e.text) > max_chars)  # stable: keeps the shuffle
        chosen.extend(pool[:per_label])
    rng.shuffle(chosen)
    ids = {id(e) for e in chosen}
    return chosen, [e for e in examples if id(e) not in ids]


def _fit(label: str, judgments: Sequence[Judgment], truth_labels: Sequence[str],
         weights: np.ndarray) -> tuple[float | None, CalibrationFit]:
    readable = [i for i, j in enumerate(judgments) if j.status == "ok" and j.probabilities is not None]
    t = np.array([truth_labels[i] == label for i in readable], dtype=bool)
    s = np.array([judgments[i].probability(label) or 0.0 for i in readable])
    w = weights[readable]
    default_pred = np.array([judgments[i].label == label for i in readable], dtype=bool)
    fit = CalibrationFit(n=len(readable), positives=float(w[t].sum()), label=label,
                         unparsable=len(judgments) - len(readable))
    if not t.any() or t.all():
        return None, fit
    tuned = tune_threshold(t, s, w)
    return tuned.threshold, fit.model_copy(update={
        "f1_default": weighted_f1(t, default_pred, w), "f1_tuned": tuned.f1, "auc": roc_auc(t, s)})


def _requests(rest: dict[str, list[LabelledExample]]) -> list[JudgeRequest]:
    return [JudgeRequest(dimension=d, text=e.text, context=e.context, key=f"{d}#{i}")
            for d, exs in rest.items() for i, e in enumerate(exs)]


def split_for_calibration(examples: Sequence[LabelledExample], exemplars_per_label: int, max_chars: int,
                          max_validation: int | None, seed: int
                          ) -> tuple[dict[str, tuple[Exemplar, ...]], dict[str, list[LabelledExample]]]:
    """Per dimension: in-context exemplars, and the validation examples (a seeded sample of the rest).

    Returns:
        ``(exemplars by dimension, validation examples by dimension)``.
    """
    rng = random.Random(seed)
    grouped: dict[str, list[LabelledExample]] = defaultdict(list)
    for ex in examples:
        grouped[ex.dimension].append(ex)
    exemplars, rest = {}, {}
    for dim in sorted(grouped):
        chosen, remaining = choose_exemplars(grouped[dim], exemplars_per_label, max_chars, rng)
        exemplars[dim] = tuple(Exemplar(text=e.text, label=e.label, context=e.context) for e in chosen)
        rest[dim] = rng.sample(remaining, min(len(remaining), max_validation or len(remaining)))
    return exemplars, rest


def fit_dimension(exemplars: tuple[Exemplar, ...], examples: Sequence[LabelledExample],
                  judgments: Sequence[Judgment], tune_labels: Sequence[str]) -> DimensionCalibration:
    """Tune one dimension's thresholds on its judged validation examples."""
    weights = np.array([e.weight for e in examples], dtype=float)
    thresholds, fits = {}, []
    for label in tune_labels:
        threshold, fit = _fit(label, judgments, [e.label for e in examples], weights)
        fits.append(fit)
        if threshold is not None:
            thresholds[label] = threshold
    return DimensionCalibration(exemplars=exemplars, thresholds=thresholds, fits=tuple(fits))


async def calibrate(judge: Judge, examples: Sequence[LabelledExample], *, exemplars_per_label: int = 1,
                    max_validation: int | None = None, tune_labels: Sequence[str] = ("supports", "opposes"),
                    seed: int = 0, source: dict[str, Any] | None = None,
                    on_judgment: Callable[[Judgment], None] | None = None) -> JudgeCalibration:
    """Calibrate ``judge`` on labelled examples and return a profile.

    Per dimension: ``exemplars_per_label`` examples of each label become
    in-context exemplars; the rest (at most ``max_validation``, seeded) are
    judged with those exemplars, and for each label in ``tune_labels`` with
    both positives and negatives there, a threshold on the label's probability
    is tuned to maximise (weighted) F1.

    Args:
        judge: The judge to calibrate (its model and templates; any profile it has is ignored).
        examples: Labelled examples (any dimensions).
        exemplars_per_label: Exemplars per label and dimension (0: thresholds only).
        max_validation: Most validation examples per dimension.
        tune_labels: Labels to tune thresholds for.
        seed: Seed of the exemplar choice and the validation sample.
        source: Description of where the examples came from (recorded).
        on_judgment: Called after each validation judgment (progress).

    Returns:
        The profile, with its id set.

    Raises:
        JudgeError: if there are no examples.
    """
    if not examples:
        raise JudgeError("no labelled examples to calibrate on", hint="give a labelled set with --data")
    exemplars, rest = split_for_calibration(examples, exemplars_per_label, judge.settings.exemplar_chars,
                                            max_validation, seed)
    draft = JudgeCalibration(judge_spec=judge.spec, template_version=judge.templates.version,
                         template_hash=judge.templates.content_hash, source=source or {}, seed=seed,
                         created=date.today().isoformat(),
                         dimensions={d: DimensionCalibration(exemplars=exemplars[d]) for d in exemplars})
    trial = Judge(judge.model, templates=judge.templates, profile=draft, settings=judge.settings)
    judged = {j.key: j for j in await trial.judge_many(cache_order(_requests(rest)), on_judgment=on_judgment)}
    dims = {d: fit_dimension(exemplars[d], exs, [judged[f"{d}#{i}"] for i in range(len(exs))], tune_labels)
            for d, exs in rest.items()}
    for d, cal in dims.items():
        log.info("calibrated %s: thresholds %s", d, cal.thresholds)
    return draft.model_copy(update={"dimensions": dims}).with_id()
