"""The judge stage over a real store: resumable, keeps several judges, records unparsable and self-judging."""

from __future__ import annotations

import asyncio
import threading

import pytest

from valuecompass.errors import JudgeError, ModelCallError
from valuecompass.judge import Judge, JudgeSettings, read_occlusion
from valuecompass.models import FakeModel, GenerateConfig, Message, TransientModelError, reading_judge, value_examinee
from valuecompass.pipeline import FixedFormConfig, RetryPolicy, run_fixed_form_sync
from valuecompass.pipeline.judging import judge_run, judge_run_sync
from valuecompass.pipeline.scoring import score_run
from valuecompass.store import Store

from tests.judge.conftest import keyword_judge

FAST = RetryPolicy(base_delay_s=0.001, max_delay_s=0.01)
DIMENSIONS = ("self_direction", "care", "malicious_use")


def examinee_reply(messages: list[Message], config: GenerateConfig) -> str:
    """KIND answers to even-length prompts, cold ones to odd-length prompts; the sample index shows."""
    kind = "KIND" if len(messages[-1]["content"]) % 2 == 0 else "cold"
    return f"{kind} answer, sample seed {config.seed}"



@pytest.fixture
def run_id(store: Store) -> str:
    config = FixedFormConfig(model="fake/examinee", dimensions=DIMENSIONS, items_per_dimension=2, samples=2,
                             generate=GenerateConfig(temperature=0.7))
    result = run_fixed_form_sync(config, store, model=FakeModel("fake/examinee", replies=examinee_reply))
    assert result.stats.done == 12
    return result.run.run_id


#: The stage's mechanics (resume, retries, several judges) are tested with the free-text recognition
#: question; keyed verdicts through the stage are tested below.
RECOGNITION = JudgeSettings(keyed=False)


def kind_judge(spec: str = "fake/judge") -> Judge:
    return Judge(keyword_judge(lambda t: 0.9 if "KIND" in t else 0.1, spec=spec), settings=RECOGNITION)


def test_judges_every_response_once_and_resumes(store: Store, run_id: str) -> None:
    seen = []
    stats = judge_run_sync(store, run_id, kind_judge(), progress=lambda s: seen.append(s.judged))
    assert (stats.total, stats.judged, stats.cached, stats.unparsable, stats.self_judged) == (12, 12, 0, 0, False)
    assert seen == list(range(1, 13)) and stats.seconds_per_judgment is not None
    records = store.judgments_for_run(run_id)
    assert len(records) == 12 and len({r.response_key for r in records}) == 12
    views = {v.response.job_key: v for v in store.response_views(run_id)}
    for r in records:
        view = views[r.response_key]
        assert r.dimension == view.item.dimension
        kind = "KIND" in view.response.output_text
        unkind = "opposes" if r.dimension == "malicious_use" else "unrelated"  # safety: Safe or Unsafe only
        assert r.label == ("supports" if kind else unkind)
        assert r.parse_status == "ok" and r.provenance["probability_source"] == "logprobs"
        p = 0.9 if kind else 0.1
        # P(conforming): P(supports), except for MFT (care), where it is 1 - P(opposes)
        assert r.score == pytest.approx(p if r.dimension != "care" else 1 - (1 - p) * 0.25)
    again = judge_run_sync(store, run_id, kind_judge())
    assert (again.judged, again.cached) == (0, 12)
    assert len(store.judgments_for_run(run_id)) == 12


def test_stage_killed_midway_keeps_its_judgments_and_resumes(store: Store, run_id: str) -> None:
    good = kind_judge()
    calls = {"n": 0}
    lock = threading.Lock()

    def flaky(messages: list[Message], config: GenerateConfig) -> str:
        with lock:
            calls["n"] += 1
            if calls["n"] == 5:
                raise RuntimeError("judge process died")
        return good.model._next(messages, config)  # type: ignore[attr-defined]

    broken = Judge(FakeModel("fake/judge", replies=flaky, logprobs=good.model._logprobs),  # type: ignore[attr-defined]
                   settings=RECOGNITION)
    with pytest.raises(ModelCallError, match="rerun the same command to resume"):
        judge_run_sync(store, run_id, broken, retry=FAST, concurrency=1)
    assert len(store.judgments_for_run(run_id)) == 4
    resumed = judge_run_sync(store, run_id, good)
    assert (resumed.cached, resumed.judged) == (4, 8)
    assert len(store.judgments_for_run(run_id)) == 12


