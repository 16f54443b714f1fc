"""Types shared by every model provider: generation settings, outputs, the base class."""

from __future__ import annotations

import abc
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

Message = dict[str, str]


class GenerateConfig(BaseModel):
    """Explicit generation settings, recorded with every response.

    Attributes:
        temperature: Sampling temperature (0 = greedy).
        max_tokens: Most tokens to generate.
        seed: Sampling seed passed to backends that accept one.
        system_prompt: Optional system message the runner puts first.
        top_logprobs: How many alternatives to return for the first generated
            token's log-probability (0 = do not ask for log-probabilities).
        stop: Stop sequences.
        timeout_s: Per-call timeout in seconds.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    temperature: float = Field(default=0.0, ge=0.0, le=2.0)
    max_tokens: int = Field(default=256, ge=1, le=32768)
    seed: int = 0
    system_prompt: str | None = None
    top_logprobs: int = Field(default=0, ge=0, le=20)
    stop: tuple[str, ...] = ()
    timeout_s: float = Field(default=120.0, gt=0)


class TokenLogprob(BaseModel):
    """Log-probability of the first generated token and its top alternatives."""

    model_config = ConfigDict(frozen=True)

    token: str
    logprob: float
    top: tuple[tuple[str, float], ...] = ()


class Usage(BaseModel):
    """Token counts of one call."""

    model_config = ConfigDict(frozen=True)

    input_tokens: int = 0
    output_tokens: int = 0


class ModelOutput(BaseModel):
    """What one generation returned.

    Attributes:
        text: The generated text.
        finish_reason: ``stop``, ``length`` or the backend's reason.
        usage: Token counts.
        first_token: Log-probabilities of the first generated token, where the
            backend gives them and ``top_logprobs > 0`` was asked.
        model: The model name the backend reported.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    finish_reason: str = "stop"
    usage: Usage = Usage()
    first_token: TokenLogprob | None = None
    model: str = ""


class ModelAPI(abc.ABC):
    """Base class of every model provider.

    Exactly one method is required, :meth:`generate`; the others are opt-in
    hooks with safe defaults.

    Args:
        spec: The full model spec, ``provider/model``.
    """

    def __init__(self, spec: str, **options: Any) -> None:
        self.spec = spec
        self.options = options

    @abc.abstractmethod
    async def generate(self, messages: list[Message], config: GenerateConfig) -> ModelOutput:
        """Generate a reply to chat ``messages`` under ``config``."""

    def max_connections(self) -> int:
        """Most concurrent requests this provider should receive."""
        return 4

    def should_retry(self, exc: BaseException) -> bool:
        """Whether ``exc`` from :meth:`generate` is transient and worth retrying."""
        return False

    def retry_after(self, exc: BaseException) -> float | None:
        """Seconds the backend asked us to wait before retrying, if it said."""
        return None

    def identity(self) -> dict[str, Any]:
        """Provenance of the model: spec plus anything that pins the weights (e.g. sha256)."""
        return {"spec": self.spec}

    def preflight(self) -> None:
        """Check cheaply what can be checked before a run opens its record (a file, an endpoint). Blocking.

        Raises:
            ModelError: saying what is wrong and how to fix it.
        """

    async def aclose(self) -> None:
        """Release resources (connections, loaded weights)."""
