"""Reading Touché23-format files and mapping its 20 categories to the 10 basic values."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from valuecompass.errors import DataFileError
from valuecompass.frameworks import get_system
from valuecompass.judge import SCHWARTZ_VALUES, TOUCHE_TO_SCHWARTZ, read_touche, sample_arguments


def test_mapping_covers_20_categories_onto_the_10_values() -> None:
    assert len(TOUCHE_TO_SCHWARTZ) == 20
    assert set(TOUCHE_TO_SCHWARTZ.values()) == set(SCHWARTZ_VALUES) == set(get_system("schwartz").ordered_ids)
    counts = Counter(TOUCHE_TO_SCHWARTZ.values())
    assert counts["universalism"] == 4 and counts["power"] == 3  # Face goes to Power (documented)
    assert TOUCHE_TO_SCHWARTZ["Humility"] == "tradition"  # official PVQ-RR ten-value key


def test_read_fixture(touche_dir: Path) -> None:
    args = read_touche(touche_dir, "validation")
    assert [a.id for a in args] == [f"X0100{i}" for i in range(1, 7)]
    first = args[0]
    assert first.values == frozenset({"universalism"})
    assert first.categories == frozenset({"Universalism: nature", "Universalism: concern"})
    assert first.text.startswith("cheaper buses") and first.text.endswith('Stance: in favor of "We should '
                                                                          'subsidize public transport"')
    assert args[4].values == frozenset({"hedonism", "stimulation", "self_direction"})


def test_missing_split_names_the_file(touche_dir: Path) -> None:
    with pytest.raises(DataFileError, match="arguments-test.tsv"):
        read_touche(touche_dir, "test")


def test_bad_label_is_named(tmp_path: Path, touche_dir: Path) -> None:
    (tmp_path / "arguments-validation.tsv").write_text((touche_dir / "arguments-validation.tsv").read_text())
    labels = (touche_dir / "labels-validation.tsv").read_text().splitlines()
    labels[2] = labels[2].replace("\t1", "\tyes", 1)
    (tmp_path / "labels-validation.tsv").write_text("\n".join(labels) + "\n")
    with pytest.raises(DataFileError, match="X01002"):
        read_touche(tmp_path, "validation")


def test_sample_is_seeded(touche_dir: Path) -> None:
    args = read_touche(touche_dir, "validation")
    a, b = sample_arguments(args, 3, seed=4), sample_arguments(args, 3, seed=4)
    assert [x.id for x in a] == [x.id for x in b] and len(a) == 3
    assert sorted(x.id for x in sample_arguments(args, None, seed=1)) == sorted(x.id for x in args)
