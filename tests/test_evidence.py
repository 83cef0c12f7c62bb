"""Whether a sentence is evidence: its own figures, a count later in its paragraph, names."""

from __future__ import annotations

from dataclasses import replace

from helpers_passages import asking, candidates_of, passage

from assistant.evidence import Candidate
from index.types import Chunk


def test_a_how_many_question_is_not_answered_by_shares_or_section_numbers() -> None:
    from assistant.evidence import states_figure
    from assistant.query import Query

    query = asking(
        "how many activities did the Centre organise?",
        units=("4.9 Centre in Ashgabat",),
        wants_number=True,
        focus=("activity",),
    )
    section = "4.9 Centre in Ashgabat > Introduction"
    chart = passage("Activities of 4.9 Centre in Ashgabat. Reform 42%; Crime 58%.", section, 1)
    chart = Chunk(**{**chart.__dict__, "kind": "chart"})
    counted = passage("In total, 22 activities were organized by the Centre.", section, 5)
    named = passage("The Centre organized activities on reform.", section, 9)
    assert states_figure(candidates_of(counted)[0], query)
    assert not states_figure(candidates_of(chart)[0], query), "shares and '4.9' are not counts"
    assert not states_figure(candidates_of(named)[0], query)
    share = Query(**{**query.__dict__, "wants_share": True})
    assert states_figure(candidates_of(chart)[0], share)


def test_a_count_later_in_the_paragraph_supports_the_sentence_naming_the_event() -> None:
    from assistant.evidence import shares_rare, support

    query = asking(
        "how many recommendations came out of the review of the strategy?",
        units=("4.3 Mission in Kosovo",),
        wants_number=True,
        focus=("recommendation",),
        rare=frozenset({"review", "strategy"}),
    )
    chunk = passage(
        "The Mission organized a workshop to review the strategy. The event brought together "
        "28 representatives. As a result, 19 recommendations were made.\n"
        "From 19 to 22 February, the Mission reviewed the strategy again."
    )
    sentences = candidates_of(chunk)

    def paragraph_of(c: Candidate) -> list[Candidate]:
        return sentences[:3] if c in sentences[:3] else [c]

    shown = support(sentences[0], query, paragraph_of)
    assert [c.sentence.index for c in shown] == [0, 2], "the event and the sentence counting it"
    assert support(sentences[0], query, None) == [], "no paragraph, no count"
    assert support(sentences[3], query, paragraph_of) == []
    assert shares_rare(sentences[3], query, paragraph_of) == [], "a date range is not a count"


def test_people_a_sentence_names_are_the_participants_the_next_one_counts() -> None:
    from assistant.evidence import support

    query = asking(
        "how many staff from forensic centres did the mission train?",
        units=("4.3 Mission in Kosovo",),
        wants_number=True,
        focus=("staff",),
    )
    chunk = passage(
        "The Mission organized a course for staff from forensic centres. "
        "A psychologist provided 18 participants with insights.\n"
        "The Mission organized a course on forensics. It gathered 12 participants."
    )
    sentences = candidates_of(chunk)

    def paragraph_of(c: Candidate) -> list[Candidate]:
        return sentences[:2] if c in sentences[:2] else sentences[2:]

    shown = support(sentences[0], query, paragraph_of)
    assert [c.sentence.index for c in shown] == [0, 1], "the staff, then their count"
    assert support(sentences[2], query, paragraph_of) == [], "no staff named: not their count"


def test_a_who_answer_must_name_someone_the_question_does_not() -> None:
    from assistant.evidence import names_someone

    query = asking(
        "who succeeded Thomas Greninger as OSCE Secretary General?",
        asks_who=True,
    )
    caption = candidates_of(passage("Thomas Greninger OSCE Secretary General", first=1))[0]
    course = candidates_of(passage("The course was delivered by a UK expert.", first=5))[0]
    assert not names_someone(caption, query)
    assert names_someone(course, query)


def test_who_were_the_experts_wants_them_named_not_counted() -> None:
    from assistant.evidence import names_person
    from assistant.query import _asks_person

    assert _asks_person("who were the OSR/CTHB staff who facilitated the roundtable?") == "staff"
    assert _asks_person("who was the lead trainer at the course?") == "trainer"
    assert _asks_person("who organised the course?") == ""
    query = asking("who were the OSR/CTHB staff at the roundtable?", asks_person="staff")
    counted = passage("Facilitated by two senior staff members from the OSR/CTHB, it ran in July.")
    assert not names_person(candidates_of(counted)[0], query), "a count names no one"
    named = passage("Two OSR/CTHB staff members, Ms. Ann LEE and Mr. Bo RAN, facilitated it.")
    assert names_person(candidates_of(named)[0], query)
    experts = asking("who were the experts?", asks_person="expert")
    beside = passage("During the event, experts from Austria and Israel gave presentations.")
    assert names_person(candidates_of(beside)[0], experts), "experts named by their country"


