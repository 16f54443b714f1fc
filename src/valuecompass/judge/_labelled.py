"""Labelled (item, response) pairs scored through the run's own verdict path, and agreement figures.

The labelled format, one JSON object per line::

    {"item_id": "sch-sd-002", "response": "Stance: No ...", "label": "supports"}
    {"dimension": "care", "context": "Story opening ...", "response": "...", "label": "opposes"}

``item_id`` names an item of the bank (its key, refusal rule and judge question decide,
exactly as in a run); ``dimension`` + ``context`` make a free-text record (the judge's
recognition question decides). Optional fields: ``over_refusal`` (for a benign safety
request: whether the response refuses it), ``case`` (a tag of the hard case it
represents), ``source``, ``note``, ``id``.

Agreement is reported per value system and per dimension: accuracy, macro-F1 over the
labels, the confusion matrix, and the same figures for the majority-label baseline
(always answering the most common human label of that group).
"""

from __future__ import annotations

import time
from importlib import resources
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from valuecompass._datafiles import parse_json, read_text, validation_summary
from valuecompass.errors import DataFileError, UnknownFrameworkError
from valuecompass.frameworks import get_dimension
from valuecompass.items import Item
from valuecompass.judge._judge import Judge
from valuecompass.judge._types import JudgeIdentity, JudgeRequest, Judgment

LABELS = ("supports", "unrelated", "opposes")


def default_labelled_path() -> Path:
    """The packaged development set: labelled responses to seed items (see its README)."""
    return Path(str(resources.files("valuecompass.judge") / "data" / "labelled" / "dev.jsonl"))


