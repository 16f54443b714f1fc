"""What a run was asked for, in either mode, checked once and turned into the mode's configuration.

``valuecompass run`` fills a :class:`RunRequest` from its options and hands it here; the request
refuses options of the other mode (instead of ignoring them), and builds the adaptive or the
fixed-form configuration, the runner options and the judge settings. The CLI only parses and prints.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from valuecompass.cat import CATConfig
from valuecompass.errors import UsageError
from valuecompass.judge import DEFAULT_JUDGE, JudgeSettings
from valuecompass.models import DEFAULT_MODEL, GenerateConfig, RetryPolicy
from valuecompass.pipeline._adaptive import AdaptiveConfig
from valuecompass.pipeline._defaults import DEFAULT_CAT
from valuecompass.pipeline._fixed_form import RunnerOptions
from valuecompass.pipeline._plan import FixedFormConfig


class RunRequest(BaseModel):
    """Every option of a run, both modes; see ``valuecompass run --help`` for each.

    Raises:
        UsageError: (on construction) for an option of the other mode, or ``min_items > max_items``.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    model: str = DEFAULT_MODEL
    model_options: dict[str, Any] = Field(default_factory=dict)
    systems: tuple[str, ...] = ()
    dimensions: tuple[str, ...] = ()
    fixed: bool = False
    # the fixed form only
    items: int | None = None
    samples: int = 1
    no_judge: bool = False
    item_file: Path | None = None
    # adaptive testing only
    max_items: int = DEFAULT_CAT.max_items
    min_items: int = DEFAULT_CAT.min_items
    se: float = DEFAULT_CAT.se_target
    batch: int = DEFAULT_CAT.batch_size
    generate_items: bool = True
    generator: str | None = None
    # both
    judge: str = DEFAULT_JUDGE
    calibration: Path | None = None
    system_prompt: str | None = None
    temperature: float = 0.0
    max_tokens: int | None = None
    seed: int = 0
    form_seed: int = 0
    timeout: float = 120.0
    max_connections: int | None = None
    max_attempts: int = 6

    #: Options of one mode only, with the command-line flag that sets them.
    FIXED_ONLY: ClassVar[dict[str, str]] = {"items": "--items", "samples": "--samples", "no_judge": "--no-judge",
                                            "item_file": "--item-file"}
    ADAPTIVE_ONLY: ClassVar[dict[str, str]] = {"max_items": "--max-items", "min_items": "--min-items", "se": "--se",
                                               "batch": "--batch", "generate_items": "--no-generate",
                                               "generator": "--generator"}

    @model_validator(mode="after")
    def _one_mode(self) -> RunRequest:
        other = self.ADAPTIVE_ONLY if self.fixed else self.FIXED_ONLY
        defaults = type(self).model_fields
        wrong = [flag for name, flag in other.items() if getattr(self, name) != defaults[name].default]
        if wrong:
            needs = "adaptive runs (drop --fixed)" if self.fixed else "--fixed runs"
            raise UsageError(f"{', '.join(wrong)} only applies to {needs}",
                             hint="adaptive runs (the default) choose their items; --fixed administers a fixed form")
        if not self.fixed and self.min_items != DEFAULT_CAT.min_items and self.min_items > self.max_items:
            raise UsageError(f"--min-items {self.min_items} is more than --max-items {self.max_items}",
                             hint="lower --min-items or raise --max-items")
        return self

    @property
    def judged(self) -> bool:
        """Whether the run calls a judge (every adaptive run; a fixed form unless ``no_judge``)."""
        return not (self.fixed and self.no_judge)

    def generate_config(self) -> GenerateConfig:
        """The examinee's sampling settings (each format's own answer budget unless ``max_tokens``)."""
        return GenerateConfig(temperature=self.temperature, max_tokens=self.max_tokens or 256, seed=self.seed,
                              system_prompt=self.system_prompt, timeout_s=self.timeout)

    def retry(self) -> RetryPolicy:
        """Retries of every model call of the run."""
        return RetryPolicy(max_attempts=self.max_attempts)

    def judge_settings(self) -> JudgeSettings:
        """The judge's settings: its calls take the run's timeout."""
        return JudgeSettings(timeout_s=self.timeout)

    def adaptive_config(self) -> AdaptiveConfig:
        """The adaptive run this request asks for."""
        cat = DEFAULT_CAT.model_copy(update={"max_items": self.max_items, "min_items": min(self.min_items,
                                                                                           self.max_items),
                                             "se_target": self.se, "batch_size": self.batch})
        CATConfig.model_validate(cat.model_dump())
        return AdaptiveConfig(
            model=self.model, model_options=self.model_options, judge=self.judge,
            judge_profile=str(self.calibration) if self.calibration else None, generator=self.generator,
            systems=self.systems, dimensions=self.dimensions, generate=self.generate_config(), seed=self.form_seed,
            generate_items=self.generate_items, format_tokens=self.max_tokens is None, cat=cat)

    def fixed_config(self) -> FixedFormConfig:
        """The fixed form this request asks for."""
        return FixedFormConfig(
            model=self.model, model_options=self.model_options, systems=self.systems, dimensions=self.dimensions,
            items_per_dimension=self.items, samples=self.samples, form_seed=self.form_seed,
            generate=self.generate_config(), format_tokens=self.max_tokens is None)

    def runner_options(self) -> RunnerOptions:
        """Concurrency and retries of the examinee's calls."""
        return RunnerOptions(max_connections=self.max_connections, retry=self.retry())
