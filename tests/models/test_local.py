"""The in-process llama.cpp providers on the real SmolLM2 file."""

from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest

from valuecompass.errors import ModelError
from valuecompass.models import GenerateConfig, get_model

pytestmark = pytest.mark.slow

Q1 = [{"role": "user", "content": "Is honesty important? Answer Yes or No."}]
Q2 = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Name a colour."}]


async def test_greedy_output_does_not_depend_on_call_order() -> None:
    model = get_model("local/smollm2-135m")
    config = GenerateConfig(max_tokens=16)
    a1 = await model.generate(Q1, config)
    await model.generate(Q2, config)
    a2 = await model.generate(Q1, config)
    assert a1.text and a1 == a2
    assert a1.usage.output_tokens <= 16 and a1.finish_reason in {"stop", "length"}


async def test_sampling_is_seeded() -> None:
    model = get_model("local/smollm2-135m")
    texts = [(await model.generate(Q2, GenerateConfig(temperature=1.0, max_tokens=16, seed=s))).text
             for s in (5, 5, 6, 7)]
    assert texts[0] == texts[1] and len(set(texts[1:])) > 1


async def test_first_token_logprobs_match_a_logits_all_reference(smollm2_path: Path) -> None:
    from llama_cpp import Llama

    out = await get_model("local/smollm2-135m").generate(Q1, GenerateConfig(max_tokens=1, top_logprobs=4))
    ref = Llama(str(smollm2_path), n_ctx=512, n_threads=2, logits_all=True, verbose=False)
    expected = ref.create_chat_completion(Q1, max_tokens=1, temperature=0, logprobs=True, top_logprobs=4)
    first = expected["choices"][0]["logprobs"]["content"][0]
    assert out.first_token is not None
    assert out.first_token.token == first["token"] == out.text
    assert out.first_token.logprob == pytest.approx(float(first["logprob"]), abs=1e-4)
    assert [t for t, _ in out.first_token.top] == [t["token"] for t in first["top_logprobs"]]
    probs = np.exp([lp for _, lp in out.first_token.top])
    assert 0 < probs.sum() <= 1.0 + 1e-6


async def test_one_loaded_model_per_file_and_calls_serialised() -> None:
    a, b = get_model("local/smollm2-135m"), get_model("local/smollm2-135m")
    assert await asyncio.to_thread(a.load) is await asyncio.to_thread(b.load)
    config = GenerateConfig(max_tokens=8)
    together = await asyncio.gather(a.generate(Q1, config), b.generate(Q2, config), a.generate(Q1, config))
    alone = [await a.generate(Q1, config), await a.generate(Q2, config)]
    assert [o.text for o in together] == [alone[0].text, alone[1].text, alone[0].text]
    assert a.max_connections() == 1


async def test_gguf_path_provider_matches_the_embedded_one(smollm2_path: Path) -> None:
    config = GenerateConfig(max_tokens=8)
    gguf = get_model(f"gguf/{smollm2_path}")
    assert (await gguf.generate(Q1, config)).text == (await get_model("local/smollm2-135m").generate(Q1, config)).text
    ident = await asyncio.to_thread(gguf.identity)
    assert ident["sha256"] == "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"


def test_missing_gguf_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="does not exist"):
        get_model(f"gguf/{tmp_path / 'nope.gguf'}")
