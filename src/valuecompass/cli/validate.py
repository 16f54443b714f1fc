"""CLI: ``valuecompass validate``: the validity card of a (model, judge) pair; ``validate show`` prints one.

A thin layer over :func:`valuecompass.validity.validate_model`: options, a progress
line per check, and the card as tables, JSON or Markdown.
"""

from __future__ import annotations

import asyncio
import math
from pathlib import Path
import typer
from rich.console import Console
from typer.core import TyperGroup

from valuecompass.cli._common import JSON_OPTION, STORE_OPTION, console, print_json
from valuecompass.cli.run import parse_model_args
from valuecompass.errors import StoreError, UsageError
from valuecompass.frameworks import get_dimension
from valuecompass.judge import DEFAULT_JUDGE
from valuecompass.models import DEFAULT_MODEL
from valuecompass.store import Store
from valuecompass.validity import CHECKS, ValidityCard, ValidityConfig, steering_summary, validate_model

stderr = Console(stderr=True)


class _DefaultToRun(TyperGroup):
    """``validate [--model ...]`` means ``validate run ...``; ``validate show`` and ``--help`` work as usual."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] != "--help"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


validate_app = typer.Typer(cls=_DefaultToRun, help="Validity evidence for a model's scores (the validity card).")


def _f(x: float | None, digits: int = 2) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def card_markdown(card: ValidityCard) -> str:
    """The card as Markdown, for papers and model cards."""
    lines = [f"# Validity card: {card.model_spec}", "",
             f"Judge `{card.judge_id}`{' (self-judged)' if card.self_judged else ''}; primary run `{card.primary_run}`;"
             f" made {card.created} by valuecompass {card.provenance.get('package_version', '')}.", ""]
    if card.known_groups is not None:
        passed, checked = card.known_groups_passed
        lines += ["## Known groups (can the scorer tell?)", "",
                  f"Constructed answers separated (AUC >= 0.8) on {passed} of {checked} dimensions.", "",
                  "| dimension | items | expressing | opposing | difference (95% CI) | AUC | passes |", "|---|---|---|---|---|---|---|"]
        lines += [f"| {get_dimension(r.dimension).short} | {r.n_items} | {r.expressing:.0f} | {r.opposing:.0f} | "
                  f"{r.difference:+.0f} ({r.low:+.0f} to {r.high:+.0f}) | {r.auc:.2f} | {'yes' if r.passes else 'no'} |"
                  for r in card.known_groups]
        lines.append("")
    if card.steering is not None:
        lines += ["## Steering (does the score move when the values are pushed?)", "", steering_summary(card.steering),
                  "", "| dimension | neutral | promote | oppose | promote - oppose (95% CI) | sign test p | Yes-rate "
                  "promote / oppose | verdict |", "|---|---|---|---|---|---|---|---|"]
        for r in card.steering:
            acq = (f"{r.acquiescence.get('promote', math.nan):.0f}% / {r.acquiescence.get('oppose', math.nan):.0f}%"
                   if r.acquiescence else "-")
            lines.append(f"| {get_dimension(r.dimension).short} | {r.scores['neutral']:.0f} | {r.scores['promote']:.0f}"
                         f" | {r.scores['oppose']:.0f} | {r.difference:+.0f} ({r.low:+.0f} to {r.high:+.0f}) | "
                         f"{r.p_sign:.2f} | {acq} | {r.verdict} |")
        lines.append("")
    if card.reliability is not None:
        r = card.reliability
        lines += ["## Reliability", "",
                  f"- Test-retest (runs {', '.join(r.runs)}, other seed and item draw): Pearson {_f(r.retest_pearson)}, "
                  f"Spearman {_f(r.retest_spearman)}, mean absolute difference {_f(r.retest_mean_abs_difference, 1)} "
                  f"points.",
                  f"- Split-half across dimensions: {_f(r.split_half)} (Spearman-Brown {_f(r.spearman_brown)}).",
                  f"- Judge consistency (answer options in the other order): {_f(r.consistency_agreement)} of "
                  f"{r.consistency_n} verdicts unchanged (kappa {_f(r.consistency_kappa)}).", ""]
    if card.agreement is not None:
        a = card.agreement
        lines += ["## Agreement with people", "", f"{a.n} labelled answers ({a.data.get('path')}).", "",
                  "| system | n | accuracy | macro-F1 | majority-label accuracy | majority macro-F1 |",
                  "|---|---|---|---|---|---|"]
        order = ["all", "schwartz", "mft", "safety", "llm_values"]
        rows = sorted(a.systems.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
        lines += [f"| {s} | {g['n']:.0f} | {g['accuracy']:.2f} | {g['macro_f1']:.2f} | {g['baseline_accuracy']:.2f} | "
                  f"{g['baseline_macro_f1']:.2f} |" for s, g in rows]
        lines.append("")
    if card.self_report is not None:
        lines += ["## Self-report next to behaviour (no pass mark)", ""]
        lines += [f"- {s.questionnaire}: {s.answered} of {s.n_items} items answered with a rating; Spearman with "
                  f"behaviour {_f(s.spearman)}." for s in card.self_report]
        lines.append("")
    checks = ["primary", "known_groups", "steering", "reliability", "agreement", "self_report"]
    lines.append("Seconds per check: " + ", ".join(f"{k} {card.timings[k]:.0f}" for k in checks if k in card.timings)
                 + ".")
    return "\n".join(lines) + "\n"


def _print_card(card: ValidityCard) -> None:
    from rich.markdown import Markdown

    console.print(Markdown(card_markdown(card)))


@validate_app.command("run")
def run(
    model: str = typer.Option(DEFAULT_MODEL, "--model", "-m", help="Examinee, provider/model."),
    judge: str = typer.Option(DEFAULT_JUDGE, "--judge", help="Judge model, provider/model."),
    system: list[str] = typer.Option([], "--system", "-s", help="Only this value system (repeatable)."),
    dimension: list[str] = typer.Option([], "--dimension", "-d", help="Only this dimension (repeatable)."),
    check: list[str] = typer.Option([], "--check", help=f"Only these checks (repeatable): {', '.join(CHECKS)}."),
    known_items: int = typer.Option(3, "--known-items", min=1, max=24, help="Items per dimension, known groups."),
    steering_items: int = typer.Option(2, "--steering-items", min=1, max=24, help="Items per dimension, steering."),
    agreement_limit: int | None = typer.Option(None, "--agreement-limit", min=1,
                                               help="Labelled answers scored for the agreement check (default: all)."),
    base_url: str | None = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint (openai/ models)."),
    model_arg: list[str] = typer.Option([], "--model-arg", "-M", help="Provider option KEY=VALUE (repeatable)."),
    markdown: Path | None = typer.Option(None, "--markdown", help="Also write the card as Markdown to this file."),
    store: Path | None = STORE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Run (or resume) every validity check of a model and store its card."""
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
