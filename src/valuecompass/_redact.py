"""Credentials out of URLs: what valuecompass records, prints or logs never carries a key.

A key can ride in a URL as user info (``https://user:KEY@host``) or in its query
(``?api-key=KEY``). :func:`redact_url` keeps the URL readable and replaces the
secret parts with ``***``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters whose values are secrets.
SECRET_PARAMS = re.compile(r"(?:^|[_-])(?:key|api[_-]?key|token|secret|password|passwd|pwd|auth|sig|signature)$",
                           re.IGNORECASE)


def redact_url(url: str | None) -> str | None:
    """``url`` without the credentials it carries (user info, secret query values).

    Example:
        >>> redact_url("https://me:sk-123@api.example.com/v1?api-key=sk-123&region=eu")
        'https://***@api.example.com/v1?api-key=***&region=eu'
    """
    if not url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "***"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = "***@" + netloc.rsplit("@", 1)[1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, "***" if SECRET_PARAMS.search(k) else v) for k, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_text(text: str, url: str | None) -> str:
    """``text`` with every occurrence of ``url`` (and of its secret parts) replaced by the redacted URL."""
    if not url:
        return text
    safe = redact_url(url) or ""
    out = text.replace(url, safe)
    parts = urlsplit(url)
    info = parts.netloc.rsplit("@", 1)[0] if "@" in parts.netloc else ""
    secrets = [info, *info.split(":")] if info else []
    secrets += [v for k, v in parse_qsl(parts.query) if SECRET_PARAMS.search(k) and v]
    for secret in secrets:
        if len(secret) >= 4:
            out = out.replace(secret, "***")
    return out


def redact_options(config: dict) -> dict:
    """A recorded configuration with the URLs of its ``model_options`` redacted (a copy)."""
    out = dict(config)
    options = out.get("model_options")
    if isinstance(options, dict):
        out["model_options"] = {k: redact_url(v) if k.endswith("url") and isinstance(v, str) else v
                                for k, v in options.items()}
    return out
