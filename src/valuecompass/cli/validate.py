"""CLI: ``valuecompass validate``: the validity card of a (model, judge) pair; ``validate show`` prints one.

A thin layer over :func:`valuecompass.validity.validate_model`: options, a progress
line per check, and the card as tables, JSON or Markdown.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from typer.core import TyperGroup

from valuecompass.cli._common import JSON_OPTION, STORE_OPTION, console, print_json
from valuecompass.cli.run import parse_model_args
from valuecompass.errors import StoreError, UsageError
from valuecompass.judge import DEFAULT_JUDGE
from valuecompass.models import DEFAULT_MODEL
from valuecompass.validity import CHECKS

if TYPE_CHECKING:
    from valuecompass.validity import ValidityCard

stderr = Console(stderr=True)


class _DefaultToRun(TyperGroup):
    """``validate [--model ...]`` means ``validate run ...``; ``validate show`` and ``--help`` work as usual."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] != "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


validate_app = typer.Typer(cls=_DefaultToRun, help="Validity evidence for a model's scores (the validity card).")


def _print_card(card: ValidityCard) -> None:
    from rich.markdown import Markdown

    from valuecompass.validity import card_markdown

    console.print(Markdown(card_markdown(card)))


@validate_app.command("run")
def run(
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Examinee, provider/model."),
    judge: str = typer.Option(DEFAULT_JUDGE, "--judge", help="Judge model, provider/model."),
    system: list[str] = typer.Option([], "--system", "-s", help="Only this value system (repeatable)."),
    dimension: list[str] = typer.Option([], "--dimension", "-d", help="Only this dimension (repeatable)."),
    check: list[str] = typer.Option([], "--check", help=f"Only these checks (repeatable): {', '.join(CHECKS)}."),
    known_items: int = typer.Option(2, "--known-items", min=1, max=24, help="Items per dimension, known groups."),
    steering_items: int = typer.Option(2, "--steering-items", min=1, max=24, help="Items per dimension, steering."),
    agreement_limit: int = typer.Option(120, "--agreement-limit", min=1,
                                        help="Labelled answers scored for the agreement check (a seeded sample; "
                                        "417 scores them all)."),
    base_url: str | None = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint (openai/ models)."),
    model_arg: list[str] = typer.Option([], "--model-arg", "-M", help="Provider option KEY=VALUE (repeatable)."),
    markdown: Path | None = typer.Option(None, "--markdown", help="Also write the card as Markdown to this file."),
    store: Path | None = STORE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Run (or resume) every validity check of a model and store its card."""
    from valuecompass.store import Store
    from valuecompass.validity import ValidityConfig, card_markdown, validate_model

    unknown = sorted(set(check) - set(CHECKS))
    if unknown:
        raise UsageError(f"unknown check(s) {', '.join(unknown)}", hint=f"use: {', '.join(CHECKS)}")
    options = parse_model_args(model_arg)
    if base_url:
        options["base_url"] = base_url
    config = ValidityConfig(model=model, model_options=options, judge=judge, systems=tuple(system),
                            dimensions=tuple(dimension), checks=tuple(check) or CHECKS, known_items=known_items,
                            steering_items=steering_items, agreement_limit=agreement_limit)

    def progress(name: str, done: int, total: int) -> None:
        if not as_json and name != "done":
            stderr.print(f"[dim][{done + 1}/{total}] {name.replace('_', ' ')}[/dim]")

    with Store(store) as db:
        card = asyncio.run(validate_model(config, db, progress=progress))
    if markdown is not None:
        markdown.write_text(card_markdown(card), encoding="utf-8")
    if as_json:
        print_json(card.model_dump(mode="json"))
        return
    _print_card(card)
    stderr.print(f"stored card {card.card_id}; show it again with: valuecompass validate show --model {model}")


@validate_app.command("show")
def show(
    model: str | None = typer.Option(None, "--model", "-m", help="The newest card of this model (default: newest)."),
    fmt: str = typer.Option("table", "--format", help="table, json or markdown."),
    store: Path | None = STORE_OPTION,
) -> None:
    """Print a stored validity card."""
    from valuecompass.store import Store
    from valuecompass.validity import ValidityCard, card_markdown

    if fmt not in ("table", "json", "markdown"):
        raise UsageError(f"unknown format {fmt!r}", hint="use table, json or markdown")
    with Store.existing(store) as db:
        cards = db.cards("card", model)
    if not cards:
        raise StoreError("no validity card" + (f" of model {model!r}" if model else "") + " in the store",
                         hint="make one: valuecompass validate --model SPEC")
    card = ValidityCard.model_validate(cards[0])
    if fmt == "json":
        print_json(card.model_dump(mode="json"))
    elif fmt == "markdown":
        typer.echo(card_markdown(card), nl=False)
    else:
        _print_card(card)


def register(app: typer.Typer) -> None:
    """Add ``validate`` to ``app``."""
    app.add_typer(validate_app, name="validate")
