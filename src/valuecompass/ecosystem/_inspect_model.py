"""An Inspect AI model seen as a valuecompass provider, so that our judge can use Inspect's grader role.

Inspect resolves the grader (``--model-role grader=...``, or the model under evaluation) and owns its
connections, retries and usage accounting; the judge only needs :meth:`ModelAPI.generate`. Imports
``inspect_ai`` on first use, so that this module loads without it.
"""

from __future__ import annotations

from typing import Any

from valuecompass.models import GenerateConfig, Message, ModelAPI, ModelOutput, TokenLogprob, Usage


def inspect_messages(messages: list[Message]) -> list[Any]:
    """Our chat messages (``{"role", "content"}``) as Inspect chat messages."""
    from inspect_ai.model import ChatMessageAssistant, ChatMessageSystem, ChatMessageUser

    kinds = {"system": ChatMessageSystem, "user": ChatMessageUser, "assistant": ChatMessageAssistant}
    return [kinds[m["role"]](content=m["content"]) for m in messages]


def _first_token(output: Any) -> TokenLogprob | None:
    """The first generated token's log-probabilities from an Inspect output, when the backend gave them."""
    choices = getattr(output, "choices", None) or []
    logprobs = choices[0].logprobs if choices else None
    if logprobs is None or not logprobs.content:
        return None
    first = logprobs.content[0]
    top = tuple((t.token, float(t.logprob)) for t in (first.top_logprobs or ()))
    return TokenLogprob(token=first.token, logprob=float(first.logprob), top=top)


class InspectModel(ModelAPI):
    """A valuecompass :class:`ModelAPI` over an ``inspect_ai.model.Model``.

    The spec is ``inspect/<provider/model>`` (e.g. ``inspect/openai/gpt-4o``), so judgments by an Inspect
    grader are kept apart from those of the same model called through valuecompass's own providers.

    Args:
        model: The Inspect model (e.g. ``get_model(role="grader")``).
    """

    def __init__(self, model: Any) -> None:
        super().__init__(f"inspect/{model}")
        self.model = model

    async def generate(self, messages: list[Message], config: GenerateConfig) -> ModelOutput:
        """Generate through Inspect (its retries, rate limits and usage accounting apply)."""
        from inspect_ai.model import GenerateConfig as InspectConfig

        settings = InspectConfig(temperature=config.temperature, max_tokens=config.max_tokens, seed=config.seed,
                                 stop_seqs=list(config.stop) or None,
                                 logprobs=True if config.top_logprobs else None,
                                 top_logprobs=config.top_logprobs or None)
        chat = inspect_messages(messages)
        if config.system_prompt:
            chat = inspect_messages([{"role": "system", "content": config.system_prompt}]) + chat
        output = await self.model.generate(chat, config=settings)
        usage = output.usage
        choices = output.choices or []
        return ModelOutput(text=output.completion or "",
                           finish_reason=str(choices[0].stop_reason) if choices else "stop",
                           usage=Usage(input_tokens=usage.input_tokens if usage else 0,
                                       output_tokens=usage.output_tokens if usage else 0),
                           first_token=_first_token(output), model=output.model or str(self.model))

    def max_connections(self) -> int:
        """Inspect limits connections itself; the judge adds no limit of its own."""
        return 1024

    def identity(self) -> dict[str, Any]:
        """The spec and the Inspect model name."""
        return {"spec": self.spec, "inspect_model": str(self.model)}
