"""Training a recogniser on human-labelled texts (scikit-learn), reproducibly.

:func:`train` fits, per label set (values and categories), one logistic regression per label on
each view (standardised embeddings; TF-IDF uni- and bigrams), with balanced class weights.
Thresholds are chosen per label to maximise F1 on out-of-fold predictions of the training data,
with folds grouped so that texts sharing a group (a Touché conclusion) never straddle a fold:
the validation split shares no conclusion with training, and ungrouped folds leak the topic and
set thresholds that do not carry over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from valuecompass.recognise._weights import linear_probabilities

#: Hyperparameters of ``minilm-tfidf-v1``: chosen by grouped cross-validation on the training split.
DEFAULT_HYPERPARAMETERS: dict[str, Any] = {
    "emb_C": 0.003, "tfidf_C": 1.0, "class_weight": "balanced", "folds": 5, "max_iter": 3000,
    "tfidf": {"ngram_range": [1, 2], "sublinear_tf": True, "min_df": 3, "max_features": 20000},
    "threshold_grid": [0.02, 0.98, 97],
}


@dataclass
class Fitted:
    """The result of :func:`train`: arrays for the weights file, thresholds, vocabulary and figures."""

    arrays: dict[str, np.ndarray]
    thresholds: dict[str, tuple[float, ...]]
    vocabulary: tuple[str, ...]
    figures: dict[str, Any] = field(default_factory=dict)


def macro_f1(truth: np.ndarray, prob: np.ndarray, thresholds: Sequence[float]) -> float:
    """Mean over labels of F1 of ``prob >= threshold`` against ``truth`` (labels with no positive
    and no prediction count as F1 0, as in SemEval-2023 Task 4)."""
    from sklearn.metrics import f1_score

    return float(np.mean([f1_score(truth[:, j], prob[:, j] >= t, zero_division=0)
                          for j, t in enumerate(thresholds)]))


def best_thresholds(truth: np.ndarray, prob: np.ndarray, grid: Sequence[float]) -> tuple[float, ...]:
    """Per label, the grid threshold with the highest F1 (the lowest such threshold on ties)."""
    from sklearn.metrics import f1_score

    out = []
    for j in range(truth.shape[1]):
        f1 = [f1_score(truth[:, j], prob[:, j] >= t, zero_division=0) for t in grid]
        out.append(round(float(grid[int(np.argmax(f1))]), 4))
    return tuple(out)


def _fit(x: Any, y: np.ndarray, c: float, hp: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    coefs, intercepts = [], []
    for j in range(y.shape[1]):
        if y[:, j].min() == y[:, j].max():  # a label never (or always) seen: a constant model
            coefs.append(np.zeros(x.shape[1]))
            intercepts.append(-50.0 if y[0, j] == 0 else 50.0)
            continue
        m = LogisticRegression(C=c, class_weight=hp["class_weight"], max_iter=hp["max_iter"])
        m.fit(x, y[:, j])
        coefs.append(m.coef_[0])
        intercepts.append(float(m.intercept_[0]))
    return np.array(coefs, dtype=np.float32), np.array(intercepts, dtype=np.float32)


def _views(texts: Sequence[str], embeddings: np.ndarray, hp: dict[str, Any]) -> tuple[Any, ...]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    t = hp["tfidf"]
    vec = TfidfVectorizer(ngram_range=tuple(t["ngram_range"]), sublinear_tf=t["sublinear_tf"], min_df=t["min_df"],
                          max_features=t["max_features"], dtype=np.float32).fit(texts)
    mean = embeddings.mean(axis=0)
    scale = embeddings.std(axis=0)
    scale[scale == 0] = 1.0
    return vec, mean.astype(np.float32), scale.astype(np.float32)


def _fit_predict(texts: Sequence[str], emb: np.ndarray, labels: dict[str, np.ndarray], hp: dict[str, Any],
                 test_texts: Sequence[str], test_emb: np.ndarray) -> tuple[dict[str, np.ndarray], ...]:
    """Fit both views on (texts, emb); return the weights arrays and the test probabilities."""
    vec, mean, scale = _views(texts, emb, hp)
    x_emb, t_emb = (emb - mean) / scale, (test_emb - mean) / scale
    x_tfidf, t_tfidf = vec.transform(texts), vec.transform(test_texts)
    arrays: dict[str, np.ndarray] = {"emb_mean": mean, "emb_scale": scale,
                                     "tfidf_idf": vec.idf_.astype(np.float32)}
    probs = {}
    for ls, y in labels.items():
        ce, ie = _fit(x_emb, y, hp["emb_C"], hp)
        ct, it = _fit(x_tfidf, y, hp["tfidf_C"], hp)
        arrays.update({f"emb_coef_{ls}": ce, f"emb_intercept_{ls}": ie, f"tfidf_coef_{ls}": ct,
                       f"tfidf_intercept_{ls}": it})
        probs[ls] = (linear_probabilities(t_emb, ce, ie) + linear_probabilities(t_tfidf, ct, it)) / 2
    arrays["_vocabulary"] = np.array(vec.get_feature_names_out())
    return arrays, probs


def train(texts: Sequence[str], embeddings: np.ndarray, labels: dict[str, np.ndarray], groups: Sequence[Any],
          hyperparameters: dict[str, Any] | None = None) -> Fitted:
    """Fit a recogniser and tune its thresholds on grouped out-of-fold predictions.

    Args:
        texts: The training texts.
        embeddings: Their encoder embeddings, one row per text.
        labels: Per label set (``values``, ``categories``), a 0/1 array (texts, labels).
        groups: A group per text (folds never split a group).
        hyperparameters: Overrides of :data:`DEFAULT_HYPERPARAMETERS`.

    Returns:
        Arrays for :func:`~valuecompass.recognise._weights.save_weights`, thresholds, the TF-IDF
        vocabulary, and out-of-fold figures (macro-F1 per label set).
    """
    from sklearn.model_selection import GroupKFold

    hp = {**DEFAULT_HYPERPARAMETERS, **(hyperparameters or {})}
    texts = list(texts)
    oof = {ls: np.zeros(y.shape) for ls, y in labels.items()}
    for fit_idx, held in GroupKFold(hp["folds"]).split(embeddings, groups=list(groups)):
        _, probs = _fit_predict([texts[i] for i in fit_idx], embeddings[fit_idx],
                                {ls: y[fit_idx] for ls, y in labels.items()}, hp,
                                [texts[i] for i in held], embeddings[held])
        for ls, p in probs.items():
            oof[ls][held] = p
    lo, hi, n = hp["threshold_grid"]
    grid = np.linspace(lo, hi, n)
    thresholds = {ls: best_thresholds(labels[ls], oof[ls], grid) for ls in labels}
    arrays, _ = _fit_predict(texts, embeddings, labels, hp, texts[:1], embeddings[:1])
    vocabulary = tuple(str(w) for w in arrays.pop("_vocabulary"))
    figures = {f"oof_macro_f1_{ls}": round(macro_f1(labels[ls], oof[ls], thresholds[ls]), 4) for ls in labels}
    return Fitted(arrays=arrays, thresholds=thresholds, vocabulary=vocabulary, figures=figures)
