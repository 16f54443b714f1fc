"""Printing help imports none of the heavy modules; each is imported by the command that uses it.

Each check runs in a fresh interpreter (this test process has imported everything already). Start-up times
are measured by ``bench/bench_cli_startup.py``, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

#: Help screens shown by one process, as a user would ask for them.
HELP_SCREENS = (["--help"], ["run", "--help"], ["judge", "--help"], ["validate", "--help"], ["items", "--help"],
                ["items", "generate", "--help"], ["align", "--help"], ["leaderboard", "serve", "--help"])

_PROBE = """
import json, sys
from typer.testing import CliRunner
from valuecompass.cli import app
for args in json.loads(sys.argv[1]):
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0 and "Usage" in result.output, (args, result.output)
print(json.dumps(sorted(sys.modules)))
"""

#: Modules (with their submodules) that no help screen needs.
HEAVY = ("numpy", "fastapi", "uvicorn", "openai", "llama_cpp", "sklearn", "onnxruntime", "tokenizers",
         "valuecompass.recognise",
         "valuecompass.leaderboard", "valuecompass.pipeline._adaptive",
         "valuecompass.pipeline._bank", "valuecompass.pipeline._fixed_form", "valuecompass.pipeline._runner",
         "valuecompass.validity._workflow", "valuecompass.itemgen")

#: The parts of lazy packages that help may load: the settings behind option defaults (``DEFAULT_CAT``).
LIGHT = {"valuecompass.irt": {"valuecompass.irt", "valuecompass.irt._types"},
         "valuecompass.cat": {"valuecompass.cat", "valuecompass.cat._config"}}


@pytest.fixture(scope="module")
def loaded() -> set[str]:
    """Every module in ``sys.modules`` after building the app and showing each of :data:`HELP_SCREENS`."""
    out = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(HELP_SCREENS)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    return set(json.loads(out.stdout.splitlines()[-1]))


def _under(prefix: str, modules: set[str]) -> set[str]:
    return {m for m in modules if m == prefix or m.startswith(prefix + ".")}


def test_help_imports_no_heavy_module(loaded: set[str]) -> None:
    assert {m for prefix in HEAVY for m in _under(prefix, loaded)} == set()
    for package, allowed in LIGHT.items():
        assert _under(package, loaded) <= allowed


def test_help_imports_no_scipy(loaded: set[str]) -> None:
    assert _under("scipy", loaded) == set()
