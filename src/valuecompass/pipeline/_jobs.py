"""Content-addressed jobs: one model call each, keyed by a hash of everything that shapes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from valuecompass._hashing import content_hash
from valuecompass.items import ANSWER_TOKENS, Item
from valuecompass.models import GenerateConfig, Message, parse_spec

#: Settings that do not change what a model answers, left out of job keys.
NON_SEMANTIC_SETTINGS = frozenset({"timeout_s"})


@dataclass(frozen=True)
class Job:
    """One model call of a run.

    Attributes:
        key: Content hash of (provider, model, model identity, messages, settings, sample index).
        position: Order within the run.
        item_id: The item administered.
        item_hash: Content hash of the item snapshot.
        sample_index: Which sample of the item (0-based).
        messages: The chat messages to send.
        config: The settings of this call (the sample's own seed included).
    """

    key: str
    position: int
    item_id: str
    item_hash: str
    sample_index: int
    messages: list[Message]
    config: GenerateConfig


def semantic_settings(config: GenerateConfig) -> dict[str, Any]:
    """The settings that shape an answer (everything but timeouts), as JSON data."""
    return config.model_dump(mode="json", exclude=set(NON_SEMANTIC_SETTINGS))


def item_config(item: Item, config: GenerateConfig, format_tokens: bool) -> GenerateConfig:
    """The settings an answer to ``item`` is generated with.

    With ``format_tokens`` the answer may use at most its format's budget
    (:data:`valuecompass.items.ANSWER_TOKENS`), and ``config.max_tokens`` caps it further;
    without, every answer gets ``config.max_tokens``.
    """
    if not format_tokens:
        return config
    budget = min(config.max_tokens, ANSWER_TOKENS.get(item.format, config.max_tokens))
    return config if budget == config.max_tokens else config.model_copy(update={"max_tokens": budget})


def sample_config(config: GenerateConfig, sample_index: int) -> GenerateConfig:
    """Settings of sample ``sample_index``: the base seed plus the sample index.

    Each sample of an item gets its own seed, so samples differ when the
    temperature is above zero and every one is reproducible on its own.
    """
    return config if sample_index == 0 else config.model_copy(update={"seed": config.seed + sample_index})


def job_key(model_spec: str, identity: dict[str, Any], messages: list[Message], config: GenerateConfig,
            sample_index: int) -> str:
    """The content address (32 hex digits) of one call.

    Args:
        model_spec: ``provider/model``.
        identity: What pins the model (``ModelAPI.identity()``: weights hash, endpoint).
        messages: The chat messages.
        config: The call's settings (timeouts are ignored).
        sample_index: Which sample.
    """
    spec = parse_spec(model_spec)
    return content_hash({
        "provider": spec.provider, "model": spec.model, "identity": identity, "messages": messages,
        "settings": semantic_settings(config), "sample": sample_index,
    }, 32)

