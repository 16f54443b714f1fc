"""OpenAI and OpenAI-compatible endpoints (``openai/MODEL``, with ``base_url``).

Works with the OpenAI API and with anything that speaks its chat-completions
protocol: vLLM, Ollama, the llama.cpp server, hosted APIs.

The API key is resolved in this order (the first that is set wins):

1. the ``api_key`` option;
2. the ``VALUECOMPASS_API_KEY`` environment variable;
3. the ``OPENAI_API_KEY`` environment variable;
4. with a ``base_url`` and no key: a placeholder (local servers need none).

The base URL is the ``base_url`` option, else ``OPENAI_BASE_URL``, else OpenAI's.
The SDK's own retries are off: the runner retries, with back-off and ``Retry-After``.

HTTP goes through the SDK's aiohttp transport (``openai[aiohttp]``) when it is
installed: it needs about a third less CPU per request than the default httpx
transport, which is what limits a 2-core machine at a few hundred requests per
second. The httpx transport is used instead when the ``http_backend="httpx"``
option asks for it, when aiohttp is missing, or when a proxy is set in the
environment (the aiohttp transport ignores ``HTTPS_PROXY`` and friends).
"""

from __future__ import annotations

import asyncio
import socket
from urllib.parse import urlsplit
import email.utils
import importlib.util
import json
import logging
import os
import time
import weakref
from typing import Any

import openai

from valuecompass._redact import redact_url
from valuecompass.errors import ModelError
from valuecompass.models._errors import MalformedResponseError, TransientModelError
from valuecompass.models._types import GenerateConfig, Message, ModelAPI, ModelOutput, TokenLogprob, Usage

#: Environment variables read for the key, in order.
KEY_ENV_VARS = ("VALUECOMPASS_API_KEY", "OPENAI_API_KEY")
NO_KEY = "sk-no-key-needed"
_RETRY_STATUS = {408, 409, 429}
#: Values of the ``http_backend`` option.
HTTP_BACKENDS = ("auto", "aiohttp", "httpx")
_PROXY_ENV_VARS = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy")

log = logging.getLogger(__name__)


def _has_aiohttp() -> bool:
    return importlib.util.find_spec("aiohttp") is not None


def choose_http_backend(requested: str = "auto") -> str:
    """The HTTP transport to use: ``aiohttp`` or ``httpx``.

    ``auto`` picks aiohttp when it is installed and no proxy is set in the
    environment, else httpx.

    Raises:
        ModelError: for an unknown value, or ``aiohttp`` asked for but not installed.
    """
    if requested not in HTTP_BACKENDS:
        raise ModelError(f"unknown http_backend {requested!r}", hint=f"use one of: {', '.join(HTTP_BACKENDS)}")
    if requested == "httpx":
        return "httpx"
    if not _has_aiohttp():
        if requested == "aiohttp":
            raise ModelError("http_backend=aiohttp needs the aiohttp package", hint="pip install 'openai[aiohttp]'")
        return "httpx"
    if requested == "auto" and any(os.environ.get(var) for var in _PROXY_ENV_VARS):
        return "httpx"
    return "aiohttp"


def resolve_api_key(api_key: str | None, base_url: str | None) -> str:
    """Pick the API key in the documented order.

    Raises:
        ModelError: if no key is set and no ``base_url`` is given.
    """
    if api_key:
        return api_key
    for var in KEY_ENV_VARS:
        if os.environ.get(var):
            return os.environ[var]
    if base_url:
        return NO_KEY
    raise ModelError("no API key for the OpenAI API",
                     hint="export VALUECOMPASS_API_KEY=... (or OPENAI_API_KEY), or give --base-url for a local server")


