"""Content-addressed job keys."""

from __future__ import annotations

from valuecompass.models import GenerateConfig
from valuecompass.pipeline import job_key, sample_config

MSG = [{"role": "user", "content": "Q?"}]
ID = {"spec": "local/smollm2-135m", "sha256": "abc"}


def test_key_is_stable_across_releases() -> None:
    """Changing the key format would silently orphan every stored answer: pin it."""
    key = job_key("local/smollm2-135m", ID, MSG, GenerateConfig(), 0)
    assert key == "4a928c128af706f4d024cf8ae8ad6f24"
    assert job_key("local/smollm2-135m", dict(reversed(ID.items())), [dict(m) for m in MSG], GenerateConfig(),
                   0) == key  # key order does not matter


def test_key_changes_with_everything_that_shapes_the_answer() -> None:
    base = job_key("local/smollm2-135m", ID, MSG, GenerateConfig(), 0)
    variants = [
        job_key("gguf/smollm2-135m", ID, MSG, GenerateConfig(), 0),
        job_key("local/qwen2.5-1.5b", ID, MSG, GenerateConfig(), 0),
        job_key("local/smollm2-135m", {**ID, "sha256": "def"}, MSG, GenerateConfig(), 0),
        job_key("local/smollm2-135m", ID, [{"role": "user", "content": "Q!"}], GenerateConfig(), 0),
        job_key("local/smollm2-135m", ID, MSG, GenerateConfig(temperature=0.5), 0),
        job_key("local/smollm2-135m", ID, MSG, GenerateConfig(max_tokens=10), 0),
        job_key("local/smollm2-135m", ID, MSG, GenerateConfig(seed=1), 0),
        job_key("local/smollm2-135m", ID, MSG, GenerateConfig(top_logprobs=5), 0),
        job_key("local/smollm2-135m", ID, MSG, GenerateConfig(), 1),
    ]
    assert len({base, *variants}) == len(variants) + 1


def test_key_ignores_timeouts() -> None:
    assert job_key("fake/x", {}, MSG, GenerateConfig(timeout_s=1), 0) == job_key(
        "fake/x", {}, MSG, GenerateConfig(timeout_s=500), 0)


def test_each_sample_gets_its_own_seed() -> None:
    config = GenerateConfig(seed=40, temperature=0.7)
    assert [sample_config(config, k).seed for k in range(3)] == [40, 41, 42]
    assert sample_config(config, 0) is config

