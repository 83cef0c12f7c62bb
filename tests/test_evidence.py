"""Whether a sentence is evidence: its own figures, a count later in its paragraph, names."""

from __future__ import annotations

from assistant.evidence import Candidate
from assistant.types import Hit
from index.sentences import split_sentences
from index.types import Chunk


def _chunk(
    text: str, section: str = "4.3 Mission in Kosovo > Cybercrime", first: int = 10
) -> Chunk:
    lines = tuple(range(first, first + len(text.split("\n"))))
    return Chunk(
        id=f"c{first}",
        document="report",
        section=section,
        unit=section.split(" > ")[0],
        theme=section.split(" > ")[-1],
        category="",
        kind="text",
        text=text,
        clean=text,
        lines=lines,
        order=first,
    )


def _candidates(chunk: Chunk, score: float = 1.0) -> list[Candidate]:
    hit = Hit(chunk, score)
    return [Candidate(s, hit, score, score) for s in split_sentences(chunk)]


def test_a_how_many_question_is_not_answered_by_shares_or_section_numbers() -> None:
    from assistant.evidence import states_figure
    from assistant.query import Query

    query = Query(
        text="how many activities did the Centre organise?",
        expanded="how many activities did the Centre organise?",
        units=("4.9 Centre in Ashgabat",),
        wants_number=True,
        focus=("activity",),
    )
    section = "4.9 Centre in Ashgabat > Introduction"
    chart = _chunk("Activities of 4.9 Centre in Ashgabat. Reform 42%; Crime 58%.", section, 1)
    chart = Chunk(**{**chart.__dict__, "kind": "chart"})
    counted = _chunk("In total, 22 activities were organized by the Centre.", section, 5)
    named = _chunk("The Centre organized activities on reform.", section, 9)
    assert states_figure(_candidates(counted)[0], query)
    assert not states_figure(_candidates(chart)[0], query), "shares and '4.9' are not counts"
    assert not states_figure(_candidates(named)[0], query)
    share = Query(**{**query.__dict__, "wants_share": True})
    assert states_figure(_candidates(chart)[0], share)


def test_a_count_later_in_the_paragraph_supports_the_sentence_naming_the_event() -> None:
    from assistant.evidence import shares_rare, support
    from assistant.query import Query

    query = Query(
        text="how many recommendations came out of the review of the strategy?",
        expanded="how many recommendations came out of the review of the strategy?",
        units=("4.3 Mission in Kosovo",),
        wants_number=True,
        focus=("recommendation",),
        rare=frozenset({"review", "strategy"}),
    )
    chunk = _chunk(
        "The Mission organized a workshop to review the strategy. The event brought together "
        "28 representatives. As a result, 19 recommendations were made.\n"
        "From 19 to 22 February, the Mission reviewed the strategy again."
    )
    sentences = _candidates(chunk)

    def paragraph_of(c: Candidate) -> list[Candidate]:
        return sentences[:3] if c in sentences[:3] else [c]

    shown = support(sentences[0], query, paragraph_of)
    assert [c.sentence.index for c in shown] == [0, 2], "the event and the sentence counting it"
    assert support(sentences[0], query, None) == [], "no paragraph, no count"
    assert support(sentences[3], query, paragraph_of) == []
    assert shares_rare(sentences[3], query, paragraph_of) == [], "a date range is not a count"


def test_a_who_answer_must_name_someone_the_question_does_not() -> None:
    from assistant.evidence import names_someone
    from assistant.query import Query

    query = Query(
        text="who succeeded Thomas Greninger as OSCE Secretary General?",
        expanded="who succeeded Thomas Greninger as OSCE Secretary General?",
        asks_who=True,
    )
    caption = _candidates(_chunk("Thomas Greninger OSCE Secretary General", first=1))[0]
    course = _candidates(_chunk("The course was delivered by a UK expert.", first=5))[0]
    assert not names_someone(caption, query)
    assert names_someone(course, query)
