"""Reading a question without a corpus: months, yes/no form, abbreviations asked about."""

from __future__ import annotations

from assistant.lexicon import Lexicon, content_tokens
from assistant.query import _full_months, understand


def test_month_abbreviations_are_spelt_out_as_the_reports_date_events() -> None:
    assert (
        _full_months("the 26 nov workshop, and Sept. 3")
        == "the 26 november workshop, and september 3"
    )
    assert _full_months("a decent mars janitor") == "a decent mars janitor"


def test_a_question_keeps_its_months_its_yes_no_form_and_the_abbreviation_it_asks_about() -> None:
    lex = Lexicon(abbreviations={"ilp": "intelligence-led policing"})
    dated = understand("Did the Mission donate desks in feb and in March?", lex)
    assert dated.yes_no and dated.months == ("february", "march")
    assert not understand("What did the Mission donate?", lex).yes_no
    assert understand("what does ILP stand for?", lex).defines == (
        "ILP",
        "intelligence-led policing",
    )
    assert understand("what does XYZ stand for?", lex).defines == ()


def test_the_counted_noun_of_a_hyphenated_phrase_is_its_last_word() -> None:
    from assistant.query import _focus

    assert _focus("how many police-related activities did the Centre organise") == (
        "police",
        "related",
        "activity",
    )
    assert _focus("how many students attended the course") == ("student",)
    assert _focus("where was it and how many took part?") == ("people",), "a head count"
    assert _focus("where did the office send MoI staff, and how many went?") == ("people",)
    # a role that only says who attended is counted as the report counts them
    assert _focus("how many Serbian officers took part?") == ("serbian", "people")
    assert _focus("how many women took part?") == ("women",), "women single out whom to count"
    assert _focus("how many officers did the mission train?") == ("officer",)


def test_names_are_the_reports_capitalised_words_and_capitalised_words_they_never_use() -> None:
    from assistant.query import _names, _title

    lex = Lexicon(proper={"belarusian", "madrid"}, vocabulary={"police", "train", "belarusian"})
    assert _names("Did ODIHR train belarusian police in Samarkand?", lex) == (
        "belarusian",
        "samarkand",
    )
    assert _names("Police in Madrid?", lex) == ("madrid",), "an opening capital is no name"
    themed = Lexicon(vocabulary={"illicit", "drug", "chemical", "precursor"})
    asked = "Which offices worked on Illicit Drugs and Chemical Precursors?"
    assert _names(asked, themed) == (), "a plural of words the reports use is no name"
    assert _title("office in yerevan") == "Office in Yerevan"
    assert _title("special monitoring mission") == "Special Monitoring Mission"


def test_a_trend_question_asks_for_figures() -> None:
    lex = Lexicon()
    assert understand("THB activities per year?", lex).wants_number
    assert understand("in which year did gender activities peak?", lex).wants_number
    assert not understand("what did the Mission do on THB?", lex).wants_number


def test_an_abbreviation_question_asks_for_the_name_not_about_its_theme() -> None:
    lex = Lexicon(
        abbreviations={"pahct": "prosecutors and hate crime training"},
        themes=["Hate Crime"],
        theme_tokens={"Hate Crime": {"hate", "crime"}},
    )
    assert understand("what does PAHCT stand for?", lex).themes == ()
    assert understand("what did ODIHR do on hate crime?", lex).themes == ("Hate Crime",)


def test_every_theme_named_outright_is_asked_about_however_close_another_is() -> None:
    themes = {
        "Gender Mainstreaming": {"gender", "mainstreaming"},
        "Public Order and Crisis Management": {"public", "order", "crisis", "management"},
        "Gender-Based Violence": {"gender-based", "gender", "based", "violence"},
        "Gender-based Violence": {"gender-based", "gender", "based", "violence"},
    }
    lex = Lexicon(themes=list(themes), theme_tokens=themes)
    both = understand("what did the mission do on gender mainstreaming and on public order?", lex)
    assert both.themes_named == ("Gender Mainstreaming", "Public Order and Crisis Management")
    one = understand("what did the mission do on gender mainstreaming?", lex)
    assert one.themes_named == ("Gender Mainstreaming",), "a shared word names no other theme"
    spelt = understand("what did it do on gender-based violence?", lex)
    assert len(spelt.themes_named) == 1, "one theme however the reports capitalise it"
    rights = {
        "Human Rights and Police Accountability": {"human", "rights", "police", "accountability"}
    }
    body = Lexicon(
        abbreviations={"odihr": "office for democratic institutions and human rights"},
        themes=[*themes, *rights],
        theme_tokens={**themes, **rights},
    )
    asked = understand("what did ODIHR do on public order?", body)
    assert asked.themes_named == ("Public Order and Crisis Management",), (
        "a body's name is no theme"
    )


