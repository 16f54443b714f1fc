"""Occlusion: which sentences of a response decided a judge's or the recogniser's verdict.

A verdict read from a probability (the LLM judge's answer to a keyed question, the
recogniser's P(value)) rests on no particular words. Occlusion finds them faithfully: the
same question is put again with one sentence left out at a time, and the sentences whose
removal lowers the probability of the verdict's label by at least :data:`MARGIN` are its
evidence, most influential first, at most :data:`MAX_SPANS` of them. A text of more than
:data:`MAX_UNITS` sentences is tested in at most that many runs of neighbouring sentences
(of about equal length), so that every part of it is tested at a bounded cost.

Pure functions, no I/O: the callers (:mod:`valuecompass.judge._explain`, the recogniser)
compute the probabilities. The evidence is stored as text, ``occlusion {...}`` with a JSON
body (:func:`occlusion_evidence`): the tested sentences are the response's exact words, so
:func:`valuecompass.judge.evidence_spans` finds them, and the probability reading the verdict
was decided from is kept beside them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import NamedTuple

#: Least drop of the label's probability (absolute) for a sentence's removal to count as deciding.
MARGIN = 0.1
#: Most sentences (or runs of sentences) tested per response: one extra reading each.
MAX_UNITS = 12
#: Most sentences kept as evidence.
MAX_SPANS = 3
#: How occlusion evidence begins (the rest is JSON).
OCCLUSION_PREFIX = "occlusion "

#: The end of a sentence: terminators, then closing quotes, brackets or markdown, then a space.
_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]*_]*(?=\s)")
#: Words whose full stop ends no sentence.
_ABBREVIATIONS = frozenset({"mr", "mrs", "ms", "dr", "st", "vs", "etc", "e.g", "i.e", "cf", "jr", "sr", "prof",
                            "fig", "approx", "mt", "u.s"})
#: A list marker alone ("1.", "a)", "- 2."): the start of a bullet, not a sentence.
_MARKER = re.compile(r"[-*+\u2022>#\s]*(?:\d{1,3}|[a-zA-Z]|[ivxIVX]{1,4})[.)]")
_WORD = re.compile(r"\w")


class Sentence(NamedTuple):
    """A sentence (or a run of neighbouring sentences) of a text.

    Attributes:
        start: Its first character's offset in the text.
        end: The offset just past its last character.
        text: ``text[start:end]``: the text's exact words.
    """

    start: int
    end: int
    text: str


class Influence(NamedTuple):
    """A sentence whose removal lowered the probability of the verdict's label.

    Attributes:
        sentence: The sentence.
        drop: How much the probability fell without it (full text minus occluded text).
    """

    sentence: Sentence
    drop: float


class Occlusion(NamedTuple):
    """Occlusion evidence, as stored in a verdict's ``evidence``.

    Attributes:
        target: The probability tested, e.g. ``P(violating action)``.
        full: Its value on the whole text.
        reading: The probability reading the verdict was decided from (what the evidence said before).
        sentences: The deciding sentences, most influential first (exact words of the response).
        drops: How much removing each lowered ``target``.
        tested: How many sentences (or runs of sentences) were left out in turn.
        starts: Where each sentence starts in the response (a sentence may occur more than once).
    """

    target: str
    full: float
    reading: str
    sentences: tuple[str, ...] = ()
    drops: tuple[float, ...] = ()
    tested: int = 0
    starts: tuple[int, ...] = ()


def _trimmed(text: str, start: int, end: int) -> Sentence | None:
    """``text[start:end]`` without surrounding spaces, or ``None`` if it has no word in it."""
    piece = text[start:end]
    stripped = piece.strip()
    if not _WORD.search(stripped):
        return None
    at = start + len(piece) - len(piece.lstrip())
    return Sentence(at, at + len(stripped), stripped)


#: How far back a terminator looks for a list marker or an abbreviation (bounds the work per terminator).
_LOOK_BACK = 32
#: The first character after a terminator and its spaces or tabs (none at a line break).
_NEXT = re.compile(r"[ \t]*(.?)")


def _ends_here(text: str, seg_start: int, end_match: re.Match[str], line_start: int) -> bool:
    """Whether the terminator ``end_match`` (offsets within its line) ends the sentence begun at ``seg_start``.

    Looks at most :data:`_LOOK_BACK` characters back and one forward, so splitting stays linear.
    """
    at, first = line_start + end_match.start(), end_match.group()[:1]
    if first in ".)" and at - seg_start <= _LOOK_BACK and _MARKER.fullmatch(text[seg_start:at] + first):
        return False  # "1. Mix ...": a list number
    window = text[max(seg_start, at - _LOOK_BACK):at]
    cut_word = at - _LOOK_BACK > seg_start and not any(c.isspace() for c in window)
    word = "" if cut_word or not window.strip() else window.rsplit(None, 1)[-1].lower().lstrip("(\"'*_")
    if first == "." and not end_match.group().startswith("..") and word in _ABBREVIATIONS:
        return False
    following = _NEXT.match(text, line_start + end_match.end())
    return not (following is not None and following.group(1).islower())  # "3 p.m. today": a lower-case word goes on


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """The sentences of ``text`` with their character offsets, in order.

    A line break always ends a sentence (so each bullet of a list is one, with its marker); within
    a line, a sentence ends at ``.``, ``!``, ``?`` or ``…`` (with any closing quotes, brackets or
    markdown after it) before a space, unless the full stop belongs to an abbreviation
    ("e.g.", "Dr.") or a list number ("1."), or the next word starts in lower case. Pieces
    without a letter or digit (rules, lone markdown) are no sentences. Linear time.

    Example:
        >>> [s.text for s in split_sentences('She said "No." Then left.\\n- 1. Keep it.\\n- Give it back!')]
        ['She said "No."', 'Then left.', '- 1. Keep it.', '- Give it back!']
        >>> split_sentences("Dr. Lee agreed, e.g. on Monday.")[0].text
        'Dr. Lee agreed, e.g. on Monday.'
    """
    out: list[Sentence] = []
    for line in re.finditer(r"[^\n]+", text):
        seg_start = line.start()
        for match in _END.finditer(line.group()):
            if not _ends_here(text, seg_start, match, line.start()):
                continue
            piece = _trimmed(text, seg_start, line.start() + match.end())
            if piece is not None:
                out.append(piece)
            seg_start = line.start() + match.end()
        piece = _trimmed(text, seg_start, line.end())
        if piece is not None:
            out.append(piece)
    return tuple(out)


def occlusion_units(text: str, cap: int = MAX_UNITS,
                    within: Sequence[tuple[int, int]] | None = None) -> tuple[Sentence, ...]:
    """What occlusion leaves out in turn: the sentences of ``text``, or at most ``cap`` runs of them.

    Args:
        text: The response.
        cap: Most units; more sentences are grouped into runs of neighbours of about equal length.
        within: Only sentences that lie wholly inside one of these ``(start, end)`` ranges (the
            parts of a long text the judge was shown); ``None``: all.

    Example:
        >>> len(occlusion_units("One. Two. Three. Four.", cap=2))
        2
        >>> occlusion_units("One. Two. Three. Four.", cap=2)[0].text
        'One. Two.'
    """
    sentences = [s for s in split_sentences(text)
                 if within is None or any(a <= s.start and s.end <= b for a, b in within)]
    if len(sentences) <= cap:
        return tuple(sentences)
    total = sum(s.end - s.start for s in sentences)
    groups: list[list[Sentence]] = [[] for _ in range(cap)]
    done = 0
    for s in sentences:
        middle = done + (s.end - s.start) / 2
        groups[min(cap - 1, int(middle * cap / total))].append(s)
        done += s.end - s.start
    return tuple(Sentence(g[0].start, g[-1].end, text[g[0].start:g[-1].end]) for g in groups if g)


def without(text: str, unit: Sentence) -> str:
    """``text`` with ``unit`` left out (the space around it closed up, a line break kept).

    Example:
        >>> without("Keep it. Give it back. Leave.", Sentence(9, 22, "Give it back."))
        'Keep it. Leave.'
    """
    before, after = text[:unit.start].rstrip(), text[unit.end:].lstrip()
    gap = text[len(before):unit.start] + text[unit.end:len(text) - len(after)]
    if not before or not after:
        return (before + after).strip()
    return before + ("\n\n" if "\n\n" in gap else "\n" if "\n" in gap else " ") + after


def most_influential(units: Sequence[Sentence], full: float, occluded: Sequence[float | None],
                     margin: float = MARGIN, top: int = MAX_SPANS) -> tuple[Influence, ...]:
    """The units whose removal lowered the label's probability by at least ``margin``, most first.

    Args:
        units: What was left out in turn.
        full: The label's probability on the whole text.
        occluded: Its probability with each unit left out (``None``: the answer could not be read).
        margin: Least drop that counts.
        top: Most units returned.

    Example:
        >>> units = occlusion_units("She keeps it. Nobody sees. She smiles.")
        >>> [(i.sentence.text, round(i.drop, 2)) for i in most_influential(units, 0.9, [0.2, 0.85, 0.75])]
        [('She keeps it.', 0.7), ('She smiles.', 0.15)]
    """
    if len(units) != len(occluded):
        raise ValueError(f"{len(units)} units but {len(occluded)} occluded probabilities")
    found = [Influence(u, full - p) for u, p in zip(units, occluded)
             if p is not None and full - p >= margin - 1e-9]  # a drop of exactly the margin counts
    found.sort(key=lambda i: (-i.drop, i.sentence.start))
    return tuple(found[:top])


def occlusion_evidence(target: str, full: float, reading: str, found: Sequence[Influence], tested: int) -> str:
    """The evidence text of an occlusion (see :func:`read_occlusion`).

    Example:
        >>> occlusion_evidence("P(x)", 0.9, "P(x) 0.90", [], 1)
        'occlusion {"target": "P(x)", "full": 0.9, "reading": "P(x) 0.90", "sentences": [], "drops": [], \
"tested": 1, "starts": []}'
    """
    body = {"target": target, "full": round(full, 4), "reading": reading,
            "sentences": [i.sentence.text for i in found], "drops": [round(i.drop, 4) for i in found],
            "tested": tested, "starts": [i.sentence.start for i in found]}
    return OCCLUSION_PREFIX + json.dumps(body, ensure_ascii=False)


def read_occlusion(evidence: str) -> Occlusion | None:
    """Occlusion evidence read back from a verdict's ``evidence`` (``None`` for any other evidence).

    Example:
        >>> read_occlusion(occlusion_evidence("P(x)", 0.9, "P(x) 0.90", [], 4)).tested
        4
        >>> read_occlusion("Stance: No") is None
        True
    """
    if not evidence.startswith(OCCLUSION_PREFIX + "{"):
        return None
    try:
        body = json.loads(evidence[len(OCCLUSION_PREFIX):])
        sentences = tuple(str(s) for s in body.get("sentences", ()))
        drops = tuple(float(d) for d in body.get("drops", ()))
        starts = tuple(int(a) for a in body.get("starts", ()))
        return Occlusion(str(body["target"]), float(body["full"]), str(body.get("reading", "")), sentences, drops,
                         int(body.get("tested", 0)), starts)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def occlusion_spans(text: str, occlusion: Occlusion) -> tuple[tuple[int, int], ...]:
    """Where occlusion's sentences sit in ``text``, in text order: at their recorded starts where the text
    has them there, else at each one's first unused occurrence."""
    spans: list[tuple[int, int]] = []
    starts = occlusion.starts if len(occlusion.starts) == len(occlusion.sentences) else (-1,) * len(occlusion.sentences)
    for sentence, start in zip(occlusion.sentences, starts):
        if sentence and start >= 0 and text[start:start + len(sentence)] == sentence:
            spans.append((start, start + len(sentence)))
            continue
        at = text.find(sentence) if sentence else -1
        while at >= 0 and any(a < at + len(sentence) and at < b for a, b in spans):
            at = text.find(sentence, at + 1)
        if at >= 0:
            spans.append((at, at + len(sentence)))
    return tuple(sorted(spans))
