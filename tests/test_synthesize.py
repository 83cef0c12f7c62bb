"""The grounded composer's pieces on hand-made passages: sentence splits, context, counts."""

from __future__ import annotations

from helpers_passages import asking, candidates_of, passage

from assistant.evidence import Candidate
from assistant.query import Query
from assistant.summary import best_section, section_scores
from assistant.synthesize import (
    _crediting,
    _in_context,
    _paragraph_lines,
)
from assistant.types import Hit
from index.sentences import split_sentences
from index.types import Chunk


def test_sentences_end_after_acronyms_and_closing_tags_but_not_after_abbreviations() -> None:
    chunk = passage(
        "The event gathered the MoIA, KP and UNDP. As a result, 19 recommendations were made.\n"
        "It took place in Istok<sup>13</sup>. The event gathered 70 participants.\n"
        "Mr. Smith of the U.S. Government spoke, e.g. on No. 5 of the list.\n"
        "It protects HRDs. In 2019, Ms. Lee met the CSOs. They agreed."
    )
    sentences = [s.clean for s in split_sentences(chunk)]
    assert sentences == [
        "The event gathered the MoIA, KP and UNDP.",
        "As a result, 19 recommendations were made.",
        "It took place in Istok.",
        "The event gathered 70 participants.",
        "Mr. Smith of the U.S. Government spoke, e.g. on No. 5 of the list.",
        "It protects HRDs.",
        "In 2019, Ms. Lee met the CSOs.",
        "They agreed.",
    ]


def test_a_chosen_sentence_comes_with_its_paragraph_neighbours_only() -> None:
    chunk = passage(
        "The Mission organized a workshop to review the strategy. The event brought together "
        "28 representatives. As a result, 19 recommendations were made. A report followed.\n"
        "In May, the Mission trained 20 prosecutors."
    )
    sentences = candidates_of(chunk)
    paragraph = sentences[:4]

    def paragraph_of(c: Candidate) -> list[Candidate]:
        return paragraph if c in paragraph else [c]

    shown = _in_context([sentences[0]], paragraph_of, before=1, after=2)
    assert [c.sentence.index for c in shown] == [0, 1, 2], "the figures follow the event"
    lines = _paragraph_lines([*shown, sentences[4]], lambda c: c.sentence.index + 1, lambda c: None)
    assert len(lines) == 2, "one line per paragraph run"
    assert lines[0].endswith("19 recommendations were made. [3]") and "[1] The event" in lines[0]
    assert lines[1] == "In May, the Mission trained 20 prosecutors. [5]"


def test_a_who_answer_brings_the_sentence_saying_by_whom_from_past_the_neighbours() -> None:
    chunk = passage(
        "From 19 to 30 August, the Centre organized a course on x-ray images. The course was "
        "long. It covered radiation safety. It covered weapons. Delivered by a UK expert, the "
        "course included a trainer component. It was organized by the Centre."
    )
    sentences = candidates_of(chunk)

    def paragraph_of(c: Candidate) -> list[Candidate]:
        return sentences

    delivered = asking("who delivered the x-ray course?", asks_who=True)
    assert [c.sentence.index for c in _crediting(sentences[:1], paragraph_of, delivered)] == [4]
    organized = asking("who organised the x-ray course?", asks_who=True)
    assert [c.sentence.index for c in _crediting(sentences[:1], paragraph_of, organized)] == [5]
    funded = asking("who funded the x-ray course?", asks_who=True)
    assert _crediting(sentences[:1], paragraph_of, funded) == [], "no one is said to fund it"


