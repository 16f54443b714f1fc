"""Where two models disagree: the items both have a verdict on whose labels differ.

The rule, one place: a model's verdict on an item is the shown judge's label of its response to
the item (:func:`verdicts`; with several samples, the majority label, ties to the earliest sample;
the response shown is the first sample with that label). Two models *disagree* on an item when
both have a verdict on it (same item id and dimension) and the labels differ
(:func:`disagreements`). Items only one model has a verdict on are counted apart.

How the pair reaches the page, in both delivery modes:

* The served app renders ``disagree.html?a=KEY&b=KEY`` in Python, from :func:`disagreements`.
* The static export cannot read a query string, and one page per ordered pair would be
  ``n (n - 1)`` pages (870 for 30 models). It writes one ``disagree.html`` and, per model, a
  data file ``data/cases/<key>.js`` (:func:`cases_script`): a script that registers that
  model's verdicts in the global ``VC_CASES``. ``static/js/disagree.js`` adds the two files of
  the chosen pair as ``<script src>`` tags (``script-src 'self'`` allows them, and unlike
  ``fetch()`` they load from ``file://`` in Chromium) and joins them by the same rule. The
  files carry one verdict per item and only what the view shows (response cut at
  :data:`~valuecompass.leaderboard._model.RESPONSE_CHARS`), so a pair's page loads two small
  files, not the whole store. The browser tests check that both modes list the same items.

Scores used to order the dimensions are rounded to 3 decimals, as the pages' JSON carries them,
so that the browser orders ties exactly as Python does.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from valuecompass.leaderboard._model import RESPONSE_CHARS, Case

#: A verdict's key: (item id, dimension).
Key = tuple[str, str]


@dataclass(frozen=True)
class Differing:
    """One item on which the two models' verdicts differ.

    Attributes:
        item_id: The item.
        dimension: The dimension it tests.
        a: The first model's case (its response and verdict).
        b: The second model's case.
    """

    item_id: str
    dimension: str
    a: Case
    b: Case


@dataclass(frozen=True)
class DimensionDiff:
    """The differing items of one dimension.

    Attributes:
        dimension: Dimension id.
        score_a: The first model's score on it (rounded to 3 decimals), ``None`` if not scored.
        score_b: The second model's score.
        shared: Items of this dimension both models have a verdict on.
        items: The differing ones, in the first model's run order.
    """

    dimension: str
    score_a: float | None
    score_b: float | None
    shared: int
    items: tuple[Differing, ...]

    @property
    def gap(self) -> float | None:
        """``|score_a - score_b|``, or ``None`` when either model has no score on the dimension."""
        if self.score_a is None or self.score_b is None:
            return None
        return abs(self.score_a - self.score_b)


@dataclass(frozen=True)
class Disagreement:
    """Where two models' verdicts differ.

    Attributes:
        shared: Items both models have a verdict on.
        only_a: Items only the first model has a verdict on.
        only_b: Items only the second model has a verdict on.
        dimensions: Dimensions with at least one differing item, the largest score gap first
            (unscored gaps last; ties: more differing items, then display order).
        agreeing: Dimensions with shared items and no difference, in display order.
    """

    shared: int
    only_a: int
    only_b: int
    dimensions: tuple[DimensionDiff, ...]
    agreeing: tuple[str, ...]

    @property
    def differing(self) -> int:
        """Number of shared items whose verdicts differ."""
        return sum(len(d.items) for d in self.dimensions)


def verdicts(cases: Iterable[Case]) -> dict[Key, Case]:
    """One judged case per (item, dimension), in run order: the model's verdict on each item.

    Unjudged cases are left out. With several samples of an item the majority label wins (ties
    go to the earliest sample's label) and the case shown is the first sample with that label.
    """
    groups: dict[Key, list[Case]] = {}
    for case in cases:
        if case.label is not None:
            groups.setdefault((case.item_id, case.dimension), []).append(case)
    out: dict[Key, Case] = {}
    for key, group in groups.items():
        group.sort(key=lambda c: c.sample_index)
        counts = Counter(c.label for c in group)
        top = max(counts.values())
        out[key] = next(c for c in group if counts[c.label] == top)
    return out


def _score(scores: Mapping[str, float], dim: str) -> float | None:
    return round(float(scores[dim]), 3) if dim in scores else None


def disagreements(a: Mapping[Key, Case], b: Mapping[Key, Case], scores_a: Mapping[str, float],
                  scores_b: Mapping[str, float], order: Sequence[str]) -> Disagreement:
    """The items on which two models' verdicts differ, grouped by dimension.

    Args:
        a: The first model's verdicts (from :func:`verdicts`).
        b: The second model's verdicts.
        scores_a: The first model's score per dimension (0-100).
        scores_b: The second model's.
        order: Every dimension id in display order (ties in the gap keep this order).

    Example:
        >>> from valuecompass.leaderboard import Case
        >>> c = lambda label: Case(item_id="i1", dimension="care", item_text="?", label=label)
        >>> d = disagreements({("i1", "care"): c("supports")}, {("i1", "care"): c("opposes")},
        ...                   {"care": 80.0}, {"care": 20.0}, ["care"])
        >>> d.differing, d.shared, d.dimensions[0].gap
        (1, 1, 60.0)
    """
    shared: dict[str, int] = {}
    differing: dict[str, list[Differing]] = {}
    for key, case in a.items():
        other = b.get(key)
        if other is None:
            continue
        shared[key[1]] = shared.get(key[1], 0) + 1
        if case.label != other.label:
            differing.setdefault(key[1], []).append(Differing(key[0], key[1], case, other))
    rank = {d: i for i, d in enumerate(order)}
    dims = [DimensionDiff(d, _score(scores_a, d), _score(scores_b, d), shared[d], tuple(items))
            for d, items in differing.items()]
    dims.sort(key=lambda x: (x.gap is None, -(x.gap or 0.0), -len(x.items), rank.get(x.dimension, len(rank)),
                             x.dimension))
    agreeing = sorted((d for d in shared if d not in differing), key=lambda d: (rank.get(d, len(rank)), d))
    n_shared = sum(shared.values())
    return Disagreement(n_shared, len(a) - n_shared, sum(1 for k in b if k not in a), tuple(dims), tuple(agreeing))


def _row(case: Case) -> list[object]:
    text = case.response[:RESPONSE_CHARS]
    return [case.item_id, case.dimension, case.label, case.item_text, text, len(case.response) - len(text),
            case.rationale, case.path, [list(s) for s in case.spans]]


def cases_script(key: str, cases: Mapping[Key, Case]) -> str:
    """The data file ``data/cases/<key>.js``: a script registering one model's verdicts in ``VC_CASES``.

    ``VC_CASES[key]`` becomes a list of ``[item id, dimension, label, item text, response (cut),
    characters cut, rationale, path, spans]`` in run order. The JSON is escaped so that no text can
    end the script or break the line (``<``, ``>``, ``&``, U+2028 and U+2029 as ``\\u`` escapes).
    """
    body = json.dumps([_row(c) for c in cases.values()], ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    name = json.dumps(key)
    text = f"(window.VC_CASES = window.VC_CASES || {{}})[{name}] = {body};\n"
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                         ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return text
