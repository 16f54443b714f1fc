"""The immutable state of one adaptive test, serialisable to JSON for the store."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from valuecompass.errors import EstimationError

#: Why an adaptive test stops.
StopReason = Literal["se_target", "max_items", "bank_exhausted", "no_informative_item"]


class CATStep(BaseModel):
    """One step of an adaptive test: a batch of items, their responses and the estimate after them.

    Attributes:
        step: 1-based step number.
        item_ids: Items administered in this step (one parallel burst).
        responses: Their responses (1, 0, a fraction, or ``None`` for no usable response).
        theta: Ability estimate after the step.
        se: Its standard error.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    step: int = Field(ge=1)
    item_ids: tuple[str, ...]
    responses: tuple[float | None, ...]
    theta: float
    se: float = Field(ge=0.0)


class CATState(BaseModel):
    """Everything needed to continue an adaptive test (for one model and one dimension).

    The state is immutable: the engine returns a new state after each update.
    Selection randomness is derived from ``(seed, step)``, so a test restored
    from JSON continues exactly as it would have without interruption.

    Attributes:
        schema_version: Version of this JSON layout.
        test_id: Free label chosen by the caller (e.g. ``"<model>/<dimension>"``).
        seed: Seed of the test's selection randomness.
        administered: Ids of the items given so far, in order.
        responses: Their responses, aligned with ``administered``.
        theta: Current ability estimate.
        se: Its standard error.
        step: Number of completed steps.
        history: The steps so far.
        stop_reason: Why the test ended, once it has.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: Literal[1] = 1
    test_id: str = ""
    seed: int = Field(ge=0)
    administered: tuple[str, ...] = ()
    responses: tuple[float | None, ...] = ()
    theta: float = 0.0
    se: float = Field(default=1.0, ge=0.0)
    step: int = Field(default=0, ge=0)
    history: tuple[CATStep, ...] = ()
    stop_reason: StopReason | None = None

    @model_validator(mode="after")
    def _consistent(self) -> CATState:
        if len(self.responses) != len(self.administered):
            raise ValueError("responses and administered items differ in length")
        if len(set(self.administered)) != len(self.administered):
            raise ValueError("an item was administered twice")
        return self

    @property
    def n_items(self) -> int:
        """Number of items administered."""
        return len(self.administered)

    @property
    def finished(self) -> bool:
        """Whether the test has ended."""
        return self.stop_reason is not None

    def finish(self, reason: StopReason) -> CATState:
        """Return a copy of this state marked as ended for ``reason``."""
        return self.model_copy(update={"stop_reason": reason})

    def to_json(self) -> str:
        """Serialise to a JSON string (for the store)."""
        return self.model_dump_json()

    @classmethod
    def from_json(cls, text: str | bytes) -> CATState:
        """Restore a state saved with :meth:`to_json`.

        Raises:
            EstimationError: If the text is not a valid saved state.
        """
        try:
            return cls.model_validate_json(text)
        except ValidationError as exc:
            raise EstimationError(f"not a valid saved adaptive-test state: {exc.errors()[0]['msg']}",
                                  hint="restart the test, or restore the JSON written by CATState.to_json") from exc
