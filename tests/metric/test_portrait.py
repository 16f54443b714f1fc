"""Value portraits: the words are data, and the text follows the profile's top priorities."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from valuecompass.errors import DataFileError, ProfileError
from valuecompass.metric import (
    load_portraits,
    load_portraits_file,
    load_questionnaire,
    portrait_of,
    portraits_json,
    profile_from_answers,
    system_dimensions,
    uniform_profile,
    value_portrait,
)
from valuecompass.metric._portrait import join_names


def test_every_questionnaire_dimension_has_words() -> None:
    portraits = load_portraits()
    assert portraits.version and len(portraits.content_hash) == 16
    for system in ("schwartz", "mft"):
        spec = portraits.systems[system]
        assert set(spec.dimensions) == set(system_dimensions(system)) and 2 <= spec.top <= 3
        traits = [w.trait for w in spec.dimensions.values()]
        assert len(set(traits)) == len(traits), "two values share a trait word"
        assert all(w.sentence.endswith(".") and w.sentence[0].isupper() for w in spec.dimensions.values())


def test_portrait_of_schwartz_answers() -> None:
    q = load_questionnaire("schwartz")
    first = {"benevolence": 6, "universalism": 5, "self_direction": 4}
    answers = {i.id: first.get(i.dimension or "", 2) for i in q.items}
    portrait = value_portrait(profile_from_answers(q, answers, name="me"))
    assert portrait.dimensions == ("benevolence", "universalism", "self_direction")
    assert portrait.title == "Caring, broad-minded and independent"
    assert portrait.text.startswith("Your answers put benevolence, universalism and self-direction first. The "
                                    "wellbeing of the people close to you")
    assert portrait.text.count(".") == 4  # the lead and one sentence per value


def test_mft_names_two_foundations_and_top_can_be_given() -> None:
    priorities = {"care": 1.0, "fairness": 3.0, "loyalty": 2.0, "authority": 0.5, "sanctity": 0.0}
    two = portrait_of("mft", priorities)
    assert two.dimensions == ("fairness", "loyalty") and two.title == "Even-handed and loyal"
    assert two.text.startswith("Your moral judgements rest most on fairness and loyalty. You want people treated")
    one = portrait_of("mft", priorities, top=1)
    assert one.title == "Even-handed" and one.text.count(".") == 2


def test_ties_keep_the_system_order() -> None:
    flat = dict.fromkeys(system_dimensions("schwartz"), 0.5)
    assert portrait_of("schwartz", flat).dimensions == system_dimensions("schwartz")[:3]
    flat["tradition"] = 0.6
    assert portrait_of("schwartz", flat).dimensions == ("tradition", "self_direction", "stimulation")


def test_bad_inputs_are_named() -> None:
    with pytest.raises(ProfileError, match="no value portrait for value system 'safety'"):
        portrait_of("safety", {})
    with pytest.raises(ProfileError, match="lack dimensions: sanctity"):
        portrait_of("mft", {"care": 1, "fairness": 1, "loyalty": 1, "authority": 1})
    with pytest.raises(ProfileError, match="'safety'"):
        value_portrait(uniform_profile("safety"))


def test_join_names() -> None:
    assert join_names(["a"]) == "a" and join_names(["a", "b"]) == "a and b"
    assert join_names(["a", "b", "c"]) == "a, b and c"


def test_a_file_missing_a_dimension_is_refused(tmp_path: Path) -> None:
    data = load_portraits().model_dump(exclude={"content_hash"})
    del data["systems"]["mft"]["dimensions"]["sanctity"]
    bad = tmp_path / "portraits.yaml"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataFileError, match=r"mft: missing dimensions \['sanctity'\]"):
        load_portraits_file(bad)
    data = load_portraits().model_dump(exclude={"content_hash"})
    data["systems"]["mft"]["lead"] = "No placeholder."
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(DataFileError, match="lead must contain"):
        load_portraits_file(bad)


def test_browser_payload_holds_the_same_words() -> None:
    payload = portraits_json()
    assert set(payload) == {"schwartz", "mft"}
    assert payload["schwartz"]["dims"] == list(system_dimensions("schwartz")) and payload["mft"]["top"] == 2
    assert payload["mft"]["words"]["care"] == load_portraits().systems["mft"].dimensions["care"].model_dump()


def test_quiz_prints_the_portrait(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    q = load_questionnaire("mft")
    answers = {i.id: 5 if i.dimension in ("care", "sanctity") else 1 for i in q.items}
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(f"{answers[i.id]}\n" for i in q.items)))
    result = cli("profiles", "quiz", "--system", "mft", "--json")
    assert result.exit_code == 0, result.stderr
    expected = value_portrait(profile_from_answers(q, answers, name="me"))
    assert json.loads(result.stdout)["portrait"] == {"title": expected.title, "text": expected.text}
    assert expected.title == "Compassionate and reverent"
