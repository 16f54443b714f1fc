"""Calibration: threshold tuning, exemplar choice, profiles saved, loaded and checked."""

from __future__ import annotations

import asyncio
import json
import random
from pathlib import Path

import numpy as np
import pytest

from valuecompass.errors import DataFileError, JudgeError
from valuecompass.judge import (
    Judge,
    JudgeRequest,
    LabelledExample,
    calibrate,
    load_labelled_examples,
    load_profile,
    read_touche,
    save_profile,
    touche_examples,
    tune_threshold,
    weighted_f1,
)
from valuecompass.judge._calibrate import choose_exemplars

from tests.judge.conftest import keyword_judge


def test_tune_threshold_golden() -> None:
    truth = [0, 0, 1, 0, 1, 1]
    scores = [0.1, 0.4, 0.5, 0.6, 0.7, 0.9]
    fit = tune_threshold(truth, scores)
    # cut at 0.5 gives tp 3, fp 1 -> F1 6/7 (best); threshold is the midpoint below it
    assert fit.f1 == pytest.approx(6 / 7) and fit.threshold == pytest.approx(0.45)
    assert tune_threshold([1, 1, 0], [0.9, 0.8, 0.1]).threshold == pytest.approx(0.45)
    assert tune_threshold([1, 1], [0.2, 0.3]).threshold == 0.0  # everything positive is best
    with pytest.raises(JudgeError):
        tune_threshold([0, 0], [0.2, 0.3])


def test_weights_move_the_threshold() -> None:
    truth = np.array([1, 1, 0, 0], bool)
    scores = np.array([0.9, 0.5, 0.55, 0.1])
    assert tune_threshold(truth, scores).threshold == pytest.approx(0.3)  # cut at 0.5: both positives, one fp
    heavy_neg = tune_threshold(truth, scores, [1, 1, 10, 1])  # a costly false positive at 0.55
    assert heavy_neg.threshold == pytest.approx(0.725)
    assert weighted_f1(truth, scores >= 0.725, np.array([1, 1, 10, 1])) == pytest.approx(heavy_neg.f1)


def test_choose_exemplars_prefers_short_texts_per_label() -> None:
    exs = [LabelledExample(dimension="care", text="x" * (500 if i % 2 else 20), label=lab)
           for i, lab in enumerate(["supports"] * 4 + ["unrelated"] * 4)]
    chosen, rest = choose_exemplars(exs, 1, 400, random.Random(0))
    assert sorted(e.label for e in chosen) == ["supports", "unrelated"]
    assert all(len(e.text) == 20 for e in chosen) and len(rest) == 6
    assert not any(c is r for c in chosen for r in rest)


def _examples(n: int = 12) -> list[LabelledExample]:
    out = []
    for dim in ("self_direction", "care"):
        for i in range(n):
            good = i % 2 == 0
            out.append(LabelledExample(id=f"{dim}{i}", dimension=dim, label="supports" if good else "unrelated",
                                       text=("GOOD " if good else "meh ") + f"example {i}"))
    return out


def p_support(text: str) -> float:
    """A judge that says Supports too often (0.65 for bad texts) but ranks perfectly."""
    return 0.9 if "GOOD" in text else 0.65


def test_calibrate_end_to_end(tmp_path: Path) -> None:
    model = keyword_judge(p_support)
    judge = Judge(model)
    profile = asyncio.run(calibrate(judge, _examples(), exemplars_per_label=1, seed=3, source={"dataset": "unit"}))
    assert set(profile.dimensions) == {"self_direction", "care"}
    for cal in profile.dimensions.values():
        assert sorted(e.label for e in cal.exemplars) == ["supports", "unrelated"]
        fit = next(f for f in cal.fits if f.label == "supports")
        assert fit.n == 10 and fit.auc == 1.0 and fit.f1_tuned == 1.0 and fit.f1_default < 1.0
        assert 0.65 < cal.thresholds["supports"] <= 0.9
        assert "opposes" not in cal.thresholds  # no opposing examples to tune on
    # exemplars were shown during calibration (shared part of the prompt)
    assert any("Examples judged by people" in call[0][-1]["content"] for call in model.calls)
    path = save_profile(profile, tmp_path / "p.json")
    loaded = load_profile(path)
    assert loaded == profile and loaded.profile_id == profile.profile_id and profile.seed == 3
    calibrated = Judge(model, profile=loaded)
    bad = asyncio.run(calibrated.judge(JudgeRequest(dimension="care", text="meh")))
    good = asyncio.run(calibrated.judge(JudgeRequest(dimension="care", text="GOOD")))
    assert (bad.label, good.label) == ("unrelated", "supports")
    assert asyncio.run(Judge(model).judge(JudgeRequest(dimension="care", text="meh"))).label == "supports"


def test_calibration_is_seeded() -> None:
    a = asyncio.run(calibrate(Judge(keyword_judge(p_support)), _examples(), seed=1))
    b = asyncio.run(calibrate(Judge(keyword_judge(p_support)), _examples(), seed=1))
    assert a.model_copy(update={"created": ""}).with_id().profile_id == \
        b.model_copy(update={"created": ""}).with_id().profile_id


def test_profile_tampering_and_wrong_schema_are_refused(tmp_path: Path) -> None:
    profile = asyncio.run(calibrate(Judge(keyword_judge(p_support)), _examples(6), seed=0))
    path = save_profile(profile, tmp_path / "p.json")
    data = json.loads(path.read_text())
    data["dimensions"]["care"]["thresholds"]["supports"] = 0.01
    path.write_text(json.dumps(data))
    with pytest.raises(DataFileError, match="does not match its content"):
        load_profile(path)
    path.write_text(json.dumps({"schema": "something/else"}))
    with pytest.raises(DataFileError, match="schema"):
        load_profile(path)


def test_touche_examples_are_stratified_and_reweighted(touche_dir: Path) -> None:
    args = read_touche(touche_dir, "training")
    exs = touche_examples(args, 4, values=("universalism", "hedonism"), seed=0)
    uni = [e for e in exs if e.dimension == "universalism"]
    assert sorted(e.label for e in uni) == ["supports", "supports", "unrelated", "unrelated"]
    # universalism: 2 of 6 arguments resort to it; the weighted positive share restores 1/3
    w_pos = sum(e.weight for e in uni if e.label == "supports")
    assert w_pos / sum(e.weight for e in uni) == pytest.approx(2 / 6)
    hed = [e for e in exs if e.dimension == "hedonism"]
    assert sum(e.label == "supports" for e in hed) == 1  # only one argument resorts to hedonism


def test_load_labelled_examples(tmp_path: Path) -> None:
    path = tmp_path / "ex.jsonl"
    path.write_text('{"dimension": "care", "text": "helps", "label": "supports"}\n\n'
                    '{"dimension": "care", "text": "hurts", "label": "opposes", "context": "a story"}\n')
    exs = load_labelled_examples(path)
    assert [e.label for e in exs] == ["supports", "opposes"] and exs[1].context == "a story"
    path.write_text('{"dimension": "care", "text": "x", "label": "maybe"}\n')
    with pytest.raises(DataFileError, match="record 1"):
        load_labelled_examples(path)