def test_a_count_for_an_event_placed_somewhere_comes_from_a_paragraph_naming_the_place() -> None:
    from assistant.evidence import on_topic

    query = asking(
        "how many attended the ATU workshop in Skopje?",
        wants_number=True,
        focus=("people",),
        located=("skopje",),
    )
    there = candidates_of(passage("ATU held a workshop in Skopje. It gathered 40 officials."))
    elsewhere = candidates_of(passage("ATU held a seminar in Podgorica. It gathered 32 officials."))
    assert on_topic(there, there[1], query)
    assert not on_topic(elsewhere, elsewhere[1], query), "another event's count"


def test_another_chapter_tells_the_asked_event_in_either_spelling() -> None:
    from assistant.evidence import support

    query = asking(
        "how many people attended the seminar in Podgorica on the internet, and who organised it?",
        units=("4.4 Mission to Montenegro",),
        wants_number=True,
        focus=("people",),
        places=("Montenegro",),
        located=("podgorica",),
        rare=frozenset({"people", "internet", "podgorica", "organised"}),
    )
    atu = "2.3 TNTD/Action against Terrorism Unit > Counter-Terrorism"
    told = candidates_of(
        passage(
            "ATU organized a seminar on the Internet in Podgorica. It gathered 32 officials.", atu
        )
    )
    shown = support(told[0], query, lambda c: told)
    assert [c.sentence.index for c in shown] == [0, 1], "'organised' is 'organized'"


def test_a_states_own_operation_counts_an_event_there_without_naming_the_state() -> None:
    from assistant.evidence import on_topic

    office = "4.12 Programme Office in Nur-Sultan"
    query = asking(
        "how many took part in Kazakhstan's national exercise?",
        units=(office,),
        wants_number=True,
        focus=("people",),
        located=("kazakhstan",),
        at_home=True,
    )
    own = candidates_of(passage("The Office held an exercise in Karaganda. 50 took part.", office))
    other = candidates_of(passage("ATU held an exercise in Vienna. 40 took part.", "2.3 ATU"))
    assert on_topic(own, own[1], query), "the Nur-Sultan office works in Kazakhstan"
    assert not on_topic(other, other[1], query), "another chapter must name Kazakhstan"


def test_a_count_for_a_named_event_comes_from_a_paragraph_naming_it() -> None:
    from assistant.evidence import on_topic

    query = asking(
        "how many officers were trained in the course in Albacete?",
        wants_number=True,
        focus=("officer",),
        names=("albacete",),
        rare=frozenset({"albacete", "trained"}),
    )
    there = candidates_of(passage("ODIHR held a course in Albacete. It trained 30 officers."))
    elsewhere = candidates_of(passage("ODIHR held a course in Tashkent. It trained 15 officers."))
    assert on_topic(there, there[1], query)
    assert not on_topic(elsewhere, elsewhere[1], query), "another course's count"
    demonym = asking(
        "how many Montenegrin officers?", names=("montenegrin",), rare=frozenset({"montenegrin"})
    )
    named = candidates_of(passage("In Montenegro, 20 officers were trained."))
    assert on_topic(named, named[0], demonym), "Montenegrin names Montenegro"


def test_a_date_is_a_year_a_month_or_a_numeric_date() -> None:
    from assistant.evidence import dated

    def one(text: str) -> Candidate:
        return candidates_of(passage(text))[0]

    assert dated(one("The Council adopted it on 28 June."))
    assert dated(one("It signed the convention on 30/03/2020."))
    assert dated(one("In 2019, ODIHR trained 66 commanders."))
    assert not dated(one("The Council adopted a landmark resolution."))
    assert not dated(one("On Monday the Council met."))