def test_a_summary_comes_from_the_section_with_the_most_answering_sentences() -> None:
    general = passage(
        "In 2019 the Mission worked on many topics. It also did forensics.", "U > Intro", 1
    )
    topical = passage(
        "The Mission equipped the Forensic Centre. It accredited two forensic methods.",
        "U > Forensics",
        20,
    )
    texts = [
        Candidate(s, Hit(general, 2.6), score, score)
        for s, score in zip(split_sentences(general), (0.40, 0.35), strict=True)
    ] + [
        Candidate(s, Hit(topical, 2.5), score, score)
        for s, score in zip(split_sentences(topical), (0.70, 0.65), strict=True)
    ]
    assert (
        best_section(texts, section_scores(texts, weight=0.5)).hit.chunk.section == "U > Forensics"
    )
    assert best_section(texts, section_scores(texts, weight=0.0)).hit.chunk.section == "U > Intro"
    titled = best_section(
        texts, section_scores(texts, 0.0, frozenset({"forensic", "centre"}), title=0.2)
    )
    assert titled.hit.chunk.section == "U > Forensics", "its title names what is asked about"


def test_a_summary_prefers_the_operations_chapter_to_an_overview_of_it() -> None:
    chapter = passage("The Mission equipped the Forensic Centre. It accredited two methods.")
    overview = passage(
        "The Mission equipped the Forensic Centre.", "1 Executive Summary > Field", 9
    )
    texts = [
        Candidate(s, Hit(chapter, 2.5), score, score)
        for s, score in zip(split_sentences(chapter), (0.70, 0.65), strict=True)
    ] + [Candidate(split_sentences(overview)[0], Hit(overview, 2.85), 0.8, 0.8)]
    assert best_section(texts, section_scores(texts, 0.5)).hit.chunk.section.startswith(
        "1 Executive"
    )
    chosen = best_section(texts, section_scores(texts, 0.5, overview=0.1))
    assert chosen.hit.chunk.section == "4.3 Mission in Kosovo > Cybercrime", "told in full"


def test_a_table_row_whose_own_label_matches_the_question_comes_first() -> None:
    from assistant.synthesize import candidates

    table = passage(
        "Category\t2016\t2017\nPolice Reform\t150\t89\n<b>Total Activities</b>\t<b>1045</b>\t<b>1196</b>",
        "1 Executive Summary > Total Number of Police-Related Activities",
    )
    table = Chunk(**{**table.__dict__, "kind": "table"})
    rows = split_sentences(table)
    query = asking(
        "total police-related activities in 2016?",
        wants_number=True,
    )
    # the rows read alike to the embedder: only their labels tell them apart
    ranked = candidates(query, [Hit(table, 1.0)], lambda cid: [(s, 0.8) for s in rows])
    assert "Total Activities" in ranked[0].sentence.raw[0]


def test_a_list_items_bullet_is_not_shown_but_stays_in_the_quote() -> None:
    from assistant.synthesize import display

    chunk = passage("- From 19 to 21 June, ODIHR organized a workshop in Sofia.")
    sentence = split_sentences(chunk)[0]
    assert display(sentence) == "From 19 to 21 June, ODIHR organized a workshop in Sofia."
    assert sentence.quote.lstrip().startswith("- From 19"), "the quote stays verbatim"


def test_a_place_question_prefers_the_sentence_naming_places() -> None:
    from assistant.synthesize import candidates

    chunk = passage(
        "In 2019, ODIHR delivered a number of courses on human rights in counter-terrorism.\n"
        "ODIHR offered courses on human rights in counter-terrorism in Uzbekistan and Spain."
    )
    hit = Hit(chunk, 1.0)
    sentences = split_sentences(chunk)

    def sentences_of(_: str) -> list[tuple[object, float]]:
        return [(sentences[0], 0.9), (sentences[1], 0.8)]

    text = "in which countries did ODIHR give courses on human rights in counter-terrorism?"
    where = asking(text, asks_place=True)
    proper = {"uzbekistan", "spain", "odihr"}
    assert candidates(where, [hit], sentences_of, proper=proper)[0].sentence.index == 1
    plain = asking(text)
    assert candidates(plain, [hit], sentences_of, proper=proper)[0].sentence.index == 0


