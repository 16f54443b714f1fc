"""Profiles: the model, packaged presets and country tables, custom files, saved profiles."""

from __future__ import annotations

import json
import math

import pytest
import yaml
from pydantic import ValidationError

from valuecompass.errors import DataFileError, ProfileError, UnknownFrameworkError
from valuecompass.frameworks import load_systems
from valuecompass.metric import (
    DEFAULT_PROFILE_ID,
    ValueProfile,
    build_profile,
    check_new_id,
    get_profile,
    list_profiles,
    load_profile_file,
    packaged_profiles,
    profiles_dir,
    save_profile,
    user_profiles,
)


def test_uniform_presets_for_every_system_and_group():
    ids = {p.id for p in packaged_profiles() if p.kind == "uniform"}
    expected = {f"uniform-{s.id}" for s in load_systems()}
    expected |= {f"uniform-{g.id}" for s in load_systems() for g in s.groups}
    assert ids == expected
    st = get_profile(DEFAULT_PROFILE_ID)
    assert st.id == "uniform-self_transcendence" and st.weighting == "uniform"
    assert {d: w for d, w in st.weights.items() if w} == {"benevolence": 0.5, "universalism": 0.5}
    assert st.priorities["benevolence"] == 1.0 and st.priorities["power"] == 0.0


def test_country_profiles_are_cited_and_valid():
    mft = list_profiles(system="mft", kind="country")
    schwartz = list_profiles(system="schwartz", kind="country")
    assert len(mft) == 19 and len(schwartz) == 77
    for p in mft + schwartz:
        assert math.isclose(sum(p.weights.values()), 1.0) and min(p.weights.values()) > 0
        assert p.source and p.weighting == "softmax(T=1)" and p.content_hash
    us = get_profile("mft-us")
    assert us.sample_n and us.sample_n > 300 and "Atari" in us.source
    # softmax keeps the priority order: care (3.68) > fairness > authority > loyalty > sanctity
    assert [d for d, _ in us.top(5)] == ["care", "fairness", "authority", "loyalty", "sanctity"]
    assert "Schwartz" in get_profile("schwartz-de").source


def test_content_hash_is_stable_and_tracks_content():
    a = build_profile(id="p", name="P", system="mft", weights={"care": 1, "fairness": 1})
    b = build_profile(id="p", name="P", system="mft", weights={"fairness": 2, "care": 2})
    c = build_profile(id="p", name="P", system="mft", weights={"care": 2, "fairness": 1})
    assert a.content_hash == b.content_hash != c.content_hash
    with pytest.raises(ValidationError, match="frozen"):
        a.id = "q"  # type: ignore[misc]


def test_profile_model_rejects_inconsistent_weights():
    good = build_profile(id="p", name="P", system="mft", weights={"care": 1})
    data = good.model_dump()
    with pytest.raises(ProfileError, match="sum to"):
        ValueProfile.model_validate({**data, "weights": {**data["weights"], "care": 0.5}})
    with pytest.raises(ProfileError, match="bad profile id"):
        build_profile(id="Bad Id", name="x", system="mft", weights={"care": 1})


def test_yaml_json_csv_profile_files(tmp_path):
    (tmp_path / "mine.yaml").write_text("name: Mine\nweights: {care: 2, fairness: 1, loyalty: 1}\n")
    p = load_profile_file(tmp_path / "mine.yaml")
    assert (p.id, p.system, p.kind, p.weights["care"]) == ("mine", "mft", "custom", 0.5)
    (tmp_path / "prio.json").write_text(json.dumps({"id": "prio", "system": "mft", "temperature": 0.5,
                                                    "priorities": {"care": 1, "fairness": 1, "loyalty": 0,
                                                                   "authority": 0, "sanctity": 0}}))
    q = load_profile_file(tmp_path / "prio.json")
    # softmax at T = 0.5: e^2 / (2 e^2 + 3) for the two top foundations
    assert q.weights["care"] == pytest.approx(math.exp(2) / (2 * math.exp(2) + 3)) and q.weighting == "softmax(T=0.5)"
    (tmp_path / "Team Values.csv").write_text("dimension,weight\nbenevolence,3\nuniversalism,1\n")
    r = load_profile_file(tmp_path / "Team Values.csv")
    assert (r.id, r.name, r.system, r.weights["benevolence"]) == ("team-values", "Team Values", "schwartz", 0.75)


