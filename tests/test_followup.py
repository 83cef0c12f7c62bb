"""Rewriting a follow-up into a standalone question, against a hand-made lexicon."""

from __future__ import annotations

import pytest

from assistant.followup import rewrite
from assistant.lexicon import Lexicon

UNITS = ["4.6 Mission to Skopje", "4.5 Mission to Serbia"]


@pytest.fixture
def lex() -> Lexicon:
    return Lexicon(
        units=UNITS,
        places={u: u.split(" to ")[1] for u in UNITS},
        unit_keys={"4.6 Mission to Skopje": {"skopje"}, "4.5 Mission to Serbia": {"serbia"}},
        years={"2018", "2019", "2020"},
        main_year="2019",
        themes=["Gender Mainstreaming"],
        theme_tokens={"Gender Mainstreaming": {"gender", "mainstreaming"}},
    )


def test_a_new_operation_replaces_the_old_one(lex: Lexicon) -> None:
    earlier = ["What did the Mission to Skopje do on gender mainstreaming?"]
    assert (
        rewrite("And in Serbia?", earlier, lex)
        == "What did the Mission to Serbia do on gender mainstreaming?"
    )


def test_a_bare_year_replaces_the_old_year(lex: Lexicon) -> None:
    earlier = ["How many activities did the Mission to Skopje run in 2019?"]
    assert (
        rewrite("what about 2018?", earlier, lex)
        == "How many activities did the Mission to Skopje run in 2018?"
    )


def test_a_turn_asking_its_own_question_of_the_subject_keeps_it(lex: Lexicon) -> None:
    earlier = ["what is the Skopje mission's gender coalition?"]
    standalone = rewrite("what will it do in 2020?", earlier, lex)
    assert standalone.startswith("what will it do in 2020?"), standalone
    assert "gender coalition" in standalone, "the earlier subject is carried as context"


def test_a_standalone_question_is_left_alone(lex: Lexicon) -> None:
    question = "What did the Mission to Serbia do on gender mainstreaming?"
    assert rewrite(question, ["What did the Mission to Skopje do?"], lex) == question


def test_what_a_named_operation_acted_on_is_the_earlier_subject(lex: Lexicon) -> None:
    earlier = ["what is the gender coalition?"]
    standalone = rewrite("what did the Serbia mission do with them in June?", earlier, lex)
    assert standalone.startswith("what did the Serbia mission do with them in June?")
    assert "gender coalition" in standalone, "'them' is the coalition asked about before"
    own = "what did the Serbia mission do with its partners in June?"
    assert rewrite(own, earlier, lex) == own, "its own subject, nothing carried"


def test_a_turn_naming_another_actor_as_well_keeps_the_earlier_subject(lex: Lexicon) -> None:
    earlier = ["which drug course did the Mission to Skopje send officers to in November?"]
    standalone = rewrite("did the Serbia mission send anyone there as well?", earlier, lex)
    assert standalone.startswith("did the Serbia mission send anyone there as well?")
    assert "(about: which drug course did the Mission to Serbia send officers to" in standalone
    alone = rewrite("did the Serbia mission send anyone to the course?", earlier, lex)
    assert alone == "did the Serbia mission send anyone to the course?", "its own question"


def test_there_points_into_the_earlier_answer_and_brings_its_rare_names(lex: Lexicon) -> None:
    from dataclasses import replace

    named = replace(
        lex,
        proper={"krasnoyarsk", "siberian", "russian"},
        idf={"krasnoyarsk": 6.0, "siberian": 6.0, "russian": 3.0},
    )
    earlier = ["Which Russian course did the Mission to Skopje send officers to?"]
    said = "In May, the Mission sent two officers to the Siberian Law Institute in Krasnoyarsk. [1]"
    standalone = rewrite("did the Mission to Serbia send anyone there too?", earlier, named, said)
    assert standalone.endswith("; Siberian Krasnoyarsk)"), standalone
    assert "Russian" not in standalone.split(";")[-1], "asked already, and common"
    refused = "The reports do not say. The nearest related material is in Krasnoyarsk [1]."
    plain = rewrite("did the Mission to Serbia send anyone there too?", earlier, named, refused)
    assert "Siberian" not in plain, "a refusal names nothing the question points to"


def test_the_thing_the_last_answer_told_of_keeps_its_subject(lex: Lexicon) -> None:
    from dataclasses import replace

    rare = replace(lex, idf={"draft": 4.0, "report": 1.5, "police": 1.0})
    earlier = ["what was the Mission to Skopje's cybercrime assessment visit for?"]
    said = "The Mission assessed cybercrime needs. It presented the draft report to the police. [1]"
    asked = "when was the draft report finally presented to the partners?"
    standalone = rewrite(asked, earlier, rare, said)
    assert standalone == f"{asked} (about: {earlier[0].rstrip('?')})"
    common = "what training did the police get on public order?"
    assert rewrite(common, earlier, rare, said) == common, "a common word refers to nothing"
    assert rewrite(asked, earlier, rare, "") == asked, "no answer, nothing to refer to"


def test_a_unit_called_by_its_full_name_is_replaced_by_the_new_operation(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    first = "What did TNTD's Border Security and Management Unit do on border management in 2019?"
    standalone = rewrite("and the Mission to Serbia?", [first], corpus_assistant.lexicon)
    assert standalone == "What did the Mission to Serbia do on border management in 2019?"


def test_a_turn_taking_part_in_nothing_it_names_leans_on_the_earlier_one(lex: Lexicon) -> None:
    earlier = ["Did the Serbia mission run cybercrime training with the Russian ministry?"]
    standalone = rewrite("how many Serbian officers took part?", earlier, lex)
    assert standalone.startswith("how many Serbian officers took part?")
    assert "(about: Did the Serbia mission run cybercrime training" in standalone, (
        "took part in what: the earlier turn says"
    )
    alone = "how many Serbian officers took part in the Belgrade seminars?"
    assert rewrite(alone, earlier, lex) == alone, "a turn naming its event is its own question"
