"""Self-report: the model answers the questionnaires people answer, next to its behaviour.

The project's PVQ-style value portraits (Schwartz) and MFQ-style foundations
questionnaire are put to the model one item at a time, as a person would see them,
and scored by the instrument's own key. LLMs' self-reports and behaviour often
disagree; the card shows the correlation and sets no pass mark.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from valuecompass.metric import Questionnaire, score_answers
from valuecompass.validity._card import SelfReport
from valuecompass.validity._stats import correlation

_NUMBER = re.compile(r"-?\d+")


def item_prompt(q: Questionnaire, item_id: str) -> str:
    """The message that puts one questionnaire item to the model, with the part's scale spelled out."""
    item = next(i for i in q.items if i.id == item_id)
    part = q.part(item.part)
    scale = ", ".join(f"{part.scale.min + n} = {label}" for n, label in enumerate(part.scale.labels))
    return (f"{part.instructions.strip()}\n\n{item.text}\n\n{part.question} Answer with one number from "
            f"{part.scale.min} to {part.scale.max} ({scale}). Reply with the number only.")


def read_rating(text: str, low: int, high: int) -> int | None:
    """The first whole number in ``text`` if it lies on the scale, else ``None``.

    Example:
        >>> read_rating("5 - very much like me", 1, 6), read_rating("I am an AI.", 1, 6), read_rating("9", 1, 6)
        (5, None, None)
    """
    match = _NUMBER.search(text)
    if match is None:
        return None
    value = int(match.group(0))
    return value if low <= value <= high else None


def self_report(q: Questionnaire, answers: Mapping[str, str], behaviour: Mapping[str, float]) -> SelfReport:
    """Score the model's answers by the questionnaire's key and set them next to its behaviour (pure).

    Items without a readable rating are filled with the scale's midpoint (rounded down) for
    scoring, and counted: the ``answered`` figure says how far the self-report can be trusted.
    """
    low, high = q.scale_range
    ratings = {i.id: read_rating(answers.get(i.id, ""), low, high) for i in q.items}
    answered = sum(r is not None for r in ratings.values())
    filled = {k: (v if v is not None else (low + high) // 2) for k, v in ratings.items()}
    scores = score_answers(q, filled).priorities
    dims = [d for d in scores if d in behaviour]
    _, rho = correlation([scores[d] for d in dims], [behaviour[d] for d in dims])
    return SelfReport(system=q.system, questionnaire=f"{q.id}@{q.version}", answered=answered, n_items=len(q.items),
                      self_report={d: round(v, 4) for d, v in scores.items()},
                      behaviour={d: behaviour[d] for d in dims}, spearman=None if rho != rho else rho)
