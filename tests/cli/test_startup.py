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


def test_the_command_table_says_what_the_modules_register() -> None:
    import importlib
    import inspect

    import typer

    from valuecompass.cli._commands import COMMAND_MODULES, COMMANDS

    registered = []
    for module in COMMAND_MODULES:
        sub = typer.Typer()
        sub.callback()(lambda: None)
        importlib.import_module(f"valuecompass.cli.{module}").register(sub)
        for name, cmd in typer.main.get_group(sub).commands.items():
            first = inspect.cleandoc((cmd.short_help or cmd.help or "").split("\n\n")[0])
            registered.append((name, module, " ".join(first.split()), bool(cmd.hidden)))
    assert sorted(registered) == sorted(tuple(c) for c in COMMANDS), "update valuecompass/cli/_commands.py"
    assert set(COMMAND_MODULES) == {c.module for c in COMMANDS}


def test_root_help_from_the_table_reads_as_the_whole_app_s() -> None:
    from typer.testing import CliRunner

    from valuecompass.cli import build_app

    lazy = CliRunner().invoke(build_app(()), ["--help"], terminal_width=100)
    full = CliRunner().invoke(build_app(), ["--help"], terminal_width=100)
    assert lazy.exit_code == full.exit_code == 0
    assert lazy.output == full.output and "import" in lazy.output and "│ profile " not in lazy.output


_ROOT_HELP = """
import contextlib, io, json, sys
from valuecompass.cli import main
sys.argv = ["valuecompass", *json.loads(sys.argv[1])]
out = io.StringIO()
with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
    main()
print(json.dumps([out.getvalue(), sorted(sys.modules)]))
"""


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["nosuchcommand"]])
def test_the_root_help_imports_no_command_module(args: list[str]) -> None:
    out = subprocess.run([sys.executable, "-c", _ROOT_HELP, json.dumps(args)], capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    text, modules = json.loads(out.stdout.splitlines()[-1])
    assert not [m for m in modules if m.startswith("valuecompass.cli.") and m != "valuecompass.cli._commands"]
    if args == ["nosuchcommand"]:
        assert "No such command" in out.stderr
    else:
        assert "valuecompass" in text and "pydantic" not in modules


def test_a_command_after_root_options_is_found_and_runs(cli) -> None:
    result = cli("-v", "frameworks", "list")  # main() must skip "-v" to find the command's module
    assert result.exit_code == 0 and "care" in result.stdout.lower()


def _screens(command, path: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _screens(sub, (*path, name))


def test_every_help_screen_renders() -> None:
    """Every command's and subcommand's --help prints (help text is rich markup: a stray [/x] breaks it)."""
    import typer
    from typer.testing import CliRunner

    from valuecompass.cli import build_app

    app = build_app()
    screens = list(_screens(typer.main.get_command(app)))
    assert len(screens) > 40
    for path in screens:
        result = CliRunner().invoke(app, [*path, "--help"], terminal_width=100)
        assert result.exit_code == 0 and "Usage" in result.output, (path, result.output, result.exception)
