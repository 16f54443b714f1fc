"""CLI: ``valuecompass models list|prepare``."""

from __future__ import annotations

import contextlib

import typer

from valuecompass.cli._common import JSON_OPTION, console, print_json, print_table
from valuecompass.models import EMBEDDED, known_models, prepare_embedded

models_app = typer.Typer(help="Model providers and the embedded models.", no_args_is_help=True)


@models_app.command("list")
def list_models(as_json: bool = JSON_OPTION) -> None:
    """List the known model specs and whether they can run here."""
    known = known_models()
    if as_json:
        print_json([{"spec": k.spec, "description": k.description, "status": k.status, "fix": k.fix} for k in known])
        return
    print_table("models (spec = provider/model)", ["spec", "status", "description", "to fix"],
                [[k.spec, k.status, k.description, k.fix] for k in known])


@models_app.command("prepare")
def prepare(names: list[str] = typer.Argument(None, metavar="[NAME]...",
                                              help=f"Embedded models (default: all of {', '.join(EMBEDDED)})."),
            as_json: bool = JSON_OPTION) -> None:
    """Join the embedded models' parts into the cache and verify their checksums (once)."""
    results = []
    for name in names or list(EMBEDDED):
        busy = contextlib.nullcontext() if as_json else console.status(f"preparing {name} (once: join and hash)")
        with busy:
            prepared = prepare_embedded(name)
        results.append(prepared)
        if not as_json:
            state = "joined and verified" if prepared.joined else "verified"
            console.print(f"[green]ok[/green] local/{name}: {state}, {prepared.path}")
    if as_json:
        print_json([{"spec": f"local/{p.name}", "path": str(p.path), "sha256": p.sha256, "joined": p.joined}
                    for p in results])


def register(app: typer.Typer) -> None:
    """Add ``models`` to ``app``."""
    app.add_typer(models_app, name="models")
