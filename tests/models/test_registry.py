"""The provider registry: spec parsing, lazy imports, option checks, missing SDKs."""

from __future__ import annotations

import dataclasses

import pytest

from valuecompass.errors import ModelError
from valuecompass.models import PROVIDERS, FakeModel, ModelAPI, get_model, known_models, parse_spec


def test_parse_spec_splits_at_first_slash() -> None:
    spec = parse_spec("gguf//models/dir/x.gguf")
    assert (spec.provider, spec.model) == ("gguf", "/models/dir/x.gguf")
    assert str(parse_spec("openai/gpt-4o-mini")) == "openai/gpt-4o-mini"


@pytest.mark.parametrize("bad", ["qwen", "local/", "/qwen", ""])
def test_malformed_spec_names_it_and_the_form(bad: str) -> None:
    with pytest.raises(ModelError) as info:
        parse_spec(bad)
    assert repr(bad) in info.value.message
    assert "local/qwen2.5-1.5b" in info.value.hint


def test_unknown_provider_lists_the_known_ones() -> None:
    with pytest.raises(ModelError) as info:
        get_model("hf/some-model")
    assert "'hf'" in info.value.message
    for name in PROVIDERS:
        assert name in info.value.hint


def test_unknown_option_lists_the_provider_options() -> None:
    with pytest.raises(ModelError) as info:
        get_model("fake/echo", temprature=0.5)
    assert "temprature" in info.value.message
    assert "delay_s" in info.value.hint and "replies" in info.value.hint


def test_missing_sdk_fails_with_the_pip_line(monkeypatch: pytest.MonkeyPatch) -> None:
    info = dataclasses.replace(PROVIDERS["openai"], requires=("no_such_sdk_for_valuecompass",),
                               install="pip install no-such-sdk==1.0")
    monkeypatch.setitem(PROVIDERS, "openai", info)
    with pytest.raises(ModelError) as err:
        get_model("openai/gpt-4o-mini")
    assert "no_such_sdk_for_valuecompass" in err.value.message
    assert err.value.hint == "pip install no-such-sdk==1.0"


def test_get_model_builds_the_provider_and_passes_instances_through() -> None:
    model = get_model("fake/scripted", replies=["a"], delay_s=0.0)
    assert isinstance(model, FakeModel) and model.spec == "fake/scripted"
    assert get_model(model) is model
    assert isinstance(model, ModelAPI)


def test_known_models_list_embedded_models_and_patterns() -> None:
    specs = {k.spec: k for k in known_models()}
    assert {"local/qwen2.5-1.5b", "local/smollm2-135m", "gguf/PATH", "openai/MODEL", "fake/echo"} <= set(specs)
    assert specs["fake/echo"].status == "ready"
    assert all(k.status in {"ready", "installed", "missing", "needs-config"} for k in specs.values())
    assert all(k.fix for k in specs.values() if k.status != "ready")


@pytest.mark.parametrize("var", ["VALUECOMPASS_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL"])
def test_openai_endpoint_is_ready_with_a_key_or_a_base_url(monkeypatch: pytest.MonkeyPatch, var: str) -> None:
    for name in ("VALUECOMPASS_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    assert {k.spec: k for k in known_models()}["openai/MODEL"].status == "needs-config"
    monkeypatch.setenv(var, "http://127.0.0.1:8080/v1" if var == "OPENAI_BASE_URL" else "sk-test")
    assert {k.spec: k for k in known_models()}["openai/MODEL"].status == "ready"
