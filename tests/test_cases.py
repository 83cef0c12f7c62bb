"""Tests for eval.cases: the rules on hand-made stand-ins, then the real set against the parser."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from eval.cases import KINDS, Case, check_cases, load_cases, split_of

ROOT = Path(__file__).resolve().parents[1]
CASES_FILE = ROOT / "eval" / "cases.jsonl"
DATA = ROOT / "data" / "reports"
REPORTS = {
    "osce-police-related-activities-2019": DATA / "osce-police-related-activities-2019.md",
    "odihr-annual-report-2019-part-2": DATA / "odihr-annual-report-2019-part-2.txt",
}


@dataclass(frozen=True)
class StandIn:
    """The three attributes check_cases reads from a parsed section."""

    document: str
    path: str
    text: str


SECTIONS = [
    StandIn("big", "4.1 Presence in Albania > BUDGET (UB)", "**TOTAL**  \n**2,981,200 EUR**"),
    StandIn("big", "4.2 Mission to Bosnia and Herzegovina > STAFF", "**315,5 Total**"),
    StandIn("big", "4.3 Mission in Kosovo > Community Policing", "LPSCs met 19 times."),
    StandIn(
        "big",
        "4.3 Mission in Kosovo > Community Policing > Local Public Safety Committees",
        "13 surveillance cameras were installed in Rakosh.",
    ),
    StandIn("small", "2.1 Raising awareness", "Nearly 72 per cent of victims are women."),
]


def make_case(**fields: Any) -> Case:
    """A valid answerable case, with any field overridden."""
    base: dict[str, Any] = {
        "id": "fac-albania-budget",
        "kind": "factoid",
        "question": "albania budget 2019?",
        "gold_sections": ["4.1 Presence in Albania > BUDGET (UB)"],
        "gold_quotes": ["**2,981,200 EUR**"],
        "must_mention": ["2,981,200"],
        "document": "big",
    }
    return Case.model_validate({**base, **fields})


def test_a_valid_case_has_no_problems() -> None:
    assert check_cases([make_case()], SECTIONS) == []


def test_duplicate_ids_are_reported_once() -> None:
    problems = check_cases([make_case(), make_case()], SECTIONS)
    assert problems == ["fac-albania-budget: id used 2 times; ids must be unique"]


def test_unknown_kind_is_reported() -> None:
    problems = check_cases([make_case(kind="factiod")], SECTIONS)
    assert any("unknown kind 'factiod'" in p for p in problems), problems


def test_turns_must_end_with_the_question() -> None:
    bad = make_case(kind="conversation", turns=["budget of albania?", "and 2018?"])
    assert any("last turn differs" in p for p in check_cases([bad], SECTIONS))
    good = make_case(kind="conversation", turns=["budget of albania?", "albania budget 2019?"])
    assert check_cases([good], SECTIONS) == []


def test_a_conversation_needs_two_turns() -> None:
    lonely = make_case(kind="conversation", turns=["albania budget 2019?"])
    assert any("at least two turns" in p for p in check_cases([lonely], SECTIONS))


def test_answerable_cases_need_gold_sections_and_quotes() -> None:
    problems = check_cases([make_case(gold_sections=[], gold_quotes=[], must_mention=[])], SECTIONS)
    assert any("no gold_sections" in p for p in problems), problems
    assert any("no gold_quotes" in p for p in problems), problems


def test_missing_gold_section_is_named() -> None:
    problems = check_cases([make_case(gold_sections=["4.1 Presence in Albania > STAFF"])], SECTIONS)
    assert any("'4.1 Presence in Albania > STAFF' not found" in p for p in problems), problems


def test_gold_paths_match_case_insensitively() -> None:
    case = make_case(gold_sections=["4.1 presence in albania >  budget (ub)"])
    assert check_cases([case], SECTIONS) == []


def test_quote_must_be_verbatim_in_a_gold_section() -> None:
    reworded = make_case(gold_quotes=["**2 981 200 EUR**"])
    assert any("quote not verbatim" in p for p in check_cases([reworded], SECTIONS))
    elsewhere = make_case(gold_quotes=["**315,5 Total**"])
    assert any("quote not verbatim" in p for p in check_cases([elsewhere], SECTIONS)), (
        "a quote from a section that is not gold must not count"
    )


def test_a_parent_gold_section_includes_its_children() -> None:
    case = make_case(
        gold_sections=["4.3 Mission in Kosovo > Community Policing"],
        gold_quotes=["13 surveillance cameras were installed"],
        must_mention=["Rakosh"],
    )
    assert check_cases([case], SECTIONS) == []


def test_gold_is_looked_up_in_the_case_document_only() -> None:
    case = make_case(
        gold_sections=["2.1 Raising awareness"], gold_quotes=["72 per cent"], must_mention=[]
    )
    assert any("not found in big" in p for p in check_cases([case], SECTIONS))
    assert check_cases([case.model_copy(update={"document": None})], SECTIONS) == []


def test_must_mention_is_normalised_for_number_formats() -> None:
    assert check_cases([make_case(must_mention=["2981200", "2 981 200 eur"])], SECTIONS) == []
    staff = make_case(
        gold_sections=["4.2 Mission to Bosnia and Herzegovina > STAFF"],
        gold_quotes=["**315,5 Total**"],
        must_mention=["315.5"],
    )
    assert check_cases([staff], SECTIONS) == []


def test_must_mention_absent_from_gold_text_is_reported() -> None:
    problems = check_cases([make_case(must_mention=["366,000"])], SECTIONS)
    assert problems == ["fac-albania-budget: must_mention '366,000' not in its gold sections' text"]


def test_unanswerable_cases_must_say_so_and_carry_no_gold() -> None:
    flagged = make_case(kind="unanswerable", gold_quotes=[], must_mention=[])
    problems = check_cases([flagged], SECTIONS)
    assert any("set answerable=false" in p for p in problems), problems
    assert any(
        "leave them empty" in p
        for p in check_cases([flagged.model_copy(update={"answerable": False})], SECTIONS)
    )
    clean = Case(
        id="un-georgia", kind="unanswerable", question="mission to georgia?", answerable=False
    )
    assert check_cases([clean], SECTIONS) == []


def test_load_cases_ignores_extra_fields_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    line = json.dumps({"id": "x", "kind": "summary", "question": "q?", "reviewer": "anna"})
    path.write_text(line + "\n\n", encoding="utf-8")
    cases = load_cases(path)
    assert [case.id for case in cases] == ["x"]
    assert cases[0].answerable is True


def test_load_cases_names_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text('{"id": "x", "kind": "summary", "question": "q"}\n{"id": "y"\n', "utf-8")
    with pytest.raises(ValueError, match=r"cases\.jsonl:2: not a valid eval case"):
        load_cases(path)


def test_split_is_deterministic_and_about_thirty_percent_holdout() -> None:
    ids = [f"case-{n}" for n in range(2000)]
    splits = [split_of(case_id) for case_id in ids]
    assert splits == [split_of(case_id) for case_id in ids], (
        "the split must not change between runs"
    )
    assert set(splits) == {"dev", "holdout"}
    share = splits.count("holdout") / len(splits)
    assert 0.27 < share < 0.33, f"holdout share {share:.2f} drifted from 30%"


# --- the real set ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def real_cases() -> list[Case]:
    return load_cases(CASES_FILE)


def test_real_set_size_and_mix(real_cases: list[Case]) -> None:
    kinds = Counter(case.kind for case in real_cases)
    assert len(real_cases) >= 160, "the brief asks for at least 160 cases"
    assert set(kinds) == set(KINDS), f"every kind must be present: {kinds}"
    minimum = {
        "summary": 20,
        "factoid": 40,
        "cross_section": 15,
        "table": 15,
        "footnote": 8,
        "unanswerable": 15,
        "conversation": 15,
    }
    short = {kind: kinds[kind] for kind, n in minimum.items() if kinds[kind] < n}
    assert not short, f"kinds below their minimum: {short}"


def test_real_set_covers_both_documents(real_cases: list[Case]) -> None:
    documents = Counter(case.document for case in real_cases)
    assert documents["osce-police-related-activities-2019"] >= 100
    assert documents["odihr-annual-report-2019-part-2"] >= 5


def test_real_quotes_are_verbatim_in_the_report_files(real_cases: list[Case]) -> None:
    texts = {name: path.read_text(encoding="utf-8") for name, path in REPORTS.items()}
    missing = [
        (case.id, quote)
        for case in real_cases
        for quote in case.gold_quotes
        if not any(quote in text for name, text in texts.items() if case.document in (None, name))
    ]
    assert not missing, f"quotes that a citation checker would reject: {missing}"


def test_real_set_passes_check_cases_on_the_parser_output(real_cases: list[Case]) -> None:
    parse = pytest.importorskip("index.parse", reason="the parser has not landed yet")
    sections = [s for path in REPORTS.values() for s in parse.parse_file(path)]
    assert check_cases(real_cases, sections) == []
