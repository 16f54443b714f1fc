"""CLI: ``valuecompass align`` (models ranked by alignment, or a models x profiles matrix) and
``valuecompass match`` (the models most similar to a profile)."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from pathlib import Path

import typer

from valuecompass.cli._common import (
    JSON_OPTION,
    SCORE_JUDGE_OPTION,
    SCORE_METHOD_OPTION,
    STORE_OPTION,
    print_json,
    print_table,
)
from valuecompass.errors import ValueCompassError
from valuecompass import metric as vm  # the package's names load on first use: help needs none of them
from valuecompass.metric import DEFAULT_PROFILE_ID, MATRIX_METHODS, Z95

log = logging.getLogger(__name__)

SCORES_OPTION = typer.Option(None, "--scores", help='A JSON file {model: {dimension: {"score": 0-100, "se": ...}}} '
                             "to use instead of the store.")
RUN_OPTION = typer.Option([], "--run", "-r", help="Only these runs from the store (repeatable; default: every run "
                          "with scores).")
HOME_OPTION = typer.Option(None, "--home", help="User data dir for saved profiles.", show_default=False)
BOOT_OPTION = typer.Option(0, "--bootstrap", min=0, help="Parametric-bootstrap replicates for intervals (0: normal "
                           "interval for alignment, none for similarities).")
SEED_OPTION = typer.Option(0, "--seed", help="Seed of the bootstrap.")


def load_model_scores(store_path: str | Path | None, run_ids: Sequence[str], method: str | None = None,
                      judge: str | None = None) -> dict[str, dict[str, vm.DimScore]]:
    """Per-dimension scores of evaluated models, read through the store's one results reader.

    One model per model spec (the run the reader's rule picks), or one per given run
    (labelled ``spec [run-id prefix]`` when two share a spec). A score's SE is half its
    stored 95% interval over 1.96, as everywhere.

    Args:
        store_path: The store file (``None``: the default store).
        run_ids: Runs to use (unique id prefixes are enough); empty: every model's chosen run.
        method: Only estimates of this method (``irt-cat`` or ``share``).
        judge: Only estimates resting on this judge.

    Returns:
        Model label -> dimension id -> :class:`DimScore`.

    Raises:
        ValueCompassError: if there is no store or it holds no scores yet.
    """
    from valuecompass.store import Store, model_results, resolve_store_path

    path = resolve_store_path(store_path)
    if not path.exists():
        raise ValueCompassError(f"no scores yet: no store at {str(path)!r}",
                                "evaluate a model first (valuecompass run ...), give --store, or pass --scores FILE")
    with Store(path) as store:
        found = model_results(store, method=method, judge=judge, run_ids=run_ids)
    if found.hidden:
        log.warning("models scored only by another method or judge are not included: %s",
                    ", ".join(f"{n} under {k}" for k, n in sorted(found.hidden.items())))
    specs = [r.run.model_spec for r in found.results]
    table: dict[str, dict[str, vm.DimScore]] = {}
    for r in found.results:
        label = r.run.model_spec if specs.count(r.run.model_spec) == 1 else f"{r.run.model_spec} [{r.run.run_id[:8]}]"
        table[label] = {d: vm.DimScore(row.score, row.se or 0.0) for d, row in r.scores.items()}
    return table


def _scores(scores_file: Path | None, store: Path | None, runs: list[str], method: str | None = None,
            judge: str | None = None) -> dict[str, dict[str, vm.DimScore]]:
    if scores_file is not None:
        if runs or method or judge:
            raise ValueCompassError("--run, --score-method and --judge choose scores from the store and cannot be "
                                    "combined with --scores", "drop them, or drop --scores")
        return vm.load_scores_file(scores_file)
    return load_model_scores(store, runs, method=method, judge=judge)


def _fmt(x: float, digits: int = 1) -> str:
    return "n/a" if math.isnan(x) else f"{x:.{digits}f}"


def _ranking(table: dict[str, dict[str, vm.DimScore]], profile: vm.ValueProfile, on_missing: str, n_boot: int,
             seed: int) -> list[dict]:
    rows = []
    for a in vm.align_models(table, profile, on_missing=on_missing):  # type: ignore[arg-type]
        low, high = a.low, a.high
        if n_boot > 0 and not a.missing:
            boot = vm.bootstrap_alignment(table[a.model], profile.weights, n_boot=n_boot, rng=seed)
            low, high = boot.low, boot.high
        rho = vm.spearman_view(table[a.model], profile, model=a.model)
        cos = vm.cosine_view(table[a.model], profile, model=a.model)
        rows.append({"model": a.model, "align": a.value, "se": a.se, "low": low, "high": high,
                     "spearman": rho.value, "cosine": cos.value, "missing": list(a.missing)})
    return rows


def _print_matrix(matrix_rows: list[list[str]], models: list[str], profiles: list[str], title: str) -> None:
    if len(profiles) > len(models) and len(profiles) > 8:
        cols = ["profile", *models]
        rows = [[p, *(matrix_rows[i][j] for i in range(len(models)))] for j, p in enumerate(profiles)]
        print_table(title + " (transposed: profiles x models)", cols, rows)
    else:
        print_table(title, ["model", *profiles], [[m, *matrix_rows[i]] for i, m in enumerate(models)])


def _matrix(table: dict[str, dict[str, vm.DimScore]], profiles: list[vm.ValueProfile], method: str,
            as_json: bool) -> None:
    m = vm.similarity_matrix(table, profiles, method)  # type: ignore[arg-type]
    if as_json:
        print_json({"method": m.method, "models": m.models, "profiles": m.profiles,
                    "values": [[None if math.isnan(v) else v for v in row] for row in m.values]})
        return
    digits = 1 if method == "align" else 2
    cells = [[_fmt(v, digits) for v in row] for row in m.values]
    title = f"{method}: {len(m.models)} models x {len(m.profiles)} profiles"
    _print_matrix(cells, list(m.models), list(m.profiles), title)


def _matrix_profiles(refs: list[str], system: str, home: Path | None) -> list[vm.ValueProfile]:
    if refs:
        return [vm.get_profile(r, home=home) for r in refs]
    profiles = list(vm.list_profiles(system=system, kind="country", home=home))
    if not profiles:
        raise ValueCompassError(f"no country profiles for system {system!r}", "give profiles with --profile")
    return profiles


def align(
    profile: list[str] = typer.Option([], "--profile", "-p", help="Profile id or file (repeatable with --matrix; "
                                      f"default {DEFAULT_PROFILE_ID})."),
    runs: list[str] = RUN_OPTION,
    scores_file: Path | None = SCORES_OPTION,
    store: Path | None = STORE_OPTION,
    score_method: str | None = SCORE_METHOD_OPTION,
    judge: str | None = SCORE_JUDGE_OPTION,
    matrix: bool = typer.Option(False, "--matrix", help="A models x profiles table instead of a ranking."),
    system: str = typer.Option("schwartz", "--system", "-s", help="With --matrix and no --profile: the country "
                               "profiles of this system."),
    method: str = typer.Option("align", "--method", help=f"With --matrix: {', '.join(MATRIX_METHODS)}."),
    on_missing: str = typer.Option("error", "--on-missing", help="A weighted dimension without a score: 'error' "
                                   "or 'renormalise' the other weights."),
    n_boot: int = BOOT_OPTION,
    seed: int = SEED_OPTION,
    home: Path | None = HOME_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Rank models by their alignment with a value profile, with intervals."""
    if on_missing not in ("error", "renormalise"):
        raise ValueCompassError(f"unknown --on-missing {on_missing!r}", "use 'error' or 'renormalise'")
    table = _scores(scores_file, store, runs, score_method, judge)
    if matrix:
        _matrix(table, _matrix_profiles(profile, system, home), method, as_json)
        return
    if len(profile) > 1:
        raise ValueCompassError("a ranking takes one --profile", "give one profile, or add --matrix")
    p = vm.get_profile(profile[0] if profile else DEFAULT_PROFILE_ID, home=home)
    rows = _ranking(table, p, on_missing, n_boot, seed)
    if as_json:
        print_json({"profile": p.id, "profile_hash": p.content_hash, "interval": "bootstrap" if n_boot else "normal",
                    "models": [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in r.items()}
                               for r in rows]})
        return
    any_missing = any(r["missing"] for r in rows)
    shown = [[str(i), r["model"], _fmt(r["align"]), _fmt(r["se"], 2), f"[{_fmt(r['low'])}, {_fmt(r['high'])}]",
              _fmt(r["spearman"], 2), _fmt(r["cosine"], 3)] + ([", ".join(r["missing"])] if any_missing else [])
             for i, r in enumerate(rows, 1)]
    columns = ["rank", "model", "align", "se", "95% interval", "spearman", "cosine"]
    print_table(f"Alignment with {p.id} ({p.name})", columns + (["unscored (renormalised)"] if any_missing else []),
                shown)


