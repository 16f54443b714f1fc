"""The packaged seed item bank: coverage, formats, ids, hash."""

from __future__ import annotations

import collections
import re

from valuecompass._hashing import content_hash
from valuecompass.frameworks import all_dimensions, get_dimension
from valuecompass.items import SYSTEM_FORMAT, load_seed_bank, render_messages, seed_bank_version, template_hash


def test_at_least_20_items_per_dimension():
    counts = collections.Counter(i.dimension for i in load_seed_bank())
    for d in all_dimensions():
        assert counts[d.id] >= 20, f"{d.id} has {counts[d.id]} items"


def test_formats_match_systems_and_ids_unique():
    bank = load_seed_bank()
    assert len({i.id for i in bank}) == len(bank)
    for item in bank:
        assert item.format == SYSTEM_FORMAT[get_dimension(item.dimension).system]
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
