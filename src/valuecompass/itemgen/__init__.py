"""Automatic item generation at a target difficulty (GETA-style, with any chat LLM).

The generator is conditioned on the dimension's definition and on calibrated
exemplars easier and harder than the target; candidates pass format,
completeness, near-duplicate and (judged) relevance checks before they enter
the bank, each with full provenance.
"""

from valuecompass.itemgen._checks import NEAR_DUPLICATE_THRESHOLD, CheckResult, check_candidate, check_format, similarity
from valuecompass.itemgen._generate import GenerationResult, GenerationSettings, generate_items, relevance, yes_probability
from valuecompass.itemgen._prompt import AnchorItem, Candidate, difficulty_label, parse_reply, render_prompt, template_hash

__all__ = [
    "NEAR_DUPLICATE_THRESHOLD", "AnchorItem", "Candidate", "CheckResult", "GenerationResult", "GenerationSettings",
    "check_candidate", "check_format", "difficulty_label", "generate_items", "parse_reply", "relevance",
    "render_prompt", "similarity", "template_hash", "yes_probability",
]
