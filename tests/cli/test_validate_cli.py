"""``valuecompass validate`` and ``validate show`` through the entry point (scripted models)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from valuecompass.judge import Judge
from valuecompass.models import reading_judge, value_examinee


@pytest.fixture
def scripted(monkeypatch):
    import valuecompass.validity._workflow as workflow

    monkeypatch.setattr(workflow, "get_model", lambda spec, **o: value_examinee({"power": 0.2}, spec=spec))
    monkeypatch.setattr(workflow, "make_judge", lambda spec, **o: Judge(reading_judge(spec)))


def test_validate_prints_and_stores_a_card(cli, scripted, store_path: Path, tmp_path: Path) -> None:
    md = tmp_path / "card.md"
    res = cli("validate", "--model", "fake/values", "--judge", "fake/reader", "-d", "power", "-d", "care",
              "--agreement-limit", "20", "--markdown", str(md), "--store", str(store_path))
    assert res.exit_code == 0, res.stderr
    assert "Validity card: fake/values" in res.stdout and "Known groups" in res.stdout and "[1/6] primary" in res.stderr
    text = md.read_text()
    assert "| Power |" in text and "Test-retest" in text and "Agreement with people" in text
    shown = cli("validate", "show", "--model", "fake/values", "--format", "json", "--store", str(store_path))
    assert shown.exit_code == 0 and json.loads(shown.stdout)["model_spec"] == "fake/values"
    assert cli("validate", "show", "--format", "markdown", "--store", str(store_path)).stdout == text


def test_validate_errors_are_clear(cli, scripted, store_path: Path) -> None:
    res = cli("validate", "--check", "vibes", "--store", str(store_path))
    assert res.exit_code == 2 and "unknown check(s) vibes" in res.stderr
    none = cli("validate", "show", "--store", str(store_path))
    assert none.exit_code != 0 and "no store" in none.stderr