def parse_retry_after(headers: Any) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds or an HTTP date)."""
    if headers is None:
        return None
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) / divisor)
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            continue
        return max(0.0, when.timestamp() - time.time())
    return None


def _first_token(choice: dict[str, Any]) -> TokenLogprob | None:
    content = (choice.get("logprobs") or {}).get("content")
    if not content:
        return None
    first = content[0]
    top = tuple((t["token"], float(t["logprob"])) for t in (first.get("top_logprobs") or ()))
    return TokenLogprob(token=first["token"], logprob=float(first["logprob"]), top=top)


def parse_completion(body: str) -> ModelOutput:
    """Read a chat-completion response body.

    Raises:
        MalformedResponseError: for a body that is not JSON or lacks what we need.
    """
    try:
        data = json.loads(body)
        choice = data["choices"][0]
        text = choice["message"]["content"]
        if not isinstance(text, str):
            raise TypeError("message content is not text")
        usage = data.get("usage") or {}
        return ModelOutput(
            text=text, finish_reason=choice.get("finish_reason") or "stop",
            usage=Usage(input_tokens=usage.get("prompt_tokens") or 0,
                        output_tokens=usage.get("completion_tokens") or 0),
            first_token=_first_token(choice), model=data.get("model") or "")
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise MalformedResponseError(f"unreadable chat completion ({type(exc).__name__}: {exc}): {body[:200]!r}",
                                     hint="check that --base-url points at an OpenAI-compatible /v1 endpoint") from exc


async def _close_at_loop_end(client: openai.AsyncOpenAI, clients: weakref.WeakKeyDictionary) -> None:
    """Wait until cancelled (at the latest when the loop shuts down), then close ``client`` and forget it."""
    try:
        await asyncio.Event().wait()
    finally:
        clients.pop(asyncio.get_running_loop(), None)  # the entry holds this task, and so the loop
        if not client.is_closed():  # aclose() may have closed it already
            await client.close()


class OpenAIModel(ModelAPI):
    """Chat completions through the ``openai`` SDK.

    Args:
        spec: ``openai/MODEL``; MODEL is sent as the request's ``model``.
        base_url: Endpoint, e.g. ``http://127.0.0.1:8080/v1`` for a local server.
        api_key: Key (else see the module docstring for the order).
        max_connections: Most concurrent requests (default 16).
        http_backend: ``auto`` (default), ``aiohttp`` or ``httpx``; see the module docstring.
    """

    def __init__(self, spec: str, *, base_url: str | None = None, api_key: str | None = None,
                 max_connections: int = 16, http_backend: str = "auto") -> None:
        super().__init__(spec, base_url=base_url, max_connections=max_connections, http_backend=http_backend)
        self.model_name = spec.partition("/")[2]
        self.base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
        self._api_key = resolve_api_key(api_key, self.base_url)
        self._max_connections = int(max_connections)
        self.http_backend = choose_http_backend(http_backend)
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop,
                                                 tuple[openai.AsyncOpenAI, asyncio.Task[None]]] = (
            weakref.WeakKeyDictionary())

    def _client(self) -> openai.AsyncOpenAI:
        """One client per event loop (an HTTP connection pool is bound to its loop).

        A client not closed with :meth:`aclose` is closed when its loop shuts
        down (``asyncio.run`` cancels the watcher task that holds it), so a
        provider used from several ``asyncio.run`` calls leaks no connections.
        """
        loop = asyncio.get_running_loop()
        entry = self._clients.get(loop)
        if entry is None:
            http_client = openai.DefaultAioHttpClient() if self.http_backend == "aiohttp" else None
            client = openai.AsyncOpenAI(api_key=self._api_key, base_url=self.base_url, max_retries=0,
                                        http_client=http_client)
            entry = self._clients[loop] = (client, loop.create_task(_close_at_loop_end(client, self._clients)))
            log.debug("openai client for %s over %s", self.base_url or "api.openai.com", self.http_backend)
        return entry[0]

    def _request(self, messages: list[Message], config: GenerateConfig) -> dict[str, Any]:
        req: dict[str, Any] = {"model": self.model_name, "messages": messages, "temperature": config.temperature,
                               "max_tokens": config.max_tokens, "seed": config.seed}
        if config.stop:
            req["stop"] = list(config.stop)
        if config.top_logprobs > 0:
            req["logprobs"] = True
            req["top_logprobs"] = config.top_logprobs
        return req

    async def generate(self, messages: list[Message], config: GenerateConfig) -> ModelOutput:
        """Send one chat completion request.

        The SDK client's low-level ``post`` is used (auth, base URL, timeouts and
        its status errors as usual), with the body read by :func:`parse_completion`:
        the typed ``chat.completions.create`` transforms every request's params and
        builds response models, about 2 ms of CPU per call, which at 300 calls/s
        is most of a core.

        Raises:
            MalformedResponseError: for a body that is not JSON or lacks choices.
            openai.APIError: as the SDK raises it (see :meth:`should_retry`).
        """
        try:
            body = await self._client().post("/chat/completions", cast_to=str, body=self._request(messages, config),
                                             options={"timeout": config.timeout_s})
        except openai.APIConnectionError as exc:
            failure = connection_failure(exc)
            if failure is None:
                raise
            url = self.base_url or "https://api.openai.com/v1"
            raise ModelError(f"cannot reach {redact_url(url)}: {failure}",
                             hint="check --base-url and that the server is running") from exc
        return parse_completion(body)

    def max_connections(self) -> int:
        """The ``max_connections`` option."""
        return self._max_connections

    def should_retry(self, exc: BaseException) -> bool:
        """Retry rate limits, server errors, timeouts, dropped connections and malformed responses.

        A refused connection or an unknown host is not retried: it does not go away in a few seconds.
        """
        if isinstance(exc, openai.APIConnectionError) and connection_failure(exc) is not None:
            return False
        if isinstance(exc, (TransientModelError, openai.APITimeoutError, openai.APIConnectionError)):
            return True
        if isinstance(exc, openai.APIStatusError):
            return exc.status_code in _RETRY_STATUS or exc.status_code >= 500
        return False

    def retry_after(self, exc: BaseException) -> float | None:
        """The wait the server asked for in ``Retry-After`` (or ``retry-after-ms``)."""
        if isinstance(exc, openai.APIStatusError):
            return parse_retry_after(exc.response.headers)
        return None

    def identity(self) -> dict[str, object]:
        """Spec and endpoint (never the key: credentials in the URL are redacted)."""
        return {"spec": self.spec, "base_url": redact_url(self.base_url or "https://api.openai.com/v1")}

    def preflight(self) -> None:
        """Resolve the endpoint's host and open a TCP connection to it, within a second.

        Raises:
            ModelError: "unknown host" or "connection refused" (or unreachable), naming the URL.
        """
        url = self.base_url or "https://api.openai.com/v1"
        failure = reach(url)
        if failure is not None:
            raise ModelError(f"cannot reach {redact_url(url)}: {failure}",
                             hint="check --base-url and that the server is running (e.g. curl the URL)")

    async def aclose(self) -> None:
        """Close the HTTP client of the running loop."""
        entry = self._clients.pop(asyncio.get_running_loop(), None)
        if entry is not None:
            client, watcher = entry
            watcher.cancel()
            await client.close()


def connection_failure(exc: BaseException) -> str | None:
    """``connection refused`` or ``unknown host ...`` when that is what lies under an SDK connection error."""
    seen: BaseException | None = exc
    for _ in range(8):
        if seen is None:
            return None
        if isinstance(seen, ConnectionRefusedError) or "connection refused" in str(seen).lower():
            return "connection refused"
        if isinstance(seen, socket.gaierror) or "name or service not known" in str(seen).lower() \
                or "nodename nor servname" in str(seen).lower() or type(seen).__name__ == "ClientConnectorDNSError":
            return "unknown host"
        seen = seen.__cause__ or seen.__context__
    return None


def reach(url: str, timeout_s: float = 1.0) -> str | None:
    """Why ``url``'s host cannot be reached over TCP (``unknown host``, ``connection refused`` ...), or ``None``."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host or parts.scheme not in ("http", "https"):
        return f"not an http(s) URL: {redact_url(url)!r}"
    port = parts.port or (443 if parts.scheme == "https" else 80)
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return f"unknown host {host!r}"
    last = "unreachable"
    for family, kind, proto, _, address in infos[:4]:
        try:
            with socket.socket(family, kind, proto) as sock:
                sock.settimeout(timeout_s)
                sock.connect(address)
                return None
        except ConnectionRefusedError:
            last = "connection refused"
        except OSError as exc:
            last = f"unreachable ({exc.strerror or type(exc).__name__})"
    return last
