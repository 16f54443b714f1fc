"""The static export: the same site as plain files, for GitHub Pages, any file server, or disk."""

from __future__ import annotations

import logging
import re
import shutil
from dataclasses import dataclass
from collections.abc import Sequence
from pathlib import Path

from valuecompass.errors import ValueCompassError
from valuecompass.leaderboard import _pages as pages
from valuecompass.leaderboard._app import static_dir
from valuecompass.leaderboard._data import StoreReader
from valuecompass.leaderboard._model import LeaderboardData
from valuecompass.leaderboard._downloads import card_files, leaderboard_csv, leaderboard_json, run_json
from valuecompass.metric import ValueProfile

log = logging.getLogger(__name__)

#: What marks a folder as one of our exports (so a re-export may replace it).
MARKER = ".valuecompass-site"


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_site` wrote.

    Attributes:
        out: The output folder.
        pages: Number of HTML pages.
        files: Number of files in all.
        bytes: Their total size.
    """

    out: Path
    pages: int
    files: int
    bytes: int


#: A path written by the export: plain names only, so no value read from a store can reach outside ``out``.
_SAFE_PATH = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,120}(/[A-Za-z0-9_-][A-Za-z0-9._-]{0,120}){0,3}")


def _prepare(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise ValueCompassError(f"--out {str(out)!r} is a file, not a folder",
                                hint="give a new or empty folder for the site (an earlier export is replaced)")
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise ValueCompassError(f"output folder {str(out)!r} is not empty and is not a valuecompass export",
                                    hint="give an empty or new folder with --out (an earlier export is replaced)")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by valuecompass leaderboard export; may be replaced by the next export\n",
                              encoding="utf-8")


def _write(out: Path, path: str, text: str) -> None:
    if not _SAFE_PATH.fullmatch(path) or ".." in path.split("/"):
        raise ValueCompassError(f"refused to write {path!r}: not a plain file name under the site folder",
                                hint="the store holds a name that cannot be a file name; check it with "
                                     "'valuecompass store check'")
    target = out / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


def export_site(store: str | Path, out: str | Path, method: str | None = None, judge: str | None = None,
                profiles: Sequence[ValueProfile] = ()) -> ExportResult:
    """Write the whole leaderboard site as static files under ``out``.

    Every page the server offers is written with relative links and a Content-Security-Policy
    ``<meta>`` tag; open ``out/index.html`` from disk or serve the folder with any file server.
    The store's other kinds of scores (method and judge) are the same site under ``scores/<slug>/``.

    Args:
        store: The store file (read-only).
        out: The output folder (created; an earlier export there is replaced).
        method: Estimation method to show (default: the store's most common).
        judge: Judge to show (default: the most common with ``method``).
        profiles: Value profiles to offer besides the packaged ones (e.g. loaded custom files).

    Raises:
        StoreError: if the store cannot be read.
        ValueCompassError: if ``out`` holds other files.
    """
    out = Path(out)
    site = pages.Site(StoreReader(store), method, judge, profiles)
    data = site.data
    try:
        result = _export(site, data, out)
        for kind in site.switch.kinds[1:]:  # the same site by each other method and judge, under scores/<slug>/
            other = site.other(kind)
            more = _export(other, other.data, out / site.switch.folder(kind))
            result = ExportResult(out, result.pages + more.pages, result.files + more.files,
                                  result.bytes + more.bytes)
        return result
    except OSError as exc:
        raise ValueCompassError(f"cannot write the site to {str(out)!r}: {exc.strerror or exc}",
                                hint="give a folder you can write to with --out") from exc


def _export(site: pages.Site, data: LeaderboardData, out: Path) -> ExportResult:
    _prepare(out)
    docs = {
        "index.html": pages.leaderboard_page(site, {}, static=True),
        "compare.html": pages.compare_page(site, static=True),
        "disagree.html": pages.disagree_page(site, {}, static=True),
        "culture.html": pages.culture_page(site, static=True),
        "test.html": pages.test_page(site, static=True),
        "methodology.html": pages.methodology_page(site, static=True),
        "steering.html": pages.steering_page(site, static=True),
        "data/leaderboard.csv": leaderboard_csv(data),
        "data/leaderboard.json": leaderboard_json(data),
    }
    for m in data.models:
        docs[f"model/{m.key}.html"] = pages.model_page(site, m.key, static=True) or ""
        docs[f"data/cases/{m.key}.js"] = pages.cases_file(site, m.key) or ""
        for dim in m.scores:
            docs[f"model/{m.key}/{dim}.html"] = pages.drill_page(site, m.key, dim, static=True) or ""
    docs.update(card_files(data))
    for name, run_id in site.run_names().items():
        docs[f"data/runs/{name}.json"] = run_json(site.reader.run_records(run_id))
    for path, text in docs.items():
        _write(out, path, text)
    shutil.copytree(static_dir(), out / "static", ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    files = [p for p in out.rglob("*") if p.is_file()]
    result = ExportResult(out, sum(1 for p in docs if p.endswith(".html")), len(files),
                          sum(p.stat().st_size for p in files))
    log.info("exported %d pages (%d files, %d bytes) to %s", result.pages, result.files, result.bytes, out)
    return result
