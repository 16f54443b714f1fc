"""In-process llama.cpp: one loaded ``Llama`` per file and settings, and blocking chat calls.

llama.cpp contexts are not thread-safe, so every call on an instance holds that
instance's lock. First-token log-probabilities are read by a logits processor
that sees the full next-token distribution before sampling: this gives the same
numbers as ``Llama(logits_all=True)`` without keeping ``n_ctx x vocab`` floats
(1.2 GB for Qwen2.5 at ``n_ctx=2048``) or computing the output layer for every
prompt token.

llama.cpp's CPU backend synchronises its threads with OpenMP barriers. When
other processes compete for the cores (a llama.cpp server next to an
in-process model, two evaluations at once), spinning waiters collapse
throughput by 10-100x on a 2-core machine; passive waiting does not. So unless
the user chose otherwise, ``OMP_WAIT_POLICY=PASSIVE`` is set before llama.cpp
is first imported (measured in ``bench/bench_local_tokens.py``).
"""

from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from valuecompass.errors import ModelError
from valuecompass.models._types import GenerateConfig, Message, ModelOutput, TokenLogprob, Usage

log = logging.getLogger(__name__)

#: Set before llama.cpp (and its OpenMP runtime) is first loaded; a user's own setting wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

#: llama-cpp-python's sampler defaults, recorded with results (temperature > 0 uses them).
SAMPLER_DEFAULTS: dict[str, float] = {"top_p": 0.95, "top_k": 40, "min_p": 0.05, "repeat_penalty": 1.0}


@dataclass(frozen=True)
class LoadKey:
    """What makes two loads the same instance: file and context settings."""

    path: str
    n_ctx: int
    n_threads: int
    n_batch: int


@dataclass
class LoadedLlama:
    """A loaded model, the lock every call on it must hold, and the one thread that runs its calls.

    Running every call of a model on one dedicated thread keeps one OpenMP thread
    team per model (llama.cpp's CPU backend starts a team per calling thread).
    """

    llama: Any
    key: LoadKey
    lock: threading.Lock = field(default_factory=threading.Lock)
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="llama"))


_INSTANCES: dict[LoadKey, LoadedLlama] = {}
_GUARD = threading.Lock()


def load_llama(key: LoadKey) -> LoadedLlama:
    """Return the process-wide instance for ``key``, loading it on first use.

    Raises:
        ModelError: if llama.cpp cannot load the file.
    """
    with _GUARD:
        loaded = _INSTANCES.get(key)
        if loaded is not None:
            return loaded
        from llama_cpp import Llama

        log.info("loading %s (n_ctx=%d, n_threads=%d)", key.path, key.n_ctx, key.n_threads)
        try:
            llama = Llama(model_path=key.path, n_ctx=key.n_ctx, n_threads=key.n_threads,
                          n_threads_batch=key.n_threads, n_batch=key.n_batch, verbose=False)
        except (ValueError, RuntimeError, OSError) as exc:
            raise ModelError(f"llama.cpp cannot load {key.path}: {exc}",
                             hint="check that the file is a GGUF model llama.cpp supports") from exc
        loaded = _INSTANCES[key] = LoadedLlama(llama, key)
        return loaded


class FirstTokenCapture:
    """A logits processor that keeps the first step's logits and the token then chosen."""

    def __init__(self) -> None:
        self.logits: np.ndarray | None = None
        self.prompt_len = 0
        self.chosen: int | None = None

    def __call__(self, input_ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
        if self.logits is None:
            self.logits = np.array(scores, dtype=np.float64)
            self.prompt_len = len(input_ids)
        elif self.chosen is None and len(input_ids) > self.prompt_len:
            self.chosen = int(input_ids[self.prompt_len])
        return scores


def _token_text(llama: Any, token: int) -> str:
    return llama.detokenize([token]).decode("utf-8", errors="replace")


def first_token_logprob(llama: Any, capture: FirstTokenCapture, text: str, k: int) -> TokenLogprob | None:
    """Turn captured logits into the first token's log-probability and its top ``k`` alternatives."""
    if capture.logits is None:
        return None
    logits = capture.logits
    logprobs = logits - np.logaddexp.reduce(logits)
    chosen = capture.chosen
    if chosen is None:  # one token generated: recover it from the text
        ids = llama.tokenize(text.encode("utf-8"), add_bos=False, special=True) if text else []
        chosen = int(ids[0]) if ids else int(np.argmax(logits))
    top_ids = np.argpartition(-logprobs, k - 1)[:k]
    top_ids = top_ids[np.argsort(-logprobs[top_ids], kind="stable")]
    top = tuple((_token_text(llama, int(t)), float(logprobs[t])) for t in top_ids)
    return TokenLogprob(token=_token_text(llama, chosen), logprob=float(logprobs[chosen]), top=top)


def chat(loaded: LoadedLlama, messages: list[Message], config: GenerateConfig, reuse_prefix: bool) -> ModelOutput:
    """One blocking chat completion on a loaded model, holding its lock.

    Args:
        loaded: The instance to use.
        messages: Chat messages.
        config: Generation settings; ``seed`` is set on every call so results do
            not depend on call order.
        reuse_prefix: Keep the KV cache of the previous prompt's common prefix
            (faster; off by default because a different prompt batching can change
            the last bits of the logits, and so, rarely, a greedy choice).
    """
    from llama_cpp import LogitsProcessorList

    capture = FirstTokenCapture() if config.top_logprobs > 0 else None
    with loaded.lock:
        llama = loaded.llama
        if not reuse_prefix:
            llama.reset()
        out = llama.create_chat_completion(
            messages=messages, temperature=config.temperature, max_tokens=config.max_tokens,
            seed=config.seed % 2**32, stop=list(config.stop), logits_processor=
            LogitsProcessorList([capture]) if capture else None, **SAMPLER_DEFAULTS)
        choice = out["choices"][0]
        text = choice["message"].get("content") or ""
        first = first_token_logprob(llama, capture, text, config.top_logprobs) if capture else None
    usage = out.get("usage") or {}
    return ModelOutput(text=text, finish_reason=choice.get("finish_reason") or "stop",
                       usage=Usage(input_tokens=usage.get("prompt_tokens", 0),
                                   output_tokens=usage.get("completion_tokens", 0)),
                       first_token=first, model=Path(loaded.key.path).name)
