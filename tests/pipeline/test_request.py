"""A run request: one mode's options only, and the configuration it builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from valuecompass.errors import UsageError
from valuecompass.pipeline import DEFAULT_CAT, RunRequest


def test_options_of_the_other_mode_are_refused_by_name() -> None:
    with pytest.raises(UsageError, match="--items, --samples only applies to --fixed runs"):
        RunRequest(items=3, samples=2)
    with pytest.raises(UsageError, match="--se, --no-generate only applies to adaptive runs"):
        RunRequest(fixed=True, se=0.2, generate_items=False)
    with pytest.raises(UsageError, match="--min-items 9 is more than --max-items 3"):
        RunRequest(min_items=9, max_items=3)
    assert RunRequest(fixed=True, items=3, no_judge=True).judged is False and RunRequest().judged


def test_each_mode_gets_its_configuration() -> None:
    adaptive = RunRequest(model="fake/a", dimensions=("power",), max_items=9, se=0.4, timeout=7.0, max_tokens=30,
                          calibration=Path("cal.json"), max_attempts=2).adaptive_config()
    assert adaptive.cat.max_items == 9 and adaptive.cat.se_target == 0.4
    assert adaptive.cat.batch_size == DEFAULT_CAT.batch_size and adaptive.generate.timeout_s == 7.0
    assert adaptive.judge_profile == "cal.json" and adaptive.format_tokens is False
    request = RunRequest(model="fake/a", fixed=True, items=2, samples=3, max_connections=4, max_attempts=2)
    fixed = request.fixed_config()
    assert (fixed.items_per_dimension, fixed.samples, fixed.format_tokens) == (2, 3, True)
    runner = request.runner_options()
    assert runner.max_connections == 4 and runner.retry.max_attempts == 2
    assert request.judge_settings().timeout_s == request.timeout
