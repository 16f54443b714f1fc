"""Questionnaire scoring, checked against the published instrument keys on constructed answers."""

from __future__ import annotations

import csv
import difflib
import math
import re
from pathlib import Path

import pytest

from valuecompass.errors import ProfileError
from valuecompass.metric import (
    Questionnaire,
    load_questionnaire,
    profile_from_answers,
    score_answers,
    softmax_weights,
)

VALUE_IDS = {"Self-Direction": "self_direction", "Stimulation": "stimulation", "Hedonism": "hedonism",
             "Achievement": "achievement", "Power": "power", "Security": "security", "Conformity": "conformity",
             "Tradition": "tradition", "Benevolence": "benevolence", "Universalism": "universalism"}
FOUNDATION_IDS = {"Harm": "care", "Fairness": "fairness", "Ingroup": "loyalty", "Authority": "authority",
                  "Purity": "sanctity"}
# The published keys, typed in independently of the CSV files (instruments/SOURCE.md).
PVQ21_KEY = {"self_direction": [1, 11], "power": [2, 17], "universalism": [3, 8, 19], "achievement": [4, 13],
             "security": [5, 14], "stimulation": [6, 15], "conformity": [7, 16], "tradition": [9, 20],
             "hedonism": [10, 21], "benevolence": [12, 18]}
PVQ40_KEY = {"self_direction": [1, 11, 22, 34], "power": [2, 17, 39], "universalism": [3, 8, 19, 23, 29, 40],
             "achievement": [4, 13, 24, 32], "security": [5, 14, 21, 31, 35], "stimulation": [6, 15, 30],
             "conformity": [7, 16, 28, 36], "tradition": [9, 20, 25, 38], "hedonism": [10, 26, 37],
             "benevolence": [12, 18, 27, 33]}
MFQ30_KEY = {"care": [1, 7, 12, 17, 23, 28], "fairness": [2, 8, 13, 18, 24, 29], "loyalty": [3, 9, 14, 19, 25, 30],
             "authority": [4, 10, 15, 20, 26, 31], "sanctity": [5, 11, 16, 21, 27, 32]}
MFQ30_CATCH = {6: "MATH", 22: "GOOD"}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _instrument(system: str, centring: str, lo: int, items: list[dict]) -> Questionnaire:
    labels = [f"point {i}" for i in range(lo, lo + 6)]
    return Questionnaire.model_validate({
        "id": f"key-{system}", "name": "instrument key", "version": "0", "system": system, "centring": centring,
        "parts": [{"id": "all", "instructions": "-", "question": "-", "scale": {"min": lo, "max": lo + 5,
                                                                              "labels": labels}}],
        "items": items})


def _mrat(like: dict[int, float], key: dict[str, list[int]]) -> tuple[dict[str, float], dict[str, float]]:
    raw = {v: sum(like[i] for i in items) / len(items) for v, items in key.items()}
    scored = [i for items in key.values() for i in items]
    overall = sum(like[i] for i in scored) / len(scored)
    return raw, {v: s - overall for v, s in raw.items()}


def test_pvq21_key_with_reversed_ess_scale(shared_data):
    rows = _rows(shared_data / "instruments" / "pvq21_ess_items.csv")
    assert {v: [int(r["item"]) for r in rows if VALUE_IDS[r["value_10"]] == v] for v in PVQ21_KEY} == PVQ21_KEY
    q = _instrument("schwartz", "mrat", 1, [
        {"id": f"i{r['item']}", "part": "all", "dimension": VALUE_IDS[r["value_10"]], "text": r["text_male"],
         "reverse": True} for r in rows])  # ESS: 1 = very much like me ... 6 = not like me at all
    like = {i: float((i * 5) % 6 + 1) for i in range(1, 22)}  # constructed "how much like me", 1-6
    scores = score_answers(q, {f"i{i}": int(7 - like[i]) for i in like})
    raw, centred = _mrat(like, PVQ21_KEY)
    assert scores.raw == pytest.approx(raw) and scores.centred == pytest.approx(centred)
    assert sum(scores.centred.values()) != 0  # centring is on items, not on values (UN has 3 items)
    assert scores.overall_mean == pytest.approx(sum(like.values()) / 21)


def test_pvq40_key(shared_data):
    rows = _rows(shared_data / "instruments" / "pvq40_items.csv")
    assert {v: [int(r["item"]) for r in rows if VALUE_IDS[r["value_10"]] == v] for v in PVQ40_KEY} == PVQ40_KEY
    q = _instrument("schwartz", "mrat", 1, [
        {"id": f"i{r['item']}", "part": "all", "dimension": VALUE_IDS[r["value_10"]],
         "text": r["text_first_person_valuebench"]} for r in rows])
    like = {i: float((i * 7) % 6 + 1) for i in range(1, 41)}
    scores = score_answers(q, {f"i{i}": int(v) for i, v in like.items()})
    raw, centred = _mrat(like, PVQ40_KEY)
    assert scores.raw == pytest.approx(raw) and scores.centred == pytest.approx(centred)


