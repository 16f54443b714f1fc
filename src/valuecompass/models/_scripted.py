"""Scripted examinees with known values, and a judge that reads literally: for logic tests of scoring.

:func:`value_examinee` answers seed items as a model with a known probability of
conforming on each dimension would: it finds the item in the prompt, and answers in
the item's format with the key's value-expressing stance, the upholding option or
action, a refusal, or the opposite. With ``acquiescent=True`` it says "Yes" to every
stance question whatever the key (what the embedded 1.5B model does under a value
persona). :func:`reading_judge` answers keyed judge questions literally: an action or
content "happens" when its words are in the quoted text, and a text "refuses" when it
opens with "I'm sorry". Together they give a measurement whose true values are known.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

from valuecompass._hashing import content_hash
from valuecompass.items import ChoiceKey, Item, RubricKey, SafetyKey, StanceKey, load_seed_bank
from valuecompass.models._fake import FakeModel, ReplyFn
from valuecompass.models._types import GenerateConfig, Message

#: What the scripted examinee says when it declines.
REFUSAL = "I'm sorry, but I can't help with that."


@functools.lru_cache(maxsize=1)
def _items_by_text() -> dict[str, Item]:
    return {i.text: i for i in load_seed_bank()}


def find_item(prompt: str) -> Item | None:
    """The seed item whose text is in ``prompt`` (``None`` if none is)."""
    for text, item in _items_by_text().items():
        if text in prompt:
            return item
    return None


def _draw(p: float, *parts: object) -> bool:
    """A deterministic draw with probability ``p`` from the call's content."""
    return int(content_hash(list(map(str, parts)), 8), 16) / 16 ** 8 < p


def keyed_answer(item: Item, conform: bool, acquiescent: bool = False) -> str:
    """An answer to ``item`` that conforms to its dimension (or not), in the item's format."""
    key = item.key
    if isinstance(key, StanceKey):
        stance = "yes" if acquiescent else (key.expresses if conform else ("no" if key.expresses == "yes" else "yes"))
        return f"Stance: {stance.capitalize()}\nKey points: that is my view of the situation."
    if isinstance(key, ChoiceKey):
        choice = ("B" if key.violating == "A" else "A") if conform else key.violating
        action = key.upholding if conform else key.violating_action
        return f"Choice: {choice}\nStory: {action}."
    if isinstance(key, RubricKey):
        return (key.upholding if conform else key.violating) + "."
    if isinstance(key, SafetyKey):
        if item.is_benign:
            return REFUSAL if not conform else "Here is a careful, general answer to your question."
        return REFUSAL if conform else f"Sure. Here it is: {key.unsafe_content}."
    return "No answer."


def _instructed(prompt: str) -> str | None:
    """The answer an explicit instruction in ``prompt`` asks for (a known-group construction), if any."""
    for pattern in (_ANSWER_STANCE, _DOES_CHOICE):
        match = pattern.search(prompt)
        if match:
            return f"{'Stance' if pattern is _ANSWER_STANCE else 'Choice'}: {match.group(1)}\nKey points: as asked."
    match = _MUST_HAPPEN.search(prompt)
    if match:
        return match.group(1).strip().rstrip(".") + "."
    if prompt.startswith("Decline the following request"):
        return REFUSAL
    return None


_SCALE = re.compile(r"Answer with one number from (-?\d+) to (-?\d+)")
_ANSWER_STANCE = re.compile(r"^Answer (Yes|No)\. Reply in this form", re.MULTILINE)
_DOES_CHOICE = re.compile(r"The main character does ([AB])\. Reply in this form")
_MUST_HAPPEN = re.compile(r"(?:this must happen|The completion must show this): (?:the assistant )?(.+?)\.\s*(?:\n|Reply)",
                          re.DOTALL)


def _persona(system: str) -> float | None:
    if system.startswith("Your highest priority is"):
        return 1.0
    if system.startswith("You do not care about"):
        return 0.0
    return None


def value_examinee(values: Mapping[str, float], *, acquiescent: bool = False, steerable: bool = True,
                   default: float = 0.5, spec: str = "fake/values") -> FakeModel:
    """A scripted examinee that conforms on dimension ``d`` with probability ``values[d]``.

    For benign safety requests "conforming" means answering (not over-refusing). Draws
    are deterministic functions of the prompt, the seed and the spec. It follows an
    explicit instruction to write a given stance, choice, action or refusal (the
    known-groups check). A ``steerable`` examinee conforms always under a system prompt
    that promotes the value and never under one that opposes it.

    Args:
        values: Probability of conforming per dimension id.
        acquiescent: Say "Yes" to every stance question whatever the key, and "No" to every one
            under a persona that opposes the value (as the embedded 1.5B model does).
        steerable: Follow value personas (see above).
        default: Probability for dimensions not in ``values``.
        spec: The model's spec.
    """

    def reply(messages: list[Message], config: GenerateConfig) -> str:
        prompt = messages[-1]["content"] if messages else ""
        system = messages[0]["content"] if len(messages) > 1 and messages[0]["role"] == "system" else ""
        instructed = _instructed(prompt)
        if instructed is not None:
            return instructed
        scale = _SCALE.search(prompt)
        if scale:  # a questionnaire item: the low end of the scale, whatever it asks
            return scale.group(1)
        item = find_item(prompt)
        if item is None:
            return "Stance: Yes\nKey points: no item found."
        pushed = _persona(system) if steerable else None
        if acquiescent and isinstance(item.key, StanceKey):
            stance = "No" if _persona(system) == 0.0 else "Yes"
            return f"Stance: {stance}\nKey points: that is my view of the situation."
        p = pushed if pushed is not None else values.get(item.dimension, default)
        conform = _draw(p, spec, prompt, config.seed, system)
        return keyed_answer(item, conform)

    return FakeModel(spec, replies=reply)


def _quoted(prompt: str) -> str:
    """The text a judge prompt quotes: between its first and last marker lines (``<<<...>>>``)."""
    lines = prompt.split("\n")
    marks = [n for n, line in enumerate(lines) if line.startswith("<<<") and line.endswith(">>>")]
    if len(marks) >= 2:
        return "\n".join(lines[marks[0] + 1: marks[-1]])
    return prompt


def _reading_reply(messages: list[Message], config: GenerateConfig) -> str:
    prompt = messages[-1]["content"] if messages else ""
    quoted = _quoted(prompt).strip()
    question = prompt[prompt.rfind("\n") + 1:] if "\n" in prompt else prompt
    if 'does the following happen: "' in question:
        action = question.split('does the following happen: "', 1)[1].rsplit('"?', 1)[0]
        return "Yes" if action.lower() in quoted.lower() else "No"
    if question.startswith("Does this") and " give " in question:
        content = question.split(" give ", 1)[1].split("? Answer", 1)[0]
        return "Yes" if content.lower() in quoted.lower() else "No"
    if "key points argue" in prompt:
        return "Unclear"
    return "Neutral"


def reading_judge(spec: str = "fake/reader") -> FakeModel:
    """A scripted judge that answers keyed questions by literal reading (see the module docstring)."""
    fn: ReplyFn = _reading_reply
    return FakeModel(spec, replies=fn)
