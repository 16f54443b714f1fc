"""Explaining a judge verdict by occlusion (``valuecompass judge RUN_ID --explain``).

A verdict on the ``judge`` path is read from the judge model's probability for a keyed
question (did the violating action happen? was the unsafe content given?), so it rests on no
particular words. :func:`explain_verdict` puts the same question again, through the same
``ask`` (the judge's own model call, with its retry policy and timeout), with one sentence of
the response left out at a time, and keeps as evidence the sentences whose removal most lowers
the probability that decided the label (:mod:`valuecompass.judge._occlusion`).

The probability tested is the one the label was decided from:

- ``opposes`` on a story: P(violating action); ``supports``: P(upholding action);
  ``unrelated``: P(neither action) = 1 - the larger of the two;
- ``opposes`` on a harmful request: P(unsafe content given); ``supports``: 1 - that.

Only the evidence changes: label, probabilities, rationale and raw answers stay as they were.
Cost: one extra judge call per sentence tested (at most :data:`MAX_UNITS`), two for an
``unrelated`` story verdict or a ``choice_both`` rubric, none when the full text's answer is reused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import NamedTuple

from valuecompass.items import ChoiceKey, RubricKey, SafetyKey
from valuecompass.judge._keyed import Asked, AskFn, KeyedSettings, Verdict, action_probs
from valuecompass.judge._occlusion import most_influential, occlusion_evidence, occlusion_units, without
from valuecompass.judge._quote import shown_ranges
from valuecompass.judge._types import JudgeRequest

#: ``probability(text)``: the deciding probability for ``text`` (``None`` if the answer is unreadable).
ProbabilityFn = Callable[[str], Awaitable[float | None]]


class Target(NamedTuple):
    """The probability a verdict's label was decided from, and how to read it for a text."""

    name: str
    probability: ProbabilityFn


def _rubric_target(key: RubricKey, label: str, ask: AskFn, settings: KeyedSettings) -> Target:
    if settings.rubric == "yesno" and label in ("supports", "opposes"):
        action = key.upholding if label == "supports" else key.violating

        async def one(text: str) -> float | None:
            return (await ask("action", text, {"action": action})).p("yes")

        return Target("P(upholding action)" if label == "supports" else "P(violating action)", one)

    async def both(text: str) -> float | None:
        p_up, p_vi, _ = await action_probs(key, text, ask, settings.rubric)
        if p_up is None or p_vi is None:
            return None
        return {"supports": p_up, "opposes": p_vi}.get(label, 1.0 - max(p_up, p_vi))

    name = {"supports": "P(upholding action)", "opposes": "P(violating action)"}.get(label, "P(neither action)")
    return Target(name, both)


def _safety_target(key: SafetyKey, label: str, ask: AskFn) -> Target:
    async def unsafe(text: str) -> float | None:
        p = (await ask("unsafe_content", text, {"content": key.unsafe_content})).p("yes")
        return None if p is None else (p if label == "opposes" else 1.0 - p)

    return Target("P(unsafe content given)" if label == "opposes" else "P(unsafe content not given)", unsafe)


def deciding_target(request: JudgeRequest, label: str, ask: AskFn, settings: KeyedSettings) -> Target | None:
    """The probability a judge-path verdict with ``label`` on ``request`` was decided from (``None``: no such).

    A forced-choice answer without a stated choice was judged as the story's two actions, so it is
    tested as those.
    """
    key = request.scoring_key
    if isinstance(key, ChoiceKey):
        key = RubricKey(upholding=key.upholding, violating=key.violating_action)
    if isinstance(key, RubricKey):
        return _rubric_target(key, label, ask, settings)
    if isinstance(key, SafetyKey) and not request.benign:
        return _safety_target(key, label, ask)
    return None


def remembering(ask: AskFn) -> AskFn:
    """``ask`` that answers a question it was asked before (same question, text and fields) from memory.

    The verdict's own questions on the whole text are then reused by :func:`explain_verdict`.
    """
    memory: dict[tuple[str, str, tuple[tuple[str, str], ...]], Asked] = {}

    async def ask_once(name: str, text: str, fields: dict[str, str]) -> Asked:
        key = (name, text, tuple(sorted(fields.items())))
        if key not in memory:
            memory[key] = await ask(name, text, fields)
        return memory[key]

    return ask_once


async def explain_verdict(request: JudgeRequest, verdict: Verdict, ask: AskFn, settings: KeyedSettings,
                          max_chars: int) -> Verdict:
    """``verdict`` with occlusion evidence, when it was read from a judge probability; else unchanged.

    Args:
        request: The request judged.
        verdict: Its keyed verdict.
        ask: The judge's question function (pass the one the verdict was reached with, wrapped by
            :func:`remembering`, so that the whole text's answers are reused).
        settings: The keyed settings the verdict was reached with.
        max_chars: The judge's longest quoted text: only the sentences the judge was shown are tested.

    Returns:
        The verdict with ``evidence`` replaced by :func:`~valuecompass.judge._occlusion.occlusion_evidence`
        (which keeps the original probability reading); label, probabilities and rationale unchanged.
    """
    if verdict.path != "judge" or verdict.label is None:
        return verdict
    target = deciding_target(request, verdict.label, ask, settings)
    if target is None:
        return verdict
    full = await target.probability(request.text)
    if full is None:
        return verdict
    units = occlusion_units(request.text, within=shown_ranges(request.text, max_chars))
    if len(units) < 2:  # one sentence: nothing can be left out and a question still asked
        return verdict._replace(evidence=occlusion_evidence(target.name, full, verdict.evidence, (), 0))
    # One question at a time, as the verdict's own: the judge's concurrency bounds whole verdicts.
    occluded = [await target.probability(without(request.text, u)) for u in units]
    found = most_influential(units, full, occluded)
    return verdict._replace(evidence=occlusion_evidence(target.name, full, verdict.evidence, found, len(units)))