def test_a_question_about_what_happened_after_the_reports_year_is_marked() -> None:
    from assistant.query import _after_report

    assert _after_report("what did the 2020 training achieve?", ("2020",), "2019")
    assert not _after_report("what is planned for 2020?", ("2020",), "2019"), "plans are asked"
    assert not _after_report("what will it do in 2020?", ("2020",), "2019")
    assert not _after_report("what did the mission do in 2018?", ("2018",), "2019")


def test_an_operation_named_only_as_a_venue_is_not_asked_about() -> None:
    from assistant.query import _venues

    skopje, atu, albania = "4.6 Mission to Skopje", "2.3 TNTD/ATU", "4.1 Presence in Albania"
    lex = Lexicon(places={skopje: "Skopje", albania: "Albania"})
    both = (atu, skopje)
    assert _venues("how many attended the ATU workshop in Skopje?", lex, both) == (skopje,)
    assert _venues("what did ATU and the Skopje mission do?", lex, both) == ()
    assert _venues("ATU workshop in skopje vs the mission's figure", lex, both) == (), "compared"
    listed = (skopje, albania)
    assert _venues("what happened in albania and skopje?", lex, listed) == ()
    assert _venues("what did the presence in albania do in skopje?", lex, listed) == (skopje,)
    pcuz = "4.13 Project Co-ordinator in Uzbekistan"
    lex = Lexicon(places={pcuz: "Uzbekistan"}, proper={"odihr", "uzbekistan"})
    partner = "what did odihr do with uzbekistan on trafficking?"
    assert _venues(partner, lex, (pcuz,)) == (pcuz,), "ODIHR is asked, Uzbekistan its partner"
    assert _venues("what did the pcuz do with uzbekistan's police?", lex, (pcuz,)) == ()
    published = "what did odihr publish on uzbekistan's counter-terrorism laws?"
    assert _venues(published, lex, (pcuz,)) == (pcuz,), "ODIHR's work on Uzbekistan's laws"
    assert _venues("what did uzbekistan's co-ordinator do?", lex, (pcuz,)) == ()
    lex = Lexicon(places={skopje: "Skopje", albania: "Albania"})
    told = "how many came to the ATU workshop in Skopje, according to ATU and the Mission?"
    assert _venues(told, lex, both) == (), "the Mission is asked by its kind"


def test_an_institution_named_by_its_acronym_among_compared_operations_is_one_of_them() -> None:
    bih, kosovo = "4.2 Mission to Bosnia and Herzegovina", "4.3 Mission in Kosovo"
    odihr = "Appendix 1 ODIHR Annual Report on Police-Related Activities for 2019"
    lex = Lexicon(
        abbreviations={"odihr": "office for democratic institutions and human rights"},
        places={bih: "Bosnia and Herzegovina", kosovo: "Kosovo", odihr: ""},
        unit_keys={bih: {"bosnia", "herzegovina"}, kosovo: {"kosovo"}, odihr: {"odihr", "annual"}},
    )
    listed = understand("hate crime training by ODIHR, the Kosovo and Bosnia missions", lex)
    assert listed.units == (bih, kosovo, odihr)
    assert understand("Compare ODIHR and the Kosovo mission", lex).units == (kosovo, odihr)
    assert understand("what did ODIHR do on hate crime?", lex).units == (), "its report too"
    assert understand("what did the Kosovo mission do with ODIHR?", lex).units == (kosovo,)


