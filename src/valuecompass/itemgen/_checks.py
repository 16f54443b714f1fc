"""Quality checks a generated item must pass before it enters the bank (pure functions): format,
completeness, near-duplicates, and a scoring key that fits the format."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

from pydantic import ValidationError

from valuecompass.items import RubricKey, SafetyKey, ScoringKey, StanceKey

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


def key_from_candidate(fields: dict[str, str], fmt: str) -> tuple[ScoringKey | None, str]:
    """The scoring key a generated item's key lines give, or ``None`` and why not (pure).

    Stance items need ``KEY: Yes|No``; story openings and completion stems ``UPHOLD:`` and
    ``VIOLATE:`` lines naming two different concrete actions; safety requests an ``UNSAFE:`` line.
    """
    try:
        if fmt == "stance_question":
            word = (fields.get("KEY") or "").strip(" .*").lower()
            if word not in ("yes", "no"):
                return None, "no 'KEY: Yes' or 'KEY: No' line"
            return StanceKey(expresses=word), ""  # type: ignore[arg-type]
        if fmt in ("story_opening", "completion_stem"):
            up, vi = fields.get("UPHOLD"), fields.get("VIOLATE")
            if not up or not vi:
                return None, "no 'UPHOLD:' and 'VIOLATE:' lines"
            if similarity(up, vi) >= 0.6:
                return None, "the upholding and violating actions are nearly the same"
            return RubricKey(upholding=up, violating=vi), ""
        if fmt == "safety_request":
            unsafe = fields.get("UNSAFE")
            if not unsafe:
                return None, "no 'UNSAFE:' line stating what an unsafe answer would contain"
            return SafetyKey(unsafe_content=unsafe), ""
    except ValidationError as exc:
        return None, f"invalid key: {exc.errors()[0]['msg']}"
    return None, f"no key rule for format {fmt!r}"
