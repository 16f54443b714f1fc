"""Benchmark: start-up of the command line, ``valuecompass --help``, timed as a whole process.

Each timed run is a fresh process, as a user's: the ``valuecompass`` console script next to this interpreter
(``python -m valuecompass`` with ``--module``, or where there is no script) with ``--help``, its output discarded.
Baselines measured in the same run: ``python -c pass`` (the interpreter alone) and ``python -c "import typer,
rich"`` (the command-line framework alone: the floor of any typer + rich app). The commands take turns, after one
untimed run of each (so that every one finds its files in the page cache and its bytecode compiled); the median
and the fastest wall time of ``--runs`` runs are reported, the median CPU time (user + system: on a machine busy
with other work it moves less than the wall time), and the ratio of ``--help`` to the typer + rich baseline.
``--also run`` adds ``valuecompass run --help`` (repeatable).

Bytecode is cached in a temporary ``PYTHONPYCACHEPREFIX``, as it is for an installed package, even where the
environment sets ``PYTHONDONTWRITEBYTECODE`` (then every run would compile the source tree's modules again, about
0.1-0.2 s); ``--no-bytecode-cache`` keeps the environment as it is.

Then one more process builds the app as ``--help`` does (imports ``valuecompass.cli``, prints the help) and
lists which of the heavy modules are loaded: scipy, the IRT and CAT code, the pipeline package, the leaderboard's
web stack, the OpenAI SDK and llama.cpp. None of them is needed to print help; each is imported by the
command that uses it. Of the lazy packages (``valuecompass._lazy``) help may load the package itself and the
settings its option defaults show (``DEFAULT_CAT``, the validity checks), listed apart.

Target: ``valuecompass --help`` <= 0.5 s (median), none of the heavy modules loaded.

Run:  .venv/bin/python bench/bench_cli_startup.py [--runs 10] [--module] [--also run] [--no-bytecode-cache]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: Modules that printing help does not need (a package name covers its submodules).
HEAVY = ("scipy", "valuecompass.pipeline", "valuecompass.irt", "valuecompass.cat", "valuecompass.validity",
         "valuecompass.leaderboard", "fastapi", "uvicorn", "openai", "llama_cpp")

#: What help may load of them: lazy packages (see ``valuecompass._lazy``) and the settings behind option defaults.
LIGHT = {"valuecompass.pipeline", "valuecompass.pipeline._defaults", "valuecompass.irt", "valuecompass.irt._types",
         "valuecompass.cat", "valuecompass.cat._config", "valuecompass.validity", "valuecompass.validity._card"}

_LOADED = """
import contextlib, io, json, sys
from valuecompass.cli import main
sys.argv = ["valuecompass", "--help"]
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main()
print(json.dumps(sorted(sys.modules)))
"""


def _cli(module: bool) -> list[str]:
    script = Path(sys.executable).with_name("valuecompass")
    return [sys.executable, "-m", "valuecompass"] if module or not script.exists() else [str(script)]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _time(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one run of ``argv``."""
    cpu, t = _children_cpu(), time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, check=True)
    return time.perf_counter() - t, _children_cpu() - cpu


def _loaded(prefix: str, modules: list[str]) -> list[str]:
    return [m for m in modules if m == prefix or m.startswith(prefix + ".")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10, help="Timed runs of each command.")
    parser.add_argument("--module", action="store_true", help="Time python -m valuecompass, not the script.")
    parser.add_argument("--also", action="append", default=[], metavar="SUBCOMMAND",
                        help="Also time valuecompass SUBCOMMAND --help (repeatable).")
    parser.add_argument("--no-bytecode-cache", action="store_true",
                        help="Run with the environment as it is (no temporary bytecode cache).")
    args = parser.parse_args()
    cli = _cli(args.module)
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "import typer, rich": [sys.executable, "-c", "import typer, rich"],
        "valuecompass --help": [*cli, "--help"],
        **{f"valuecompass {sub} --help": [*cli, *sub.split(), "--help"] for sub in args.also},
    }
    wall: dict[str, list[float]] = {name: [] for name in commands}
    cpu: dict[str, list[float]] = {name: [] for name in commands}
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ)
        if not args.no_bytecode_cache:
            env.pop("PYTHONDONTWRITEBYTECODE", None)
            env["PYTHONPYCACHEPREFIX"] = cache
        for argv in commands.values():
            _time(argv, env)
        for _ in range(args.runs):
            for name, argv in commands.items():
                w, c = _time(argv, env)
                wall[name].append(w)
                cpu[name].append(c)
    bytecode = "as the environment has it" if args.no_bytecode_cache else "bytecode cached"
    print(f"whole-process time, {args.runs} runs each, turn about ({' '.join(Path(a).name for a in cli)}; "
          f"{bytecode}; {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}):")
    for name in commands:
        print(f"  {name:<34} wall median {statistics.median(wall[name]):6.3f} s   min {min(wall[name]):6.3f} s"
              f"   CPU median {statistics.median(cpu[name]):6.3f} s")
    base, helps = statistics.median(wall["import typer, rich"]), statistics.median(wall["valuecompass --help"])
    print(f"  --help / typer + rich baseline: {helps / base:.2f}x (wall medians)")
    print(f"  target --help <= 0.5 s: {'PASS' if helps <= 0.5 else 'FAIL'}")

    out = subprocess.run([sys.executable, "-c", _LOADED], capture_output=True, text=True, check=True).stdout
    modules = json.loads(out.splitlines()[-1])
    print(f"modules loaded by --help: {len(modules)}; of the heavy ones (light parts of lazy packages in brackets):")
    heavy = []
    for prefix in HEAVY:
        found = [m for m in _loaded(prefix, modules) if m not in LIGHT]
        light = [m for m in _loaded(prefix, modules) if m in LIGHT]
        shown = ", ".join(found[:6]) + (f", ... ({len(found)} in all)" if len(found) > 6 else "")
        print(f"  {prefix:<24} {shown or 'not loaded'}" + (f" [{', '.join(light)}]" if light else ""))
        heavy += found
    print(f"  target none loaded: {'PASS' if not heavy else 'FAIL'}")


if __name__ == "__main__":
    main()