class LabelledRecord(BaseModel):
    """One human-labelled response.

    Attributes:
        id: The record's id (default: its line number).
        item_id: An item of the bank (keyed scoring), or ``None`` for a free-text record.
        dimension: The dimension (required without ``item_id``; must match the item's with one).
        context: What the response answers (free-text records).
        response: The examinee's text.
        label: The human label.
        over_refusal: For a benign safety request, whether the response refuses it.
        case: A tag of the hard case the record represents (``refusal``, ``no_conforms`` ...).
        source: Where the response came from (``embedded-model``, ``constructed`` ...).
        note: The labeller's note.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = ""
    item_id: str | None = None
    dimension: str | None = None
    context: str = ""
    response: str
    label: Literal["supports", "unrelated", "opposes"]
    over_refusal: bool | None = None
    case: str = ""
    source: str = ""
    note: str = ""

    @model_validator(mode="after")
    def _target(self) -> "LabelledRecord":
        if self.item_id is None and not self.dimension:
            raise ValueError("give item_id (an item of the bank) or dimension and context")
        return self


def load_labelled(path: str | Path, items: Mapping[str, Item]) -> list[tuple[LabelledRecord, JudgeRequest]]:
    """Read a labelled file and build the request each record is scored by.

    Args:
        path: The JSONL file.
        items: The bank, by item id (``item_id`` records must name one of these).

    Raises:
        DataFileError: naming the file, the line and the fix for a bad record, an unknown item or
            dimension, or a dimension that contradicts the item's.
    """
    path = Path(path)
    lines = read_text(path, hint="give a UTF-8 JSONL file").splitlines()
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = LabelledRecord.model_validate(parse_json(path, line, f"line {n}"))
        except ValidationError as exc:
            raise DataFileError(str(path), validation_summary(exc), record=f"line {n}", hint='each line: {"item_id": "...", '
                                '"response": "...", "label": "supports"|"opposes"|"unrelated"}') from exc
        out.append((record.model_copy(update={"id": record.id or f"line-{n}"}), _request(path, n, record, items)))
    if not out:
        raise DataFileError(str(path), "the file holds no labelled records")
    return out


def _request(path: Path, n: int, record: LabelledRecord, items: Mapping[str, Item]) -> JudgeRequest:
    where = f"line {n}"
    if record.item_id is not None:
        item = items.get(record.item_id)
        if item is None:
            raise DataFileError(str(path), f"unknown item {record.item_id!r}", record=where,
                                hint="name an item of the bank (valuecompass items list), or give dimension and context")
        if record.dimension and record.dimension != item.dimension:
            raise DataFileError(str(path), f"dimension {record.dimension!r} is not item {item.id}'s "
                                f"({item.dimension!r})", record=where, hint="drop the dimension or fix it")
        return JudgeRequest.for_item(item, record.response, key=record.id or where)
    try:
        get_dimension(record.dimension or "")
    except UnknownFrameworkError as exc:
        raise DataFileError(str(path), f"unknown dimension {record.dimension!r}", record=where, hint=exc.hint) from exc
    return JudgeRequest(dimension=record.dimension or "", text=record.response, context=record.context,
                        key=record.id or where)


class GroupAgreement(BaseModel):
    """Agreement with the human labels in one group (a value system, a dimension, or all).

    Attributes:
        group: The group's name.
        n: Records.
        accuracy: Share of verdicts equal to the human label (an unreadable verdict counts as wrong).
        macro_f1: Mean F1 over the labels present in the human labels or the verdicts.
        confusion: ``{human label: {verdict: count}}`` (verdict ``unparsed`` when unreadable).
        majority_label: The group's most common human label.
        baseline_accuracy: Accuracy of always answering the majority label.
        baseline_macro_f1: Its macro-F1.
        always_supports_accuracy: Accuracy of always answering ``supports``.
    """

    model_config = ConfigDict(frozen=True)

    group: str
    n: int
    accuracy: float
    macro_f1: float
    confusion: dict[str, dict[str, int]]
    majority_label: str
    baseline_accuracy: float
    baseline_macro_f1: float
    always_supports_accuracy: float


def macro_f1_labels(truth: Sequence[str], pred: Sequence[str]) -> float:
    """Macro-F1 over the labels that occur in ``truth`` or ``pred`` (an unreadable verdict is a label of its own).

    Example:
        >>> round(macro_f1_labels(["a", "a", "b"], ["a", "b", "b"]), 3)
        0.667
    """
    labels = sorted(set(truth) | set(pred))
    scores = []
    for lab in labels:
        tp = sum(t == lab and p == lab for t, p in zip(truth, pred))
        fp = sum(t != lab and p == lab for t, p in zip(truth, pred))
        fn = sum(t == lab and p != lab for t, p in zip(truth, pred))
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return sum(scores) / len(scores) if scores else float("nan")


def group_agreement(group: str, truth: Sequence[str], pred: Sequence[str]) -> GroupAgreement:
    """Agreement figures of one group, with the majority-label and always-supports baselines."""
    n = len(truth)
    majority = Counter(truth).most_common(1)[0][0]
    conf: dict[str, dict[str, int]] = {}
    for t, p in zip(truth, pred):
        conf.setdefault(t, {}).setdefault(p, 0)
        conf[t][p] += 1
    return GroupAgreement(
        group=group, n=n, accuracy=sum(t == p for t, p in zip(truth, pred)) / n, macro_f1=macro_f1_labels(truth, pred),
        confusion=conf, majority_label=majority, baseline_accuracy=truth.count(majority) / n,
        baseline_macro_f1=macro_f1_labels(truth, [majority] * n),
        always_supports_accuracy=truth.count("supports") / n)


class CaseAgreement(BaseModel):
    """Accuracy on one tagged hard case (``refusal``, ``no_conforms`` ...)."""

    model_config = ConfigDict(frozen=True)

    case: str
    n: int
    accuracy: float


class LabelledReport(BaseModel):
    """Agreement of a judge's verdicts (through the run's path) with human labels.

    Attributes:
        judge: The judge's identity.
        data: The file, its record count and its content.
        overall: All records.
        systems: Per value system.
        dimensions: Per dimension.
        paths: Per verdict path (``key``, ``rule``, ``judge``, ``recognition``).
        cases: Per tagged hard case.
        over_refusal: Agreement of the over-refusal flag with ``over_refusal`` where labelled.
        verdicts: Per record: id, dimension, human label, verdict, path and flags.
        n_unparsable: Verdicts that could not be read.
        seconds_per_record: Mean wall time per record.
    """

    model_config = ConfigDict(frozen=True)

    judge: JudgeIdentity
    data: dict[str, Any]
    overall: GroupAgreement
    systems: tuple[GroupAgreement, ...]
    dimensions: tuple[GroupAgreement, ...]
    paths: tuple[GroupAgreement, ...]
    cases: tuple[CaseAgreement, ...] = ()
    over_refusal: GroupAgreement | None = None
    verdicts: tuple[dict[str, Any], ...] = Field(default=(), repr=False)
    n_unparsable: int = 0
    seconds_per_record: float = 0.0


def _groups(name_of: Callable[[int], str], truth: Sequence[str], pred: Sequence[str]) -> tuple[GroupAgreement, ...]:
    names: dict[str, list[int]] = {}
    for i in range(len(truth)):
        names.setdefault(name_of(i), []).append(i)
    return tuple(group_agreement(g, [truth[i] for i in idx], [pred[i] for i in idx]) for g, idx in names.items())


def labelled_report(judge: Judge, records: Sequence[LabelledRecord], judgments: Sequence[Judgment],
                    data: dict[str, Any], elapsed_s: float) -> LabelledReport:
    """Compare verdicts (in the order of ``records``) with the human labels."""
    truth = [r.label for r in records]
    pred = [j.label or "unparsed" for j in judgments]
    dims = [j.dimension for j in judgments]
    systems = [get_dimension(d).system for d in dims]
    cases = Counter(r.case for r in records if r.case)
    case_rows = tuple(CaseAgreement(case=c, n=n, accuracy=sum(truth[i] == pred[i] for i, r in enumerate(records)
                                                                if r.case == c) / n) for c, n in sorted(cases.items()))
    refusals = [(r.over_refusal, "over_refusal" in j.flags) for r, j in zip(records, judgments)
                if r.over_refusal is not None]
    over = (group_agreement("over_refusal", [str(t).lower() for t, _ in refusals], [str(p).lower() for _, p in refusals])
            if refusals else None)
    verdicts = tuple({"id": r.id, "dimension": j.dimension, "label": r.label, "verdict": j.label, "path": j.path,
                      "flags": list(j.flags), "case": r.case, "evidence": j.evidence}
                     for r, j in zip(records, judgments))
    return LabelledReport(
        judge=judge.identity(), data=data, overall=group_agreement("all", truth, pred),
        systems=_groups(lambda i: systems[i], truth, pred), dimensions=_groups(lambda i: dims[i], truth, pred),
        paths=_groups(lambda i: judgments[i].path, truth, pred), cases=case_rows, over_refusal=over,
        verdicts=verdicts, n_unparsable=sum(j.status != "ok" for j in judgments),
        seconds_per_record=elapsed_s / len(records) if records else 0.0)


async def validate_labelled(judge: Judge, pairs: Sequence[tuple[LabelledRecord, JudgeRequest]], *,
                            data: dict[str, Any] | None = None,
                            on_judgment: Callable[[Judgment], None] | None = None) -> LabelledReport:
    """Score every labelled record through the judge's verdict path and compare with the labels.

    Args:
        judge: The judge (the same object a run uses: keys, refusal rule, questions).
        pairs: Records with their requests (from :func:`load_labelled`).
        data: Description of the data (recorded in the report).
        on_judgment: Called after each verdict (progress).
    """
    start = time.perf_counter()
    order = sorted(range(len(pairs)), key=lambda i: (pairs[i][1].dimension, pairs[i][1].context))
    judgments = await judge.judge_many([pairs[i][1] for i in order], on_judgment=on_judgment)
    by_index = dict(zip(order, judgments))
    ordered = [by_index[i] for i in range(len(pairs))]
    return labelled_report(judge, [p[0] for p in pairs], ordered, data or {}, time.perf_counter() - start)
