"""The recogniser's trained weights: a small versioned data file with its provenance, and prediction.

A recogniser is two linear models over two views of a text, whose probabilities are averaged:

- logistic regression over the standardised MiniLM embedding (:mod:`._encoder`);
- logistic regression over TF-IDF word uni- and bigrams.

Each gives a probability per label, for the 10 basic Schwartz values and for the 20 Touché23
level-2 categories; a label is predicted where the averaged probability reaches its threshold
(tuned on out-of-fold predictions of the training split, never on a split that is reported).

Weights live in two files, ``NAME.npz`` (arrays, read with ``allow_pickle=False``) and
``NAME.json`` (labels, vocabulary, thresholds, hyperparameters, data hashes, encoder checksums,
figures, and the sha256 of the ``.npz``, checked when loading).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from valuecompass._datafiles import parse_json, read_text, validation_summary
from valuecompass.errors import DataFileError, RecogniserError

#: The packaged recogniser (the default for value-recognition questions).
DEFAULT_RECOGNISER = "minilm-tfidf-v1"
#: The label sets a recogniser predicts.
LABEL_SETS = ("values", "categories")
#: The most characters of a text the TF-IDF view reads (the encoder stops at 256 tokens anyway).
MAX_CHARS = 20_000


class RecogniserCard(BaseModel):
    """What a trained recogniser is and how it was made (the ``.json`` half of its weights).

    Attributes:
        name: The recogniser's name (``minilm-tfidf-v1``).
        version: Format version of the weights files.
        values: The value labels (dimension ids of the ``schwartz`` system).
        categories: The finer labels (Touché23 level-2 categories).
        category_values: The value each category belongs to.
        thresholds: Per label set, one probability threshold per label.
        vocabulary: The TF-IDF terms, in column order.
        tfidf: TF-IDF settings (``ngram_range``, ``sublinear_tf``, ``min_df``, ``max_features``).
        encoder: The sentence encoder and its file checksums.
        hyperparameters: Everything else that shaped the fit (C of each view, folds, seed).
        training: The training data (name, split, file sha256s, size) and how thresholds were tuned.
        figures: Figures measured when the weights were made (out-of-fold on training; and, for
            information only, on the validation split).
        weights_sha256: sha256 of the ``.npz`` file.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    version: int = 1
    values: tuple[str, ...]
    categories: tuple[str, ...]
    category_values: dict[str, str]
    thresholds: dict[str, tuple[float, ...]]
    vocabulary: tuple[str, ...]
    tfidf: dict[str, Any]
    encoder: dict[str, str]
    hyperparameters: dict[str, Any]
    training: dict[str, Any]
    figures: dict[str, Any] = Field(default_factory=dict)
    weights_sha256: str

    def labels(self, label_set: str) -> tuple[str, ...]:
        """The labels of ``values`` or ``categories``."""
        return self.values if label_set == "values" else self.categories


#: The arrays of a weights file, per view and label set.
ARRAY_NAMES = ("emb_mean", "emb_scale", "tfidf_idf",
               *(f"{view}_{part}_{ls}" for view in ("emb", "tfidf") for part in ("coef", "intercept")
                 for ls in LABEL_SETS))


@dataclass(frozen=True)
class Recognition:
    """What the recogniser read in one text.

    Attributes:
        values: P(the text resorts to the value), per value.
        categories: The same for each finer category.
        predicted: The values whose probability reaches their threshold.
        truncated: The text was longer than the encoder reads (it read the start).
    """

    values: dict[str, float]
    categories: dict[str, float]
    predicted: frozenset[str]
    truncated: bool


def linear_probabilities(x: Any, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    """P(label) of logistic regressions (one row of ``coef`` per label) for each row of ``x``."""
    z = np.asarray(x @ coef.T) + intercept
    return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))


def weights_path(name: str = DEFAULT_RECOGNISER) -> Path:
    """The packaged ``.json`` of recogniser ``name``."""
    return Path(str(resources.files("valuecompass.recognise") / "data" / f"{name}.json"))


