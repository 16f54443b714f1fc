"""The leaderboard's view state and its URL form.

The whole view lives in the query string so that a link reproduces it exactly::

    index.html?sys=schwartz&p=schwartz-de&dims=benevolence,universalism&sort=score&dir=desc&q=qwen

* ``sys``: the value-system tab;
* ``p``: the base profile: a packaged profile id, ``custom`` or ``personal`` (then ``w`` holds
  the weights as ``dim:value,...``, values >= 0 in any total);
* ``dims``: the selected dimensions (default: all); the score weighs only these, with the base
  profile's weights renormalised over them;
* ``sort``/``dir``: the sorted column (``score``, ``model``, ``rank`` or a dimension id) and order;
* ``q``: the search text;
* ``from``/``to``: only models measured (their shown run finished) on or after / on or before
  these dates (``YYYY-MM-DD``); ranks are among the models shown.

``static/js/state.js`` reads and writes the same parameters; this module parses them for the
server-side first render, tolerantly: an unknown or malformed value falls back to the default.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from valuecompass.frameworks import get_system

SYSTEMS: tuple[str, ...] = ("schwartz", "mft", "safety", "llm_values")
FREE_PROFILES: tuple[str, ...] = ("custom", "personal")
SORT_FIXED: tuple[str, ...] = ("rank", "score", "model", "items", "measured")


@dataclass(frozen=True)
class TabDefault:
    """The default view of one system's tab.

    Attributes:
        profile: Default base profile id.
        dims: Dimensions selected by default.
        profiles: Ids of every base profile the tab offers.
    """

    profile: str
    dims: tuple[str, ...]
    profiles: frozenset[str]


@dataclass(frozen=True)
class ViewState:
    """One view of the leaderboard table.

    Attributes:
        system: Value-system id of the tab.
        profile: Base profile id, ``custom`` or ``personal``.
        weights: Base weights for ``custom``/``personal`` (dimension -> value >= 0).
        dims: Selected dimensions, in display order.
        sort: Sorted column.
        descending: Sort order.
        query: Search text.
        since: Only models measured on or after this date (``YYYY-MM-DD``, or empty).
        until: Only models measured on or before this date (``YYYY-MM-DD``, or empty).
    """

    system: str
    profile: str
    weights: dict[str, float] = field(default_factory=dict)
    dims: tuple[str, ...] = ()
    sort: str = "score"
    descending: bool = True
    query: str = ""
    since: str = ""
    until: str = ""

    def measured_in(self, date: str) -> bool:
        """Whether a measurement date (``YYYY-MM-DD``) is within the state's date range."""
        return (not self.since or date >= self.since) and (not self.until or date <= self.until)

    def to_query(self, default: "TabDefault") -> str:
        """The query string of this state, leaving out parameters at their default."""
        params: dict[str, str] = {"sys": self.system}
        if self.profile != default.profile or self.weights:
            params["p"] = self.profile
        if self.weights:
            params["w"] = ",".join(f"{d}:{_num(v)}" for d, v in self.weights.items())
        if self.dims != default.dims:
            params["dims"] = ",".join(self.dims)
        if (self.sort, self.descending) != ("score", True):
            params["sort"], params["dir"] = self.sort, "desc" if self.descending else "asc"
        if self.query:
            params["q"] = self.query
        if self.since:
            params["from"] = self.since
        if self.until:
            params["to"] = self.until
        return urlencode(params, safe=",:")


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def parse_weights(text: str, dims: tuple[str, ...]) -> dict[str, float]:
    """Parse ``dim:value,...``; unknown dimensions and bad numbers are dropped.

    Example:
        >>> parse_weights("power:30,hedonism:x,zzz:5,security:-1", ("power", "hedonism", "security"))
        {'power': 30.0}
    """
    out: dict[str, float] = {}
    for part in text.split(","):
        dim, _, raw = part.partition(":")
        try:
            value = float(raw)
        except ValueError:
            continue
        if dim in dims and math.isfinite(value) and value >= 0:
            out[dim] = min(value, 1e6)
    return out


def parse_date(text: str) -> str:
    """``text`` if it is a date ``YYYY-MM-DD``, else ``""``.

    Example:
        >>> parse_date("2026-02-30"), parse_date("2026-02-28")
        ('', '2026-02-28')
    """
    try:
        return dt.date.fromisoformat(text).isoformat() if len(text) == 10 else ""
    except ValueError:
        return ""


def parse_state(query: Mapping[str, str], defaults: Mapping[str, TabDefault]) -> ViewState:
    """Parse a query string's parameters into a :class:`ViewState`, tolerantly.

    Args:
        query: The request's query parameters.
        defaults: System id -> the default view of its tab.
    """
    system = query.get("sys", "")
    system = system if system in SYSTEMS else SYSTEMS[0]
    default = defaults[system]
    all_dims = get_system(system).ordered_ids
    profile = query.get("p", default.profile)
    weights = parse_weights(query.get("w", ""), all_dims) if profile in FREE_PROFILES else {}
    valid = bool(weights) if profile in FREE_PROFILES else profile in default.profiles
    if not valid:
        profile, weights = default.profile, {}
    dims = default.dims
    if "dims" in query:
        chosen = set(query["dims"].split(","))
        dims = tuple(d for d in all_dims if d in chosen) or all_dims
    sort = query.get("sort", "score")
    if sort not in SORT_FIXED and sort not in all_dims:
        sort = "score"
    descending = query.get("dir", "asc" if sort in ("model", "rank") else "desc") != "asc"
    return ViewState(system, profile, weights, dims, sort, descending, query.get("q", "")[:200],
                     parse_date(query.get("from", "")), parse_date(query.get("to", "")))
