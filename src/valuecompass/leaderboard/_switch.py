"""Which scores a site shows, and the links to the same site under the store's other scores.

A store can hold scores by several estimation methods and judges (``method@judge``). The site shows
one of them (the store's rule picks it, or ``--score-method``/``--judge``); each other one is the same
site under ``scores/<slug>/``, served and exported alike, so every relative link keeps working. The
pages link each to each and say how many models each holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from valuecompass.leaderboard._data import model_key

#: The folder of the sites of the other scores, under the main site.
FOLDER = "scores"


@dataclass(frozen=True)
class ScoreKind:
    """One ``method@judge`` a store holds scores by.

    Attributes:
        method: Estimation method.
        judge: Judge id.
        models: How many models have scores by it.
        slug: Its folder name under :data:`FOLDER` (empty for the main site's kind).
    """

    method: str
    judge: str
    models: int
    slug: str = ""

    @property
    def name(self) -> str:
        """``method@judge``."""
        return f"{self.method}@{self.judge}"


@dataclass(frozen=True)
class ScoreSwitch:
    """Every kind of scores with its site, seen from the site of one of them.

    Attributes:
        kinds: The main site's kind first, then the others by name.
        here: The name of the kind the current site shows.
    """

    kinds: tuple[ScoreKind, ...]
    here: str

    @classmethod
    def build(cls, shown: tuple[str, str], counts: dict[tuple[str, str], int]) -> ScoreSwitch:
        """The switch of a main site that shows ``shown`` (method, judge), with every kind's model count."""
        taken: set[str] = set()
        main = ScoreKind(shown[0], shown[1], counts.get(shown, 0))
        others = tuple(ScoreKind(m, j, n, model_key(f"{m}@{j}", taken))
                       for (m, j), n in sorted(counts.items()) if (m, j) != shown and n > 0)
        return cls((main, *others), main.name)

    def at(self, name: str) -> ScoreSwitch:
        """The same switch, seen from the site of kind ``name``."""
        return ScoreSwitch(self.kinds, name)

    def kind(self, slug: str) -> ScoreKind | None:
        """The other kind whose folder is ``slug``."""
        return next((k for k in self.kinds[1:] if k.slug == slug), None)

    @property
    def current(self) -> ScoreKind:
        """The kind this site shows."""
        return next(k for k in self.kinds if k.name == self.here)

    def href(self, kind: ScoreKind) -> str:
        """The link from this site's root to the root of ``kind``'s site (``""`` for this one)."""
        if kind.name == self.here:
            return ""
        up = "" if self.here == self.kinds[0].name else "../../"
        return up if not kind.slug else f"{up}{FOLDER}/{kind.slug}/"

    def folder(self, kind: ScoreKind) -> str:
        """Where ``kind``'s site sits under the main site (``""`` for the main one)."""
        return f"{FOLDER}/{kind.slug}" if kind.slug else ""
