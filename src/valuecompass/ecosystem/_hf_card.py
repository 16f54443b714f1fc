"""Dataset cards of the Hugging Face export: YAML front matter the Hub reads, and the text people read.

The front matter is written with ``yaml.safe_dump`` (a stored value cannot break out of it); a stored value
shown in the text (a model spec, a judge id) is escaped so that it reads as text, not as Markdown or HTML.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import yaml

from valuecompass.store import RunRecord

#: Config name -> ``num_bytes`` (its Arrow size) and ``num_examples`` of its one split, ``train``.
Splits = Mapping[str, Mapping[str, int]]

#: The card line that marks a folder as a valuecompass export (see ``_hf.is_export``).
EXPORT_MARKER = "<!-- valuecompass-export -->"
TAGS = ("valuecompass", "llm-evaluation", "values", "alignment")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")  # what can start markup in the middle of a line

#: What each config of a runs export holds (the card's table).
CONFIG_TEXT = {
    "scores": "one row per run, dimension, method and judge: the stored score (0-100), `se`, the 95% interval "
              "(`ci_low`, `ci_high`), the items it rests on, and `details` (JSON text). `run_default` marks the "
              "rows valuecompass itself shows as the run's scores (its own method and judge).",
    "responses": "one row per answer: the prompt and system prompt, all `messages` (JSON text), the model's "
                 "`output_text` verbatim, tokens, latency and the generation `settings` (JSON text).",
    "verdicts": "one row per judge verdict on an answer and dimension: `label`, `score`, `rationale`, the "
                "judge's `raw_output` and how it was read (`parse_status`), `provenance` (JSON text).",
    "items": "the item snapshots the runs administered: text, format, difficulty, the scoring `key` and "
             "`provenance` (JSON text), joined to `responses` by `item_id` and `item_hash`.",
    "runs": "one row per run: model, kind, status, the method and judge of its own scores, and its "
            "provenance as JSON text (`model_identity`, `settings`, `seeds`, `config`, `provenance`).",
}

METHOD_TEXT = {
    "share": "**`share`** (fixed-form runs): the share (0-100) of a dimension's judged answers that conform to "
             "the value as its value system means it; the interval is the Wilson 95% interval with each item "
             "one trial. Unreadable verdicts are left out and counted in `details`.",
    "irt-cat": "**`irt-cat`** (adaptive runs): an adaptive test (CAT) over an IRT-calibrated bank; the ability "
               "theta (EAP, with its SE, in `details`) is mapped to 0-100 as the expected share of conforming "
               "answers on the bank, and the 95% interval is theta's mapped the same way.",
}


def md(text: Any) -> str:
    """``text`` as one line of literal Markdown (special characters and HTML escaped)."""
    one_line = " ".join(str(text).split())
    escaped = one_line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", escaped)


def _size_category(n: int) -> str:
    for limit, name in ((1_000, "n<1K"), (10_000, "1K<n<10K"), (100_000, "10K<n<100K"),
                        (1_000_000, "100K<n<1M")):
        if n < limit:
            return name
    return "1M<n<10M"


def front_matter(configs: Mapping[str, Sequence[tuple[str, str]]], splits: Splits, *, license_id: str,
                 pretty_name: str) -> str:
    """The card's YAML front matter: licence, configs with their data files, features and split sizes.

    Args:
        configs: Config name -> its ``(column, dtype)`` pairs, in card order (the first written is the
            default); only those in ``splits`` (the configs written) are listed.
        splits: Config name -> ``num_bytes`` (in Arrow) and ``num_examples`` of its one split, ``train``.
        license_id: The Hub licence id.
        pretty_name: The dataset's title.
    """
    names = [name for name in configs if name in splits]
    meta = {
        "license": license_id,
        "pretty_name": pretty_name,
        "tags": list(TAGS),
        "size_categories": [_size_category(max((s["num_examples"] for s in splits.values()), default=0))],
        "configs": [{"config_name": name, "data_files": [{"split": "train", "path": f"data/{name}.parquet"}],
                     **({"default": True} if i == 0 else {})} for i, name in enumerate(names)],
        "dataset_info": [{"config_name": name,
                          "features": [{"name": col, "dtype": dtype} for col, dtype in columns],
                          "splits": [{"name": "train", "num_bytes": splits[name]["num_bytes"],
                                      "num_examples": splits[name]["num_examples"]}]}
                         for name, columns in configs.items() if name in splits],
    }
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000) + "---\n"


def _loading(config: str, others: Sequence[str]) -> str:
    return (
        "## Loading\n\n"
        "```python\n"
        "from datasets import load_dataset\n\n"
        f'{config} = load_dataset("parquet", data_files={{"train": "data/{config}.parquet"}})["train"]\n'
        f'# or the folder (or its Hub repo) with the configs of this card: {", ".join(others)}\n'
        f'{config} = load_dataset("path/to/this/folder", "{config}")["train"]\n'
        "```\n\n"
        "Nested values are JSON text (canonical: sorted keys), e.g. `json.loads(row[\"provenance\"])`; they "
        "give back exactly the record valuecompass stored.\n\n"
    )


def _licence(license_id: str) -> str:
    return ("## Licence\n\n"
            f"`{license_id}`" + (" (not stated: set it with `--license ID`)" if license_id == "unknown" else "")
            + ". Model answers may carry the terms of the model that wrote them.\n\n" + EXPORT_MARKER + "\n")


def runs_card(runs: Sequence[RunRecord], configs: Mapping[str, Sequence[tuple[str, str]]], splits: Splits, *,
              scores: Sequence[Mapping[str, Any]], verdicts: Sequence[Mapping[str, Any]], license_id: str,
              pretty_name: str) -> str:
    """The card of a runs export.

    Args:
        runs: The exported runs, sorted by id.
        configs: Config name -> columns, in card order.
        splits: Config name -> its split's size (see :func:`front_matter`).
        scores: The ``scores`` rows (for each run's judge and the methods present).
        verdicts: The ``verdicts`` rows (the judges of runs without scores).
        license_id: The Hub licence id.
        pretty_name: The title.
    """
    default_judge = {r["run_id"]: r["judge_id"] for r in scores if r["run_default"]}
    judges: dict[str, set[str]] = {}
    for v in verdicts:
        judges.setdefault(v["run_id"], set()).add(v["judge_id"])
    lines = [front_matter(configs, splits, license_id=license_id, pretty_name=pretty_name),
             f"# {md(pretty_name)}\n\n",
             "Values of LLMs measured with valuecompass: the items put to each model, its answers, the judge's "
             "verdicts and the scores per value dimension, as stored in a valuecompass results store.\n\n",
             "## Configs\n\n| config | rows | what it holds |\n|---|---|---|\n"]
    lines += [f"| `{name}` | {splits[name]['num_examples']} | {CONFIG_TEXT[name]} |\n" for name in configs
              if name in splits]
    empty = [name for name in configs if name not in splits]
    if empty:
        lines.append(f"\nLeft out, having no rows: {', '.join(f'`{n}`' for n in empty)}.\n")
    lines.append("\n## Runs\n\n| run | model | date | kind | status | judge |\n|---|---|---|---|---|---|\n")
    for run in runs:
        judge = default_judge.get(run.run_id) or ", ".join(sorted(judges.get(run.run_id, ()))) or "not judged"
        lines.append(f"| {md(run.run_id)} | {md(run.model_spec)} | {md(run.created[:10])} | {md(run.kind)} | "
                     f"{md(run.status)} | {md(judge)} |\n")
    methods = sorted({r["method"] for r in scores})
    lines.append("\n## How the scores are made\n\n")
    lines += [f"- {METHOD_TEXT.get(m, f'**{md(m)}**: as stored by valuecompass.')}\n" for m in methods]
    if not methods:
        lines.append("- These runs have no stored scores yet.\n")
    lines.append("\nEvery score is the estimate the run stored, all methods and judges; a run's own scores are "
                 "the rows with `run_default` true. Readers of valuecompass clip a score into 0-100 and take "
                 "half the interval's width over 1.96 as its SE.\n\n")
    written = [name for name in configs if name in splits]
    lines += [_loading(written[0], written), _licence(license_id)]
    return "".join(lines)


def items_card(rows: Sequence[Mapping[str, Any]], columns: Sequence[tuple[str, str]], splits: Splits, *,
               version: str, license_id: str, pretty_name: str) -> str:
    """The card of an item-bank export.

    Args:
        rows: The ``items`` rows.
        columns: Their columns.
        splits: The size of its split (see :func:`front_matter`).
        version: The bank's version ('' if unknown).
        license_id: The Hub licence id.
        pretty_name: The title.
    """
    per_system = Counter(r["system"] or "other" for r in rows)
    keys = Counter(r["key_kind"] or "none" for r in rows)
    lines = [front_matter({"items": columns}, splits, license_id=license_id, pretty_name=pretty_name),
             f"# {md(pretty_name)}\n\n",
             f"{len(rows)} test items of valuecompass" + (f", bank version {md(version)}" if version else "")
             + ": prompts that elicit an LLM's behaviour on one value dimension each.\n\n",
             "## Config `items`\n\nOne row per item: its text, value `system` and `dimension`, `format`, "
             "`difficulty`, topic, setting and culture; for safety requests `request_kind` and `safe_behavior`; "
             "the scoring `key` (JSON text; `key_kind` says which kind) that decides the verdict; and "
             "`provenance` (JSON text: source, author, generator, template hash, seed, parents). `item_hash` "
             "is the content hash a valuecompass store keeps with each snapshot.\n\n",
             "| value system | items |\n|---|---|\n"]
    lines += [f"| {md(s)} | {n} |\n" for s, n in sorted(per_system.items())]
    lines.append("\nScoring keys: " + ", ".join(f"{md(k)} {n}" for k, n in sorted(keys.items())) + ".\n\n")
    lines += [_loading("items", ["items"]), _licence(license_id)]
    return "".join(lines)
