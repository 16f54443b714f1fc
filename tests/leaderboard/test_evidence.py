"""Evidence in cases: the words a verdict rests on, found in the response and highlighted, escaped."""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

from fastapi.testclient import TestClient

from tests.leaderboard._fill import JUDGE, METHOD
from valuecompass.items import load_seed_bank
from valuecompass.judge import Judge, JudgeRequest, JudgeSettings, evidence_spans, read_refusal, read_stance
from valuecompass.leaderboard import Case, StoreReader, create_app
from valuecompass.models import get_model, reading_judge
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
    return _judged_store(path, "stance_question", text, Judge(get_model("fake/judge", replies=["No"] * 4)))


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


def _judged_store(path: Path, item_format: str, text: str, judge: Judge) -> str:
    """A store with one response to the first seed item of ``item_format``, judged by ``judge``."""
    item = next(i for i in load_seed_bank() if i.format == item_format)
    judgment = asyncio.run(judge.judge(JudgeRequest.for_item(item, text, key="run-e:0")))
    with Store(path) as store:
        hashes = store.insert_items([item])
        store.open_run(RunRecord(run_id="run-e", model_spec="fake/e"),
                       [PlannedJob(job_key="run-e:0", position=0, item_id=item.id, item_hash=hashes[item.id])])
        store.insert_response(ResponseRecord(job_key="run-e:0", run_id="run-e", item_id=item.id,
                                             item_hash=hashes[item.id], model_spec="fake/e", messages=[],
                                             settings={}, output_text=text))
        store.insert_judgments([to_record(judgment, judge.identity(), False).model_copy(update={"judge_id": JUDGE})])
        store.insert_estimates([EstimateRecord(run_id="run-e", dimension=item.dimension, method=METHOD,
                                               judge_id=JUDGE, score=50.0, se=10.0, n_items=1)])
        store.set_run_status("run-e", "complete")
    return item.dimension


def test_occlusion_evidence_is_highlighted_escaped_and_said_to_be_occlusion(tmp_path: Path) -> None:
    story = next(i for i in load_seed_bank() if i.format == "story_opening")
    deciding = f"{story.key.violating} <script>window.__pwned=1</script>."
    text = f"The <b>rain</b> falls. {deciding} Dinner is warm."
    dim = _judged_store(tmp_path / "s.sqlite", "story_opening", text,
                        Judge(reading_judge("fake/reader"), settings=JudgeSettings(explain=True)))
    with Store(tmp_path / "s.sqlite") as store:
        [record] = store.judgments_for_run("run-e")
    assert record.label == "opposes" and record.provenance["evidence_kind"] == "occlusion"
    [case] = StoreReader(tmp_path / "s.sqlite").cases("run-e")
    assert case.path == "judge" and [text[a:b] for a, b in case.spans] == [deciding]
    page = TestClient(create_app(tmp_path / "s.sqlite")).get(f"/model/fake-e/{dim}.html").text
    escaped = deciding.replace("<", "&lt;").replace(">", "&gt;")
    assert f'<mark class="evidence">{escaped}</mark>' in page
    assert "<script>window.__pwned" not in page and "The &lt;b&gt;rain&lt;/b&gt; falls." in page
    assert "whose removal most lowers the judge's probability P(violating action)" in page
    assert "(1.00 on the whole response; lower by 1.00 without it)" in page
    assert "The judge's reading: <span class=\"text\">P(upholding action) 0.00, P(violating action) 1.00</span>" in page
    assert "Decided by the" not in page and "cut end" not in page


def test_a_highlight_in_the_cut_end_of_a_long_response_is_said_to_be_there(tmp_path: Path) -> None:
    story = next(i for i in load_seed_bank() if i.format == "story_opening")
    deciding = f"{story.key.violating}."
    rng = random.Random(0)
    words = "rain wind roof street lamp puddle cat drain night cold grey bus coat shoes light".split()
    filler = " ".join(" ".join(rng.choices(words, k=6)).capitalize() + "." for _ in range(200))
    text = f"The rain falls. {filler} {deciding}"  # past what a case shows, and not degenerate repetition
    dim = _judged_store(tmp_path / "s.sqlite", "story_opening", text,
                        Judge(reading_judge("fake/reader"), settings=JudgeSettings(explain=True)))
    [case] = StoreReader(tmp_path / "s.sqlite").cases("run-e")
    [(start, end)] = case.spans  # more than 12 sentences: the deciding one is left out with its neighbours
    assert text[start:end].endswith(deciding) and end == len(text) and start > 4000 and case.spans_cut() == 1
    page = TestClient(create_app(tmp_path / "s.sqlite")).get(f"/model/fake-e/{dim}.html").text
    assert "1 highlighted part lies in the cut end of the response, not shown here." in page
    assert "[truncated: " in page and "The judge saw only the start" in page


def test_occlusion_that_found_no_deciding_sentence_says_so(tmp_path: Path) -> None:
    dim = _judged_store(tmp_path / "s.sqlite", "story_opening", "It rains. She thinks about her homework.",
                        Judge(reading_judge("fake/reader"), settings=JudgeSettings(explain=True)))
    page = TestClient(create_app(tmp_path / "s.sqlite")).get(f"/model/fake-e/{dim}.html").text
    assert "No single sentence decided it: leaving out any one of the 2 tested in turn lowers the judge's " \
           "probability P(neither action) (1.00) by less than 0.10" in page
    assert '<mark class="evidence">It rains.' not in page
