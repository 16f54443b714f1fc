"""CLI: ``valuecompass store check``: SQLite's integrity check of a store, and how to recover a damaged one."""

from __future__ import annotations

from pathlib import Path

import typer

from valuecompass.cli._common import JSON_OPTION, STORE_OPTION, console, print_json
from valuecompass.errors import StoreError

store_app = typer.Typer(help="The results store: check its integrity.", no_args_is_help=True)


@store_app.command("check")
def check(store: Path | None = STORE_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Run SQLite's full integrity check on the store (reads every page; writes nothing)."""
    from valuecompass.store import Store

    with Store.existing(store) as db:
        problems = db.check(quick=False)
        path = db.path
    if as_json:
        print_json({"store": str(path), "ok": not problems, "problems": problems})
    elif not problems:
        console.print(f"[green]ok[/green] {path}: SQLite's integrity check found no problem")
    if problems:
        raise StoreError(f"the store {str(path)!r} is damaged: {'; '.join(problems[:5])}",
                         hint=f"recover what is readable with the SQLite shell: sqlite3 {path} '.recover' | "
                              "sqlite3 recovered.sqlite, then use --store recovered.sqlite; or restore a copy")


def register(app: typer.Typer) -> None:
    """Add ``store`` to ``app``."""
    app.add_typer(store_app, name="store")
