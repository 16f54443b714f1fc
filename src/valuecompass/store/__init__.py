"""The results store: runs, item snapshots, responses, judgments and estimates in SQLite.

One file (WAL mode) that several processes can write at once. The schema grows
by named, append-only migrations. Everything is read and written through
:class:`Store` as frozen records.

Writers of later stages use:

- the judge: :meth:`Store.response_views` / :meth:`Store.responses_for_run` to
  read what to judge, :meth:`Store.insert_judgments` to store verdicts (unique per
  response, judge id, template hash and dimension), :meth:`Store.judgments_for_run`,
  :meth:`Store.append_provenance` to record itself in the run's provenance;
- estimation: :meth:`Store.insert_estimates` (replaces per run, dimension, method,
  judge) and :meth:`Store.estimates_for_run`;
- every reader of scores: :func:`model_results` / :func:`run_result` (the one rule of
  which run, method and judge give a model's score);
- the web app: :meth:`Store.open_read_only`, :meth:`Store.runs`, :meth:`Store.case_records`,
  :meth:`Store.run_records`, :meth:`Store.newest_cards`.

Example:
    >>> import tempfile, pathlib
    >>> with Store(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite") as store:
    ...     store.list_runs()
    []
"""

from valuecompass.store._adaptive import JudgedResponse, StoredItemParams
from valuecompass.store._db import applied_migrations
from valuecompass.store._export import CSV_COLUMNS, ExportFormat, export_responses
from valuecompass.store._models import (
    EstimateRecord,
    JudgmentRecord,
    MetricRecord,
    ParseStatus,
    PlannedJob,
    ResponseRecord,
    ResponseView,
    RunRecord,
    RunStatus,
    RunSummary,
)
from valuecompass.store._owner import Owner, current_owner, is_alive
from valuecompass.store._paths import STORE_ENV, default_store_path, resolve_store_path
from valuecompass.store._results import (
    KindCount,
    ModelResults,
    RunResult,
    ScoreRow,
    choose_model_runs,
    choose_run_scores,
    estimate_kinds,
    model_results,
    run_judge,
    run_method,
    run_result,
)
from valuecompass.store._rows import estimate_from_row, item_content_hash, run_from_row
from valuecompass.store._schema import MIGRATIONS, Migration
from valuecompass.store._store import OpenedRun, Store
from valuecompass.store._views import CaseRecord

__all__ = [
    "CSV_COLUMNS", "MIGRATIONS", "JudgedResponse", "StoredItemParams", "STORE_ENV", "EstimateRecord", "ExportFormat", "JudgmentRecord", "MetricRecord", "Migration",
    "OpenedRun", "ParseStatus", "PlannedJob", "ResponseRecord", "ResponseView", "RunRecord", "RunStatus",
    "RunSummary", "Store", "applied_migrations", "default_store_path", "export_responses", "item_content_hash",
    "resolve_store_path", "ModelResults", "RunResult", "ScoreRow", "choose_model_runs", "choose_run_scores",
    "model_results", "run_judge", "run_method", "run_result", "Owner", "current_owner", "is_alive",
    "estimate_from_row", "run_from_row", "CaseRecord", "KindCount", "estimate_kinds",
]
