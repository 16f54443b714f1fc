"""``valuecompass report MODEL --out FILE.pdf``: a model's page printed by headless Chromium.

The PDFs are read back with poppler-utils (``pdfinfo``, ``pdftoppm``, ``pdftotext``; installed by
scripts/setup_browser.sh): page count and size, the text, and page 1 rasterised to check that it is
not blank and that the radar charts (canvases drawn by script) were drawn before printing.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from tests.leaderboard.conftest import HOSTILE_SPEC
from valuecompass.leaderboard import create_app, export_site, render_report
from valuecompass.leaderboard import _report

HAS_CHROMIUM = shutil.which("chromium") is not None or os.access(_report.CHROMIUM_PATH, os.X_OK)
needs_chromium = pytest.mark.skipif(not HAS_CHROMIUM, reason="Debian 'chromium' is not installed "
                                    "(scripts/setup_browser.sh installs it)")
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
                                   reason="poppler-utils is not installed (scripts/setup_browser.sh installs it)")

#: The radar's interval band: the first palette colour (#0f766e) at 18% over white.
BAND_RGB = np.array([212, 230, 229])


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def first_page(pdf: Path, tmp: Path) -> np.ndarray:
    """Page 1 at 50 dpi as an (height, width, 3) array, read from pdftoppm's binary PPM."""
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp / "page")], check=True)
    raw = next(tmp.glob("page*.ppm")).read_bytes()
    magic, width, height, depth, rest = raw.split(maxsplit=4)
    assert magic == b"P6" and depth == b"255"
    return np.frombuffer(rest[: int(width) * int(height) * 3], dtype=np.uint8).reshape(int(height), int(width), 3)


@pytest.fixture(scope="module")
def hostile_pdf(scripted_store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not HAS_CHROMIUM:
        pytest.skip("Debian 'chromium' is not installed (scripts/setup_browser.sh installs it)")
    out = tmp_path_factory.mktemp("report") / "hostile.pdf"
    render_report(scripted_store, HOSTILE_SPEC, out)
    return out


@needs_chromium
@needs_poppler
def test_report_command_prints_the_model_page(cli, scripted_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "reports" / "kind.pdf"
    result = cli("report", "fake/kind", "--store", str(scripted_store), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert "Wrote the report of fake/kind" in result.stdout and out.read_bytes()[:5] == b"%PDF-"
    info = pdf_info(out)
    assert 2 <= int(info["Pages"]) <= 12 and "A4" in info["Page size"]
    text = pdf_text(out)
    for shown in ("fake/kind", "Schwartz values", "Moral Foundations", "Run provenance", "Example cases"):
        assert shown in text, shown
    for hidden in ("Download run records", "PDF report", "Value Compass leaderboard design"):  # buttons, footer
        assert hidden not in text, hidden
    page = first_page(out, tmp_path).astype(int)
    assert (page.min(axis=2) < 200).mean() > 0.02  # ink on page 1, not a blank page
    band = (np.abs(page - BAND_RGB) <= 8).all(axis=2).sum()
    assert band > 500, f"only {band} pixels of the radar's band colour on page 1: were the charts drawn?"
    assert not list(out.parent.glob(".*.tmp")), "a temporary file was left beside the report"


@needs_chromium
@needs_poppler
def test_hostile_model_text_is_printed_as_text(hostile_pdf: Path) -> None:
    assert hostile_pdf.read_bytes()[:5] == b"%PDF-" and int(pdf_info(hostile_pdf)["Pages"]) >= 1
    assert HOSTILE_SPEC in pdf_text(hostile_pdf).replace("\n", "")


def test_unknown_model_lists_the_models_and_writes_nothing(cli, scripted_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    result = cli("report", "no/such-model", "--store", str(scripted_store), "--out", str(out))
    assert result.exit_code == 2 and "no model 'no/such-model'" in result.stderr
    assert "fake-kind (fake/kind)" in result.stderr and "fix:" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_missing_chromium_is_a_clear_error_and_keeps_the_old_file(cli, scripted_store: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    monkeypatch.setattr(_report, "CHROMIUM_PATH", str(tmp_path / "no-chromium"))
    out = tmp_path / "old.pdf"
    out.write_bytes(b"old report")
    result = cli("report", "fake/kind", "--store", str(scripted_store), "--out", str(out))
    assert result.exit_code == 1 and "Chromium was not found" in result.stderr
    assert "apt-get install chromium" in result.stderr and "Traceback" not in result.stderr
    assert out.read_bytes() == b"old report" and sorted(p.name for p in tmp_path.iterdir()) == ["old.pdf"]


def test_a_failing_chromium_leaves_no_partial_file(cli, scripted_store: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    fake = tmp_path / "bin" / "chromium"  # writes half a file where the PDF should go, then fails
    fake.parent.mkdir()
    fake.write_text('#!/bin/sh\nfor a in "$@"; do case "$a" in --print-to-pdf=*) printf "%%PD" > "${a#*=}";; esac; '
                    'done\necho "crashed: no GPU" >&2\nexit 3\n')
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(fake.parent))
    out = tmp_path / "out" / "kind.pdf"
    result = cli("report", "fake-kind", "--store", str(scripted_store), "--out", str(out))
    assert result.exit_code == 1 and "Chromium failed to print the report (exit code 3)" in result.stderr
    assert "crashed: no GPU" in result.stderr and not out.exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_out_must_be_a_file(cli, scripted_store: Path, tmp_path: Path) -> None:
    result = cli("report", "fake/kind", "--store", str(scripted_store), "--out", str(tmp_path))
    assert result.exit_code == 2 and "is a folder" in result.stderr


@needs_chromium
def test_served_app_links_and_serves_the_pdf(scripted_store: Path) -> None:
    client = TestClient(create_app(scripted_store))
    page = client.get("/model/fake-kind.html").text
    assert 'id="pdf-report" href="fake-kind.pdf"' in page and 'id="print-report"' not in page
    response = client.get("/model/fake-kind.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content[:5] == b"%PDF-" and 'filename="fake-kind.pdf"' in response.headers["content-disposition"]
    assert client.get("/model/no-such-model.pdf").status_code == 404


def test_served_app_says_why_without_chromium(scripted_store: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.setattr(_report, "CHROMIUM_PATH", str(tmp_path / "no-chromium"))
    response = TestClient(create_app(scripted_store)).get("/model/fake-kind.pdf")
    assert response.status_code == 503 and "apt-get install chromium" in response.text


@pytest.mark.browser
def test_static_export_prints_from_its_button(page, scripted_store: Path, tmp_path: Path) -> None:
    export_site(scripted_store, tmp_path / "site")
    html = (tmp_path / "site" / "model" / "fake-kind.html").read_text(encoding="utf-8")
    assert 'id="print-report"' in html and 'id="pdf-report"' not in html and "onclick" not in html
    page.goto((tmp_path / "site" / "model" / "fake-kind.html").as_uri())
    page.evaluate("() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; }")
    page.click("#print-report")
    assert page.evaluate("window.__printed") == 1
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # the print layout, charts redrawn to fit
    assert page.evaluate("document.documentElement.classList.contains('printing')")
    box = page.evaluate("(() => { const c = document.querySelector('canvas.radar'), b = c.parentElement;"
                        " return [c.getBoundingClientRect().width, b.getBoundingClientRect().width]; })()")
    assert 0 < box[0] <= box[1] + 1
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    assert not page.evaluate("document.documentElement.classList.contains('printing')")
