"""CLI: ``valuecompass leaderboard serve|export``: the web app and its static export."""

from __future__ import annotations

import ipaddress
import socket
from pathlib import Path

import typer

from valuecompass.cli._common import SCORE_JUDGE_OPTION, STORE_OPTION, console
from valuecompass.errors import ValueCompassError

leaderboard_app = typer.Typer(help="The leaderboard web app over the store, and its static export.",
                              no_args_is_help=True)

METHOD_OPTION = typer.Option(None, "--score-method", "--method", help="Scores of this method, irt-cat or share "
                             "(default: the store's most common); --method is its old name.")
PROFILE_OPTION = typer.Option(None, "--profile", help="Also offer this value profile (a saved profile id or a "
                              "profile file, see 'valuecompass profiles'); repeatable.")


def _profiles(refs: list[str] | None) -> list:
    from valuecompass.metric import get_profile

    return [get_profile(ref) for ref in refs or []]


def _listen(host: str, port: int) -> socket.socket:
    """Bind and listen before the banner is printed, so the address works once it is shown."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        raise ValueCompassError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                                hint="choose another --port (or --host)") from exc
    return sock


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@leaderboard_app.command("serve")
def serve(
    store: Path | None = STORE_OPTION,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (loopback by default)."),
    port: int = typer.Option(8000, "--port", min=0, max=65535, help="Port to listen on (0: any free port)."),
    method: str | None = METHOD_OPTION,
    judge: str | None = SCORE_JUDGE_OPTION,
    profile: list[str] | None = PROFILE_OPTION,
) -> None:
    """Serve the leaderboard read-only at http://HOST:PORT/ until interrupted."""
    import uvicorn

    from valuecompass.leaderboard import create_app
    from valuecompass.store import resolve_store_path

    path = resolve_store_path(store)
    app = create_app(path, method=method, judge=judge, profiles=_profiles(profile))
    sock = _listen(host, port)
    port = sock.getsockname()[1]
    if not _is_loopback(host):
        console.print(f"[yellow]warning:[/yellow] binding to {host}: anyone who can reach this address can read the "
                      "leaderboard (it is read-only)")
    console.print(f"Serving [bold]{path}[/bold] read-only at [link]http://{host}:{port}/[/link] (Ctrl-C to stop)")
    uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])


@leaderboard_app.command("export")
def export(
    out: Path = typer.Option(..., "--out", help="Folder to write the site to (created; an earlier export is replaced)."),
    store: Path | None = STORE_OPTION,
    method: str | None = METHOD_OPTION,
    judge: str | None = SCORE_JUDGE_OPTION,
    profile: list[str] | None = PROFILE_OPTION,
) -> None:
    """Write the whole site as static files: open OUT/index.html from disk or serve OUT anywhere."""
    from valuecompass.leaderboard import export_site
    from valuecompass.store import resolve_store_path

    result = export_site(resolve_store_path(store), out, method=method, judge=judge, profiles=_profiles(profile))
    console.print(f"Wrote {result.pages} pages ({result.files} files, {result.bytes / 1e6:.1f} MB) to "
                  f"[bold]{result.out}[/bold]; open {result.out / 'index.html'}")


def register(app: typer.Typer) -> None:
    """Add ``leaderboard`` to ``app``."""
    app.add_typer(leaderboard_app, name="leaderboard")
