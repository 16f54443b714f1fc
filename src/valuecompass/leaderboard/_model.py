"""The leaderboard's view model: what the pages show, independent of how the store holds it.

Everything the web app and the static export display comes from one :class:`LeaderboardData`
object, built by :func:`valuecompass.leaderboard.load_leaderboard` from a read-only view of the
store. Text fields here (items, responses, rationales) are untrusted: templates escape them and
the browser scripts only ever insert them with ``textContent``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from valuecompass.models import ModelCard
from valuecompass.validity import ValidityCard

#: How much of a response a case shows (the rest is marked as cut; the run records hold it whole).
RESPONSE_CHARS = 4000

#: The judge labels the pages colour (others are shown as stored).
KNOWN_LABELS: tuple[str, ...] = ("supports", "unrelated", "opposes")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ScoreCell(_Frozen):
    """One model's score on one dimension, with its uncertainty.

    Attributes:
        dimension: Dimension id.
        score: 0-100.
        se: Standard error (same units).
        low: Lower end of the interval (stored bootstrap CI, else score - 1.96 se).
        high: Upper end of the interval.
        n_items: Number of items behind the score.
        method: How the score was estimated (e.g. ``share``, ``irt``).
        grade: Reliability grade A-D (see :mod:`valuecompass.validity._grades`).
        grade_reasons: Every reason the grade is not higher.
    """

    dimension: str
    score: float = Field(ge=0, le=100)
    se: float = Field(ge=0)
    low: float
    high: float
    n_items: int = Field(ge=0)
    method: str = ""
    grade: str = ""
    grade_reasons: tuple[str, ...] = ()

    @property
    def grade_text(self) -> str:
        """The grade in words (for a tooltip)."""
        if not self.grade:
            return ""
        return f"grade {self.grade}: " + ("; ".join(self.grade_reasons) or "no weakness found")


class RunInfo(_Frozen):
    """Provenance of the run behind a model's scores.

    Attributes:
        run_id: The store's run id.
        model_spec: Model spec as given to ``valuecompass run`` (e.g. ``local/smollm2-135m``).
        model_label: Display name of the model.
        judge: Judge id (model spec and prompt version).
        item_bank_version: Version of the item bank the items came from.
        package_version: valuecompass version that produced the run.
        started: ISO timestamp of the start.
        finished: ISO timestamp of the end (empty while running).
        status: Run status as stored (``finished``, ``running``, ...).
        settings: Everything else recorded with the run (generation config, seeds, hashes),
            flattened to ``key -> text``.
    """

    run_id: str
    model_spec: str
    model_label: str
    judge: str = ""
    item_bank_version: str = ""
    package_version: str = ""
    started: str = ""
    finished: str = ""
    status: str = ""
    settings: dict[str, str] = Field(default_factory=dict)


class Case(_Frozen):
    """One item put to a model, its response and the judge's verdict.

    Attributes:
        item_id: Item id.
        dimension: Dimension the item tests.
        item_text: The item as shown to the model (untrusted text).
        difficulty: Item difficulty tag or IRT difficulty, as text.
        response: The model's response (untrusted text).
        label: Judge label (``supports``, ``unrelated``, ``opposes``), or ``None`` if not judged.
        judge_score: The judge's numeric reading (e.g. P(conforms)), if any.
        rationale: The judge's rationale (untrusted text).
        judge: Judge id.
        sample_index: Which sample of the item the response is.
        path: How the verdict was reached: ``key``, ``rule``, ``judge`` or ``recognition`` (empty if unknown).
        evidence: What the verdict rests on, as the judge stored it: the response's own words (for the
            key and the refusal rule), the judge's probabilities, or occlusion evidence (the sentences
            whose removal most lowered the judge's probability, with that probability; see
            :mod:`valuecompass.judge._occlusion`).
        spans: Where ``evidence`` sits in ``response``: ``(start, end)`` character offsets (none when the
            evidence is not the response's words).
        judge_truncated: The judge saw only the start of a long response.
    """

    item_id: str
    dimension: str
    item_text: str
    difficulty: str = ""
    response: str = ""
    label: str | None = None
    judge_score: float | None = None
    rationale: str = ""
    judge: str = ""
    sample_index: int = 0
    path: str = ""
    evidence: str = ""
    spans: tuple[tuple[int, int], ...] = ()
    judge_truncated: bool = False

    def segments(self, limit: int = RESPONSE_CHARS) -> tuple[list[tuple[str, bool]], int]:
        """The response as ``(text, is_evidence)`` pieces up to ``limit`` characters, and how many were cut."""
        text = self.response[:limit]
        pieces, at = [], 0
        for start, end in self.spans:
            start, end = max(start, at), min(end, len(text))
            if start >= end:
                continue
            if start > at:
                pieces.append((text[at:start], False))
            pieces.append((text[start:end], True))
            at = end
        if at < len(text):
            pieces.append((text[at:], False))
        return pieces, len(self.response) - len(text)

    def spans_cut(self, limit: int = RESPONSE_CHARS) -> int:
        """How many evidence spans begin in the part of the response cut at ``limit`` characters (not shown)."""
        return sum(start >= limit for start, _ in self.spans)

    @property
    def label_class(self) -> str:
        """A CSS-safe class for the label: one of :data:`KNOWN_LABELS`, ``other`` or ``none``."""
        if self.label is None:
            return "none"
        return self.label if self.label in KNOWN_LABELS else "other"


class ModelEntry(_Frozen):
    """One evaluated model: a row of the leaderboard.

    Attributes:
        key: URL- and file-safe unique key (``[a-z0-9][a-z0-9._-]*``).
        label: Display name.
        run: The run whose scores are shown (the newest finished run of this model).
        scores: Dimension id -> score.
        other_runs: Ids of older runs of the same model.
        card: The newest validity card of this model with the shown judge, if any.
        metrics: The run's behaviour figures by the shown judge: ``name -> {value, n, low, high}``
            for the whole run (acquiescence, over-refusal, incoherence ...).
        model_card: Who made the model and what it is (the newest card stored with its runs), if any.
    """

    key: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    label: str
    run: RunInfo
    scores: dict[str, ScoreCell]
    other_runs: tuple[str, ...] = ()
    card: ValidityCard | None = None
    metrics: dict[str, dict[str, float]] = Field(default_factory=dict)
    model_card: ModelCard | None = None

    @property
    def measured(self) -> str:
        """The date (``YYYY-MM-DD``) the shown run was measured: when it finished, else when it started."""
        return (self.run.finished or self.run.started)[:10]


class LeaderboardData(_Frozen):
    """Everything the leaderboard shows, read once from the store.

    Attributes:
        models: The evaluated models, sorted by label.
        method: The estimation method whose scores are shown (e.g. ``mean``, ``irt-eap``).
        judge: The judge whose verdicts the scores rest on.
        methods: Every (method, judge) pair the store holds, as ``method@judge``.
        hidden: Per other ``method@judge``, how many models have scores only under it (and so are
            not shown: serve or export with that ``--score-method``/``--judge`` to see them).
        store_name: File name of the store (not its full path, which is not published).
        generated: ISO timestamp of when this view was read.
        package_version: valuecompass version that rendered it.
    """

    models: tuple[ModelEntry, ...]
    method: str = ""
    judge: str = ""
    methods: tuple[str, ...] = ()
    hidden: dict[str, int] = {}
    store_name: str = ""
    generated: str = ""
    package_version: str = ""

    def model(self, key: str) -> ModelEntry | None:
        """The model with ``key``, or ``None``."""
        return next((m for m in self.models if m.key == key), None)
