"""Reading counts in report sentences."""

from __future__ import annotations

from helpers_passages import asking

from assistant.figures import count_near, loose_figure, without_dates
from assistant.query import Query

# "how many people ...": any count other than a date answers it
PEOPLE = Query(text="how many people came?", expanded="", wants_number=True, focus=("people",))


def has_count(text: str) -> bool:
    return loose_figure(PEOPLE, text)


def test_a_count_belongs_to_the_noun_it_stands_before() -> None:
    assert count_near("trained 65 police investigators", "investigator")
    assert count_near("72 per cent of detected victims are women", "victim")
    assert count_near("cases: 120 in all", "case")
    assert not count_near(
        "nominated seven prosecutors as co-ordinators in domestic violence cases", "case"
    )
    listed = "trained 93 North Macedonian, Serbian and Mongolian border officials"
    assert count_near(listed, "official"), "a list of names before the noun's own modifiers"
    assert not count_near("for 12 police officers and border units", "unit")


def test_dates_are_not_counts() -> None:
    assert without_dates("On 13 and 14 June, 65 officers") == "On  , 65 officers"
    assert has_count("On 3 May, 20 judges met")
    assert not has_count("On 3 May in 2019, the judges met")


def test_date_ranges_are_not_counts() -> None:
    assert not has_count("From 19 to 22 February, the Mission supported the association")
    assert not has_count("From 30 June to 2 July, the Centre met the judges")
    assert has_count("From 5-7 March, 12 officers trained")


def test_a_count_of_people_may_name_them_as_citizens_or_participants() -> None:
    from assistant.figures import gives_figure
    from assistant.query import Query

    query = Query(text="how many people did the campaign reach?", expanded="", focus=("people",))
    query = Query(**{**query.__dict__, "wants_number": True})
    reached = "The campaign reached out to over 5.1 million citizens."
    assert gives_figure(query, reached, reached, "2.2 TNTD", whole_line=False)
    participants = Query(**{**query.__dict__, "focus": ("participant",)})
    gathered = "The event gathered 73 representatives from 17 participating States."
    assert gives_figure(participants, gathered, gathered, "4.12 Office", whole_line=False)
    officers = Query(**{**query.__dict__, "focus": ("officer",)})
    assert not gives_figure(officers, gathered, gathered, "4.12 Office", whole_line=False)
    other = "The campaign ran in 5 regions for its citizens."
    assert not gives_figure(query, other, other, "2.2 TNTD", whole_line=False)


def test_a_loose_figure_is_of_the_kind_asked() -> None:
    from assistant.figures import loose_figure
    from assistant.query import Query

    def asking(focus: str, share: bool = False) -> Query:
        return Query(text="", expanded="", wants_number=True, focus=(focus,), wants_share=share)

    assert loose_figure(asking("weapon"), "The police collected 1,259 pieces of SALW.")
    assert not loose_figure(asking("case"), "It was attended by 30 participants (11 women).")
    assert loose_figure(asking("people"), "It was attended by 30 participants.")
    assert not loose_figure(asking("money"), "Forty per cent of the MPs are women.")
    assert not loose_figure(asking("case"), "Forty per cent of the MPs are women.")
    assert loose_figure(asking("money"), "The project cost EUR 250,000.")
    assert loose_figure(asking("activity", share=True), "Forty per cent of its activities")


def test_an_amount_answers_a_cost_question_only_when_it_names_what_the_money_went_on() -> None:
    from assistant.figures import gives_figure
    from assistant.query import _focus

    text = "how much did the equipment donated by the Mission cost?"
    assert _focus(text) == ("cost",)
    assert _focus("what was the value of the forensic equipment?") == ("cost",)
    query = Query(
        text=text,
        expanded=text,
        wants_number=True,
        focus=_focus(text),
        units=("4.5 Mission to Serbia",),
        telling=frozenset({"equipment", "donated", "cost"}),
    )
    budget = "BUDGET (UB) of 4.5 Mission to Serbia. 2019: Total 6,258,600 EUR."
    assert not gives_figure(query, budget, budget, "4.5 Mission to Serbia", whole_line=True)
    bought = "The Mission donated equipment worth EUR 45,000 to the MoI."
    assert gives_figure(query, bought, bought, "4.5 Mission to Serbia", whole_line=False)
    uncounted = "The Mission donated equipment to the MoI."
    assert not gives_figure(query, uncounted, uncounted, "4.5 Mission to Serbia", whole_line=False)


