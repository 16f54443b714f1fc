"""Lazy package exports (PEP 562): a package names what each submodule exports, and imports it on first use.

``from valuecompass.pipeline import DEFAULT_CAT`` then imports only the submodule that defines
``DEFAULT_CAT``, not the adaptive pipeline, the CAT engine, the IRT code and scipy behind the package's other
names; that keeps ``valuecompass --help`` fast. The pattern is SPEC 1's ``lazy_loader.attach``.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_exports(package: str, exports: Mapping[str, Sequence[str]]
                 ) -> tuple[Callable[[str], Any], Callable[[], list[str]], list[str]]:
    """The ``__getattr__``, ``__dir__`` and ``__all__`` of a package whose names are imported when first used.

    Args:
        package: The package's ``__name__``.
        exports: Submodule name (``"_adaptive"``) -> the names the package re-exports from it.

    Returns:
        ``(__getattr__, __dir__, __all__)``. A name that is no export but a submodule imports the submodule,
        so ``package.submodule`` works as it did when the package imported everything up front.
    """
    where = {name: sub for sub, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        sub = where.get(name)
        if sub is not None:
            value = getattr(importlib.import_module(f"{package}.{sub}"), name)
        elif not name.startswith("__") and importlib.util.find_spec(f"{package}.{name}") is not None:
            value = importlib.import_module(f"{package}.{name}")
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)  # later look-ups find it without calling this
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(where))

    return __getattr__, __dir__, list(where)
