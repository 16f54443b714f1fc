"""The store's schema as named, append-only migrations.

Never edit or reorder a migration that has shipped: add a new one at the end.
Each is applied once, in one transaction, and recorded in the ``migrations``
table (as simonw/llm does).

``responses`` has no secondary index on purpose: every index costs page writes
on each of the one-row transactions the runner commits, and the readers go
through ``run_jobs`` (primary key ``run_id, job_key``). Add one in a new
migration when a reader needs it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    """One named schema step: SQL statements applied together."""

    name: str
    statements: tuple[str, ...]


MIGRATIONS: tuple[Migration, ...] = (
    Migration("m001_runs_items_responses", (
        """CREATE TABLE runs (
            run_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            status TEXT NOT NULL,
            model_spec TEXT NOT NULL,
            model_identity TEXT NOT NULL,
            settings TEXT NOT NULL,
            seeds TEXT NOT NULL,
            item_bank_version TEXT NOT NULL,
            package_version TEXT NOT NULL,
            config TEXT NOT NULL,
            provenance TEXT NOT NULL,
            n_jobs INTEGER NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )""",
        """CREATE TABLE items (
            item_id TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            dimension TEXT NOT NULL,
            format TEXT NOT NULL,
            text TEXT NOT NULL,
            data TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            PRIMARY KEY (item_id, content_hash)
        )""",
        """CREATE TABLE run_jobs (
            run_id TEXT NOT NULL REFERENCES runs(run_id),
            job_key TEXT NOT NULL,
            position INTEGER NOT NULL,
            item_id TEXT NOT NULL,
            item_hash TEXT NOT NULL,
            sample_index INTEGER NOT NULL,
            PRIMARY KEY (run_id, job_key)
        )""",
        """CREATE TABLE responses (
            job_key TEXT PRIMARY KEY,
            run_id TEXT NOT NULL,
            item_id TEXT NOT NULL,
            item_hash TEXT NOT NULL,
            sample_index INTEGER NOT NULL,
            model_spec TEXT NOT NULL,
            messages TEXT NOT NULL,
            settings TEXT NOT NULL,
            output_text TEXT NOT NULL,
            finish_reason TEXT NOT NULL,
            first_token TEXT,
            input_tokens INTEGER NOT NULL,
            output_tokens INTEGER NOT NULL,
            latency_s REAL NOT NULL,
            attempts INTEGER NOT NULL,
            model_reported TEXT NOT NULL,
            created TEXT NOT NULL
        )""",
    )),
    Migration("m002_judgments", (
        """CREATE TABLE judgments (
            id INTEGER PRIMARY KEY,
            response_key TEXT NOT NULL REFERENCES responses(job_key),
            judge_id TEXT NOT NULL,
            template_hash TEXT NOT NULL,
            dimension TEXT NOT NULL,
            label TEXT,
            score REAL,
            probabilities TEXT,
            rationale TEXT,
            raw_output TEXT,
            parse_status TEXT NOT NULL,
            provenance TEXT NOT NULL,
            created TEXT NOT NULL,
            UNIQUE (response_key, judge_id, template_hash, dimension)
        )""",
        "CREATE INDEX judgments_by_judge ON judgments(judge_id)",
    )),
    Migration("m003_estimates", (
        """CREATE TABLE estimates (
            id INTEGER PRIMARY KEY,
            run_id TEXT NOT NULL REFERENCES runs(run_id),
            dimension TEXT NOT NULL,
            method TEXT NOT NULL,
            judge_id TEXT NOT NULL DEFAULT '',
            score REAL NOT NULL,
            se REAL,
            ci_low REAL,
            ci_high REAL,
            n_items INTEGER NOT NULL,
            details TEXT NOT NULL,
            created TEXT NOT NULL,
            UNIQUE (run_id, dimension, method, judge_id)
        )""",
    )),
    Migration("m004_adaptive", (
        """CREATE TABLE item_params (
            item_id TEXT PRIMARY KEY,
            dimension TEXT NOT NULL,
            a REAL NOT NULL,
            b REAL NOT NULL,
            se_a REAL,
            se_b REAL,
            n_responses INTEGER NOT NULL,
            source TEXT NOT NULL,
            retired INTEGER NOT NULL DEFAULT 0,
            calibration_id TEXT NOT NULL,
            updated TEXT NOT NULL
        )""",
        "CREATE INDEX item_params_by_dimension ON item_params(dimension)",
        """CREATE TABLE calibrations (
            calibration_id TEXT PRIMARY KEY,
            diagnostics TEXT NOT NULL,
            created TEXT NOT NULL
        )""",
        """CREATE TABLE cat_states (
            run_id TEXT NOT NULL REFERENCES runs(run_id),
            dimension TEXT NOT NULL,
            state TEXT NOT NULL,
            extra TEXT NOT NULL,
            updated TEXT NOT NULL,
            PRIMARY KEY (run_id, dimension)
        )""",
        "CREATE INDEX items_by_dimension ON items(dimension)",
    )),
    Migration("m005_run_metrics", (
        """CREATE TABLE run_metrics (
            run_id TEXT NOT NULL REFERENCES runs(run_id),
            judge_id TEXT NOT NULL,
            name TEXT NOT NULL,
            dimension TEXT NOT NULL DEFAULT '',
            value REAL NOT NULL,
            n INTEGER NOT NULL,
            ci_low REAL,
            ci_high REAL,
            details TEXT NOT NULL,
            created TEXT NOT NULL,
            PRIMARY KEY (run_id, judge_id, name, dimension)
        )""",
    )),
    Migration("m006_validity_cards", (
        """CREATE TABLE validity_cards (
            card_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            model_spec TEXT NOT NULL,
            judge_id TEXT NOT NULL,
            data TEXT NOT NULL,
            created TEXT NOT NULL
        )""",
        "CREATE INDEX validity_cards_by_model ON validity_cards(model_spec, kind)",
    )),
    Migration("m007_run_owners", (
        """CREATE TABLE run_owners (
            run_id TEXT PRIMARY KEY REFERENCES runs(run_id),
            host TEXT NOT NULL,
            pid INTEGER NOT NULL,
            started TEXT NOT NULL,
            claimed TEXT NOT NULL
        )""",
    )),
)