def test_mfq30_key_raw_means_and_catch_items(shared_data):
    rows = _rows(shared_data / "instruments" / "mfq30_items.csv")
    scored = [r for r in rows if r["foundation"] in FOUNDATION_IDS]
    assert {f: [int(r["item"]) for r in scored if FOUNDATION_IDS[r["foundation"]] == f] for f in MFQ30_KEY} == MFQ30_KEY
    assert {int(r["item"]): r["variable"] for r in rows if r["foundation"] not in FOUNDATION_IDS} == MFQ30_CATCH
    catch = {"MATH": {"flag_if_at_least": 3}, "GOOD": {"flag_if_at_most": 2}}
    q = _instrument("mft", "none", 0, [
        {"id": f"i{r['item']}", "part": "all", "text": r["text"],
         "dimension": FOUNDATION_IDS.get(r["foundation"]), "catch": catch.get(r["variable"])} for r in rows])
    answers = {f"i{i}": (i * 5) % 6 for i in range(1, 33)}
    answers.update({"i6": 0, "i22": 5})
    scores = score_answers(q, answers)
    expected = {f: sum(answers[f"i{i}"] for i in items) / 6 for f, items in MFQ30_KEY.items()}
    assert scores.raw == pytest.approx(expected) and scores.centred is None and scores.priorities == scores.raw
    assert scores.warnings == ()
    flagged = score_answers(q, {**answers, "i6": 4, "i22": 1})
    assert len(flagged.warnings) == 2 and "item i6" in flagged.warnings[0]
    assert flagged.raw == scores.raw  # catch items are never scored


def test_packaged_schwartz_questionnaire_has_the_pvq21_structure():
    q = load_questionnaire("schwartz")
    assert q.centring == "mrat" and q.scale_range == (1, 6) and len(q.parts[0].scale.labels) == 6
    counts = {v: sum(1 for i in q.items if i.dimension == v) for v in PVQ21_KEY}
    assert counts == {v: len(items) for v, items in PVQ21_KEY.items()}  # 2 per value, 3 for universalism
    assert not any(i.reverse for i in q.items)


def test_packaged_mft_questionnaire_structure():
    q = load_questionnaire("mft")
    assert q.centring == "none" and q.scale_range == (0, 5)
    for f in MFQ30_KEY:
        parts = sorted(i.part for i in q.items if i.dimension == f)
        assert parts == ["agreement", "agreement", "relevance", "relevance"]
    assert sum(1 for i in q.items if i.catch is not None and i.dimension is None) == 2


def test_schwartz_questionnaire_scoring_by_hand():
    q = load_questionnaire("schwartz")
    answers = {i.id: 3 for i in q.items}
    answers.update({i.id: 6 for i in q.items if i.dimension == "benevolence"})
    answers.update({i.id: 1 for i in q.items if i.dimension == "power"})
    s = score_answers(q, answers)
    overall = (2 * 6 + 2 * 1 + 17 * 3) / 21  # 65 / 21
    assert s.overall_mean == pytest.approx(overall)
    assert s.centred["benevolence"] == pytest.approx(6 - overall) and s.centred["power"] == pytest.approx(1 - overall)
    assert s.centred["tradition"] == pytest.approx(3 - overall)
    p = profile_from_answers(q, answers, name="Ann Lee")
    assert (p.id, p.kind, p.system) == ("personal-ann-lee", "personal", "schwartz")
    assert p.priorities == pytest.approx(s.centred)
    assert p.weights == pytest.approx(softmax_weights(s.raw, 1.0))  # softmax ignores the centring shift
    assert p.weights["benevolence"] == pytest.approx(math.exp(3) / (math.exp(3) + math.exp(-2) + 8))


def test_mft_questionnaire_scoring_by_hand():
    q = load_questionnaire("mft")
    answers = {i.id: 2 for i in q.items}
    answers.update({i.id: 5 for i in q.items if i.dimension == "care"})
    answers.update({"mf06": 0, "mf17": 5})
    s = score_answers(q, answers)
    assert s.raw == {"care": 5.0, "fairness": 2.0, "loyalty": 2.0, "authority": 2.0, "sanctity": 2.0}
    assert s.warnings == ()
    assert len(score_answers(q, {**answers, "mf06": 5}).warnings) == 1


@pytest.mark.parametrize(("change", "needle"), [
    ({"pv01": 7}, "answer to item 'pv01' is 7, not a whole number 1-6"),
    ({"pv01": 0}, "answer to item 'pv01' is 0"),
    ({"pv01": True}, "answer to item 'pv01' is True"),
    ({"pv01": "4"}, "answer to item 'pv01' is '4'"),
    ({"zz9": 3}, "answers to unknown items: zz9"),
    ({"pv05": None}, "no answer to items: pv05"),
])
def test_bad_answers_are_rejected(change, needle):
    q = load_questionnaire("schwartz")
    answers = {i.id: 4 for i in q.items}
    answers.update(change)
    answers = {k: v for k, v in answers.items() if v is not None}
    with pytest.raises(ProfileError) as info:
        score_answers(q, answers)
    assert needle in info.value.message


def test_no_questionnaire_for_safety():
    with pytest.raises(ProfileError, match="no questionnaire for value system 'safety'"):
        load_questionnaire("safety")


def _norm(text: str) -> str:
    text = f" {text.lower()} "
    for a, b in ((" his ", " their "), (" him ", " them "), (" he ", " they "), (" my ", " their "),
                 (" me ", " them "), (" i ", " they ")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z ]", "", text).strip()


def test_own_wording_not_the_instruments(shared_data):
    """The instruments' terms: our items use their own wording, not the PVQ/MFQ item texts."""
    folder = shared_data / "instruments"
    sources = (("pvq21_ess_items.csv", "text_male"), ("pvq40_items.csv", "text_first_person_valuebench"),
               ("pvq_rr_items.csv", "text_male"), ("mfq30_items.csv", "text"), ("mfq2_items.csv", "text"))
    theirs = [r[c] for f, c in sources for r in _rows(folder / f)]
    for system in ("schwartz", "mft"):
        for item in load_questionnaire(system).items:
            ratio = max(difflib.SequenceMatcher(None, _norm(item.text), _norm(t)).ratio() for t in theirs)
            assert ratio < 0.7, f"{item.id} is too close to an instrument item ({ratio:.2f})"
