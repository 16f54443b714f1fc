"""``--explain``: occlusion evidence for judge-path verdicts, through the judge's own model calls; labels unchanged."""

from __future__ import annotations

import asyncio

import pytest

from valuecompass.items import Item, load_seed_bank
from valuecompass.judge import Judge, JudgeRequest, JudgeSettings, Judgment, evidence_spans, read_occlusion
from valuecompass.models import FakeModel, GenerateConfig, Message, RetryPolicy, TransientModelError, reading_judge

from tests.judge.conftest import quoted_text


def item(fmt: str, benign: bool = False) -> Item:
    return next(i for i in load_seed_bank() if i.format == fmt and i.key is not None and i.is_benign == benign)


def reader() -> FakeModel:
    """A literal-reading judge model that also answers the A/B/neither question (option words in the text)."""
    literal = reading_judge("fake/reader")

    def reply(messages: list[Message], config: GenerateConfig) -> str:
        prompt = messages[-1]["content"]
        if "\nA: " not in prompt:
            return literal._replies(messages, config)  # type: ignore[misc,operator]
        text = quoted_text(messages).lower()
        first = prompt.split("\nA: ", 1)[1].split("\n", 1)[0].lower()
        second = prompt.split("\nB: ", 1)[1].split("\n", 1)[0].lower()
        return "A" if first in text else "B" if second in text else "C"

    return FakeModel("fake/reader", replies=reply)


def judge_both(text: str, it: Item, **settings: object) -> tuple[Judgment, Judgment, FakeModel, FakeModel]:
    """The same request judged without and with ``explain``, each by its own literal-reading judge model."""
    plain_model, explain_model = reader(), reader()
    request = JudgeRequest.for_item(it, text, key="k")
    plain = asyncio.run(Judge(plain_model, settings=JudgeSettings(**settings)).judge(request))
    explained = asyncio.run(Judge(explain_model, settings=JudgeSettings(explain=True, **settings)).judge(request))
    return plain, explained, plain_model, explain_model


def unchanged(a: Judgment, b: Judgment) -> bool:
    """The same judgment but for its wall time."""
    return a.model_copy(update={"seconds": 0.0}) == b.model_copy(update={"seconds": 0.0})


def same_verdict(a: Judgment, b: Judgment) -> None:
    assert (a.label, a.probabilities, a.rationale, a.path, a.flags, a.raw_output, a.status) == \
        (b.label, b.probabilities, b.rationale, b.path, b.flags, b.raw_output, b.status)


def test_explain_highlights_the_sentence_that_decided_a_story_and_keeps_the_label() -> None:
    story = item("story_opening")
    deciding = story.key.violating + "."
    text = f"The rain gets heavier.\n\n{deciding} She does not look back. Dinner is warm."
    plain, explained, plain_model, explain_model = judge_both(text, story)
    same_verdict(plain, explained)
    assert explained.label == "opposes" and explained.path == "judge"
    assert plain.evidence == "P(upholding action) 0.00, P(violating action) 1.00" and not evidence_spans(text,
                                                                                                       plain.evidence)
    occlusion = read_occlusion(explained.evidence)
    assert occlusion is not None and occlusion.reading == plain.evidence  # the probability reading is kept
    assert occlusion.target == "P(violating action)" and occlusion.full == 1.0 and occlusion.tested == 4
    assert [text[a:b] for a, b in evidence_spans(text, explained.evidence)] == [deciding]
    # the verdict's two questions, then the violating one again per sentence left out (the full text's is reused)
    assert len(plain_model.calls) == 2 and len(explain_model.calls) == 2 + 4
    assert all(c[1] == plain_model.calls[0][1] for c in explain_model.calls)  # same call settings
    occluded = [quoted_text(c[0]) for c in explain_model.calls[2:]]
    assert [deciding in q for q in occluded] == [True, False, True, True]  # each sentence left out in turn
    assert occluded[0] == f"{deciding} She does not look back. Dinner is warm."


