"""CLI: ``valuecompass items list|validate``."""

from __future__ import annotations

import collections
from pathlib import Path

import typer

from valuecompass.cli._common import JSON_OPTION, console, print_json, print_table
from valuecompass.frameworks import get_dimension
from valuecompass.items import key_balance, load_item_file, load_seed_bank, seed_bank_version, select_items, unbalanced

items_app = typer.Typer(help="The item bank: list, validate, generate, calibrate, stats.", no_args_is_help=True)


@items_app.command("list")
def list_items(
    system: list[str] = typer.Option([], "--system", "-s", help="Only this value system (repeatable)."),
    dimension: list[str] = typer.Option([], "--dimension", "-d", help="Only this dimension (repeatable)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List items of the bank, optionally for some systems or dimensions."""
    items = select_items(load_seed_bank(), system, dimension)
    if as_json:
        print_json([i.model_dump(mode="json") for i in items])
        return
    rows = [[i.id, i.dimension, i.difficulty, i.culture, i.text[:70] + ("..." if len(i.text) > 70 else "")]
            for i in items]
    print_table(f"{len(items)} items ({seed_bank_version()})", ["id", "dimension", "difficulty", "culture", "text"], rows)


@items_app.command("validate")
def validate(path: Path = typer.Argument(..., help="A JSONL, JSON or YAML item file."),
             as_json: bool = JSON_OPTION) -> None:
    """Validate a user-supplied item file; exit non-zero with the bad record named."""
    items = load_item_file(path)
    counts = collections.Counter(i.dimension for i in items)
    balance = key_balance(items)
    lean = unbalanced(balance)
    summary = {"path": str(path), "valid": True, "items": len(items), "per_dimension": dict(counts),
               "key_balance": balance, "unbalanced": lean}
    if as_json:
        print_json(summary)
        return
    console.print(f"[green]ok[/green] {path}: {len(items)} valid items")
    for dim, n in sorted(counts.items()):
        keys = ", ".join(f"{k} {v}" for k, v in sorted(balance.get(dim, {}).items()))
        console.print(f"  {dim} ({get_dimension(dim).system}): {n}" + (f" (keys: {keys})" if keys else ""))
    if lean:
        console.print(f"[yellow]note: the keys of {', '.join(lean)} lean one way (under 40% on one side): a model "
                      f"that says Yes to everything (or always picks A) would score away from 50 there[/yellow]")


def register(app: typer.Typer) -> None:
    """Add ``items`` to ``app``."""
    from valuecompass.cli._items_bank import register_bank_commands

    register_bank_commands(items_app)
    app.add_typer(items_app, name="items")
