"""`valuecompass align` and `valuecompass match`, from a scores file and from a real store."""

from __future__ import annotations

import json
import math

import pytest

from valuecompass.cli.align import load_model_scores
from valuecompass.errors import ValueCompassError
from valuecompass.store import EstimateRecord, RunRecord, Store

Z = 1.959963984540054
SCHWARTZ = ["self_direction", "stimulation", "hedonism", "achievement", "power", "security", "conformity",
            "tradition", "benevolence", "universalism"]
# model-a ranks the ten values in circumplex order (10, 15, ..., 55) except benevolence 60 and universalism 80;
# model-b gives benevolence 90 and universalism 70.
SCORES = {
    "model-a": {**{d: {"score": 10.0 + 5 * i, "se": 1.0} for i, d in enumerate(SCHWARTZ[:8])},
                "benevolence": {"score": 60.0, "se": 2.0}, "universalism": {"score": 80.0, "se": 2.0}},
    "model-b": {**{d: {"score": 50.0 - 5 * i, "se": 1.0} for i, d in enumerate(SCHWARTZ[:8])},
                "benevolence": {"score": 90.0, "se": 4.0}, "universalism": {"score": 70.0, "se": 2.0}},
}


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("VALUECOMPASS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("VALUECOMPASS_STORE", str(tmp_path / "no-store.sqlite"))


@pytest.fixture
def scores_file(tmp_path):
    path = tmp_path / "scores.json"
    path.write_text(json.dumps(SCORES))
    return str(path)


def test_align_ranking_by_hand(cli, scores_file):
    res = cli("align", "--scores", scores_file, "--json")
    assert res.exit_code == 0, res.stderr
    data = res.json()
    assert data["profile"] == "uniform-self_transcendence" and data["interval"] == "normal"
    b, a = data["models"]
    # b: (90 + 70) / 2 = 80, se sqrt(0.25*16 + 0.25*4) = sqrt(5); a: (60 + 80) / 2 = 70, se sqrt(2)
    assert (b["model"], a["model"]) == ("model-b", "model-a")
    assert b["align"] == pytest.approx(80.0) and b["se"] == pytest.approx(math.sqrt(5))
    assert b["low"] == pytest.approx(80 - Z * math.sqrt(5)) and b["high"] == pytest.approx(80 + Z * math.sqrt(5))
    assert a["align"] == pytest.approx(70.0) and a["se"] == pytest.approx(math.sqrt(2))
    assert -1 <= a["spearman"] <= 1 and 0 < a["cosine"] < 1


def test_align_table_and_bootstrap(cli, scores_file):
    res = cli("align", "--scores", scores_file, "-p", "uniform-conservation")
    assert res.exit_code == 0 and "Alignment with uniform-conservation" in res.stdout
    boot = cli("align", "--scores", scores_file, "--bootstrap", "2000", "--seed", "1", "--json").json()
    b = boot["models"][0]
    assert boot["interval"] == "bootstrap"
    assert b["low"] == pytest.approx(80 - Z * math.sqrt(5), abs=0.4)
    assert b["high"] == pytest.approx(80 + Z * math.sqrt(5), abs=0.4)


def test_align_matrix(cli, scores_file):
    res = cli("align", "--scores", scores_file, "--matrix", "-p", "uniform-self_transcendence",
              "-p", "uniform-power_only.yaml", "--json")
    assert res.exit_code == 2 and "uniform-power_only.yaml" in res.stderr  # a missing file is named
    res = cli("align", "--scores", scores_file, "--matrix", "-p", "uniform-self_transcendence", "-p",
              "uniform-conservation", "--json")
    data = res.json()
    assert data["models"] == ["model-a", "model-b"]
    # conservation = security, conformity, tradition: a (35+40+45)/3 = 40, b (25+20+15)/3 = 20
    assert data["values"] == [[pytest.approx(70.0), pytest.approx(40.0)], [pytest.approx(80.0), pytest.approx(20.0)]]
    heat = cli("align", "--scores", scores_file, "--matrix", "--system", "mft", "--method", "spearman", "--json").json()
    assert len(heat["profiles"]) == 19 and heat["values"][0] == [None] * 19  # no MFT scores: undefined, not 0


def test_match_finds_the_model_with_the_same_order(cli, scores_file, tmp_path):
    mine = tmp_path / "me.yaml"
    mine.write_text("priorities: {" + ", ".join(f"{d}: {i}" for i, d in enumerate(SCHWARTZ)) + "}\n")
    res = cli("match", "--scores", scores_file, "-p", str(mine), "--json")
    assert res.exit_code == 0, res.stderr
    models = res.json()["models"]
    # model-a's scores rise along the same order as the priorities 0..9: Spearman 1
    assert models[0]["model"] == "model-a" and models[0]["value"] == pytest.approx(1.0)
    assert models[1]["value"] < 0.5
    res = cli("match", "--scores", scores_file, "-p", str(mine), "--top", "1", "--method", "cosine", "--json")
    assert len(res.json()["models"]) == 1 and res.json()["method"] == "cosine"


def test_errors_are_clear(cli, scores_file, tmp_path):
    res = cli("align")
    assert res.exit_code == 1 and "no scores yet" in res.stderr and "--scores" in res.stderr
    res = cli("align", "--scores", scores_file, "--run", "abc")
    assert res.exit_code == 1 and "cannot be combined" in res.stderr
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"m": {"care": {"score": 140, "se": 1}}}))
    res = cli("match", "--scores", str(bad))
    assert res.exit_code == 2 and "outside 0-100" in res.stderr and str(bad) in res.stderr
    res = cli("align", "--scores", scores_file, "-p", "uniform-mft")
    assert res.exit_code == 1 and "model 'model-a' has no score on care" in res.stderr


