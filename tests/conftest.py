"""Fixtures shared across test packages. Each section says who owns it; add yours in a new section."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests._servers import FaultServer, LlamaServer, start_llama_server
from valuecompass.store import Store

# ---------------------------------------------------------------------------
# Section: models / store / pipeline (real servers, stores, the embedded test model)
# ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def smollm2_path() -> Path:
    """The verified SmolLM2-135M GGUF file (the fast real test model)."""
    from valuecompass.models import prepare_embedded

    return prepare_embedded("smollm2-135m").path


@pytest.fixture(scope="session")
def llama_server(smollm2_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    """A real llama.cpp server (``llama_cpp.server``) serving SmolLM2 on a free loopback port.

    Started once per session, waited for by polling ``/v1/models``, stopped at the end.
    Use ``llama_server.base_url`` as an OpenAI ``base_url``.
    """
    server = start_llama_server(smollm2_path, tmp_path_factory.mktemp("llama-server") / "server.log")
    yield server
    server.stop()


@pytest.fixture
def fault_server() -> Iterator[Callable[..., FaultServer]]:
    """A factory of :class:`tests._servers.FaultServer` on loopback, stopped after the test.

    Example: ``srv = fault_server(fault_share=0.3, delay_s=0.01)``; ``srv.base_url``.
    """
    started: list[FaultServer] = []

    def make(**options: object) -> FaultServer:
        server = FaultServer(**options).start()  # type: ignore[arg-type]
        started.append(server)
        return server

    yield make
    for server in started:
        server.stop()


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    """A fresh store file path in the test's temporary directory."""
    return tmp_path / "store.sqlite"


@pytest.fixture
def store(store_path: Path) -> Iterator[Store]:
    """An open store on :func:`store_path`, closed after the test."""
    with Store(store_path) as s:
        yield s


@pytest.fixture
def isolated_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ``VALUECOMPASS_CACHE_DIR`` at a fresh directory for this test."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("VALUECOMPASS_CACHE_DIR", str(cache))
    return cache

# --------------------------- end of models / store / pipeline section -------


# ---------------------------------------------------------------------------
# Section: cli (run ``valuecompass`` in-process through its real entry point)
# ---------------------------------------------------------------------------
@dataclass
class CliResult:
    """Exit code and captured output of one CLI call."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """Parse standard output as JSON."""
        return json.loads(self.stdout)


@pytest.fixture
def cli(capsys, monkeypatch):
    """Return a function that runs ``valuecompass ARGS`` and returns a :class:`CliResult`."""
    from valuecompass.cli import main

    def run(*args: str) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["valuecompass", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)

    return run

# --------------------------- end of cli section ----------------------------
