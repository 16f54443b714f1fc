"""The validity card: evidence that a (model, judge) pair's scores measure, one section per check.

Every figure carries what it rests on (items, answers, runs) and, where a check has
a pass mark, whether it passed. Sections a user did not ask for are ``None``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

#: The checks, in the order they run; each fills one section of the card.
CHECKS = ("known_groups", "steering", "reliability", "agreement", "self_report")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class KnownGroupsRow(_Frozen):
    """Can the scorer tell answers made to express the value from answers made to oppose it?

    Attributes:
        dimension: The dimension.
        n_items: Items used (each gets one expressing and one opposing answer).
        expressing: Share (0-100) of expressing answers scored as conforming.
        opposing: Share of opposing answers scored as conforming.
        difference: ``expressing - opposing`` (points), with its Newcombe 95% interval.
        low: Lower end.
        high: Upper end.
        auc: AUC of P(conform) between the two groups.
        passes: ``auc >= 0.8``.
        unreadable: Verdicts that could not be read (left out).
    """

    dimension: str
    n_items: int
    expressing: float
    opposing: float
    difference: float
    low: float
    high: float
    auc: float
    passes: bool
    unreadable: int = 0


class SteeringRow(_Frozen):
    """Does the examinee's score move when a persona pushes its values?

    Attributes:
        dimension: The dimension.
        n_items: Items answered in every condition (paired).
        scores: Share of conforming answers (0-100) per condition (``neutral``, ``promote``, ``oppose``).
        difference: ``promote - oppose`` (points) with a paired bootstrap 95% interval.
        low: Lower end.
        high: Upper end.
        p_sign: Two-sided sign-test p-value of the paired answers (promote vs oppose).
        acquiescence: Share of "Yes" among stance answers per condition (stance items only).
        verdict: ``moved``, ``did not move``, or ``acquiescence only`` (the stances followed the
            persona's yes-bias, not the value: the keyed score cannot move).
    """

    dimension: str
    n_items: int
    scores: dict[str, float]
    difference: float
    low: float
    high: float
    p_sign: float
    acquiescence: dict[str, float] = Field(default_factory=dict)
    verdict: str


class RetestRow(_Frozen):
    """One dimension's score in two runs with different seeds and item draws."""

    dimension: str
    first: float
    second: float
    difference: float
    intervals_overlap: bool


class Reliability(_Frozen):
    """Test-retest, split-half and judge-consistency figures.

    Attributes:
        runs: The two runs compared (test, retest).
        retest_pearson: Correlation of the two runs' scores across dimensions.
        retest_spearman: Rank correlation.
        retest_mean_abs_difference: Mean absolute difference per dimension (points).
        retest_rows: Per dimension.
        split_half: Correlation across dimensions of the scores of odd and even administered items.
        spearman_brown: ``split_half`` stepped up to the whole test.
        consistency_n: Judge-path verdicts judged again with the answer options in the other order.
        consistency_agreement: Share of those whose label did not change.
        consistency_kappa: Cohen's kappa of the two orders.
    """

    runs: tuple[str, ...] = ()
    retest_pearson: float | None = None
    retest_spearman: float | None = None
    retest_mean_abs_difference: float | None = None
    retest_rows: tuple[RetestRow, ...] = ()
    split_half: float | None = None
    spearman_brown: float | None = None
    consistency_n: int = 0
    consistency_agreement: float | None = None
    consistency_kappa: float | None = None


class AgreementSummary(_Frozen):
    """The judge's agreement with human labels (the labelled set ``judge validate`` reads), per system.

    Attributes:
        data: The labelled file and its hash.
        n: Records scored.
        systems: Per value system (and ``all``): ``n``, ``accuracy``, ``macro_f1``,
            ``baseline_accuracy`` (majority label), ``baseline_macro_f1``.
        paths: The same per verdict path.
    """

    data: dict[str, Any]
    n: int
    systems: dict[str, dict[str, float]]
    paths: dict[str, dict[str, float]] = Field(default_factory=dict)


class SelfReport(_Frozen):
    """The model's questionnaire answers next to its behaviour (no pass mark).

    Attributes:
        system: ``schwartz`` (value portraits, PVQ-style) or ``mft`` (MFQ-style).
        questionnaire: The questionnaire's id and version.
        answered: Items answered with a readable rating, of ``n_items``.
        n_items: Items asked.
        self_report: Scores per dimension (centred for Schwartz, as the instrument scores people).
        behaviour: The primary run's scores per dimension.
        spearman: Rank correlation of the two across dimensions (``None`` when undefined).
    """

    system: str
    questionnaire: str
    answered: int
    n_items: int
    self_report: dict[str, float]
    behaviour: dict[str, float]
    spearman: float | None = None


class ValidityCard(_Frozen):
    """Every validity check of one (model, judge) pair, as stored and shown.

    Attributes:
        card_id: Content hash of the model identity, judge, settings and templates.
        model_spec: The examinee.
        judge_id: The judge.
        self_judged: Whether the judge is the examinee's own model.
        primary_run: The run whose scores the card is about (the default run settings).
        config: What was checked and how.
        known_groups: Per dimension (``None`` if not run).
        steering: Per dimension.
        reliability: Test-retest, split-half, judge consistency.
        agreement: Agreement with people on the labelled set.
        self_report: Per questionnaire.
        passes: Dimensions whose known-groups check passed, of those checked.
        timings: Seconds per check.
        provenance: Package version, template hashes, environment.
        created: When the card was made.
    """

    card_id: str
    model_spec: str
    judge_id: str
    self_judged: bool
    primary_run: str
    config: dict[str, Any]
    known_groups: tuple[KnownGroupsRow, ...] | None = None
    steering: tuple[SteeringRow, ...] | None = None
    reliability: Reliability | None = None
    agreement: AgreementSummary | None = None
    self_report: tuple[SelfReport, ...] | None = None
    timings: dict[str, float] = Field(default_factory=dict)
    provenance: dict[str, Any] = Field(default_factory=dict)
    created: str = ""

    @property
    def known_groups_passed(self) -> tuple[int, int]:
        """``(passed, checked)`` dimensions of the known-groups check."""
        rows = self.known_groups or ()
        return sum(r.passes for r in rows), len(rows)
