"""Model providers behind one interface: ``get_model("provider/model")``.

Specs name a provider and a model, as Inspect AI does:

- ``local/qwen2.5-1.5b`` (the default examinee) and ``local/smollm2-135m``: the
  embedded GGUF models, run in-process with llama.cpp;
- ``gguf/PATH``: any local GGUF file;
- ``openai/MODEL`` with an optional ``base_url``: OpenAI or any OpenAI-compatible
  endpoint (vLLM, Ollama, the llama.cpp server, hosted APIs);
- ``fake/NAME``: a scripted, deterministic model for tests.

Every provider subclasses :class:`ModelAPI` and implements one method,
``async generate(messages, config) -> ModelOutput``.

Example:
    >>> import asyncio
    >>> from valuecompass.models import GenerateConfig, get_model
    >>> model = get_model("fake/echo", replies=["Stance: No"])
    >>> asyncio.run(model.generate([{"role": "user", "content": "Hi?"}], GenerateConfig())).text
    'Stance: No'
"""

from valuecompass.models._embedded import EMBEDDED, EmbeddedModel, PreparedModel, embedded_status, prepare_embedded
from valuecompass.models._errors import MalformedResponseError, TransientModelError
from valuecompass.models._fake import FakeModel, echo_reply
from valuecompass.models._files import cache_dir, file_sha256
from valuecompass.models._registry import (
    PROVIDERS,
    KnownModel,
    check_model_options,
    ModelSpec,
    ProviderInfo,
    get_model,
    known_models,
    parse_spec,
)
from valuecompass.models._card import ModelCard, load_model_card
from valuecompass.models._scripted import find_item, keyed_answer, reading_judge, value_examinee
from valuecompass.models._retry import ErrorKind, RetryPolicy, classify, generate_with_retry, retry_call
from valuecompass.models._types import GenerateConfig, Message, ModelAPI, ModelOutput, TokenLogprob, Usage

#: The default examinee.
DEFAULT_MODEL = "local/qwen2.5-1.5b"

__all__ = [
    "DEFAULT_MODEL", "EMBEDDED", "PROVIDERS", "EmbeddedModel", "FakeModel", "check_model_options", "GenerateConfig", "KnownModel",
    "ErrorKind", "RetryPolicy", "classify", "generate_with_retry", "retry_call",
    "MalformedResponseError", "Message", "ModelAPI", "ModelCard", "load_model_card", "ModelOutput", "ModelSpec", "PreparedModel", "ProviderInfo",
    "TokenLogprob", "TransientModelError", "Usage", "cache_dir", "echo_reply", "embedded_status", "file_sha256",
    "get_model", "known_models", "parse_spec", "prepare_embedded", "find_item", "keyed_answer", "reading_judge",
    "value_examinee",
]