def test_a_summary_ranks_paragraphs_by_their_best_sentence_and_shows_it() -> None:
    from assistant.summary import leads, paragraph_bests, paragraph_key

    chunk = passage(
        "The Mission held a roundtable. It was attended by many.\n"
        "The Mission supported the committees. They met often. "
        "It installed cameras in 40 schools.\n"
        "The Mission printed leaflets."
    )
    hit = Hit(chunk, 1.0)
    scores = [0.5, 0.4, 0.3, 0.2, 0.9, 0.45]
    section = [
        Candidate(s, hit, score, score)
        for s, score in zip(split_sentences(chunk), scores, strict=True)
    ]
    chosen = leads(section, most=2)
    assert [c.sentence.clean for c in chosen] == [
        "The Mission supported the committees.",  # its paragraph holds the best sentence
        "The Mission held a roundtable.",
    ]
    best = paragraph_bests(section)[paragraph_key(chosen[0])]
    assert best.sentence.clean == "It installed cameras in 40 schools."


def test_a_long_summary_tells_every_activity_first_then_the_best_ones_counts() -> None:
    from assistant.summary import leads, paragraph_bests, paragraph_key
    from assistant.synthesize import Thresholds, _packed

    chunk = passage(
        "The Mission held a roundtable. It was attended by many. In total, 30 judges came.\n"
        "The Mission supported the committees. They met often.\n"
        "The Mission ran youth workshops. They were lively. In total, 83 young people took part."
    )
    hit = Hit(chunk, 1.0)
    scores = [0.5, 0.4, 0.3, 0.2, 0.1, 0.9, 0.45, 0.6]
    section = [
        Candidate(s, hit, score, score)
        for s, score in zip(split_sentences(chunk), scores, strict=True)
    ]

    def paragraph_of(c: Candidate) -> list[Candidate]:
        return [x for x in section if paragraph_key(x) == paragraph_key(c)]

    room = Thresholds(summary_detailed=8)
    kept = _packed(leads(section, 12), paragraph_bests(section), paragraph_of, 1, room, 5)
    told = [c.sentence.clean for c in kept]
    assert told[:3] == [
        "The Mission ran youth workshops.",  # its paragraph answers best
        "The Mission held a roundtable.",
        "The Mission supported the committees.",
    ], "every activity is named before any is told in detail"
    assert told[3:] == ["In total, 83 young people took part.", "They were lively."]


def test_a_photo_caption_does_not_lead_a_summary_of_its_section() -> None:
    from assistant.summary import leads

    chunk = passage(
        "The Mission held a roundtable on gender.\n"
        "**Forensic experts during a training, Danilovgrad, December 2019. (Darko Dakovic)**\n"
        "The Mission supported the women police association."
    )
    told = [c.sentence.clean for c in leads(candidates_of(chunk), 5)]
    assert told == [
        "The Mission held a roundtable on gender.",
        "The Mission supported the women police association.",
    ], told
    caption = passage("Officers at a workshop, Tirana, May 2019. (OSCE/Oltjon Milo)")
    assert len(leads(candidates_of(caption), 5)) == 1, "a section of captions alone is still told"


def test_a_bare_signature_under_a_quote_does_not_lead_a_summary() -> None:
    from assistant.summary import leads

    chunk = passage(
        "ODIHR trained defenders in Budva.\n"
        "“The tools we learned were extremely helpful.”\n"
        "— Buket Atli"
    )
    told = [c.sentence.clean for c in leads(candidates_of(chunk), 5)]
    assert "— Buket Atli" not in told and len(told) == 2, "a name alone tells nothing"
    said = "— Stana Iliev, a representative of the Bulgarian Hate Crime Recording Coalition"
    assert [c.sentence.clean for c in leads(candidates_of(passage(said)), 5)] == [said]