def test_money_spent_or_paid_is_asked_as_an_amount_not_a_head_count() -> None:
    from assistant.figures import gives_figure
    from assistant.query import _focus

    text = "how much did the Mission spend on the course for 24 officers?"
    assert _focus(text) == ("cost",)
    assert _focus("how much was paid for the training?") == ("cost",)
    query = Query(
        text=text,
        expanded=text,
        wants_number=True,
        focus=_focus(text),
        telling=frozenset({"course", "officer", "spend"}),
    )
    trained = "The Mission organized a course for 24 communication officers."
    assert not gives_figure(query, trained, trained, "4.3 Mission in Kosovo", whole_line=False)


def test_a_share_is_of_the_very_thing_asked_about() -> None:
    from assistant.figures import gives_figure

    query = Query(
        text="what percentage of participants rated it useful?",
        expanded="",
        wants_number=True,
        wants_share=True,
        focus=("participant",),
    )
    women = "Forty per cent of parliamentarians are women."
    rated = "Some 85 per cent of participants rated the course as useful."
    assert not gives_figure(query, women, women, "2.2 Unit", whole_line=False), "not of them"
    assert gives_figure(query, rated, rated, "2.2 Unit", whole_line=False)
    assert not loose_figure(query, women)
    assert loose_figure(query, rated)


def test_a_share_written_in_words_is_a_share() -> None:
    from assistant.figures import gives_figure

    query = asking(
        "what proportion of victims are identified?",
        wants_number=True,
        wants_share=True,
        focus=("victim",),
    )
    few = "Less than one per cent of victims of trafficking are identified worldwide."
    assert gives_figure(query, few, few, "2.1 Story", whole_line=False)


def test_a_modifier_naming_the_asked_unit_still_qualifies_its_count() -> None:
    from assistant.figures import gives_figure

    cell = "2.1 TNTD/Co-ordination Cell"
    query = asking(
        "How many TNTD projects did the Co-ordination Cell support?",
        wants_number=True,
        focus=("transnational", "threat", "department", "tntd", "project"),
        units=(cell,),
    )
    said = "In total, TNTD/CC supported 14 different TNTD projects and initiatives."
    # "TNTD" is in the unit's name, but it is no place: it says which projects are counted
    assert gives_figure(query, said, f"{said} {cell} > POLIS", cell, whole_line=False)


def test_a_staff_record_gives_the_whole_or_a_part_only_when_it_has_it() -> None:
    from assistant.figures import gives_figure

    def asked(text: str) -> Query:
        return asking(text, wants_number=True, focus=("staff",))

    part = "STAFF of 4.13 PCUz. 2019: Politico-Military Activities 5 Total, 5 Local."
    whole = "STAFF of 4.7 Mission. 2019: Total 52 Total, 39 Local. 2018: Total 52 Total, 39 Local."
    total = asked("how many staff did it have in total?")
    police = asked("how many of its staff work on police-related activities?")
    plain = asked("how many staff does it have?")
    assert not gives_figure(total, part, part, "4.13 PCUz", whole_line=True), "a department's"
    assert gives_figure(total, whole, whole, "4.7 Mission", whole_line=True)
    assert not gives_figure(police, whole, whole, "4.7 Mission", whole_line=True), "the office's"
    assert gives_figure(police, part, part, "4.13 PCUz", whole_line=True)
    assert gives_figure(plain, whole, whole, "4.7 Mission", whole_line=True)


def test_a_place_word_does_not_make_a_chart_of_the_place_a_figure_of_what_is_asked() -> None:
    from assistant.figures import gives_figure

    serbia = "4.5 Mission to Serbia"
    query = Query(
        text="what share of Serbians trust the police?",
        expanded="",
        wants_number=True,
        wants_share=True,
        focus=("serbian", "trust", "police"),
        units=(serbia,),
        places=("Serbia",),
    )
    chart = "Mission to Serbia – Police-Related Activities in 2019: General Police 74%"
    trusted = "Survey 2019: Serbian citizens who trust the police 61%"
    assert not gives_figure(query, chart, chart, serbia, whole_line=True), "no trust in it"
    assert gives_figure(query, trusted, trusted, serbia, whole_line=True)
    police = Query(
        text="what share of Serbian police work went to reform?",
        expanded="",
        wants_number=True,
        wants_share=True,
        focus=("serbian", "police"),
        units=(serbia,),
        places=("Serbia",),
    )
    assert gives_figure(police, chart, chart, serbia, whole_line=True), "the place alone counts"