@pytest.mark.parametrize(("name", "text", "error", "needle"), [
    ("neg.yaml", "weights: {care: -1, fairness: 2}\n", ProfileError, "weight for dimension 'care' is negative"),
    ("nan.json", '{"weights": {"care": NaN, "fairness": 1}}', ProfileError, "weight for dimension 'care' is NaN"),
    ("zero.csv", "dimension,weight\ncare,0\nfairness,0\n", ProfileError, "all weights are zero"),
    ("unk.yaml", "system: mft\nweights: {kindness: 1}\n", ProfileError, "unknown dimension 'kindness'"),
    ("mixed.yaml", "weights: {care: 1, power: 1}\n", DataFileError, "cannot tell the value system"),
    ("bad.yaml", "weights: [care, 1]\n", DataFileError, "'weights' must map dimension ids"),
    ("syntax.yaml", "weights: {care: 1\n", DataFileError, "not valid YAML"),
    ("extra.yaml", "weights: {care: 1}\ncolour: red\n", DataFileError, "unknown keys: colour"),
    ("nocol.csv", "dim,w\ncare,1\n", DataFileError, "CSV header must have 'dimension'"),
    ("notnum.csv", "dimension,weight\ncare,lots\n", DataFileError, "line 2"),
    ("sys.yaml", "system: schwarz\nweights: {care: 1}\n", UnknownFrameworkError, "unknown value system 'schwarz'"),
    ("profile.txt", "care=1\n", DataFileError, "unknown profile file type"),
])
def test_bad_profile_files_name_file_and_problem(tmp_path, name, text, error, needle):
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(error) as info:
        load_profile_file(path)
    assert needle in str(info.value) and str(path) in str(info.value)


def test_saved_profile_round_trips_with_the_same_hash(private_home):
    p = build_profile(id="personal-ann", name="Ann", system="schwartz", kind="personal",
                      priorities={d: 0.1 * i for i, d in enumerate(get_profile("uniform-schwartz").dimensions)})
    path = save_profile(p)
    assert path == private_home / "profiles" / "personal-ann.yaml" and profiles_dir() == private_home / "profiles"
    back = load_profile_file(path)
    assert back == p
    assert get_profile("personal-ann") == p and user_profiles() == (p,)
    assert p in list_profiles(kind="personal")


def test_edited_saved_profile_is_rebuilt(private_home):
    path = save_profile(build_profile(id="mine", name="Mine", system="mft", weights={"care": 1}))
    data = yaml.safe_load(path.read_text())
    data["weights"]["fairness"] = 1.0  # the user edits the weights by hand
    data.pop("priorities")
    path.write_text(yaml.safe_dump(data))
    p = get_profile("mine")
    assert p.weights["care"] == 0.5 and p.weights["fairness"] == 0.5


def test_broken_saved_file_is_skipped_not_fatal(private_home, caplog):
    folder = private_home / "profiles"
    folder.mkdir(parents=True)
    (folder / "broken.yaml").write_text("weights: {care: -1}\n")
    assert user_profiles() == ()
    assert "broken.yaml" in caplog.text and "negative" in caplog.text


def test_unknown_profile_suggests_ids_and_packaged_ids_are_reserved():
    with pytest.raises(ProfileError) as info:
        get_profile("mft-usa")
    assert "unknown profile 'mft-usa'" in info.value.message and "mft-us" in info.value.hint
    with pytest.raises(ProfileError, match="already used by a packaged profile"):
        check_new_id(build_profile(id="mft-us", name="x", system="mft", weights={"care": 1}))


def test_get_profile_loads_a_path(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("weights: {care: 1}\n")
    assert get_profile(str(path)).id == "p"