def test_a_summary_adds_another_reports_close_account_of_the_subject() -> None:
    from assistant.summary import other_account

    appendix = passage("ODIHR trained police on counter-terrorism.", "Appendix 1 ODIHR > CT", 10)
    story = passage("The courses are led by a former police officer.", "2.8 Training", 40)
    story = Chunk(**{**story.__dict__, "document": "odihr-annual-report", "id": "s40"})
    far = passage("ODIHR observed elections.", "2.9 Elections", 70)
    far = Chunk(**{**far.__dict__, "document": "odihr-annual-report", "id": "s70"})
    best = candidates_of(appendix)[0]
    texts = [best, candidates_of(story)[0], candidates_of(far)[0]]
    scores = {"Appendix 1 ODIHR > CT": 4.0, "2.8 Training": 3.6, "2.9 Elections": 2.0}
    other = other_account(texts, best, scores, share=0.85)
    assert other is not None and other.hit.chunk.section == "2.8 Training"
    assert other_account(texts, best, {**scores, "2.8 Training": 3.0}, share=0.85) is None


def test_a_count_comes_from_the_event_the_question_says_did_it() -> None:
    from assistant.synthesize import compose

    visit = passage(
        "In May, the Mission took two senior officers on a research visit to Dusseldorf.",
        "4.3 Mission in Kosovo > Counter-Terrorism",
        1,
    )
    workshop = passage(
        "Following the visit, the Mission held a workshop for 18 officers.",
        "4.3 Mission in Kosovo > Counter-Terrorism",
        2,
    )
    ranked = [*candidates_of(visit, score=0.9), *candidates_of(workshop, score=0.8)]
    asked = asking(
        "how many officers did the follow-up workshop reach after the Dusseldorf visit?",
        wants_number=True,
        focus=("officer",),
        doer=frozenset({"workshop"}),
    )
    text, abstained = compose(asked, ranked, lambda c: 1, lambda c: None)
    assert not abstained and "18 officers" in text and "two senior officers" not in text
    unsaid = Query(**{**asked.__dict__, "doer": frozenset()})
    assert "two senior officers" in compose(unsaid, ranked, lambda c: 1, lambda c: None)[0]


def test_who_funded_it_is_answered_by_the_funding_sentence_or_refused() -> None:
    from assistant.synthesize import compose

    section = "4.3 Mission in Kosovo > Anti-Corruption"
    chunk = passage(
        "In 2019, the Mission delivered four courses to the PIK on corruption. They were long. "
        "They had exams. They had a test. The courses were part of a project funded by Italy.",
        section,
    )
    sentences = candidates_of(chunk)
    asked = asking("who funded the PIK courses?", asks_who=True, asks_funder=True)
    text, abstained = compose(
        asked,
        sentences[:1],
        lambda c: c.sentence.index + 1,
        lambda c: None,
        paragraph_of=lambda c: sentences,
    )
    assert not abstained and "funded by Italy" in text, "brought in from past the neighbours"
    donated = candidates_of(passage("On 15 March, the Mission donated 45 computers.", section))
    text, abstained = compose(
        asking("which donor paid for the computers?", asks_funder=True),
        donated,
        lambda c: 1,
        lambda c: None,
        paragraph_of=lambda c: donated,
    )
    assert abstained and "do not say who funded it" in text


def test_a_chapter_without_the_themes_section_is_said_unless_a_passage_names_the_theme() -> None:
    from assistant.synthesize import compose

    dushanbe = "4.11 Programme Office in Dushanbe"
    named = passage(
        "In May, the Office organized a conference on Countering Terrorism through Organized "
        "Crime.",
        f"{dushanbe} > Counter-Terrorism",
    )
    other = passage("In May, the Office organized a conference on terrorism.", dushanbe)
    asked = asking(
        "what did the Dushanbe office do at the conference on organized crime?",
        units=(dushanbe,),
        themes=("Organized Crime",),
    )

    def answer(chunk: Chunk) -> str:
        found = candidates_of(Chunk(**{**chunk.__dict__, "unit": dushanbe}))
        return compose(
            asked, found, lambda c: 1, lambda c: None, themes_of=lambda u: {"counter terrorism"}
        )[0]

    assert "has no section on Organized Crime" in answer(other)
    assert "has no section" not in answer(named), "the passage names the theme outright"