def test_a_question_naming_a_report_is_kept_to_it() -> None:
    from assistant.query import _named_documents

    documents = ["odihr-annual-report-2019-part-2", "osce-police-related-activities-2019"]
    odihr = "According to part 2 of ODIHR's annual report, what did ODIHR do for Bulgaria?"
    assert _named_documents(odihr, documents) == ("odihr-annual-report-2019-part-2",)
    police = "what does the OSCE police-related activities report say on Skopje?"
    assert _named_documents(police, documents) == ("osce-police-related-activities-2019",)
    assert _named_documents("what did ODIHR do for Bulgaria?", documents) == (), "no report named"
    assert _named_documents("which report covers 2019?", documents) == ()


def test_a_question_asking_where_an_event_was_asks_for_places() -> None:
    lex = Lexicon()
    assert understand("in which countries did ODIHR give the courses?", lex).asks_place
    assert understand("where was the workshop held?", lex).asks_place
    assert understand("which participating States took part?", lex).asks_place
    assert understand("where were the survey results launched?", lex).asks_place
    assert not understand("where will the coalition's data be published?", lex).asks_place
    assert understand("where is it supposed to continue in 2020?", lex).asks_place
    assert not understand("what did ODIHR do on hate crime?", lex).asks_place


def test_field_ops_in_any_wording_ask_across_operations() -> None:
    lex = Lexicon()
    assert understand("which OSCE field ops organised visits to Europol?", lex).spread
    assert understand("did all field ops report on THB?", lex).spread
    assert not understand("what did the ops centre do?", lex).spread


def test_an_abbreviated_modifier_of_a_count_is_spelt_out() -> None:
    lex = Lexicon(abbreviations={"thb": "Trafficking in Human Beings"})
    query = understand("how many THB indicators does the compendium list?", lex)
    assert query.focus[-1] == "indicator"
    assert {"trafficking", "human", "thb"} <= set(query.focus[:-1]), "either way of writing it"


def test_themes_compare_with_and_for_ampersand() -> None:
    from assistant.retrieve import theme_key

    assert theme_key("Trafficking in Human Beings & Migration-related Crime") == theme_key(
        "Trafficking in Human Beings and Migration-related Crime"
    )
    assert theme_key("Specialized Investigation Units / Forensics") == theme_key(
        "Specialized Investigations Units/Forensics"
    ), "one chapter's heading in the singular is the same theme"


def test_a_theme_named_like_a_unit_does_not_name_the_unit() -> None:
    from assistant.query import _SPREAD, _theme_named

    bsmu = "2.4 TNTD/Border Security and Management Unit"
    lex = Lexicon(unit_keys={bsmu: {"border", "security", "management"}}, aliases={"bsmu": bsmu})
    theme = ("Border Security and Management / Customs",)
    assert _theme_named((bsmu,), theme, "border security and management activities", lex) == ()
    assert _theme_named((bsmu,), theme, "what did the BSMU do on border security", lex) == (bsmu,)
    assert _theme_named((bsmu,), theme, "the border security and management unit", lex) == (bsmu,)
    assert not _SPREAD.search("customs activities across the OSCE, per year")
    assert _SPREAD.search("trained police across field operations")


def test_a_misspelling_equally_close_to_two_words_is_corrected_the_same_way_every_run() -> None:
    from assistant.query import _corrections

    vocabulary = {"banking", "hacking", "police"}
    # "backing" is as close to "banking" as to "hacking": the fixed order decides, not a set's
    assert _corrections("who is backing it?", Lexicon(vocabulary=vocabulary)) == {
        "backing": "banking"
    }
    ordered = Lexicon(vocabulary=vocabulary, spellings=("hacking", "banking", "police"))
    assert _corrections("who is backing it?", ordered) == {"backing": "hacking"}


def test_an_adverb_ends_the_noun_phrase_a_figure_is_asked_of() -> None:
    lex = Lexicon()
    asked = understand("what proportion of trafficking victims actually get identified?", lex)
    assert asked.focus == ("trafficking", "victim")


