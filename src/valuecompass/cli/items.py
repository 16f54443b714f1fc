"""CLI: ``valuecompass items list|validate|export``."""

from __future__ import annotations

import collections
import json
import os
import tempfile
from pathlib import Path

import typer

from valuecompass._hashing import content_hash
from valuecompass.cli._common import JSON_OPTION, console, print_json, print_table
from valuecompass.cli.export import FORCE_OPTION, LICENSE_OPTION, report_export
from valuecompass.errors import UsageError, ValueCompassError
from valuecompass.frameworks import get_dimension
from valuecompass.items import (
    Item,
    key_balance,
    load_item_file,
    load_seed_bank,
    seed_bank_version,
    select_items,
    unbalanced,
)

items_app = typer.Typer(help="The item bank: list, validate, export, generate, calibrate, stats.",
                        no_args_is_help=True)


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


def _write_jsonl(items: tuple[Item, ...], out: Path) -> None:
    """Write ``items`` one per line (as ``items validate`` reads them) to ``out``, replacing it atomically."""
    if out.is_dir():
        raise UsageError(f"--out {str(out)!r} is a folder", hint="give a file path for --format jsonl, e.g. items.jsonl")
    text = "".join(json.dumps(i.model_dump(mode="json", exclude_none=True), ensure_ascii=False) + "\n" for i in items)
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.replace(tmp, out)
    except OSError as exc:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
        raise ValueCompassError(f"cannot write {str(out)!r}: {exc.strerror}", hint="give a writable --out path") from exc


@items_app.command("export")
def export(
    fmt: str = typer.Option("jsonl", "--format", "-f", help="hf (a Hugging Face dataset folder: parquet and a "
                            "card; needs pip install 'valuecompass\\[hf]') or jsonl (one item per line)."),
    out: Path = typer.Option(..., "--out", "-o", help="The folder (hf) or file (jsonl) to write."),
    items_file: Path | None = typer.Option(None, "--items", help="An item file (JSONL, JSON or YAML) to export "
                                           "instead of the seed bank."),
    license_id: str | None = LICENSE_OPTION,
    force: bool = FORCE_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Export the seed bank (or an item file) with keys and provenance: a Hugging Face dataset or JSONL."""
    if fmt not in ("hf", "jsonl"):
        raise UsageError(f"unknown export format {fmt!r}", hint="use --format hf or --format jsonl")
    hf_only = [name for name, given in (("--license", license_id is not None), ("--force", force)) if given]
    if fmt == "jsonl" and hf_only:
        raise UsageError(f"{', '.join(hf_only)} only applies to --format hf", hint="leave it out, or use --format hf")
    if items_file is None:
        items, version = load_seed_bank(), seed_bank_version()
    else:
        items = load_item_file(items_file)
        version = f"{items_file.name}#{content_hash([i.model_dump(mode='json') for i in items])}"
    if fmt == "hf":
        from valuecompass.ecosystem import export_items_hf

        report_export(export_items_hf(items, out, version=version, license_id=license_id or "unknown",
                                      force=force), as_json)
        return
    _write_jsonl(items, out)
    if as_json:
        print_json({"out": str(out), "format": "jsonl", "items": len(items), "version": version})
    else:
        console.print(f"wrote {len(items)} items ({version}) to {out}")


def register(app: typer.Typer) -> None:
    """Add ``items`` to ``app``."""
    from valuecompass.cli._items_bank import register_bank_commands

    register_bank_commands(items_app)
    app.add_typer(items_app, name="items")