def test_a_summary_of_a_one_paragraph_section_tells_the_whole_paragraph() -> None:
    from assistant.synthesize import Thresholds, _focused

    section = "4.3 Mission in Kosovo > Organized Crime"
    one = candidates_of(
        passage(
            "In December, the Mission sent three senior KP officers to regional meetings. "
            "The aim was co-operation. The meetings resulted in agreements on forming JITS. "
            "Cases followed.",
            section,
        )
    )
    asked = asking("what did the Kosovo mission do on organised crime?", wants_summary=True)

    def summary(found: list[Candidate], **thresholds: int) -> str:
        return _focused(
            asked,
            found,
            lambda c: c.sentence.index + 1,
            lambda c: None,
            Thresholds(**thresholds),
            section_of=lambda c: found,
            paragraph_of=lambda c: found,
        )

    assert "forming JITS" in summary(one), "the paragraph's third sentence"
    fits = summary(one, summary_sentences=2)
    assert "forming JITS" in fits and "Cases followed" in fits, "it fits: told in full"
    brief = summary(one, summary_sentences=2, summary_most=3)
    assert "forming JITS" not in brief, "too long to fit: lead and next only"


def test_members_listed_in_a_footnote_are_named() -> None:
    from assistant.synthesize import compose

    section = "4.5 Mission to Serbia > Community Policing"
    chunk = passage(
        "In June, the Mission trained 20 members from nine MSCs<sup>31</sup> in Novi Sad.\n"
        "<sup>31</sup> Čačak, Leskovac, Niš, Pirot and Zvezdara.",
        section,
    )
    host, note = candidates_of(chunk)
    asked = asking("which nine MSCs took part in Novi Sad?", asks_which="msc")

    def answer(footnotes: bool) -> tuple[str, bool]:
        return compose(
            asked,
            [host],
            lambda c: c.sentence.index + 1,
            lambda c: None,
            paragraph_of=lambda c: [c],
            footnotes_of=(lambda c: [note] if c is host else []) if footnotes else None,
        )

    text, abstained = answer(footnotes=True)
    assert not abstained and "Zvezdara" in text
    assert answer(footnotes=False)[1], "no footnote, no names"
    cities = asking("which cities hosted the nine MSCs?", asks_which="city")
    text, abstained = compose(cities, [host], lambda c: 1, lambda c: None, paragraph_of=None)
    assert abstained and "They do not name the cities." in text, text


def test_a_quoted_speaker_is_answered_with_the_words_quoted() -> None:
    from assistant.synthesize import _quote_of, candidates

    section = "2.5 Building a coalition"
    chunk = passage(
        "The coalition was set up in 2019. It records hate crimes.\n"
        "“Within weeks we gathered more than the official statistics. We will use it.”\n"
        "— Stana Iliev, a representative of the coalition",
        section,
    )
    found = candidates_of(chunk)
    attribution = found[-1]
    assert [c.sentence.clean[:12] for c in _quote_of(attribution, found)] == [
        "“Within week",
        "We will use ",
    ]
    asked = asking("who is quoted from the coalition?", asks_quote=True)
    ranked = candidates(asked, [Hit(chunk, 1.0)], lambda cid: [(c.sentence, 0.5) for c in found])
    assert ranked[0].sentence.clean.startswith("— Stana Iliev"), "the speaker's line leads"


def test_when_was_it_signed_needs_a_dated_passage_telling_the_signing() -> None:
    from assistant.synthesize import compose

    section = "4.6 Mission to Skopje > Police Development and Reform"
    asked = asking("when was the new protocol finally signed?", asks_when=True)

    def answer(text: str) -> tuple[str, bool]:
        found = candidates_of(passage(text, section))
        return compose(asked, found, lambda c: 1, lambda c: None, paragraph_of=lambda c: found)

    text, abstained = answer("In December 2019, the WG agreed to finalize the new Protocol.")
    assert abstained and "give no date" in text
    assert not answer("The new Protocol was signed on 5 May 2019 in Skopje.")[1]


