"""The leaderboard: a read-only web app over the store, and the same site as static files.

``create_app(store)`` is a FastAPI app (serve it with uvicorn; the CLI binds to loopback by
default); ``export_site(store, out)`` writes every page, download and asset to a folder that
works from disk or any file server. Both read the store only through :class:`StoreReader`, a
read-only SQLite view, into the view model (:class:`LeaderboardData`).

Example:
    >>> from valuecompass.leaderboard import export_site
    >>> export_site("store.sqlite", "site/")  # doctest: +SKIP
    ExportResult(out=PosixPath('site'), pages=..., files=..., bytes=...)
"""

from valuecompass.leaderboard._app import create_app, static_dir
from valuecompass.leaderboard._data import StoreReader, model_key
from valuecompass.leaderboard._downloads import CSV_COLUMNS, leaderboard_csv, leaderboard_json
from valuecompass.leaderboard._export import ExportResult, export_site
from valuecompass.leaderboard._report import ReportResult, render_report
from valuecompass.leaderboard._model import Case, LeaderboardData, ModelEntry, RunInfo, ScoreCell
from valuecompass.leaderboard._state import TabDefault, ViewState, parse_state
from valuecompass.leaderboard._views import RankedRow, rank_ranges, ranking, state_weights, tab_defaults

__all__ = [
    "CSV_COLUMNS", "Case", "ExportResult", "LeaderboardData", "ModelEntry", "RankedRow", "RunInfo", "ScoreCell",
    "StoreReader", "TabDefault", "ViewState", "create_app", "export_site", "leaderboard_csv", "leaderboard_json",
    "model_key", "parse_state", "rank_ranges", "ranking", "state_weights", "static_dir", "tab_defaults",
    "ReportResult", "render_report",
]