def _store(path):
    store = Store(path)
    for run_id, spec in (("run-aaaa1111", "local/a"), ("run-bbbb2222", "local/b")):
        store.open_run(RunRecord(run_id=run_id, model_spec=spec))
    store.insert_estimates([
        EstimateRecord(run_id="run-aaaa1111", dimension="benevolence", method="mean", score=60.0, se=2.0,
                       created="2026-01-01T00:00:00Z"),
        EstimateRecord(run_id="run-aaaa1111", dimension="benevolence", method="irt-eap", score=64.0, se=3.0,
                       created="2026-01-02T00:00:00Z"),
        EstimateRecord(run_id="run-aaaa1111", dimension="universalism", method="mean", score=80.0,
                       ci_low=80.0 - 2 * Z, ci_high=80.0 + 2 * Z, created="2026-01-01T00:00:00Z"),
        EstimateRecord(run_id="run-bbbb2222", dimension="benevolence", method="mean", score=90.0, se=4.0),
        EstimateRecord(run_id="run-bbbb2222", dimension="universalism", method="mean", score=70.0, se=2.0),
    ])
    store.close()


def test_load_model_scores_from_a_real_store(tmp_path):
    path = tmp_path / "store.sqlite"
    _store(path)
    table = load_model_scores(path, [])
    assert set(table) == {"local/a", "local/b"}
    # one method and judge for every model: the pair with the most estimates ("mean"), not the newest estimate
    assert table["local/a"]["benevolence"] == (60.0, 2.0)
    assert table["local/a"]["universalism"].se == pytest.approx(2.0)  # from the interval
    assert load_model_scores(path, [], method="irt-eap") == {"local/a": {"benevolence": (64.0, 3.0)}}
    assert set(load_model_scores(path, ["run-bbbb"])) == {"local/b"}  # a unique id prefix is enough
    with pytest.raises(ValueCompassError, match="no scores yet"):
        load_model_scores(tmp_path / "absent.sqlite", [])
    assert not (tmp_path / "absent.sqlite").exists()  # looking does not create a store


def test_align_from_the_store(cli, tmp_path):
    path = tmp_path / "store.sqlite"
    _store(path)
    res = cli("align", "--store", str(path), "--json")
    assert res.exit_code == 0, res.stderr
    values = {m["model"]: m["align"] for m in res.json()["models"]}
    assert values == {"local/b": pytest.approx(80.0), "local/a": pytest.approx(70.0)}  # (60 + 80) / 2
    res = cli("align", "--store", str(path), "--run", "run-aaaa", "--json")
    assert [m["model"] for m in res.json()["models"]] == ["local/a"]
