"""CLI: ``valuecompass judge RUN_ID | validate | calibrate``: the value judge.

- ``valuecompass judge RUN_ID [--judge SPEC] [--explain]`` judges every response of a run
  that this judge has not judged yet (resumable; another judge's verdicts are kept); ``--explain``
  also finds the sentences each judge verdict rests on, by occlusion;
- ``valuecompass judge validate [--format labelled --data FILE.jsonl]`` scores labelled
  (item, response) pairs through the run's own verdict path and compares with the labels;
  ``--format touche23 --data DIR`` measures free-text value recognition on Touché23-ValueEval;
- ``valuecompass judge calibrate --data DIR --out PROFILE.json`` calibrates a
  judge on labelled examples (exemplars plus per-value thresholds).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from typer.core import TyperGroup

from valuecompass.cli._common import JSON_OPTION, STORE_OPTION, console, print_json, with_judge
from valuecompass.cli.run import parse_model_args
from valuecompass.errors import JudgeError, UnknownFrameworkError, UsageError
from valuecompass.frameworks import get_dimension
from valuecompass.items import load_seed_bank
from valuecompass import judge as vj  # the package's names load on first use: help needs none of them
from valuecompass.judge import DEFAULT_JUDGE, RECOGNISER_PREFIX, SCHWARTZ_VALUES, is_recogniser_spec
from valuecompass.models import file_sha256
from valuecompass.store import Store

if TYPE_CHECKING:
    from valuecompass.pipeline.judging import JudgeStats

stderr = Console(stderr=True)
class _DefaultToRun(TyperGroup):
    """``judge RUN_ID ...`` means ``judge run RUN_ID ...``; named subcommands work as usual."""

    def resolve_command(self, ctx: typer.Context, args: list[str]) -> Any:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["run", *args]
        return super().resolve_command(ctx, args)


judge_app = typer.Typer(cls=_DefaultToRun, no_args_is_help=True,
                        help="The value judge: judge a run's responses (judge RUN_ID), validate, calibrate.")

JUDGE_OPTION = typer.Option(DEFAULT_JUDGE, "--judge", "-j", help="Judge model, provider/model.")
CALIBRATION_OPTION = typer.Option(None, "--calibration", "--profile",
                                  help="A judge calibration (from `judge calibrate`); --profile is its old name, "
                                       "kept for one release.")
JUDGE_ARG_OPTION = typer.Option([], "--judge-arg", "-J", help="Judge provider option KEY=VALUE (repeatable).")


class _Bar:
    """A progress bar on standard error, advanced once per judgment."""

    def __init__(self, enabled: bool, total: int | None = None, what: str = "judging") -> None:
        self.progress = Progress(TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=stderr, disable=not enabled)
        self.task = self.progress.add_task(what, total=total)

    def advance(self, *_: object) -> None:
        """Count one more judgment."""
        self.progress.advance(self.task)

    def stats(self, stats: JudgeStats) -> None:
        """Show a judge stage's counts."""
        self.progress.update(self.task, total=stats.total, completed=stats.cached + stats.judged)


COHERENCE_OPTION = typer.Option(False, "--coherence/--no-coherence",
                                help="Also ask whether stance answers' key points argue for their stance (off: the "
                                "default judge cannot tell, see docs/judge-validation.md).")


EXPLAIN_OPTION = typer.Option(False, "--explain/--no-explain",
                              help="Find the sentences each judge verdict rests on by occlusion: ask its question "
                              "again with each sentence left out (about one extra judge call per sentence, at most "
                              "12 per verdict). Labels never change; responses judged before are left as stored.")


def _build_judge(spec: str, profile: Path | None, judge_arg: list[str], rationale_tokens: int,
                 coherence: bool = False, explain: bool = False) -> vj.Judge:
    if is_recogniser_spec(spec):
        raise UsageError(f"{spec} answers value-recognition questions only (judge validate --format touche23)",
                         hint=f"judge runs and the labelled set with an LLM judge, e.g. --judge {DEFAULT_JUDGE}")
    settings = vj.JudgeSettings(rationale_tokens=rationale_tokens, coherence=coherence, explain=explain)
    return vj.make_judge(spec, profile=profile, settings=settings, model_options=parse_model_args(judge_arg))