def match(
    profile: str = typer.Option(DEFAULT_PROFILE_ID, "--profile", "-p", help="Profile id or file (e.g. your quiz "
                                "result)."),
    runs: list[str] = RUN_OPTION,
    scores_file: Path | None = SCORES_OPTION,
    store: Path | None = STORE_OPTION,
    score_method: str | None = SCORE_METHOD_OPTION,
    judge: str | None = SCORE_JUDGE_OPTION,
    method: str = typer.Option("spearman", "--method", help="spearman (rank agreement) or cosine."),
    top: int = typer.Option(5, "--top", "-n", min=1, help="How many models to show."),
    n_boot: int = BOOT_OPTION,
    seed: int = SEED_OPTION,
    home: Path | None = HOME_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """The models whose values are most similar to a profile (Spearman over its dimensions by default)."""
    if method not in ("spearman", "cosine"):
        raise ValueCompassError(f"unknown --method {method!r}", "use 'spearman' or 'cosine'")
    table = _scores(scores_file, store, runs, score_method, judge)
    p = vm.get_profile(profile, home=home)
    views = [vm.similarity_view(s, p, method, model=m, n_boot=n_boot, rng=seed) for m, s in table.items()]  # type: ignore[arg-type]
    views.sort(key=lambda v: (math.isnan(v.value), -v.value if not math.isnan(v.value) else 0.0, v.model))
    views = views[:top]
    if as_json:
        print_json({"profile": p.id, "method": method, "models": [
            {"model": v.model, "value": None if math.isnan(v.value) else v.value,
             "low": None if math.isnan(v.low) else v.low, "high": None if math.isnan(v.high) else v.high,
             "n_dims": v.n_dims, "note": v.note} for v in views]})
        return
    rows = [[str(i), v.model, _fmt(v.value, 3), "" if math.isnan(v.low) else f"[{v.low:.2f}, {v.high:.2f}]",
             str(v.n_dims), v.note] for i, v in enumerate(views, 1)]
    print_table(f"Models most similar to {p.id} by {method}",
                ["rank", "model", method, "interval", "dims", "note"], rows)


def register(app: typer.Typer) -> None:
    """Add ``align`` and ``match`` to ``app``."""
    app.command("align")(align)
    app.command("match")(match)
