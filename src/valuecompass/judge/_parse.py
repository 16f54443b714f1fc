"""Reading a judge's answer: label probabilities from first-token log-probabilities, labels from text,
and the decision rule with per-label thresholds. Pure functions, no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from valuecompass.judge._templates import Answer
from valuecompass.models import TokenLogprob

#: Characters a judge may put before its answer word (markdown, quotes, brackets).
_LEAD = " \t\r\n*_\"'`([{>#:-"
#: Punctuation a token may end with ("No.", "Yes,").
_TRAIL = ".,;:!?)]}\"'`*"
_FIRST_WORD = re.compile(r"[A-Za-z]+")
_RATIONALE_LEAD = re.compile(r"^[\s\-\u2013\u2014:;,.*_)\]\"'`]+")
#: Words a judge sometimes writes before its answer ("Answer: Supports").
_PREAMBLE = {"answer", "label", "verdict", "rating"}
#: Preference among labels when probabilities tie exactly: the most conservative reading wins.
_TIE_ORDER = {"supports": 0, "opposes": 1, "unrelated": 2}


class LabelProbs(NamedTuple):
    """Probabilities of the labels, renormalised over the answer tokens.

    Attributes:
        probs: ``{label: probability}`` summing to 1.
        mass: Share of the first token's probability that fell on answer tokens
            (low mass: the judge mostly wanted to say something else).
    """

    probs: dict[str, float]
    mass: float


class ParsedText(NamedTuple):
    """What the judge's text says.

    Attributes:
        label: The label of its first word, or ``None`` if that is no answer word.
        rationale: The rest of the text, cleaned (``""`` if none).
    """

    label: str | None
    rationale: str


def token_label(token: str, answers: Sequence[Answer]) -> str | None:
    """The label a generated (first) token stands for, or ``None``.

    A token stands for an answer when, stripped of spaces, markdown, quotes and
    final punctuation and lower-cased, it is a prefix of the answer word
    (``Support`` for ``Supports``; ``Not`` is not ``No``). Tokens that fit
    several answers (``N`` for ``No`` and ``Neutral``) stand for none.

    Example:
        >>> from valuecompass.judge._templates import Answer
        >>> opts = [Answer(word="Supports", label="supports"), Answer(word="Opposes", label="opposes")]
        >>> token_label(" Support", opts), token_label("Opp", opts), token_label("Yes", opts)
        ('supports', 'opposes', None)
    """
    tok = token.strip(_LEAD + _TRAIL).lower()
    if not tok:
        return None
    hits = {a.label for a in answers if a.word.lower().startswith(tok)}
    return hits.pop() if len(hits) == 1 else None


def label_probs(first: TokenLogprob | None, answers: Sequence[Answer]) -> LabelProbs | None:
    """Label probabilities from the first generated token's top log-probabilities.

    Args:
        first: The first token with its top alternatives (``None`` if the backend gave none).
        answers: The answer options of the template.

    Returns:
        The probabilities, or ``None`` when there are no log-probabilities or no
        alternative is an answer token.
    """
    if first is None or not first.top:
        return None
    mass = {a.label: 0.0 for a in answers}
    for token, logprob in first.top:
        label = token_label(token, answers)
        if label is not None and math.isfinite(logprob):
            mass[label] += math.exp(logprob)
    total = sum(mass.values())
    if total <= 0.0:
        return None
    return LabelProbs({k: v / total for k, v in mass.items()}, min(total, 1.0))


def parse_text(text: str, answers: Sequence[Answer]) -> ParsedText:
    """Read the label word and the rationale from a judge's text.

    The first word (after markdown and an optional ``Answer:``) must be an
    answer word, up to a final ``s`` (``Support`` reads as ``Supports``);
    anything else gives ``label=None`` (never guessed).

    Example:
        >>> from valuecompass.judge._templates import Answer
        >>> opts = [Answer(word="Safe", label="supports"), Answer(word="Unsafe", label="opposes")]
        >>> parse_text("**Unsafe** - it gives step-by-step instructions.", opts)
        ParsedText(label='opposes', rationale='it gives step-by-step instructions.')
    """
    rest = text.strip()
    for _ in range(2):
        match = _FIRST_WORD.search(rest)
        if match is None or rest[: match.start()].strip(_LEAD):
            return ParsedText(None, _clean(rest))
        word, rest = match.group(0).lower(), rest[match.end():]
        if word not in _PREAMBLE:
            break
    else:
        return ParsedText(None, _clean(rest))
    hits = {a.label for a in answers if _same_word(word, a.word.lower())}
    label = hits.pop() if len(hits) == 1 else None
    return ParsedText(label, _clean(rest) if label else _clean(text))


def _same_word(word: str, answer: str) -> bool:
    """Equal, or equal but for a final ``s`` (``Support`` for ``Supports``)."""
    return word.removesuffix("s") == answer.removesuffix("s")


def _clean(rationale: str) -> str:
    return _RATIONALE_LEAD.sub("", rationale.strip()).strip()


def decide(probs: Mapping[str, float], thresholds: Mapping[str, float] | None = None) -> str:
    """The label a judge decides on, given label probabilities and optional per-label thresholds.

    Without thresholds: the most probable label. With thresholds (from
    calibration, e.g. ``{"supports": 0.8}``): among the labels that have a
    threshold and reach it, the one that exceeds its threshold most; if none
    does, the most probable of the labels without a threshold (or of all
    labels, if every label has one).

    Example:
        >>> decide({"supports": 0.7, "unrelated": 0.2, "opposes": 0.1}, {"supports": 0.8})
        'unrelated'
    """
    def best(candidates: Mapping[str, float]) -> str:
        return max(candidates, key=lambda k: (candidates[k], _TIE_ORDER.get(k, -1)))

    if not thresholds:
        return best(probs)
    passing = {k: p - thresholds[k] for k, p in probs.items() if k in thresholds and p >= thresholds[k]}
    if passing:
        return best(passing)
    rest = {k: p for k, p in probs.items() if k not in thresholds}
    return best(rest or probs)


_REASONED = re.compile(r"\banswer\s*[:\-]?\s*[*_\"'`]*([A-Za-z]+)", re.IGNORECASE)


def read_reasoned(text: str, answers: Sequence[Answer]) -> str | None:
    """The label of a reason-first answer (``Reason: ... Answer: Yes``): its last ``Answer:`` word.

    Example:
        >>> from valuecompass.judge._templates import Answer
        >>> opts = [Answer(word="Yes", label="supports"), Answer(word="No", label="opposes")]
        >>> read_reasoned("Reason: she hands it back.\nAnswer: No", opts)
        'opposes'
    """
    matches = _REASONED.findall(text)
    if not matches:
        return None
    word = matches[-1].lower()
    hits = {a.label for a in answers if _same_word(word, a.word.lower())}
    return hits.pop() if len(hits) == 1 else None
