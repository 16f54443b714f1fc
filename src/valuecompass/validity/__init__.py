"""Validity evidence for a model's scores: ``valuecompass validate`` and the validity card.

The checks follow the Standards for Educational and Psychological Testing (AERA,
APA, NCME 2014): constructed known groups (can the scorer tell?), steering (does
the score move when the model's values are pushed, or only its yes-bias?),
reliability (test-retest across seeds and item draws, split-half, judge
consistency), agreement with people on labelled answers, and the model's
questionnaire self-report next to its behaviour. The card is stored per
(model, judge); every score cell gets a reliability grade from it.
"""

from valuecompass.validity._card import (
    AgreementSummary,
    KnownGroupsRow,
    Reliability,
    RetestRow,
    SelfReport,
    SteeringRow,
    ValidityCard,
)
from valuecompass.validity._grades import Grade, grade_cell
from valuecompass.validity._known_groups import PASS_AUC, Construction, construct, known_groups_rows
from valuecompass.validity._report import card_markdown
from valuecompass.validity._reliability import reliability, retest, split_half
from valuecompass.validity._selfreport import item_prompt, read_rating, self_report
from valuecompass.validity._steering import CONDITIONS, steering_row, steering_summary
from valuecompass.validity._templates import ValidityTemplates, default_validity_templates, load_validity_templates
from valuecompass.validity._workflow import CHECKS, ValidityConfig, ValidityProgress, validate_model

__all__ = [
    "AgreementSummary", "CHECKS", "CONDITIONS", "Construction", "Grade", "KnownGroupsRow", "PASS_AUC", "Reliability",
    "RetestRow", "SelfReport", "SteeringRow", "ValidityCard", "ValidityConfig", "ValidityProgress",
    "ValidityTemplates", "card_markdown", "construct", "default_validity_templates", "grade_cell", "item_prompt",
    "known_groups_rows", "load_validity_templates", "read_rating", "reliability", "retest", "self_report",
    "split_half", "steering_row", "steering_summary", "validate_model",
]
