"""Validity evidence for a model's scores: ``valuecompass validate`` and the validity card.

The checks follow the Standards for Educational and Psychological Testing (AERA,
APA, NCME 2014): constructed known groups (can the scorer tell?), steering (does
the score move when the model's values are pushed, or only its yes-bias?),
reliability (test-retest across seeds and item draws, split-half, judge
consistency), agreement with people on labelled answers, and the model's
questionnaire self-report next to its behaviour. The card is stored per
(model, judge); every score cell gets a reliability grade from it.

Names are imported on first use (see :mod:`valuecompass._lazy`): ``CHECKS`` and the card need neither the
pipeline nor scipy.
"""

from valuecompass._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "_card": ["CHECKS", "AgreementSummary", "KnownGroupsRow", "Reliability", "RetestRow", "SelfReport", "SteeringRow",
              "ValidityCard"],
    "_grades": ["Grade", "grade_cell"],
    "_known_groups": ["PASS_AUC", "Construction", "construct", "known_groups_rows"],
    "_report": ["card_markdown"],
    "_reliability": ["reliability", "retest", "split_half"],
    "_selfreport": ["item_prompt", "read_rating", "self_report"],
    "_steering": ["CONDITIONS", "steering_row", "steering_summary"],
    "_templates": ["ValidityTemplates", "default_validity_templates", "load_validity_templates"],
    "_workflow": ["ValidityConfig", "ValidityProgress", "validate_model"],
})