def test_an_upholding_story_tests_the_upholding_action_and_an_unrelated_one_both() -> None:
    story = item("story_opening")
    text = f"It is late. {story.key.upholding}. She smiles."
    plain, explained, _, model = judge_both(text, story)
    same_verdict(plain, explained)
    assert explained.label == "supports" and read_occlusion(explained.evidence).target == "P(upholding action)"
    assert [text[a:b] for a, b in evidence_spans(text, explained.evidence)] == [story.key.upholding + "."]
    assert len(model.calls) == 2 + 3
    plain, explained, _, model = judge_both("It is late. She thinks about her homework.", story)
    same_verdict(plain, explained)
    occlusion = read_occlusion(explained.evidence)
    assert explained.label == "unrelated" and occlusion.target == "P(neither action)"
    assert occlusion.sentences == () and occlusion.tested == 2 and len(model.calls) == 2 + 2 * 2


@pytest.mark.parametrize("rubric", ["choice", "choice_both"])
def test_other_rubric_forms_are_explained_with_their_own_question(rubric: str) -> None:
    story = item("story_opening")
    text = f"The rain gets heavier. {story.key.violating}. Dinner is warm."
    plain, explained, plain_model, model = judge_both(text, story, rubric=rubric)
    same_verdict(plain, explained)
    assert explained.label == "opposes" and read_occlusion(explained.evidence) is not None
    assert [text[a:b] for a, b in evidence_spans(text, explained.evidence)] == [story.key.violating + "."]
    assert len(model.calls) == len(plain_model.calls) * 4  # the full text's answers, then each of 3 sentences


def test_a_harmful_answer_is_explained_by_the_unsafe_content_and_keyed_verdicts_are_left_alone() -> None:
    harmful = item("safety_request")
    content = harmful.key.unsafe_content
    text = f"Well, this is not kind. Still: {content}. Please think twice."
    plain, explained, _, model = judge_both(text, harmful)
    same_verdict(plain, explained)
    occlusion = read_occlusion(explained.evidence)
    assert explained.label == "opposes" and occlusion.target == "P(unsafe content given)"
    assert [text[a:b] for a, b in evidence_spans(text, explained.evidence)] == [f"Still: {content}."]
    assert len(model.calls) == 1 + 3
    stance = item("stance_question")
    plain, explained, _, model = judge_both("Stance: No\nKey points: it is her life.", stance)
    assert unchanged(explained, plain) and not model.calls  # decided by the key: nothing to explain, no call
    refusal = "I'm sorry, but I can't help with that."
    plain, explained, _, model = judge_both(refusal, harmful)
    assert unchanged(explained, plain) and explained.path == "rule" and not model.calls


def test_a_one_sentence_answer_says_so_and_costs_nothing() -> None:
    story = item("story_opening")
    plain, explained, plain_model, model = judge_both(story.key.violating + ".", story)
    same_verdict(plain, explained)
    occlusion = read_occlusion(explained.evidence)
    assert occlusion is not None and occlusion.tested == 0 and occlusion.sentences == ()
    assert len(model.calls) == len(plain_model.calls) == 2


def test_explain_calls_go_through_the_judges_retry_policy_and_settings_record_it() -> None:
    story = item("story_opening")
    text = f"It rains. {story.key.violating}. She is home."
    inner = reader()
    failures = iter([True, False] * 2)  # the first occluded call fails once, then all succeed

    def flaky(messages: list[Message], config: GenerateConfig) -> str:
        reply = inner._replies(messages, config)  # type: ignore[misc,operator]
        if len(model.calls) > 2 and next(failures, False):
            raise TransientModelError("429 too many requests")
        return reply

    model = FakeModel("fake/reader", replies=flaky)
    judge = Judge(model, settings=JudgeSettings(explain=True), retry=RetryPolicy(base_delay_s=0.001, max_delay_s=0.01))
    judgment = asyncio.run(judge.judge(JudgeRequest.for_item(story, text)))
    assert judgment.label == "opposes" and judge.retries >= 1
    assert [text[a:b] for a, b in evidence_spans(text, judgment.evidence)] == [story.key.violating + "."]
    assert judge.identity().settings["explain"] is True
    assert "explain" not in Judge(model).identity().settings  # records without the option stay as they were
    assert Judge(model).template_hash == judge.template_hash  # the same judge: labels do not depend on it
