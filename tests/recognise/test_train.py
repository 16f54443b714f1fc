"""Training is reproducible: the same data and seed give the same weights, thresholds and figures."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.recognise._synthetic import write_synthetic
from valuecompass.recognise import Recogniser, load_card
from valuecompass.recognise._train import best_thresholds, macro_f1

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("train_recogniser", ROOT / "scripts" / "train_recogniser.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_best_thresholds_and_macro_f1_agree_with_hand_counts() -> None:
    truth = np.array([[1, 0], [1, 0], [0, 1], [0, 0]])
    prob = np.array([[0.9, 0.2], [0.6, 0.1], [0.4, 0.7], [0.1, 0.8]])
    th = best_thresholds(truth, prob, np.linspace(0.05, 0.95, 19))
    assert th[0] == pytest.approx(0.45) and th[1] == pytest.approx(0.25)  # lowest threshold of the best F1
    # label 0 perfect (F1 1); label 1 at 0.25: predicts rows 3 and 4, one right -> F1 2/3
    assert macro_f1(truth, prob, th) == pytest.approx((1 + 2 / 3) / 2)


def test_seeded_training_run_reproduces_its_own_figures(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    data = write_synthetic(tmp_path / "data", "training", 240, seed=1)
    write_synthetic(data, "validation", 80, seed=1)
    script = _script()
    runs = []
    for i in range(2):
        out = tmp_path / f"run{i}" / "tiny"
        assert script.main(["--data", str(data), "--out", str(out), "--seed", "3", "--limit", "200"]) == 0
        printed = json.loads(capsys.readouterr().out)
        runs.append((out, printed))
    (a, pa), (b, pb) = runs
    assert pa["weights_sha256"] == pb["weights_sha256"]
    assert a.with_suffix(".npz").read_bytes() == b.with_suffix(".npz").read_bytes()
    card_a, card_b = load_card(a.with_suffix(".json")), load_card(b.with_suffix(".json"))
    assert card_a.thresholds == card_b.thresholds and card_a.figures == card_b.figures
    assert card_a.training["n"] == 200 and card_a.training["seed"] == 3 and card_a.training["limit"] == 200
    assert card_a.training["sha256"]["arguments-training.tsv"] == __import__("hashlib").sha256(
        (data / "arguments-training.tsv").read_bytes()).hexdigest()
    # the recorded validation figure is what the saved weights give on that split
    rec = Recogniser(str(a.with_suffix(".json")))
    from valuecompass.judge import SCHWARTZ_VALUES, read_touche

    val = read_touche(data, "validation")
    truth = np.array([[v in x.values for v in SCHWARTZ_VALUES] for x in val], dtype=int)
    got = macro_f1(truth, rec.probabilities([x.text for x in val])["values"], card_a.thresholds["values"])
    assert got == pytest.approx(card_a.figures["validation_macro_f1_values"], abs=1e-4)
    # the phrases are easy: a working fit recognises them well above the always-yes floor
    floor = np.mean([2 * t.sum() / (t.sum() + len(t)) for t in truth.T])
    assert got > floor + 0.2, (got, floor)
    assert "seconds" in pa["figures"] and sys.modules.get("torch") is None
