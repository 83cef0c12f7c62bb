"""Whether a report sentence is evidence for a question: its figures, years and names, and
the operation it speaks for.

Pure. A candidate passes when it states the asked figure for the asked operation and year
(itself, or a later sentence of its paragraph), or names someone when a "who" is asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from assistant.figures import abbreviated, gives_figure, loose_figure, of_people, without_dates
from assistant.lexicon import (
    MONTHS,
    WEEKDAYS,
    content_tokens,
    is_operation_chapter,
    is_unit_chapter,
    spelling_key,
    spelt_tokens,
    unit_label,
)
from assistant.query import Query, own_turn
from assistant.types import Hit
from index.sentences import Sentence
from index.types import FIGURE_KINDS


@dataclass(frozen=True)
class Candidate:
    """A sentence that might go into the answer, with why."""

    sentence: Sentence
    hit: Hit
    score: float
    similarity: float


SectionSource = Callable[[Candidate], list[Candidate]]


def names_someone(candidate: Candidate, query: Query) -> bool:
    """The sentence names a person, body or place the question does not: a capitalised word
    past its first ("Thomas Greninger OSCE Secretary General" names no one new for "who
    succeeded Thomas Greninger as Secretary General?")."""
    asked = set(content_tokens(query.expanded))
    words = re.findall(r"[\w'’-]+", candidate.sentence.clean)[1:]
    return any(_new_name(w, asked) for w in words)


def _new_name(word: str, asked: set[str]) -> bool:
    """A capitalised word with a token the question does not use ("Asia" is used by "asian")."""
    if not word[0].isupper():
        return False
    stems = {t[:4] for t in asked if len(t) >= 4}
    return any(t not in asked and t[:4] not in stems for t in content_tokens(word))


_AGENT = re.compile(r"\b([a-z]{4,})\s+by\s+(?:an?\s+|the\s+)?[\w\u2019'-]", re.IGNORECASE)


def says_by_whom(text: str) -> bool:
    """The sentence names who did something: "... are facilitated by a training team"."""
    return _AGENT.search(text) is not None


def credits(candidate: Candidate, query: Query) -> bool:
    """The sentence says by whom the asked action was done: "Delivered by a UK expert, the
    course ..." for "who delivered the course?" (the verb's first five letters match)."""
    asked = {t[:5] for t in content_tokens(query.text) if len(t) >= 5}
    return any(m.group(1).lower()[:5] in asked for m in _AGENT.finditer(candidate.sentence.clean))


_FUNDING = re.compile(
    r"(?i:\b(?:funded|financed|sponsored|paid|donated|supported)\s+(?:\w+\s+)?by\b|\w-funded\b"
    r"|\bwith (?:the )?(?:generous |financial )?support (?:of|from)\b"
    r"|\b(?:funding|funds|grants?|contributions?|donations?)\s+(?:from|by|provided by)\b"
    r"|\bfinancial(?:ly)?\s+(?:support|supported|contributions?|assistance)\b"
    r"|\bdonors?\b|\bextra-budgetary\b|\bthanks to the (?:generous )?(?:support|funding)\b)"
    r"|\b[A-Z]\w*\s+funded\b"  # "the EU funded project": the funder's capital matters
)


def funds(candidate: Candidate) -> bool:
    """The sentence says who paid or backed it: "funded by the EU and German Government", "an
    EU-funded project", "supported by the Italian and Slovak Embassies"; a donation by the
    Mission names no funder of it ("the Mission donated 45 computers")."""
    return _FUNDING.search(candidate.sentence.clean) is not None


_HONORIFIC = re.compile(r"\b(?:Mr|Ms|Mrs|Dr|Prof)\.? [A-Z]")
_CALENDAR = frozenset(MONTHS + WEEKDAYS)


_DATE = re.compile(
    r"\b(?:19|20)\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|\b(?:" + "|".join(MONTHS) + r")\b",
    re.IGNORECASE,
)


def dated(candidate: Candidate) -> bool:
    """The sentence gives a date: a year, a month or a numeric date."""
    return _DATE.search(candidate.sentence.clean) is not None


# two names side by side in a list: "Hungary, Poland", "of Plav and Gusinje" (not the words
# of one name: "the UN Human Rights Council", "... Monitoring Weapons and Restraints")
_LISTED = re.compile(r"\b([A-Z][\w'’/-]*)(,|,? and) (?=([A-Z][\w'’/-]*))")


_PLACE_NOUNS = frozenset(
    content_tokens("states countries cities towns villages municipalities regions places locations")
)


def _listed(text: str) -> list[tuple[str, str]]:
    """Pairs of capitalised words listed side by side; joined by a bare "and", the first must
    open its name. Example: "in Estonia and Sweden" -> [("Estonia", "Sweden")]"""
    pairs = []
    for m in _LISTED.finditer(text):
        before = re.findall(r"[\w'’/-]+", text[: m.start()])[-1:]
        if m.group(2) == " and" and before and before[0][0].isupper():
            continue  # "Monitoring Weapons and Restraints": one title
        pairs.append((m.group(1), m.group(3)))
    return pairs


def names_members(candidate: Candidate, query: Query) -> bool:
    """For "which municipalities ...?": the sentence names some, a name the question lacks
    beside the noun ("the municipalities of Plav and Gusinje") or two anywhere ("Estonia and
    Sweden"); "three municipalities", "a number of participating States" or one name of
    several words ("the Nelson Mandela Rules") name none."""
    asked = {t[:5] for t in content_tokens(query.expanded)} | {query.asks_which[:5]}

    def named(w: str, listed: bool = False) -> bool:
        return (
            w[0].isupper()
            # "PD", "OSCE": a body's abbreviation names no member, unless listed ("the KP,
            # Tax Administration, ACA, and Special Prosecution Service")
            and (listed or not w.isupper())
            and not w.endswith(("'s", "’s"))  # "the Mission's key priorities"
            and w.lower() not in _CALENDAR
            and not {t[:5] for t in content_tokens(w)} <= asked
        )

    text = candidate.sentence.clean
    # places listed are never all abbreviations: "Denmark and UK", not "the OI and NPM"
    places = query.asks_which in _PLACE_NOUNS
    if any(
        named(a, True) and named(b, True) and not (places and a.isupper() and b.isupper())
        for a, b in _listed(text)
    ):
        return True  # "Estonia and Sweden", "Hungary, Poland, Romania": members listed
    words = re.findall(r"[\w'’/-]+", text)
    new = [i for i, w in enumerate(words) if i and named(w)]
    nouns = [i for i, w in enumerate(words) if content_tokens(w)[:1] == [query.asks_which]]
    return any(abs(i - j) <= 4 for i in new for j in nouns)


def names_person(candidate: Candidate, query: Query) -> bool:
    """For "who were the experts ...?": a person by name ("Mr. Juraj SMOLEK") or the asked
    people with a name the question lacks beside them ("a UK expert", "experts from Austria");
    "two senior staff members from the OSR/CTHB" names no one the question did not."""
    text = candidate.sentence.clean
    if _HONORIFIC.search(text):
        return True
    asked = set(content_tokens(query.expanded)) | _CALENDAR
    words = re.findall(r"[\w'’/-]+", text)
    for i, word in enumerate(words):
        if content_tokens(word)[:1] != [query.asks_person]:
            continue
        near = words[max(0, i - 3) : i] + words[i + 1 : i + 4]
        if any(_new_name(w, asked) for w in near):
            return True
    return False


def located(candidate: Candidate, query: Query) -> bool:
    """A sentence naming the place the question locates its subject by, when that place is
    where the operation works rather than its name: "the launch in Karaganda" may be
    TNTD/SPMU's, though Karaganda points to the Programme Office in Nur-Sultan."""
    return bool(query.located) and bool(
        set(query.located) & set(content_tokens(candidate.sentence.clean))
    )


def overview_naming(candidate: Candidate, query: Query) -> bool:
    """A sentence of another chapter that speaks for the asked operation: in an overview
    chapter (no unit number, e.g. "1 Executive Summary") one naming its place ("the Mission to
    Moldova dedicated 78 per cent ..."); in an appendix one naming it whole, as a contact list
    does ("Mission to Skopje: ... Contact Person Mr. ..."). Never another operation's chapter."""
    text = candidate.sentence.clean.lower()
    unit = candidate.hit.chunk.unit
    if is_operation_chapter(unit):
        return False
    if is_unit_chapter(unit):  # (as the question names it: "TNTD/ATU")
        names = [unit_label(u).lower() for u in query.units] + list(query.aliases)
        # ("SPMU" is named by "TNTD/SPMU", but "TNTD" names no one unit of "TNTD/SPMU")
        return any(re.search(rf"(?<!\w){re.escape(name)}(?![\w/])", text) for name in names)
    return any(
        place and re.search(rf"\b{re.escape(place.lower())}\b", text) for place in query.places
    )


def supported(
    ranked: list[Candidate],
    test: Callable[[Candidate], list[Candidate]],
    floor: float,
    depth: int = 40,
) -> list[Candidate]:
    """The relevant candidates that pass a support test (relevant: not far below the best),
    each followed by the later sentence of its paragraph that gave the support, if any."""
    least = floor * ranked[0].score
    return [x for c in ranked[:depth] if c.score >= least for x in test(c)]


def supports(candidate: Candidate, query: Query) -> bool:
    """Evidence for the asked year (when not the reports' own) and for the asked figure."""
    if query.other_years and not mentions_year(candidate, _years(query)):
        return False
    if query.after_report and planned(candidate):
        return False
    if (
        query.other_years
        and query.wants_number
        and not query.focus
        and not _names_rare(candidate, query)
    ):
        return False  # "the split between the two activity categories in 2018": not staff
    return not (query.wants_number and query.focus) or states_figure(candidate, query)


def _names_rare(candidate: Candidate, query: Query) -> bool:
    """The sentence or its section names one of the question's rare words, if it has any
    besides its operations' names (a figure of another year must be a figure of the thing)."""
    units = {t for u in query.units for t in content_tokens(u)}
    # (an abbreviation is matched through its expansion: "THB" by "Trafficking in ...")
    abbreviations = {
        t for w in re.findall(r"\b[A-Z][A-Z/&]+\b", query.text) for t in content_tokens(w)
    }
    asked = query.rare - units - abbreviations
    # words, not years ("2015-2019") nor short function words ("per", "me", "went")
    rare = {t[:5] for t in asked if len(t) >= 5 and not any(ch.isdigit() for ch in t)}
    return not rare or bool(rare & {t[:5] for t in content_tokens(evidence_text(candidate))})


_PLANNED = re.compile(
    r"\b(will|plans?|planned|planning|foresees?|foreseen|envisaged|intends?|expected to|upcoming|"
    r"to be (?:held|organi[sz]ed|launched|continued|implemented))\b",
    re.IGNORECASE,
)


def planned(candidate: Candidate) -> bool:
    """The sentence states a plan, not an outcome: "Joint activities are planned for 2020"."""
    return _PLANNED.search(candidate.sentence.clean) is not None


def support(
    candidate: Candidate, query: Query, paragraph_of: SectionSource | None, reach: int = 6
) -> list[Candidate]:
    """[candidate] when it supports the answer itself; [candidate, later] when a later sentence
    of its paragraph gives the figure: the sentence that names an event is often followed by
    the ones that count it ("As a result, 19 recommendations were agreed"); [] otherwise."""
    if not (query.wants_number and query.focus):  # a year asked: the sentence must say it
        return [candidate] if supports(candidate, query) else []
    paragraph = paragraph_of(candidate) if paragraph_of is not None else [candidate]
    if not on_topic(paragraph, candidate, query) or not _from_there(paragraph, candidate, query):
        return []
    if supports(candidate, query):
        return [candidate]
    if paragraph_of is None:
        return []
    later = following(paragraph, candidate, reach)
    if query.other_years and not any(
        mentions_year(c, _years(query)) for c in [candidate, *later[:1]]
    ):
        return []
    if candidate.hit.chunk.unit not in query.units and _placing(candidate, query):
        # another chapter's account of the event: "The event gathered 32 representatives"
        # counts for the place its opening sentence names
        query = replace(query, units=())
    giving = next((c for c in later if states_figure(c, query)), None)
    head = query.focus[-1]
    if giving is None and of_people(head) and head in content_tokens(candidate.sentence.clean):
        # "a course for staff from forensic centres ... provided 18 participants with ...":
        # the people the sentence names are the ones the next counts as participants
        anyone = replace(query, focus=("participant",), also_counted=())
        giving = next((c for c in later if states_figure(c, anyone)), None)
    return [candidate, giving] if giving is not None else []


def _placing(candidate: Candidate, query: Query) -> bool:
    """The sentence tells the asked event: it names a place the question puts it in, and two
    of the question's other rare words (or its one): "the seminar on ... Internet for
    Terrorist Purposes ... in Podgorica", not another workshop held in the same city."""
    text = candidate.sentence.clean.lower()
    places = [p.lower() for p in query.places if p] + list(query.located)
    if not any(re.search(rf"\b{re.escape(p)}\b", text) for p in places):
        return False
    named = {t for p in places for t in content_tokens(p)}
    named |= {t for u in query.units for t in content_tokens(u)}
    asked = {spelling_key(t) for t in query.rare - named - set(query.focus) if len(t) > 3}
    return bool(asked) and len(asked & spelt_tokens(text)) >= min(2, len(asked))


def on_topic(paragraph: list[Candidate], candidate: Candidate, query: Query) -> bool:
    """A figure's paragraph names the place the question puts the event in, and one of the
    names it singles its subject out by: "how many people watched the Love Sonia screenings?"
    is not answered by a count in a paragraph that never mentions the film."""
    text = " ".join(c.sentence.clean for c in paragraph) + " " + candidate.hit.chunk.section
    tokens = set(content_tokens(text))
    # "the workshop in Skopje" (a state's own operation needs not name it: "in Kazakhstan")
    home = query.at_home and candidate.hit.chunk.unit in query.units
    if query.located and not home and not set(query.located) & tokens:
        return False
    # "the roundtable on 12 December": a count for a dated event comes from a paragraph
    # dated in that month
    if query.months and not any(m in text.lower() for m in query.months):
        return False
    # "of the 318 police and legal actors, how many were women?": the passage counting 318
    quoted = _quoted_counts(query)
    if quoted and not quoted & set(re.findall(r"\d+", text.replace(",", ""))):
        return False
    places = {t for u in query.units for t in content_tokens(u)}
    distinctive = set(query.names) - places - set(query.focus)
    # "the Grodno Forum", "the course in Albacete" (a record's row names its own terms), or a
    # rare word the question capitalises as part of a name ("the Future of Travel conference")
    titled = {
        t for w in re.findall(r"(?<=\w )[A-Z][a-z]{3,}", query.text) for t in content_tokens(w)
    }
    rare = (distinctive | titled) & query.rare - _CALENDAR - places
    rare -= abbreviated(query.text, text)  # "Women Police Association", written "WPA"
    stems = {t[:5] for t in tokens}  # "Montenegrin" names Montenegro
    if rare and candidate.hit.chunk.kind == "text" and not any(n[:5] in stems for n in rare):
        return False
    if len(distinctive) < 2:  # one name may be a country the passage calls otherwise
        return True
    return bool(distinctive & tokens)


_DATED = re.compile(
    r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    re.IGNORECASE,
)


def _quoted_counts(query: Query) -> set[str]:
    """The figures a question quotes to single its subject out ("of the 318 actors"), less
    its years and days of the month ("the 10 May workshop")."""
    text = _DATED.sub(" ", query.text)
    return set(re.findall(r"(?<![\d.,])\d{2,}(?![\d.,]?\d)", text)) - set(query.years)


def following(paragraph: list[Candidate], candidate: Candidate, most: int) -> list[Candidate]:
    """Up to `most` sentences after the candidate in its paragraph."""
    at = position(paragraph, candidate)
    return paragraph[at + 1 : at + 1 + most]


def position(paragraph: list[Candidate], candidate: Candidate) -> int:
    """Where a sentence sits in its paragraph (0 when it is not found)."""
    key = (candidate.sentence.chunk_id, candidate.sentence.index)
    return next(
        (i for i, c in enumerate(paragraph) if (c.sentence.chunk_id, c.sentence.index) == key), 0
    )


def evidence_text(candidate: Candidate) -> str:
    return f"{candidate.sentence.clean} {candidate.hit.chunk.section}"


def _years(query: Query) -> tuple[str, ...]:
    """The years a passage may name to answer a question asking about another year."""
    return query.asked_years or query.other_years


def mentions_year(candidate: Candidate, years: tuple[str, ...]) -> bool:
    text = evidence_text(candidate)
    return any(year in text for year in years)


def states_figure(candidate: Candidate, query: Query) -> bool:
    """The sentence states a count or amount of the thing asked about, for the unit asked about."""
    chunk = candidate.hit.chunk
    whole_line = chunk.kind in FIGURE_KINDS or chunk.kind == "table"
    return gives_figure(
        query, candidate.sentence.clean, evidence_text(candidate), chunk.unit, whole_line
    ) and _its_own(candidate, query)


def _its_own(candidate: Candidate, query: Query) -> bool:
    """The sentence's figure is news, and of the asked place alone: neither a figure the
    question itself quotes nor one shared by a list of places holding the asked one."""
    return not _restates(candidate, query) and not _shared_count(candidate, query)


def _restates(candidate: Candidate, query: Query) -> bool:
    """The sentence's only figures are those the question itself quotes: "of the 80 teachers,
    how many came from Bar?" is not answered by "a workshop for 80 teachers"."""
    quoted = _quoted_counts(query)
    # (a number naming something is no count: "ISO 17025", "UNSCR 1325", "No. 5")
    quoted -= set(_NAMING_NUMBER.findall(query.text))
    if not quoted:
        return False
    text = _NAMING_NUMBER.sub(" ", without_dates(own_text(candidate))).replace(",", "")
    said = set(re.findall(r"(?<![\d.,])\d+(?![\d.,]?\d)", text)) - set(_YEARS.findall(text))
    return bool(said) and said <= quoted


def _shared_count(candidate: Candidate, query: Query) -> bool:
    """The question counts for one place ("how many came from Hungary?") that the sentence
    lists among others ("250 police officers in Hungary, Poland, Romania and Slovakia"): its
    count is the list's, not the place's."""
    asked = [m.group(2) for m in _PLACE_ASKED.finditer(own_turn(query.text))]
    if not asked:
        return False
    lists = [m.group(0) for m in _NAMES_LIST.finditer(candidate.sentence.clean)]
    return any(re.search(rf"\b{re.escape(a)}\b", listed) for a in asked for listed in lists)


def _from_there(paragraph: list[Candidate], candidate: Candidate, query: Query) -> bool:
    """A count of people from a place ("how many came from Hungary?") comes from a paragraph
    (or section) naming it: "16 police officers in Kyiv" does not count Hungarians."""
    # (not the owner of a body: "officials from North Macedonia's Financial Police Office")
    asked = {
        m.group(2).lower()[:5]
        for m in _PLACE_ASKED.finditer(own_turn(query.text))
        if m.group(1) == "from" and not m.group(3)
    }
    if not asked:
        return True
    text = " ".join(c.sentence.clean for c in paragraph) + " " + candidate.hit.chunk.section
    return bool(asked & {t[:5] for t in content_tokens(text)})


# "from Hungary", "in Serbia": the place a count is asked for (its first word), and whether it
# owns a body named next ("from North Macedonia's Financial Police Office")
_PLACE_ASKED = re.compile(r"\b(from|in)\s+([A-Z][\w-]+)(?:\s+[A-Z][\w-]+)*(['’]s)?")
# a list of three or more names: "Hungary, Poland, Romania, Slovakia and Ukraine"
_NAME = r"[A-Z][\w-]+(?: [A-Z][\w-]+)?"
_NAMES_LIST = re.compile(rf"{_NAME}(?:, {_NAME})+,? (?:and|or) {_NAME}")
_YEARS = re.compile(r"\b(?:19|20)\d\d\b")
_NAMING_NUMBER = re.compile(r"(?<=\b[A-Z]{2}\s)\d+|(?<=[A-Z]{3}\s)\d+|(?<=No\.\s)\d+")


def shares_rare(
    candidate: Candidate, query: Query, paragraph_of: SectionSource | None = None
) -> list[Candidate]:
    """A count in a sentence sharing two of the question's rare words, or in the next sentence
    of its paragraph (the report may count the thing in its own words: "1,259 pieces of SALW"
    for "weapons"; "there are 33 established MCSCs" for "councils")."""
    if query.other_years and not mentions_year(candidate, _years(query)):
        return []
    tokens = set(content_tokens(evidence_text(candidate)))
    if len((query.rare - set(query.focus[-1:])) & tokens) < 2:
        return []
    paragraph = paragraph_of(candidate) if paragraph_of is not None else [candidate]
    # "the PCUz's study trip to Poland": beside the operation, a name singles out the event
    # (alone, it may be the operation's own country: "MPR vehicles in Kyrgyzstan")
    if query.units and not on_topic(paragraph, candidate, query):
        return []
    if not _from_there(paragraph, candidate, query):
        return []

    if loose_figure(query, own_text(candidate)) and _its_own(candidate, query):
        return [candidate]
    later = following(paragraph, candidate, 1)
    giving = later and loose_figure(query, own_text(later[0])) and _its_own(later[0], query)
    return [candidate, *later] if giving else []


def own_text(candidate: Candidate) -> str:
    """The sentence without the unit name a record repeats ("4.9 Centre in Ashgabat")."""
    return candidate.sentence.clean.replace(candidate.hit.chunk.unit, " ")