def test_a_sentence_leaning_on_the_one_before_comes_with_the_sentence_naming_the_event() -> None:
    chunk = passage(
        "On 3 May, the Mission trained 20 officers in Zenica. The course lasted two days. "
        "During the event, participants learned about hate crimes. A manual was handed out."
    )
    sentences = candidates_of(chunk)

    def paragraph_of(c: Candidate) -> list[Candidate]:
        return sentences

    shown = _in_context([sentences[2]], paragraph_of, before=0, after=0)
    assert [c.sentence.index for c in shown] == [0, 1, 2], "back to the sentence naming it"
    leaning = _in_context([sentences[1]], paragraph_of, before=0, after=0)
    assert [c.sentence.index for c in leaning] == [0, 1], "'The course' is the one just named"
    plain = _in_context([sentences[3]], paragraph_of, before=0, after=0)
    assert [c.sentence.index for c in plain] == [3]


def test_operations_asked_about_a_subject_no_theme_names_are_the_ones_telling_of_it() -> None:
    from assistant.synthesize import _subject_stems, _telling

    asked = asking("which missions trained people on trafficking in cultural property in 2019?")
    stems = _subject_stems(asked)
    assert stems == {"traff", "cultu", "prope"}
    telling = candidates_of(
        passage("The Mission trained 20 officers on illicit cultural property.")
    )
    other = candidates_of(passage("The Mission trained 20 officers on trafficking in persons."))
    assert _telling(stems, telling) and not _telling(stems, other)
    themed = asking("which missions trained police on hate crime?", themes=("Hate Crime",))
    assert _subject_stems(themed) == set(), "a theme's own sections say it"


def test_the_event_asked_about_is_also_told_from_another_sections_account() -> None:
    from assistant.synthesize import Thresholds, _other_accounts

    presence = candidates_of(
        passage("The Presence ran a pilot course in Tirana for 28 people.", "4.1 Albania > CT"),
        score=1.0,
    )
    spmu = candidates_of(
        passage("SPMU prepared the pilot course in Tirana with ODIHR.", "2.2 SPMU > CT", 40),
        score=0.9,
    )
    unrelated = candidates_of(
        passage("SPMU held a conference in Vienna.", "2.2 SPMU > Other", 80), score=0.95
    )
    query = asking("who ran the pilot course in tirana?", rare=frozenset({"pilot", "tirana"}))
    ranked = sorted(presence + spmu + unrelated, key=lambda c: -c.score)
    others = _other_accounts(query, ranked, presence, Thresholds())
    assert [c.hit.chunk.section for c in others] == ["2.2 SPMU > CT"]
    far = Thresholds(other_event=0.95)
    assert _other_accounts(query, ranked, presence, far) == [], "too far below the best"
    spelt = asking("who organised the pilot course?", rare=frozenset({"organised"}))
    organized = candidates_of(passage("SPMU organized it.", "2.2 SPMU > CT", 40), score=0.9)
    found = _other_accounts(spelt, presence + organized, presence, Thresholds())
    assert found == organized, "'organised' is 'organized'"


def test_a_named_operations_event_is_also_told_from_another_chapters_account() -> None:
    from assistant.synthesize import compose

    dushanbe = "4.11 Programme Office in Dushanbe"
    office = passage(
        "In May, the Office organized a senior-level conference on drug financing.",
        f"{dushanbe} > Counter-Terrorism",
    )
    atu = passage(
        "In May, ATU assisted the Government in a senior-level conference on drug financing.",
        "2.3 TNTD/Action against Terrorism Unit > Counter-Terrorism",
        40,
    )
    found = candidates_of(Chunk(**{**office.__dict__, "unit": dushanbe}), score=1.0)
    found += candidates_of(atu, score=0.9)
    asked = asking(
        "who took part in the senior-level conference on drug financing, and how was the "
        "Dushanbe office involved?",
        units=(dushanbe,),
        rare=frozenset({"senior-level", "financing"}),
    )
    text = compose(asked, found, lambda c: 1, lambda c: None, paragraph_of=lambda c: [c])[0]
    assert "the Office organized" in text
    assert "ATU assisted the Government" in text, "the same event as another chapter tells it"


