"""Fixtures for the leaderboard: a scripted store, a live server on loopback, and headless Chromium."""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.leaderboard._fill import ScriptedModel, fill_store

#: Where browser tests leave their screenshots (ignored by git; CI keeps them as artefacts).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
HOSTILE_SPEC = 'fake/<img src=x onerror="window.__pwned=4">'

#: The scripted models: "kind" leads on self-transcendence, "power" on self-enhancement.
SCRIPTED = [
    ScriptedModel("fake/kind", 0.75, {"benevolence": 1.0, "universalism": 1.0, "power": 0.0, "achievement": 0.25,
                                      "care": 1.0, "fairness": 1.0}, card=True),
    ScriptedModel("fake/power", 0.5, {"power": 1.0, "achievement": 1.0, "benevolence": 0.0, "universalism": 0.25,
                                      "authority": 1.0}),
    ScriptedModel("fake/middle", 0.5, {"security": 0.75, "tradition": 0.75, "benevolence": 0.5}),
    ScriptedModel(HOSTILE_SPEC, 0.25, {}, hostile=True),
]


@pytest.fixture(scope="session")
def scripted_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real store filled through the store's write API with the :data:`SCRIPTED` models.

    Session-scoped and read-only for every test (the leaderboard never writes).
    """
    return fill_store(tmp_path_factory.mktemp("lb-store") / "store.sqlite", SCRIPTED)


@dataclass
class LiveServer:
    """The web app served by uvicorn in a thread, on a loopback port chosen by the OS."""

    url: str
    server: object
    thread: threading.Thread

    def stop(self) -> None:
        """Ask uvicorn to exit and wait for its thread."""
        self.server.should_exit = True  # type: ignore[attr-defined]
        self.thread.join(timeout=10)


def start_server(store: Path) -> LiveServer:
    """Serve ``create_app(store)`` on a pre-bound loopback socket (listening before this returns)."""
    import uvicorn

    from valuecompass.leaderboard import create_app

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(store), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    return LiveServer(f"http://127.0.0.1:{port}/", server, thread)


@pytest.fixture(scope="session")
def live_server(scripted_store: Path) -> Iterator[LiveServer]:
    """The leaderboard over :func:`scripted_store`, served on loopback for the session."""
    server = start_server(scripted_store)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's headless Chromium driven by Playwright (never a downloaded browser).

    Module-scoped on purpose: while Playwright's sync API is active its event loop runs in this
    thread, and any later test calling ``asyncio.run`` would fail; it is stopped after each module.
    """
    if shutil.which("chromium") is None and not Path(CHROMIUM).exists():
        pytest.skip("Debian 'chromium' is not installed (scripts/setup_browser.sh installs it)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (dev extra)")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=shutil.which("chromium") or CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class PageErrors:
    """Console errors, CSP violations and uncaught exceptions a page reported."""

    messages: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    """A fresh page (1400x900) whose console errors fail the test at teardown.

    ``page.errors`` holds what was reported so far; any dialog (``alert`` ...) is recorded
    and dismissed, and also fails the test.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)  # type: ignore
    pg = context.new_page()
    errors = PageErrors()
    pg.on("console", lambda m: errors.messages.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.messages.append(f"uncaught: {e}"))

    def on_dialog(dialog: object) -> None:
        errors.dialogs.append(dialog.message)  # type: ignore[attr-defined]
        dialog.dismiss()  # type: ignore[attr-defined]

    pg.on("dialog", on_dialog)
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    context.close()
    assert not errors.dialogs, f"a dialog opened: {errors.dialogs}"
    assert not errors.messages, f"the page reported errors: {errors.messages}"


def screenshot(pg: object, name: str) -> Path:
    """Save a full-page screenshot to ``artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path
