"""Real loopback servers for tests and benchmarks.

- :class:`FaultServer`: a small OpenAI-compatible chat endpoint (asyncio, HTTP/1.1
  keep-alive) that answers after a configurable delay and, for a configurable
  share of requests, injects faults: 429 with ``Retry-After``, 500, a hung
  connection, or a 200 with broken JSON. Fault choices are deterministic per
  (prompt, attempt), so a test run is reproducible.
- :func:`start_llama_server`: the real ``llama_cpp.server`` on a free port,
  waited for by polling ``/v1/models``.

Run a fault server on its own (e.g. in another process for a benchmark)::

    python -m tests._servers --port 8765 --delay 0.1
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import hashlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

FAULTS = ("429", "500", "hang", "badjson")
_REASONS = {200: "OK", 404: "Not Found", 429: "Too Many Requests", 500: "Internal Server Error"}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _unit(*parts: object) -> float:
    """A deterministic number in [0, 1) from ``parts``."""
    digest = hashlib.sha256(json.dumps(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass
class FaultLog:
    """What a :class:`FaultServer` did.

    Attributes:
        requests: HTTP requests received.
        attempts: Chat requests per prompt key.
        answered: Good answers per prompt key.
        faults: Injected faults by kind.
        faulted: Injected faults per prompt key.
        history: Per prompt key, (monotonic time, outcome) of every attempt.
        max_in_flight: Most requests being handled at once.
    """

    requests: int = 0
    attempts: collections.Counter = field(default_factory=collections.Counter)
    answered: collections.Counter = field(default_factory=collections.Counter)
    faults: collections.Counter = field(default_factory=collections.Counter)
    faulted: collections.Counter = field(default_factory=collections.Counter)
    history: dict[str, list[tuple[float, str]]] = field(default_factory=lambda: collections.defaultdict(list))
    max_in_flight: int = 0


class FaultServer:
    """An OpenAI-compatible chat endpoint on loopback that injects faults.

    Args:
        fault_share: Share of requests that get a fault (0 = none).
        faults: Which faults to draw from (``429``, ``500``, ``hang``, ``badjson``).
        max_faults_per_prompt: After this many faults for one prompt, always answer
            (so a run with retries is certain to finish).
        delay_s: Seconds before every answer.
        retry_after: Value of the ``Retry-After`` header of 429 answers.
        seed: Seed of the fault choices.
        port: Port (0 = a free one).
    """

    def __init__(self, fault_share: float = 0.0, faults: tuple[str, ...] = FAULTS, max_faults_per_prompt: int = 2,
                 delay_s: float = 0.0, retry_after: str = "1", seed: int = 0, port: int = 0) -> None:
        self.fault_share = fault_share
        self.faults = faults
        self.max_faults_per_prompt = max_faults_per_prompt
        self.delay_s = delay_s
        self.retry_after = retry_after
        self.seed = seed
        self.port = port
        self.log = FaultLog()
        self._in_flight = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None

    @property
    def base_url(self) -> str:
        """The ``/v1`` URL clients use."""
        return f"http://127.0.0.1:{self.port}/v1"

    # -- protocol ----------------------------------------------------------

    async def _read_request(self, reader: asyncio.StreamReader) -> tuple[str, str, bytes, float] | None:
        line = await reader.readline()
        if not line:
            return None
        arrived = asyncio.get_running_loop().time()
        method, path, _ = line.decode().split(" ", 2)
        length = 0
        while (header := await reader.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = header.decode().partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = await reader.readexactly(length) if length else b""
        return method, path, body, arrived

    @staticmethod
    def _response(status: int, body: bytes, headers: dict[str, str] | None = None) -> bytes:
        head = [f"HTTP/1.1 {status} {_REASONS.get(status, 'Status')}", "Content-Type: application/json",
                f"Content-Length: {len(body)}", "Connection: keep-alive"]
        head += [f"{k}: {v}" for k, v in (headers or {}).items()]
        return ("\r\n".join(head) + "\r\n\r\n").encode() + body

    def _fault_for(self, key: str, attempt: int) -> str | None:
        if self.fault_share <= 0:
            return None
        if self.log.faulted[key] >= self.max_faults_per_prompt or _unit(self.seed, key, attempt) >= self.fault_share:
            return None
        return self.faults[int(_unit(self.seed, key, attempt, "kind") * len(self.faults))]

    def _completion(self, request: dict, key: str) -> bytes:
        messages = request.get("messages", [])
        text = f"Stance: Yes\nKey points: loopback answer {key[:12]}."
        prompt_tokens = sum(len(m.get("content", "").split()) for m in messages)
        return json.dumps({
            "id": f"chatcmpl-{key[:8]}", "object": "chat.completion", "created": 0, "model": request.get("model"),
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop",
                         "logprobs": None}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": len(text.split()),
                      "total_tokens": prompt_tokens + len(text.split())},
        }).encode()

    async def _answer(self, path: str, body: bytes, reader: asyncio.StreamReader, arrived: float) -> bytes | None:
        if path == "/v1/models":
            return self._response(200, json.dumps({"object": "list", "data": [{"id": "loopback"}]}).encode())
        if path != "/v1/chat/completions":
            return self._response(404, b'{"error": {"message": "not found"}}')
        request = json.loads(body)
        key = hashlib.sha256(json.dumps(request.get("messages"), sort_keys=True).encode()).hexdigest()
        attempt = self.log.attempts[key]
        self.log.attempts[key] += 1
        fault = self._fault_for(key, attempt)
        self.log.history[key].append((time.monotonic(), fault or "ok"))
        if self.delay_s:  # answer delay_s after the request arrived, whatever reading and parsing took
            await asyncio.sleep(max(0.0, arrived + self.delay_s - asyncio.get_running_loop().time()))
        if fault is not None:
            self.log.faulted[key] += 1
            self.log.faults[fault] += 1
        if fault == "hang":
            await reader.read()  # until the client gives up and closes the connection
            return None
        if fault == "429":
            return self._response(429, b'{"error": {"message": "rate limited"}}', {"Retry-After": self.retry_after})
        if fault == "500":
            return self._response(500, b'{"error": {"message": "injected server error"}}')
        if fault == "badjson":
            return self._response(200, b'{"id": "broken", "choices": [{"index": 0, "mess')
        self.log.answered[key] += 1
        return self._response(200, self._completion(request, key))

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while (request := await self._read_request(reader)) is not None:
                self.log.requests += 1
                self._in_flight += 1
                self.log.max_in_flight = max(self.log.max_in_flight, self._in_flight)
                try:
                    reply = await self._answer(request[1], request[2], reader, request[3])
                finally:
                    self._in_flight -= 1
                if reply is None:
                    break
                writer.write(reply)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()  # the loop may be shutting down: closing is all we can do

    # -- lifecycle ---------------------------------------------------------

    async def serve(self) -> asyncio.AbstractServer:
        """Start serving in the running loop; sets :attr:`port`."""
        server = await asyncio.start_server(self._handle, "127.0.0.1", self.port, backlog=1024)
        self.port = server.sockets[0].getsockname()[1]
        self._server = server
        return server

    async def _shutdown(self) -> None:
        if self._server is not None:
            self._server.close()
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def start(self) -> FaultServer:
        """Serve from a background thread with its own event loop."""
        ready = threading.Event()

        def main() -> None:
            self._loop = loop = asyncio.new_event_loop()
            loop.run_until_complete(self.serve())
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._shutdown())
            loop.close()

        self._thread = threading.Thread(target=main, daemon=True, name="fault-server")
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        """Stop the background loop."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(5)


