"""Value systems (Schwartz, Moral Foundations, safety, LLM values) as data.

Example:
    >>> from valuecompass.frameworks import load_systems
    >>> sum(len(s.dimensions) for s in load_systems())
    27
"""

from valuecompass.frameworks._loader import (
    SYSTEM_IDS,
    all_dimensions,
    frameworks_version,
    get_dimension,
    get_system,
    is_dimension,
    load_system_file,
    load_systems,
)
from valuecompass.frameworks._models import Dimension, Group, ItemFormat, SubTask, SystemId, ValueSystem

__all__ = [
    "SYSTEM_IDS", "Dimension", "Group", "ItemFormat", "SubTask", "SystemId", "ValueSystem",
    "all_dimensions", "frameworks_version", "get_dimension", "get_system", "is_dimension", "load_system_file",
    "load_systems",
]