def packaged_recognisers() -> tuple[str, ...]:
    """Names of the recognisers shipped with valuecompass."""
    folder = Path(str(resources.files("valuecompass.recognise") / "data"))
    return tuple(sorted(p.stem for p in folder.glob("*.json")))


def load_card(path: Path) -> RecogniserCard:
    """Read and validate a recogniser's ``.json`` card.

    Raises:
        DataFileError: if the file is unreadable or malformed.
    """
    try:
        return RecogniserCard.model_validate(parse_json(path, read_text(path)))
    except ValidationError as exc:
        raise DataFileError(str(path), validation_summary(exc), hint="not a recogniser weights card") from exc


def load_arrays(card: RecogniserCard, npz: Path) -> dict[str, np.ndarray]:
    """Read the ``.npz`` half, after checking its sha256 against the card.

    Raises:
        DataFileError: if the file is missing, changed, or lacks an array or has one of the wrong shape.
    """
    if not npz.is_file():
        raise DataFileError(str(npz), "file not found", hint="a recogniser is NAME.json plus NAME.npz")
    with open(npz, "rb") as fh:
        sha = hashlib.file_digest(fh, "sha256").hexdigest()
    if sha != card.weights_sha256:
        raise DataFileError(str(npz), f"sha256 {sha[:16]}... differs from the card's {card.weights_sha256[:16]}...",
                            hint="the weights were changed or belong to another card; retrain or reinstall")
    with np.load(npz, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files}
    missing = [k for k in ARRAY_NAMES if k not in arrays]
    if missing:
        raise DataFileError(str(npz), f"missing arrays {missing}")
    n_vocab = len(card.vocabulary)
    for ls in LABEL_SETS:
        n = len(card.labels(ls))
        if arrays[f"emb_coef_{ls}"].shape[0] != n or arrays[f"tfidf_coef_{ls}"].shape != (n, n_vocab):
            raise DataFileError(str(npz), f"the {ls} coefficients do not match the card's {n} labels")
    return arrays