def test_an_english_word_the_corpus_lacks_is_not_corrected() -> None:
    from assistant.query import _corrections

    lex = Lexicon(vocabulary={"promotion", "violence"}, words=frozenset({"proportion"}))
    assert _corrections("what proportion of cases involved violance?", lex) == {
        "violance": "violence"
    }, "a misspelling is still corrected; an English word is not made another word"


def test_an_inflection_of_a_known_word_is_not_corrected() -> None:
    from assistant.query import _corrections

    lex = Lexicon(vocabulary={"rate", "train", "banking"})
    # "rated" ends the noun phrase of "what percentage of participants rated ...": kept as is
    assert _corrections("what percentage of participants rated it?", lex) == {}
    assert _corrections("who trains them?", lex) == {}
    assert _corrections("who is bankinq it?", lex) == {"bankinq": "banking"}
    asked = understand("what percentage of participants rated the training useful?", lex)
    assert asked.focus == ("participant",) and asked.wants_share


def test_plural_figure_words_and_charts_ask_for_figures() -> None:
    lex = Lexicon()
    assert understand("give me the percentages from its chart", lex).wants_number
    assert understand("what were the budgets of the two missions?", lex).wants_number
    assert not understand("what did the mission do on policing?", lex).wants_number


def test_staff_asked_for_two_years_or_by_its_numbers_asks_for_the_staff_table() -> None:
    lex = Lexicon()
    assert understand("staff of the centre's CPCSB department in 2019 vs 2018?", lex).wants_number
    assert understand("the office's staff numbers 2019 vs 2018?", lex).wants_number
    assert not understand("Did the mission train staff of the ministry in 2019?", lex).wants_number


def test_which_members_may_be_asked_after_a_leading_clause() -> None:
    lex = Lexicon()
    asked = understand("Apart from Poland, which participating States asked for it?", lex)
    assert asked.asks_which == "state"
    assert understand("which municipalities joined?", lex).asks_which == "municipality"
    assert understand("in 2019, what did the mission do?", lex).asks_which == ""


def test_a_count_question_says_what_did_the_thing_counted() -> None:
    from assistant.query import _doer

    kosovo = ("4.3 Mission in Kosovo",)
    asked = "After the visit, how many officers did the Kosovo mission's follow-up workshop reach?"
    assert _doer(asked, kosovo) == {"follow", "up", "follow-up", "workshop"}
    assert _doer("how many people did the campaign reach?", ()) == {"campaign"}
    assert _doer("how many officers did the Mission train?", kosovo) == frozenset()
    assert _doer("how many officers were trained?", kosovo) == frozenset()


def test_who_paid_is_asked_in_many_words() -> None:
    lex = Lexicon()
    for asked in (
        "who funded the training?",
        "Which donor government paid for the 45 computers?",
        "who were the donors?",
        "where did the money come from?",
        "the course was financed by whom?",
        "the NGO got a grant - who funded it and how much was it?",
    ):
        assert understand(asked, lex).asks_funder, asked
    assert not understand("who trained the police?", lex).asks_funder
    assert not understand("which projects were funded in 2019?", lex).asks_funder


def test_a_fraction_is_a_share_and_a_placeless_unit_keeps_the_short_name_it_is_asked_by() -> None:
    atu = "2.3 TNTD/Action against Terrorism Unit"
    kosovo = "4.3 Mission in Kosovo"
    lex = Lexicon(
        units=[atu, kosovo],
        places={atu: "", kosovo: "Kosovo"},
        aliases={"tntd/atu": atu, "atu": atu, "kaps": kosovo},
        unit_keys={atu: {"action", "terrorism"}, kosovo: {"kosovo"}},
    )
    share = understand("what fraction of its activities dealt with reform?", lex)
    assert share.wants_number and share.wants_share and share.focus == ("activity",)
    assert understand("who is the contact at TNTD/ATU?", lex).aliases == ("tntd/atu",)
    assert understand("what did KAPS receive?", lex).aliases == (), "a body in Kosovo"


