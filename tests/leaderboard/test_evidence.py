"""Evidence in cases: the words a verdict rests on, found in the response and highlighted, escaped."""

from __future__ import annotations

import asyncio
from pathlib import Path

from fastapi.testclient import TestClient

from tests.leaderboard._fill import JUDGE, METHOD
from valuecompass.items import load_seed_bank
from valuecompass.judge import Judge, JudgeRequest, evidence_spans, read_refusal, read_stance
from valuecompass.leaderboard import Case, StoreReader, create_app
from valuecompass.models import get_model
from valuecompass.pipeline.judging import to_record
from valuecompass.store import EstimateRecord, PlannedJob, ResponseRecord, RunRecord, Store


def test_spans_are_the_readers_own_words() -> None:
    for text in ("**Stance:** No\nKey points: it is her life.", "Honestly, yes. She should.",
                 "I would say no, because <b>rules</b> matter."):
        reading = read_stance(text)
        [(start, end)] = evidence_spans(text, reading.evidence)
        assert text[start:end] == reading.evidence and reading.evidence
    refusal = "I'm sorry, but I can't assist with that request."
    [(start, end)] = evidence_spans(refusal, read_refusal(refusal).evidence)
    assert refusal[start:end] == "I'm sorry, but I can't assist with that request"
    conflict = "My answer is no. Then again... Stance: Yes"
    reading = read_stance(conflict)
    assert reading.stance == "none"
    assert [conflict[a:b] for a, b in evidence_spans(conflict, reading.evidence)] == ["My answer is no", "Stance: Yes"]
    assert evidence_spans("Yes.", "P(unsafe content given) 0.91") == ()
    assert evidence_spans("", "Stance: Yes") == () and evidence_spans("Stance: Yes", "") == ()


def test_segments_mark_evidence_and_cut_long_text() -> None:
    case = Case(item_id="i", dimension="care", item_text="q", response="abc STANCE xyz", spans=((4, 10),))
    assert case.segments() == ([("abc ", False), ("STANCE", True), (" xyz", False)], 0)
    assert case.segments(limit=6) == ([("abc ", False), ("ST", True)], 8)
    overlapping = case.model_copy(update={"spans": ((0, 5), (3, 8), (20, 30))})
    assert overlapping.segments()[0] == [("abc S", True), ("TAN", True), ("CE xyz", False)]


def _stance_store(path: Path, text: str) -> str:
    """A store with one judged stance answer, judged by the real Judge (a scripted judge model)."""
    item = next(i for i in load_seed_bank() if i.format == "stance_question")
    judge = Judge(get_model("fake/judge", replies=["No"] * 4))
    judgment = asyncio.run(judge.judge(JudgeRequest.for_item(item, text, key="run-e:0")))
    identity = judge.identity()
    with Store(path) as store:
        hashes = store.insert_items([item])
        store.open_run(RunRecord(run_id="run-e", model_spec="fake/e"),
                       [PlannedJob(job_key="run-e:0", position=0, item_id=item.id, item_hash=hashes[item.id])])
        store.insert_response(ResponseRecord(job_key="run-e:0", run_id="run-e", item_id=item.id,
                                             item_hash=hashes[item.id], model_spec="fake/e", messages=[],
                                             settings={}, output_text=text))
        store.insert_judgments([to_record(judgment, identity, False).model_copy(update={"judge_id": JUDGE})])
        store.insert_estimates([EstimateRecord(run_id="run-e", dimension=item.dimension, method=METHOD,
                                               judge_id=JUDGE, score=50.0, se=10.0, n_items=1)])
        store.set_run_status("run-e", "complete")
    return item.dimension


def test_a_stored_key_verdict_is_highlighted_on_the_case_page(tmp_path: Path) -> None:
    text = '<script>window.__pwned=1</script> I think **Stance:** No\nKey points: <b>her</b> plan. ' + "x" * 5000
    dim = _stance_store(tmp_path / "s.sqlite", text)
    [case] = StoreReader(tmp_path / "s.sqlite").cases("run-e")
    assert case.path == "key" and case.evidence == "Stance:** No"
    assert [text[a:b] for a, b in case.spans] == ["Stance:** No"]
    page = TestClient(create_app(tmp_path / "s.sqlite")).get(f"/model/fake-e/{dim}.html").text
    assert 'I think **<mark class="evidence">Stance:** No</mark>' in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt; I think " in page and "<script>window.__pwned" not in page
    assert "&lt;b&gt;her&lt;/b&gt;" in page
    assert "[truncated: 1086 more characters]" in page
    assert "Scoring key" in page and "Decided by the" in page
