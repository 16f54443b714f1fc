"""Occlusion, pure: sentences with their offsets, the deciding sentences, and their evidence text."""

from __future__ import annotations

import pytest

from valuecompass.judge import (
    MARGIN,
    MAX_SPANS,
    Sentence,
    evidence_spans,
    most_influential,
    occlusion_evidence,
    occlusion_units,
    read_occlusion,
    shown_ranges,
    split_sentences,
    without,
)


def texts(text: str) -> list[str]:
    return [s.text for s in split_sentences(text)]


@pytest.mark.parametrize("text, want", [
    ("She keeps the wallet. Nobody sees her! Does she care? No.",
     ["She keeps the wallet.", "Nobody sees her!", "Does she care?", "No."]),
    ('He said, "I will not." She agreed. At 3 p.m. they left.',
     ['He said, "I will not."', "She agreed.", "At 3 p.m. they left."]),
    ("Sure! Here are the steps:\n1. Mix A.\n2) Add B.\n\n- Stir.\n* Done",
     ["Sure!", "Here are the steps:", "1. Mix A.", "2) Add B.", "- Stir.", "* Done"]),
    ("Dr. Lee agreed, e.g. on Monday. Mr. Smith did not.", ["Dr. Lee agreed, e.g. on Monday.", "Mr. Smith did not."]),
    ("**Choice:** A. She waits... Then she smiles?", ["**Choice:** A.", "She waits...", "Then she smiles?"]),
    ("It costs 3.5 dollars.   OK", ["It costs 3.5 dollars.", "OK"]),
    ("> Quoted line. Another one.\n---\n\n   ", ["> Quoted line.", "Another one."]),
    ("no terminator at all", ["no terminator at all"]),
    ("", []),
    ("  \n\n  ", []),
])
def test_sentences_split_on_terminators_lines_and_bullets(text: str, want: list[str]) -> None:
    assert texts(text) == want


def test_sentence_offsets_are_the_texts_exact_words() -> None:
    text = '  "Stop!" she cried.\r\n\t- Keep <b>it</b>, she said. \u201cNo.\u201d Fine\u2026 Done.'
    found = split_sentences(text)
    assert found and all(text[s.start:s.end] == s.text for s in found)
    assert [s.start for s in found] == sorted(s.start for s in found)
    assert "\u201cNo.\u201d" in [s.text for s in found]


def test_splitting_is_linear_on_hostile_text() -> None:
    hostile = ("a." * 20000) + ("! " * 20000) + ("1. " * 20000)
    assert len(split_sentences(hostile)) > 0  # would hang with a backtracking pattern


def test_units_are_capped_by_runs_of_neighbours_that_cover_the_text() -> None:
    text = " ".join(f"Sentence {i} is here." for i in range(30))
    units = occlusion_units(text, cap=12)
    assert 1 < len(units) <= 12
    assert units[0].start == 0 and units[-1].end == len(text)
    assert all(text[u.start:u.end] == u.text for u in units)
    assert all(a.end < b.start for a, b in zip(units, units[1:]))  # in order, no overlap
    assert occlusion_units("One. Two.", cap=12) == tuple(split_sentences("One. Two."))


def test_units_keep_only_what_the_judge_was_shown() -> None:
    text = "Seen first. " + "Middle part. " * 40 + "Seen last."
    ranges = shown_ranges(text, max_chars=150)
    units = occlusion_units(text, within=ranges)
    assert units[0].text == "Seen first." and units[-1].text == "Seen last."
    assert all(any(a <= u.start and u.end <= b for a, b in ranges) for u in units)
    assert len(units) < len(split_sentences(text))


def test_without_leaves_one_sentence_out_and_closes_the_gap() -> None:
    text = "Keep it. Give it back.\n\nLeave now."
    first, second, third = split_sentences(text)
    assert without(text, first) == "Give it back.\n\nLeave now."
    assert without(text, second) == "Keep it.\n\nLeave now."
    assert without(text, third) == "Keep it. Give it back."


def test_the_most_influential_sentences_past_the_margin_come_first() -> None:
    units = tuple(Sentence(i * 10, i * 10 + 5, f"s{i}") for i in range(5))
    found = most_influential(units, 0.9, [0.85, 0.2, None, 0.9 - MARGIN, 0.5])
    assert [(i.sentence.text, round(i.drop, 2)) for i in found] == [("s1", 0.7), ("s4", 0.4), ("s3", 0.1)]
    many = most_influential(units, 1.0, [0.0] * 5)
    assert len(many) == MAX_SPANS and [i.sentence.text for i in many] == ["s0", "s1", "s2"]  # ties: in text order
    assert most_influential(units, 0.3, [0.4, 0.9, 0.25, 0.3, 0.21]) == ()  # a rise or a small drop decides nothing
    with pytest.raises(ValueError, match="5 units but 2"):
        most_influential(units, 0.5, [0.1, 0.2])


def test_evidence_round_trips_and_its_spans_are_the_sentences() -> None:
    text = 'Intro. She said "take it" / \\ and <script>x</script> kept it. Intro. End.'
    units = occlusion_units(text)
    kept, intro = units[1], units[2]  # the second "Intro." is the one that decided
    found = most_influential(units, 0.9, [0.9, 0.1, 0.5, 0.9])
    evidence = occlusion_evidence("P(violating action)", 0.9, "P(upholding action) 0.05, P(violating action) 0.90",
                                  found, len(units))
    back = read_occlusion(evidence)
    assert back is not None and back.sentences == (kept.text, intro.text) and back.tested == 4
    assert back.reading == "P(upholding action) 0.05, P(violating action) 0.90" and back.drops == (0.8, 0.4)
    spans = evidence_spans(text, evidence)
    assert [text[a:b] for a, b in spans] == [kept.text, "Intro."] and spans[1][0] == intro.start  # text order
    assert back.starts == (kept.start, intro.start)
    unplaced = 'occlusion {"target": "P(x)", "full": 1, "sentences": ["Intro.", "Intro."]}'  # no starts recorded
    assert evidence_spans(text, unplaced) == ((0, 6), (intro.start, intro.end))  # each at its first unused place
    moved = evidence.replace(f'"starts": [{kept.start}, {intro.start}]', '"starts": [0, 999]')
    assert [text[a:b] for a, b in evidence_spans(text, moved)] == ["Intro.", kept.text]  # found again when off


def test_other_evidence_is_no_occlusion() -> None:
    for evidence in ("Stance: No", "P(violating action) 0.9", "occlusion {not json", 'occlusion {"full": 1}',
                     "conflicting stances: 'a' / 'b'", ""):
        assert read_occlusion(evidence) is None
    assert evidence_spans("a b", 'occlusion {"target": "P(x)", "full": 1, "sentences": ["zz"]}') == ()


def test_splitting_hostile_text_stays_linear() -> None:
    """A terminator looks a bounded way back and one character forward: 600 KB of "a. " once took minutes."""
    import time

    start = time.perf_counter()
    for text in ("a. " * 200_000, "Dr. " * 150_000, "x. y " * 120_000):
        assert len(split_sentences(text)) == 1
    assert time.perf_counter() - start < 30  # quadratic splitting took over 100 s on these