@judge_app.command("run")
def run(
    run_id: str = typer.Argument(..., metavar="RUN_ID", help="A run id (a unique prefix is enough)."),
    judge: str = JUDGE_OPTION,
    profile: Path | None = CALIBRATION_OPTION,
    judge_arg: list[str] = JUDGE_ARG_OPTION,
    rationale_tokens: int = typer.Option(24, "--rationale-tokens", min=0, max=256,
                                         help="Most tokens of each judgment's reason (0: label only)."),
    coherence: bool = COHERENCE_OPTION,
    explain: bool = EXPLAIN_OPTION,
    store: Path | None = STORE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Judge every response of a run not yet judged by this judge (rerun to resume)."""
    from valuecompass.pipeline.judging import judge_run

    judge_obj = _build_judge(judge, profile, judge_arg, rationale_tokens, coherence, explain)
    bar = _Bar(not as_json)
    with Store(store) as db, bar.progress:
        stats = with_judge(judge_obj, lambda: judge_run(db, run_id, judge_obj, progress=bar.stats))
    if as_json:
        print_json(stats.as_dict())
        return
    spj = stats.seconds_per_judgment
    stderr.print(f"[green]judged[/green] run {stats.run_id} with {stats.judge_id}: {stats.judged} new, "
                 f"{stats.cached} already judged, {stats.unparsable} unparsable"
                 + (f", {stats.skipped} without item" if stats.skipped else "")
                 + (f"; {spj:.2f} s/judgment" if spj is not None else ""))
    if stats.self_judged:
        stderr.print("[yellow]note: the judge is the examinee's own model (self-judging)[/yellow]")
    stderr.print(f"next: valuecompass scores {stats.run_id}")


def _f(x: float | None, digits: int = 2) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def _value_table(title: str, what: str, rows: Sequence[vj.ValueAgreement]) -> Table:
    table = Table(title=title)
    table.add_column(what, no_wrap=True)
    for col in ("n", "human yes", "judge yes", "precision", "recall", "F1", "AUC", "tp/fp/fn/tn", "unparsable"):
        table.add_column(col, justify="right")
    for v in rows:
        table.add_row(v.value, str(v.n), str(v.positives), str(v.predicted), _f(v.precision), _f(v.recall), _f(v.f1),
                      _f(v.auc), f"{v.confusion.tp}/{v.confusion.fp}/{v.confusion.fn}/{v.confusion.tn}",
                      str(v.unparsable))
    return table


def print_report(report: vj.AgreementReport) -> None:
    """Print an agreement report as a table plus its summary lines."""
    d = report.data
    where = (f"{d.get('split')} split, {d.get('n_arguments')} arguments (seed {d.get('seed')}), "
             f"judge {report.judge.judge_id}")
    console.print(_value_table(f"agreement with Touché23 human labels: {where}", "value", report.values))
    if report.categories:
        console.print(_value_table(f"the 20 Touché23 categories: {where}", "category", report.categories))
        stderr.print(f"categories: macro-F1 {_f(report.categories_macro_f1)}  "
                     f"(always-yes macro-F1 {_f(report.categories_all_yes_macro_f1)})")
    c = report.confusion
    stderr.print(f"macro-F1 {_f(report.macro_f1)}  micro-F1 {_f(report.micro_f1)}  mean AUC {_f(report.mean_auc)}  "
                 f"(always-yes macro-F1 {_f(report.all_yes_macro_f1)})")
    stderr.print(f"pooled confusion: tp {c.tp}, fp {c.fp}, fn {c.fn}, tn {c.tn}; {report.n_unparsable} unparsable of "
                 f"{report.n_judgments}; {report.seconds_per_judgment:.2f} s/judgment")
    stderr.print("reference (SemEval-2023 Task 4, 20 categories, not directly comparable): "
                 + ", ".join(f"{k} {v}" for k, v in report.reference.items()))


def _check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    if fmt not in allowed:
        raise JudgeError(f"unknown data format {fmt!r}", hint=f"use one of: {', '.join(allowed)}")


def _values(values: list[str]) -> tuple[str, ...]:
    chosen = tuple(v for part in values for v in part.split(",") if v) or SCHWARTZ_VALUES
    unknown = [v for v in chosen if v not in SCHWARTZ_VALUES]
    if unknown:
        raise JudgeError(f"unknown Schwartz value(s) {unknown}", hint=f"use: {', '.join(SCHWARTZ_VALUES)}")
    return chosen


@judge_app.command("validate")
def validate(
    data: Path | None = typer.Option(None, "--data", help="touche23: the folder with arguments-SPLIT.tsv and "
                                     "labels-SPLIT.tsv; labelled: a JSONL file (default: the packaged "
                                     "development set)."),
    fmt: str = typer.Option("labelled", "--format", help="Data format: labelled (item/response/label JSONL) "
                            "or touche23."),
    split: str = typer.Option("validation", "--split", help="Touché split to read."),
    judge: str | None = typer.Option(None, "--judge", "-j", help="Judge: provider/model, or recogniser or recogniser/NAME "
                                     "(touche23 only). Default: the recogniser for touche23 (it agrees with the "
                                     f"human labels more often), {DEFAULT_JUDGE} for labelled."),
    profile: Path | None = CALIBRATION_OPTION,
    judge_arg: list[str] = JUDGE_ARG_OPTION,
    limit: int | None = typer.Option(None, "--limit", min=1, help="Judge a seeded sample of this many "
                                     "arguments (touche23) or records (labelled)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the sample."),
    value: list[str] = typer.Option([], "--value", help="Only these Schwartz values (touche23; repeatable or "
                                    "comma-separated)."),
    out: Path | None = typer.Option(None, "--out", help="Also write the report as JSON to this file."),
    coherence: bool = COHERENCE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Measure the judge's agreement with human labels, scored through the run's own verdict path."""
    _check_format(fmt, ("labelled", "touche23"))
    if fmt == "labelled":
        report: vj.AgreementReport | vj.LabelledReport = _validate_labelled(data, judge or DEFAULT_JUDGE, profile,
                                                                      judge_arg, limit, seed, as_json, coherence)
    else:
        if data is None:
            raise JudgeError("--format touche23 needs --data DIR",
                             hint="the folder of Touché23-ValueEval with arguments-SPLIT.tsv and labels-SPLIT.tsv")
        report = _validate_touche(data, split, judge or RECOGNISER_PREFIX, profile, judge_arg, limit, seed, value,
                                  as_json)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report.model_dump_json(indent=2) + "\n", encoding="utf-8")
    if as_json:
        print_json(report.model_dump(mode="json"))
    elif isinstance(report, vj.LabelledReport):
        print_labelled_report(report)
    else:
        print_report(report)


