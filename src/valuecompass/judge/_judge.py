"""The :class:`Judge`: any model as a value judge, optionally calibrated by a profile."""

from __future__ import annotations

import asyncio
import copy
import logging
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from valuecompass._hashing import content_hash
from valuecompass.errors import JudgeError
from valuecompass.frameworks import get_dimension
from valuecompass.judge._defaults import DEFAULT_JUDGE
from valuecompass.judge._explain import explain_verdict, remembering
from valuecompass.judge._keyed import Asked, AskFn, KeyedSettings, RubricMode, keyed_verdict
from valuecompass.judge._parse import LabelProbs, decide, label_probs, parse_text, read_reasoned
from valuecompass.judge._profile import JudgeCalibration, load_profile
from valuecompass.judge._questions import QuestionSet, default_questions, render_question
from valuecompass.judge._quote import DEFAULT_MAX_CHARS, format_signs, quote
from valuecompass.judge._templates import JudgePrompt, SystemTemplate, TemplateSet, default_templates, render_prompt
from valuecompass.judge._types import JudgeIdentity, JudgeRequest, Judgment, JudgmentStatus, ProbabilitySource
from valuecompass.models import GenerateConfig, Message, ModelAPI, ModelOutput, RetryPolicy, generate_with_retry, get_model

log = logging.getLogger(__name__)

#: Providers that run in-process with llama.cpp, where the judge turns on prefix-cache reuse.
_LLAMA_PROVIDERS = ("local", "gguf")