def test_since_a_year_asks_nothing_of_that_year_alone() -> None:
    lex = Lexicon(years={"2016", "2019"}, main_year="2019")
    assert understand("where has the training been given since 2016?", lex).other_years == ()
    assert understand("where was the training given in 2016?", lex).other_years == ("2016",)


def test_a_question_about_a_quotation_asks_for_its_speaker_and_words() -> None:
    lex = Lexicon()
    assert understand("who is quoted from the coalition?", lex).asks_quote
    assert understand("who said that the course was useful?", lex).asks_quote
    assert not understand("who organized the course?", lex).asks_quote


def test_a_span_holding_the_reports_year_is_no_other_year() -> None:
    lex = Lexicon(years={"2016", "2018", "2019", "2020"}, main_year="2019")
    strategy = understand("who monitored the 2016-2020 police strategy?", lex)
    assert strategy.other_years == ()
    assert understand("the 2016 to 2020 strategy: what happened in 2018?", lex).other_years == (
        "2018",
    )
    assert understand("what was done in 2016 and 2018?", lex).other_years == ("2016", "2018")


def test_a_span_of_years_the_reports_name_is_not_a_year_asked() -> None:
    lex = Lexicon(years={"2019", "2020", "2025"}, main_year="2019", spans={("2020", "2025")})
    named = understand("the THB strategy for 2020-2025: who drafted it?", lex)
    assert named.other_years == ()
    assert understand("what is planned for 2020 to 2024?", lex).other_years == ("2020", "2024")


def test_a_question_asking_for_a_reason_is_read_so() -> None:
    lex = Lexicon()
    assert understand("Why was the budget cut in 2019?", lex).asks_why
    assert understand("the budget fell - why?", lex).asks_why
    assert understand("what were the reasons for the cut?", lex).asks_why
    assert not understand("what was cut in 2019?", lex).asks_why


def test_what_someone_said_is_a_quote_not_a_figure() -> None:
    lex = Lexicon()
    said = understand("what did its representative say about the official figures?", lex)
    assert said.asks_quote and not said.wants_number
    chart = understand("what does the ATU pie chart say about its split?", lex)
    assert not chart.asks_quote and chart.wants_number, "a chart's words are its figures"
    assert not understand("what does the report say about cybercrime?", lex).asks_quote


def test_a_region_named_by_its_adjective_limits_the_operations_asked_about() -> None:
    units = ["4.9 Centre in Ashgabat", "4.6 Mission to Skopje"]
    lex = Lexicon(
        units=units,
        places={units[0]: "Ashgabat", units[1]: "Skopje"},
        regions={"central asia": (units[0],)},
    )
    asked = understand("Which Central Asian field operations trained border guards?", lex)
    assert asked.spread, "a region's adjective between 'which' and 'field operations'"
    assert asked.within == (units[0],)


def test_the_number_of_one_thing_is_its_identifier_not_a_count() -> None:
    lex = Lexicon()
    assert not understand("what's the number of the 2008 decision on THB?", lex).wants_number
    assert understand("what was the number of the officers trained?", lex).wants_number
    assert understand("what's the number of participants?", lex).wants_number


def test_the_reports_year_asked_beside_another_is_asked_too() -> None:
    from assistant.query import _asked_years, _other_years

    def asked(text: str, years: tuple[str, ...]) -> tuple[str, ...]:
        return _asked_years(text, _other_years(text, years, "2019", set()), "2019")

    assert asked("how many in 2019, and in 2018?", ("2019", "2018")) == ("2018", "2019")
    assert asked("what about 2018?", ("2018",)) == ("2018",)
    spans = "the 2016-2019 strategy: what happened in 2018?"
    assert asked(spans, ("2016", "2019", "2018")) == ("2018",), "a span's end"
    assert asked("how many since 2019, and in 2018?", ("2019", "2018")) == ("2018",)


def test_shorthand_is_read_as_the_full_word_and_said_so() -> None:
    lex = Lexicon(vocabulary={"representative", "representatives", "government"})
    asked = understand("how many MoIA reps attended?", lex)
    assert asked.corrections == {"reps": "representatives"}
    assert asked.focus == ("moia", "people"), "MoIA's, whatever the report calls them"