class Recogniser:
    """Text -> probability of each basic value (and each finer category).

    Args:
        name: A packaged recogniser, or the path of a ``.json`` card (its ``.npz`` beside it).
        threads: Encoder threads (0: one per core).

    Raises:
        RecogniserError: if the name is unknown or the encoder packages are missing.
        DataFileError: if the weights files are malformed or changed.
    """

    def __init__(self, name: str = DEFAULT_RECOGNISER, threads: int = 0) -> None:
        path = Path(name) if name.endswith(".json") else weights_path(name)
        if not path.is_file():
            raise RecogniserError(f"unknown recogniser {name!r}",
                                  hint=f"packaged: {', '.join(packaged_recognisers())}; or give a NAME.json path")
        self.card = load_card(path)
        self.arrays = load_arrays(self.card, path.with_suffix(".npz"))
        self.threads = threads

    @property
    def name(self) -> str:
        """The recogniser's name."""
        return self.card.name

    @cached_property
    def encoder(self) -> Any:
        """The sentence encoder (loaded on first use)."""
        from valuecompass.recognise._encoder import Encoder

        encoder = Encoder(threads=self.threads)
        if encoder.files.identity()["onnx_sha256"] != self.card.encoder.get("onnx_sha256"):
            raise RecogniserError(f"recogniser {self.name!r} was trained on another encoder file",
                                  hint="install the encoder version named in its card")
        return encoder

    @cached_property
    def _vectorizer(self) -> Any:
        try:
            from sklearn.feature_extraction.text import TfidfVectorizer
        except ImportError as exc:
            from valuecompass.recognise._encoder import INSTALL_HINT

            raise RecogniserError("the value recogniser needs scikit-learn, which is not installed",
                                  hint=INSTALL_HINT) from exc
        t = self.card.tfidf
        vec = TfidfVectorizer(ngram_range=tuple(t["ngram_range"]), sublinear_tf=bool(t["sublinear_tf"]),
                              vocabulary={w: i for i, w in enumerate(self.card.vocabulary)}, dtype=np.float32)
        vec.idf_ = self.arrays["tfidf_idf"]
        return vec

    def identity(self) -> dict[str, Any]:
        """Name, weights checksum, encoder checksums and training data hashes."""
        return {"recogniser": self.name, "weights_sha256": self.card.weights_sha256, "encoder": self.card.encoder,
                "training": self.card.training}

    def probabilities(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Per label set, an array (len(texts), labels) of probabilities.

        Raises:
            RecogniserError: for a text that is empty or not a string.
        """
        clean = [check_text(t, i) for i, t in enumerate(texts)]
        a = self.arrays
        emb = (self.encoder.encode(clean) - a["emb_mean"]) / a["emb_scale"]
        tfidf = self._vectorizer.transform([t[:MAX_CHARS] for t in clean])
        return {ls: (linear_probabilities(emb, a[f"emb_coef_{ls}"], a[f"emb_intercept_{ls}"])
                     + linear_probabilities(tfidf, a[f"tfidf_coef_{ls}"], a[f"tfidf_intercept_{ls}"])) / 2
                for ls in LABEL_SETS}

    def recognise(self, texts: Sequence[str]) -> list[Recognition]:
        """Read the values in each of ``texts`` (batched: about 10 ms per text on two cores).

        Texts longer than the encoder's 256 tokens are read from the start and marked truncated.

        Raises:
            RecogniserError: for a text that is empty or not a string.
        """
        clean = [check_text(t, i) for i, t in enumerate(texts)]
        probs = self.probabilities(clean)
        cut = self.encoder.truncated(clean)
        thresholds = self.card.thresholds["values"]
        out = []
        for i, text in enumerate(clean):
            pv = {v: float(p) for v, p in zip(self.card.values, probs["values"][i])}
            pc = {c: float(p) for c, p in zip(self.card.categories, probs["categories"][i])}
            out.append(Recognition(values=pv, categories=pc, truncated=cut[i] or len(text) > MAX_CHARS,
                                   predicted=frozenset(v for v, t in zip(self.card.values, thresholds) if pv[v] >= t)))
        return out


def check_text(text: object, index: int = 0) -> str:
    """``text`` if it is a non-empty string; bytes are decoded as UTF-8 (strictly).

    Raises:
        RecogniserError: for an empty text, undecodable bytes or anything not text.
    """
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise RecogniserError(f"text {index} is not UTF-8: byte 0x{text[exc.start]:02x} at offset {exc.start}",
                                  hint="decode the text yourself, or re-save it as UTF-8") from exc
    if not isinstance(text, str):
        raise RecogniserError(f"text {index} is a {type(text).__name__}, not text")
    if not text.strip():
        raise RecogniserError(f"text {index} is empty", hint="there is nothing to recognise a value in")
    return text


def save_weights(card: dict[str, Any], arrays: dict[str, np.ndarray], out: Path) -> RecogniserCard:
    """Write ``OUT.npz`` and ``OUT.json`` (the card gets the ``.npz``'s sha256); return the card.

    ``out`` is the path without suffix, e.g. ``.../data/minilm-tfidf-v1``.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    npz = out.with_suffix(".npz")
    tmp = npz.with_name(npz.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for k in ARRAY_NAMES:  # fixed member dates: the same arrays give the same bytes (and sha256)
            info = zipfile.ZipInfo(f"{k}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w") as fh:
                np.lib.format.write_array(fh, np.ascontiguousarray(arrays[k]), allow_pickle=False)
    tmp.replace(npz)
    with open(npz, "rb") as fh:
        sha = hashlib.file_digest(fh, "sha256").hexdigest()
    validated = RecogniserCard.model_validate({**card, "weights_sha256": sha})
    out.with_suffix(".json").write_text(json.dumps(validated.model_dump(mode="json"), indent=1) + "\n",
                                        encoding="utf-8")
    return validated
