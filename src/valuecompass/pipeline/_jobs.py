"""Content-addressed jobs: one model call each, keyed by a hash of everything that shapes it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from valuecompass._hashing import canonical_json, content_hash
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


def job_keys(model_spec: str, identity: dict[str, Any], messages: list[Message],
             configs: Sequence[GenerateConfig]) -> list[str]:
    """:func:`job_key` of samples ``0..len(configs)-1`` of one prompt, computed together.

    The same keys as :func:`job_key` (a test checks it), built from the canonical
    JSON of the shared parts serialised once: planning a run of thousands of
    calls is a few milliseconds instead of tens.
    """
    spec = parse_spec(model_spec)
    head = (f'{{"identity":{canonical_json(identity)},"messages":{canonical_json(messages)},'
            f'"model":{canonical_json(spec.model)},"provider":{canonical_json(spec.provider)},"sample":')
    return [hashlib.sha256(f'{head}{k},"settings":{canonical_json(semantic_settings(config))}}}'.encode()).hexdigest()[:32]
            for k, config in enumerate(configs)]