def test_which_members_are_asked_for_by_name_not_by_number() -> None:
    from assistant.evidence import names_members
    from assistant.query import _asks_which

    assert _asks_which("which municipalities have no women officers?") == "municipality"
    assert _asks_which("which participating States back the council?") == "state"
    assert _asks_which("which field operations trained police?") == "", "asked per operation"
    assert _asks_which("in which years did it peak?") == ""
    query = asking("which participating States back the Council?", asks_which="state")

    def one(text: str) -> Candidate:
        return candidates_of(passage(text))[0]

    assert not names_members(one("It is backed by a number of participating States."), query)
    assert names_members(one("Experts came from Estonia and Sweden."), query)
    assert names_members(one("It is backed by the participating States Austria."), query)
    counted = asking("which municipalities have no women?", asks_which="municipality")
    assert not names_members(one("In July, three municipalities had no women."), counted)
    bodies = "It is one of the Mission's priorities, as no women are senior in the PD."
    assert not names_members(one(bodies), counted), "a body's abbreviation names no member"
    title = "It used the Guide on Monitoring Weapons and Restraints in Places of Detention."
    assert not names_members(one(title), query), "the words of one title are not a list"
    assert names_members(one("Experts from Hungary, Poland, Romania came."), query)
    assert not names_members(one("In total, 20 staff of the OI and NPM came."), query), (
        "States are not listed as abbreviations alone"
    )
    assert names_members(one("ODIHR visited Denmark and UK first."), query)
    institutions = asking("which institutions took part?", asks_which="institution")
    listed = "It was held for the KP, Tax Administration, ACA, and Special Prosecution Service."
    assert names_members(one(listed), institutions), "listed, a body's abbreviation names it"


def test_a_loose_count_for_an_operations_event_comes_from_a_paragraph_naming_its_place() -> None:
    from assistant.evidence import shares_rare
    from assistant.query import Query

    query = asking(
        "how many officials went on the PCUz's AML/CFT study trip to Poland?",
        units=("4.13 Project Co-ordinator in Uzbekistan",),
        wants_number=True,
        focus=("official",),
        names=("poland",),
        rare=frozenset({"poland", "aml", "cft"}),
    )
    elsewhere = candidates_of(passage("An AML/CFT team of three experts went to FATF meetings."))
    there = candidates_of(passage("An AML/CFT team of three experts went to Poland."))
    assert shares_rare(elsewhere[0], query) == [], "another trip's figure"
    assert shares_rare(there[0], query) == [there[0]]
    # asked of no operation, a country may be the setting the report never repeats
    alone = Query(**{**query.__dict__, "units": ()})
    assert shares_rare(elsewhere[0], alone) == [elsewhere[0]]


def test_a_funder_is_named_by_a_funding_phrase_not_by_a_donation() -> None:
    from assistant.evidence import funds

    def says(text: str) -> bool:
        return funds(candidates_of(passage(text))[0])

    assert says("In the framework of a project funded by Italy, the Mission trained PIK members.")
    assert says("It was part of the broader EU-funded project on democratization.")
    assert says("In co-operation with the EU funded project, the Mission met officials.")
    assert says("Donors included Norway.")
    assert says("Supported by the Italian and Slovak Embassies, the Mission held workshops.")
    assert not says("On 15 March, the Mission donated IT equipment to the MoI.")
    assert not says("The donation of 45 desktop computers will assist the Department.")
    assert not says("The project was funded in part.")


def test_an_appendix_row_speaks_for_a_unit_named_by_its_abbreviation() -> None:
    from assistant.evidence import overview_naming
    from assistant.query import Query

    row = passage(
        "TNTD/ATU\tMr. Manuel EISING (Adviser)\tManuel.Eising@osce.org",
        "Appendix 5 Contact Details > Thematic Units",
    )
    row = Chunk(**{**row.__dict__, "unit": "Appendix 5 Contact Details"})
    asked = asking(
        "who is the contact at TNTD/ATU?",
        units=("2.3 TNTD/Action against Terrorism Unit",),
        aliases=("tntd/atu", "atu"),
    )
    assert overview_naming(candidates_of(row)[0], asked)
    unnamed = Query(**{**asked.__dict__, "aliases": ()})
    assert not overview_naming(candidates_of(row)[0], unnamed)


def test_a_figure_of_another_year_must_be_a_figure_of_the_thing_asked() -> None:
    from assistant.evidence import supports

    query = asking(
        "what was the PCUz's split between the two activity categories in 2018?",
        units=("4.13 Project Co-ordinator in Uzbekistan",),
        wants_number=True,
        other_years=("2018",),
        rare=frozenset({"category", "2018"}),
    )
    staff = candidates_of(passage("STAFF 2018: Politico-Military Activities 4 Total."))[0]
    split = candidates_of(passage("In 2018, 60 per cent fell in the first category."))[0]
    assert not supports(staff, query), "a 2018 figure of something else"
    assert supports(split, query)
    trend = asking(
        "THB activities per year 2015-2019?",
        wants_number=True,
        other_years=("2015",),
        rare=frozenset({"thb", "2015-2019", "per"}),
    )
    row = candidates_of(passage("Trafficking in Human Beings\t66\t89\t145 (2015 to 2019)"))[0]
    assert supports(row, trend), "an abbreviation is met by its expansion, a year is no word"


