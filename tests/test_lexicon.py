"""What the lexicon learns from hand-made passages: names and missions without a chapter."""

from __future__ import annotations

from assistant.lexicon import Lexicon, _acronyms, _other_bodies, _proper_words
from index.types import Chunk


def _chunk(text: str, unit: str = "4.5 Mission to Serbia") -> Chunk:
    return Chunk(
        id=str(hash(text)),
        document="report",
        section=f"{unit} > Other",
        unit=unit,
        theme="Other",
        category="",
        kind="text",
        text=text,
        clean=text,
        lines=(1,),
        order=0,
    )


def test_words_always_capitalised_mid_sentence_are_names() -> None:
    chunks = [
        _chunk("The Mission trained Belarusian and Serbian police. Police then met in Madrid."),
        _chunk("Training took place in Madrid with the police of Serbia."),
    ]
    proper = _proper_words(chunks)
    assert {"belarusian", "serbian", "madrid", "mission", "serbia"} <= proper
    assert "police" not in proper, "written in lower case mid-sentence once"
    assert "training" not in proper, "only ever capitalised at a sentence start"


def test_rare_words_always_in_capitals_are_acronyms_but_an_operations_own_is_not() -> None:
    chunks = [
        _chunk("The Mission worked with ICITAP and the ATU on a course. Trust was built."),
        _chunk("The ATU and TRUST met."),
    ]
    lex = Lexicon(
        idf={"icitap": 4.0, "atu": 4.0, "trust": 4.0},
        aliases={"atu": "2.3 TNTD/Action against Terrorism Unit"},
    )
    assert _acronyms(lex, chunks) == {"icitap"}, "ATU names a unit; Trust is a word"
    lex.idf["icitap"] = 1.0
    assert _acronyms(lex, chunks) == set(), "a common acronym names nothing distinctive"


def test_named_missions_without_a_chapter_are_learnt_but_operations_are_not() -> None:
    lex = Lexicon(units=["4.5 Mission to Serbia"], places={"4.5 Mission to Serbia": "Serbia"})
    chunks = [
        _chunk(
            "The Mission met the OSCE Special Monitoring Mission to Ukraine. "
            "Alongside Mission staff, the Serbia Mission and the European Union Advisory "
            "Mission took part."
        )
    ]
    bodies = _other_bodies(lex, chunks)
    assert "special monitoring mission" in bodies
    assert "european union advisory mission" in bodies
    assert not any("serbia" in b or "alongside" in b for b in bodies)


def test_content_words_leave_out_inflected_stop_words_and_possessive_fragments() -> None:
    from assistant.lexicon import content_tokens

    assert content_tokens("How many members does ODIHR's association have?") == [
        "member",
        "odihr",
        "association",
    ]


def test_regions_are_learnt_from_headings_that_list_operations() -> None:
    from assistant.lexicon import _regions

    places = {"4.9 Centre in Ashgabat": "Ashgabat", "4.10 Programme Office in Bishkek": "Bishkek"}
    lex = Lexicon(units=list(places), places=places)

    def listed(heading: str, text: str, unit: str = "Appendix 5 Contact Details") -> Chunk:
        chunk = _chunk(text, unit)
        return Chunk(**{**chunk.__dict__, "section": f"{unit} > {heading}", "theme": heading})

    chunks = [
        listed("Central Asia", "Centre in Ashgabat: Mr. A. Programme Office in Bishkek: Ms. B."),
        listed("Hate Crime", "Ashgabat and Bishkek police met.", "4.9 Centre in Ashgabat"),
        listed("Hate Crime", "Police of Ashgabat and Bishkek met ODIHR.", "Appendix 1 ODIHR"),
        listed("Activities of field operations", "In Ashgabat and in Bishkek ..."),
    ]
    assert _regions(lex, chunks) == {"central asia": tuple(sorted(places))}


