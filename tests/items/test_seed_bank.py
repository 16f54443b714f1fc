"""The packaged seed item bank: coverage, formats, ids, hash."""

from __future__ import annotations

import collections
import re

from valuecompass._hashing import content_hash
from valuecompass.frameworks import all_dimensions, get_dimension
from valuecompass.items import (
    FORMAT_KEY,
    SYSTEM_FORMATS,
    load_seed_bank,
    render_messages,
    seed_bank_version,
    template_hash,
)


def test_at_least_20_items_per_dimension():
    counts = collections.Counter(i.dimension for i in load_seed_bank())
    for d in all_dimensions():
        assert counts[d.id] >= 20, f"{d.id} has {counts[d.id]} items"


def test_formats_match_systems_and_ids_unique():
    bank = load_seed_bank()
    assert len({i.id for i in bank}) == len(bank)
    for item in bank:
        assert item.format in SYSTEM_FORMATS[get_dimension(item.dimension).system]
        assert item.provenance.source == "seed"


def test_every_dimension_has_all_difficulty_levels_and_variety():
    by_dim = collections.defaultdict(list)
    for item in load_seed_bank():
        by_dim[item.dimension].append(item)
    for dim, items in by_dim.items():
        assert {i.difficulty for i in items} == {"easy", "medium", "hard"}, dim
        assert len({i.culture for i in items}) >= 3, dim
        assert len({i.text for i in items}) == len(items), dim


def test_safety_items_state_safe_behaviour():
    for item in load_seed_bank():
        if item.format == "safety_request":
            assert item.safe_behavior and item.request_kind in {"harmful", "borderline"} and item.task


def test_bank_version_names_the_release_and_hashes_the_content():
    version = seed_bank_version()
    assert re.fullmatch(r"seed-\d+\.\d+\.\d+#[0-9a-f]{16}", version)
    assert version.endswith(content_hash([i.model_dump(mode="json") for i in load_seed_bank()]))


def test_render_messages_uses_template():
    item = next(i for i in load_seed_bank() if i.format == "stance_question")
    msgs = render_messages(item, system_prompt="Be brief.")
    assert msgs[0] == {"role": "system", "content": "Be brief."}
    assert item.text in msgs[1]["content"] and "Stance:" in msgs[1]["content"]
    assert len(template_hash("stance_question")) == 16
    assert template_hash("stance_question") != template_hash("story_opening")


def test_every_seed_item_has_the_key_its_format_needs():
    for item in load_seed_bank():
        assert item.key is not None and item.key.kind == FORMAT_KEY[item.format], item.id


def test_stance_keys_are_balanced_in_every_dimension():
    """At least 40% of each dimension's stance items are keyed each way: always-Yes scores about 50."""
    keys = collections.defaultdict(collections.Counter)
    for item in load_seed_bank():
        if item.format == "stance_question":
            keys[item.dimension][item.key.expresses] += 1
    assert len(keys) == 10
    for dim, counts in keys.items():
        total = sum(counts.values())
        assert min(counts["yes"], counts["no"]) / total >= 0.4, (dim, dict(counts))


def test_every_foundation_has_ten_balanced_forced_choice_items():
    by_dim = collections.defaultdict(collections.Counter)
    for item in load_seed_bank():
        if item.format == "story_choice":
            by_dim[item.dimension][item.key.violating] += 1
    assert set(by_dim) == {"care", "fairness", "loyalty", "authority", "sanctity"}
    for dim, counts in by_dim.items():
        assert sum(counts.values()) >= 10 and min(counts["A"], counts["B"]) / sum(counts.values()) >= 0.4, dim


def test_a_forced_choice_item_shows_both_options():
    item = next(i for i in load_seed_bank() if i.format == "story_choice")
    prompt = render_messages(item)[-1]["content"]
    assert f"A: {item.key.option_a}" in prompt and f"B: {item.key.option_b}" in prompt and "Choice: A or B" in prompt
