"""The ``valuecompass`` command line: a thin layer over the Python API.

Each command group lives in its own module with a ``register(app)`` function.
"""

from __future__ import annotations

import importlib
import logging
import sys

import typer

from valuecompass.errors import ValueCompassError

app = typer.Typer(
    name="valuecompass",
    help="Measure the values of LLMs: items, runs, judge, adaptive testing, alignment, leaderboard.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

#: Command modules, in the order their commands appear in --help.
COMMAND_MODULES = (
    "frameworks", "items", "models", "run", "sweep", "runs", "judge", "scores", "validate", "profiles", "align",
    "leaderboard", "report", "store", "imports", "export",
)


def _version(value: bool) -> None:
    if value:
        from valuecompass import __version__

        typer.echo(f"valuecompass {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    verbose: int = typer.Option(0, "--verbose", "-v", count=True, help="More log output (-vv for debug)."),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")


for _name in COMMAND_MODULES:
    importlib.import_module(f"valuecompass.cli.{_name}").register(app)


def main() -> None:
    """Console-script entry point: run the app, print library errors without a traceback."""
    try:
        code = app(standalone_mode=False)  # typer returns an Exit's code here (130 for Ctrl-C) instead of raising
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
