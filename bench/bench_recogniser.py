"""Benchmark of value recognition on Touché23-ValueEval: the recogniser against the LLM judge, in one run.

Prints, for the recogniser on the whole split (default: validation, 1,896 arguments):

- macro-F1 over the 10 basic values and over the 20 categories, with the always-yes floors;
- mean AUC;
- wall time of the whole split, seconds per argument (all values at once) and per judgment,
  and the process's peak RSS;

and, as the baseline measured in the same run, the LLM judge on a seeded sample of
``--baseline-arguments`` arguments of the same split (every value asked separately): its
macro-F1 and AUC on that sample, the recogniser's on the same sample, seconds per judgment,
and the speed ratio.

With ``--combine-train N --combine-eval M`` it also measures a second opinion: a logistic
regression over the logits of both judges' P(value), fitted on the LLM judge's answers for N
seeded training arguments (10 values each) and compared with the recogniser alone on M seeded
arguments of the reported split (mean AUC, and macro-F1 at thresholds tuned on the training
sample for the combination, the recogniser's own thresholds for it alone).

Usage:
    .venv/bin/python bench/bench_recogniser.py --data DIR [--split validation] [--baseline-arguments 6]
        [--baseline-judge local/qwen2.5-1.5b] [--combine-train 40 --combine-eval 60]

``DIR`` holds ``arguments-SPLIT.tsv`` and ``labels-SPLIT.tsv`` of Touché23-ValueEval
(CC BY 4.0, doi:10.5281/zenodo.6814563). With the defaults about 4 minutes on two cores,
most of it the baseline (``--baseline-arguments 0`` skips it).
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import time
from pathlib import Path

import numpy as np

from valuecompass.judge import RecogniserJudge, make_judge, read_touche, sample_arguments, validate_touche


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--split", default="validation")
    parser.add_argument("--recogniser", default="recogniser")
    parser.add_argument("--baseline-judge", default="local/qwen2.5-1.5b")
    parser.add_argument("--baseline-arguments", type=int, default=6)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--combine-train", type=int, default=0, help="training arguments for the combination")
    parser.add_argument("--combine-eval", type=int, default=0, help="arguments of --split to compare it on")
    args = parser.parse_args()

    arguments = read_touche(args.data, args.split)
    rss_before = _peak_rss_mb()
    t = time.perf_counter()
    judge = RecogniserJudge.from_spec(args.recogniser, explain=False)  # as `judge validate`: no evidence shown
    loaded = time.perf_counter() - t
    t = time.perf_counter()
    report = asyncio.run(validate_touche(judge, arguments))
    elapsed = time.perf_counter() - t
    print(f"recogniser {judge.judge_id} on the whole {args.split} split ({len(arguments)} arguments, "
          f"{report.n_judgments} judgments)")
    print(f"  values:     macro-F1 {report.macro_f1:.3f}  (always-yes {report.all_yes_macro_f1:.3f})  "
          f"mean AUC {report.mean_auc:.3f}  micro-F1 {report.micro_f1:.3f}")
    print(f"  categories: macro-F1 {report.categories_macro_f1:.3f}  "
          f"(always-yes {report.categories_all_yes_macro_f1:.3f})")
    print(f"  time: {elapsed:.1f} s for the split ({1000 * elapsed / len(arguments):.1f} ms per argument, "
          f"{1000 * elapsed / report.n_judgments:.2f} ms per judgment); loading {loaded:.1f} s")
    print(f"  peak RSS {_peak_rss_mb():.0f} MB (before loading {rss_before:.0f} MB)")
    for v in report.values:
        print(f"    {v.value:<15} F1 {v.f1:.3f}  P {v.precision:.3f}  R {v.recall:.3f}  AUC {v.auc:.3f}  "
              f"human yes {v.positives}/{v.n}")

    if args.baseline_arguments > 0:
        baseline(args, judge, arguments, elapsed / report.n_judgments)
    if args.combine_train > 0 and args.combine_eval > 0:
        combination(args, judge, arguments)


def baseline(args, judge, arguments, rec_s: float) -> None:
    """The LLM judge and the recogniser on the same seeded sample."""
    sample = sample_arguments(arguments, args.baseline_arguments, args.seed)
    llm = make_judge(args.baseline_judge)

    async def baseline():
        try:
            return await validate_touche(llm, sample)
        finally:
            await llm.aclose()

    t = time.perf_counter()
    base = asyncio.run(baseline())
    base_s = (time.perf_counter() - t) / base.n_judgments
    same = asyncio.run(validate_touche(judge, sample))
    print(f"baseline {llm.judge_id} on a seeded sample of {len(sample)} arguments (seed {args.seed}), "
          f"{base.n_judgments} judgments")
    auc = f"{base.mean_auc:.3f}" if base.mean_auc is not None else "n/a"
    print(f"  LLM judge:  macro-F1 {base.macro_f1:.3f}  mean AUC {auc}  {base_s:.2f} s per judgment")
    print(f"  recogniser: macro-F1 {same.macro_f1:.3f}  mean AUC {same.mean_auc:.3f} on the same sample")
    print(f"  speed ratio (LLM judge / recogniser, per judgment): {base_s / rec_s:,.0f}x")


def _probs(judge, arguments) -> np.ndarray:
    """P(supports) of ``judge`` for each (argument, value): an array (arguments, 10)."""
    from valuecompass.judge import SCHWARTZ_VALUES, cache_order, touche_requests

    async def go():
        try:
            return await judge.judge_many(cache_order(touche_requests(arguments)))
        finally:
            await judge.aclose()

    by_key = {j.key: j.probability("supports") or 0.0 for j in asyncio.run(go())}
    return np.array([[by_key[f"{v}#{a.id}"] for v in SCHWARTZ_VALUES] for a in arguments])


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-6, 1 - 1e-6)
    return np.log(p / (1 - p))


def combination(args, recogniser, arguments) -> None:
    """Fit the second opinion on training arguments and compare it with the recogniser alone."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score

    from valuecompass.judge import SCHWARTZ_VALUES
    from valuecompass.recognise._train import best_thresholds, macro_f1

    train = sample_arguments(read_touche(args.data, "training"), args.combine_train, args.seed)
    evaluate = sample_arguments(arguments, args.combine_eval, args.seed)
    truth = {name: np.array([[v in a.values for v in SCHWARTZ_VALUES] for a in part], dtype=int)
             for name, part in (("train", train), ("eval", evaluate))}
    rec = {name: recogniser.recogniser.probabilities([a.text for a in part])["values"]
           for name, part in (("train", train), ("eval", evaluate))}
    t = time.perf_counter()
    llm = {"train": _probs(make_judge(args.baseline_judge), train),
           "eval": _probs(make_judge(args.baseline_judge), evaluate)}
    llm_s = (time.perf_counter() - t) / (10 * (len(train) + len(evaluate)))

    def features(name: str) -> np.ndarray:
        return np.column_stack([_logit(rec[name]).ravel(), _logit(llm[name]).ravel()])

    model = LogisticRegression().fit(features("train"), truth["train"].ravel())
    combined = {name: model.predict_proba(features(name))[:, 1].reshape(truth[name].shape) for name in truth}
    y = truth["eval"]

    def auc(p: np.ndarray) -> float:
        return float(np.mean([roc_auc_score(y[:, j], p[:, j]) for j in range(10) if 0 < y[:, j].sum() < len(y)]))

    grid = np.linspace(0.02, 0.98, 97)
    th = best_thresholds(truth["train"], combined["train"], grid)
    own = recogniser.recogniser.card.thresholds["values"]
    print(f"second opinion: fitted on {len(train)} training arguments, compared on {len(evaluate)} "
          f"{args.split} arguments (seed {args.seed}); LLM judge {llm_s:.2f} s per judgment")
    print(f"  weights (recogniser logit, LLM logit): {model.coef_[0][0]:.3f}, {model.coef_[0][1]:.3f}")
    print(f"  mean AUC: recogniser {auc(rec['eval']):.3f}  LLM judge {auc(llm['eval']):.3f}  "
          f"combined {auc(combined['eval']):.3f}")
    print(f"  macro-F1: recogniser {macro_f1(y, rec['eval'], own):.3f}  combined {macro_f1(y, combined['eval'], th):.3f}")


if __name__ == "__main__":
    main()
