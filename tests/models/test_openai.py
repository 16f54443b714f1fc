"""The OpenAI-compatible provider: key order, error mapping, and real HTTP servers on loopback."""

from __future__ import annotations

import email.utils
import time

import openai
import pytest

from valuecompass.errors import ModelError
from valuecompass.models import GenerateConfig, MalformedResponseError, get_model
from valuecompass.models._openai import (
    _PROXY_ENV_VARS,
    NO_KEY,
    choose_http_backend,
    parse_retry_after,
    resolve_api_key,
)

MSG = [{"role": "user", "content": "Is it right to break a promise to help a stranger? Answer Yes or No."}]


@pytest.fixture(params=["aiohttp", "httpx"])
def backend(request: pytest.FixtureRequest) -> str:
    """Both HTTP transports the provider can use."""
    return request.param


@pytest.fixture
def no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("VALUECOMPASS_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)


def test_key_order_option_then_valuecompass_then_openai(no_keys: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "openai-key")
    assert resolve_api_key(None, None) == "openai-key"
    monkeypatch.setenv("VALUECOMPASS_API_KEY", "vc-key")
    assert resolve_api_key(None, None) == "vc-key"
    assert resolve_api_key("option-key", None) == "option-key"


def test_local_server_needs_no_key_but_openai_does(no_keys: None) -> None:
    assert resolve_api_key(None, "http://127.0.0.1:1/v1") == NO_KEY
    with pytest.raises(ModelError) as info:
        get_model("openai/gpt-4o-mini")
    assert "VALUECOMPASS_API_KEY" in info.value.hint and "--base-url" in info.value.hint


def test_identity_names_the_endpoint_never_the_key(no_keys: None) -> None:
    model = get_model("openai/m", base_url="http://127.0.0.1:9/v1", api_key="secret-123")
    assert model.identity() == {"spec": "openai/m", "base_url": "http://127.0.0.1:9/v1"}
    assert "secret-123" not in repr(model.options)


def test_retry_after_header_forms() -> None:
    assert parse_retry_after({"retry-after": "3"}) == 3.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    date = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < parse_retry_after({"retry-after": date}) <= 30
    assert parse_retry_after({"retry-after": "soon"}) is None
    assert parse_retry_after({}) is None


async def test_real_429_is_retryable_with_its_retry_after(fault_server, backend: str) -> None:
    server = fault_server(fault_share=1.0, faults=("429",), retry_after="7")
    model = get_model("openai/loopback", base_url=server.base_url, http_backend=backend)
    with pytest.raises(openai.RateLimitError) as info:
        await model.generate(MSG, GenerateConfig())
    assert model.should_retry(info.value) and model.retry_after(info.value) == 7.0


async def test_real_500_and_broken_json_are_retryable(fault_server, backend: str) -> None:
    model_500 = get_model("openai/loopback", base_url=fault_server(fault_share=1.0, faults=("500",)).base_url,
                          http_backend=backend)
    with pytest.raises(openai.InternalServerError) as info:
        await model_500.generate(MSG, GenerateConfig())
    assert model_500.should_retry(info.value) and model_500.retry_after(info.value) is None
    model_bad = get_model("openai/loopback", base_url=fault_server(fault_share=1.0, faults=("badjson",)).base_url,
                          http_backend=backend)
    with pytest.raises(MalformedResponseError) as bad:
        await model_bad.generate(MSG, GenerateConfig())
    assert model_bad.should_retry(bad.value)


async def test_hung_connection_times_out_retryably(fault_server, backend: str) -> None:
    model = get_model("openai/loopback", base_url=fault_server(fault_share=1.0, faults=("hang",)).base_url,
                      http_backend=backend)
    with pytest.raises(openai.APITimeoutError) as info:
        await model.generate(MSG, GenerateConfig(timeout_s=0.3))
    assert model.should_retry(info.value)


async def test_client_errors_are_not_retried(fault_server, backend: str) -> None:
    server = fault_server()
    model = get_model("openai/loopback", base_url=server.base_url.replace("/v1", "/nowhere"), http_backend=backend)
    with pytest.raises(openai.NotFoundError) as info:
        await model.generate(MSG, GenerateConfig())
    assert not model.should_retry(info.value)


async def test_good_answer_is_read_with_usage(fault_server, backend: str) -> None:
    server = fault_server()
    out = await get_model("openai/loopback", base_url=server.base_url, http_backend=backend).generate(MSG, GenerateConfig())
    assert out.text.startswith("Stance: Yes") and out.finish_reason == "stop"
    assert out.usage.input_tokens == len(MSG[0]["content"].split()) and out.usage.output_tokens > 0
    assert out.model == "loopback" and out.first_token is None


async def test_a_closed_port_is_said_at_once_and_not_retried(backend: str) -> None:
    import time

    from tests._servers import free_port
    from valuecompass.errors import ModelError

    url = f"http://127.0.0.1:{free_port()}/v1"
    model = get_model("openai/loopback", base_url=url, http_backend=backend)
    start = time.monotonic()
    with pytest.raises(ModelError, match="connection refused") as info:
        await model.generate(MSG, GenerateConfig(timeout_s=5))
    assert time.monotonic() - start < 1.0 and url in str(info.value)
    assert not model.should_retry(info.value)
    with pytest.raises(ModelError, match="connection refused"):
        model.preflight()
    unknown = get_model("openai/x", base_url="http://no-such-host.invalid/v1", http_backend=backend)
    with pytest.raises(ModelError, match="unknown host 'no-such-host.invalid'"):
        unknown.preflight()


def test_backend_choice(no_keys: None, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in _PROXY_ENV_VARS:
        monkeypatch.delenv(var, raising=False)
    assert choose_http_backend() == "aiohttp" and choose_http_backend("httpx") == "httpx"
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    assert choose_http_backend() == "httpx", "the aiohttp transport would ignore the proxy"
    assert choose_http_backend("aiohttp") == "aiohttp"
    with pytest.raises(ModelError) as info:
        get_model("openai/m", base_url="http://127.0.0.1:9/v1", http_backend="curl")
    assert "aiohttp" in info.value.hint and "httpx" in info.value.hint


# -- a real llama.cpp server serving SmolLM2 -----------------------------------------


@pytest.mark.slow
async def test_llama_server_answers_deterministically_with_logprobs(llama_server) -> None:
    model = get_model("openai/smollm2", base_url=llama_server.base_url)
    config = GenerateConfig(max_tokens=12, top_logprobs=5, seed=3)
    first, second = [await model.generate(MSG, config) for _ in range(2)]
    assert first.text and first.text == second.text
    assert first.usage.input_tokens > 10 and 0 < first.usage.output_tokens <= 12
    assert first.first_token is not None and len(first.first_token.top) == 5
    assert first.text.startswith(first.first_token.token.strip()[:3])
    logprobs = [lp for _, lp in first.first_token.top]
    assert logprobs == sorted(logprobs, reverse=True) and all(lp <= 0 for lp in logprobs)


@pytest.mark.slow
async def test_llama_server_and_local_provider_agree_on_first_token(llama_server) -> None:
    """Two independent paths to the same numbers: server logits_all vs our logits-processor capture."""
    config = GenerateConfig(max_tokens=6, top_logprobs=5)
    served = await get_model("openai/smollm2", base_url=llama_server.base_url).generate(MSG, config)
    local = await get_model("local/smollm2-135m").generate(MSG, config)
    assert served.text == local.text
    assert served.first_token is not None and local.first_token is not None
    assert [t for t, _ in served.first_token.top] == [t for t, _ in local.first_token.top]
    for (_, a), (_, b) in zip(served.first_token.top, local.first_token.top, strict=True):
        assert a == pytest.approx(b, abs=1e-3)


@pytest.mark.slow
async def test_llama_server_sampling_is_seeded(llama_server) -> None:
    model = get_model("openai/smollm2", base_url=llama_server.base_url)
    texts = [(await model.generate(MSG, GenerateConfig(temperature=1.0, max_tokens=20, seed=s))).text
             for s in (11, 11, 12, 13)]
    assert texts[0] == texts[1]
    assert len(set(texts[1:])) > 1


def test_one_provider_works_across_event_loops_and_closes_each_client(fault_server, backend: str) -> None:
    import asyncio

    model = get_model("openai/loopback", base_url=fault_server().base_url, http_backend=backend)
    clients = []

    async def ask() -> str:
        clients.append(model._client())
        return (await model.generate(MSG, GenerateConfig())).text

    texts = [asyncio.run(ask()) for _ in range(3)]
    assert len(set(texts)) == 1 and texts[0].startswith("Stance:")
    assert len({id(c) for c in clients}) == 3, "one client per event loop"
    assert all(c.is_closed() for c in clients), "a loop's client is closed when the loop ends"
    assert not model._clients, "and forgotten, with its loop"


async def test_aclose_closes_the_running_loop_s_client(fault_server, backend: str) -> None:
    model = get_model("openai/loopback", base_url=fault_server().base_url, http_backend=backend)
    await model.generate(MSG, GenerateConfig())
    client = model._client()
    await model.aclose()
    assert client.is_closed() and not model._clients
    assert (await model.generate(MSG, GenerateConfig())).text.startswith("Stance:"), "a new client after aclose"
    await model.aclose()
