"""Fixtures for the metric tests: the shared survey data and a private user data dir."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path:
    """``$VALUECOMPASS_SHARED_DATA`` or ``../shared/data`` next to the repository."""
    return Path(os.environ.get("VALUECOMPASS_SHARED_DATA") or REPO.parent / "shared" / "data")


@pytest.fixture
def shared_data() -> Path:
    """The shared data folder; skips the test if it is not there."""
    path = shared_data_dir()
    if not (path / "instruments").is_dir():
        pytest.skip(f"shared data not found at {path} (set VALUECOMPASS_SHARED_DATA to its folder)")
    return path


@pytest.fixture(autouse=True)
def private_home(tmp_path, monkeypatch) -> Path:
    """Point VALUECOMPASS_HOME at a fresh folder so no test touches the real user data dir."""
    home = tmp_path / "vc-home"
    monkeypatch.setenv("VALUECOMPASS_HOME", str(home))
    return home
