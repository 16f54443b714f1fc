"""`valuecompass profiles list|show|quiz|import` (and the hidden alias `profile`) end to end."""

from __future__ import annotations

import io
import json
import sys

import pytest
import typer

from valuecompass.cli import app
from valuecompass.metric import load_questionnaire


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    """A private user data dir for saved profiles."""
    path = tmp_path / "home"
    monkeypatch.setenv("VALUECOMPASS_HOME", str(path))
    return path


def test_list_and_filters(cli):
    res = cli("profiles", "list", "--json")
    assert res.exit_code == 0
    ids = {p["id"] for p in res.json()}
    assert {"uniform-self_transcendence", "mft-us", "schwartz-jp", "uniform-binding"} <= ids
    res = cli("profiles", "list", "--system", "mft", "--kind", "country", "--json")
    assert len(res.json()) == 19 and {p["system"] for p in res.json()} == {"mft"}
    res = cli("profiles", "list", "-s", "schwartz")
    assert res.exit_code == 0 and "schwartz-de" in res.stdout and "mft-us" not in res.stdout
    res = cli("profiles", "list", "--kind", "national")
    assert res.exit_code == 2 and "unknown profile kind 'national'" in res.stderr
    res = cli("profiles", "list", "--system", "schwarz")
    assert res.exit_code == 2 and "unknown value system 'schwarz'" in res.stderr


def test_show_json_and_table(cli):
    res = cli("profiles", "show", "mft-us", "--json")
    data = res.json()
    assert res.exit_code == 0 and data["kind"] == "country" and abs(sum(data["weights"].values()) - 1) < 1e-9
    res = cli("profiles", "show", "uniform-conservation")
    assert res.exit_code == 0 and "tradition" in res.stdout and "0.333" in res.stdout


def test_show_unknown_profile(cli):
    res = cli("profiles", "show", "mft-usa")
    assert res.exit_code == 2
    assert "unknown profile 'mft-usa'" in res.stderr and "mft-us" in res.stderr and "Traceback" not in res.stderr


def _answers(system: str, value_for: dict[str, int], default: int) -> str:
    q = load_questionnaire(system)
    return "".join(f"{value_for.get(i.dimension or '', default)}\n" for i in q.items)


def test_quiz_saves_a_personal_profile(cli, monkeypatch, home):
    # a bad answer (9) first: it is asked again, then every portrait answered
    text = "9\n" + _answers("schwartz", {"universalism": 6, "power": 1}, 3)
    monkeypatch.setattr(sys, "stdin", io.StringIO(text))
    res = cli("profiles", "quiz", "--save", "Ann", "--json")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)  # with --json the prompts go to stderr
    assert data["saved_to"] == str(home / "profiles" / "personal-ann.yaml")
    # 3 universalism items at 6, 2 power items at 1, 16 others at 3: mean = (18 + 2 + 48) / 21
    assert data["centred"]["universalism"] == pytest.approx(6 - 68 / 21)
    assert "whole number from 1 to 6" in res.stderr and "[21/21]" in res.stderr
    shown = cli("profiles", "show", "personal-ann", "--json").json()
    assert shown["kind"] == "personal" and max(shown["weights"], key=shown["weights"].get) == "universalism"


def test_profile_alias_quiz_mft_without_saving(cli, monkeypatch):
    monkeypatch.setattr(sys, "stdin", io.StringIO(_answers("mft", {"care": 5}, 2)))
    res = cli("profile", "quiz", "--system", "mft")
    assert res.exit_code == 0, res.stderr
    assert "Your value priorities" in res.stdout and "not saved" in res.stdout
    group = typer.main.get_command(app)
    assert group.commands["profile"].hidden and not group.commands["profiles"].hidden


def test_import_good_and_bad_files(cli, tmp_path, home):
    good = tmp_path / "team.csv"
    good.write_text("dimension,weight\nbenevolence,2\nuniversalism,2\nsecurity,1\n")
    res = cli("profiles", "import", str(good), "--json")
    assert res.exit_code == 0 and res.json()["saved_to"] == str(home / "profiles" / "team.yaml")
    assert cli("profiles", "show", "team", "--json").json()["weights"]["security"] == pytest.approx(0.2)
    bad = tmp_path / "bad.yaml"
    bad.write_text("weights: {care: 1, fairness: -2}\n")
    res = cli("profiles", "import", str(bad))
    assert res.exit_code == 2
    assert "weight for dimension 'fairness' is negative (-2)" in res.stderr and str(bad) in res.stderr
    clash = tmp_path / "clash.yaml"
    clash.write_text("id: mft-us\nweights: {care: 1}\n")
    res = cli("profiles", "import", str(clash))
    assert res.exit_code == 2 and "already used by a packaged profile" in res.stderr
