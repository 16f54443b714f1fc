"""Small record builders for store tests."""

from __future__ import annotations

from valuecompass.items import load_seed_bank
from valuecompass.models import TokenLogprob
from valuecompass.store import PlannedJob, ResponseRecord, RunRecord, item_content_hash


def run(run_id: str = "run-test", n_jobs: int = 3) -> RunRecord:
    return RunRecord(run_id=run_id, model_spec="fake/echo", model_identity={"spec": "fake/echo"},
                     settings={"temperature": 0.0, "seed": 1}, seeds={"generation": 1}, item_bank_version="v1",
                     package_version="0.1.0", config={"samples": 1}, provenance={"python": "3.11"}, n_jobs=n_jobs)


def items(n: int = 3):
    return list(load_seed_bank()[:n])


def jobs(n: int = 3) -> list[PlannedJob]:
    return [PlannedJob(job_key=f"key-{i}", position=i, item_id=it.id, item_hash=item_content_hash(it))
            for i, it in enumerate(items(n))]


def response(job: PlannedJob, run_id: str = "run-test", text: str | None = None) -> ResponseRecord:
    return ResponseRecord(
        job_key=job.job_key, run_id=run_id, item_id=job.item_id, item_hash=job.item_hash, sample_index=0,
        model_spec="fake/echo", messages=[{"role": "user", "content": f"prompt {job.position}"}],
        settings={"temperature": 0.0, "seed": 1}, output_text=text or f"answer {job.position}",
        first_token=TokenLogprob(token="Yes", logprob=-0.1, top=(("Yes", -0.1), ("No", -2.3))),
        input_tokens=5, output_tokens=2, latency_s=0.01)