def test_a_count_asked_of_a_quoted_figure_comes_from_the_paragraph_giving_it() -> None:
    from assistant.evidence import on_topic

    query = asking(
        "of the 318 actors in the 11 activities on 10 May, how many were women?",
        wants_number=True,
        focus=("women",),
    )
    there = candidates_of(passage("It held 11 activities for 318 actors. Some were judges."))
    elsewhere = candidates_of(passage("It held an event. All four speakers were women."))
    assert on_topic(there, there[1], query)
    assert not on_topic(elsewhere, elsewhere[1], query), "a count of other women"
    dated = asking("how many came to the 10 May workshop?", wants_number=True, focus=("people",))
    workshop = candidates_of(passage("On 10 May it held a workshop. It gathered 25 officers."))
    assert on_topic(workshop, workshop[1], dated), "a day of the month singles out no figure"


def test_a_sentence_restating_the_questions_own_figure_does_not_answer_it() -> None:
    from assistant.evidence import states_figure

    query = asking(
        "of the 80 teachers at the 19 November workshop, how many were from Bar?",
        wants_number=True,
        focus=("teacher",),
    )
    restated = candidates_of(passage("From 19 to 20 November, it trained 80 teachers in Bar."))
    split = candidates_of(passage("It trained 80 teachers, of whom 35 teachers were from Bar."))
    assert not states_figure(restated[0], query), "the question's own 80 is not the answer"
    assert states_figure(split[0], query)
    named = asking("of the ISO 17025 course's trainees, how many were women?", focus=("women",))
    women = candidates_of(passage("The ISO 17025 course trained 12 women."))
    assert states_figure(women[0], replace(named, wants_number=True)), "17025 names, not counts"


def test_a_count_asked_for_one_place_is_not_a_count_of_a_list_or_of_elsewhere() -> None:
    from assistant.evidence import states_figure, support

    query = asking(
        "how many of the officers it trained came from Hungary?",
        wants_number=True,
        focus=("officer",),
    )
    listed = candidates_of(passage("It trained 250 officers in Hungary, Poland and Romania."))
    alone = candidates_of(passage("It trained 25 officers in Hungary."))
    elsewhere = candidates_of(passage("It trained 16 officers in Kyiv."))
    assert not states_figure(listed[0], query), "the 250 are the three countries' officers"
    assert states_figure(alone[0], query)
    assert support(alone[0], query, None)
    assert not support(elsewhere[0], query, None), "Kyiv's officers are not from Hungary"
    owner = asking(
        "how many officials from North Macedonia's Financial Police Office went to Rome?",
        wants_number=True,
        focus=("official",),
    )
    rome = candidates_of(passage("The Mission supported a visit of three FPO officials to Rome."))
    assert support(rome[0], owner, None), "a body's owner is no place its people came from"


def test_a_named_body_is_a_name_the_question_lacks_not_a_form_of_one_it_has() -> None:
    from assistant.evidence import names_person

    query = asking("what's the name of the central asian NGO?", asks_person="ngo")
    unnamed = passage("An NGO in Central Asia adopted password management.")
    assert not names_person(candidates_of(unnamed)[0], query), "Asia is in 'asian'"
    named = passage("The NGO Legal Prosperity in Tajikistan adopted password management.")
    assert names_person(candidates_of(named)[0], query)


def test_a_count_for_an_event_the_question_names_in_capitals_comes_from_a_passage_naming_it() -> (
    None
):
    from assistant.evidence import on_topic

    query = asking(
        "How many people attended the Future of Travel conference in Vienna?",
        wants_number=True,
        focus=("people",),
        rare=frozenset({"travel"}),
    )
    there = candidates_of(passage("It held the Future of Travel conference. 80 came."))
    elsewhere = candidates_of(passage("It held a border meeting in Bratislava. 109 came."))
    assert on_topic(there, there[1], query)
    assert not on_topic(elsewhere, elsewhere[1], query), "another meeting's count"


def test_a_count_for_an_event_dated_by_the_question_comes_from_a_paragraph_of_that_month() -> None:
    from assistant.evidence import on_topic

    query = asking(
        "how many attended the roundtable on 12 december?",
        wants_number=True,
        focus=("people",),
        months=("december",),
    )
    there = candidates_of(passage("On 12 December it held a roundtable. 40 people came."))
    elsewhere = candidates_of(passage("In June it held a training. 70 people came."))
    assert on_topic(there, there[1], query)
    assert not on_topic(elsewhere, elsewhere[1], query), "another month's event"
