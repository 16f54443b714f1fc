"""Reading a store from outside the process that writes it (the kill, soak and exit-code tests)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

#: Runs the CLI in a child process, as a user would.
CLI = "import sys; from valuecompass.cli import main; sys.argv[0] = 'valuecompass'; main()"


def count_responses(store: Path) -> int:
    """How many responses the store holds now (0 before it exists or has its tables), read-only."""
    if not store.exists():
        return 0
    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True, timeout=30)
    try:
        return conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0
    finally:
        conn.close()