class JudgeSettings(BaseModel):
    """How the judge calls its model (recorded with every judgment).

    Attributes:
        rationale_tokens: Most tokens of the short reason after the answer word
            (0: the answer word only; the label and its probabilities do not change).
        top_logprobs: Alternatives asked for the first token's log-probabilities.
        max_chars: Longest response text kept in the prompt.
        exemplar_chars: Longest exemplar text kept in the prompt.
        min_label_mass: Least first-token probability on answer tokens for the
            log-probabilities to decide; below it, the text decides, or the
            judgment is unparsable.
        seed: Seed passed to the judge model.
        timeout_s: Seconds per judge call.
        keyed: Decide keyed items by their key, the refusal rule and concrete questions (``False``:
            ask every item the free-text recognition question, as judges before keys did).
        rubric: How a rubric item's two actions are asked about: ``yesno`` (one question each),
            ``choice`` (A/B/neither) or ``choice_both`` (both orders, averaged).
        coherence: Ask whether a stance answer's key points argue for its stance, and flag it as incoherent
            when they argue for the other one. Off by default: on the development set the default
            1.5B judge's flag agreed with the annotators less often than never flagging would
            (docs/judge-validation.md); turn it on for a stronger judge.
        reason_first: Ask keyed questions for a short reason before the answer word.
        reversed_order: List each keyed question's answers in the other order ("No or Yes"): the
            judge-consistency check of ``valuecompass validate``.
        action_threshold: Least probability that an action happens for it to count.
        explain: Find the sentences a judge-path verdict rests on by occlusion: ask its question again with
            each sentence left out (one extra call per sentence, at most 12; see
            :mod:`valuecompass.judge._explain`). Only the verdict's evidence changes, never its label.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    rationale_tokens: int = Field(default=24, ge=0, le=256)
    top_logprobs: int = Field(default=20, ge=0, le=20)
    max_chars: int = Field(default=DEFAULT_MAX_CHARS, ge=100, le=100_000)
    exemplar_chars: int = Field(default=400, ge=50)
    min_label_mass: float = Field(default=0.5, ge=0.0, le=1.0)
    seed: int = 0
    timeout_s: float = Field(default=120.0, gt=0)
    keyed: bool = True
    rubric: RubricMode = "yesno"
    coherence: bool = False
    reason_first: bool = False
    reversed_order: bool = False
    action_threshold: float = Field(default=0.5, ge=0.0, le=1.0)
    explain: bool = False

    def keyed_settings(self) -> KeyedSettings:
        """The settings of keyed verdicts."""
        return KeyedSettings(rubric=self.rubric, coherence=self.coherence, threshold=self.action_threshold)

    def verdict_settings(self) -> dict[str, Any]:
        """The settings that change verdicts (part of the judge's template hash)."""
        return {"keyed": self.keyed, "rubric": self.rubric, "coherence": self.coherence,
                "reason_first": self.reason_first, "action_threshold": self.action_threshold,
                **({"reversed_order": True} if self.reversed_order else {}),
                "max_chars": self.max_chars, "min_label_mass": self.min_label_mass}


class Reading(NamedTuple):
    """How a judge model's output reads as a judgment."""

    label: str | None
    status: JudgmentStatus
    probabilities: dict[str, float] | None
    source: ProbabilitySource
    mass: float | None
    rationale: str


def read_output(output: ModelOutput, template: SystemTemplate, thresholds: dict[str, float] | None,
                min_label_mass: float = 0.5) -> Reading:
    """Turn a judge model's output into a label, probabilities and a rationale.

    Log-probabilities of the first token decide when they put at least
    ``min_label_mass`` on answer tokens (with the thresholds, if any);
    otherwise a label word at the start of the text decides (probability 1);
    otherwise the output is unparsable and carries no label.
    """
    probs: LabelProbs | None = label_probs(output.first_token, template.answers)
    parsed = parse_text(output.text, template.answers)
    mass = probs.mass if probs else None
    if probs is not None and probs.mass >= min_label_mass:
        return Reading(decide(probs.probs, thresholds), "ok", probs.probs, "logprobs", mass, parsed.rationale)
    if parsed.label is not None:
        onehot = {a.label: float(a.label == parsed.label) for a in template.answers}
        return Reading(parsed.label, "ok", onehot, "parsed", mass, parsed.rationale)
    return Reading(None, "unparsed", probs.probs if probs else None, "logprobs" if probs else "none", mass,
                   parsed.rationale)


class Judge:
    """A value judge: (item, response, dimension) -> :class:`Judgment`.

    Any model can judge. The prompt gives the dimension's definition and what
    conforming and opposing behaviour look like, in the meaning of its value
    system (expresses the value; violates the foundation; is safe; reflects the
    sub-dimension), quotes the response whole, and asks for one answer
    word whose first token decides the label.

    Args:
        model: The judge model (a provider instance).
        templates: Prompt templates (default: the packaged ones).
        profile: A calibration profile (exemplars and thresholds) for this model and templates.
        settings: Call settings.
        questions: Keyed questions (default: the packaged ones).
        retry: Retries of failed judge-model calls (every call, in every stage; default: :class:`RetryPolicy`).

    Raises:
        JudgeError: if the profile was made for another model or template version.
    """

    def __init__(self, model: ModelAPI, *, templates: TemplateSet | None = None, profile: JudgeCalibration | None = None,
                 settings: JudgeSettings = JudgeSettings(), questions: QuestionSet | None = None,
                 retry: RetryPolicy | None = None) -> None:
        self.model = model
        self.templates = templates or default_templates()
        self.questions = questions or default_questions()
        self.profile = profile
        self.settings = settings
        self.retry = retry or RetryPolicy()
        #: Retried judge-model calls so far (429s, timeouts, dropped connections).
        self.retries = 0
        self._rng = self.retry.rng()
        self._identity: JudgeIdentity | None = None
        if profile is not None:
            _check_profile(profile, model.spec, self.templates)

    @property
    def spec(self) -> str:
        """The judge model's spec."""
        return self.model.spec

    @property
    def judge_id(self) -> str:
        """The model spec, plus ``+profile:ID`` when calibrated."""
        return self.spec + (f"+profile:{self.profile.profile_id}" if self.profile else "")

    @property
    def template_hash(self) -> str:
        """Hash of everything that shapes a verdict: the recognition templates, the keyed questions and
        the verdict settings. Judgments with another hash are another judge's, and are kept apart."""
        return content_hash({"templates": self.templates.content_hash, "keyed": self.questions.content_hash,
                             "settings": self.settings.verdict_settings()})

    def identity(self) -> JudgeIdentity:
        """Everything that pins this judge (asks the model for its identity once; may hash weights)."""
        if self._identity is None:
            self._identity = JudgeIdentity(
                judge_id=self.judge_id, spec=self.spec, model=self.model.identity(),
                template_version=self.templates.version, template_hash=self.template_hash,
                profile_id=self.profile.profile_id if self.profile else None,
                settings=self.settings.model_dump(mode="json", exclude=None if self.settings.explain
                                                  else {"explain"}))
        return self._identity

    def prompt(self, request: JudgeRequest) -> JudgePrompt:
        """The prompt for ``request`` (exemplars from the profile, if any)."""
        dimension = get_dimension(request.dimension)
        cal = self.profile.for_dimension(request.dimension) if self.profile else None
        return render_prompt(self.templates, dimension, request.text, context=request.context,
                             reference=request.reference, exemplars=cal.exemplars if cal else (),
                             max_chars=self.settings.max_chars, exemplar_chars=self.settings.exemplar_chars)

    def generate_config(self) -> GenerateConfig:
        """The judge model's generation settings: greedy, one answer token plus the rationale."""
        s = self.settings
        return GenerateConfig(temperature=0.0, max_tokens=1 + s.rationale_tokens, seed=s.seed,
                              top_logprobs=s.top_logprobs, timeout_s=s.timeout_s)

    def read(self, request: JudgeRequest, output: ModelOutput, seconds: float = 0.0,
             prompt: JudgePrompt | None = None) -> Judgment:
        """Turn the model's ``output`` for ``request`` into a :class:`Judgment`.

        Args:
            request: What was judged.
            output: The judge model's output.
            seconds: Wall time of the call.
            prompt: The prompt the output answers (its signs of injection and truncation are recorded).
        """
        template = self.templates.for_system(get_dimension(request.dimension).system)
        cal = self.profile.for_dimension(request.dimension) if self.profile else None
        r = read_output(output, template, cal.thresholds if cal else None, self.settings.min_label_mass)
        return Judgment(key=request.key, dimension=request.dimension, label=r.label, status=r.status,
                        probabilities=r.probabilities, probability_source=r.source, label_mass=r.mass,
                        rationale=r.rationale, raw_output=output.text, judge_id=self.judge_id,
                        template_hash=self.template_hash,
                        profile_id=self.profile.profile_id if self.profile else None,
                        injection_signs=prompt.signs if prompt else (), truncated=bool(prompt and prompt.truncated),
                        seconds=seconds, flags=(("injection_suspected",) if prompt and prompt.signs else ())
                        + (("truncated",) if prompt and prompt.truncated else ()))

    async def judge(self, request: JudgeRequest) -> Judgment:
        """Judge one response on one dimension.

        A keyed request (one with the item's scoring key) is decided by its key, the refusal
        rule and concrete questions (zero to two model calls); free text is judged by the
        recognition question (one call).

        Raises:
            ModelCallError: when a judge-model call fails for good (transient errors are retried
                under :attr:`retry`).
        """
        if request.scoring_key is not None and self.settings.keyed:
            return await self._judge_keyed(request)
        prompt = self.prompt(request)
        start = time.perf_counter()
        output = await self._generate(request, prompt.messages, self.generate_config())
        return self.read(request, output, time.perf_counter() - start, prompt)

    def with_retry(self, retry: RetryPolicy) -> Judge:
        """This judge (same model, prompts and settings) under another retry policy."""
        other = copy.copy(self)
        other.retry, other.retries, other._rng = retry, 0, retry.rng()
        return other

    async def _generate(self, request: JudgeRequest, messages: Sequence[Message], config: GenerateConfig
                        ) -> ModelOutput:
        """One judge-model call, with ``config.timeout_s`` per try and retries under :attr:`retry`."""
        def count(*_: object) -> None:
            self.retries += 1

        return await generate_with_retry(self.model, messages, config, policy=self.retry, rng=self._rng,
                                         what=f"judge {self.spec!r}",
                                         where=f"on response {request.key or '?'} ({request.dimension})",
                                         on_retry=count)

    async def ask(self, request: JudgeRequest, name: str, text: str, fields: dict[str, str]) -> Asked:
        """Put keyed question ``name`` about ``text`` (part of the response to ``request``) to the judge model."""
        prompt = render_question(self.questions, name, request.item_format, request.context, text,
                                 reason_first=self.settings.reason_first, reversed_order=self.settings.reversed_order,
                                 max_chars=self.settings.max_chars, **fields)
        s = self.settings
        config = GenerateConfig(temperature=0.0, max_tokens=48 if s.reason_first else 1, seed=s.seed,
                                top_logprobs=0 if s.reason_first else s.top_logprobs, timeout_s=s.timeout_s)
        output = await self._generate(request, prompt.messages, config)
        answers = prompt.question.answers
        if s.reason_first:
            label = read_reasoned(output.text, answers)
            probs = None if label is None else {a.label: float(a.label == label) for a in answers}
            return Asked(probs, output.text)
        probs = label_probs(output.first_token, answers)  # type: ignore[arg-type]
        if probs is not None and probs.mass >= s.min_label_mass:
            return Asked(probs.probs, output.text)
        parsed = parse_text(output.text, answers)  # type: ignore[arg-type]
        if parsed.label is not None:
            return Asked({a.label: float(a.label == parsed.label) for a in answers}, output.text)
        return Asked(None, output.text)

    async def _judge_keyed(self, request: JudgeRequest) -> Judgment:
        start = time.perf_counter()

        async def ask(name: str, text: str, fields: dict[str, str]) -> Asked:
            return await self.ask(request, name, text, fields)

        # Explaining: the verdict's questions are remembered, so the occlusion reuses the whole text's answers.
        asker: AskFn = remembering(ask) if self.settings.explain else ask
        v = await keyed_verdict(request, asker, self.settings.keyed_settings())
        if self.settings.explain:
            v = await explain_verdict(request, v, asker, self.settings.keyed_settings(), self.settings.max_chars)
        judged = quote(request.text, self.settings.max_chars)
        signs = judged.signs + format_signs(request.item_format, request.text)
        flags = v.flags + (("injection_suspected",) if signs else ()) + (("truncated",) if judged.truncated
                                                                        else ())
        source: ProbabilitySource = "key" if v.path in ("key", "rule") else "logprobs"
        if v.path == "judge" and self.settings.reason_first:
            source = "parsed"
        return Judgment(key=request.key, dimension=request.dimension, label=v.label,  # type: ignore[arg-type]
                        status="ok" if v.label is not None else "unparsed", probabilities=v.probabilities,
                        probability_source=source if v.label is not None else "none", rationale=v.rationale,
                        raw_output=v.raw, judge_id=self.judge_id, template_hash=self.template_hash,
                        profile_id=self.profile.profile_id if self.profile else None,
                        injection_signs=signs, truncated=judged.truncated,
                        seconds=time.perf_counter() - start, path=v.path, flags=flags, evidence=v.evidence)

    async def judge_many(self, requests: Sequence[JudgeRequest], *, concurrency: int | None = None,
                         on_judgment: Callable[[Judgment], None] | None = None) -> list[Judgment]:
        """Judge many requests, at most ``concurrency`` at a time (default: the provider's limit).

        Requests are taken in the order given; order them by dimension (:func:`cache_order`) so that a
        local model reuses its prompt cache. The first call that fails for good stops the rest.

        Args:
            requests: What to judge.
            concurrency: Concurrent calls.
            on_judgment: Called with each judgment as it arrives.

        Returns:
            The judgments, in the order of ``requests``.
        """
        limit, failed = asyncio.Semaphore(concurrency or self.model.max_connections()), asyncio.Event()

        async def one(req: JudgeRequest) -> Judgment | None:
            async with limit:
                if failed.is_set():  # a call failed for good: start nothing new while the rest are cancelled
                    return None
                try:
                    judgment = await self.judge(req)
                except BaseException:
                    failed.set()
                    raise
            if on_judgment is not None:
                on_judgment(judgment)
            return judgment

        tasks = [asyncio.ensure_future(one(r)) for r in requests]
        try:
            return [j for j in await asyncio.gather(*tasks) if j is not None]
        except BaseException:
            for task in tasks:  # stop the rest on the first failure
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise

    async def aclose(self) -> None:
        """Release the judge model."""
        await self.model.aclose()


def cache_order(requests: Sequence[JudgeRequest]) -> list[JudgeRequest]:
    """``requests`` ordered by dimension (stable), so that consecutive prompts share their prefix."""
    return sorted(requests, key=lambda r: r.dimension)


def _check_profile(profile: JudgeCalibration, spec: str, templates: TemplateSet) -> None:
    if profile.judge_spec != spec:
        raise JudgeError(f"judge profile {profile.profile_id} was calibrated for {profile.judge_spec!r}, not for "
                         f"judge {spec!r}", hint=f"use --judge {profile.judge_spec}, or calibrate a profile for {spec}")
    if profile.template_hash != templates.content_hash:
        raise JudgeError(f"judge profile {profile.profile_id} was calibrated with templates "
                         f"{profile.template_version} ({profile.template_hash}), these are "
                         f"{templates.version} ({templates.content_hash})",
                         hint="recalibrate with `valuecompass judge calibrate`")


def make_judge(spec: str = DEFAULT_JUDGE, *, profile: JudgeCalibration | str | Path | None = None,
               settings: JudgeSettings = JudgeSettings(), model_options: dict[str, Any] | None = None,
               templates: TemplateSet | None = None, questions: QuestionSet | None = None,
               retry: RetryPolicy | None = None) -> Judge:
    """Build a judge from a model spec.

    For in-process llama.cpp models (``local/``, ``gguf/``) prefix-cache reuse is turned on unless
    ``model_options`` says otherwise: consecutive judgments of one dimension share most of their prompt.

    Args:
        spec: The judge model, ``provider/model`` (default :data:`DEFAULT_JUDGE`).
        profile: A calibration profile or the path of one.
        settings: Call settings.
        model_options: Provider options (e.g. ``base_url``).
        templates: Prompt templates (default: the packaged ones).
        questions: Keyed questions (default: the packaged ones).
        retry: Retries of failed judge-model calls (default: :class:`RetryPolicy`).

    Raises:
        ModelError: for a bad spec or a missing provider SDK.
        JudgeError: for a profile made for another model or template.
        DataFileError: for an unreadable profile file.
    """
    options = dict(model_options or {})
    if spec.partition("/")[0] in _LLAMA_PROVIDERS:
        options.setdefault("reuse_prefix", True)
    if isinstance(profile, (str, Path)):
        profile = load_profile(profile)
    return Judge(get_model(spec, **options), templates=templates, profile=profile, settings=settings,
                 questions=questions, retry=retry)