# -- the real llama.cpp server ---------------------------------------------


@dataclass
class LlamaServer:
    """A running ``llama_cpp.server``."""

    process: subprocess.Popen
    base_url: str
    model_file: Path

    def stop(self) -> None:
        """Terminate it (kill if it does not exit)."""
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def start_llama_server(model_file: Path, log_file: Path, startup_timeout_s: float = 120.0) -> LlamaServer:
    """Start ``python -m llama_cpp.server`` serving ``model_file`` on a free loopback port.

    Waits by polling ``GET /v1/models`` until it answers (or the process dies, or
    the timeout passes).

    Raises:
        RuntimeError: with the server's log tail if it does not come up.
    """
    port = free_port()
    cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(model_file), "--host", "127.0.0.1",
           "--port", str(port), "--n_ctx", "2048", "--n_threads", "2", "--logits_all", "true"]
    with open(log_file, "wb") as log:  # the child keeps its own handle
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT,
                                env={"OMP_WAIT_POLICY": "PASSIVE", **os.environ, "PYTHONUNBUFFERED": "1"})
    server = LlamaServer(proc, f"http://127.0.0.1:{port}/v1", model_file)
    deadline = time.monotonic() + startup_timeout_s
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"{server.base_url}/models", timeout=1.0).status_code == 200:
                return server
        except httpx.TransportError:
            pass
        time.sleep(0.1)  # polling interval while waiting for the port to open
    server.stop()
    tail = Path(log_file).read_text(errors="replace")[-2000:]
    raise RuntimeError(f"llama.cpp server did not come up on port {port}:\n{tail}")


def spawn_fault_server(delay: float, cwd: Path) -> tuple[subprocess.Popen, str]:
    """Start ``python -m tests._servers --delay DELAY`` (a :class:`FaultServer` in its own process, for benchmarks).

    Returns:
        The process and its ``/v1`` URL.
    """
    proc = subprocess.Popen([sys.executable, "-m", "tests._servers", "--delay", str(delay)], cwd=cwd,
                            stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip() if proc.stdout else ""
    if not line.startswith("listening "):
        proc.kill()
        raise RuntimeError(f"loopback server did not start: {line!r}")
    return proc, line.split(" ", 1)[1]


def main() -> None:
    """Serve a :class:`FaultServer` in the foreground (for benchmarks)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--fault-share", type=float, default=0.0)
    args = parser.parse_args()
    server = FaultServer(fault_share=args.fault_share, delay_s=args.delay, port=args.port)

    async def run() -> None:
        await server.serve()
        print(f"listening {server.base_url}", flush=True)
        await asyncio.Event().wait()

    asyncio.run(run())


if __name__ == "__main__":
    main()
