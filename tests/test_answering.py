"""The assistant end to end on the real reports: citations, follow-ups, refusals, filters."""

from __future__ import annotations

import re

import pytest

from assistant.commands import BatchItem, answer_item
from assistant.errors import FilterError, QuestionError
from assistant.types import REFUSAL, Filters, Turn


def _check_citations(assistant, answer) -> None:  # type: ignore[no-untyped-def]
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert numbers == {c.n for c in answer.citations}, "every [n] has a source and vice versa"
    for c in answer.citations:
        assert c.quote in assistant.source(c.document), f"quote [{c.n}] is not verbatim"
        lines = assistant.source(c.document).splitlines()[c.lines[0] - 1 : c.lines[1]]
        assert any(c.quote in line or line.strip() in c.quote for line in lines if line.strip())


def test_section_question_cites_the_section(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("What did the Mission to Skopje do on gender mainstreaming?")
    assert not answer.abstained
    assert "4.6 Mission to Skopje > Gender Mainstreaming" in {c.section for c in answer.citations}
    assert len(answer.hits) >= 10
    _check_citations(corpus_assistant, answer)


def test_follow_up_keeps_the_theme_and_swaps_the_operation(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    first = "What did the Mission to Skopje do on gender mainstreaming?"
    answer = corpus_assistant.answer("And in Serbia?", [Turn(first, "")])
    assert "Serbia" in answer.standalone and "gender mainstreaming" in answer.standalone
    assert answer.citations, "Serbia's chapter has related passages"
    assert all(c.section.startswith("4.5 Mission to Serbia") for c in answer.citations), (
        "a named operation is never answered with a neighbour's passages"
    )
    assert "has no section on Gender Mainstreaming" in answer.text
    _check_citations(corpus_assistant, answer)


def test_a_follow_up_naming_a_new_subject_is_led_by_it(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    first = "What did the Mission in Kosovo do with Local Public Safety Committees?"
    answer = corpus_assistant.answer("And the municipal community safety councils?", [first])
    assert answer.hits[0].chunk.section.endswith("Municipal Community Safety Councils"), [
        h.chunk.section for h in answer.hits[:3]
    ]


def test_a_passage_naming_a_rare_name_of_the_question_is_retrieved(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("Which of ODIHR's stories involve Poland?")
    assert any("Poland" in h.chunk.clean for h in answer.hits[:8]), [
        h.chunk.section for h in answer.hits[:8]
    ]


def test_a_detail_of_a_story_section_is_found_though_an_appendix_is_filed_under_its_theme(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "Where will the Bulgarian hate crime coalition publish its data?"
    )
    assert "hatecrime.osce.org" in answer.text
    assert (
        answer.citations[0].section == "2.5 Building a civil society coalition against hate crime"
    )
    _check_citations(corpus_assistant, answer)


def test_factoid_gives_the_figure(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("how many young women did odihr train in belarus?")
    assert "31" in answer.text and not answer.abstained
    _check_citations(corpus_assistant, answer)


def test_table_question_answers_from_the_row_with_its_headers(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "How many public order activities were there in 2019, and in 2018?"
    )
    assert "2018 36" in answer.text and "2019 34" in answer.text
    _check_citations(corpus_assistant, answer)


def test_a_count_of_a_themes_activities_comes_from_the_year_table(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("How many gender mainstreaming activities were there in 2018?")
    assert not answer.abstained, answer.text
    first = answer.citations[0]
    assert first.section.startswith("1 Executive Summary") and "Gender Mainstreaming" in first.quote
    assert "2018 19" in answer.text, answer.text
    _check_citations(corpus_assistant, answer)


def test_a_themes_count_reads_every_table_with_a_row_on_it(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "how many gender mainstreaming activities were there in 2019 all told, "
        "and how many of those were trainings?"
    )
    assert "2019 44" in answer.text, "the year table"
    assert "Training 11" in answer.text, "the table by kind of activity"
    _check_citations(corpus_assistant, answer)


def test_a_count_asked_for_the_reports_year_and_another_reads_both_tables(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "how many gender mainstreaming activities were there in 2019, how many of those were "
        "trainings, and what was the 2018 figure?"
    )
    assert "2018 " in answer.text and "2019 44" in answer.text, "the year table"
    assert "Training 11" in answer.text, "the 2019 table by kind, though it names no 2018"
    _check_citations(corpus_assistant, answer)


def test_a_count_asked_for_a_year_no_table_has_is_refused_beside_the_reports_year(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "How many police-related activities were reported for 2014? I want to compare it "
        "with 2019's total."
    )
    assert answer.abstained and answer.text.startswith(REFUSAL), answer.text
    assert "2014" in answer.text.split("\n")[0], "the refusal says which year is missing"
    covered = corpus_assistant.answer(
        "How many police-related activities were reported for 2015? I want to compare it "
        "with 2019's total."
    )
    assert not covered.abstained and "2015 1153" in covered.text, covered.text
    _check_citations(corpus_assistant, answer)


def test_a_question_naming_the_state_an_operation_works_in_is_answered_from_its_chapter(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("What did the OSCE do on border security in Turkmenistan?")
    sections = {c.section for c in answer.citations}
    assert sections == {"4.9 Centre in Ashgabat > Border Security and Management / Customs"}, (
        "the Centre's own section on it, not only the passages that name Turkmenistan"
    )
    assert "x-ray images" in answer.text, answer.text
    _check_citations(corpus_assistant, answer)
    town = corpus_assistant.answer("what did the OSCE do in Karaganda?")
    source = corpus_assistant.source(town.citations[0].document).splitlines()
    assert all(
        "Karaganda" in " ".join(source[c.lines[0] - 1 : c.lines[1]]) for c in town.citations
    ), "a town: the paragraphs naming it"


def test_an_entry_per_operation_keeps_the_footnote_that_holds_the_fact(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "besides serbia, which countries did the gender programme's research on UNSCR 1325 "
        "implementation cover?"
    )
    assert "**Programme for Gender Issues**" in answer.text, "two units: one entry each"
    assert "BiH, Kyrgyzstan, Moldova and Ukraine" in answer.text, answer.text
    _check_citations(corpus_assistant, answer)


def test_a_comparison_of_two_operations_on_a_theme_tells_each_ones_section(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "Compare the Montenegro and Skopje missions on gender mainstreaming in the police"
    )
    entries = {line.split("**")[1]: line for line in answer.text.splitlines() if "**" in line}
    skopje = entries["Mission to Skopje"]
    # the section's activities by their openings: the programme's start and its closing event
    assert "From 18 to 20 March" in skopje and "On 15 November" in skopje, skopje
    assert skopje.index("From 18 to 20 March") < skopje.index("On 15 November")
    assert "EUR 48,559" in entries["Mission to Montenegro"]
    assert all(c.section.endswith("Gender Mainstreaming") for c in answer.citations), (
        "each operation from its own section on the theme"
    )
    _check_citations(corpus_assistant, answer)


def test_a_count_naming_no_row_comes_from_the_tables_total_row(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "How many police-related activities did the OSCE executive structures report in 2017?"
    )
    assert "Total Activities" in answer.text.split("\n")[1] and "2017 1196" in answer.text


def test_a_categorys_breakdown_comes_from_its_subtotal_row(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "general police development and reform in 2019: how do its activities break down by type?"
    )
    assert "General Police Development and Reform total" in answer.text, answer.text
    assert "Training 195" in answer.text
    _check_citations(corpus_assistant, answer)


def test_a_note_printed_in_another_passage_of_the_section_comes_with_its_marker(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "When do accreditations to the old ISO/IEC 17025 standard expire for the Montenegro "
        "forensic centre?"
    )
    assert "30 November 2020" in answer.text, answer.text
    assert "(Darko Dakovic) On 13" not in answer.text, "a photo's credit ends its caption"
    _check_citations(corpus_assistant, answer)


def test_a_name_the_question_quotes_leads_to_its_passage(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        'what was the aim of the serbia mission\'s "To success, together!" project?'
    )
    assert "To success, together!" in answer.citations[0].quote, answer.text
    assert "positive alternatives" in answer.text


def test_cross_operation_question_answers_per_operation(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("Which field operations trained police on public order?")
    units = {c.section.split(" > ")[0] for c in answer.citations}
    assert len(units) >= 3, "evidence must come from several operations"
    # every operation with a section on the theme has its best passage retrieved
    assert "4.6 Mission to Skopje > Public Order and Crisis Management" in {
        h.chunk.section for h in answer.hits
    }
    assert answer.text.count("**") >= 6, "one bold heading per operation"


def test_which_operations_lists_only_work_on_the_asked_theme(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("Which field operations trained police on hate crime?")
    entries = [line for line in answer.text.split("\n") if line.startswith("- **")]
    assert len(entries) >= 3, answer.text
    assert all("hate" in line.lower() for line in entries), "no operation's other work"
    _check_citations(corpus_assistant, answer)


def test_which_operations_names_every_one_with_a_section_on_the_theme(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    from assistant.lexicon import unit_label

    chunks = corpus_assistant.catalog.chunks
    having = {
        unit_label(c.unit)
        for c in chunks
        if c.unit.startswith("4.") and c.theme == "Anti-Corruption"
    }
    assert len(having) >= 6, "six field operations report on anti-corruption"
    answer = corpus_assistant.answer("Which field operations worked on anti-corruption in 2019?")
    assert all(f"**{name}**" in answer.text for name in having), (having, answer.text)
    assert len(answer.citations) <= corpus_assistant.settings.max_citations
    _check_citations(corpus_assistant, answer)


def test_which_operations_did_something_with_a_named_body_lists_those_naming_it(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("Which field ops organised visits for police to Europol?")
    entries = [line for line in answer.text.split("\n") if line.startswith("- **")]
    assert entries and all("Europol" in line for line in entries), answer.text
    _check_citations(corpus_assistant, answer)


def test_a_comparison_quotes_each_operation_even_one_without_the_theme(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    # the Presence in Albania has no THB section; its passages must still be weighed
    answer = corpus_assistant.answer("Compare Albania and Moldova on THB: what did each do?")
    units = {c.section.split(" > ")[0] for c in answer.citations}
    assert {"4.1 Presence in Albania", "4.7 Mission to Moldova"} <= units, units
    assert "do not describe this" not in answer.text, answer.text
    _check_citations(corpus_assistant, answer)


def test_a_region_limits_a_cross_operation_answer_to_its_operations(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    central_asia = corpus_assistant.lexicon.regions["central asia"]
    assert len(central_asia) >= 4, corpus_assistant.lexicon.regions
    answer = corpus_assistant.answer(
        "Which field operations in Central Asia trained border guards?"
    )
    units = {c.section.split(" > ")[0] for c in answer.citations}
    assert len(units) >= 2 and units <= set(central_asia), units
    _check_citations(corpus_assistant, answer)


@pytest.mark.parametrize(
    ("question", "section"),
    [
        (
            "what did the Mission to Serbia do on police development and reform?",
            "4.5 Mission to Serbia > Police Development and Reform",
        ),
        (
            "what did the Mission in Kosovo do on public order and crisis management?",
            "4.3 Mission in Kosovo > Public Order and Crisis Management",
        ),
    ],
)
def test_what_an_operation_did_on_a_theme_comes_from_its_section_on_it(
    corpus_assistant, question, section
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(question)
    assert answer.citations[0].section == section, answer.text[:300]
    _check_citations(corpus_assistant, answer)


def test_an_operation_asked_about_two_themes_is_told_from_its_section_on_each(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "What did the Skopje mission do on gender mainstreaming and on public order?"
    )
    skopje = "4.6 Mission to Skopje > "
    sections = {c.section for c in answer.citations}
    assert sections == {
        skopje + "Gender Mainstreaming",
        skopje + "Public Order and Crisis Management",
    }
    assert answer.text.count("\n- **") == 1, "one entry per theme"
    _check_citations(corpus_assistant, answer)


def test_each_theme_of_an_operation_is_told_with_its_counts(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "What did the Moldova mission do on human rights, police accountability and hate crime?"
    )
    # the hate crime trainings' count stands in the sentence after their paragraph's opening
    assert "80 participants" in answer.text, answer.text
    assert "35 participants" in answer.text, answer.text
    _check_citations(corpus_assistant, answer)


def test_a_theme_missing_from_the_operations_chapter_is_said_beside_the_one_it_has(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "what did the Albania presence do on cybercrime and on hate crime?"
    )
    assert answer.text.startswith("The Presence in Albania chapter has no section on Hate Crime.")
    assert not answer.abstained
    assert {c.section for c in answer.citations} == {"4.1 Presence in Albania > Cybercrime"}
    _check_citations(corpus_assistant, answer)


def test_summary_lists_the_activities_of_the_section_asked_about(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "What did the Mission in Kosovo do with Local Public Safety Committees?"
    )
    section = "4.3 Mission in Kosovo > " + (
        "Community Policing, Police-Public Relations and Crime Prevention > "
        "Local Public Safety Committees"
    )
    assert answer.text.startswith(f"From {section}:")
    assert {c.section for c in answer.citations} == {section}
    assert answer.text.count("\n- ") >= 6, "one line per activity of the section"
    detailed = [line for line in answer.text.split("\n- ") if line.count("] ") >= 1]
    assert detailed, "the most relevant activities come with the sentence after their lead"
    _check_citations(corpus_assistant, answer)


def test_a_short_section_asked_about_is_told_in_full(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("What did the Mission to Montenegro do on cybercrime?")
    section = "4.4 Mission to Montenegro > Cybercrime"
    assert answer.text.startswith(f"From {section}:"), answer.text
    chunks = corpus_assistant.catalog.chunks_of_section(
        "osce-police-related-activities-2019", section
    )
    ids = {chunk.id for chunk in chunks if chunk.kind == "text"}
    sentences = [s for s in corpus_assistant.catalog.sentences if s.chunk_id in ids]
    assert 4 <= len(sentences) <= corpus_assistant.thresholds.summary_most
    cited = {c.quote for c in answer.citations if c.section == section}
    assert len(cited) == len(sentences), "every sentence of the section, none left out"
    _check_citations(corpus_assistant, answer)


def test_two_named_accounts_of_one_event_are_both_shown(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "How many officers attended the introductory ILP workshop in Dushanbe in November, "
        "according to TNTD/SPMU and to the Programme Office?"
    )
    entries = [line for line in answer.text.split("\n") if line.startswith("- **")]
    assert len(entries) == 2 and all("[" in line for line in entries), answer.text
    assert "30 officers" in answer.text
    _check_citations(corpus_assistant, answer)


def test_what_a_unit_did_in_a_place_is_answered_from_its_passages_naming_the_place(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("What did TNTD/SPMU do in Serbia?")
    assert not answer.abstained and answer.citations
    assert all("Strategic Police Matters" in c.section for c in answer.citations), answer.text
    lines = [line for line in answer.text.split("\n") if line.startswith("- ")]
    assert lines and all("Serbia" in line or "Belgrade" in line for line in lines), answer.text
    _check_citations(corpus_assistant, answer)


def test_a_yes_no_question_is_answered_from_passages_naming_its_place(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("Did ODIHR work with the police in Madrid?")
    assert not answer.abstained
    assert "Madrid" in answer.text, answer.text
    _check_citations(corpus_assistant, answer)


@pytest.mark.parametrize(
    ("question", "count"),
    [
        # the guidebook workshop's paragraph runs over two passages; its count is in the second
        (
            "How many people attended the Kosovo workshop to finalize the guidebook of the "
            "Digital Reporting programme?",
            "40 participants",
        ),
        # the count stands three sentences after the sentence naming the workshop
        (
            "How many recommendations did the Kosovo Mission's workshop reviewing the Cyber "
            "Security Strategy produce?",
            "19 recommendations",
        ),
    ],
)
def test_a_count_later_in_the_events_paragraph_is_found(corpus_assistant, question, count) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(question)
    assert not answer.abstained and count in answer.text, answer.text
    _check_citations(corpus_assistant, answer)


@pytest.mark.parametrize(
    ("question", "figure"),
    [
        # the passage counting the States ranks below the story's others on its theme words
        (
            "odihr police training on human rights in counter-terrorism - how many "
            "participating states did one of its programmes support?",
            "three participating States",
        ),
        # the count names the projects by the unit's department ("TNTD projects")
        ("How many TNTD projects did the Co-ordination Cell support through POLIS?", "14"),
        # "the number of the decision" is what it is numbered, not a count
        ("what's the number of the 2008 Helsinki decision on THB?", "5/08"),
        # "2020-2025" names the strategy (the report names it so), it is not a year asked
        (
            "The Kosovo THB strategy for 2020-2025 took up concerns from a GRETA report. "
            "When was that report published?",
            "12 April 2016",
        ),
    ],
)
def test_a_figure_asked_in_words_the_report_uses_otherwise_is_found(  # type: ignore[no-untyped-def]
    corpus_assistant, question, figure
) -> None:
    answer = corpus_assistant.answer(question)
    assert not answer.abstained and figure in answer.text, answer.text
    _check_citations(corpus_assistant, answer)


@pytest.mark.parametrize(
    ("question", "place"),
    [
        (
            "Who is the contact person for police matters at the Programme Office in Dushanbe?",
            "Dushanbe",
        ),
        # a row of a contact table that a blank line split from its header
        ("Who should I contact about police matters at the Skopje mission?", "Skopje"),
        # a unit without a place, named by its abbreviation (the glossary row spells it out
        # but answers nothing)
        ("Who's the contact person at TNTD/ATU for police related issues?", "TNTD/ATU"),
        # ... and by the last part of it, which the list writes "TNTD/BSMU"
        ("How do I reach BSMU's police contact by phone?", "BSMU"),
    ],
)
def test_a_contact_question_is_answered_from_the_contact_list_first(
    corpus_assistant, question, place
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(question)
    first = answer.citations[0]
    assert not answer.abstained
    assert first.section.startswith("Appendix") and place in first.quote, first
    assert "@osce.org" in answer.text.split("[1]")[0], "the row reads with its Email column"
    assert "[2]" not in answer.text or answer.text.index("[1]") < answer.text.index("[2]")
    _check_citations(corpus_assistant, answer)


@pytest.mark.parametrize(
    ("question", "named"),
    [
        ("What did the OSCE office in Yerevan do on police reform?", "the Office in Yerevan"),
        ("What police work did the OSCE office in Baku carry out?", "the Office in Baku"),
        ("Did the PCUz train police in Samarkand in 2019?", "Samarkand"),
        # after the reports' year they only state plans, which are not outcomes
        (
            "What did ODIHR's 2020 money in politics training with Transparency International achieve?",
            "plans",
        ),
        ("How much did the equipment the Dushanbe office donated in January cost?", "figure"),
        ("Who were the OSR/CTHB staff at the Ashgabat roundtable on assisting victims?", "staff"),
        (
            "When did the UN Human Rights Council adopt its resolution on environmental HRDs?",
            "date",
        ),
        ("Which participating States support ODIHR's Survivor Advisory Council?", "states"),
    ],
)
def test_a_refusal_names_what_the_reports_do_not_cover(corpus_assistant, question, named) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(question)
    assert answer.abstained and answer.text.startswith(REFUSAL)
    assert re.search(rf"\s{re.escape(named)}\b", answer.text), answer.text
    assert not re.search(rf"{re.escape(named)} [A-Z]", answer.text), "the name ends where it does"
    _check_citations(corpus_assistant, answer)


def test_a_named_operation_may_be_answered_from_an_overview_naming_it(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "What share of its police-related activities did the Project Co-ordinator in "
        "Uzbekistan dedicate to threats posed by criminal activity?"
    )
    assert "94" in answer.text and not answer.abstained, answer.text
    units = {c.section.split(" > ")[0] for c in answer.citations}
    assert units == {"4.13 Project Co-ordinator in Uzbekistan", "1 Executive Summary"}, units
    _check_citations(corpus_assistant, answer)


@pytest.mark.parametrize("word", ["ILP", "THB"])
def test_an_abbreviation_is_spelt_out_from_the_reports_glossary(corpus_assistant, word) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(f"What does {word} stand for?")
    expansion = corpus_assistant.lexicon.abbreviations[word.lower()]
    assert answer.text.lower() == f"{word} stands for {expansion} [1].".lower()
    assert answer.citations[0].section.startswith("Appendix")
    _check_citations(corpus_assistant, answer)


@pytest.mark.parametrize(
    "question",
    [
        "What did the OSCE Mission to Georgia do on cybercrime?",
        "skopje mission budget in 2017?",
        "how many election observers did odihr deploy in 2019?",
        "Did the Special Monitoring Mission to Ukraine train police in 2019?",
        "Did the Mission to Serbia train police in Paris?",
        "Who will take over from Thomas Greninger as OSCE Secretary General?",
        # the count is of officers from five countries together
        "How many of the police officers trained by ODIHR on policing Roma and Sinti "
        "communities came from Hungary?",
        # the record gives one department's staff, not the office's total
        "What was the total staff of the Project Co-ordinator in Uzbekistan in 2019?",
        # the record gives the whole office's staff: the police-related figure is N/A
        "How many of the Moldova mission's staff work on police-related activities?",
        # the budget lines tell what changed, not why
        "why did the Skopje mission's budget fall in 2019?",
        # the question's own figures, restated by the passages, are no split of them
        "How many of the Moldova mission's 52 staff members are women?",
        "Of the 80 teachers at the Montenegro P/C VERLT workshop in November, how many were "
        "from Bar?",
        # the strategy was drafted and finalised, never said adopted
        "When did Kosovo's government adopt its cyber security strategy for 2020-2025?",
        # Skopje is only the venue: the Mission's count of another workshop is not the answer
        "How many attended the TNTD/ATU workshop in Skopje on protecting critical infrastructure?",
        # the passages list ODIHR's bodies ("the OI and NPM") and a title's words, no States
        "Apart from Poland and Slovenia, which participating States have asked ODIHR to run "
        "its use-of-force monitoring training?",
    ],
)
def test_what_the_reports_do_not_say_is_refused(corpus_assistant, question: str) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(question)
    assert answer.abstained and answer.text.startswith(REFUSAL)
    _check_citations(corpus_assistant, answer)


def test_filters_narrow_retrieval(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("training on cybercrime", filters=Filters(units=("Serbia",)))
    assert answer.hits and all(h.chunk.unit == "4.5 Mission to Serbia" for h in answer.hits)
    with pytest.raises(FilterError, match="no operation/unit named"):
        corpus_assistant.answer("training", filters=Filters(units=("Atlantis",)))


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "empty"), ("   \t ", "empty"), ("x" * 100_000, "limit is"), ("\x00\x01", "no words")],
)
def test_unusable_questions_get_a_clear_error(corpus_assistant, question, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(QuestionError, match=message):
        corpus_assistant.answer(question)


def test_control_characters_and_other_languages_do_not_break_answers(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("what did\x07 the mission\x00 to serbia do on cybercrime?")
    assert answer.question == "what did the mission to serbia do on cybercrime?"
    other = corpus_assistant.answer("Что делала миссия в Сербии?")
    _check_citations(corpus_assistant, other)


def test_batch_item_replays_turns_and_has_exactly_the_promised_keys(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    item = BatchItem(
        id="c1",
        question="And in Serbia?",
        turns=["What did the Mission to Skopje do on gender mainstreaming?", "And in Serbia?"],
    )
    out = answer_item(corpus_assistant, item, Filters())
    assert set(out) == {"id", "answer", "abstained", "citations", "retrieved", "timings_ms"}
    assert out["citations"] and set(out["citations"][0]) == {
        "n",
        "document",
        "section",
        "quote",
        "lines",
    }
    assert len(out["retrieved"]) >= 10
    assert set(out["timings_ms"]) == {"total", "retrieve", "answer"}
    assert out["citations"][0]["section"].startswith("4.5 Mission to Serbia")


def test_operations_named_with_a_theme_are_each_answered_from_their_section_on_it(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "What did the missions in Skopje, Kosovo and Serbia do on human resources and police "
        "management?"
    )
    entries = {line.split("**")[1]: line for line in answer.text.splitlines() if "**" in line}
    assert set(entries) == {"Mission to Skopje", "Mission in Kosovo", "Mission to Serbia"}
    first = {
        c.section.split(" > ")[0]: c.section
        for c in sorted(answer.citations, key=lambda c: -c.n)  # each unit's first citation
    }
    for unit, section in first.items():
        assert "Human Resources" in section, f"{unit} leads with {section}"
    _check_citations(corpus_assistant, answer)


def test_which_operations_worked_with_a_partner_named_by_its_acronym(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "which OSCE structures worked with ICITAP in 2019, and on what?"
    )
    entries = [line for line in answer.text.splitlines() if line.startswith("- **")]
    assert len(entries) >= 4, answer.text
    assert any("Presence in Albania" in e for e in entries), "four of its passages name ICITAP"
    assert any("Action against Terrorism" in e for e in entries)
    cited = {c.n: c for c in answer.citations}
    for entry in entries:
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", entry)]
        quotes = " ".join(cited[n].quote for n in numbers)
        assert "ICITAP" in quotes or "Criminal Investigative Training" in quotes, entry
    _check_citations(corpus_assistant, answer)


def test_which_structures_worked_in_a_country_lists_more_than_its_own_operation(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "Which OSCE structures worked on illicit drugs in Montenegro in 2019?"
    )
    entries = [line for line in answer.text.splitlines() if line.startswith("- **")]
    own = "- **Mission to Montenegro**"
    assert any(e.startswith(own) for e in entries), answer.text
    others = [e for e in entries if not e.startswith(own)]
    assert others, "another structure's passages place its work in Montenegro"
    cited = {c.n: c for c in answer.citations}
    for entry in others:
        quotes = " ".join(cited[int(n)].quote for n in re.findall(r"\[(\d+)\]", entry))
        assert "Montenegr" in quotes or "Podgorica" in quotes, entry
    _check_citations(corpus_assistant, answer)


def test_a_count_asked_of_two_accounts_of_one_event_reaches_the_sentence_giving_it(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "10 may ILP workshop in tashkent: how many attended, per spmu vs per the PCUz?"
    )
    assert "attended by 25 senior level police officials" in answer.text
    assert "for 23 senior level representatives" in answer.text
    _check_citations(corpus_assistant, answer)


def test_a_comparison_is_answered_on_its_subject_not_on_the_names_compared(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "Mission to Serbia vs Mission to Montenegro - what did each do with schools (pupils, "
        "teachers, school police) in 2019?"
    )
    montenegro = next(line for line in answer.text.splitlines() if "Montenegro**" in line)
    assert "80 teachers from primary and secondary schools" in montenegro, montenegro
    assert montenegro.index("From 19 to 20 November") < montenegro.index("A focus was placed"), (
        "an operation's sentences read in the report's order"
    )
    _check_citations(corpus_assistant, answer)


def test_a_yes_no_question_naming_a_ministry_is_answered_from_its_abbreviation(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "Did the Serbia mission run any cybercrime training together with the Russian "
        "interior ministry?"
    )
    assert not answer.abstained, "the report writes the ministry as 'the Russian Federation's MoI'"
    assert any(
        c.section == "4.5 Mission to Serbia > Cybercrime" and "MoI in Moscow" in c.quote
        for c in answer.citations
    ), [c.quote for c in answer.citations]
    _check_citations(corpus_assistant, answer)


def test_how_many_took_part_in_an_earlier_turns_event_counts_whoever_attended(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    first = (
        "Did the Serbia mission run any cybercrime training together with the Russian "
        "interior ministry?"
    )
    answer = corpus_assistant.answer("how many Serbian officers took part?", [first])
    assert not answer.abstained, "the report counts them as 16 representatives of the MoI"
    assert "16 representatives" in answer.text
    _check_citations(corpus_assistant, answer)


def test_a_question_on_budget_and_staff_gives_both_records(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "What total budget and staff figures does the report give for the BiH mission in 2019?"
    )
    sections = {c.section for c in answer.citations}
    assert {
        "4.2 Mission to Bosnia and Herzegovina > BUDGET (UB)",
        "4.2 Mission to Bosnia and Herzegovina > STAFF",
    } <= sections, sections
    _check_citations(corpus_assistant, answer)


def test_a_share_of_a_theme_the_chart_does_not_split_out_is_refused(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "What percentage of the Centre in Ashgabat's 2019 police-related activities was "
        "devoted to border security and management?"
    )
    assert answer.abstained and answer.text.startswith(REFUSAL), (
        "the chart's 42% and 58% are neighbouring figures, never the answer"
    )


def test_an_event_counted_differently_in_two_chapters_is_given_with_both_figures(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "How many people attended the 3-4 April 2019 Podgorica seminar on cyber security and "
        "use of the Internet for terrorist purposes?"
    )
    assert "27 participants" in answer.text and "32 representatives" in answer.text, (
        "the Mission counts 27, TNTD/ATU's chapter 32: both figures, each with its source"
    )
    sections = {c.section for c in answer.citations}
    assert "4.4 Mission to Montenegro > Cybercrime" in sections
    assert "2.3 TNTD/Action against Terrorism Unit > Counter-Terrorism and P/C VERLT" in sections
    _check_citations(corpus_assistant, answer)


def test_an_english_word_is_not_read_as_a_corpus_word(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("Compare the Serbia and Montenegro missions on cybercrime")
    assert answer.notes == (), "no note reading 'Compare' as another word"
    _check_citations(corpus_assistant, answer)


def test_what_a_named_person_said_is_quoted_in_their_words(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "What did a representative of the Bulgarian hate crime coalition say about its data "
        "compared with official figures?"
    )
    assert not answer.abstained
    assert "Within only a few weeks" in answer.text, answer.text
    _check_citations(corpus_assistant, answer)


def test_two_stories_named_by_their_topics_are_each_told(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "Among ODIHR's stories, where did the police trainings on Roma and Sinti communities "
        "and on human rights in counter-terrorism take place?"
    )
    sections = {c.section for c in answer.citations}
    assert {
        "2.7 Training police in effective, human rights-compliant policing in Roma and Sinti "
        "communities",
        "2.8 Training law enforcement to integrate human rights protection into counter-terrorism "
        "activities",
    } <= sections, sections
    _check_citations(corpus_assistant, answer)


def test_a_country_is_followed_through_every_story_that_tells_of_it(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "In which of ODIHR's 2019 Part 2 impact stories does Poland feature, and in what role?"
    )
    sections = {c.section for c in answer.citations}
    stories = {
        "2.1 Raising awareness of the gender dynamics of trafficking in human beings",
        "2.3 Training human rights defenders on monitoring use of force in order to prevent torture",
        "2.7 Training police in effective, human rights-compliant policing in Roma and Sinti "
        "communities",
    }
    assert stories <= sections, f"every story naming Poland has its entry: {sections}"
    entries = [line for line in answer.text.splitlines() if line.startswith("- **")]
    assert all("Poland" in line for line in entries), "each entry tells where Poland is named"
    _check_citations(corpus_assistant, answer)


def test_a_body_followed_to_a_country_is_told_from_its_own_passages_there(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer("What did ODIHR do in Uzbekistan?")
    sections = {c.section for c in answer.citations}
    stories = {
        "2.1 Raising awareness of the gender dynamics of trafficking in human beings",
        "2.8 Training law enforcement to integrate human rights protection into counter-terrorism "
        "activities",
    }
    assert stories <= sections, f"every story telling of ODIHR in Uzbekistan: {sections}"
    assert not any(s.startswith(("4.13", "3.1", "1 ")) for s in sections), "not others' work there"
    _check_citations(corpus_assistant, answer)
    named = corpus_assistant.answer(
        "What did ODIHR do in or with Uzbekistan in 2019, per the Part 2 impact stories?"
    )
    told = " ".join(c.quote for c in named.citations if c.section.startswith("2.1 "))
    assert "Tashkent" in told, "each passage of a story naming the country, not only its first"


def test_which_operations_worked_on_a_theme_lists_more_than_eight(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "Which field operations worked on Police Development and Reform?"
    )
    entries = [line for line in answer.text.splitlines() if line.startswith("- **")]
    assert len(entries) > 8, (
        f"twelve field operations have a section on it; an answer listing {len(entries)} "
        "leaves some out for want of room"
    )
    units = {c.section.split(" > ")[0] for c in answer.citations}
    assert len(units) == len(entries), "each entry cites its own operation"
    leaning = re.compile(
        r"^(?:the (?:event|visit|training)|following the|on this occasion)\b", re.I
    )
    openings = [line.split(": ", 1)[1] for line in entries]
    assert not [o for o in openings if leaning.match(o)], "one sentence each: the one naming it"
    _check_citations(corpus_assistant, answer)


def test_what_an_operation_focused_on_is_told_from_its_chapters_introduction(
    corpus_assistant,
) -> None:  # type: ignore[no-untyped-def]
    answer = corpus_assistant.answer(
        "What did the Skopje mission focus on in its police-related work in 2019?"
    )
    assert answer.citations[0].section == "4.6 Mission to Skopje > Introduction", (
        "the chapter's opening says what the Mission focused on; one activity does not"
    )
    assert "transnational threats" in answer.text
    _check_citations(corpus_assistant, answer)
