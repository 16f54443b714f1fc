"""A scripted, deterministic fake model for unit tests (``fake/NAME``)."""

from __future__ import annotations

import asyncio
import math
import threading
from collections.abc import Callable, Mapping, Sequence

from valuecompass._hashing import content_hash
from valuecompass.errors import ModelError
from valuecompass.models._errors import TransientModelError
from valuecompass.models._types import GenerateConfig, Message, ModelAPI, ModelOutput, TokenLogprob, Usage

#: One scripted reply: text, a full output, or an exception to raise.
Reply = str | ModelOutput | BaseException
#: A script as a function of the call.
ReplyFn = Callable[[list[Message], GenerateConfig], Reply]
#: First-token log-probabilities: a fixed table or a function of the call.
LogprobTable = Mapping[str, float] | Callable[[list[Message], GenerateConfig], Mapping[str, float]]


def echo_reply(messages: list[Message], config: GenerateConfig) -> str:
    """The default script: a deterministic reply derived from the messages and seed.

    The same messages and settings always give the same text; another seed gives
    another text when ``temperature > 0`` (as sampling would).
    """
    seed = config.seed if config.temperature > 0 else 0
    digest = content_hash({"m": messages, "s": seed}, 12)
    last = messages[-1]["content"] if messages else ""
    return f"Stance: Yes\nKey points: fake answer {digest} to {len(last)} characters."


def _words(text: str) -> int:
    return len(text.split())


class FakeModel(ModelAPI):
    """A model that replies from a script, for tests of logic around models.

    Args:
        spec: ``fake/NAME`` (the name is free and only recorded).
        replies: A list of replies used in call order (a reply may be an
            exception instance, which is raised), or a function
            ``(messages, config) -> reply``. ``None`` uses :func:`echo_reply`.
        logprobs: First-token log-probabilities returned when
            ``config.top_logprobs > 0``: a ``{token: logprob}`` table or a function
            of the call giving one. The first generated token is the reply's
            first whitespace-separated word.
        delay_s: Seconds each call waits (simulates latency without blocking).
        max_connections: What :meth:`max_connections` returns.
    """

    def __init__(self, spec: str = "fake/echo", *, replies: Sequence[Reply] | ReplyFn | None = None,
                 logprobs: LogprobTable | None = None, delay_s: float = 0.0, max_connections: int = 64) -> None:
        super().__init__(spec)
        self._replies = replies
        self._logprobs = logprobs
        self._delay_s = delay_s
        self._max_connections = max_connections
        self._lock = threading.Lock()
        self.calls: list[tuple[list[Message], GenerateConfig]] = []

    def _next(self, messages: list[Message], config: GenerateConfig) -> Reply:
        with self._lock:
            self.calls.append((messages, config))
            n = len(self.calls)
        if self._replies is None:
            return echo_reply(messages, config)
        if callable(self._replies):
            return self._replies(messages, config)
        if n > len(self._replies):
            raise ModelError(f"fake model {self.spec!r} ran out of scripted replies after {len(self._replies)} calls",
                             hint="give more replies, or a function of the messages")
        return self._replies[n - 1]

    def _first_token(self, messages: list[Message], config: GenerateConfig, text: str) -> TokenLogprob | None:
        if config.top_logprobs <= 0 or self._logprobs is None:
            return None
        table = self._logprobs(messages, config) if callable(self._logprobs) else self._logprobs
        token = text.split()[0] if text.split() else ""
        ranked = sorted(table.items(), key=lambda kv: (-kv[1], kv[0]))[: config.top_logprobs]
        return TokenLogprob(token=token, logprob=table.get(token, -math.inf), top=tuple(ranked))

    async def generate(self, messages: list[Message], config: GenerateConfig) -> ModelOutput:
        """Return the next scripted reply (raising it if it is an exception)."""
        if self._delay_s > 0:
            await asyncio.sleep(self._delay_s)
        reply = self._next(messages, config)
        if isinstance(reply, BaseException):
            raise reply
        if isinstance(reply, ModelOutput):
            return reply
        words = reply.split()
        finish = "length" if len(words) > config.max_tokens else "stop"
        text = " ".join(words[: config.max_tokens]) if finish == "length" else reply
        usage = Usage(input_tokens=sum(_words(m["content"]) for m in messages), output_tokens=min(len(words),
                                                                                              config.max_tokens))
        return ModelOutput(text=text, finish_reason=finish, usage=usage,
                           first_token=self._first_token(messages, config, text), model=self.spec)

    def max_connections(self) -> int:
        """The ``max_connections`` option (64 by default)."""
        return self._max_connections

    def should_retry(self, exc: BaseException) -> bool:
        """Scripted :class:`TransientModelError` replies are retried."""
        return isinstance(exc, TransientModelError)

    def retry_after(self, exc: BaseException) -> float | None:
        """The ``retry_after`` of a scripted :class:`TransientModelError`."""
        return exc.retry_after if isinstance(exc, TransientModelError) else None

    def identity(self) -> dict[str, object]:
        """The spec and, for a fixed list script, a hash of it."""
        ident: dict[str, object] = {"spec": self.spec}
        if isinstance(self._replies, Sequence) and not isinstance(self._replies, str):
            ident["script"] = content_hash([str(r) for r in self._replies])
        return ident
