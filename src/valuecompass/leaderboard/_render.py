"""Jinja rendering shared by the server and the static export (autoescape always on)."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup

#: The Content-Security-Policy of every page: scripts and styles only from the site itself.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "font-src 'self'; base-uri 'none'; form-action 'self'; object-src 'none'")
#: The same policy as a ``<meta>`` tag allows (``frame-ancestors`` only works as a header).
CSP_HEADER = CSP + "; frame-ancestors 'none'"

#: Who decided a verdict, by its path (``Case.path``), as a case's heading says it.
PATH_NAMES = {"key": "Scoring key", "rule": "Refusal rule", "judge": "Judge", "recognition": "Recogniser"}

SYSTEM_SHORT = {"schwartz": "Schwartz values", "mft": "Moral Foundations", "safety": "Safety",
                "llm_values": "LLM values"}


@dataclass(frozen=True)
class PageMeta:
    """Where a page sits and how it is delivered.

    Attributes:
        path: The page's path in the site (``index.html``, ``model/x.html``); links are relative to it.
        static: ``True`` in the static export (adds the CSP ``<meta>`` tag).
    """

    path: str
    static: bool

    @property
    def root(self) -> str:
        """The relative prefix from this page back to the site root (``""``, ``"../"``, ...)."""
        return "../" * self.path.count("/")


def _json_script(value: Any) -> Markup:
    """JSON safe to place inside ``<script type="application/json">`` (``<``, ``>``, ``&`` escaped)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _num(value: float | None, digits: int = 1) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    return f"{value:.{digits}f}"


def _occlusion(evidence: str) -> Any:
    """The occlusion a verdict's evidence records (:class:`valuecompass.judge.Occlusion`), or ``None``."""
    from valuecompass.judge import read_occlusion

    return read_occlusion(evidence or "")


def _margin() -> float:
    """The least drop of probability for occlusion to highlight a sentence."""
    from valuecompass.judge import MARGIN

    return float(MARGIN)


def _pct(value: float) -> str:
    return f"{max(0.0, min(100.0, value)):.2f}"


def environment() -> jinja2.Environment:
    """The Jinja environment: package templates, autoescape on, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("valuecompass.leaderboard", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["json_script"] = _json_script
    env.filters["num"] = _num
    env.filters["pct"] = _pct
    env.filters["occlusion"] = _occlusion
    env.globals["SYSTEM_SHORT"] = SYSTEM_SHORT
    env.globals["PATH_NAMES"] = PATH_NAMES
    env.globals["CSP"] = CSP
    env.globals["OCCLUSION_MARGIN"] = _margin()
    return env


_ENV: jinja2.Environment | None = None


def render(template: str, meta: PageMeta, **context: Any) -> str:
    """Render ``template`` for the page ``meta`` with ``context``."""
    global _ENV
    if _ENV is None:
        _ENV = environment()
    return _ENV.get_template(template).render(page=meta, root=meta.root, **context)
