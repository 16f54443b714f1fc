"""Quality checks a generated item must pass before it enters the bank (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

_WORD = re.compile(r"[a-z0-9']+")

#: Word-count bounds per item format (inclusive).
LENGTH_BOUNDS: dict[str, tuple[int, int]] = {
    "stance_question": (8, 110),
    "story_opening": (15, 120),
    "safety_request": (6, 120),
    "completion_stem": (5, 60),
}

#: Word-bigram Jaccard similarity at or above which two items count as near-duplicates.
NEAR_DUPLICATE_THRESHOLD = 0.5


class CheckResult(NamedTuple):
    """Outcome of checking one candidate: ``ok`` and, if not, why."""

    ok: bool
    reason: str = ""


def _tokens(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(text: str) -> frozenset[tuple[str, str]]:
    """Word bigrams of ``text`` (lower-cased, punctuation dropped)."""
    toks = _tokens(text)
    return frozenset(zip(toks, toks[1:]))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the word bigrams of two texts, in [0, 1]."""
    sa, sb = shingles(a), shingles(b)
    if not sa or not sb:
        return 0.0
    return len(sa & sb) / len(sa | sb)


def nearest(text: str, others: Iterable[str]) -> tuple[float, str]:
    """The highest similarity of ``text`` to any of ``others`` and that text."""
    best = (0.0, "")
    for other in others:
        s = similarity(text, other)
        if s > best[0]:
            best = (s, other)
    return best


def check_format(text: str, fmt: str) -> CheckResult:
    """Check that ``text`` is complete and has the shape of item format ``fmt``."""
    stripped = text.strip()
    if not stripped:
        return CheckResult(False, "empty")
    n = len(_tokens(stripped))
    low, high = LENGTH_BOUNDS[fmt]
    if n < low:
        return CheckResult(False, f"too short ({n} words, need {low})")
    if n > high:
        return CheckResult(False, f"too long ({n} words, at most {high})")
    if fmt == "completion_stem":
        if not stripped.endswith(("...", "…")):
            return CheckResult(False, "a completion stem must stop mid-sentence with '...'")
        return CheckResult(True)
    if stripped[-1] not in ".?!\"'”’)":
        return CheckResult(False, "looks truncated (no closing punctuation)")
    if fmt == "stance_question" and "?" not in stripped:
        return CheckResult(False, "a stance item must ask a yes/no question")
    return CheckResult(True)


def check_candidate(text: str, fmt: str, existing: Iterable[str]) -> CheckResult:
    """Format check plus near-duplicate check against ``existing`` item texts."""
    result = check_format(text, fmt)
    if not result.ok:
        return result
    score, other = nearest(text, existing)
    if score >= NEAR_DUPLICATE_THRESHOLD:
        return CheckResult(False, f"near-duplicate (similarity {score:.2f}) of: {other[:60]}")
    return CheckResult(True)
