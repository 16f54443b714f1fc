"""Benchmark of occlusion evidence: what finding the deciding sentences costs.

Prints:

- for the recogniser, on a seeded sample of ``--arguments`` Touché arguments and on the
  responses of the packaged labelled development set: ms per verdict without occlusion
  (``explain=False``) and with it (the default), the extra ms per verdict and the ratio, the mean
  sentences tested per text, and the share of verdicts that got a highlighted sentence;
- for the LLM judge (``--explain``), on the development set's judge-path verdicts, with a
  literal-reading scripted judge model (no model weights needed): judge calls per verdict
  without and with occlusion, and the extra calls per verdict (each about 2 s with the default
  1.5B judge on two cores). Labels are checked to be identical with and without.

Usage:
    .venv/bin/python bench/bench_occlusion.py [--data DIR] [--arguments 300] [--seed 0]

``DIR`` holds ``arguments-validation.tsv`` and ``labels-validation.tsv`` of Touché23-ValueEval
(default: ``../shared/data/touche23-valueeval``); without it the Touché part is skipped.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from valuecompass.items import load_seed_bank
from valuecompass.judge import (
    SCHWARTZ_VALUES,
    Judge,
    JudgeRequest,
    JudgeSettings,
    Judgment,
    RecogniserJudge,
    default_labelled_path,
    evidence_spans,
    load_labelled,
    occlusion_units,
    read_occlusion,
    read_touche,
    sample_arguments,
)
from valuecompass.models import reading_judge


def _recogniser(texts: list[str], what: str, repeats: int = 3) -> None:
    requests = [JudgeRequest(dimension=v, text=t, key=f"{v}#{i}") for i, t in enumerate(texts) for v in SCHWARTZ_VALUES]
    judges = {explain: RecogniserJudge.from_spec("recogniser", explain=explain) for explain in (False, True)}
    timings: dict[bool, tuple[float, list[Judgment]]] = {}
    for _ in range(repeats):  # alternating, the best of each: the machine's noise is one-sided
        for explain, judge in judges.items():
            asyncio.run(judge.judge_many(requests[:20]))  # load the encoder, warm up
            start = time.perf_counter()
            out = asyncio.run(judge.judge_many(requests))
            seconds = time.perf_counter() - start
            if explain not in timings or seconds < timings[explain][0]:
                timings[explain] = (seconds, out)
    (plain_s, plain), (explain_s, explained) = timings[False], timings[True]
    assert [j.label for j in plain] == [j.label for j in explained], "occlusion changed a label"
    per_plain, per_explain = 1000 * plain_s / len(requests), 1000 * explain_s / len(requests)
    units = sum(len(occlusion_units(t)) for t in texts) / len(texts)
    highlighted = sum(bool(evidence_spans(r.text, j.evidence)) for r, j in zip(requests, explained)) / len(requests)
    supports = [(r, j) for r, j in zip(requests, explained) if j.label == "supports"]
    lit = sum(bool(evidence_spans(r.text, j.evidence)) for r, j in supports) / max(1, len(supports))
    print(f"recogniser on {what}: {len(texts)} texts, {len(requests)} verdicts, {units:.1f} sentences tested per text")
    print(f"  {per_plain:.2f} ms/verdict without occlusion, {per_explain:.2f} ms with: "
          f"+{per_explain - per_plain:.2f} ms/verdict (x{per_explain / per_plain:.1f}); "
          f"{1000 * (explain_s - plain_s) / len(texts):.1f} ms extra per text (all 10 values)")
    print(f"  verdicts with a highlighted sentence: {highlighted:.0%} (supports verdicts: {lit:.0%})")


def _judge() -> None:
    bank = {i.id: i for i in load_seed_bank()}
    requests = [request for _, request in load_labelled(default_labelled_path(), bank)]
    counts, labels, judged = {}, {}, []
    for explain in (False, True):
        model = reading_judge("fake/reader")
        judge = Judge(model, settings=JudgeSettings(explain=explain))
        out = asyncio.run(judge.judge_many(requests, concurrency=1))
        labels[explain] = [j.label for j in out]
        counts[explain] = len(model.calls)
        judged = [(r, j) for r, j in zip(requests, out) if j.path == "judge" and j.label is not None]
    assert labels[False] == labels[True], "occlusion changed a label"
    n = len(judged)
    tested = [read_occlusion(j.evidence).tested for _, j in judged]  # type: ignore[union-attr]
    lit = sum(bool(evidence_spans(r.text, j.evidence)) for r, j in judged) / max(1, n)
    print(f"LLM judge --explain on the development set ({len(requests)} records, {n} judge-path verdicts, "
          f"scripted literal-reading judge model)")
    print(f"  judge calls: {counts[False]} without, {counts[True]} with: +{(counts[True] - counts[False]) / n:.1f} "
          f"calls per judge-path verdict ({sum(tested) / n:.1f} sentences tested, most {max(tested)}); "
          f"labels identical; {lit:.0%} of them got a highlighted sentence (the literal reader rarely finds an "
          f"item's action word for word, so most of its verdicts are 'unrelated', which ask both questions)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data/touche23-valueeval"))
    parser.add_argument("--arguments", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if (args.data / "arguments-validation.tsv").is_file():
        arguments = sample_arguments(read_touche(args.data, "validation"), args.arguments, args.seed)
        _recogniser([a.text for a in arguments], f"Touché validation ({args.arguments} seeded arguments)")
    pairs = load_labelled(default_labelled_path(), {i.id: i for i in load_seed_bank()})
    _recogniser(sorted({r.text for _, r in pairs if r.text.strip()}), "the development set's responses")
    _judge()


if __name__ == "__main__":
    main()
