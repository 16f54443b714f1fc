"""Running evaluations: content-addressed jobs, a cached concurrent runner, fixed-form and adaptive runs.

Stages of a fixed-form run, each usable on its own::

    load_items -> prepare_run (plan + open in the store) -> administer (runner) -> judge_run -> score_run

:func:`run_fixed_form` chains the first three; :func:`run_adaptive` runs adaptive
tests (select, administer, judge, estimate, generate items) per dimension. The same configuration always gives the same
run id and job keys, so rerunning a command resumes its run and reuses every
stored answer; a run killed at any point loses at most the calls in flight.

Example:
    >>> import asyncio, tempfile, pathlib
    >>> from valuecompass.pipeline import FixedFormConfig, run_fixed_form_sync
    >>> from valuecompass.store import Store
    >>> store = Store(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite")
    >>> cfg = FixedFormConfig(model="fake/echo", dimensions=("care",), items_per_dimension=2)
    >>> result = run_fixed_form_sync(cfg, store)
    >>> result.run.status, result.stats.done
    ('complete', 2)

Names are imported on first use (see :mod:`valuecompass._lazy`): ``DEFAULT_CAT`` and ``SECRET_OPTIONS`` need
neither the adaptive pipeline nor scipy.
"""

from valuecompass._lazy import lazy_exports

__getattr__, __dir__, __all__ = lazy_exports(__name__, {
    "_adaptive": ["AdaptiveConfig", "AdaptiveResult", "DimensionOutcome", "adaptive_run_record", "chosen_dimensions",
                  "run_adaptive"],
    "_cards": ["record_model_card"],
    "_bank": ["CalibrationSummary", "DimensionBank", "calibrate_dimension", "load_bank"],
    "_defaults": ["DEFAULT_CAT"],
    "_evaluate": ["FixedFormEvaluation", "evaluate_fixed_form"],
    "_request": ["RunRequest"],
    "_fixed_form": ["FixedFormResult", "ItemSource", "RunnerOptions", "administer", "load_items", "prepare_run",
                    "run_fixed_form", "run_fixed_form_sync"],
    "_jobs": ["Job", "job_key", "sample_config", "semantic_settings"],
    "_plan": ["SECRET_OPTIONS", "EmptyFormError", "FixedFormConfig", "RunPlan", "environment", "plan_fixed_form",
              "select_fixed_form"],
    "_progress": ["Progress", "ProgressCallback"],
    "_retry": ["ErrorKind", "RetryPolicy", "classify"],
    "_runner": ["Runner", "RunnerStats"],
    "_sweep": ["ModelStatus", "Sweep", "SweepJudge", "SweepModel", "SweepProgress", "SweepResult", "load_sweep",
               "run_sweep"],
})
