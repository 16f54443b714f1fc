"""Reading Touché23-ValueEval (SemEval-2023 Task 4) and mapping its 20 categories to 10 Schwartz values.

The files (``arguments-SPLIT.tsv`` and ``labels-SPLIT.tsv``, tab-separated)
come from Mirzakhmedova et al. (2024), CC BY 4.0; none are shipped with
valuecompass: point ``--data`` at a folder holding them.

The mapping (:data:`TOUCHE_TO_SCHWARTZ`) follows the official ten-value key of
the PVQ-RR (Schwartz, *Coding & Analysis Instructions PVQ-RR*, 2021), which
folds each pair of refined values into its basic value and Humility into
Tradition. That key gives Face no basic value; we put it under Power, as the
Schwartz Value Survey does with its item "preserving my public image" (a Power
item). Universalism: objectivity, a category Touché adds, goes to Universalism.
An argument counts as resorting to a basic value when it resorts to any of the
categories mapped to it.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from valuecompass.errors import DataFileError

#: The 20 Touché23 level-2 categories mapped to the 10 basic Schwartz values (dimension ids).
TOUCHE_TO_SCHWARTZ: dict[str, str] = {
    "Self-direction: thought": "self_direction",
    "Self-direction: action": "self_direction",
    "Stimulation": "stimulation",
    "Hedonism": "hedonism",
    "Achievement": "achievement",
    "Power: dominance": "power",
    "Power: resources": "power",
    "Face": "power",
    "Security: personal": "security",
    "Security: societal": "security",
    "Tradition": "tradition",
    "Humility": "tradition",
    "Conformity: rules": "conformity",
    "Conformity: interpersonal": "conformity",
    "Benevolence: caring": "benevolence",
    "Benevolence: dependability": "benevolence",
    "Universalism: concern": "universalism",
    "Universalism: nature": "universalism",
    "Universalism: tolerance": "universalism",
    "Universalism: objectivity": "universalism",
}

#: The 10 basic values in circumplex order (dimension ids of the ``schwartz`` system).
SCHWARTZ_VALUES: tuple[str, ...] = ("self_direction", "stimulation", "hedonism", "achievement", "power",
                                    "security", "conformity", "tradition", "benevolence", "universalism")

_ARGUMENT_COLUMNS = ("Argument ID", "Conclusion", "Stance", "Premise")


class ToucheArgument(BaseModel):
    """One Touché23 argument with its labels.

    Attributes:
        id: The argument id (first letter names the source corpus).
        conclusion: What the argument argues for or against.
        stance: ``in favor of`` or ``against``.
        premise: The argument's reasoning.
        categories: The level-2 categories (of 20) the annotators' majority found.
        values: The basic Schwartz values those categories map to.
    """

    model_config = ConfigDict(frozen=True)

    id: str
    conclusion: str
    stance: str
    premise: str
    categories: frozenset[str]
    values: frozenset[str]

    @property
    def text(self) -> str:
        """The argument as one text: premise, then stance and conclusion."""
        return f"{self.premise}\nStance: {self.stance} \"{self.conclusion}\""


def _read_tsv(path: Path, required: Sequence[str]) -> list[dict[str, str]]:
    if not path.is_file():
        raise DataFileError(str(path), "file not found",
                            hint="point --data at the folder holding arguments-SPLIT.tsv and labels-SPLIT.tsv")
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise DataFileError(str(path), f"missing column(s) {missing}",
                                hint="expected the Touché23-ValueEval tab-separated format")
        return list(reader)


def _categories(row: dict[str, str], path: Path) -> frozenset[str]:
    found = set()
    for category in TOUCHE_TO_SCHWARTZ:
        cell = (row.get(category) or "").strip()
        if cell not in ("0", "1"):
            raise DataFileError(str(path), f"label {category!r} is {cell!r}, expected 0 or 1",
                                record=row.get("Argument ID"), hint="labels must be binary")
        if cell == "1":
            found.add(category)
    return frozenset(found)


def read_touche(data_dir: str | Path, split: str) -> list[ToucheArgument]:
    """Read one split of Touché23-ValueEval, joined with its labels.

    Args:
        data_dir: Folder holding ``arguments-SPLIT.tsv`` and ``labels-SPLIT.tsv``.
        split: ``training``, ``validation`` (or any split with both files).

    Returns:
        The arguments that have labels, in file order.

    Raises:
        DataFileError: if a file is missing or malformed.
    """
    root = Path(data_dir)
    arg_path, label_path = root / f"arguments-{split}.tsv", root / f"labels-{split}.tsv"
    arguments = _read_tsv(arg_path, _ARGUMENT_COLUMNS)
    labels = {r["Argument ID"]: _categories(r, label_path)
              for r in _read_tsv(label_path, ("Argument ID", *TOUCHE_TO_SCHWARTZ))}
    out = []
    for row in arguments:
        cats = labels.get(row["Argument ID"])
        if cats is None:
            continue
        out.append(ToucheArgument(id=row["Argument ID"], conclusion=row["Conclusion"].strip(),
                                  stance=row["Stance"].strip(), premise=row["Premise"].strip(), categories=cats,
                                  values=frozenset(TOUCHE_TO_SCHWARTZ[c] for c in cats)))
    if not out:
        raise DataFileError(str(arg_path), "no argument has labels", hint=f"check that {label_path.name} matches")
    return out


def sample_arguments(arguments: Sequence[ToucheArgument], limit: int | None, seed: int = 0) -> list[ToucheArgument]:
    """A seeded random sample of ``limit`` arguments (all of them, shuffled, if ``limit`` is None).

    Args:
        arguments: The arguments of a split.
        limit: How many to keep.
        seed: Seed of the shuffle; the same seed gives the same sample.
    """
    chosen = list(arguments)
    random.Random(seed).shuffle(chosen)
    return chosen if limit is None else chosen[:limit]
