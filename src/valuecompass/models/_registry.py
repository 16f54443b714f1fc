"""The lazy provider registry: ``provider/model`` specs to :class:`ModelAPI` instances.

A provider's module is imported only when a spec names it, so a missing SDK
(``llama_cpp``, ``openai``) fails only then, with the exact ``pip install`` line.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import typing
import os
from dataclasses import dataclass
from typing import Any

from pydantic import PydanticSchemaGenerationError, TypeAdapter, ValidationError

from valuecompass.errors import ModelError
from valuecompass.models._types import ModelAPI

#: pip line that installs the llama.cpp runtime with portable build flags.
LLAMA_INSTALL = "CMAKE_ARGS=\"-DGGML_NATIVE=OFF -DLLAVA_BUILD=OFF\" pip install 'llama-cpp-python[server]==0.3.36'"
OPENAI_INSTALL = "pip install openai"


@dataclass(frozen=True)
class ModelSpec:
    """A parsed model spec.

    Attributes:
        provider: The part before the first ``/`` (``local``, ``gguf``, ``openai``, ``fake``).
        model: The rest (a model name, or a file path for ``gguf``).
    """

    provider: str
    model: str

    def __str__(self) -> str:
        return f"{self.provider}/{self.model}"


@dataclass(frozen=True)
class ProviderInfo:
    """How to build one provider, imported only when used.

    Attributes:
        name: The provider prefix of specs.
        module: Module holding the provider class.
        cls: Name of the :class:`ModelAPI` subclass in that module.
        requires: Modules that must be importable.
        install: The pip line that installs them.
        description: One line for ``valuecompass models list``.
    """

    name: str
    module: str
    cls: str
    requires: tuple[str, ...]
    install: str
    description: str


PROVIDERS: dict[str, ProviderInfo] = {
    p.name: p
    for p in (
        ProviderInfo("local", "valuecompass.models._local", "LocalModel", ("llama_cpp",), LLAMA_INSTALL,
                     "embedded GGUF models run in-process with llama.cpp"),
        ProviderInfo("gguf", "valuecompass.models._local", "GgufModel", ("llama_cpp",), LLAMA_INSTALL,
                     "any local GGUF file, run in-process with llama.cpp (gguf/PATH)"),
        ProviderInfo("openai", "valuecompass.models._openai", "OpenAIModel", ("openai",), OPENAI_INSTALL,
                     "OpenAI or any OpenAI-compatible endpoint (--base-url: vLLM, Ollama, llama.cpp server)"),
        ProviderInfo("fake", "valuecompass.models._fake", "FakeModel", (), "",
                     "scripted, deterministic fake model for tests"),
    )
}


def parse_spec(spec: str) -> ModelSpec:
    """Split ``provider/model`` into its parts.

    Raises:
        ModelError: if the spec has no ``/``, an empty part, or an unknown provider.
    """
    provider, sep, model = spec.partition("/")
    if not sep or not provider or not model:
        raise ModelError(f"model spec {spec!r} is not of the form provider/model",
                         hint=f"use e.g. local/qwen2.5-1.5b, gguf/PATH.gguf or openai/MODEL; "
                              f"providers: {', '.join(PROVIDERS)}")
    if provider not in PROVIDERS:
        raise ModelError(f"unknown model provider {provider!r} in spec {spec!r}",
                         hint=f"use one of: {', '.join(PROVIDERS)}")
    return ModelSpec(provider, model)


def missing_requirement(provider: str) -> str | None:
    """Return the first module ``provider`` needs that is not installed, or ``None``."""
    for module in PROVIDERS[provider].requires:
        if importlib.util.find_spec(module) is None:
            return module
    return None


def provider_class(provider: str) -> type[ModelAPI]:
    """Import and return the class of ``provider``.

    Raises:
        ModelError: naming the missing package and the pip line that installs it.
    """
    info = PROVIDERS[provider]
    missing = missing_requirement(provider)
    if missing:
        raise ModelError(f"provider {provider!r} needs the Python package {missing!r}, which is not installed",
                         hint=info.install)
    return getattr(importlib.import_module(info.module), info.cls)


#: Options that must be positive, and options that must not be negative (whatever their provider).
_POSITIVE = frozenset({"max_connections", "n_ctx", "n_threads", "n_batch", "timeout_s"})
_NON_NEGATIVE = frozenset({"delay_s"})


def _check_options(cls: type[ModelAPI], spec: str, options: dict[str, Any]) -> None:
    params = inspect.signature(cls.__init__).parameters
    known = [n for n, p in params.items() if n not in ("self", "spec") and p.kind is p.KEYWORD_ONLY]
    unknown = sorted(set(options) - set(known))
    if unknown:
        raise ModelError(f"unknown option(s) {', '.join(unknown)} for model {spec!r}",
                         hint=f"options of this provider: {', '.join(known) or '(none)'}")
    hints = typing.get_type_hints(cls.__init__)
    for name, value in options.items():
        _check_value(spec, name, value, hints.get(name, Any))


def _check_value(spec: str, name: str, value: Any, annotation: Any) -> None:
    """One provider option against its annotation and range (the value itself is never echoed: it may be a key)."""
    try:
        adapter = TypeAdapter(annotation)
    except PydanticSchemaGenerationError:  # an option no schema describes (a test script): not checked here
        return
    try:
        checked = adapter.validate_python(value, strict=isinstance(value, (dict, list)))
    except ValidationError as exc:
        kind = getattr(annotation, "__name__", str(annotation).replace("typing.", ""))
        raise ModelError(f"model option {name!r} of {spec!r} must be {kind}, not {type(value).__name__}",
                         hint=f"e.g. -M {name}=... with a value of that type") from exc
    if name in _POSITIVE and isinstance(checked, (int, float)) and not checked > 0:
        raise ModelError(f"model option {name!r} of {spec!r} must be positive, got {checked}",
                         hint=f"give -M {name}=1 or more")
    if name in _NON_NEGATIVE and isinstance(checked, (int, float)) and checked < 0:
        raise ModelError(f"model option {name!r} of {spec!r} must not be negative, got {checked}",
                         hint=f"give -M {name}=0 or more")


def check_model_options(spec: str, options: dict[str, Any]) -> None:
    """Check a spec and its provider options without building the model (before a run opens its record).

    Raises:
        ModelError: for a malformed spec, an unknown provider or option, a missing SDK, or an option
            of the wrong type or out of range.
    """
    _check_options(provider_class(parse_spec(spec).provider), spec, options)


def get_model(spec: str | ModelAPI, **options: Any) -> ModelAPI:
    """Build the provider for a model spec.

    Args:
        spec: ``provider/model``, e.g. ``local/qwen2.5-1.5b``, ``gguf/models/x.gguf``,
            ``openai/gpt-4o-mini``, ``fake/echo``; a :class:`ModelAPI` is returned as is.
        **options: Provider options (e.g. ``base_url`` for ``openai``, ``n_ctx`` for
            ``local``); each provider's class documents its keyword-only options.

    Returns:
        A ready provider instance (weights load lazily on the first call).

    Raises:
        ModelError: for a malformed spec, an unknown provider or option, or a
            missing SDK (with the pip line that installs it).
    """
    if isinstance(spec, ModelAPI):
        return spec
    parsed = parse_spec(spec)
    cls = provider_class(parsed.provider)
    _check_options(cls, spec, options)
    return cls(str(parsed), **options)


@dataclass(frozen=True)
class KnownModel:
    """A model spec this installation knows, and whether it can run here.

    Attributes:
        spec: The spec (a pattern such as ``gguf/PATH`` for open-ended providers).
        description: What it is.
        status: ``ready`` (verified), ``installed`` (not yet joined/verified),
            ``missing`` (packages not installed) or ``needs-config``.
        fix: What to do when it is not ready.
    """

    spec: str
    description: str
    status: str
    fix: str = ""


def known_models() -> list[KnownModel]:
    """List the embedded models and the provider patterns, with their status (cheap: no hashing)."""
    from valuecompass.models._embedded import EMBEDDED, embedded_status

    out: list[KnownModel] = []
    runtime_missing = missing_requirement("local")
    for model in EMBEDDED.values():
        status = embedded_status(model.name)
        fix = {"missing": model.install, "installed": "valuecompass models prepare"}.get(status, "")
        if runtime_missing:
            status, fix = "missing", LLAMA_INSTALL
        out.append(KnownModel(f"local/{model.name}", f"{model.title} (embedded)", status, fix))
    out.append(KnownModel("gguf/PATH", PROVIDERS["gguf"].description,
                          "missing" if runtime_missing else "ready", LLAMA_INSTALL if runtime_missing else ""))
    # A key, or a base URL (a local server needs no key): the order OpenAIModel reads them in.
    configured = any(os.environ.get(v) for v in ("VALUECOMPASS_API_KEY", "OPENAI_API_KEY", "OPENAI_BASE_URL"))
    openai_status = "missing" if missing_requirement("openai") else ("ready" if configured else "needs-config")
    out.append(KnownModel("openai/MODEL", PROVIDERS["openai"].description, openai_status,
                          {"missing": OPENAI_INSTALL, "needs-config": "set VALUECOMPASS_API_KEY or give --base-url"}
                          .get(openai_status, "")))
    out.append(KnownModel("fake/echo", PROVIDERS["fake"].description, "ready"))
    return out
