"""An Inspect AI log of a ``valuecompass/*`` task brought into the store as a run.

Each sample (and epoch) becomes a stored answer, each of its scores' judgments a stored verdict, and
the run is scored as every run is (:func:`valuecompass.pipeline.scoring.score_run`), so the leaderboard,
``scores`` and ``align`` show it. The run records where it came from: the log file and its sha256,
Inspect's eval, run and task ids, its version and the task's options. Importing a log again changes
nothing: the run id and the answer keys are content hashes of the log's ids.

Entry point: :func:`import_inspect_log` (``valuecompass import inspect LOGFILE``).
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from valuecompass import __version__
from valuecompass._hashing import content_hash
from valuecompass.errors import EcosystemError
from valuecompass.items import Item
from valuecompass.judge import JudgeIdentity
from valuecompass.pipeline.judging import record_judge
from valuecompass.pipeline.scoring import DimensionScore, score_run
from valuecompass.store import JudgmentRecord, PlannedJob, ResponseRecord, RunRecord, Store, item_content_hash

log = logging.getLogger(__name__)

#: The scorer whose judgments are imported.
SCORER = "value_judge"
_STATUS = {"success": "complete", "cancelled": "interrupted", "error": "failed", "started": "interrupted"}


@dataclass(frozen=True)
class ImportResult:
    """What :func:`import_inspect_log` stored.

    Attributes:
        run: The run, as stored.
        created: Whether the run is new (``False``: the log was imported before).
        answers: Answers in the log (samples times epochs that have an output).
        new_answers: Answers stored now.
        judgments: Judgments stored now.
        missing: Planned answers the log does not have (errored or not run).
        scores: The run's scores per judge id.
    """

    run: RunRecord
    created: bool
    answers: int
    new_answers: int
    judgments: int
    missing: int
    scores: dict[str, list[DimensionScore]]


def _read(path: Path) -> Any:
    try:
        from inspect_ai.log import read_eval_log
    except ImportError as exc:
        raise EcosystemError("reading an Inspect log needs Inspect AI, which is not installed",
                             hint="pip install 'valuecompass[inspect]'") from exc
    if not path.is_file():
        raise EcosystemError(f"no Inspect log at {str(path)!r}",
                             hint="give the .eval or .json file `inspect eval` wrote (see `inspect view`)")
    try:
        return read_eval_log(str(path))
    except Exception as exc:  # Inspect raises many kinds (zip, JSON, validation) for a file it cannot read
        raise EcosystemError(f"{str(path)!r} is not a readable Inspect log ({type(exc).__name__}: {exc})",
                             hint="give the .eval or .json file `inspect eval` wrote") from exc


def _item(sample: Any, path: Path) -> Item:
    raw = (sample.metadata or {}).get("item")
    if raw is None:
        raise EcosystemError(f"sample {sample.id!r} of {path.name!r} carries no valuecompass item",
                             hint="import logs of the valuecompass/* tasks (`inspect eval valuecompass/schwartz`)")
    try:
        return Item.model_validate(raw)
    except ValidationError as exc:
        raise EcosystemError(f"sample {sample.id!r} of {path.name!r} has an invalid item: {exc.errors()[0]['msg']}",
                             hint="import logs of the valuecompass/* tasks, unedited") from exc


def _messages(sample: Any) -> list[dict[str, str]]:
    if isinstance(sample.input, str):
        return [{"role": "user", "content": sample.input}]
    return [{"role": m.role, "content": m.text} for m in sample.input]


def _run_record(ev: Any, path: Path, digest: str, n_jobs: int) -> RunRecord:
    config = ev.config.model_dump(mode="json", exclude_none=True) if ev.config else {}
    meta = ev.metadata or {}
    run_id = "run-" + content_hash({"kind": "inspect", "eval_id": ev.eval_id, "run_id": ev.run_id,
                                    "task_id": ev.task_id}, 12)
    settings = {k: config[k] for k in ("temperature", "max_tokens", "seed", "system_message") if k in config}
    return RunRecord(
        run_id=run_id, kind="inspect", model_spec=ev.model, model_identity={"spec": ev.model, "source": "inspect"},
        settings=settings, seeds={"generation": int(config.get("seed") or 0),
                                  "form": int((ev.task_args or {}).get("form_seed") or 0)},
        item_bank_version=str(meta.get("item_bank_version", "")), package_version=__version__,
        config={"task": ev.task, "task_args": ev.task_args or {}, "epochs": config.get("epochs")},
        provenance={"inspect": {"log_file": path.name, "log_sha256": digest, "eval_id": ev.eval_id,
                                "run_id": ev.run_id, "task": ev.task, "task_id": ev.task_id,
                                "created": ev.created, "packages": ev.packages or {},
                                "model_roles": {k: str(v.model) for k, v in (ev.model_roles or {}).items()},
                                "task_valuecompass_version": meta.get("valuecompass")}},
        n_jobs=n_jobs)


def import_inspect_log(store: Store, path: str | Path) -> ImportResult:
    """Store the samples, verdicts and scores of an Inspect log of a ``valuecompass/*`` task as a run.

    Args:
        store: The results store.
        path: The log (``.eval`` or ``.json``).

    Returns:
        What was stored.

    Raises:
        EcosystemError: if Inspect AI is missing, or the file is not a log of a valuecompass task.
    """
    path = Path(path)
    evlog = _read(path)
    samples = sorted(evlog.samples or [], key=lambda s: (str(s.id), s.epoch))
    if not samples:
        raise EcosystemError(f"the Inspect log {path.name!r} has no samples",
                             hint="import a log written with samples (Inspect's default; not --no-log-samples)")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    ev = evlog.eval
    epochs = int((ev.config.epochs if ev.config else None) or 1)
    planned = (ev.dataset.samples or len({s.id for s in samples})) * epochs
    items = {str(s.id): _item(s, path) for s in samples}
    store.insert_items(items.values())
    answered = [s for s in samples if s.output is not None and s.error is None]
    run = _run_record(ev, path, digest, planned)
    jobs, responses, judgments, identities = [], [], [], {}
    for position, sample in enumerate(answered):
        item = items[str(sample.id)]
        key = "inspect-" + content_hash({"eval_id": ev.eval_id, "sample": str(sample.id), "epoch": sample.epoch})
        item_hash = item_content_hash(item)
        jobs.append(PlannedJob(job_key=key, position=position, item_id=item.id, item_hash=item_hash,
                               sample_index=sample.epoch - 1))
        usage = sample.output.usage
        responses.append(ResponseRecord(
            job_key=key, run_id=run.run_id, item_id=item.id, item_hash=item_hash, sample_index=sample.epoch - 1,
            model_spec=ev.model, messages=_messages(sample), settings={**run.settings, "epoch": sample.epoch},
            output_text=sample.output.completion or "", finish_reason=str(sample.output.stop_reason or "stop"),
            input_tokens=usage.input_tokens if usage else 0, output_tokens=usage.output_tokens if usage else 0,
            latency_s=float(sample.total_time or 0.0), model_reported=sample.output.model or ""))
        score = (sample.scores or {}).get(SCORER)
        for raw in (score.metadata or {}).get("judgments", []) if score is not None else []:
            record = JudgmentRecord.model_validate(raw).model_copy(update={"response_key": key})
            judgments.append(record)
            if raw_identity := (score.metadata or {}).get("judge_identity"):
                identities[record.judge_id] = (JudgeIdentity.model_validate(raw_identity),
                                               bool(record.provenance.get("self_judged")))
    opened = store.open_run(run, jobs)
    new = sum(store.insert_response(r) for r in responses)
    stored = store.insert_judgments(judgments)
    for identity, self_judged in identities.values():
        record_judge(store, run.run_id, identity, self_judged)
    missing = planned - len(answered)
    status = _STATUS.get(evlog.status, "failed")
    store.set_run_status(run.run_id, "failed" if missing and status == "complete" else status)
    scores = {judge_id: score_run(store, run.run_id, judge_id=judge_id) for judge_id in sorted(identities)
              or sorted({j.judge_id for j in judgments})}
    if missing:
        log.warning("the log has %d of %d planned answers; the run is marked failed", len(answered), planned)
    return ImportResult(store.get_run(run.run_id), opened.created, len(answered), new, stored, missing, scores)
