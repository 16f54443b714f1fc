"""Content hashes of data (canonical JSON, sha256)."""

from __future__ import annotations

import hashlib
import json
from typing import Any


def canonical_json(obj: Any) -> str:
    """Serialise ``obj`` to JSON with sorted keys and no spaces.

    Args:
        obj: Any JSON-serialisable value.

    Returns:
        A string that is the same for equal values, whatever their key order.
    """
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(obj: Any, length: int = 16) -> str:
    """Return the sha256 hex digest of ``obj``'s canonical JSON, shortened.

    Args:
        obj: Any JSON-serialisable value (a string is hashed as its JSON form).
        length: How many hex digits to keep (64 keeps all).

    Returns:
        The first ``length`` hex digits of the digest.
    """
    digest = hashlib.sha256(canonical_json(obj).encode("utf-8")).hexdigest()
    return digest[:length]