def test_a_sentence_holding_the_name_the_question_quotes_ranks_first() -> None:
    from assistant.synthesize import candidates

    chunk = passage(
        "The Mission supported the schools. It ran the project “To success, together!” "
        "to keep pupils away from drugs."
    )
    query = asking(
        'what was the aim of the mission\'s "To success, together!" project?',
        quoted=("to success together",),
    )
    ranked = candidates(
        query, [Hit(chunk, 1.0)], lambda _: [(s, 0.5) for s in split_sentences(chunk)]
    )
    assert ranked[0].sentence.clean.startswith("It ran the project")


def test_a_name_quoted_only_by_an_earlier_turn_earns_no_rank() -> None:
    from assistant.synthesize import candidates

    chunk = passage(
        "ODIHR arranged screenings of the film “Love Sonia” on trafficking. "
        "One screening prompted a request from a government for legal advice."
    )
    sentences = split_sentences(chunk)
    similar = [(sentences[0], 0.5), (sentences[1], 0.5)]  # equally close to the question
    follow_up = asking(
        "was there a request for legal advice after a screening? (about: where was 'Love Sonia' shown)",
        quoted=("love sonia",),
    )
    ranked = candidates(follow_up, [Hit(chunk, 1.0)], lambda _: similar)
    assert ranked[0].sentence.clean.startswith("One screening prompted")
    asked_here = asking("what did the 'Love Sonia' screenings prompt?", quoted=("love sonia",))
    ranked = candidates(asked_here, [Hit(chunk, 1.0)], lambda _: similar)
    assert ranked[0].sentence.clean.startswith("ODIHR arranged"), "the turn's own quote counts"


def test_a_which_question_prefers_the_sentence_naming_what_it_asks_for() -> None:
    from assistant.synthesize import candidates

    chunk = passage(
        "The coalition was created in 2019 with ODIHR's support. "
        "Its members represent the Jewish, Roma and LGBTI communities."
    )
    sentences = split_sentences(chunk)
    similar = [(sentences[0], 0.6), (sentences[1], 0.5)]  # the first closer to the question
    asked = asking("which communities does the coalition represent?", asks_which="community")
    ranked = candidates(asked, [Hit(chunk, 1.0)], lambda _: similar)
    assert ranked[0].sentence.clean.startswith("Its members")
    plain = asking("what does the coalition represent?")
    assert candidates(plain, [Hit(chunk, 1.0)], lambda _: similar)[0].sentence.index == 0


def test_with_room_for_one_sentence_the_one_naming_the_event_is_told() -> None:
    from assistant.synthesize import _nearest

    chunk = passage(
        "On 4 June, the Office organized a workshop on police reform. "
        "The event was attended by 25 officials."
    )
    told = candidates_of(chunk)
    assert [c.sentence.index for c in _nearest(told, 1, 1, counted=False)] == [0]
    assert [c.sentence.index for c in _nearest(told, 1, 1, counted=True)] == [1], "the count"
    assert [c.sentence.index for c in _nearest(told, 1, 2)] == [0, 1]


def test_a_who_question_prefers_the_sentence_saying_by_whom() -> None:
    from assistant.synthesize import candidates

    chunk = passage(
        "In 2019, ODIHR delivered a number of courses on human rights in counter-terrorism.\n"
        "ODIHR's courses on human rights in counter-terrorism are facilitated by a human rights "
        "trainer and a former police officer."
    )
    sentences = split_sentences(chunk)

    def sentences_of(_: str) -> list[tuple[object, float]]:
        return [(sentences[0], 0.75), (sentences[1], 0.7)]

    text = "who runs ODIHR's courses on human rights in counter-terrorism?"
    assert (
        candidates(asking(text, asks_who=True), [Hit(chunk, 1.0)], sentences_of)[0].sentence.index
        == 1
    )
    assert candidates(asking(text), [Hit(chunk, 1.0)], sentences_of)[0].sentence.index == 0


