"""Credentials never reach a run record, a message or an identity."""

from __future__ import annotations

import json

from valuecompass._redact import redact_options, redact_text, redact_url
from valuecompass.models import get_model


def test_redact_url_and_text() -> None:
    url = "https://me:sk-SECRET99@api.example.com/v1?api-key=sk-SECRET99&region=eu"
    assert "SECRET99" not in redact_url(url) and "region=eu" in redact_url(url)
    assert redact_url("http://127.0.0.1:8080/v1") == "http://127.0.0.1:8080/v1"
    assert "SECRET99" not in redact_text(f"failed at {url}: sk-SECRET99 rejected", url)
    assert redact_options({"model_options": {"base_url": url, "n_ctx": 8}})["model_options"]["n_ctx"] == 8


def test_a_key_in_the_base_url_is_not_recorded_or_printed(cli, store_path) -> None:
    url = "http://user:sk-SECRET99@127.0.0.1:9/v1?api-key=sk-SECRET99"
    assert "SECRET99" not in json.dumps(get_model("openai/m", base_url=url).identity())
    res = cli("run", "-m", "openai/m", "--base-url", url, "--store", str(store_path))
    assert res.exit_code == 1 and "connection refused" in res.stderr and "SECRET99" not in res.stderr + res.stdout


def test_run_records_carry_the_redacted_url() -> None:
    from valuecompass.pipeline import AdaptiveConfig, adaptive_run_record

    url = "http://user:sk-SECRET99@127.0.0.1:9/v1?token=sk-SECRET99"
    config = AdaptiveConfig(model="openai/m", model_options={"base_url": url}, dimensions=("power",))
    record = adaptive_run_record(config, get_model("openai/m", base_url=url).identity(), "j", ["power"])
    assert "SECRET99" not in record.model_dump_json()
