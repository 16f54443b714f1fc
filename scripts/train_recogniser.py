#!/usr/bin/env python
"""Train the packaged value recogniser on the Touché23-ValueEval training split.

Touché23-ValueEval (Mirzakhmedova et al., LREC-COLING 2024; CC BY 4.0; Zenodo
doi:10.5281/zenodo.6814563, Hugging Face ``webis/Touche23-ValueEval``) labels 5,393 training
arguments with 20 value categories; they map to the 10 basic values as ``judge validate`` does
(:data:`valuecompass.judge.TOUCHE_TO_SCHWARTZ`). The data are not shipped: give ``--data DIR``.

Everything is seeded and recorded in the card: the sha256 of every data file, the encoder's
checksums, the hyperparameters, and the figures (out-of-fold macro-F1 on the training split;
with ``--report-split``, macro-F1 on that split, for information only: nothing is tuned on it).

Usage::

    python scripts/train_recogniser.py --data DIR                      # writes the packaged weights
    python scripts/train_recogniser.py --data DIR --out /tmp/r/my-rec  # elsewhere
    python scripts/train_recogniser.py --data DIR --limit 600 --out /tmp/r/small --report-split ""

About 4 minutes on two cores for the whole split.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import random
import sys
import time
from pathlib import Path

import numpy as np

from valuecompass.judge import SCHWARTZ_VALUES, TOUCHE_TO_SCHWARTZ, read_touche
from valuecompass.recognise import DEFAULT_RECOGNISER, save_weights, weights_path
from valuecompass.recognise._encoder import Encoder, encoder_files
from valuecompass.recognise._train import DEFAULT_HYPERPARAMETERS, macro_f1, train

log = logging.getLogger("train_recogniser")


def _sha256(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _labels(arguments: list, categories: list[str]) -> dict[str, np.ndarray]:
    return {"values": np.array([[v in a.values for v in SCHWARTZ_VALUES] for a in arguments], dtype=int),
            "categories": np.array([[c in a.categories for c in categories] for a in arguments], dtype=int)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="folder with arguments-/labels-SPLIT.tsv")
    parser.add_argument("--out", type=Path, default=weights_path(DEFAULT_RECOGNISER).with_suffix(""),
                        help="weights path without suffix (default: the packaged recogniser)")
    parser.add_argument("--name", default=None, help="recogniser name (default: the --out file name)")
    parser.add_argument("--split", default="training", help="split to train on")
    parser.add_argument("--report-split", default="validation", help="split to report on ('' for none)")
    parser.add_argument("--limit", type=int, default=None, help="train on a seeded sample of this many arguments")
    parser.add_argument("--seed", type=int, default=0, help="seed of the sample")
    parser.add_argument("--threads", type=int, default=0, help="encoder threads (0: one per core)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    start = time.perf_counter()
    arguments = read_touche(args.data, args.split)
    if args.limit is not None and args.limit < len(arguments):
        arguments = sorted(random.Random(args.seed).sample(arguments, args.limit), key=lambda a: a.id)
    categories = list(TOUCHE_TO_SCHWARTZ)
    texts = [a.text for a in arguments]
    encoder = Encoder(threads=args.threads)
    t = time.perf_counter()
    embeddings = encoder.encode(texts)
    log.info("embedded %d texts in %.1f s", len(texts), time.perf_counter() - t)
    labels = _labels(arguments, categories)
    fitted = train(texts, embeddings, labels, [a.conclusion for a in arguments])
    figures = dict(fitted.figures)

    files = [args.data / f"{kind}-{args.split}.tsv" for kind in ("arguments", "labels")]
    card = {
        "name": args.name or args.out.name, "version": 1, "values": list(SCHWARTZ_VALUES), "categories": categories,
        "category_values": dict(TOUCHE_TO_SCHWARTZ), "thresholds": fitted.thresholds,
        "vocabulary": list(fitted.vocabulary),
        "tfidf": dict(DEFAULT_HYPERPARAMETERS["tfidf"]),
        "encoder": encoder_files().identity(), "hyperparameters": DEFAULT_HYPERPARAMETERS,
        "training": {"data": "Touché23-ValueEval (CC BY 4.0, doi:10.5281/zenodo.6814563)", "split": args.split,
                     "n": len(arguments), "limit": args.limit, "seed": args.seed,
                     "sha256": {f.name: _sha256(f) for f in files},
                     "text": "premise, newline, 'Stance: STANCE \"CONCLUSION\"'",
                     "thresholds_from": "grouped (by conclusion) 5-fold out-of-fold predictions on the training split"},
        "figures": figures, "weights_sha256": "",
    }
    saved = save_weights(card, fitted.arrays, args.out)
    if args.report_split:
        from valuecompass.recognise import Recogniser

        report = read_touche(args.data, args.report_split)
        rec = Recogniser(str(args.out.with_suffix(".json")), threads=args.threads)
        probs = rec.probabilities([a.text for a in report])
        truth = _labels(report, categories)
        for ls in ("values", "categories"):
            figures[f"{args.report_split}_macro_f1_{ls}"] = round(
                macro_f1(truth[ls], probs[ls], saved.thresholds[ls]), 4)
        figures[f"{args.report_split}_n"] = len(report)
        saved = save_weights({**card, "figures": figures}, fitted.arrays, args.out)
    figures["seconds"] = round(time.perf_counter() - start, 1)
    print(json.dumps({"out": str(args.out), "weights_sha256": saved.weights_sha256, "figures": figures}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
