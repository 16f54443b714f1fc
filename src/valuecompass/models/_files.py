"""The model cache directory and checksums of large files, hashed once.

A file's sha256 is remembered in a small marker (keyed by its path) together
with its size and modification time; it is hashed again only when those change.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from valuecompass._datafiles import write_atomic

log = logging.getLogger(__name__)

CHUNK = 8 * 1024 * 1024


def cache_dir() -> Path:
    """Where joined models and checksum markers live.

    ``$VALUECOMPASS_CACHE_DIR`` if set, else the platform's user cache directory
    (e.g. ``~/.cache/valuecompass``).
    """
    env = os.environ.get("VALUECOMPASS_CACHE_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir("valuecompass"))


@dataclass(frozen=True)
class FileStamp:
    """What identifies a file's content cheaply: size and modification time."""

    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileStamp:
        """Stat ``path``."""
        st = path.stat()
        return cls(st.st_size, st.st_mtime_ns)


def _marker_path(path: Path) -> Path:
    key = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
    return cache_dir() / "checksums" / f"{key}.json"


def remember_sha256(path: Path, sha256: str, stamp: FileStamp | None = None) -> None:
    """Record that ``path`` (as it is now) has checksum ``sha256``."""
    stamp = stamp or FileStamp.of(path)
    record = {"path": str(path.resolve()), "size": stamp.size, "mtime_ns": stamp.mtime_ns, "sha256": sha256}
    try:
        write_atomic(_marker_path(path), json.dumps(record).encode())
    except OSError as exc:  # a read-only cache only costs a re-hash next time
        log.warning("cannot write checksum marker for %s: %s", path, exc)


def remembered_sha256(path: Path) -> str | None:
    """The remembered checksum of ``path``, if its size and mtime are unchanged."""
    try:
        record = json.loads(_marker_path(path).read_text())
        stamp = FileStamp.of(path)
    except (OSError, ValueError):
        return None
    if record.get("size") == stamp.size and record.get("mtime_ns") == stamp.mtime_ns:
        return str(record["sha256"])
    return None


def hash_file(path: Path) -> str:
    """The sha256 hex digest of the file at ``path`` (reads it all)."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def file_sha256(path: Path) -> str:
    """The sha256 of ``path``, hashed only if not remembered for its current size and mtime."""
    path = Path(path)
    known = remembered_sha256(path)
    if known:
        return known
    stamp = FileStamp.of(path)
    log.info("hashing %s (%.0f MB, once)", path, stamp.size / 1e6)
    sha = hash_file(path)
    remember_sha256(path, sha, stamp)
    return sha
