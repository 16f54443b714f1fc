"""Fixtures for CLI tests: run ``valuecompass`` in-process through its real entry point."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from typing import Any

import pytest


@dataclass
class CliResult:
    """Exit code and captured output of one CLI call."""

    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """Parse standard output as JSON."""
        return json.loads(self.stdout)


@pytest.fixture
def cli(capsys, monkeypatch):
    """Return a function that runs ``valuecompass ARGS`` and returns a :class:`CliResult`."""
    from valuecompass.cli import main

    def run(*args: str) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["valuecompass", *args])
        code = 0
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out = capsys.readouterr()
        return CliResult(code, out.out, out.err)

    return run