def test_a_trimmed_entry_keeps_the_sentence_naming_the_event_its_best_one_leans_on() -> None:
    from assistant.synthesize import _nearest

    told = candidates_of(
        passage(
            "On 21 October, the Centre organized a seminar on corruption in Ashgabat. "
            "The event brought together 30 representatives. "
            "During the seminar, two experts from Latvia and Lithuania spoke. "
            "They also addressed the retrieval of embezzled funds."
        )
    )
    kept = [c.sentence.index for c in _nearest(told, 2, 2)]
    assert kept == [0, 2], "the opening names the seminar the best sentence speaks of"
    assert [c.sentence.index for c in _nearest(told, 2, 3)] == [0, 1, 2]
    assert len(_nearest(told, 2, 9)) == 4


def _following_uzbekistan(text: str) -> Query:
    """A question following Uzbekistan through the sections, as understood."""
    return asking(text, across=True, names=("uzbekistan",), telling=frozenset({"uzbekistan"}))


def test_a_country_followed_through_sections_is_not_read_as_a_title_word() -> None:
    from assistant.synthesize import _per_section

    story = passage(
        "ODIHR presented its recommendations in Uzbekistan.",
        "2.1 Raising awareness of trafficking in human beings",
        first=10,
    )
    chapter = passage(
        "The PCUz trained police in Uzbekistan.",
        "4.13 Project Co-ordinator in Uzbekistan > Cybercrime",
        first=20,
    )
    asked = _following_uzbekistan("In which sections does Uzbekistan feature?")
    found = candidates_of(story, 1.0) + candidates_of(chapter, 0.9)
    numbers = iter(range(1, 10))
    text = _per_section(asked, found, lambda c: next(numbers), lambda c: None, None, 16)
    assert "**2.1 Raising awareness" in text and "**4.13 Project Co-ordinator" in text, (
        "the country the question follows names every section, not the ones titled by it"
    )


def test_a_body_followed_to_a_country_keeps_to_the_sections_naming_the_body() -> None:
    from assistant.synthesize import _per_section

    stories = [
        passage(f"ODIHR {done} in Uzbekistan.", f"2.{n} Story {n}", first=10 * n)
        for n, done in ((1, "presented recommendations"), (8, "trained police"))
    ]
    chapter = passage(
        "The PCUz trained police in Uzbekistan.",
        "4.13 Project Co-ordinator in Uzbekistan > Cybercrime",
        first=90,
    )
    asked = _following_uzbekistan("What did ODIHR do in Uzbekistan?")
    found = candidates_of(stories[0], 1.0) + candidates_of(chapter, 0.95)
    found += candidates_of(stories[1], 0.9)
    numbers = iter(range(1, 10))
    text = _per_section(asked, found, lambda c: next(numbers), lambda c: None, None, 16)
    assert "**2.1 Story 1" in text and "**2.8 Story 8" in text
    assert "4.13 Project Co-ordinator" not in text, "the PCUz's work there is not ODIHR's"


def test_a_body_followed_to_a_country_keeps_every_section_its_question_names_by_title() -> None:
    from assistant.synthesize import _per_section

    stories = [
        passage("ODIHR helped CSOs in Uzbekistan.", "2.5 Building a civil society coalition", 10),
        passage("ODIHR advised parliament in Uzbekistan.", "2.6 Advancing political integrity", 20),
    ]
    other = passage("ODIHR trained police in Uzbekistan.", "2.8 Training police", first=90)
    asked = asking(
        "How did ODIHR work with Uzbekistan across its civil society and integrity programmes?",
        across=True,
        names=("uzbekistan",),
        telling=frozenset({"uzbekistan", "integrity"}),
    )
    found = candidates_of(stories[0], 1.0) + candidates_of(stories[1], 0.95)
    found += candidates_of(other, 0.9)
    numbers = iter(range(1, 10))
    text = _per_section(asked, found, lambda c: next(numbers), lambda c: None, None, 16)
    assert "**2.5 Building" in text and "**2.6 Advancing" in text, (
        "a title's phrase the question says ('civil society') names its section as its rare word does"
    )
    assert "2.8 Training police" not in text
