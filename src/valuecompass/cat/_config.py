"""Settings of the default adaptive-test engine, in a module free of numpy, scipy and the IRT code.

The command line's option defaults are read from these settings when it starts; the engine is
imported by the command that runs a test.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from valuecompass.irt._types import AbilityMethod


class CATConfig(BaseModel):
    """Settings of the default engine (see :meth:`CATEngine.from_config`).

    Attributes:
        se_target: Stop once the SE is at most this.
        min_items: Fewest items before the SE rule may stop the test.
        max_items: Most items per test.
        batch_size: Items per step (one parallel burst).
        randomesque: Draw each item among this many most informative ones.
        balance_formats: Balance item formats (equal shares unless ``format_targets``).
        format_targets: Target share per format.
        min_information: Below this best-item information the bank needs new items;
            ``stop_on_low_information`` also ends the test then.
        stop_on_low_information: End the test when no informative item is left.
        method: Ability estimator, ``eap`` or ``map``.
        prior_mean: Mean of the normal ability prior.
        prior_sd: SD of the normal ability prior.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    se_target: float = Field(default=0.3, gt=0.0)
    min_items: int = Field(default=0, ge=0)
    max_items: int = Field(default=30, ge=1)
    batch_size: int = Field(default=1, ge=1)
    randomesque: int = Field(default=1, ge=1)
    balance_formats: bool = False
    format_targets: dict[str, float] | None = None
    min_information: float = Field(default=0.05, gt=0.0)
    stop_on_low_information: bool = False
    method: AbilityMethod = "eap"
    prior_mean: float = 0.0
    prior_sd: float = Field(default=1.0, gt=0.0)
