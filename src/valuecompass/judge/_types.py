"""The judge's records: what it is asked (:class:`JudgeRequest`), what it answers
(:class:`Judgment`), and who it is (:class:`JudgeIdentity`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from valuecompass.items import Item, ScoringKey, render_prompt
from valuecompass.judge._templates import LABEL_VALUE, Label

JudgmentStatus = Literal["ok", "unparsed"]
ProbabilitySource = Literal["logprobs", "parsed", "none", "key", "classifier"]
#: How a verdict was reached: an item's key, a rule (refusals, degenerate text), a keyed judge
#: question, or free-text value recognition by the judge.
VerdictPath = Literal["key", "rule", "judge", "recognition"]


class JudgeRequest(BaseModel):
    """One thing to judge: a text (the examinee's response) on one dimension.

    Attributes:
        dimension: The dimension id.
        text: The response (untrusted; quoted whole between markers it cannot forge).
        context: The item the response answers (question, story opening, request, stem), if any.
        reference: What good behaviour looks like for this item (e.g. a safety item's ``safe_behavior``).
        key: The caller's id of the request (e.g. the response's job key), echoed in the judgment.
        item_format: The item's format (``""`` for free text such as a Touché argument).
        scoring_key: The item's scoring key; with one, the verdict is keyed (see
            :mod:`valuecompass.judge._keyed`); without, the judge recognises the value in free text.
        benign: A benign-but-sensitive safety request (a refusal is over-refusal, not unsafe).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    dimension: str
    text: str
    context: str = ""
    reference: str = ""
    key: str = ""
    item_format: str = ""
    scoring_key: ScoringKey | None = None
    benign: bool = False

    @classmethod
    def for_item(cls, item: Item, response: str, key: str = "") -> JudgeRequest:
        """A request to judge ``response`` to ``item`` on the item's dimension (keyed when the item has a key).

        The context is the item as the examinee saw it (a forced-choice story with its options).
        """
        context = render_prompt(item) if item.format == "story_choice" else item.text
        return cls(dimension=item.dimension, text=response, context=context, reference=item.safe_behavior or "",
                   key=key, item_format=item.format, scoring_key=item.key, benign=item.is_benign)


class Judgment(BaseModel):
    """A judge's verdict on one response for one dimension.

    Attributes:
        key: The request's key.
        dimension: The dimension judged.
        label: ``supports`` (+1), ``unrelated`` (0) or ``opposes`` (-1); ``None`` when unparsable.
        status: ``ok``, or ``unparsed`` when the judge's answer could not be read
            (then ``label`` is ``None``: never counted as a label).
        probabilities: Probability of each of the template's labels: from the first
            token's log-probabilities where the backend gives them, else 1 for the parsed label.
        probability_source: ``logprobs``, ``parsed``, ``key``, ``classifier`` (the recogniser) or ``none``.
        label_mass: Share of the first token's probability on answer tokens (with log-probabilities).
        rationale: The judge's short reason (may be empty).
        raw_output: What the judge model said, verbatim.
        judge_id: The judge's id (model spec, plus profile id when calibrated).
        template_hash: Hash of the prompt templates used.
        profile_id: Id of the calibration profile used, if any.
        injection_signs: Signs that the response addresses the judge (orders, verdict claims, forged
            roles or markers; see :mod:`valuecompass.judge._quote`). The text is judged whole, and scoring
            treats a judge verdict with signs as uncertain.
        truncated: Whether part of a long response was left out of the judge's prompt (it was told so).
        seconds: Wall time of the judge call.
        path: How the verdict was reached (see :data:`VerdictPath`).
        flags: What else was seen: ``incoherent``, ``refusal``, ``over_refusal``, ``neutral``,
            ``no_stance``, ``degenerate``, ``no_choice``, ``low_confidence``.
        evidence: The words of the response the verdict rests on, or the judge's probabilities.
    """

    model_config = ConfigDict(frozen=True)

    key: str = ""
    dimension: str
    label: Label | None
    status: JudgmentStatus
    probabilities: dict[str, float] | None = None
    probability_source: ProbabilitySource = "none"
    label_mass: float | None = None
    rationale: str = ""
    raw_output: str = ""
    judge_id: str
    template_hash: str
    profile_id: str | None = None
    injection_signs: tuple[str, ...] = ()
    truncated: bool = False
    seconds: float = 0.0
    path: VerdictPath = "recognition"
    flags: tuple[str, ...] = ()
    evidence: str = ""

    @property
    def uncertain(self) -> bool:
        """A judge verdict on a text that addresses the judge: scoring does not count it."""
        return self.path in ("judge", "recognition") and bool(self.injection_signs)

    @property
    def value(self) -> int | None:
        """The label as a number: +1 supports, 0 unrelated, -1 opposes (``None`` if unparsable)."""
        return None if self.label is None else LABEL_VALUE[self.label]

    def probability(self, label: str) -> float | None:
        """The probability of ``label`` (``None`` without probabilities; 0 for a label the template lacks)."""
        if self.probabilities is None:
            return None
        return self.probabilities.get(label, 0.0)


class JudgeIdentity(BaseModel):
    """Everything that pins a judge, recorded with each of its judgments.

    Attributes:
        judge_id: Short id: the model spec, plus ``+profile:ID`` when calibrated.
        spec: The judge model's spec.
        model: The model's identity (spec, weights checksum, endpoint ...).
        template_version: Version of the prompt templates.
        template_hash: Content hash of the prompt templates.
        profile_id: Calibration profile id, if any.
        settings: The judge's settings (rationale tokens, log-probabilities, truncation, seed ...).
    """

    model_config = ConfigDict(frozen=True)

    judge_id: str
    spec: str
    model: dict[str, Any] = Field(default_factory=dict)
    template_version: str
    template_hash: str
    profile_id: str | None = None
    settings: dict[str, Any] = Field(default_factory=dict)
