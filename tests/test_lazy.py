"""Lazy package exports (``valuecompass._lazy``): the same names as eager imports, each loaded on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

_PROBE = """
import sys
import valuecompass.pipeline as pipeline

assert "valuecompass.pipeline._adaptive" not in sys.modules
from valuecompass.pipeline import DEFAULT_CAT
assert DEFAULT_CAT.max_items == 6 and "valuecompass.pipeline._adaptive" not in sys.modules
assert "scipy" not in sys.modules and "valuecompass.irt._math" not in sys.modules
import valuecompass.cat as cat
assert "valuecompass.cat.stopping" not in sys.modules
assert cat.stopping.__name__ == "valuecompass.cat.stopping"  # a submodule, as an attribute
assert pipeline.run_adaptive.__module__ == "valuecompass.pipeline._adaptive"
assert "run_adaptive" in vars(pipeline) and "run_adaptive" in dir(pipeline)
try:
    pipeline.no_such_name
except AttributeError as exc:
    assert "no_such_name" in str(exc)
else:
    raise AssertionError("no AttributeError")
"""


def test_names_load_on_first_use() -> None:
    out = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr


@pytest.mark.parametrize("package", ["valuecompass.pipeline", "valuecompass.cat", "valuecompass.irt",
                                     "valuecompass.validity"])
def test_every_export_resolves(package: str) -> None:
    module = __import__(package, fromlist=["__all__"])
    assert len(module.__all__) == len(set(module.__all__)) > 0
    namespace: dict = {}
    exec(f"from {package} import *", namespace)
    assert all(namespace[name] is getattr(module, name) for name in module.__all__)
