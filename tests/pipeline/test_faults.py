"""Fault injection: a run through a loopback endpoint that fails a third of the time completes exactly."""

from __future__ import annotations

from pathlib import Path

from tests._servers import FAULTS
from valuecompass.items import load_seed_bank
from valuecompass.models import GenerateConfig
from valuecompass.pipeline import FixedFormConfig, RetryPolicy, RunnerOptions, run_fixed_form
from valuecompass.store import Store


async def test_run_through_faults_answers_every_item_exactly_once(fault_server, store_path: Path) -> None:
    server = fault_server(fault_share=0.35, max_faults_per_prompt=2, retry_after="1", seed=3)
    config = FixedFormConfig(model="openai/loopback", model_options={"base_url": server.base_url},
                             items_per_dimension=2, generate=GenerateConfig(timeout_s=2.0))  # roomy: a loaded CI machine
    options = RunnerOptions(max_connections=8, retry=RetryPolicy(max_attempts=4, base_delay_s=0.02, seed=1))
    with Store(store_path) as store:
        result = await run_fixed_form(config, store, items=load_seed_bank(), options=options)
        answers = store.responses_for_run(result.run.run_id)
        n_rows = store._conn.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    log = server.log
    assert result.run.status == "complete" and result.stats.done == result.stats.total == 54
    assert set(log.faults) == set(FAULTS), log.faults  # every kind of fault happened
    assert n_rows == len(answers) == len({a.job_key for a in answers}) == 54
    assert len(log.answered) == 54 and set(log.answered.values()) == {1}  # each prompt answered once
    assert all(a.output_text.startswith("Stance: Yes\nKey points: loopback answer") for a in answers)
    assert result.stats.retries["timeout"] == log.faults["hang"]
    assert result.stats.retries["transient"] == log.faults["429"] + log.faults["500"] + log.faults["badjson"]
    assert sum(a.attempts - 1 for a in answers) == sum(log.faults.values())
    for attempts in log.history.values():  # the next try after a 429 came after its Retry-After
        for (t, outcome), (t_next, _) in zip(attempts, attempts[1:], strict=False):
            if outcome == "429":
                assert t_next - t >= 1.0