def test_a_question_about_a_region_is_limited_to_its_operations() -> None:
    from assistant.query import understand

    places = {
        "4.9 Centre in Ashgabat": "Ashgabat",
        "4.6 Mission to Skopje": "Skopje",
        "4.7 Mission to Moldova": "Moldova",
    }
    lex = Lexicon(
        units=list(places),
        places=places,
        abbreviations={"see": "south-eastern europe"},
        regions={
            "south-eastern europe": ("4.6 Mission to Skopje",),
            "eastern europe": ("4.7 Mission to Moldova",),
            "central asia": ("4.9 Centre in Ashgabat",),
        },
    )
    see = understand("Which FOs in SEE trained police on hate crime?", lex)
    assert see.spread and see.within == ("4.6 Mission to Skopje",), "not Eastern Europe too"
    both = understand("What did field operations in SEE and Eastern Europe do on THB?", lex)
    assert both.spread and set(both.within) == {"4.6 Mission to Skopje", "4.7 Mission to Moldova"}
    assert set(understand("which field operations ran trainings?", lex).within) == set(places)
    assert understand("which structures ran trainings?", lex).within == ()
    # a region that only places events limits nothing: any unit may have run them there
    placed = understand("table top exercises in Central Asia: who ran them?", lex)
    assert placed.within == () and not placed.spread


def test_places_an_operation_works_in_are_told_apart_from_its_own_name() -> None:
    from assistant.lexicon import _add_places

    unit = "4.12 Programme Office in Nur-Sultan"
    lex = Lexicon(units=[unit], places={unit: "Nur-Sultan"}, unit_keys={unit: {"nur", "sultan"}})
    chunks = [_chunk("The Office met in Karaganda and Sultan. Karaganda police came.", unit)] * 2
    _add_places(lex, chunks)
    assert lex.aliases["karaganda"] == unit and "karaganda" in lex.located
    assert "sultan" not in lex.located, "part of the operation's own name"


def test_a_place_the_reports_name_as_a_state_is_where_all_its_operations_work_is() -> None:
    from assistant.lexicon import _add_places

    unit = "4.12 Programme Office in Nur-Sultan"
    lex = Lexicon(units=[unit], places={unit: "Nur-Sultan"}, unit_keys={unit: {"nur", "sultan"}})
    text = "The Office assists the Government of Kazakhstan. It met in Karaganda, Kazakhstan."
    _add_places(lex, [_chunk(text, unit)] * 3)
    assert {"kazakhstan", "karaganda"} <= lex.located
    assert lex.states == {"kazakhstan"}, "a town is no state"


def test_a_section_of_abbreviation_rows_is_a_glossary() -> None:
    from dataclasses import replace

    from assistant.lexicon import glossary_sections

    rows = "\n".join(
        f"{a}\t{e}"
        for a, e in [
            ("THB", "Trafficking in Human Beings"),
            ("KAPS", "Kosovo Academy for Public Safety"),
            ("ILP", "Intelligence-Led Policing"),
            ("PCUz", "Project Co-ordinator in Uzbekistan"),
            ("UNDP", "United Nations Development Programme"),
        ]
    )
    glossary = replace(_chunk(rows, "Appendix 4 Abbreviations"), kind="table")
    contacts = replace(
        _chunk(
            "TNTD/ATU\tMr. Manuel EISING (Adviser)\tManuel.Eising@osce.org\n"
            + "Mission to Skopje\tMr. Ivan NOVAK (Officer)\tIvan.Novak@osce.org\n" * 4,
            "Appendix 5",
        ),
        kind="table",
    )
    assert glossary_sections([glossary, contacts]) == {"Appendix 4 Abbreviations > Other"}


def test_a_quoted_name_is_read_in_plain_words() -> None:
    from assistant.lexicon import plain, quoted_names

    assert quoted_names('the "To success, together!" project') == ["to success together"]
    assert quoted_names("the ‘Youth for Better Future’ camps") == ["youth for better future"]
    assert quoted_names("the mission's work, the office's 'plan'") == []
    assert plain("“To success, together!”") == "to success together"
