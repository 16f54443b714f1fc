"""CLI: ``valuecompass profiles list|show|quiz|import`` (also as the hidden alias ``profile``)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from valuecompass.cli._common import JSON_OPTION, console, print_json, print_table
from valuecompass import metric as vm  # the package's names load on first use: help needs none of them
from valuecompass.metric import DEFAULT_TEMPERATURE, PROFILE_KINDS, QUESTIONNAIRE_SYSTEMS

profiles_app = typer.Typer(help="Value profiles: uniform presets, countries, your own (quiz), custom files.",
                           no_args_is_help=True)

HOME_OPTION = typer.Option(None, "--home", help="User data dir for saved profiles (default: $VALUECOMPASS_HOME "
                           "or the platform's user data dir).", show_default=False)


def _top(profile: vm.ValueProfile, n: int = 3) -> str:
    return ", ".join(f"{d} {w:.2f}" for d, w in profile.top(n) if w > 0)


@profiles_app.command("list")
def list_cmd(
    system: str | None = typer.Option(None, "--system", "-s", help="Only profiles of this value system."),
    kind: str | None = typer.Option(None, "--kind", "-k", help=f"Only this kind: {', '.join(PROFILE_KINDS)}."),
    home: Path | None = HOME_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """List packaged and saved profiles."""
    profiles = vm.list_profiles(system=system, kind=kind, home=home)
    if as_json:
        print_json([{"id": p.id, "name": p.name, "system": p.system, "kind": p.kind, "version": p.version,
                     "content_hash": p.content_hash, "weights": p.weights} for p in profiles])
        return
    rows = [[p.id, p.kind, p.system, p.name, _top(p)] for p in profiles]
    print_table(f"{len(rows)} profiles", ["id", "kind", "system", "name", "top weights"], rows)


@profiles_app.command("show")
def show(ident: str = typer.Argument(..., metavar="ID", help="A profile id or a profile file."),
         home: Path | None = HOME_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Show one profile: its source, and each dimension's priority and weight."""
    profile = vm.get_profile(ident, home=home)
    if as_json:
        print_json(profile.model_dump(mode="json"))
        return
    for key in ("id", "name", "system", "kind", "weighting", "priority_scale", "source", "version", "sample_n",
                "content_hash", "description"):
        value = getattr(profile, key)
        if value not in (None, ""):
            console.print(f"[bold]{key}[/bold]: {value}")
    rows = [[d, f"{profile.priorities[d]:.3f}", f"{w:.3f}", "#" * round(w * 40)] for d, w in profile.weights.items()]
    print_table(f"{profile.id}: weights", ["dimension", "priority", "weight", ""], rows)


def _prompt_answer(out: Console, text: str, lo: int, hi: int) -> int:
    while True:
        value = typer.prompt(text, type=int, err=out.stderr)
        if lo <= value <= hi:
            return value
        out.print(f"[red]please answer with a whole number from {lo} to {hi}[/red]")


def _ask(q: vm.Questionnaire, out: Console) -> dict[str, int]:
    answers: dict[str, int] = {}
    lo, hi = q.scale_range
    total = len(q.items)
    out.print(f"[bold]{q.name}[/bold] ({total} items). {q.terms}")
    for part in q.parts:
        out.print(f"\n[bold]{part.instructions}[/bold]")
        out.print("  " + "   ".join(f"{lo + i} = {label}" for i, label in enumerate(part.scale.labels)))
        for item in (i for i in q.items if i.part == part.id):
            number = q.items.index(item) + 1
            out.print(f"\n[{number}/{total}] {item.text}")
            answers[item.id] = _prompt_answer(out, f"  {part.question} ({lo}-{hi})", lo, hi)
    return answers


@profiles_app.command("quiz")
def quiz(
    system: str = typer.Option("schwartz", "--system", "-s",
                               help=f"Which questionnaire: {', '.join(QUESTIONNAIRE_SYSTEMS)}."),
    save: str | None = typer.Option(None, "--save", help="Save the result as a personal profile with this name."),
    temperature: float = typer.Option(DEFAULT_TEMPERATURE, "--temperature", help="Softmax temperature (scale points) "
                                      "turning your scores into weights."),
    home: Path | None = HOME_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Answer a short questionnaire in the terminal and get your own value profile."""
    q = vm.load_questionnaire(system)
    answers = _ask(q, Console(stderr=True) if as_json else console)  # --json: stdout holds only the JSON
    scores = vm.score_answers(q, answers)
    profile = vm.profile_from_answers(q, answers, name=save or "me", temperature=temperature)
    portrait, path = vm.value_portrait(profile), None
    if save:
        vm.check_new_id(profile)
        path = vm.save_profile(profile, home=home)
    if as_json:
        print_json({"answers": answers, "raw": scores.raw, "centred": scores.centred, "warnings": scores.warnings,
                    "profile": profile.model_dump(mode="json"), "saved_to": str(path) if path else None,
                    "portrait": {"title": portrait.title, "text": portrait.text}})
        return
    for warning in scores.warnings:
        console.print(f"[yellow]warning:[/yellow] {warning}")
    rows = sorted(([d, f"{scores.raw[d]:.2f}", f"{scores.priorities[d]:+.2f}", f"{profile.weights[d]:.3f}"]
                   for d in profile.dimensions), key=lambda r: -float(r[3]))
    print_table("Your value priorities", ["dimension", "mean", "priority", "weight"], rows)
    console.print(f"[bold]{escape(portrait.title)}.[/bold] {escape(portrait.text)}", highlight=False)
    if path:
        console.print(f"saved as profile [bold]{profile.id}[/bold] in {path}")
        console.print(f"next: valuecompass match --profile {profile.id}")
    else:
        console.print("not saved; rerun with --save NAME to keep it")


@profiles_app.command("import")
def import_cmd(path: Path = typer.Argument(..., help="A profile file (.yaml, .json or .csv)."),
               home: Path | None = HOME_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Validate a custom profile file and save it among your profiles."""
    profile = vm.load_profile_file(path)
    vm.check_new_id(profile)
    saved = vm.save_profile(profile, home=home)
    if as_json:
        print_json({"id": profile.id, "saved_to": str(saved), "profile": profile.model_dump(mode="json")})
        return
    console.print(f"[green]ok[/green] imported {profile.id} ({profile.system}, {profile.kind}) into {saved}")
    console.print(f"top weights: {_top(profile)}")


def register(app: typer.Typer) -> None:
    """Add ``profiles`` (and the hidden alias ``profile``) to ``app``."""
    app.add_typer(profiles_app, name="profiles")
    app.add_typer(profiles_app, name="profile", hidden=True)