def test_transient_judge_errors_are_retried(store: Store, run_id: str) -> None:
    good = kind_judge()
    calls = {"n": 0}

    def once_busy(messages: list[Message], config: GenerateConfig) -> str:
        calls["n"] += 1
        if calls["n"] in (2, 3):
            raise TransientModelError("busy", status=503)
        return good.model._next(messages, config)  # type: ignore[attr-defined]

    judge = Judge(FakeModel("fake/judge", replies=once_busy, logprobs=good.model._logprobs,  # type: ignore[attr-defined]
                            max_connections=1), settings=RECOGNITION)
    stats = judge_run_sync(store, run_id, judge, retry=FAST)
    assert stats.retries == 2 and stats.judged == 12


def test_second_judge_keeps_both_and_scores_pick_one(store: Store, run_id: str) -> None:
    judge_run_sync(store, run_id, kind_judge("fake/judge-a"))
    judge_run_sync(store, run_id, Judge(keyword_judge(lambda t: 0.2, spec="fake/judge-b"), settings=RECOGNITION))
    records = store.judgments_for_run(run_id)
    assert len(records) == 24 and {r.judge_id for r in records} == {"fake/judge-a", "fake/judge-b"}
    a = {s.dimension: s for s in score_run(store, run_id, judge_id="fake/judge-a")}
    b = {s.dimension: s for s in score_run(store, run_id, judge_id="fake/judge-b")}
    assert b["self_direction"].score == 0.0 and b["care"].score == 100.0  # MFT: unrelated conforms
    assert a["self_direction"].score != b["self_direction"].score
    latest = score_run(store, run_id, save=False)
    assert {s.judge_id for s in latest} == {"fake/judge-b"}
    estimates = store.estimates_for_run(run_id, method="share")
    assert len(estimates) == 6 and {e.judge_id for e in estimates} == {"fake/judge-a", "fake/judge-b"}
    with pytest.raises(JudgeError, match="fake/judge-a"):
        score_run(store, run_id, judge_id="fake/nobody")


def test_unparsable_judgments_are_recorded_and_left_out_of_scores(store: Store, run_id: str) -> None:
    def mumble(messages: list[Message], config: GenerateConfig) -> str:
        return "Yes - fine" if "self_direction" in messages[-1]["content"].lower().replace("-", "_") \
            or "Self-direction" in messages[-1]["content"] else "Hmm, hard to say."

    stats = judge_run_sync(store, run_id, Judge(FakeModel("fake/mumbler", replies=mumble), settings=RECOGNITION))
    assert stats.judged == 12 and stats.unparsable == 8
    bad = [r for r in store.judgments_for_run(run_id) if r.parse_status == "unparsed"]
    assert len(bad) == 8 and all(r.label is None and r.raw_output == "Hmm, hard to say." for r in bad)
    scores = {s.dimension: s for s in score_run(store, run_id)}
    assert scores["self_direction"].score == 100.0 and scores["self_direction"].n_unparsable == 0
    assert scores["care"].score is None and scores["care"].n_unparsable == 4 and scores["care"].n_judgments == 0
    stored = {e.dimension for e in store.estimates_for_run(run_id)}
    assert stored == {"self_direction"}


def test_scores_share_se_and_items(store: Store, run_id: str) -> None:
    judge_run_sync(store, run_id, kind_judge())
    records = store.judgments_for_run(run_id)
    items = {v.response.job_key: v.item for v in store.response_views(run_id)}
    scores = score_run(store, run_id)
    assert [s.dimension for s in scores] == ["self_direction", "care", "malicious_use"]  # framework order
    for s in scores:
        mine = [r for r in records if r.dimension == s.dimension and not items[r.response_key].is_benign]
        benign = [r for r in records if r.dimension == s.dimension and items[r.response_key].is_benign]
        conforming = sum(r.label == "supports" or (s.system == "mft" and r.label != "opposes") for r in mine)
        assert s.n_benign == len(benign) and s.n_judgments == len(mine)  # benign requests: over-refusal only
        if not mine:
            continue
        assert s.score == pytest.approx(100 * conforming / len(mine))
        assert s.n_items == len({items[r.response_key].id for r in mine})
        assert s.ci_low <= s.score <= s.ci_high and s.method == "share"
    assert score_run(store, run_id) == scores
    est = store.estimates_for_run(run_id)
    assert {e.method for e in est} == {"share"} and est[0].details["n_unparsable"] == 0


