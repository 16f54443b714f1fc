"""CLI: ``valuecompass frameworks list|show``."""

from __future__ import annotations

import typer

from valuecompass.cli._common import JSON_OPTION, console, print_json, print_table
from valuecompass.errors import UnknownFrameworkError
from valuecompass.frameworks import get_dimension, get_system, load_systems

frameworks_app = typer.Typer(help="The value systems and their 27 dimensions.", no_args_is_help=True)


@frameworks_app.command("list")
def list_frameworks(as_json: bool = JSON_OPTION) -> None:
    """List every value system and its dimensions."""
    systems = load_systems()
    if as_json:
        print_json([
            {"id": s.id, "name": s.name, "version": s.version, "content_hash": s.content_hash,
             "item_format": s.item_format,
             "dimensions": [{"id": d.id, "name": d.name} for d in (s.dimension(i) for i in s.ordered_ids)],
             "groups": [g.model_dump() for g in s.groups]}
            for s in systems
        ])
        return
    rows = [[s.id, d.id, d.name, s.version] for s in systems for d in (s.dimension(i) for i in s.ordered_ids)]
    print_table(f"{len(rows)} dimensions in {len(systems)} value systems", ["system", "dimension", "name", "version"], rows)


@frameworks_app.command("show")
def show(ident: str = typer.Argument(..., metavar="ID", help="A system id or a dimension id."),
         as_json: bool = JSON_OPTION) -> None:
    """Show one value system or one dimension in full."""
    try:
        obj = get_system(ident)
    except UnknownFrameworkError:
        try:
            obj = get_dimension(ident)
        except UnknownFrameworkError as exc:
            raise UnknownFrameworkError(f"{ident!r} is neither a value system nor a dimension",
                                        exc.hint) from exc
    if as_json:
        print_json(obj.model_dump(mode="json"))
        return
    data = obj.model_dump(mode="json")
    for key, value in data.items():
        if key == "dimensions":
            value = ", ".join(d["id"] for d in value)
        elif key == "groups":
            value = "; ".join(f"{g['id']}: {', '.join(g['dimensions'])}" for g in value)
        elif key == "tasks":
            value = ", ".join(t["id"] for t in value)
        elif isinstance(value, list):
            value = ", ".join(map(str, value))
        console.print(f"[bold]{key}[/bold]: {value}")


def register(app: typer.Typer) -> None:
    """Add ``frameworks`` to ``app``."""
    app.add_typer(frameworks_app, name="frameworks")
