"""The ``valuecompass`` command line: a thin layer over the Python API.

Each command group lives in its own module with a ``register(app)`` function; the table in
:mod:`valuecompass.cli._commands` says which module registers which command, so that a command
line imports only the module it needs.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence

import typer

from valuecompass.cli._commands import COMMAND_MODULES, COMMANDS, command_module
from valuecompass.errors import ValueCompassError

#: The root command's description.
HELP = "Measure the values of LLMs: items, runs, judge, adaptive testing, alignment, leaderboard."


def _version(value: bool) -> None:
    if value:
        from valuecompass import __version__

        typer.echo(f"valuecompass {__version__}")
        raise typer.Exit()


def _main(
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More log output (-vv for debug)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


def build_app(modules: Sequence[str] | None = None) -> typer.Typer:
    """The app with the commands of ``modules`` (default: every command module).

    Commands of modules not given are listed from :data:`~valuecompass.cli._commands.COMMANDS`
    (for ``--help``) but cannot run: :func:`main` builds the app with the module the command
    line names, so that start-up imports only what that command needs.
    """
    modules = COMMAND_MODULES if modules is None else tuple(modules)
    built = typer.Typer(name="valuecompass", help=HELP, no_args_is_help=True, add_completion=False,
                        pretty_exceptions_enable=False)
    built.callback()(_main)
    for module in (m for m in COMMAND_MODULES if m in modules):
        importlib.import_module(f"valuecompass.cli.{module}").register(built)
    for entry in (c for c in COMMANDS if c.module not in modules):  # listed by --help, never run
        built.command(entry.name, help=entry.help, hidden=entry.hidden)(_listed_only)
    return built


def _listed_only() -> None:  # pragma: no cover - main() loads a command's module before it runs
    raise typer.Exit(2)


def __getattr__(name: str) -> typer.Typer:
    """``app``: the whole app, built on first use (for tests and embedding)."""
    if name == "app":
        globals()["app"] = full = build_app()
        return full
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point: run the app, print library errors without a traceback."""
    try:
        module = command_module(sys.argv[1:])
        code = build_app(() if module is None else (module,))(standalone_mode=False)  # typer returns an Exit's code here (130 for Ctrl-C) instead of raising
    except ValueCompassError as exc:
        typer.secho(f"error: {exc.message}", err=True, fg="red")
        if exc.hint:
            typer.secho(f"  fix: {exc.hint}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        typer.secho("interrupted; stored results are kept, rerun the same command to resume", err=True)
        sys.exit(130)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.secho("aborted", err=True)
        sys.exit(1)
    except typer.TyperException as exc:  # usage errors (unknown option, bad value) in non-standalone mode
        if hasattr(exc, "show"):
            exc.show()
        sys.exit(getattr(exc, "exit_code", 2))
    if isinstance(code, int) and not isinstance(code, bool) and code:
        if code == 130:
            typer.secho("interrupted; stored results are kept, rerun the same command to resume", err=True)
        sys.exit(code)