def test_a_head_count_counts_people_and_overall_is_no_one_delegation() -> None:
    assert has_count("It trained six national focal points on border management.")
    assert not has_count("It supports the implementation of UNSCR 2396 on FTFs."), "no people"
    overall = Query(
        text="how many people attended the conference overall?",
        expanded="",
        wants_number=True,
        focus=("people",),
    )
    sent = "The Office supported the participation of two representatives at the conference."
    assert has_count(sent) and not loose_figure(overall, sent), "one delegation, not all"
    assert loose_figure(overall, "The conference brought together 150 participants.")


def test_a_head_count_is_a_count_of_the_people_not_of_their_courses() -> None:
    assert not has_count("It organized five training courses for judges and prosecutors.")
    assert has_count("The meeting involved some 50 national and international stakeholders.")


def test_a_name_the_passage_writes_by_its_initials_is_still_named() -> None:
    from assistant.figures import abbreviated, gives_figure

    asked = "how many Women Police Association reps were trained?"
    assert abbreviated(asked, "It trained five WPA representatives.") == {
        "women",
        "police",
        "association",
    }
    assert abbreviated(asked, "It trained five representatives.") == set()
    query = Query(
        text=asked,
        expanded=asked,
        wants_number=True,
        focus=("police", "association", "representative"),
    )
    said = "The course introduced five WPA representatives to project drafting."
    assert gives_figure(query, said, said, "4.4 Mission to Montenegro", whole_line=False)


def test_a_head_count_may_count_respondents_but_never_an_amount_of_money() -> None:
    assert has_count("With a sample size of 500 adult respondents from three regions.")
    budget = "2019: Total 2,152,100 EUR; Police-Related Activities (61% of the Programme)"
    assert not has_count(budget), "an amount before 'Police-Related' counts no police"


def test_a_count_of_the_places_people_came_from_is_no_head_count() -> None:
    sent = "The conference gathered anti-trafficking practitioners from 12 BSEC Member States."
    assert not has_count(sent), "twelve States, not twelve members"
    assert not count_near(sent, "practitioner")
    assert has_count("The conference gathered 40 practitioners from 12 BSEC Member States.")
    assert count_near("Participants: 30, of whom 12 women.", "participant")


def test_a_question_asking_for_budget_and_staff_is_answered_by_either_record() -> None:
    from assistant.figures import gives_figure
    from assistant.lexicon import Lexicon
    from assistant.query import understand

    unit = "4.2 Mission to Bosnia and Herzegovina"
    lex = Lexicon(units=[unit], places={unit: "Bosnia and Herzegovina"})
    both = understand("What budget and staff did the Mission to Bosnia and Herzegovina have?", lex)
    assert both.focus == ("budget",) and both.also_counted == ("staff",)
    staff = f"STAFF of {unit}. 2019: Total Office 315,5 Total, 281,5 Local, 34 International."
    budget = f"BUDGET (UB) of {unit}. 2019: Total 11,682,000 EUR."
    assert gives_figure(both, budget, budget, unit, whole_line=True)
    assert gives_figure(both, staff, staff, unit, whole_line=True), "the second record asked"
    alone = understand("What budget did the Mission to Bosnia and Herzegovina have?", lex)
    assert not gives_figure(alone, staff, staff, unit, whole_line=True), "staff is no budget"


def test_a_share_asked_of_a_theme_is_not_given_by_a_chart_of_other_categories() -> None:
    from assistant.figures import gives_figure

    unit = "4.9 Centre in Ashgabat"
    chart = (
        "Centre in Ashgabat – Police-Related Activities in 2019 ACTIVITIES ON: "
        "General Police Development and Reform 42% Threats posed by Criminal Activity 58%"
    )

    def share(text: str, **fields: object) -> Query:
        return Query(
            text=text,
            expanded="",
            wants_number=True,
            wants_share=True,
            focus=("activity",),
            units=(unit,),
            **fields,  # type: ignore[arg-type]
        )

    asked = share(
        "What share of the Centre's activities went to border security?",
        themes=("Border Security and Management / Customs",),
    )
    assert not gives_figure(asked, chart, chart, unit, whole_line=True), (
        "42% and 58% are shares of two other categories, not of border security"
    )
    border = "ACTIVITIES ON: Border Security and Management 30% Other 70%"
    assert gives_figure(asked, border, border, unit, whole_line=True)
    category = share(
        "What share of the Centre's activities went to general police development?",
        categories=("general police development and reform",),
    )
    assert gives_figure(category, chart, chart, unit, whole_line=True)
