"""The packaged value systems: 27 dimensions in 4 systems, validated, hashed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pydantic
import pytest
import yaml

from valuecompass.errors import DataFileError, UnknownFrameworkError
from valuecompass.frameworks import (
    SYSTEM_IDS,
    all_dimensions,
    frameworks_version,
    get_dimension,
    get_system,
    load_system_file,
    load_systems,
)

DATA = Path(__file__).parents[2] / "src" / "valuecompass" / "frameworks" / "data"

EXPECTED = {
    "schwartz": ["self_direction", "stimulation", "hedonism", "achievement", "power", "security",
                 "conformity", "tradition", "benevolence", "universalism"],
    "mft": ["care", "fairness", "loyalty", "authority", "sanctity"],
    "safety": ["representation_toxicity", "misinformation", "socioeconomic", "information_safety",
               "malicious_use", "human_autonomy"],
    "llm_values": ["self_competence", "user_oriented", "social", "idealistic", "professional", "ethical"],
}


def test_four_systems_27_dimensions():
    systems = load_systems()
    assert [s.id for s in systems] == list(SYSTEM_IDS)
    assert {s.id: list(s.ordered_ids) for s in systems} == EXPECTED
    assert len(all_dimensions()) == 27


def test_schwartz_groups_and_circumplex():
    s = get_system("schwartz")
    groups = {g.id: set(g.dimensions) for g in s.groups}
    assert groups == {
        "openness_to_change": {"self_direction", "stimulation", "hedonism"},
        "self_enhancement": {"hedonism", "achievement", "power"},
        "conservation": {"security", "conformity", "tradition"},
        "self_transcendence": {"benevolence", "universalism"},
    }


def test_safety_has_16_tasks():
    s = get_system("safety")
    assert sum(len(d.tasks) for d in s.dimensions) == 16


def test_llm_values_groups():
    groups = {g.id: g.dimensions for g in get_system("llm_values").groups}
    assert groups == {"competence": ("self_competence", "user_oriented"),
                      "character": ("social", "idealistic"), "integrity": ("professional", "ethical")}


def test_every_dimension_is_documented():
    for d in all_dimensions():
        assert d.definition and d.conforming and d.opposing and d.citation
        assert d.definition != d.conforming != d.opposing


def test_models_are_frozen():
    d = get_dimension("care")
    with pytest.raises(pydantic.ValidationError, match="frozen"):
        d.name = "changed"  # type: ignore[misc]


def test_hash_is_stable_and_content_sensitive(tmp_path):
    first = load_system_file(DATA / "mft.yaml")
    again = load_system_file(DATA / "mft.yaml")
    assert first.content_hash == again.content_hash and len(first.content_hash) == 16
    # Reformatting the YAML (same content, other key order) keeps the hash.
    data = yaml.safe_load((DATA / "mft.yaml").read_text())
    reordered = tmp_path / "mft.yaml"
    reordered.write_text(yaml.safe_dump(dict(reversed(list(data.items()))), sort_keys=False))
    assert load_system_file(reordered).content_hash == first.content_hash
    # Changing any content changes it.
    data["dimensions"][0]["definition"] += " Changed."
    changed = tmp_path / "mft2.yaml"
    changed.write_text(yaml.safe_dump(data))
    assert load_system_file(changed).content_hash != first.content_hash
    assert first.content_hash in frameworks_version()


def test_unknown_ids_suggest_fixes():
    with pytest.raises(UnknownFrameworkError) as exc:
        get_dimension("benevolense")
    assert "benevolence" in str(exc.value)
    with pytest.raises(UnknownFrameworkError) as exc:
        get_system("hofstede")
    assert "schwartz" in str(exc.value)


def _broken(tmp_path, mutate) -> Path:
    data = yaml.safe_load((DATA / "mft.yaml").read_text())
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("mutate, needle", [
    (lambda d: d["dimensions"][0].pop("definition"), "definition"),
    (lambda d: d["dimensions"][1].update(id=d["dimensions"][0]["id"]), "duplicate dimension id"),
    (lambda d: d["groups"][0]["dimensions"].append("nonexistent"), "unknown dimensions"),
    (lambda d: d["dimensions"][0].update(opposing=""), "opposing"),
    (lambda d: d.update(version="one"), "version"),
])
def test_malformed_system_files(tmp_path, mutate, needle):
    path = _broken(tmp_path, mutate)
    with pytest.raises(DataFileError) as exc:
        load_system_file(path)
    message = str(exc.value)
    assert str(path) in message and needle in message and "fix:" in message


def test_bad_yaml_names_line(tmp_path):
    path = tmp_path / "bad.yaml"
    shutil.copy(DATA / "mft.yaml", path)
    path.write_text(path.read_text() + "\n  - [unclosed\n")
    with pytest.raises(DataFileError) as exc:
        load_system_file(path)
    assert "not valid YAML" in str(exc.value) and "line" in str(exc.value)
