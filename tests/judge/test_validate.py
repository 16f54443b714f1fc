"""Agreement with Touché23 labels, computed end to end on the invented fixture."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from valuecompass.judge import Judge, read_touche, validate_touche

from tests.judge.conftest import keyword_judge

# The fixture's arguments that resort to each value (see fixtures/touche/arguments-validation.tsv).
TRUTH = {"universalism": {"X01001", "X01003"}, "self_direction": {"X01002", "X01005"}}


def test_validate_on_fixture(touche_dir: Path) -> None:
    args = read_touche(touche_dir, "validation")
    by_text = {a.text: a.id for a in args}
    # a judge that says yes to universalism for X01001 and X01004 only, and is unsure elsewhere
    yes = {"X01001", "X01004"}
    judge = Judge(keyword_judge(lambda t: 0.9 if by_text.get(t.strip()) in yes else 0.2))
    report = asyncio.run(validate_touche(judge, args, values=("universalism", "self_direction"),
                                         data={"split": "validation"}))
    uni = next(v for v in report.values if v.value == "universalism")
    assert (uni.confusion.tp, uni.confusion.fp, uni.confusion.fn, uni.confusion.tn) == (1, 1, 1, 3)
    assert uni.precision == 0.5 and uni.recall == 0.5 and uni.f1 == 0.5
    assert uni.auc == pytest.approx(0.625)  # X01001 ranked above all negatives, X01003 tied with three
    sd = next(v for v in report.values if v.value == "self_direction")
    assert (sd.confusion.tp, sd.confusion.fp, sd.confusion.fn, sd.confusion.tn) == (0, 2, 2, 2)
    assert sd.f1 == 0.0 and sd.auc == pytest.approx(0.25)  # both positives tied with two negatives, below two
    assert report.macro_f1 == pytest.approx(0.25) and report.micro_f1 == pytest.approx(2 / (2 + 3 + 3))
    assert report.n_judgments == 12 and report.n_unparsable == 0
    assert report.all_yes_macro_f1 == pytest.approx(2 * 2 / (2 + 6))
    assert report.label_counts["universalism"] == {"supports": 2, "unrelated": 4}
    assert report.judge.judge_id == "fake/judge" and report.data["split"] == "validation"
    assert report.reference["best team macro-F1 (20 categories)"] == 0.56
