"""valuecompass: measure the values of large language models.

An independent, open implementation of the Value Compass Leaderboard design
(arXiv 2501.07071). The package is organised as stages that data flows through
in one direction::

    frameworks -> items -> models -> itemgen -> recognise -> judge -> irt/cat -> metric
    -> store -> pipeline -> validity -> ecosystem -> leaderboard/cli
"""

from __future__ import annotations

from functools import cache

__all__ = ["__version__"]


@cache
def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("valuecompass")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0+unknown"


def __getattr__(name: str) -> str:
    """``__version__`` is read from the installed metadata on first use (scanning it takes a good part of
    a second where many distributions are installed, and printing help needs no version)."""
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'valuecompass' has no attribute {name!r}")
