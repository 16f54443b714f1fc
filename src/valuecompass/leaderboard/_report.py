"""A model's page as a PDF report, printed by headless Chromium (Debian's ``chromium`` package).

The model page is rendered as in the static export (relative links, the CSP ``<meta>`` tag) into a
temporary folder with the site's static files, and Chromium prints it with the stylesheet's
``@media print`` rules (A4, no navigation or buttons, cards kept whole). Its charts are canvases
drawn by script on load; ``--virtual-time-budget`` lets every script and layout finish first.
Both ``valuecompass report`` and the web app's ``/model/<key>.pdf`` go through :func:`report_pdf`.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from valuecompass._datafiles import write_atomic
from valuecompass.errors import UsageError, ValueCompassError
from valuecompass.leaderboard import _pages as pages
from valuecompass.leaderboard._app import static_dir
from valuecompass.leaderboard._data import StoreReader
from valuecompass.leaderboard._export import _write
from valuecompass.leaderboard._model import ModelEntry

log = logging.getLogger(__name__)

#: Where Debian's package puts Chromium (used when ``chromium`` is not on ``PATH``).
CHROMIUM_PATH = "/usr/bin/chromium"
#: The install line a missing Chromium error gives.
CHROMIUM_HINT = "install Debian's Chromium: apt-get install chromium (scripts/setup_browser.sh does it)"
#: Milliseconds of virtual time Chromium gives the page (scripts, charts, layout) before printing.
VIRTUAL_TIME_MS = 10_000
#: Wall-clock seconds one print may take before it is stopped.
TIMEOUT_S = 120
#: The window Chromium lays the page out in: A4's width less the print margins, so the charts are drawn
#: at the size they are printed.
WINDOW = "704,1000"
_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer", "--disable-quic",
          "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-extensions", "--hide-scrollbars", "--run-all-compositor-stages-before-draw")
#: One print at a time: each Chromium takes hundreds of MB, and a served site should not start many.
_ONE_AT_A_TIME = threading.Lock()


@dataclass(frozen=True)
class ReportResult:
    """What :func:`render_report` wrote.

    Attributes:
        out: The PDF file.
        model: The model's key on the leaderboard.
        label: The model's display name.
        bytes: The PDF's size.
    """

    out: Path
    model: str
    label: str
    bytes: int


def find_chromium() -> str:
    """The Chromium executable: ``chromium`` on ``PATH``, else Debian's ``/usr/bin/chromium``.

    Raises:
        ValueCompassError: if neither exists (hint: the ``apt-get install`` line).
    """
    found = shutil.which("chromium") or (CHROMIUM_PATH if os.access(CHROMIUM_PATH, os.X_OK) else None)
    if found is None:
        raise ValueCompassError("cannot print a PDF report: Chromium was not found (no 'chromium' on PATH, no "
                                f"{CHROMIUM_PATH})", hint=CHROMIUM_HINT)
    return found


def find_model(site: pages.Site, ref: str) -> ModelEntry:
    """The model whose leaderboard key, model spec or display name is ``ref``.

    Raises:
        UsageError: if no model matches, listing the models there are.
    """
    data = site.data
    for match in (lambda m: m.key == ref, lambda m: m.run.model_spec == ref, lambda m: m.label == ref,
                  lambda m: m.label.lower() == ref.lower()):
        found = next((m for m in data.models if match(m)), None)
        if found is not None:
            return found
    listed = ", ".join(f"{m.key} ({m.label})" if m.label != m.key else m.key for m in data.models) or "none"
    raise UsageError(f"no model {ref!r} on the leaderboard (method {data.method or 'none'}, judge "
                     f"{data.judge or 'none'}); models: {listed}",
                     hint="give a model's key, spec or name as listed (or another --score-method/--judge)")


def _print(chromium: str, page: Path, pdf: Path, profile: Path) -> None:
    command = [chromium, *_FLAGS, f"--user-data-dir={profile}", f"--window-size={WINDOW}",
               f"--virtual-time-budget={VIRTUAL_TIME_MS}", f"--print-to-pdf={pdf}", page.as_uri()]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, check=False,
                              stdin=subprocess.DEVNULL, env={**os.environ, "HOME": str(profile)})
    except subprocess.TimeoutExpired as exc:
        raise ValueCompassError(f"Chromium did not finish printing the report in {TIMEOUT_S} s",
                                hint="check that 'chromium --headless' runs here; " + CHROMIUM_HINT) from exc
    except OSError as exc:
        raise ValueCompassError(f"cannot run Chromium ({chromium}): {exc.strerror or exc}", hint=CHROMIUM_HINT) from exc
    log.debug("chromium exited with %d: %s", done.returncode, done.stderr)
    if done.returncode != 0 or not pdf.is_file() or pdf.read_bytes()[:5] != b"%PDF-":
        tail = " | ".join(line for line in done.stderr.splitlines()[-3:] if line.strip())
        raise ValueCompassError(f"Chromium failed to print the report (exit code {done.returncode}): "
                                f"{tail or 'no PDF written'}",
                                hint="rerun with -vv for Chromium's whole output, or reinstall it: " + CHROMIUM_HINT)


def report_pdf(site: pages.Site, model: str) -> bytes:
    """The PDF of the page of ``model`` (its leaderboard key, model spec or display name).

    Raises:
        UsageError: if there is no such model.
        ValueCompassError: if Chromium is missing or fails.
    """
    key = find_model(site, model).key
    chromium = find_chromium()
    html = pages.model_page(site, key, static=True) or ""
    with tempfile.TemporaryDirectory(prefix="valuecompass-report-") as tmp:
        root = Path(tmp)
        _write(root / "site", f"model/{key}.html", html)
        shutil.copytree(static_dir(), root / "site" / "static", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
        with _ONE_AT_A_TIME:
            log.info("printing the report of %s with %s", key, chromium)
            _print(chromium, root / "site" / "model" / f"{key}.html", root / "report.pdf", root / "profile")
        return (root / "report.pdf").read_bytes()


def write_atomically(out: Path, content: bytes) -> None:
    """Write ``content`` to ``out`` through a temporary file in the same folder: never a partial file.

    Raises:
        ValueCompassError: if ``out`` cannot be written.
    """
    try:
        write_atomic(out, content)
    except OSError as exc:
        raise ValueCompassError(f"cannot write the report to {str(out)!r}: {exc.strerror or exc}",
                                hint="give a file in a folder you can write to with --out") from exc


def render_report(store: str | Path, model: str, out: str | Path, method: str | None = None,
                  judge: str | None = None) -> ReportResult:
    """Print ``model``'s page of the leaderboard over ``store`` to the PDF file ``out``.

    Args:
        store: The store file (read-only).
        model: The model's leaderboard key, model spec or display name.
        out: The PDF file to write (replaced if it exists; written whole or not at all).
        method: Estimation method of the scores (default: the store's most common).
        judge: Judge of the scores (default: the most common with ``method``).

    Raises:
        StoreError: if the store cannot be read.
        UsageError: if the leaderboard has no such model.
        ValueCompassError: if Chromium is missing or fails, or ``out`` cannot be written.
    """
    out = Path(out)
    if out.is_dir():
        raise UsageError(f"--out {str(out)!r} is a folder", hint="give the PDF file to write, e.g. report.pdf")
    site = pages.Site(StoreReader(store), method, judge)
    entry = find_model(site, model)
    pdf = report_pdf(site, entry.key)
    write_atomically(out, pdf)
    log.info("wrote the report of %s (%d bytes) to %s", entry.key, len(pdf), out)
    return ReportResult(out, entry.key, entry.label, len(pdf))
