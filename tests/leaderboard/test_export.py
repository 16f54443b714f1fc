"""The static export: every page and download as files, relative links that resolve, no inline script."""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from valuecompass.errors import ValueCompassError
from valuecompass.leaderboard import StoreReader, export_site


class _Refs(HTMLParser):
    """Collects link targets, scripts and meta tags of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []
        self.scripts: list[dict[str, str | None]] = []
        self.meta: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        for name in ("href", "src"):
            if a.get(name):
                self.refs.append(a[name] or "")
        if tag == "script":
            self.scripts.append(a)
        if tag == "meta":
            self.meta.append(a)
        if any(k.startswith("on") for k in a):
            raise AssertionError(f"inline event handler on <{tag}>: {a}")


@pytest.fixture(scope="module")
def site(scripted_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export") / "site"
    result = export_site(scripted_store, out)
    assert result.pages == 7 + 4 + 4 * 27 and result.files > result.pages  # 7 site pages, 4 models
    return out


def test_every_relative_link_resolves_to_a_file(site: Path) -> None:
    pages = sorted(site.rglob("*.html"))
    assert len(pages) == 119
    for page in pages:
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        for ref in parser.refs:
            assert not re.match(r"^[a-z][a-z0-9+.-]*:|^//|^/", ref, re.I), f"{page}: non-relative link {ref}"
            target = ref.split("#")[0].split("?")[0]
            if target:
                assert (page.parent / target).resolve().is_file(), f"{page.relative_to(site)}: broken link {ref}"


def test_pages_carry_the_csp_and_no_inline_script(site: Path) -> None:
    for page in site.rglob("*.html"):
        parser = _Refs()
        parser.feed(page.read_text(encoding="utf-8"))
        csp = [m for m in parser.meta if (m.get("http-equiv") or "").lower() == "content-security-policy"]
        assert csp and "script-src 'self'" in (csp[0]["content"] or ""), page
        for script in parser.scripts:
            assert script.get("src") or script.get("type") == "application/json", f"{page}: inline script"


def test_downloads_and_assets_are_written(site: Path, scripted_store: Path) -> None:
    rows = list(csv.DictReader((site / "data" / "leaderboard.csv").open(encoding="utf-8")))
    assert len(rows) == 4 * 27
    for model in StoreReader(scripted_store).load().models:
        assert (site / "model" / f"{model.key}.html").is_file()
    assert len(list((site / "data" / "runs").glob("*.json"))) == 4
    assert (site / "static" / "vendor" / "chart.umd.min.js").stat().st_size > 100_000
    assert not list(site.rglob("*.py"))


def test_export_replaces_its_own_output_and_refuses_other_folders(scripted_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    export_site(scripted_store, out)
    (out / "stale.html").write_text("old")
    export_site(scripted_store, out)
    assert not (out / "stale.html").exists() and (out / "index.html").is_file()
    other = tmp_path / "mine"
    other.mkdir()
    (other / "notes.txt").write_text("keep me")
    with pytest.raises(ValueCompassError, match="not empty"):
        export_site(scripted_store, other)
    assert (other / "notes.txt").read_text() == "keep me"


def test_an_empty_store_exports_a_site_that_says_so(tmp_path: Path) -> None:
    from valuecompass.store import Store

    Store(tmp_path / "empty.sqlite").close()
    result = export_site(tmp_path / "empty.sqlite", tmp_path / "site")
    assert result.pages == 7
    assert "No model has scores on these dimensions yet" in (tmp_path / "site" / "index.html").read_text()
