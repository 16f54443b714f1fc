"""The read-only web app: FastAPI routes over the same page functions as the static export."""

from __future__ import annotations

import logging
from importlib import resources
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles

from valuecompass.errors import ValueCompassError
from valuecompass.leaderboard import _pages as pages
from valuecompass.leaderboard._data import StoreReader
from valuecompass.leaderboard._downloads import card_files, leaderboard_csv, leaderboard_json, run_json
from valuecompass.leaderboard._render import CSP_HEADER
from valuecompass.leaderboard._switch import FOLDER
from valuecompass.metric import ValueProfile

log = logging.getLogger(__name__)

_SECURITY_HEADERS = {
    "Content-Security-Policy": CSP_HEADER,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def static_dir() -> Path:
    """The folder of the site's CSS, scripts, images and vendored libraries."""
    return Path(str(resources.files("valuecompass.leaderboard") / "static"))


def _html(body: str | None) -> Response:
    if body is None:
        return HTMLResponse("<!doctype html><title>Not found</title><p>Not found. <a href=\"/\">Leaderboard</a>",
                            status_code=404)
    return HTMLResponse(body)


def create_app(store: str | Path, method: str | None = None, judge: str | None = None,
               profiles: Sequence[ValueProfile] = ()) -> FastAPI:
    """The leaderboard web app over ``store``, read-only.

    Args:
        store: The store file.
        method: Estimation method to show (default: the store's most common).
        judge: Judge to show (default: the most common with ``method``).
        profiles: Value profiles to offer besides the packaged ones (e.g. loaded custom files).

    Raises:
        StoreError: if the store cannot be opened or has no scores by ``method``/``judge``.
    """
    site = pages.Site(StoreReader(store), method, judge, profiles)
    log.info("leaderboard over %s: %d models", store, len(site.data.models))  # fails now if the store is unusable
    app = _site_app(site)
    app.mount(f"/{FOLDER}", _OtherScores(site))
    return app


class _OtherScores:
    """The sites of the store's other kinds of scores, under ``/scores/<slug>/``, built on first use."""

    def __init__(self, site: pages.Site) -> None:
        self.site = site
        self.apps: dict[str, tuple[str, FastAPI]] = {}

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path, root = scope["path"], scope.get("root_path", "")
        slug, _, _ = path.removeprefix(root).lstrip("/").partition("/")  # the path below /scores
        kind = self.site.switch.kind(slug) if scope["type"] == "http" else None
        if kind is None:
            await _html(None)(scope, receive, send)
            return
        if slug not in self.apps or self.apps[slug][0] != kind.name:  # slugs follow the store's kinds
            self.apps[slug] = (kind.name, _site_app(self.site.other(kind)))
        scope = {**scope, "root_path": scope.get("root_path", "") + "/" + slug}
        await self.apps[slug][1](scope, receive, send)


def _site_app(site: pages.Site) -> FastAPI:
    """The routes of one site (the main one, or another kind of scores)."""
    app = FastAPI(title="Value Compass leaderboard", docs_url=None, redoc_url=None, openapi_url=None)

    @app.middleware("http")
    async def _headers(request: Request, call_next):  # type: ignore[no-untyped-def]
        response = await call_next(request)
        for key, value in _SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    app.mount("/static", StaticFiles(directory=static_dir()), name="static")

    @app.get("/", response_class=HTMLResponse)
    @app.get("/index.html", response_class=HTMLResponse)
    def index(request: Request) -> Response:
        return _html(pages.leaderboard_page(site, dict(request.query_params)))

    @app.get("/model/{key}.html", response_class=HTMLResponse)
    def model(key: str) -> Response:
        return _html(pages.model_page(site, key))

    @app.get("/model/{key}.pdf")
    def model_pdf(key: str) -> Response:
        from valuecompass.leaderboard._report import report_pdf  # here: _report imports this module

        if site.data.model(key) is None:
            return _html(None)
        try:
            pdf = report_pdf(site, key)
        except ValueCompassError as exc:
            log.warning("PDF report of %s failed: %s", key, exc)
            return PlainTextResponse(f"The PDF report cannot be made here: {exc}", status_code=503)
        return Response(pdf, media_type="application/pdf",
                        headers={"Content-Disposition": f'inline; filename="{key}.pdf"'})

    @app.get("/model/{key}/{dim}.html", response_class=HTMLResponse)
    def drill(key: str, dim: str) -> Response:
        return _html(pages.drill_page(site, key, dim))

    @app.get("/compare.html", response_class=HTMLResponse)
    def compare() -> Response:
        return _html(pages.compare_page(site))

    @app.get("/disagree.html", response_class=HTMLResponse)
    def disagree(request: Request) -> Response:
        return _html(pages.disagree_page(site, dict(request.query_params)))

    @app.get("/data/cases/{key}.js")
    def data_cases(key: str) -> Response:
        text = pages.cases_file(site, key)
        if text is None:
            return PlainTextResponse("no such model", status_code=404)
        return Response(text, media_type="text/javascript; charset=utf-8")

    @app.get("/culture.html", response_class=HTMLResponse)
    def culture() -> Response:
        return _html(pages.culture_page(site))

    @app.get("/test.html", response_class=HTMLResponse)
    def test() -> Response:
        return _html(pages.test_page(site))

    @app.get("/methodology.html", response_class=HTMLResponse)
    def methodology() -> Response:
        return _html(pages.methodology_page(site))

    @app.get("/data/leaderboard.csv")
    def data_csv() -> Response:
        return PlainTextResponse(leaderboard_csv(site.data), media_type="text/csv; charset=utf-8",
                                 headers={"Content-Disposition": 'attachment; filename="leaderboard.csv"'})

    @app.get("/data/leaderboard.json")
    def data_json() -> Response:
        return Response(leaderboard_json(site.data), media_type="application/json")

    @app.get("/steering.html", response_class=HTMLResponse)
    def steering() -> Response:
        return _html(pages.steering_page(site))

    @app.get("/data/cards/{name}")
    def data_card(name: str) -> Response:
        text = card_files(site.data).get(f"data/cards/{name}")
        if text is None:
            return PlainTextResponse("no such card", status_code=404)
        kind = "application/json" if name.endswith(".json") else "text/markdown; charset=utf-8"
        return Response(text, media_type=kind, headers={"Content-Disposition": f'attachment; filename="{name}"'})

    @app.get("/data/runs/{name}.json")
    def data_run(name: str) -> Response:
        run_id = site.run_names().get(name)
        if run_id is None:
            return PlainTextResponse("no such run", status_code=404)
        return Response(run_json(site.reader.run_records(run_id)), media_type="application/json",
                        headers={"Content-Disposition": f'attachment; filename="{name}.json"'})

    return app
