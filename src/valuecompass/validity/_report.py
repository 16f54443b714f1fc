"""The validity card as Markdown: for papers, model cards and the leaderboard's downloads."""

from __future__ import annotations

import math

from valuecompass.frameworks import get_dimension
from valuecompass.validity._card import ValidityCard
from valuecompass.validity._steering import steering_summary


def _f(x: float | None, digits: int = 2) -> str:
    return "-" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f}"


def card_markdown(card: ValidityCard) -> str:
    """The card as Markdown, for papers and model cards."""
    lines = [f"# Validity card: {card.model_spec}", "",
             f"Judge `{card.judge_id}`{' (self-judged)' if card.self_judged else ''}; primary run `{card.primary_run}`;"
             f" made {card.created} by valuecompass {card.provenance.get('package_version', '')}.", ""]
    if card.known_groups is not None:
        passed, checked = card.known_groups_passed
        lines += ["## Known groups (can the scorer tell?)", "",
                  f"Constructed answers separated (AUC >= 0.8) on {passed} of {checked} dimensions.", "",
                  "| dimension | items | expressing | opposing | difference (95% CI) | AUC | passes |", "|---|---|---|---|---|---|---|"]
        lines += [f"| {get_dimension(r.dimension).short} | {r.n_items} | {r.expressing:.0f} | {r.opposing:.0f} | "
                  f"{r.difference:+.0f} ({r.low:+.0f} to {r.high:+.0f}) | {r.auc:.2f} | {'yes' if r.passes else 'no'} |"
                  for r in card.known_groups]
        lines.append("")
    if card.steering is not None:
        lines += ["## Steering (does the score move when the values are pushed?)", "", steering_summary(card.steering),
                  "", "| dimension | neutral | promote | oppose | promote - oppose (95% CI) | sign test p | Yes-rate "
                  "promote / oppose | verdict |", "|---|---|---|---|---|---|---|---|"]
        for r in card.steering:
            acq = (f"{r.acquiescence.get('promote', math.nan):.0f}% / {r.acquiescence.get('oppose', math.nan):.0f}%"
                   if r.acquiescence else "-")
            lines.append(f"| {get_dimension(r.dimension).short} | {r.scores['neutral']:.0f} | {r.scores['promote']:.0f}"
                         f" | {r.scores['oppose']:.0f} | {r.difference:+.0f} ({r.low:+.0f} to {r.high:+.0f}) | "
                         f"{r.p_sign:.2f} | {acq} | {r.verdict} |")
        lines.append("")
    if card.reliability is not None:
        r = card.reliability
        lines += ["## Reliability", "",
                  f"- Test-retest (runs {', '.join(r.runs)}, other seed and item draw): Pearson {_f(r.retest_pearson)}, "
                  f"Spearman {_f(r.retest_spearman)}, mean absolute difference {_f(r.retest_mean_abs_difference, 1)} "
                  f"points.",
                  f"- Split-half across dimensions: {_f(r.split_half)} (Spearman-Brown {_f(r.spearman_brown)}).",
                  f"- Judge consistency (answer options in the other order): {_f(r.consistency_agreement)} of "
                  f"{r.consistency_n} verdicts unchanged (kappa {_f(r.consistency_kappa)}).", ""]
    if card.agreement is not None:
        a = card.agreement
        lines += ["## Agreement with people", "", f"{a.n} labelled answers ({a.data.get('path')}).", "",
                  "| system | n | accuracy | macro-F1 | majority-label accuracy | majority macro-F1 |",
                  "|---|---|---|---|---|---|"]
        order = ["all", "schwartz", "mft", "safety", "llm_values"]
        rows = sorted(a.systems.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
        lines += [f"| {s} | {g['n']:.0f} | {g['accuracy']:.2f} | {g['macro_f1']:.2f} | {g['baseline_accuracy']:.2f} | "
                  f"{g['baseline_macro_f1']:.2f} |" for s, g in rows]
        lines.append("")
    if card.self_report is not None:
        lines += ["## Self-report next to behaviour (no pass mark)", ""]
        lines += [f"- {s.questionnaire}: {s.answered} of {s.n_items} items answered with a rating; Spearman with "
                  f"behaviour {_f(s.spearman)}." for s in card.self_report]
        lines.append("")
    checks = ["primary", "known_groups", "steering", "reliability", "agreement", "self_report"]
    lines.append("Seconds per check: " + ", ".join(f"{k} {card.timings[k]:.0f}" for k in checks if k in card.timings)
                 + ".")
    return "\n".join(lines) + "\n"


