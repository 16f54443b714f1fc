"""Writing an export folder atomically: refuse a file or a stranger's folder, build aside, move into place.

The export is written in a temporary sibling of ``--out`` (same file system), and moved into place only
when complete, so a failed export never leaves a half-written dataset. A folder that already holds files
(an earlier export, or with ``force`` any folder) keeps every file but the export's own ``README.md`` and
``data/``: a clone of the dataset's Hub repo keeps its ``.git`` and ``.gitattributes``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from valuecompass.ecosystem._hf_card import EXPORT_MARKER
from valuecompass.errors import EcosystemError

#: What an export owns in its folder; anything else there is left alone.
OWNED = ("README.md", "data")


class ExportError(EcosystemError):
    """A dataset export cannot be written (missing pyarrow, a bad ``--out``, an unknown run)."""


def check_out_dir(out: Path, force: bool = False) -> None:
    """Refuse an ``out`` that is a file, or a non-empty folder that is no earlier export (unless ``force``).

    Raises:
        ExportError: naming the path and the way out.
    """
    if out.exists() and not out.is_dir():
        raise ExportError(f"--out {str(out)!r} is a file, not a folder",
                          hint="give a new or empty folder, or an earlier export to replace")
    if not out.is_dir() or force or not any(out.iterdir()) or is_export(out):
        return
    raise ExportError(f"--out {str(out)!r} is a folder with other files in it, not an earlier valuecompass export",
                      hint="give a new or empty folder, or add --force to replace its README.md and data/ "
                           "(its other files are kept)")


def is_export(folder: Path) -> bool:
    """Whether ``folder`` holds a dataset written by this module (its card carries :data:`EXPORT_MARKER`)."""
    card = folder / "README.md"
    try:
        with card.open(encoding="utf-8", errors="replace") as fh:
            return EXPORT_MARKER in fh.read(1 << 20)
    except OSError:
        return False


def publish(out: Path, force: bool, write: Callable[[Path], None]) -> None:
    """Write the export with ``write(tmp)`` in a temporary sibling of ``out``, then move it into place."""
    check_out_dir(out, force)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    except OSError as exc:
        raise ExportError(f"cannot write to {str(out.parent)!r}: {exc.strerror}", hint="give a writable --out") from exc
    try:
        write(tmp)
        if out.is_dir() and (out.is_symlink() or any(out.iterdir())):
            _replace_owned(tmp, out)
        else:
            if out.is_dir():
                out.rmdir()
            os.rename(tmp, out)
    except OSError as exc:
        raise ExportError(f"cannot write the export to {str(out)!r}: {exc.strerror or exc}",
                          hint="give a writable --out folder with free space") from exc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _replace_owned(tmp: Path, out: Path) -> None:
    """Swap ``out``'s README.md and data/ for the new ones in ``tmp``; put the old ones back if that fails."""
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".old", dir=out.parent))
    moved: list[str] = []
    try:
        for name in OWNED:
            if os.path.lexists(out / name):
                os.rename(out / name, old / name)
                moved.append(name)
        for name in OWNED:
            os.rename(tmp / name, out / name)
    except OSError:
        for name in moved:  # the new ones out, the old ones back (the old folder is kept if this fails too)
            if os.path.lexists(out / name):
                _remove(out / name)
            os.rename(old / name, out / name)
        old.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    else:
        path.unlink()