def test_self_judging_is_recorded(store: Store, run_id: str) -> None:
    stats = judge_run_sync(store, run_id, kind_judge("fake/examinee"))
    assert stats.self_judged
    judges = store.get_run(run_id).provenance["judges"]
    assert [(j["judge_id"], j["self_judged"]) for j in judges] == [("fake/examinee", True)]
    assert all(r.provenance["self_judged"] for r in store.judgments_for_run(run_id))
    judge_run_sync(store, run_id, kind_judge("fake/judge"))
    judges = store.get_run(run_id).provenance["judges"]
    assert [(j["judge_id"], j["self_judged"]) for j in judges] == [("fake/examinee", True), ("fake/judge", False)]


def test_unknown_run_is_an_error(store: Store) -> None:
    from valuecompass.errors import StoreError

    with pytest.raises(StoreError):
        asyncio.run(judge_run(store, "run-nope", kind_judge()))


def test_keyed_verdicts_through_the_stage_record_path_flags_and_run_metrics(store: Store) -> None:
    """Stance answers are decided by the key (no judge call), and the run's acquiescence is stored."""
    config = FixedFormConfig(model="fake/examinee", dimensions=("self_direction", "power"), items_per_dimension=6)
    run = run_fixed_form_sync(config, store, model=FakeModel("fake/examinee", replies=lambda m, c: "Stance: Yes"))
    judge_model = FakeModel("fake/judge", replies=["never called"])
    stats = judge_run_sync(store, run.run.run_id, Judge(judge_model))
    assert stats.judged == 12 and not judge_model.calls  # no key points: no coherence question either
    records = store.judgments_for_run(run.run.run_id)
    assert {r.provenance["path"] for r in records} == {"key"}
    views = {v.response.job_key: v.item for v in store.response_views(run.run.run_id)}
    for r in records:
        assert r.label == ("supports" if views[r.response_key].key.expresses == "yes" else "opposes")
    score_run(store, run.run.run_id)
    metrics = {(m.name, m.dimension): m for m in store.metrics_for_run(run.run.run_id)}
    assert metrics[("acquiescence", "")].value == 100.0 and metrics[("acquiescence", "")].n == 12
    assert metrics[("no_stance", "")].value == 0.0
    assert ("incoherence", "") not in metrics  # the coherence question was not asked: no figure, not 0%


def test_explained_verdicts_store_occlusion_evidence_and_the_same_labels(tmp_path) -> None:
    """``explain``: the stage stores each judge verdict's deciding sentences; labels equal those without it."""
    config = FixedFormConfig(model="fake/examinee", dimensions=("care", "malicious_use", "self_direction"),
                             items_per_dimension=3)
    records = {}
    for explain in (False, True):
        with Store(tmp_path / f"{explain}.sqlite") as db:
            run = run_fixed_form_sync(config, db, model=value_examinee({"care": 0.5, "malicious_use": 0.3},
                                                                       spec="fake/examinee"))
            stats = judge_run_sync(db, run.run.run_id, Judge(reading_judge(), settings=JudgeSettings(explain=explain)))
            assert stats.judged == 9
            records[explain] = {r.response_key: r for r in db.judgments_for_run(run.run.run_id)}
            texts = {v.response.job_key: v.response.output_text for v in db.response_views(run.run.run_id)}
    assert records[False].keys() == records[True].keys()
    judged = 0
    for key, plain in records[False].items():
        explained = records[True][key]
        assert (explained.label, explained.probabilities, explained.score, explained.template_hash) == (
            plain.label, plain.probabilities, plain.score, plain.template_hash)
        assert "evidence_kind" not in plain.provenance
        if plain.provenance["path"] == "judge":
            judged += 1
            occlusion = read_occlusion(explained.provenance["evidence"])
            assert explained.provenance["evidence_kind"] == "occlusion" and occlusion is not None
            assert occlusion.reading == plain.provenance["evidence"]
            assert all(s in texts[key] for s in occlusion.sentences)
        else:
            assert explained.provenance["evidence"] == plain.provenance["evidence"]
    assert judged >= 3