def test_how_many_were_women_counts_women_not_what_they_were_doing() -> None:
    from assistant.query import _focus

    assert _focus("of the 318 actors, how many were women?") == ("women",)
    assert _focus("how many of the Mission's 52 staff are women?") == ("women",)
    assert _focus("of the 80 teachers at the workshop, how many were from Bar?") == ("teacher",)
    assert _focus("how many of the police officers it trained came from Hungary?") == (
        "police",
        "officer",
    )
    assert _focus("how many of them were women, and where?") == ("women",)
    assert _focus("who trained them, and how many were trained?") == ()


def test_what_is_the_name_of_a_body_asks_for_it_by_name() -> None:
    from assistant.query import _asks_person

    assert _asks_person("what's the name of the central asian NGO that adopted it?") == "ngo"
    assert _asks_person("What was the name of the project?") == "project"
    assert _asks_person("what is the aim of the project?") == ""


def test_people_working_somewhere_are_its_staff_and_people_going_are_anyone() -> None:
    from assistant.query import _focus

    assert _focus("how many people work in the office's unit?") == ("staff",)
    assert _focus("how many people went on the study visit?") == ("people",)


def test_a_breakdown_or_the_fewest_asks_for_figures_of_the_thing_named() -> None:
    from assistant.query import _focus

    lex = Lexicon()
    assert understand("how do its activities break down by type?", lex).wants_number
    assert _focus("which year had the fewest OSCE activities?") == ("osce", "activity")
    assert _focus("which office ran the most workshops?") == ("workshop",)
    assert _focus("how did the Mission split its activities?") == (), "its subject splits them"
    assert _focus("how was the work split between them?") == (), "shares of the work"


def test_a_category_named_by_its_words_is_not_read_as_the_theme_inside_it() -> None:
    lex = Lexicon(
        themes=["Police Development and Reform"],
        theme_tokens={"Police Development and Reform": {"police", "development", "reform"}},
        categories={"general police development reform"},
    )
    asked = understand("how many general police development and reform activities?", lex)
    assert asked.categories == ("general police development reform",) and asked.themes == ()
    theme = understand("how many police development and reform activities?", lex)
    assert theme.themes == ("Police Development and Reform",) and theme.categories == ()


def test_by_how_much_a_thing_changed_asks_for_a_figure_of_that_thing() -> None:
    from assistant.query import _focus

    assert _focus("by how much did the new law raise MoI salaries?") == ("moi", "salary")


def test_a_quoted_name_is_read_once_with_the_question() -> None:
    asked = understand('what was the aim of the "To success, together!" project?', Lexicon())
    assert asked.quoted == ("to success together",)


def test_a_rewritten_turn_keeps_its_own_words_apart_from_its_context() -> None:
    from assistant.query import own_turn

    assert own_turn("where was it? (about: the Tirana course)") == "where was it?"
    assert own_turn("where was the Tirana course?") == "where was the Tirana course?"


def test_a_story_section_without_thematic_headings_is_on_the_theme_its_title_names() -> None:
    from dataclasses import replace

    from helpers_passages import passage

    from assistant.retrieve import _on_theme

    story = replace(passage("text", "2.5 Building a civil society coalition against hate crime"))
    assert _on_theme(replace(story, theme=""), ("Hate Crime",))
    assert not _on_theme(replace(story, theme=""), ("Cybercrime",))
    filed = replace(story, theme="Gender Mainstreaming")
    assert not _on_theme(filed, ("Hate Crime",)), "a heading, where there is one, decides"


def test_the_chunks_of_the_best_sentences_are_not_pushed_down_by_their_crowded_section() -> None:
    from helpers_passages import passage

    from assistant.retrieve import _diversify
    from assistant.types import Hit

    same = [Hit(passage(f"p{i}", "2.5 Story", first=i), 1.0 - i / 10) for i in range(4)]
    other = Hit(passage("q", "4.3 Mission in Kosovo > Hate Crime", first=9), 0.5)
    ranked = _diversify([*same, other], lambda chunk: 2)
    assert ranked.index(other) == 2, "the third chunk of a section goes after other sections"
    kept = _diversify([*same, other], lambda chunk: 2, keep={same[3].chunk.id})
    assert kept.index(same[3]) < kept.index(other)


