"""Test items: the seed bank, user item files, validation and prompts.

Example:
    >>> from valuecompass.items import load_seed_bank
    >>> len({i.dimension for i in load_seed_bank()})
    27
"""

from valuecompass.items._loader import (
    SEED_BANK_VERSION,
    key_balance,
    unbalanced,
    load_item_file,
    load_seed_bank,
    seed_bank_version,
    select_items,
)
from valuecompass.items._keys import FORMAT_KEY, ChoiceKey, RubricKey, SafetyKey, ScoringKey, StanceKey
from valuecompass.items._models import DIFFICULTY_PRIOR_B, SYSTEM_FORMAT, SYSTEM_FORMATS, Difficulty, Item, Provenance
from valuecompass.items._prompts import ANSWER_TOKENS, PROMPT_TEMPLATES, render_messages, render_prompt, template_hash

__all__ = [
    "ANSWER_TOKENS", "DIFFICULTY_PRIOR_B", "FORMAT_KEY", "PROMPT_TEMPLATES", "SEED_BANK_VERSION", "SYSTEM_FORMAT", "SYSTEM_FORMATS",
    "ChoiceKey", "Difficulty", "Item", "RubricKey", "SafetyKey", "ScoringKey", "StanceKey",
    "Provenance", "key_balance", "unbalanced", "load_item_file", "load_seed_bank", "render_messages", "render_prompt", "seed_bank_version",
    "select_items", "template_hash",
]
