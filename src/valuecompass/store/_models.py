"""Frozen records the store reads and writes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from valuecompass.items import Item
from valuecompass.models import TokenLogprob

RunStatus = Literal["running", "complete", "failed", "interrupted"]
ParseStatus = Literal["ok", "partial", "unparsed", "error"]


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class RunRecord(_Record):
    """One run with its full provenance: enough to reproduce every score from it.

    Attributes:
        run_id: Deterministic id derived from the run's configuration.
        kind: What the run does: ``fixed_form`` or ``adaptive``.
        status: ``running``, ``complete``, ``failed`` or ``interrupted``.
        model_spec: The examinee's spec, e.g. ``local/qwen2.5-1.5b``.
        model_identity: What pins the model (weights sha256, endpoint).
        settings: Generation settings (temperature, max tokens, seed, system prompt ...).
        seeds: Every seed the run used, by purpose.
        item_bank_version: Version and content hash of the item bank.
        package_version: valuecompass version that created the run.
        config: The full run configuration, as given.
        provenance: Environment (Python, platform, runtime versions), value-system and
            prompt-template hashes, and the judges that judged it.
        n_jobs: Number of model calls the run needs.
        created: When the run was first created (UTC ISO 8601).
        updated: When its status last changed.
    """

    run_id: str
    kind: str = "fixed_form"
    status: RunStatus = "running"
    model_spec: str
    model_identity: dict[str, Any] = Field(default_factory=dict)
    settings: dict[str, Any] = Field(default_factory=dict)
    seeds: dict[str, int] = Field(default_factory=dict)
    item_bank_version: str = ""
    package_version: str = ""
    config: dict[str, Any] = Field(default_factory=dict)
    provenance: dict[str, Any] = Field(default_factory=dict)
    n_jobs: int = 0
    created: str = ""
    updated: str = ""


class RunSummary(_Record):
    """A run and how far it got, for listings.

    Attributes:
        run: The run record.
        n_done: Jobs with a stored response.
        n_judgments: Judgments stored for the run's responses.
        n_estimates: Estimates stored for the run.
        input_tokens: Prompt tokens over its stored responses.
        output_tokens: Generated tokens over its stored responses.
    """

    run: RunRecord
    n_done: int = 0
    n_judgments: int = 0
    n_estimates: int = 0
    input_tokens: int = 0
    output_tokens: int = 0


class PlannedJob(_Record):
    """One model call a run needs (the link between a run and a content-addressed job).

    Attributes:
        job_key: Content hash of (model, messages, settings, sample index).
        position: Order within the run.
        item_id: The item administered.
        item_hash: Content hash of that item's snapshot.
        sample_index: Which sample of the item (0-based).
    """

    job_key: str
    position: int
    item_id: str
    item_hash: str
    sample_index: int = 0


class ResponseRecord(_Record):
    """One stored model response, keyed by its job key.

    Attributes:
        job_key: Content hash of the call; unique in the store.
        run_id: The run that produced it (other runs may reuse it).
        item_id: The item administered.
        item_hash: Content hash of the item snapshot.
        sample_index: Which sample of the item.
        model_spec: The examinee's spec.
        messages: The chat messages sent.
        settings: The generation settings of this call (its own seed included).
        output_text: What the model answered.
        finish_reason: ``stop``, ``length``, ...
        first_token: First-token log-probabilities, when asked and offered.
        input_tokens: Prompt tokens.
        output_tokens: Generated tokens.
        latency_s: Seconds the successful attempt took.
        attempts: Attempts it took (1 = no retry).
        model_reported: The model name the backend reported.
        created: When it was stored.
    """

    job_key: str
    run_id: str
    item_id: str
    item_hash: str
    sample_index: int = 0
    model_spec: str
    messages: list[dict[str, str]]
    settings: dict[str, Any]
    output_text: str
    finish_reason: str = "stop"
    first_token: TokenLogprob | None = None
    input_tokens: int = 0
    output_tokens: int = 0
    latency_s: float = 0.0
    attempts: int = 1
    model_reported: str = ""
    created: str = ""


class JudgmentRecord(_Record):
    """A judge's verdict on one response for one value dimension.

    Unique per (response_key, judge_id, template_hash, dimension): judging the
    same response again with the same judge and prompt is a no-op.

    Attributes:
        response_key: Job key of the judged response.
        judge_id: Which judge (e.g. its model spec and method).
        template_hash: Hash of the judge's prompt template.
        dimension: The value dimension judged.
        label: ``supports``, ``unrelated``, ``opposes`` (or the judge's labels).
        score: A numeric reading of the verdict (e.g. P(conforms)), if any.
        probabilities: Label probabilities, if the judge gives them.
        rationale: The judge's reasoning, if any.
        raw_output: What the judge model said, verbatim.
        parse_status: ``ok``, ``partial``, ``unparsed`` or ``error``.
        provenance: Judge model identity, settings, seeds.
        created: When it was stored.
    """

    response_key: str
    judge_id: str
    template_hash: str
    dimension: str
    label: str | None = None
    score: float | None = None
    probabilities: dict[str, float] | None = None
    rationale: str | None = None
    raw_output: str | None = None
    parse_status: ParseStatus = "ok"
    provenance: dict[str, Any] = Field(default_factory=dict)
    created: str = ""


class EstimateRecord(_Record):
    """A score estimate of one dimension for one run.

    Unique per (run_id, dimension, method, judge_id); storing again replaces it.

    Attributes:
        run_id: The run.
        dimension: The value dimension.
        method: How it was estimated: ``share`` (share of conforming judgments) or
            ``irt-cat`` (adaptive test).
        judge_id: The judge whose verdicts it rests on ('' if none).
        score: The score (0-100 scale for reported scores).
        se: Standard error.
        ci_low: Lower confidence/credible bound.
        ci_high: Upper bound.
        n_items: Items it rests on.
        details: Anything else (theta, prior, iterations ...).
        created: When it was stored.
    """

    run_id: str
    dimension: str
    method: str
    judge_id: str = ""
    score: float
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n_items: int = 0
    details: dict[str, Any] = Field(default_factory=dict)
    created: str = ""


class MetricRecord(_Record):
    """A behaviour figure of a run beside its scores: acquiescence, over-refusal, incoherence ...

    Unique per (run_id, judge_id, name, dimension); storing again replaces it.

    Attributes:
        run_id: The run.
        judge_id: The judge whose verdicts it rests on.
        name: What it measures (``acquiescence``, ``over_refusal``, ``incoherence``,
            ``choice_position_a``, ``neutral``, ``no_answer`` ...).
        dimension: The dimension, or ``""`` for the whole run.
        value: The figure (0-100, a percentage).
        n: Answers it rests on.
        ci_low: Lower end of its 95% interval.
        ci_high: Upper end.
        details: Counts and how it was computed.
        created: When it was stored.
    """

    run_id: str
    judge_id: str
    name: str
    dimension: str = ""
    value: float
    n: int
    ci_low: float | None = None
    ci_high: float | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    created: str = ""


class ResponseView(_Record):
    """A response with its item and its judgments, for the web app and exports.

    Attributes:
        response: The stored response.
        item: The item snapshot it answered (``None`` if not stored).
        judgments: Every judgment of the response.
    """

    response: ResponseRecord
    item: Item | None = None
    judgments: tuple[JudgmentRecord, ...] = ()