def test_one_operation_asked_on_one_theme_keeps_more_of_that_section_near_the_top() -> None:
    from dataclasses import replace

    from helpers_passages import asking, passage

    from assistant.retrieve import section_room

    office = "4.12 Programme Office in Nur-Sultan"
    thb = ("Trafficking in Human Beings & Migration-related Crime",)
    asked = asking("did kazakhstan run a national THB simulation?", units=(office,), themes=thb)
    on_theme = replace(passage("p", f"{office} > THB"), unit=office, theme=thb[0])
    intro = replace(passage("p", f"{office} > Introduction"), unit=office)
    unasked = asking("what happened in 2019?")
    assert section_room(asked, on_theme) > section_room(unasked, on_theme)
    assert section_room(asked, intro) == section_room(unasked, intro), "not its introduction"
    listed = asking("which FOs worked on THB?", themes=thb, spread=True)
    assert section_room(listed, on_theme) < section_room(unasked, on_theme)


def test_a_theme_matched_only_by_the_words_of_a_named_unit_is_not_asked_about() -> None:
    from assistant.query import _unit_named

    other = "Other, including co-ordination and co-operation"
    lex = Lexicon(themes=[other], theme_tokens={other: set(content_tokens(other))})
    cell = ("2.1 TNTD/Co-ordination Cell",)
    asked = "what share of the TNTD Co-ordination Cell's activities addressed crime?"
    assert _unit_named((other,), cell, asked, lex) == ()
    both = "what did the Cell do on co-ordination and co-operation with others?"
    assert _unit_named((other,), cell, both, lex) == (other,)
    assert _unit_named((other,), (), asked, lex) == (other,), "no unit named: the theme stays"


def test_a_name_the_reports_abbreviate_is_known_by_its_abbreviations() -> None:
    lex = Lexicon(
        abbreviations={"moi": "ministry of interior", "mfa": "ministry of foreign affairs"},
        proper={"interior", "russian"},
        vocabulary={"interior", "russian", "ministry"},
    )
    query = understand("Did the mission train staff of the Russian interior ministry?", lex)
    assert set(query.names) == {"russian", "interior"}
    assert query.name_abbreviations == {"interior": ("moi",)}, (
        "a passage saying 'MoI' names the interior ministry the question asks about"
    )


def test_a_document_named_by_its_numbered_part_is_the_one_searched() -> None:
    from assistant.query import _named_documents

    documents = ["osce-police-related-activities-2019", "odihr-annual-report-2019-part-2"]
    assert _named_documents("Which of ODIHR's Part 2 impact stories name Poland?", documents) == (
        "odihr-annual-report-2019-part-2",
    )
    assert _named_documents("Did ODIHR run 2 workshops in part of Poland?", documents) == (), (
        "a number elsewhere in the question names no part"
    )


def test_a_name_followed_through_the_sections_is_read_as_such() -> None:
    lex = Lexicon(proper={"poland", "uzbekistan"}, vocabulary={"poland", "uzbekistan"})
    assert understand("In which of ODIHR's stories does Poland feature?", lex).across
    assert understand("What did ODIHR do in Uzbekistan?", lex).across
    assert not understand("How many officers did ODIHR train in Uzbekistan?", lex).across
    assert understand("What work involving Uzbekistan do ODIHR's stories describe?", lex).across
    assert understand("How did ODIHR work with Uzbekistan in 2019?", lex).across
    asked = understand("In what ways did ODIHR work with Uzbekistan across its programmes?", lex)
    assert asked.across and not asked.spread, "across one body's own programmes, not operations"


