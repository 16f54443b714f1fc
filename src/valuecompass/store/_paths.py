"""Where the store lives: ``--store``, else ``$VALUECOMPASS_STORE``, else the user data directory."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

STORE_ENV = "VALUECOMPASS_STORE"


def default_store_path() -> Path:
    """``$VALUECOMPASS_STORE`` if set, else ``<user data dir>/valuecompass/store.sqlite``."""
    env = os.environ.get(STORE_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir("valuecompass")) / "store.sqlite"


def resolve_store_path(path: str | Path | None) -> Path:
    """The store file to use: ``path`` if given, else :func:`default_store_path`."""
    return Path(path).expanduser() if path else default_store_path()
