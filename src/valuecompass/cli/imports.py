"""CLI: ``valuecompass import inspect LOGFILE``: an Inspect AI log of a valuecompass task as a stored run."""

from __future__ import annotations

from pathlib import Path

import typer

from valuecompass.cli._common import JSON_OPTION, STORE_OPTION, console, print_json

import_app = typer.Typer(help="Bring results made elsewhere into the store: Inspect AI logs.", no_args_is_help=True)


@import_app.command("inspect")
def inspect_log(log_file: Path = typer.Argument(..., metavar="LOGFILE",
                                                help="A log of `inspect eval valuecompass/...` (.eval or .json)."),
                store: Path | None = STORE_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Store an Inspect log's samples, verdicts and scores as a run (importing it again changes nothing).

    The run keeps the log's provenance (file and sha256, Inspect's eval and task ids and version, the
    task's options); `scores`, `align` and the leaderboard show it like any run.
    """
    from valuecompass.cli.scores import behaviour_lines, scores_table
    from valuecompass.ecosystem import import_inspect_log
    from valuecompass.store import Store, run_result

    with Store(store) as db:
        result = import_inspect_log(db, log_file)
        shown = {judge: run_result(db, result.run.run_id, method="share", judge=judge) for judge in result.scores
                 if any(s.score is not None for s in result.scores[judge])}
    if as_json:
        print_json({"run_id": result.run.run_id, "status": result.run.status, "created": result.created,
                    "model": result.run.model_spec, "answers": result.answers, "new_answers": result.new_answers,
                    "new_judgments": result.judgments, "missing": result.missing,
                    "scores": {judge: [s.model_dump(mode="json") for s in scores]
                               for judge, scores in result.scores.items()}})
        return
    what = "imported" if result.created else "already imported; stored what was new"
    console.print(f"{what}: run [bold]{result.run.run_id}[/bold] ({result.run.model_spec}, {result.answers} answers, "
                  f"{result.new_answers} new, {result.judgments} new verdicts, status {result.run.status})")
    if result.missing:
        console.print(f"[yellow]the log lacks {result.missing} planned answers[/yellow]: the run is marked "
                      f"{result.run.status}")
    if not result.scores:
        console.print("the log has no valuecompass verdicts: judge the run with "
                      f"`valuecompass judge run {result.run.run_id}`")
    for scored in shown.values():
        console.print(scores_table(scored))
        for line in behaviour_lines(scored):
            console.print(line)


def register(app: typer.Typer) -> None:
    """Add ``import`` to ``app``."""
    app.add_typer(import_app, name="import")
