"""The API reference (scripts/build_docs.sh, pdoc): a page per public package, every export documented.

The packages export their names lazily (``valuecompass._lazy``): a name pdoc could not resolve through a
package's ``__all__`` would be missing from its page or be reported as a warning, so the build must be free
of warnings and every exported name must have its section, with its docstring.
"""

from __future__ import annotations

import html
import importlib
import inspect
import os
import re
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("pdoc", reason="pdoc is an extra: bash scripts/setup.sh --ecosystem installs it")

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "build_docs.sh"
#: Every public package (all but the CLI), in the order of the README's "Layout".
PACKAGES = ("frameworks", "items", "models", "itemgen", "recognise", "judge", "irt", "cat", "metric", "store",
            "pipeline", "validity", "ecosystem", "leaderboard")
#: Public modules of packages whose ``__all__`` does not name them: they get pages of their own.
MODULES = ("errors", "pipeline/judging", "pipeline/scoring", "pipeline/diagnostics", "cat/selection",
           "ecosystem/inspect_tasks")
#: Key names of the API: (package, name).
KEY_NAMES = (("store", "Store"), ("store", "run_result"), ("judge", "Judge"), ("judge", "make_judge"),
             ("pipeline", "FixedFormConfig"), ("pipeline", "evaluate_fixed_form"), ("metric", "get_profile"),
             ("metric", "weighted_alignment"))


def build(out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the build script into ``out``."""
    return subprocess.run(["bash", str(SCRIPT), str(out)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env}, check=False)


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """The reference built once for this module: its directory and the build's process."""
    out = tmp_path_factory.mktemp("api")
    return out, build(out)


def summary(obj: object) -> str:
    """The first paragraph of ``obj``'s docstring as plain text (reST roles and backticks dropped)."""
    doc = inspect.getdoc(obj)
    assert doc, f"{obj!r} has no docstring"
    first = doc.split("\n\n")[0]
    return " ".join(re.sub(r":\w+:|`", "", first).split())


def rendered_summary(page: str, anchor: str) -> str:
    """The first docstring paragraph of the member with HTML id ``anchor``, as plain text."""
    assert f' id="{anchor}"' in page, f"{anchor} is not on its page"
    start = page.index(f' id="{anchor}"')
    following = [i for i in (page.find("<section id=", start + 1), page.find(' class="classattr">', start + 30))
                 if i != -1]
    section = page[start:min(following, default=len(page))]
    para = re.search(r'<div class="docstring"><p>(.*?)</p>', section, re.DOTALL)
    assert para, f"{anchor} has no docstring on its page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", para.group(1))).split())


def test_builds_without_warnings(docs: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    _, done = docs
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if line.strip()]
    assert not warnings, "the docs build warned (a module or an export that does not import?):\n" + done.stderr
    assert re.search(r"^API docs: \d+ pages in ", done.stdout, re.MULTILINE)


def test_an_index_and_a_page_per_public_package(docs: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, _ = docs
    index = (out / "index.html").read_text(encoding="utf-8")
    for name in PACKAGES + MODULES:
        assert (out / "valuecompass" / f"{name}.html").is_file(), name
        assert f'href="valuecompass/{name}.html"' in index, name
    pages = [p.relative_to(out).as_posix() for p in out.rglob("*.html")]
    assert not [p for p in pages if "/_" in p], "private modules got pages"
    assert not (out / "valuecompass" / "cli.html").exists()


def test_every_lazy_export_is_documented(docs: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, _ = docs
    for package in PACKAGES:
        exported = importlib.import_module(f"valuecompass.{package}").__all__
        page = (out / "valuecompass" / f"{package}.html").read_text(encoding="utf-8")
        missing = [name for name in exported if f'<section id="{name}">' not in page]
        assert not missing, f"valuecompass.{package}: no section for {missing}"


def test_key_names_with_their_docstrings(docs: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    out, _ = docs
    for package, name in KEY_NAMES:
        page = (out / "valuecompass" / f"{package}.html").read_text(encoding="utf-8")
        obj = getattr(importlib.import_module(f"valuecompass.{package}"), name)
        assert rendered_summary(page, name) == summary(obj), f"{package}.{name}"
    assert '<span class="def">class</span>\n    <span class="name">Store</span>' in \
        (out / "valuecompass" / "store.html").read_text(encoding="utf-8")


def test_methods_from_private_mixins_are_documented(docs: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    from valuecompass.store import Store

    out, _ = docs
    page = (out / "valuecompass" / "store.html").read_text(encoding="utf-8")
    for method in ("insert_judgments", "estimates_for_run", "open_run"):  # two from mixins, one Store's own
        assert rendered_summary(page, f"Store.{method}") == summary(getattr(Store, method)), method
        assert f'href="#Store.{method}"' in page  # in the navigation too


def test_an_ecosystem_module_that_does_not_import_is_left_out(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    (broken / "inspect_ai").mkdir(parents=True)
    (broken / "inspect_ai" / "__init__.py").write_text("raise ImportError('inspect_ai is being reinstalled')\n")
    out = tmp_path / "api"
    done = build(out, PYTHONPATH=str(broken))
    assert done.returncode == 0, done.stderr
    assert re.search(r"warning: valuecompass\.ecosystem\S* left out, it does not import: ImportError: inspect_ai "
                     "is being reinstalled", done.stderr), done.stderr
    assert not (out / "valuecompass" / "ecosystem" / "inspect_tasks.html").exists()
    assert (out / "valuecompass" / "store.html").is_file()


def test_a_core_module_that_does_not_import_fails_the_build(tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    (broken / "scipy").mkdir(parents=True)
    (broken / "scipy" / "__init__.py").write_text("raise ImportError('no scipy today')\n")
    out = tmp_path / "api"
    done = build(out, PYTHONPATH=str(broken))
    assert done.returncode == 1
    assert re.search(r"valuecompass\.\w+ does not import; fix it", done.stderr), done.stderr
    assert not (out / "index.html").exists()
