"""CLI: ``valuecompass items generate|calibrate|stats``: the evolving bank in the store."""

from __future__ import annotations

import asyncio
from pathlib import Path

import typer

from valuecompass.cli._common import JSON_OPTION, STORE_OPTION, console, print_json, print_table
from valuecompass.frameworks import all_dimensions, get_dimension
from valuecompass.items import seed_bank_version
from valuecompass.models import DEFAULT_MODEL, get_model


def _dims(dimension: list[str]) -> list[str]:
    return [get_dimension(d).id for d in dimension] if dimension else [d.id for d in all_dimensions()]


def generate(
    dimension: str = typer.Option(..., "--dimension", "-d", help="The dimension to write items for."),
    target: float = typer.Option(1.0, "--target", "-b", help="Target difficulty (logit; 0 = medium, 1.5 = hard)."),
    n: int = typer.Option(4, "--n", min=1, max=10, help="Items to ask for."),
    generator: str = typer.Option(DEFAULT_MODEL, "--generator", help="Generator model, provider/model."),
    judge: str | None = typer.Option(None, "--judge", help="Relevance judge (default: the generator)."),
    seed: int = typer.Option(0, "--seed", help="Sampling seed of the generator."),
    store: Path | None = STORE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Write new items for a dimension at a target difficulty; those passing the checks join the bank."""
    from valuecompass.itemgen import AnchorItem, GenerationSettings, generate_items
    from valuecompass.pipeline import load_bank
    from valuecompass.store import Store

    dim = get_dimension(dimension).id

    async def go():
        gen = get_model(generator)
        rel = gen if judge in (None, generator) else get_model(judge)
        try:
            with Store(store) as db:
                bank = load_bank(db, dim)
                exemplars = [AnchorItem(i, p.b) for i, p in zip(bank.items, bank.params)]
                result = await generate_items(gen, dim, target, exemplars, [i.text for i in bank.items], judge=rel,
                                              settings=GenerationSettings(n=n, seed=seed),
                                              bank_version=seed_bank_version())
                db.insert_items(result.accepted)
            return result
        finally:
            for model in {id(gen): gen, id(rel): rel}.values():
                await model.aclose()

    result = asyncio.run(go())
    if as_json:
        print_json({"accepted": [i.model_dump(mode="json") for i in result.accepted],
                    "rejected": [{"text": t, "reason": r} for t, r in result.rejected]})
        return
    for item in result.accepted:
        console.print(f"[green]+[/green] {item.id}: {item.text}")
    for text, reason in result.rejected:
        console.print(f"[yellow]-[/yellow] rejected ({reason}): {text[:100]}")
    console.print(f"{len(result.accepted)} new items in the bank of {dim}")


def calibrate(
    dimension: list[str] = typer.Option([], "--dimension", "-d", help="Only this dimension (repeatable)."),
    judge: str | None = typer.Option(None, "--judge-id", help="Use only this judge's judgments."),
    store: Path | None = STORE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Calibrate 2PL item parameters from every judged response of every model in the store."""
    from valuecompass.pipeline import calibrate_dimension
    from valuecompass.store import Store

    with Store(store) as db:
        results = [calibrate_dimension(db, d, judge) for d in _dims(dimension)]
    done = [r for r in results if r is not None]
    if as_json:
        print_json([r.__dict__ for r in done])
        return
    print_table(f"calibrated {len(done)} dimensions", ["dimension", "models", "items", "responses", "retired",
                                                       "converged"],
                [[r.dimension, r.n_models, r.n_items, r.n_responses, r.n_retired, r.converged] for r in done])
    if any(r.n_models < 5 for r in done):
        console.print("[yellow]note: fewer than 5 models: parameters lean on their priors[/yellow]")


def stats(
    dimension: list[str] = typer.Option([], "--dimension", "-d", help="Only this dimension (repeatable)."),
    store: Path | None = STORE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Per item: difficulty, discrimination, responses, exposure, retirement and provenance."""
    from valuecompass.pipeline import load_bank
    from valuecompass.store import Store

    rows = []
    with Store(store) as db:
        exposure = db.exposure_counts()
        for dim in _dims(dimension):
            bank = load_bank(db, dim)
            for item, p in zip(bank.items, bank.params):
                rows.append({"item_id": item.id, "dimension": dim, "a": round(p.a, 3), "b": round(p.b, 3),
                             "param_source": p.source, "n_responses": p.n_responses,
                             "exposure": exposure.get(item.id, 0), "retired": item.id in bank.retired,
                             "source": item.provenance.source, "author": item.provenance.author,
                             "difficulty": item.difficulty})
    if as_json:
        print_json(rows)
        return
    print_table(f"{len(rows)} items", ["item", "dimension", "a", "b", "params", "exposure", "retired", "source"],
                [[r["item_id"], r["dimension"], r["a"], r["b"], r["param_source"], r["exposure"],
                  "yes" if r["retired"] else "", r["source"]] for r in rows])


def register_bank_commands(items_app: typer.Typer) -> None:
    """Add ``generate``, ``calibrate`` and ``stats`` to the ``items`` group."""
    items_app.command("generate")(generate)
    items_app.command("calibrate")(calibrate)
    items_app.command("stats")(stats)
