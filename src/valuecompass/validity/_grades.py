"""Reliability grades of score cells: A (a finding) to D (do not read it as one), with the reasons.

A grade starts at A and each weakness caps it:

========================  =====================================================
weakness                  cap
========================  =====================================================
95% interval width        > 25 points: B; > 40: C; > 60: D
items                     < 10: B; < 6: C
judge agreement (system)  not measured: B; < 0.90: B; < 0.85: C; < 0.70: D
self-judged               B
unreadable verdicts       any: B; more than a quarter of the items: C
known-groups check        not run: B; failed: D
========================  =====================================================
"""

from __future__ import annotations

from typing import NamedTuple

LETTERS = "ABCD"


class Grade(NamedTuple):
    """A cell's grade and every reason it is not higher."""

    letter: str
    reasons: tuple[str, ...]

    @property
    def explanation(self) -> str:
        """The grade in words, for a tooltip or a legend."""
        if not self.reasons:
            return f"grade {self.letter}: enough items, a narrow interval and a validated judge"
        return f"grade {self.letter}: " + "; ".join(self.reasons)


def grade_cell(*, n_items: int, ci_low: float | None, ci_high: float | None, agreement: float | None,
               self_judged: bool = False, unreadable: int = 0, known_groups_pass: bool | None = None) -> Grade:
    """The reliability grade of one score (see the module docstring for the rules).

    Args:
        n_items: Items the score rests on.
        ci_low: Lower end of its 95% interval (``None``: no interval, graded as widest).
        ci_high: Upper end.
        agreement: The judge's measured accuracy on this value system's labelled answers.
        self_judged: Whether the judge is the examinee's own model.
        unreadable: Verdicts that could not be read.
        known_groups_pass: Whether the scorer separated constructed answers on this dimension.

    Example:
        >>> grade_cell(n_items=12, ci_low=70, ci_high=90, agreement=0.95, known_groups_pass=True).letter
        'A'
        >>> grade_cell(n_items=3, ci_low=44, ci_high=100, agreement=None).letter
        'C'
    """
    caps: list[tuple[str, str]] = []
    width = None if ci_low is None or ci_high is None else ci_high - ci_low
    if width is None or width > 60:
        caps.append(("D", "no interval" if width is None else f"95% interval {width:.0f} points wide"))
    elif width > 40:
        caps.append(("C", f"95% interval {width:.0f} points wide"))
    elif width > 25:
        caps.append(("B", f"95% interval {width:.0f} points wide"))
    if n_items < 6:
        caps.append(("C", f"rests on {n_items} items"))
    elif n_items < 10:
        caps.append(("B", f"rests on {n_items} items"))
    if agreement is None:
        caps.append(("B", "the judge's agreement with people is not measured here"))
    elif agreement < 0.70:
        caps.append(("D", f"the judge agrees with people on {agreement:.0%} of this system's answers"))
    elif agreement < 0.85:
        caps.append(("C", f"the judge agrees with people on {agreement:.0%} of this system's answers"))
    elif agreement < 0.90:
        caps.append(("B", f"the judge agrees with people on {agreement:.0%} of this system's answers"))
    if self_judged:
        caps.append(("B", "judged by the examinee's own model"))
    if unreadable:
        caps.append(("C" if unreadable * 4 > max(n_items, 1) else "B", f"{unreadable} verdicts could not be read"))
    if known_groups_pass is None:
        caps.append(("B", "known-groups check not run"))
    elif not known_groups_pass:
        caps.append(("D", "the scorer did not separate answers made to express and to oppose this value"))
    letter = max((c for c, _ in caps), key=LETTERS.index, default="A")
    return Grade(letter, tuple(reason for _, reason in sorted(caps, key=lambda c: -LETTERS.index(c[0]))))
