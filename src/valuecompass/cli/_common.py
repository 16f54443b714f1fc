"""Helpers shared by CLI modules: JSON output and rich tables."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from valuecompass.judge import Judge

T = TypeVar("T")

console = Console()

JSON_OPTION = typer.Option(False, "--json", help="Print JSON instead of a table.")


def print_json(obj: Any) -> None:
    """Print ``obj`` as indented JSON on standard output."""
    typer.echo(json.dumps(obj, indent=2, ensure_ascii=False, default=str))


def print_table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    """Print a rich table with the given columns and rows."""
    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


def with_judge(judge: Judge, work: Callable[[], Awaitable[T]]) -> T:
    """Run ``work()`` in a new event loop and close the judge afterwards, whatever happens."""
    async def main() -> T:
        try:
            return await work()
        finally:
            await judge.aclose()

    return asyncio.run(main())


#: ``--store``: shared by every command that reads or writes the results store.
STORE_OPTION = typer.Option(None, "--store", envvar="VALUECOMPASS_STORE", show_envvar=True,
                            help="The SQLite results store (default: the user data directory).")


#: ``--score-method`` and ``--judge``: which scores a reader shows, the same options in every command that
#: reads scores (``scores``, ``align``, ``match``, ``leaderboard``); default: the store's rule.
SCORE_METHOD_OPTION = typer.Option(None, "--score-method", help="Scores of this method, irt-cat or share "
                                   "(default: the store's most common, or the run's own).")
SCORE_JUDGE_OPTION = typer.Option(None, "--judge", help="Scores resting on this judge's verdicts (default: the "
                                  "store's most common with the method, or the run's own).")
