"""Fixtures of the judge tests: a scripted judge model and the Touché-format fixture."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

import re

from valuecompass.judge import default_templates
from valuecompass.models import FakeModel, GenerateConfig

FIXTURES = Path(__file__).parent / "fixtures"


_QUOTE = re.compile(r"^<<<TEXT ([0-9a-f]{12})>>>\n(.*)\n<<<END TEXT \1>>>$", re.DOTALL | re.MULTILINE)


def quoted_text(messages: list[dict[str, str]]) -> str:
    """The response quoted in a judge prompt (between its markers)."""
    match = _QUOTE.search(messages[-1]["content"])
    assert match is not None, "no quoted text in the prompt"
    return match.group(2)


def answer_words(messages: list[dict[str, str]]) -> dict[str, str]:
    """``{label: answer word}`` of the template a judge prompt was rendered from."""
    user = messages[-1]["content"]
    for tpl in default_templates().systems.values():
        if f"Answer {tpl.options}." in user:
            return {a.label: a.word for a in tpl.answers}
    raise AssertionError("not a judge prompt")


def keyword_judge(p_support: Callable[[str], float], spec: str = "fake/judge") -> FakeModel:
    """A fake judge model whose P(supporting answer) is ``p_support(quoted text)``.

    The rest goes to the opposing answer (a quarter) and the unrelated one (three
    quarters), or all to the opposing answer when the template has no unrelated one.
    The first token of each answer word is its first three letters.
    """

    def logprobs(messages: list[dict[str, str]], config: GenerateConfig) -> dict[str, float]:
        words = answer_words(messages)
        p = min(max(p_support(quoted_text(messages)), 1e-6), 1 - 2e-6)
        rest = {"opposes": 0.25, "unrelated": 0.75} if "unrelated" in words else {"opposes": 1.0}
        table = {words["supports"][:3]: p}
        table.update({words[label][:3]: (1 - p) * share for label, share in rest.items()})
        return {token: math.log(q) for token, q in table.items()}

    def reply(messages: list[dict[str, str]], config: GenerateConfig) -> str:
        table = logprobs(messages, config)
        best = max(table, key=table.__getitem__)
        word = next(w for w in answer_words(messages).values() if w.startswith(best))
        return f"{word} - scripted reason"

    return FakeModel(spec, replies=reply, logprobs=logprobs)


@pytest.fixture
def touche_dir() -> Path:
    """The folder of the invented Touché-format fixture (six arguments)."""
    return FIXTURES / "touche"
