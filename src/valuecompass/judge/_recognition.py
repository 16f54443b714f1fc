"""A judge that answers value-recognition questions with the trained recogniser (``--judge recogniser``).

It answers one question, the one the recogniser was trained for: does this free text resort to
basic Schwartz value V? Its verdict is ``supports`` where P(value) reaches the value's threshold,
else ``unrelated``. It gives no ``opposes`` (Touché labels say what an argument resorts to, not
what it argues against) and it has no answer to keyed questions (did the character take the
upholding action?), so runs are judged by an LLM judge; asked one, it says so.

A linear model over embeddings is not instructable: a text that orders it about is only more
words to it, so its verdicts carry no signs of injection.

Each verdict's evidence is found by occlusion (:mod:`valuecompass.judge._occlusion`): every text
is read again with one sentence left out at a time (all of a batch's variants in one encoder
call), and the sentences whose removal most lowers the probability of the verdict's label
(P(value) for ``supports``, 1 - P(value) for ``unrelated``) are its evidence. It is cheap (a
reading is about 12 ms): on by default, ``explain=False`` turns it off.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from valuecompass._hashing import content_hash
from valuecompass.errors import JudgeError
from valuecompass.judge._defaults import RECOGNISER_PREFIX
from valuecompass.judge._occlusion import Sentence, most_influential, occlusion_evidence, occlusion_units, without
from valuecompass.judge._types import JudgeIdentity, JudgeRequest, Judgment

if TYPE_CHECKING:
    from valuecompass.recognise import Recognition

#: Texts per batch (progress is reported after each).
_BATCH = 64


class RecogniserJudge:
    """Value recognition by the trained recogniser, with the judge's interface for free-text requests.

    Args:
        name: The recogniser (default: the packaged one).
        threads: Encoder threads (0: one per core).
        explain: Find each verdict's evidence by occlusion (one more reading per sentence, batched).

    Raises:
        RecogniserError: if the recogniser or its encoder packages are missing.
    """

    def __init__(self, name: str | None = None, threads: int = 0, explain: bool = True) -> None:
        from valuecompass.recognise import DEFAULT_RECOGNISER, Recogniser

        self.recogniser = Recogniser(name or DEFAULT_RECOGNISER, threads=threads)
        self.explain = explain
        self._categories: dict[str, dict[str, float]] = {}

    @classmethod
    def from_spec(cls, spec: str, threads: int = 0, explain: bool = True) -> RecogniserJudge:
        """``recogniser`` or ``recogniser/NAME`` (NAME: packaged, or a ``.json`` card path)."""
        _, _, name = spec.partition("/")
        return cls(name or None, threads=threads, explain=explain)

    @property
    def spec(self) -> str:
        """``recogniser/NAME``."""
        return f"{RECOGNISER_PREFIX}/{self.recogniser.name}"

    @property
    def judge_id(self) -> str:
        """The spec (a recogniser has no calibration profile: its thresholds are in its weights)."""
        return self.spec

    @property
    def template_hash(self) -> str:
        """Hash of the weights: judgments of other weights are another judge's."""
        return content_hash({"recogniser": self.recogniser.card.weights_sha256})

    @property
    def values(self) -> tuple[str, ...]:
        """The values it recognises (dimension ids)."""
        return self.recogniser.card.values

    @property
    def categories(self) -> tuple[str, ...]:
        """The finer categories it also gives probabilities for."""
        return self.recogniser.card.categories

    def identity(self) -> JudgeIdentity:
        """The recogniser's name, weights checksum, encoder checksums and training data."""
        card = self.recogniser.card
        return JudgeIdentity(judge_id=self.judge_id, spec=self.spec, model=self.recogniser.identity(),
                             template_version=f"recogniser-{card.version}", template_hash=self.template_hash,
                             settings={"thresholds": dict(zip(card.values, card.thresholds["values"]))})

    def category_probabilities(self, text: str) -> dict[str, float]:
        """P(category) for a text judged earlier by this judge (empty if it was not)."""
        return self._categories.get(text, {})

    def _check(self, request: JudgeRequest) -> None:
        if request.scoring_key is not None:
            raise JudgeError(f"the recogniser cannot answer the keyed question of {request.key or 'a response'}",
                             hint="it recognises values in free text (judge validate --format touche23); "
                                  "judge runs with an LLM judge (--judge local/qwen2.5-1.5b)")
        if request.dimension not in self.values:
            raise JudgeError(f"the recogniser knows only the 10 basic Schwartz values, not {request.dimension!r}",
                             hint=f"values: {', '.join(self.values)}")

    async def judge(self, request: JudgeRequest) -> Judgment:
        """Judge one free-text request (see :meth:`judge_many`)."""
        return (await self.judge_many([request]))[0]

    async def judge_many(self, requests: Sequence[JudgeRequest], *, concurrency: int | None = None,
                         on_judgment: Callable[[Judgment], None] | None = None) -> list[Judgment]:
        """Judge free-text requests: each distinct text is read once, for all its values.

        Args:
            requests: Free-text requests on Schwartz values (no scoring key).
            concurrency: Ignored (the encoder uses every core).
            on_judgment: Called with each judgment, batch by batch.

        Raises:
            JudgeError: for a keyed request or a dimension the recogniser does not know.
            RecogniserError: for an empty or undecodable text.
        """
        wanted: dict[str, list[int]] = {}  # each distinct text -> the requests about it
        for i, r in enumerate(requests):
            self._check(r)
            wanted.setdefault(r.text, []).append(i)
        texts = list(wanted)
        out: list[Judgment | None] = [None] * len(requests)
        for start in range(0, len(texts), _BATCH):
            batch = texts[start:start + _BATCH]
            began = time.perf_counter()
            found = await asyncio.to_thread(self.recogniser.recognise, batch)
            occluded = await asyncio.to_thread(self._occlude, batch) if self.explain else {}
            seconds = (time.perf_counter() - began) / sum(len(wanted[t]) for t in batch)
            for text, reading in zip(batch, found):
                self._categories[text] = reading.categories
                for i in wanted[text]:
                    out[i] = j = self._judgment(requests[i], reading, seconds, occluded.get(text))
                    if on_judgment is not None:
                        on_judgment(j)
        return [j for j in out if j is not None]

    def _occlude(self, texts: Sequence[str]) -> dict[str, _Occluded]:
        """Each text's sentences and P(value) without each, all variants read in one encoder call."""
        units = {t: occlusion_units(t) for t in texts}
        variants = [(t, without(t, u)) for t in texts for u in units[t] if len(units[t]) >= 2]
        if not variants:
            return {}
        probs = self.recogniser.probabilities([v for _, v in variants])["values"]
        out: dict[str, _Occluded] = {}
        row = 0
        for t in texts:
            if len(units[t]) >= 2:
                out[t] = _Occluded(units[t], [dict(zip(self.values, map(float, p)))
                                              for p in probs[row:row + len(units[t])]])
                row += len(units[t])
        return out

    def _judgment(self, request: JudgeRequest, reading: Recognition, seconds: float,
                  occluded: _Occluded | None = None) -> Judgment:
        card = self.recogniser.card
        p = reading.values[request.dimension]
        threshold = card.thresholds["values"][card.values.index(request.dimension)]
        label = "supports" if request.dimension in reading.predicted else "unrelated"
        evidence = f"P({request.dimension}) {p:.2f}"
        if self.explain:
            evidence = _explained(request.dimension, label, p, evidence, occluded)
        return Judgment(key=request.key, dimension=request.dimension, label=label, status="ok",
                        probabilities={"supports": p, "unrelated": 1.0 - p, "opposes": 0.0},
                        probability_source="classifier", judge_id=self.judge_id, template_hash=self.template_hash,
                        truncated=reading.truncated, seconds=seconds, path="recognition",
                        flags=("truncated",) if reading.truncated else (),
                        rationale=f"P(resorts to the value) {p:.2f}, threshold {threshold:.2f}",
                        evidence=evidence)

    async def aclose(self) -> None:
        """Nothing to release (the encoder lives in this process)."""


class _Occluded(NamedTuple):
    """A text's occlusion units and P(value) of each value with each unit left out."""

    units: tuple[Sentence, ...]
    values: list[dict[str, float]]


def _explained(dimension: str, label: str, p: float, reading: str, occluded: _Occluded | None) -> str:
    """Occlusion evidence of a recogniser verdict: P(value) for ``supports``, 1 - P(value) for ``unrelated``."""
    supports = label == "supports"
    target = f"P({dimension})" if supports else f"P(not {dimension})"
    full = p if supports else 1.0 - p
    if occluded is None:  # one sentence: nothing to leave out
        return occlusion_evidence(target, full, reading, (), 0)
    without_each = [v[dimension] if supports else 1.0 - v[dimension] for v in occluded.values]
    return occlusion_evidence(target, full, reading, most_influential(occluded.units, full, without_each),
                              len(occluded.units))
