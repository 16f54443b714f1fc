"""Running evaluations: content-addressed jobs, a cached concurrent runner, fixed-form and adaptive runs.

Stages of a fixed-form run, each usable on its own::

    load_items -> prepare_run (plan + open in the store) -> administer (runner) -> judge_run -> score_run

:func:`run_fixed_form` chains the first three; :func:`run_adaptive` runs adaptive
tests (select, administer, judge, estimate, generate items) per dimension. The same configuration always gives the same
run id and job keys, so rerunning a command resumes its run and reuses every
stored answer; a run killed at any point loses at most the calls in flight.

Example:
    >>> import asyncio, tempfile, pathlib
    >>> from valuecompass.store import Store
    >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite")
    >>> cfg = FixedFormConfig(model="fake/echo", dimensions=("care",), items_per_dimension=2)
    >>> result = run_fixed_form_sync(cfg, store)
    >>> result.run.status, result.stats.done
    ('complete', 2)
"""

from valuecompass.pipeline._adaptive import (
    DEFAULT_CAT,
    AdaptiveConfig,
    AdaptiveResult,
    DimensionOutcome,
    adaptive_run_record,
    chosen_dimensions,
    run_adaptive,
)
from valuecompass.pipeline._bank import CalibrationSummary, DimensionBank, calibrate_dimension, load_bank
from valuecompass.pipeline._fixed_form import (
    FixedFormResult,
    ItemSource,
    RunnerOptions,
    administer,
    load_items,
    prepare_run,
    run_fixed_form,
    run_fixed_form_sync,
)
from valuecompass.pipeline._jobs import Job, job_key, sample_config, semantic_settings
from valuecompass.pipeline._plan import (
    SECRET_OPTIONS,
    EmptyFormError,
    FixedFormConfig,
    RunPlan,
    environment,
    plan_fixed_form,
    select_fixed_form,
)
from valuecompass.pipeline._progress import Progress, ProgressCallback
from valuecompass.pipeline._retry import ErrorKind, RetryPolicy, classify
from valuecompass.pipeline._runner import Runner, RunnerStats

__all__ = [
    "DEFAULT_CAT", "AdaptiveConfig", "AdaptiveResult", "CalibrationSummary", "DimensionBank", "DimensionOutcome",
    "adaptive_run_record", "calibrate_dimension", "chosen_dimensions", "load_bank", "run_adaptive",
    "SECRET_OPTIONS", "EmptyFormError", "ErrorKind", "FixedFormConfig", "FixedFormResult", "ItemSource", "Job",
    "Progress", "ProgressCallback", "RetryPolicy", "RunPlan", "Runner", "RunnerOptions", "RunnerStats", "administer",
    "classify", "environment", "job_key", "load_items", "plan_fixed_form", "prepare_run",
    "run_fixed_form", "run_fixed_form_sync", "sample_config", "select_fixed_form",
    "semantic_settings",
]
