"""The scripted fake model."""

from __future__ import annotations

import math

import pytest

from valuecompass.errors import ModelError
from valuecompass.models import FakeModel, GenerateConfig, ModelOutput, TransientModelError, echo_reply

MSG = [{"role": "user", "content": "Should people obey rules they disagree with?"}]


async def test_list_replies_come_in_call_order_and_run_out_clearly() -> None:
    model = FakeModel(replies=["first", ModelOutput(text="second", finish_reason="length")])
    assert (await model.generate(MSG, GenerateConfig())).text == "first"
    second = await model.generate(MSG, GenerateConfig())
    assert (second.text, second.finish_reason) == ("second", "length")
    with pytest.raises(ModelError, match="ran out of scripted replies after 2 calls"):
        await model.generate(MSG, GenerateConfig())
    assert len(model.calls) == 3


async def test_scripted_exceptions_are_raised_and_transient_ones_retryable() -> None:
    err = TransientModelError("busy", retry_after=2.5)
    model = FakeModel(replies=[err, "ok"])
    with pytest.raises(TransientModelError) as info:
        await model.generate(MSG, GenerateConfig())
    assert model.should_retry(info.value) and model.retry_after(info.value) == 2.5
    assert not model.should_retry(ValueError("x"))
    assert (await model.generate(MSG, GenerateConfig())).text == "ok"


async def test_callable_script_sees_messages_and_config() -> None:
    model = FakeModel(replies=lambda messages, config: f"{len(messages)}:{config.seed}")
    assert (await model.generate(MSG, GenerateConfig(seed=7))).text == "1:7"


async def test_default_echo_is_deterministic_and_seeded_only_when_sampling() -> None:
    model = FakeModel()
    greedy = [await model.generate(MSG, GenerateConfig(seed=s)) for s in (1, 2)]
    assert greedy[0].text == greedy[1].text == echo_reply(MSG, GenerateConfig())
    hot = [await model.generate(MSG, GenerateConfig(temperature=1.0, seed=s)) for s in (1, 1, 2)]
    assert hot[0].text == hot[1].text != hot[2].text


async def test_max_tokens_truncates_words_and_reports_length() -> None:
    out = await FakeModel(replies=["one two three four"]).generate(MSG, GenerateConfig(max_tokens=2))
    assert (out.text, out.finish_reason, out.usage.output_tokens) == ("one two", "length", 2)
    assert out.usage.input_tokens == len(MSG[0]["content"].split())


async def test_first_token_logprobs_only_when_asked() -> None:
    table = {"Yes": math.log(0.7), "No": math.log(0.2), "Maybe": math.log(0.1)}
    model = FakeModel(replies=lambda m, c: "Yes, because", logprobs=table)
    assert (await model.generate(MSG, GenerateConfig())).first_token is None
    out = await model.generate(MSG, GenerateConfig(top_logprobs=2))
    assert out.first_token is not None
    assert out.first_token.token == "Yes,"  # first whitespace-separated word
    assert out.first_token.logprob == -math.inf  # not in the table
    assert [t for t, _ in out.first_token.top] == ["Yes", "No"]
    assert out.first_token.top[0][1] == pytest.approx(math.log(0.7))


async def test_logprob_function_and_identity() -> None:
    model = FakeModel("fake/judge", replies=lambda m, c: "No", logprobs=lambda m, c: {"No": -0.1, "Yes": -2.4})
    out = await model.generate(MSG, GenerateConfig(top_logprobs=5))
    assert out.first_token is not None and out.first_token.logprob == -0.1
    assert len(out.first_token.top) == 2
    assert model.identity() == {"spec": "fake/judge"}
    assert FakeModel(replies=["a"]).identity()["script"] != FakeModel(replies=["b"]).identity()["script"]
