"""Property tests of the file readers: any bytes give a result or a DataFileError, never another exception."""

from __future__ import annotations

import json
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from valuecompass._datafiles import MAX_DEPTH, depth, parse_json, parse_yaml, read_text
from valuecompass.errors import DataFileError, ProfileError, ValueCompassError
from valuecompass.items import load_item_file
from valuecompass.judge import load_profile
from valuecompass.metric import load_profile_file, load_scores_file

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
                            lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner,
                                                                                        max_size=4),
                            max_leaves=30)
_ITEM_FIELDS = ("id", "dimension", "format", "text", "difficulty", "key", "provenance", "topic", "request_kind")


def _write(data: bytes, suffix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="vc-prop-"))
    path = folder / f"f{suffix}"
    path.write_bytes(data)
    return path


@FAST
@given(st.binary(max_size=300))
def test_read_text_returns_the_utf8_text_or_names_the_bad_byte(data: bytes) -> None:
    path = _write(data, ".txt")
    try:
        expected = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        with pytest.raises(DataFileError, match=f"byte {exc.start}"):
            read_text(path)
    else:
        assert read_text(path) == expected


@FAST
@given(st.text(max_size=300))
def test_parse_json_and_yaml_never_raise_anything_else(text: str) -> None:
    for parse in (parse_json, parse_yaml):
        try:
            value = parse(Path("x"), text)
        except DataFileError as exc:
            assert exc.message.startswith("x")
        else:
            assert depth(value) <= MAX_DEPTH


@FAST
@given(st.integers(min_value=1, max_value=3000), st.sampled_from(["[", "{\"a\":"]))
def test_nesting_of_any_depth_is_refused_or_read_without_recursion_errors(n: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    text = opener * n + "1" + closer * n
    if n <= MAX_DEPTH:
        assert depth(parse_json(Path("x"), text)) == n
    else:
        with pytest.raises(DataFileError, match="nested"):
            parse_json(Path("x"), text)


@FAST
@given(st.lists(st.dictionaries(st.sampled_from(_ITEM_FIELDS), _json_values, max_size=8), min_size=1, max_size=4))
def test_item_files_of_any_records_load_or_fail_with_a_data_file_error(records: list[dict]) -> None:
    path = _write("\n".join(json.dumps(r) for r in records).encode(), ".jsonl")
    try:
        items = load_item_file(path)
    except DataFileError as exc:
        assert str(path) in str(exc)
    else:
        assert len(items) == len(records)


@FAST
@given(st.binary(max_size=200), st.sampled_from([".jsonl", ".json", ".yaml"]))
def test_item_files_of_any_bytes_load_or_fail_with_a_data_file_error(data: bytes, suffix: str) -> None:
    path = _write(data, suffix)
    with pytest.raises(ValueCompassError):
        load_item_file(path)  # no random bytes make a valid item


_numbers = st.floats(allow_nan=True, allow_infinity=True) | st.integers(min_value=-10**400, max_value=10**400) | \
    st.text(max_size=8)


@FAST
@given(st.dictionaries(st.sampled_from(["care", "fairness", "loyalty", "authority", "sanctity", "kindness"]),
                       _numbers, max_size=6), st.sampled_from(["weights", "priorities"]))
def test_profile_files_give_weights_summing_to_one_or_a_clear_error(values: dict, field: str) -> None:
    path = _write(json.dumps({field: values}).encode(), ".json")
    try:
        profile = load_profile_file(path)
    except (DataFileError, ProfileError) as exc:
        assert exc.message
    else:
        weights = profile.weights
        assert all(w >= 0 and math.isfinite(w) for w in weights.values())
        assert math.fsum(weights.values()) == pytest.approx(1.0)


@FAST
@given(st.dictionaries(st.text(max_size=6), st.dictionaries(
    st.sampled_from(["care", "x"]), _json_values | st.fixed_dictionaries({"score": _numbers, "se": _numbers}),
    max_size=2), max_size=3))
def test_score_files_load_or_fail_with_a_data_file_error(table: dict) -> None:
    path = _write(json.dumps(table).encode(), ".json")
    try:
        scores = load_scores_file(path)
    except DataFileError:
        return
    for dims in scores.values():
        assert all(0 <= s.score <= 100 and 0 <= s.se <= 100 for s in dims.values())


@FAST
@given(_json_values)
def test_judge_profiles_of_any_json_load_or_fail_with_a_data_file_error(value: object) -> None:
    path = _write(json.dumps(value).encode(), ".json")
    with pytest.raises(DataFileError):
        load_profile(path)  # nothing random is a judge profile with a matching id
