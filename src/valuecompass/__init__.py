"""valuecompass: measure the values of large language models.

An independent, open implementation of the Value Compass Leaderboard design
(arXiv 2501.07071). The package is organised as stages that data flows through
in one direction::

    frameworks -> items -> models -> judge -> irt/cat -> metric -> store
    -> pipeline -> leaderboard/cli
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("valuecompass")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
