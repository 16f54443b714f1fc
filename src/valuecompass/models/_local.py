"""In-process GGUF providers: ``local/NAME`` (embedded models) and ``gguf/PATH`` (any file)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from valuecompass.errors import ModelError
from valuecompass.models._embedded import embedded_model, prepare_embedded
from valuecompass.models._files import file_sha256
from valuecompass.models._llama import SAMPLER_DEFAULTS, LoadedLlama, LoadKey, chat, load_llama
from valuecompass.models._types import GenerateConfig, Message, ModelAPI, ModelOutput


class _LlamaModel(ModelAPI):
    """Shared machinery: resolve a file, load it once per process, call it in a thread.

    Args:
        spec: The model spec.
        n_ctx: Context length in tokens (prompt plus reply).
        n_threads: CPU threads (default: all cores).
        n_batch: Prompt-evaluation batch size.
        reuse_prefix: Reuse the KV cache of a common prompt prefix between calls
            (faster; off by default for bit-identical results whatever the call order).
    """

    def __init__(self, spec: str, *, n_ctx: int = 4096, n_threads: int | None = None, n_batch: int = 512,
                 reuse_prefix: bool = False) -> None:
        super().__init__(spec, n_ctx=n_ctx, n_threads=n_threads, n_batch=n_batch, reuse_prefix=reuse_prefix)
        self.n_ctx = n_ctx
        self.n_threads = n_threads or os.cpu_count() or 1
        self.n_batch = n_batch
        self.reuse_prefix = reuse_prefix
        self._path: Path | None = None
        self._sha256: str | None = None
        self._loaded: LoadedLlama | None = None

    def _resolve(self) -> tuple[Path, str]:
        """The model file and its sha256 (may join or hash once; blocking)."""
        raise NotImplementedError

    def model_file(self) -> tuple[Path, str]:
        """The verified model file and its sha256 (blocking the first time)."""
        if self._path is None or self._sha256 is None:
            self._path, self._sha256 = self._resolve()
        return self._path, self._sha256

    def load(self) -> LoadedLlama:
        """The loaded model, shared with every provider of the same file and settings (blocking)."""
        path, _ = self.model_file()
        return load_llama(LoadKey(str(path), self.n_ctx, self.n_threads, self.n_batch))

    async def generate(self, messages: list[Message], config: GenerateConfig) -> ModelOutput:
        """Generate on the model's own thread; calls on one loaded model run one at a time."""
        loaded = self._loaded or await asyncio.to_thread(self.load)
        self._loaded = loaded
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(loaded.executor, chat, loaded, messages, config, self.reuse_prefix)

    def max_connections(self) -> int:
        """One: llama.cpp runs one call at a time per model and uses every core for it."""
        return 1

    def identity(self) -> dict[str, object]:
        """Spec, weights checksum and the sampler settings llama.cpp applies.

        Blocking the first time in a process: it may join the embedded parts or
        hash the file (call it through ``asyncio.to_thread`` from async code).
        """
        path, sha = self.model_file()
        return {"spec": self.spec, "file": path.name, "sha256": sha, "runtime": "llama.cpp",
                "sampler": dict(SAMPLER_DEFAULTS)}


class LocalModel(_LlamaModel):
    """An embedded model, ``local/qwen2.5-1.5b`` or ``local/smollm2-135m``.

    The weights come from registry packages; the first use joins and verifies
    them (see :func:`valuecompass.models.prepare_embedded`). Options as for
    :class:`GgufModel`.
    """

    def __init__(self, spec: str, *, n_ctx: int = 4096, n_threads: int | None = None, n_batch: int = 512,
                 reuse_prefix: bool = False) -> None:
        super().__init__(spec, n_ctx=n_ctx, n_threads=n_threads, n_batch=n_batch, reuse_prefix=reuse_prefix)
        self.embedded = embedded_model(spec.partition("/")[2])

    def _resolve(self) -> tuple[Path, str]:
        prepared = prepare_embedded(self.embedded.name)
        return prepared.path, prepared.sha256


class GgufModel(_LlamaModel):
    """Any local GGUF file, ``gguf/PATH`` (relative paths from the working directory).

    Args:
        spec: ``gguf/`` followed by the file path.
        n_ctx: Context length in tokens.
        n_threads: CPU threads (default: all cores).
        n_batch: Prompt-evaluation batch size.
        reuse_prefix: Reuse the KV cache of a common prompt prefix between calls.
    """

    def __init__(self, spec: str, *, n_ctx: int = 4096, n_threads: int | None = None, n_batch: int = 512,
                 reuse_prefix: bool = False) -> None:
        super().__init__(spec, n_ctx=n_ctx, n_threads=n_threads, n_batch=n_batch, reuse_prefix=reuse_prefix)
        self.file = Path(spec.partition("/")[2]).expanduser()
        if not self.file.is_file():
            raise ModelError(f"GGUF file {str(self.file)!r} does not exist",
                             hint="give the path of a .gguf file after gguf/, e.g. gguf/models/model.gguf")

    def _resolve(self) -> tuple[Path, str]:
        return self.file.resolve(), file_sha256(self.file)

    def preflight(self) -> None:
        """The file must be readable and start with the GGUF magic bytes (checked before a run opens).

        Raises:
            ModelError: naming the file and what is wrong with it.
        """
        try:
            with self.file.open("rb") as f:
                magic = f.read(4)
        except OSError as exc:
            raise ModelError(f"cannot read GGUF file {str(self.file)!r}: {exc.strerror}",
                             hint="check the path and its permissions") from exc
        if magic != b"GGUF":
            raise ModelError(f"{str(self.file)!r} is not a GGUF model file (it does not start with 'GGUF')",
                             hint="give a .gguf file (llama.cpp's format); convert other formats with llama.cpp's "
                                  "convert scripts")