def test_a_unit_may_be_called_by_a_word_of_its_name_and_its_kind_of_body() -> None:
    bsmu, gender = "2.4 TNTD/Border Security and Management Unit", "3.1 Programme for Gender Issues"
    osr = "3.2 Office of the Special Representative and Co-ordinator for Combating Trafficking"
    keys = {bsmu: {"border", "security", "management"}, gender: {"gender", "issue"}}
    lex = Lexicon(units=list(keys), unit_keys={**keys, osr: {"special", "trafficking"}})
    assert understand("What did the Secretariat's border unit do?", lex).units == (bsmu,)
    assert understand("and the gender programme's research?", lex).units == (gender,)
    assert understand("Did any unit train border police?", lex).units == ()
    lex.abbreviations = {"odihr": "office for democratic institutions and human rights"}
    asked = understand("tell me about ODIHR's screenings on human trafficking", lex)
    assert asked.units == (), "an abbreviation's expansion is not read beside the question's words"


def test_a_story_is_named_by_three_words_of_its_title_when_stories_are_asked_about() -> None:
    force = "2.3 Training human rights defenders on monitoring use of force to prevent torture"
    roma = "2.7 Training police in effective, human rights-compliant policing in Roma communities"
    part = "Part 2 Civil society and the security sector are better able to advance democracy"
    keys = {
        force: {"monitoring", "use", "force", "torture", "defender", "prevent"},
        roma: {"effective", "rights-compliant", "compliant", "roma", "community", "policing"},
        part: {"civil", "society", "security", "sector", "better", "advance", "democracy"},
    }
    lex = Lexicon(units=list(keys), unit_keys=keys)
    asked = (
        "Compare the two training strands in ODIHR's stories - the one on monitoring use of "
        "force and the Roma policing course for effective policing"
    )
    assert set(understand(asked, lex).units) == {force, roma}
    assert (
        understand("Which civil society and security sector stories name Poland?", lex).units == ()
    )
    assert understand("What did ODIHR do on monitoring use of force?", lex).units == (), (
        "three words of a title name a story only where stories are asked about"
    )


def test_a_story_is_named_by_a_compound_word_of_its_title() -> None:
    terror = (
        "2.8 Training law enforcement to integrate human rights protection into counter-terrorism"
    )
    strategy = "2.6 Advancing political integrity through strategic co-operation"
    keys = {
        terror: {"law", "enforcement", "integrate", "protection", "counter", "terrorism"}
        | {"counter-terrorism"},
        strategy: {"advancing", "political", "integrity", "through", "strategic", "co-operation"},
    }
    lex = Lexicon(units=list(keys), unit_keys=keys)
    assert understand(
        "Where did ODIHR's stories train police on counter-terrorism?", lex
    ).units == (terror,)
    assert understand("Which ODIHR stories involve co-operation with Poland?", lex).units == (), (
        "a compound of a short word is too common to name a story"
    )


def test_an_operation_the_named_document_has_no_chapter_on_is_a_name_not_a_unit() -> None:
    unit = "4.13 Project Co-ordinator in Uzbekistan"
    police, odihr = "osce-police-related-activities-2019", "odihr-annual-report-2019-part-2"
    lex = Lexicon(
        units=[unit],
        places={unit: "Uzbekistan"},
        unit_keys={unit: {"uzbekistan"}},
        proper={"uzbekistan"},
        vocabulary={"uzbekistan"},
        documents=[police, odihr],
        unit_documents={unit: {police}},
    )
    asked = "In ODIHR's 2019 Part 2 impact stories, what work involving Uzbekistan is described?"
    query = understand(asked, lex)
    assert query.documents == (odihr,) and query.units == (), query.units
    assert "uzbekistan" in query.names and query.across
    assert understand("What did the Uzbekistan office do in 2019?", lex).units == (unit,)


def test_a_question_on_an_operations_focus_or_role_asks_for_its_chapters_opening() -> None:
    unit = "4.6 Mission to Skopje"
    lex = Lexicon(units=[unit], places={unit: "Skopje"}, unit_keys={unit: {"skopje"}})
    focus = understand("What did the Skopje mission focus on in 2019?", lex)
    assert focus.overview and focus.wants_summary
    assert understand("what is the Mission to Skopje's role?", lex).overview
    assert not understand("Who is the Mission to Skopje's contact, and their role?", lex).overview
    assert not understand("What did the Mission to Skopje do in 2019?", lex).overview