def _validate_touche(data: Path, split: str, judge: str, profile: Path | None, judge_arg: list[str],
                     limit: int | None, seed: int, value: list[str], quiet: bool) -> vj.AgreementReport:
    values = _values(value)
    arguments = vj.sample_arguments(vj.read_touche(data, split), limit, seed)
    judge_obj: vj.Judge | vj.RecogniserJudge
    if is_recogniser_spec(judge):
        if profile is not None or judge_arg:
            raise UsageError("a recogniser takes no --calibration or --judge-arg",
                             hint="its thresholds are part of its weights")
        judge_obj = vj.RecogniserJudge.from_spec(judge, explain=False)  # the report shows no evidence
    else:
        judge_obj = _build_judge(judge, profile, judge_arg, 0)
    info = {"dataset": "touche23-valueeval", "path": str(data), "split": split, "n_arguments": len(arguments),
            "limit": limit, "seed": seed, "values": list(values)}
    bar = _Bar(not quiet, len(arguments) * len(values))
    with bar.progress:
        return with_judge(judge_obj, lambda: vj.validate_touche(judge_obj, arguments, values=values, data=info,
                                                              on_judgment=bar.advance))


def _validate_labelled(data: Path | None, judge: str, profile: Path | None, judge_arg: list[str],
                       limit: int | None, seed: int, quiet: bool, coherence: bool = False) -> vj.LabelledReport:
    path = data or vj.default_labelled_path()
    bank = {i.id: i for i in load_seed_bank()}
    pairs = vj.load_labelled(path, bank)
    if limit is not None and limit < len(pairs):
        pairs = random.Random(seed).sample(pairs, limit)
    judge_obj = _build_judge(judge, profile, judge_arg, 0, coherence)
    info = {"dataset": "labelled", "path": str(path), "sha256": file_sha256(path), "n_records": len(pairs),
            "limit": limit, "seed": seed}
    bar = _Bar(not quiet, len(pairs))
    with bar.progress:
        return with_judge(judge_obj, lambda: vj.validate_labelled(judge_obj, pairs, data=info, on_judgment=bar.advance))


def _group_name(group: str) -> str:
    try:
        return get_dimension(group).short
    except UnknownFrameworkError:
        return group


def _agreement_table(title: str, groups: Sequence[vj.GroupAgreement]) -> Table:
    """Accuracy and macro-F1 of a group next to the majority-label baseline; fits 80 columns."""
    table = Table(title=title, caption="baseline: always the group's most common human label (shown)")
    table.add_column("group", no_wrap=True, max_width=24)
    for col in ("n", "acc.", "macro-F1", "baseline", "base acc.", "base F1"):
        table.add_column(col, justify="right", no_wrap=True)
    for g in groups:
        table.add_row(_group_name(g.group), str(g.n), _f(g.accuracy), _f(g.macro_f1), g.majority_label,
                      _f(g.baseline_accuracy), _f(g.baseline_macro_f1))
    return table


