"""The package's shape: data flows one way through the stages, no import cycle, small modules.

Parsed from the source (nothing is imported), so a violation is named with its file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "valuecompass"

#: The stages in the order data flows through them (README, "Layout"); a stage may import only earlier ones.
STAGES = ("frameworks", "items", "models", "itemgen", "recognise", "judge", "irt", "cat", "metric", "store",
          "pipeline", "validity", "ecosystem", "leaderboard", "cli", "__main__")
#: Shared helpers any stage may use (they import no stage).
COMMON = ("errors", "_datafiles", "_hashing", "_redact", "_lazy", "__init__")
MAX_LINES = 400


def _module(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, top_level_only: bool) -> list[tuple[str, int]]:
    """``valuecompass`` modules imported by ``path`` (at module level only, if asked), with line numbers."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes: list[ast.AST] = []
    if top_level_only:
        for node in tree.body:  # skip ``if TYPE_CHECKING:`` blocks and imports inside functions
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                continue
            nodes.extend(ast.walk(node) if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                                                  ast.ClassDef)) else ())
    else:
        nodes = list(ast.walk(tree))
    package = _module(path) if path.name == "__init__.py" else _module(path).rpartition(".")[0]
    out = []
    for node in nodes:
        if isinstance(node, ast.Import):
            out.extend((a.name, node.lineno) for a in node.names if a.name.startswith("valuecompass"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            if name.startswith("valuecompass"):
                out.append((name, node.lineno))
    return out


def _stage(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "__init__"


FILES = sorted(SRC.rglob("*.py"))


def test_every_stage_is_known() -> None:
    top = {p.name.removesuffix(".py") for p in SRC.iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
    assert top - set(STAGES) - set(COMMON) == set()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(SRC)))
def test_imports_flow_from_earlier_stages_only(path: Path) -> None:
    here = _stage(_module(path)) if path.parent != SRC else path.stem
    bad = []
    for target, line in _imports(path, top_level_only=False):
        there = _stage(target)
        if there == here or there in COMMON:
            continue
        if here in COMMON:
            bad.append(f"line {line}: shared helper {here} imports stage {there}")
        elif STAGES.index(there) > STAGES.index(here):
            bad.append(f"line {line}: {here} imports the later stage {there} ({target})")
    assert not bad, "\n".join(bad)


def test_no_import_cycle_between_modules() -> None:
    modules = {_module(p): p for p in FILES}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        deps = set()
        for target, _ in _imports(path, top_level_only=True):
            while target and target not in modules:  # ``from pkg.mod import name`` -> pkg.mod
                target = target.rpartition(".")[0]
            if target and target != name:
                deps.add(target)
        graph[name] = deps
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1 and not (dep == ".".join(node.split(".")[:-1]) or node.startswith(dep + ".")):
                cycle = stack[stack.index(dep):] + [dep]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_every_module_is_at_most_400_lines() -> None:
    long = {str(p.relative_to(SRC)): n for p in FILES if (n := len(p.read_text(encoding="utf-8").splitlines()))
            > MAX_LINES}
    assert long == {}