def print_labelled_report(report: vj.LabelledReport) -> None:
    """Print the agreement of a judge's verdicts with labelled records, per system, path and dimension."""
    d = report.data
    console.print(_agreement_table(f"agreement with human labels: {d.get('n_records')} records of "
                                   f"{Path(str(d.get('path'))).name}, judge {report.judge.judge_id}",
                                   [report.overall, *report.systems]))
    console.print(_agreement_table("by verdict path", report.paths))
    console.print(_agreement_table("by dimension", report.dimensions))
    if report.cases:
        table = Table(title="hard cases")
        for col in ("case", "n", "accuracy"):
            table.add_column(col, justify="left" if col == "case" else "right")
        for c in report.cases:
            table.add_row(c.case, str(c.n), _f(c.accuracy))
        console.print(table)
    if report.over_refusal is not None:
        o = report.over_refusal
        stderr.print(f"over-refusal flag vs labels: accuracy {_f(o.accuracy)} on {o.n} benign requests "
                     f"(majority baseline {_f(o.baseline_accuracy)})")
    stderr.print("confusion (human label -> verdict): " + "; ".join(
        f"{t}: " + ", ".join(f"{p} {n}" for p, n in sorted(row.items())) for t, row in report.overall.confusion.items()))
    stderr.print(f"always answering supports: accuracy {_f(report.overall.always_supports_accuracy)}; "
                 f"{report.n_unparsable} unreadable verdicts; {report.seconds_per_record:.2f} s per record")


def _print_profile(profile: vj.JudgeCalibration, path: Path) -> None:
    table = Table(title=f"judge calibration {profile.profile_id} for {profile.judge_spec}")
    table.add_column("dimension", no_wrap=True)
    table.add_column("label", no_wrap=True)
    for col in ("threshold", "ex.", "n", "F1", "F1*", "AUC"):
        table.add_column(col, justify="right")
    for dim, cal in profile.dimensions.items():
        for fit in cal.fits:
            if fit.f1_tuned is None:
                continue
            table.add_row(dim, fit.label, _f(cal.thresholds.get(fit.label)), str(len(cal.exemplars)), str(fit.n),
                          _f(fit.f1_default), _f(fit.f1_tuned), _f(fit.auc))
    console.print(table)
    stderr.print("ex.: exemplars in the prompt; n: examples the threshold was tuned on; F1: before tuning; "
                  "F1*: after, in-sample (optimistic: measure with `valuecompass judge validate --profile`)")
    stderr.print(f"saved {path}; use it with --profile {path}")


@judge_app.command("calibrate")
def calibrate_cmd(
    data: Path = typer.Option(..., "--data", help="Touché folder (touche23) or a JSONL file of labelled examples."),
    fmt: str = typer.Option("touche23", "--format", help="Data format: touche23 or jsonl."),
    split: str = typer.Option("training", "--split", help="Touché split to draw examples from."),
    out: Path = typer.Option(..., "--out", help="Where to write the profile (JSON)."),
    judge: str = JUDGE_OPTION,
    judge_arg: list[str] = JUDGE_ARG_OPTION,
    per_value: int = typer.Option(24, "--per-value", min=2, help="Touché examples drawn per value."),
    exemplars: int = typer.Option(1, "--exemplars", min=0, help="In-context exemplars per label and value."),
    max_validation: int | None = typer.Option(None, "--max-validation", min=1,
                                              help="Most validation examples per value."),
    value: list[str] = typer.Option([], "--value", help="Only these Schwartz values (touche23)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the draw, exemplar choice and split."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Calibrate a judge on labelled examples: in-context exemplars and per-value thresholds."""
    _check_format(fmt, ("touche23", "jsonl"))
    if fmt == "touche23":
        examples = vj.touche_examples(vj.read_touche(data, split), per_value, values=_values(value), seed=seed)
        source = {"dataset": "touche23-valueeval", "path": str(data), "split": split, "per_value": per_value}
    else:
        examples = vj.load_labelled_examples(data)
        source = {"dataset": "jsonl", "path": str(data)}
    source["n_examples"] = len(examples)
    judge_obj = _build_judge(judge, None, judge_arg, 0)
    bar = _Bar(not as_json, None, "calibrating")
    with bar.progress:
        profile = with_judge(judge_obj, lambda: vj.calibrate(
            judge_obj, examples, exemplars_per_label=exemplars, max_validation=max_validation, seed=seed,
            source=source, on_judgment=bar.advance))
    path = vj.save_profile(profile, out)
    if as_json:
        print_json(profile.model_dump(mode="json", by_alias=True))
        return
    _print_profile(profile, path)


def register(app: typer.Typer) -> None:
    """Add ``judge`` to ``app``."""
    app.add_typer(judge_app, name="judge")
