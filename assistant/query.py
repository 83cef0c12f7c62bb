"""Understand a question with the corpus lexicon: units, themes, years, abbreviations, typos.

Pure. The output drives retrieval (expanded keyword text, unit/theme boosts, per-unit
gathering) and answering (what shape the answer takes, whether a figure is wanted).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from rapidfuzz import fuzz, process

from assistant.lexicon import (
    _STOP,
    MONTHS,
    RARE_IDF,
    YEAR_SPAN,
    Lexicon,
    content_tokens,
    is_operation_chapter,
    is_unit_chapter,
    quoted_names,
    unit_label,
)

_SPREAD = re.compile(
    # ("which Central Asian field operations ...": a region or kind between)
    r"\b(which|what)\s+(?:(?!(?:did|does|do|is|are|was|were|has|have|had|the|a|an|of)\b)"
    r"[\w-]+\s+){0,2}?(osce\s+)?(field\s+)?"
    r"(operations|ops|missions|offices|units|structures|presences|fos)\b"
    r"|\b(all|every|each)\s+(osce\s+)?(field\s+)?(operations?|ops|missions?|offices?)\b"
    # ("across the OSCE" asks for the organisation's totals, not each operation's share)
    # ("across its programmes" spans one actor's own work)
    r"|\bacross\b(?!\s+(?:(?:the\s+)?(?:osce|organi[sz]ation|whole)|its|their)\b)|\bwhere else\b",
    re.IGNORECASE,
)
_COMPARE = re.compile(
    r"\b(compare|comparison|versus|vs\.?|differ|difference|both)\b", re.IGNORECASE
)
_NUMBER = re.compile(
    r"\b(how many|how much|number of|what (?:was|is) the (?:total|budget|share|percentage)|"
    r"percentages?|per ?cent|shares?|proportions?|fractions?|split|breakdown|distribution|"
    r"break(?:s)? down|broken down|fewest|least|most activities|"
    r"budgets?|total|staff(?:ing)? (?:numbers|levels?|strength)|headcounts?|"
    r"figures?|amounts?|how large|size|value|worth|costs?|prices?|charts?|graphs?|"
    r"per year|each year|by year|year on year|trends?|peak(?:ed)?|highest|lowest|over the years)\b",
    re.IGNORECASE,
)
# "the number of the 2008 decision on THB" is what it is numbered, not a count of anything
_IDENTIFIER = re.compile(r"\bnumber of (?:the|this|that|its|their) ([^?,;:]+)", re.IGNORECASE)


def _identifier(match: re.Match[str]) -> str:
    """The "number of the ..." phrase left out when its noun is singular (it names an identifier)."""
    words = _FOCUS_END.split(match.group(1))[0].split()
    return " " if words and not words[-1].lower().endswith("s") else match.group(0)


_ORG_PHRASE = re.compile(
    r"\b(mission|office|centre|center|presence|project co-?ordinator)\s+(?:to|in|of)\s+"
    r"((?:[a-z][\w-]+\s?){1,3})",
    re.IGNORECASE,
)
_DEFINE = re.compile(
    r"\bwhat (?:does|is|'s) (?:the )?(?:abbreviation |acronym )?([\w/&-]{2,})"
    r"(?: stand for| short for| mean)?\s*\??$|\bmeaning of ([\w/&-]{2,})|"
    r"\b([\w/&-]{2,}) stands? for\b",
    re.IGNORECASE,
)
_YES_NO = re.compile(r"\s*(did|does|do|has|have|had|was|were|is|are|can|could)\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(19|20)\d\d\b")
# "in which of ODIHR's stories does Poland feature?", "what did ODIHR do in Uzbekistan?":
# a name followed through every section that tells of it
_ACROSS = re.compile(
    r"\bwhich (?:of )?(?:[\w'’]+ ){0,5}?(?:stories|sections|chapters|parts|projects)\b"
    r"|\b(?:features?|featured|appears?|appeared|mentioned|involv(?:e|es|ed|ing))\b"
    r"|\bwhat (?:did|does|has) (?:[\w'’/-]+ ){1,3}?do (?:in|with|for)\b"
    r"|\b(?:how|in what ways?) (?:did|does|has) (?:[\w'’/-]+ ){1,3}?"
    r"(?:work|worked|co-?operate|co-?operated|engage|engaged|partner|partnered) with\b",
    re.IGNORECASE,
)
_POINTED = re.compile(
    r"^\s*(?:where|when|who|whom|whose|which|how long|how often)\b"
    r"|^\s*(?:on|in|at|into|to|from|for|by|with) (?:which|what|whom)\b"
    r"|\b(?:where|when) (?:was|were|is|did|does|do)\b",
    re.IGNORECASE,
)
# "what is BSMU's role?", "what did the Skopje mission focus on?": what a chapter's opening
# section says of the operation, not one activity
_OVERVIEW = re.compile(
    r"\b(?:role|focus(?:ed|es|ing)? on|priorit(?:y|ies)|mandate|main (?:areas?|tasks?|lines?) of)\b",
    re.IGNORECASE,
)
_SUMMARY = re.compile(
    r"\b(what (?:did|has|have|does|do)\b.*\b(?:do|done|doing)\b|what kind of|what sort of|"
    r"tell me about|overview|summar|how did .* (?:support|help|assist|work)|"
    r"how (?:is|are|was|were) .* (?:helping|supporting|working)|main (?:findings|messages|points)|"
    r"what (?:work|activities|support)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Query:
    """A question as understood."""

    text: str
    expanded: str  # text plus abbreviation expansions and corrected spellings, for BM25
    units: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    years: tuple[str, ...] = ()
    unknown_units: tuple[str, ...] = ()  # "Mission to Georgia": named, but no such unit
    unknown_years: tuple[str, ...] = ()
    other_years: tuple[str, ...] = ()  # years asked about other than the reports' own year
    # those, and the reports' own year when asked beside them ("in 2019, and the 2018 figure?")
    asked_years: tuple[str, ...] = ()
    spread: bool = False  # asks across operations ("which operations ...")
    compare: bool = False
    wants_number: bool = False
    places: tuple[str, ...] = ()  # the places the named units are named after
    focus: tuple[str, ...] = ()  # what a figure is asked of: "how many [election observers]"
    # the other record asked beside it: "what budget and staff ..." -> ("staff",)
    also_counted: tuple[str, ...] = ()
    wants_share: bool = False  # a percentage is asked for
    wants_summary: bool = False  # "what did X do", "tell me about", "overview of"
    tokens: frozenset[str] = frozenset()
    # a follow-up's own words, without its "(about: ...)" context (empty for other questions)
    own_tokens: frozenset[str] = frozenset()
    rare: frozenset[str] = frozenset()  # the question's distinctive words (rare in the corpus)
    # its own words (no expansions) less the commonest: what a section title may name
    telling: frozenset[str] = frozenset()
    corrections: dict[str, str] = field(default_factory=dict)
    # "what does PAHCT stand for?": the abbreviation asked about, and its expansion
    defines: tuple[str, ...] = ()
    months: tuple[str, ...] = ()  # months the question dates its event by, lower-case
    yes_no: bool = False  # "did ODIHR train Belarusian police?"
    asks_who: bool = False  # "who delivered the course?": the answer names someone
    # "where ...?", "in which countries ...?": the answer names places
    asks_place: bool = False
    asks_when: bool = False  # "when was it adopted?": the answer gives a date
    # "which municipalities / participating States ...?": the plural noun whose members are asked
    asks_which: str = ""
    # "who were the experts / staff ...?": the people asked for, by the noun naming them
    asks_person: str = ""
    asks_funder: bool = False  # "who funded it?", "which donor paid for ...?"
    asks_why: bool = False  # "why was the budget cut?": a reason, which no figure gives
    asks_quote: bool = False  # "who is quoted ...?", "what did she say?"
    # "where / when / who / which ...": one fact asked, not a section's gist
    pointed: bool = False
    overview: bool = False  # "what did X focus on?": the opening section of X's chapter
    # the themes named outright, when the question asks about two or more ("on X and on Y")
    themes_named: tuple[str, ...] = ()
    across: bool = False  # a name asked after wherever the reports tell of it
    names: tuple[str, ...] = ()  # the turn's words the reports always capitalise, lower-cased
    # the abbreviations a passage may name one of them by: "interior" -> ("moi",)
    name_abbreviations: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # what is asked of the operations compared, without their names ("what did each do with
    # schools?"): each one's passages are found by its chapter, and the names drown the subject
    subject: str = ""
    # rare acronyms of partners and programmes the turn names ("icitap", "dcaf"): what "which
    # operations worked with ...?" gathers each operation's passages on
    acronyms: tuple[str, ...] = ()
    # "which FOs in Central Asia ...": the operations a cross-operation question is limited to
    within: tuple[str, ...] = ()
    # places the question locates its subject by, where others work too ("in Karaganda")
    located: tuple[str, ...] = ()
    # ... each the state the asked operation works in: "what did the OSCE do in Kazakhstan?"
    at_home: bool = False
    # "what did the 2020 training achieve?" of a 2019 report: what happened after the reports,
    # which can only state plans for it
    after_report: bool = False
    # "according to ODIHR's annual report, ...": the one document the question names
    documents: tuple[str, ...] = ()
    # "how many officers did the follow-up [workshop] reach?": what does the counted thing
    doer: frozenset[str] = frozenset()
    # the short names the question calls its units by: "tntd/atu", "pcuz"
    aliases: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # the report's theme categories named, by their words
    quoted: tuple[str, ...] = ()  # names the question quotes, in plain words

    @property
    def several_themes(self) -> bool:
        """Operations asked about two or more themes by name: "what did X do on A and on B?"."""
        return bool(self.units) and len(self.themes_named) > 1


def _asked_years(text: str, other: tuple[str, ...], main: str) -> tuple[str, ...]:
    """The other years asked about (`other`), and the reports' own year when it is asked
    beside them.

    Example: _asked_years("how many in 2019, and in 2018?", ("2018",), "2019") -> ("2018", "2019")
    """
    # (not the end of a span, "2016-2019", nor "since 2019")
    alone = rf"(?<![-–/])(?<![-–/] )\b{main}\b(?!\s*[-–/]\s*\d)"
    if not other or not main or not re.search(alone, text) or re.search(rf"\bsince {main}", text):
        return other
    return (*other, main)


def _other_years(
    text: str, years: tuple[str, ...], main: str, named: set[tuple[str, str]]
) -> tuple[str, ...]:
    """Years asked about other than the reports' own. A span holding that year asks about it
    ("the 2016-2020 police strategy"), as does "since 2016"; "in 2016 and 2017" does not.
    A span the reports name (`named`: "the strategy for 2020-2025") names, not asks.

    Example: _other_years("the 2016-2020 strategy in 2018", ("2016", "2020", "2018"), "2019",
    set()) -> ("2018",)
    """
    spanning = {
        y
        for m in YEAR_SPAN.finditer(text)
        if (main and int(m.group(1)) <= int(main) <= int(m.group(2))) or m.groups() in named
        for y in m.groups()
    }
    return tuple(
        y
        for y in years
        if y != main and y not in spanning and not re.search(rf"\bsince {y}", text, re.I)
    )


def own_turn(question: str) -> str:
    """The turn's own words, without the context a rewritten follow-up carries as
    "(about: ...)".

    Example: "where was it? (about: the Tirana course)" -> "where was it?"
    """
    return re.sub(r"\(about:.*\)\s*$", "", question).strip() or question


def understand(question: str, lex: Lexicon) -> Query:
    """Read a question against the corpus lexicon.

    Example: "what did skopje do on gender mainstreaming" -> units=("4.6 Mission to Skopje",),
    themes=("Gender Mainstreaming",)
    """
    corrections = _corrections(question, lex)
    # a rewritten follow-up carries its context as "(about: ...)": it informs what the question
    # is about, but the question's intent (a figure? several operations?) is the turn's own
    own = own_turn(question)
    own_fixed = _apply(own, corrections)
    fixed = _full_months(_apply(question, corrections))
    expansions = _expansions(fixed, lex)
    expanded = " ".join([fixed, *expansions])
    said = " ".join(content_tokens(expanded))
    categories = tuple(sorted(c for c in lex.categories if c in said))
    themes = _outside_categories(_themes(expanded, lex), categories)
    units = _units(expanded, lex)
    units = _theme_named(units + _kind_named(fixed, lex, units), themes, expanded, lex)
    themes = _unit_named(themes, units, expanded, lex)
    # (named by the question's words and its topics' abbreviations: "ODIHR" spelt out, "...
    # Institutions and Human Rights", names a body, not the theme "Human Rights and ...")
    topical = " ".join([fixed, *(e for e in expansions if _topical(e, lex))])
    named = _unit_named(
        _outside_categories(_named_themes(topical, lex), categories), units, expanded, lex
    )
    # a region limits the answer to its operations when the question asks about operations;
    # "exercises in Central Asia" places events, which any unit may have run
    within = _within(expanded, lex) if _SPREAD.search(own) or _FIELD.search(own) else ()
    quoting = _asks_quote(own)
    # "what did field operations in Central Asia do on X?" asks across them, as "which" does
    # (unless it names an operation or institution: "SPMU's project in Eastern Europe")
    actors = [u for u in units if is_unit_chapter(u)]
    spread = bool(_SPREAD.search(own)) or bool(within and not actors)
    if spread:  # "which operations ...": a part is not the answer's subject
        units = tuple(u for u in units if lex.places.get(u))
    venues = _venues(expanded, lex, units)
    units = tuple(u for u in units if u not in venues)
    # "in ODIHR's Part 2 stories, what work involving Uzbekistan ...?": no chapter of the
    # police report's, but a name followed through the document named
    documents = _named_documents(fixed, lex.documents)
    asked = set(documents)
    units = tuple(u for u in units if not asked or lex.unit_documents.get(u, asked) & asked)
    if len(units) >= 2 or (units and _COMPARE.search(own)):
        units += _listed_institutions(expanded, lex, units)
    unknown = _unknown_units(fixed, lex, units)
    years = tuple(m.group(0) for m in _YEAR.finditer(fixed))
    other_years = _other_years(fixed, years, lex.main_year, lex.spans)
    defines = _defines(own, lex)
    names = _names(_without_regions(own_fixed, lex), lex)
    focus = _spelt(_focus(own_fixed), lex)
    words = set(content_tokens(fixed))
    located = tuple(w for w in lex.located if w in words)
    # ("who is the contact, and what is their role?" asks for a person)
    overview = bool(_OVERVIEW.search(own)) and bool(units) and not _POINTED.search(own)
    return Query(
        text=question,
        expanded=expanded,
        units=units,
        # "what does PAHCT stand for?" asks for a name, not about hate crime, its theme
        themes=() if defines else themes,
        themes_named=() if defines else named,
        categories=categories,
        quoted=tuple(quoted_names(question)),
        years=years,
        unknown_units=unknown,
        unknown_years=tuple(y for y in years if y not in lex.years),
        other_years=other_years,
        asked_years=_asked_years(fixed, other_years, lex.main_year),
        spread=spread,
        within=within if spread else (),
        compare=bool(_COMPARE.search(own)) and len(units) >= 2,
        # ("staff of its CPCSB department in 2019 vs 2018?": the staff table's two years)
        # (what someone said of "the official figures" is their words, not a figure)
        wants_number=(bool(_NUMBER.search(_IDENTIFIER.sub(_identifier, own))) and not quoting)
        or "%" in own
        or (focus[-1:] == ("staff",) and len(years) > 1),
        places=tuple(lex.places.get(u, "") for u in units if lex.places.get(u)),
        focus=focus,
        also_counted=_also_counted(own_fixed, focus),
        wants_summary=bool(_SUMMARY.search(own) or overview),
        overview=overview,
        wants_share=bool(
            re.search(r"\b(share|percentage|per ?cent|proportion|fraction|%)", own, re.I)
        ),
        tokens=frozenset(content_tokens(expanded)),
        own_tokens=_own_tokens(own_fixed, lex) if own != question else frozenset(),
        rare=frozenset(t for t in words if lex.idf.get(t, 0.0) >= RARE_IDF),
        telling=frozenset(t for t in words if lex.idf.get(t, 0.0) >= 2.5),
        corrections=corrections,
        defines=defines,
        yes_no=bool(_YES_NO.match(own)),
        asks_who=bool(re.match(r"\s*who\b", own, re.IGNORECASE)),
        asks_person=_asks_person(own),
        asks_funder=bool(_FUNDER.search(own)),
        asks_why=bool(_WHY.search(own)),
        asks_quote=quoting,
        asks_place=bool(_PLACE.search(own)),
        asks_which=_asks_which(own),
        asks_when=bool(re.match(r"\s*when\b|\s*(?:on|in|at) what (?:date|day|month)\b", own, re.I)),
        pointed=bool(_POINTED.search(own)),
        across=bool(_ACROSS.search(own)),
        months=tuple(m for m in _MONTHS.values() if re.search(rf"\b{m}\b", fixed, re.I)),
        names=names,
        name_abbreviations=_name_abbreviations(names, lex),
        subject=_without_units(expanded, units, lex),
        acronyms=tuple(w for w in _words(own_fixed) if w in lex.acronyms),
        located=located + tuple(t for u in venues for t in content_tokens(lex.places[u])),
        at_home=bool(located)
        and not venues
        and all(w in lex.states and lex.aliases[w] in units for w in located),
        after_report=_after_report(own, years, lex.main_year),
        documents=documents,
        doer=_doer(own_fixed, units),
        aliases=_aliases(expanded, units, lex),
    )


_DOER = re.compile(
    r"\bhow many\s+[\w\s'’/-]+?\s(?:did|does|do|has|have|had|will)\s+([\w\s'’/-]+?)\s*(?:[?,;]|$)",
    re.IGNORECASE,
)


def _doer(own: str, units: tuple[str, ...]) -> frozenset[str]:
    """What a count question says did the thing counted, less its verb and its operations'
    names: "how many officers did the Kosovo mission's follow-up workshop reach?" ->
    {"follow", "up", "follow-up", "workshop"}; a count of what the Mission did names nothing."""
    match = _DOER.search(own)
    if match is None:
        return frozenset()
    words = match.group(1).split()[:-1]  # the last word is the verb: "reach", "train"
    names = {t for u in units for t in content_tokens(f"{u} {unit_label(u)}")}
    generic = {"mission", "office", "centre", "presence", "osce", "they", "it", "project"}
    return frozenset(set(content_tokens(" ".join(words))) - names - generic)


def _named_documents(own: str, documents: list[str]) -> tuple[str, ...]:
    """The document a question names by two words of its name that no other document's
    name shares: "part 2 of ODIHR's annual report" -> odihr-annual-report-2019-part-2."""
    if len(documents) < 2:
        return ()
    words = set(re.findall(r"[a-z0-9]+", own.lower()))
    names = {d: set(re.findall(r"[a-z0-9]+", d.lower())) - {"report"} for d in documents}
    shared = set.intersection(*names.values())
    reported = re.search(r"\breport\b", own, re.IGNORECASE) is not None
    named = [
        d
        for d, tokens in names.items()
        if (reported and len((tokens - shared) & words) >= 2) or _numbered_part(d, own, shared)
    ]
    return tuple(named) if len(named) == 1 else ()


def _numbered_part(document: str, own: str, shared: set[str]) -> bool:
    """The question names the numbered part its document's name ends in ("Part 2"), which
    no other document shares: a word then a number, as the name has them.

    Example: ("odihr-annual-report-2019-part-2", "ODIHR's Part 2 stories", {"2019"}) -> True
    """
    tokens = re.findall(r"[a-z0-9]+", document.lower())
    pairs = [(a, b) for a, b in pairwise(tokens) if b.isdigit() and b not in shared and a.isalpha()]
    return any(re.search(rf"\b{a}\s+{b}\b", own, re.IGNORECASE) for a, b in pairs)


_PLACE = re.compile(
    # (not "where will the data be published / can I find it": a source, not a place)
    r"^\s*where\b(?!.*\b(?:publish\w*|available|find|found|read|download\w*|online|"
    r"posted|stored|submitted)\b)|"
    r"\b(?:which|what) (?:countries|country|(?:participating )?states|cities|city|towns?|places?|regions?|"
    r"municipalities|municipality|locations?|venues?)\b",
    re.IGNORECASE,
)
_PERSON = re.compile(
    r"^\s*who (?:was|were|is|are) the (?:[\w/-]+ ){0,3}?(staff|experts?|trainers?|facilitators?|"
    r"speakers?|lecturers?|instructors?|moderators?|presenters?|heads?|directors?|chairs?)\b",
    re.IGNORECASE,
)


_QUOTE = re.compile(r"\bquot(?:e|ed|es|ing)\b|\bwho (?:said|says)\b|\bin (?:her|his) words\b", re.I)
# "what did one of its representatives say about ...?" (not "what does the report say")
_SAID = re.compile(r"\bwhat (?:did|does|do) ([\w' /-]+?) say\b", re.IGNORECASE)
_SOURCES = re.compile(
    r"\b(?:it|they|reports?|document|chapter|section|summary|charts?|pie|graphs?|tables?|"
    r"figures?|data|infographic|breakdown|split)\b",
    re.IGNORECASE,
)


def _asks_quote(text: str) -> bool:
    """The question asks for someone's words: "who is quoted?", "what did X say?"."""
    said = _SAID.search(text)
    return bool(_QUOTE.search(text)) or (said is not None and not _SOURCES.search(said.group(1)))


_WHY = re.compile(
    r"(?:^|[-–,;:]\s*|\band\s+)\s*why\b|\bwhat (?:was|were|is|are) the reasons?\b", re.IGNORECASE
)
_FUNDER = re.compile(
    # (the payer is the subject: "which donor paid for", not "which projects were funded")
    r"(?:^|[-–,;:]\s*|\band\s+)\s*(?:who|which(?: (?!(?:was|were|is|are|has|have|had)\b)[\w-]+){1,3}?)\s+"
    r"(?:funded|funds|financed|finances|paid for|pays for|"
    r"sponsored|sponsors|bankrolled)\b"
    r"|\bwho (?:was|were|is|are) the (?:donors?|funders?|sponsors?)\b"
    r"|\b(?:funded|financed|paid for|sponsored) by whom\b"
    r"|\bwhere did the (?:money|funding|funds) come from\b"
    r"|\bwhich donors?\b|\bwho (?:put up|provided) the (?:money|funds|funding)\b",
    re.IGNORECASE,
)


_WHICH = re.compile(  # "which municipalities ...", "apart from Plav, which municipalities ..."
    r"(?:^|,)\s*(?:(?:in|for|from|with|to) )?which (?:[a-z]+ )?([a-z]+s)\b", re.IGNORECASE
)


def _asks_which(own: str) -> str:
    """The plural noun of "which municipalities have ...?": its members are to be named
    (not years, nor operations, which are answered per operation)."""
    match = _WHICH.search(own)
    if match is None or _SPREAD.search(own):
        return ""
    noun = content_tokens(match.group(1))
    return noun[0] if noun and noun[0] not in ("year", "month", "day") else ""


_NAME_OF = re.compile(
    r"^\s*what(?:'s|’s| is| was| are| were) the names? of (?:the |an? )?(?:[\w/-]+ ){0,4}?"
    r"([\w/-]+)(?= (?:that|which|who|whose|in|at|from|with|for|of)\b|\s*[?,]|\s*$)",
    re.IGNORECASE,
)


def _asks_person(own: str) -> str:
    """The noun of "who were the OSR/CTHB staff ...", or of "what's the name of the NGO that
    ...": the answer names those people or that body."""
    match = _PERSON.match(own) or _NAME_OF.match(own)
    noun = content_tokens(match.group(1)) if match else []
    return noun[0] if noun else ""


_HAPPENED = re.compile(
    r"\b(did|was|were|had|has been|have been|happened|took place|achieved|resulted)\b", re.I
)
_PLANS = re.compile(
    r"\b(will|plans?|planned|planning|expected|intend\w*|foresee\w*|next|future)\b", re.I
)


def _after_report(own: str, years: tuple[str, ...], main_year: str) -> bool:
    """The turn asks what happened in a year after the reports' own, not what was planned."""
    later = main_year.isdigit() and any(int(y) > int(main_year) for y in years)
    return later and bool(_HAPPENED.search(own)) and not _PLANS.search(own)


_FIELD = re.compile(
    r"\b(field\s+(operations?|ops|missions?|offices?|presences?)|fos?|missions|presences)\b",
    re.IGNORECASE,
)


def _within(text: str, lex: Lexicon) -> tuple[str, ...]:
    """The operations of the regions a question names, or all field operations when it asks
    about field operations; () when it limits nothing.

    Example: "which FOs in SEE (south-eastern europe) ..." -> the six South-Eastern Europe ones
    """
    lowered = text.lower()
    found: list[str] = []
    for region in sorted(lex.regions, key=len, reverse=True):  # "south-eastern" before "eastern"
        # (or its adjective: "Central Asian", "South-Eastern European")
        pattern = re.compile(rf"(?<![\w-]){re.escape(region)}(?:an|n)?\b")
        if pattern.search(lowered):
            found += lex.regions[region]
            lowered = pattern.sub(" ", lowered)
    if not found and _FIELD.search(text):
        found = [u for u, place in lex.places.items() if place]
    return tuple(dict.fromkeys(found))


def _spelt(focus: tuple[str, ...], lex: Lexicon) -> tuple[str, ...]:
    """A figure's modifiers with abbreviations spelt out too, as a sentence may write them
    either way: ("thb", "indicator") -> ("trafficking", "human", "being", "thb", "indicator")."""
    if not focus:
        return focus
    modifiers = [t for m in focus[:-1] for t in [*content_tokens(lex.abbreviations.get(m, "")), m]]
    return (*dict.fromkeys(modifiers), focus[-1])


def _theme_named(
    units: tuple[str, ...], themes: tuple[str, ...], text: str, lex: Lexicon
) -> tuple[str, ...]:
    """Units less those matched only by the words of an asked theme: "border security &
    management activities across the OSCE" names the theme, not the TNTD/Border Security
    and Management Unit (which "BSMU", "TNTD" or "unit" would name)."""
    theme_words = {t for theme in themes for t in content_tokens(theme)}
    words = set(content_tokens(text))
    kept = []
    for unit in units:
        keys = lex.unit_keys.get(unit, set())
        rest = set(content_tokens(unit_label(unit))) - keys
        aliases = {a for a, u in lex.aliases.items() if u == unit}
        if keys and keys <= theme_words and not (rest | aliases) & words:
            continue
        kept.append(unit)
    return tuple(kept)


def _unit_named(
    themes: tuple[str, ...], units: tuple[str, ...], text: str, lex: Lexicon
) -> tuple[str, ...]:
    """Themes less those matched only by words of a named unit's name: "the TNTD
    Co-ordination Cell's activities" names the Cell, not the theme "Other, including
    co-ordination and co-operation"."""
    named = _atoms(t for u in units for t in content_tokens(unit_label(u)))
    words = set(content_tokens(text))
    return tuple(
        theme for theme in themes if not _atoms(lex.theme_tokens.get(theme, set()) & words) <= named
    )


def _atoms(tokens: Iterable[str]) -> set[str]:
    """Tokens cut at their joins: "tntd/co-ordination" -> {"tntd", "co", "ordination"}."""
    return {part for token in tokens for part in re.split(r"[/&'-]", token) if part}


def _without_regions(text: str, lex: Lexicon) -> str:
    """The text less the regions it names: "Central Asia" is where, not a name to look for
    (a passage on Tashkent is in it without saying so)."""
    for region in sorted(lex.regions, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(region)}\b", " ", text, flags=re.IGNORECASE)
    return text


def _own_tokens(own: str, lex: Lexicon) -> frozenset[str]:
    """The tokens of a rewritten follow-up's own turn (spelling already corrected)."""
    fixed = _full_months(own)
    return frozenset(content_tokens(" ".join([fixed, *_expansions(fixed, lex)])))


def _title(name: str) -> str:
    """A body's name as a title. Example: "office in yerevan" -> "Office in Yerevan"."""
    small = {"to", "in", "of", "for", "and", "the"}
    words = name.split()
    return " ".join(
        w if w.isupper() or (i and w.lower() in small) else w[:1].upper() + w[1:]
        for i, w in enumerate(words)
    )


def _names(question: str, lex: Lexicon) -> tuple[str, ...]:
    """Lower-cased names in a question: words the reports always capitalise, and capitalised
    words (not opening the question) the reports never use at all ("Samarkand")."""
    found = [w for w in _words(question) if w in lex.proper]
    for match in re.finditer(r"(?<!^)\b([A-Z][a-z]{3,})\b", question.strip()):
        word = match.group(1).lower()
        tokens = content_tokens(word)  # (the vocabulary holds "drug" for "Drugs")
        if tokens and not set(tokens) & lex.vocabulary and word not in lex.aliases:
            found.append(word)
    return tuple(dict.fromkeys(found))


def _name_abbreviations(names: tuple[str, ...], lex: Lexicon) -> dict[str, tuple[str, ...]]:
    """The report's abbreviations whose expansion holds a name of the question.

    Example: ("interior",) -> {"interior": ("moi",)} (MoI: Ministry of Interior)
    """
    found = {
        name: tuple(a for a, text in lex.abbreviations.items() if name in text.split())
        for name in names
    }
    return {name: abbrs for name, abbrs in found.items() if abbrs}


_UNIT_KINDS = frozenset(
    content_tokens(
        "osce field mission missions office offices presence programme project "
        "co-ordinator centre unit"
    )
)


def _without_units(text: str, units: tuple[str, ...], lex: Lexicon) -> str:
    """The text less the words naming the operations it compares ("" unless it names two).

    Example: "Serbia vs the Mission to Montenegro: what did each do with schools?"
    -> "vs the to : what did each do with schools?"
    """
    operations = [u for u in units if is_operation_chapter(u)]
    if len(operations) < 2:  # one operation's name also finds its tables and records
        return ""
    naming = set(_UNIT_KINDS)
    for unit in operations:
        naming |= lex.unit_keys.get(unit, set())
    naming |= {a for a, u in lex.aliases.items() if u in operations and a not in lex.located}

    def keep(match: re.Match[str]) -> str:
        tokens = set(content_tokens(match.group(0)))
        return "" if tokens and tokens <= naming else match.group(0)

    return re.sub(r"[\w/'’-]+", keep, text)


def _words(text: str) -> list[str]:
    """The text's words, lower-cased, each once, in order."""
    return list(dict.fromkeys(re.findall(r"[a-z]+", text.lower())))


def _defines(question: str, lex: Lexicon) -> tuple[str, ...]:
    """The abbreviation a question asks to spell out, with the reports' own expansion."""
    match = _DEFINE.search(question.strip())
    if not match:
        return ()
    word = next(g for g in match.groups() if g)
    expansion = lex.abbreviations.get(word.lower())
    return (word, expansion) if expansion else ()


_FOCUS = re.compile(
    r"\b(?:how many|how much|number of|what (?:share|percentage|proportion|fraction|per ?cent) of|"
    r"(?:the )?(?:fewest|most|least|highest number of|lowest number of)|"
    r"what (?:was|is|were) the (?:total )?(?:number of|share of|amount of)?)\s+(.+)$",
    re.IGNORECASE,
)
_ATTENDED = re.compile(
    r"(?:of them |people |persons )?(?:went|came|come|attended|attend|participated|"
    r"participate|took part|take part|joined|join|were there|showed up|turned up)\b",
    re.IGNORECASE,
)
# people named by their role alone: who attended may be counted as "16 representatives"
# ("women", "judges" or "students" single out whom to count, and stay as asked)
_ROLES = frozenset(
    content_tokens("officers officials representatives participants attendees delegates police")
)
# "how many (of them) were women?": the noun after the verb ends the question or its clause
# ("how many of the Mission's 52 staff are women?": the women)
_BEING = re.compile(
    r"(?:of (?:them|these|those|(?:the|its|their) [^?,;]+?) )?(?:were|was|are|is) (\w+)\s*"
    r"(?:[?,;.]|$)",
    re.IGNORECASE,
)
# "how do its activities break down?", "how were the funds split?": the things divided (not
# "how did the mission split its activities", whose subject does the splitting)
_BREAKDOWN = re.compile(
    r"\bhow (?:do|does|did) (?:its |the |their |these |those )?([\w\s/-]+?) break(?:s)? down\b"
    r"|\bhow (?:were|was|are|is) (?:its |the |their |these |those )?([\w\s/-]+?) "
    r"(?:broken down|split|distributed|divided)\b",
    re.IGNORECASE,
)
_CHANGED = re.compile(
    r"\bby how (?:much|many)\b.*?\b(?:rais|increas|cut|reduc|decreas|lower|grow|grew|rose|ris)"
    r"\w*\s+(?:the |its |their )?((?:[\w-]+ ){0,2}[\w-]+)",
    re.IGNORECASE,
)
_WORKING = re.compile(
    r"(?:people|persons|employees) (?:work|are employed|are working|does it employ)\b", re.I
)
_FOCUS_END = re.compile(
    r"[?,;:()]|(?<!-)\b(did|does|do|were|was|are|is|has|have|had|in|during|per|by|at|for|from|on|"
    r"that|which|who|with|to|of|under|and|or|vs|versus|"
    # verbs that end a noun phrase ("how many students [took] part"): -ed forms and common
    # irregular or bare ones
    r"\w+ed|took|take|takes|came|come|comes|got|get|gets|went|go|gave|give|made|make|held|"
    r"ran|run|met|meet|sent|won|led|taught|built|work|works|attend|attends|participate|"
    r"participates|receive|receives|train|trains|dealt|deal|deals|saw|see|sees|spent|spend|"
    r"brought|bring|began|begin|became|become|cover|covers|concern|concerns|focus|focuses|"
    r"address|addresses|reach|reaches|benefit|benefits|join|joins|"
    # adverbs: "how many victims [actually] get identified"
    r"\w{3,}ally)\b",
    re.IGNORECASE,
)


def _focus(text: str) -> tuple[str, ...]:
    """The head noun a figure is asked of (last word of the noun phrase after "how many").

    Example: "how many election observers did odihr deploy" -> ("observer",)
    ("police-related activities": "related" is part of the noun phrase, not its verb)
    """
    match = _FOCUS.search(text)
    if match and _ATTENDED.match(match.group(1)):  # "how many went / took part": people
        return ("people",)
    if match and _WORKING.match(match.group(1)):  # "how many people work there": its staff
        return ("staff",)
    split = _BREAKDOWN.search(text)  # "how do its activities break down by type?"
    divided = (split.group(1) or split.group(2)) if split else ""
    # (things counted are plural: "how was the work split" asks for shares, not a count)
    if match is None and divided.endswith("s") and (named := content_tokens(divided)):
        return tuple(named[-3:])
    being = _BEING.match(match.group(1)) if match else None
    if (
        being
        and not _FOCUS_END.fullmatch(being.group(1))
        and (named := content_tokens(being.group(1)))
    ):
        return (named[0],)
    asked = match.group(1) if match else ""
    # "how many of the police officers trained ... came from Hungary?": the officers
    asked = re.sub(r"^of (?:the|its|their) (?=[a-z])", "", asked)
    phrase = _FOCUS_END.split(asked)[0]
    tokens = [t for t in content_tokens(phrase) if not t.endswith(("'s", "'")) and len(t) > 1]
    rest = asked[len(phrase) :].lstrip()
    if tokens and tokens[-1] in _ROLES and _ATTENDED.match(rest):
        # "how many Serbian officers took part?": whoever the report counts, of Serbia
        return (*tokens[-3:-1], "people")
    if tokens:
        return tuple(tokens[-3:])
    # "of the 80 teachers at the workshop, how many were from Bar?": the teachers
    group = _OF_GROUP.search(text[: match.start()]) if match else None
    if group and (named := content_tokens(group.group(1))):
        return (named[-1],)
    changed = _CHANGED.search(text)  # "by how much did the law raise MoI salaries?"
    if changed and (named := content_tokens(changed.group(1))):
        return tuple(named[-2:])
    # "what was the value of ...", "how much did ... cost / spend on ...?": an amount of money
    amount = re.search(
        r"\b(budget|staff|value|worth|costs?|price|spen[dt]|spending|paid|pay|expenditures?)\b",
        text,
        re.IGNORECASE,
    )
    if amount is None:
        return ()
    word = amount.group(1).lower()
    return (word,) if word in ("budget", "staff") else ("cost",)


_OF_GROUP = re.compile(
    r"\bof (?:the|its|their|these|those) (?:\d[\d,]* )?([\w/-]+(?: [\w/-]+)?)(?=\s+(?:at|in|on|from|of|who)\b|,)",
    re.IGNORECASE,
)
_RECORDS = ("budget", "staff")


def _also_counted(text: str, focus: tuple[str, ...]) -> tuple[str, ...]:
    """The other record a question asks for beside its focus, each kept in its own table.

    Example: ("what budget and staff did the Mission have?", ("budget",)) -> ("staff",)
    """
    if not focus or focus[-1] not in _RECORDS:
        return ()
    words = set(content_tokens(text))
    return tuple(r for r in _RECORDS if r != focus[-1] and r in words)


# English shorthand a hurried question uses for the reports' full words
_SHORTHAND = {
    "rep": "representative",
    "reps": "representatives",
    "govt": "government",
    "gov": "government",
    "mgmt": "management",
    "dept": "department",
    "depts": "departments",
    "intl": "international",
    "natl": "national",
    "org": "organization",
    "orgs": "organizations",
    "ppl": "people",
    "approx": "approximately",
    "info": "information",
    "reqs": "requirements",
    "yr": "year",
    "yrs": "years",
    "govts": "governments",
}


def _corrections(question: str, lex: Lexicon) -> dict[str, str]:
    """Misspelt words mapped to the closest corpus word (only words the corpus lacks)."""
    out: dict[str, str] = {}

    def known(word: str) -> bool:
        return word in lex.vocabulary or word in lex.abbreviations

    for word in re.findall(r"[A-Za-z]+", question):  # "how many MoIA reps": representatives
        if word.lower() in _SHORTHAND and not known(word.lower()):
            out[word] = _SHORTHAND[word.lower()]
    spellings = lex.spellings or tuple(sorted(lex.vocabulary))
    for word in re.findall(r"[A-Za-z][A-Za-z-]{4,}", question):
        token = word.lower()
        if (
            token in _STOP
            or known(token)
            or token in lex.words  # "what proportion ...", not "promotion"
            or token in lex.aliases
            or (content_tokens(token) and known(content_tokens(token)[0]))
            or _inflects(token, known)
        ):
            continue
        match = process.extractOne(token, spellings, scorer=fuzz.ratio, score_cutoff=84)
        if match and abs(len(match[0]) - len(token)) <= 2:
            out[word] = match[0]
    return out


def _inflects(word: str, known: Callable[[str], bool]) -> bool:
    """An inflection of a known word is no misspelling: "rated" is "rate" + "d", and reading it
    as "rate" would hide the verb that ends "what percentage of participants [rated] ..."."""
    for suffix in ("ing", "ed", "es", "s", "d"):
        stem = word[: -len(suffix)]
        if word.endswith(suffix) and len(stem) >= 3 and (known(stem) or known(stem + "e")):
            return True
    return False


_MONTH_ABBR = re.compile(r"\b(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b\.?", re.IGNORECASE)
_MONTHS = {m[:3]: m for m in MONTHS if m != "may"}


def _full_months(text: str) -> str:
    """Month abbreviations spelt out as the reports write dates. Example: "26 nov" -> "26 november"."""
    return _MONTH_ABBR.sub(lambda m: _MONTHS[m.group(1)[:3].lower()], text)


def _apply(question: str, corrections: dict[str, str]) -> str:
    for wrong, right in corrections.items():
        question = re.sub(rf"\b{re.escape(wrong)}\b", right, question)
    return question


def _expansions(text: str, lex: Lexicon) -> list[str]:
    """Abbreviations spelt out, and spelt-out names given their abbreviation."""
    out: list[str] = []
    lowered = f" {' '.join(re.findall(r'[a-z0-9/&-]+', text.lower()))} "
    for token in re.findall(r"[A-Za-z][A-Za-z0-9/&-]+", text):
        expansion = lex.abbreviations.get(token.lower())
        if expansion and (
            token.isupper() or any(c.isupper() for c in token[1:]) or len(token) <= 5
        ):
            out.append(expansion)
    for abbr, expansion in lex.abbreviations.items():
        if len(expansion.split()) >= 3 and f" {expansion} " in lowered:
            out.append(abbr)
    return list(dict.fromkeys(out))


def _aliases(text: str, units: tuple[str, ...], lex: Lexicon) -> tuple[str, ...]:
    """The short names the question calls its placeless units by (an operation goes by its
    place; "KAPS" is a body in Kosovo, not the Mission). Example: "contact at TNTD/ATU?" ->
    ("tntd/atu", "atu")"""
    words = set(re.findall(r"[a-z0-9/&-]+", text.lower()))
    named = [u for u in units if not lex.places.get(u)]
    return tuple(key for key, unit in lex.aliases.items() if unit in named and key in words)


def _units(text: str, lex: Lexicon) -> tuple[str, ...]:
    tokens = set(content_tokens(text))
    words = re.findall(r"[a-z0-9/&-]+", text.lower())
    pairs = {f"{a}_{b}" for a, b in pairwise(words)}
    found: list[str] = []
    stories = re.search(r"\bstor(?:y|ies)\b", text, re.IGNORECASE) is not None
    for unit, keys in lex.unit_keys.items():
        if keys and (keys & tokens) and (lex.places.get(unit) or keys <= tokens):
            found.append(unit)
        elif stories and is_unit_chapter(unit) and len(keys) >= 6 and _story_named(keys & tokens):
            found.append(unit)  # "the ... stories: the one on monitoring use of force"
    for key, unit in lex.aliases.items():
        if (key in tokens or key in pairs or key in words) and unit not in found:
            found.append(unit)
    return tuple(found)


def _story_named(said: set[str]) -> bool:
    """A story's title words the question says name it: three words, or one compound of two
    ("counter-terrorism", not "co-operation")."""
    compound = any("-" in k and min(map(len, k.split("-"))) >= 4 for k in said)
    return compound or len(_plain(said)) >= 3


def _plain(keys: set[str]) -> set[str]:
    """Words, not compounds of them: "counter-terrorism" beside "counter" and "terrorism"."""
    return {k for k in keys if "-" not in k}


def _kind_named(text: str, lex: Lexicon, units: tuple[str, ...]) -> tuple[str, ...]:
    """Units the question calls by a word of their name and their kind of body: "the
    Secretariat's border unit" (TNTD/Border Security and Management Unit), "the gender
    programme" (Programme for Gender Issues)."""
    found = []
    low = text.lower()
    for unit, keys in lex.unit_keys.items():
        if unit in units or lex.places.get(unit):
            continue
        name = re.sub(r"^[\w.]+\s", "", unit).lower()
        for kind in (k for kinds in _KINDS.findall(name) for k in kinds if k):
            near = re.finditer(rf"\b[\w-]+\s+(?:[\w-]+\s+)?{kind}\b", low)
            if any(set(content_tokens(m.group(0))) & keys for m in near):
                found.append(unit)
                break
    return tuple(found)


# the kinds of body a unit's name ends or starts with: "... Management Unit", "Programme for ..."
_KINDS = re.compile(r"^(?:\w+/)?(programme|office)\b|\b(unit|cell)$")


def _listed_institutions(text: str, lex: Lexicon, units: tuple[str, ...]) -> tuple[str, ...]:
    """Placeless units named by their acronym alone, among operations compared or listed:
    "compare ODIHR, the BiH mission and the Kosovo mission" asks for ODIHR's appendix too
    (alone, "what did ODIHR do?" is answered from both its report and its appendix)."""
    tokens = set(content_tokens(text))
    return tuple(
        unit
        for unit, keys in lex.unit_keys.items()
        if unit not in units
        and not lex.places.get(unit)
        and any(k in lex.abbreviations for k in keys & tokens)
    )


_AT = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$")
_NAMED_AT = re.compile(
    r"\b(?:mission|office|centre|center|presence|co-?ordinator)\s+(?:in|at)\s+(?:the\s+)?$"
)


def _venues(text: str, lex: Lexicon, units: tuple[str, ...]) -> tuple[str, ...]:
    """Units named only as where another's event took place: "TNTD/ATU's workshop in Skopje"
    asks about TNTD/ATU, not the Mission to Skopje ("the Mission in Kosovo" is a name)."""
    low = text.lower()
    if len(units) == 1 and _other_actor(low, units[0], lex):
        # "what did ODIHR do with Uzbekistan?": the Project Co-ordinator there is not asked
        place = lex.places.get(units[0], "").lower()
        spots = list(re.finditer(rf"\b{re.escape(place)}\b", low)) if place else []
        partner = [m for m in spots if _WITH.search(low[: m.start()])]
        return units if spots and len(partner) == len(spots) else ()
    if len(units) < 2 or _COMPARE.search(low):  # "SPMU vs the programme office": both asked
        return ()
    venues = []
    for unit in units:
        place = lex.places.get(unit, "").lower()
        spots = list(re.finditer(rf"\b{re.escape(place)}\b", low)) if place else []
        # "... in Dushanbe, according to SPMU and the Programme Office": asked by its kind
        kind = re.sub(r"\s+(?:to|in|for)\s+.*$", "", unit_label(unit)).lower()
        named = bool(kind) and re.search(rf"\b{re.escape(kind)}\b", low) is not None
        if spots and not named and all(_venue(low, m) for m in spots):
            venues.append(unit)
    return tuple(venues) if len(venues) < len(units) else ()


_WITH = re.compile(r"\b(?:in|at|with|for|to|on|about|regarding|concerning)\s+(?:the\s+)?$")
_ACTOR = re.compile(r"^\s*(?:what|how|when|where|why)\s+(?:did|does|has|have)\s+([a-z][\w/-]*)")


def _other_actor(low: str, unit: str, lex: Lexicon) -> bool:
    """The question's subject is a body the reports name that is not the unit: "what did
    ODIHR do with Uzbekistan?" (not "what did the mission do", nor "what did skopje do")."""
    match = _ACTOR.match(low)
    if match is None:
        return False
    actor = match.group(1)
    own = set(content_tokens(unit)) | set(content_tokens(lex.places.get(unit, "")))
    known = actor in lex.proper or actor in lex.abbreviations
    return known and actor not in own and lex.aliases.get(actor) != unit


def _venue(text: str, match: re.Match[str]) -> bool:
    """A place mentioned as where something happened: "in Skopje", not "the Mission in Kosovo"
    nor one of a list of places ("in Albania and BiH")."""
    before, after = text[: match.start()], text[match.end() :]
    listed = re.match(r"\s*(?:,|&|and\b|or\b)", after)
    return bool(_AT.search(before)) and not _NAMED_AT.search(before) and not listed


def _unknown_units(text: str, lex: Lexicon, units: tuple[str, ...]) -> tuple[str, ...]:
    """Operations named like "Mission to Georgia" that match no unit of the corpus."""
    unknown = []
    for match in _ORG_PHRASE.finditer(text):
        place = match.group(2).strip()
        tokens = set(content_tokens(place))
        if not tokens:
            continue
        named = any(tokens & keys for keys in lex.unit_keys.values()) or any(
            t in lex.aliases for t in tokens
        )
        if not named and not units:
            kept = []  # "office in baku carry out ..." -> "Office in Baku": names only
            for word in place.split():
                low = word.lower()
                if not content_tokens(word) or (low in lex.vocabulary and low not in lex.proper):
                    break
                kept.append(word)
            named_as = f"{match.group(0)[: match.start(2) - match.start(0)]}{' '.join(kept)}"
            unknown.append(_title(named_as))
    lowered = " ".join(text.lower().split())
    for body in lex.other_bodies:  # "the Special Monitoring Mission to Ukraine": not the PCU
        if re.search(rf"\b{re.escape(body)}\b", lowered) and _title(body) not in unknown:
            unknown.append(_title(body))
    return tuple(unknown)


def _outside_categories(themes: tuple[str, ...], categories: tuple[str, ...]) -> tuple[str, ...]:
    """The themes not matched only as part of a category the question names: "general police
    development and reform" asks about the category, not its theme "Police Development and
    Reform"."""
    named = [set(c.split()) for c in categories]
    return tuple(t for t in themes if not any(set(content_tokens(t)) < c for c in named))


def _theme_shares(text: str, lex: Lexicon) -> list[tuple[float, str]]:
    """The themes the question's words name, best first, each by the idf-weighted share of its
    title words they hold (its opening words as a phrase, "public order", name it outright)."""
    sequence = content_tokens(text)
    tokens = set(sequence)
    pairs = set(pairwise(sequence))
    scored = []
    for theme, keys in lex.theme_tokens.items():
        if not keys:
            continue
        weight = sum(lex.idf.get(k, 1.0) for k in keys)
        share = sum(lex.idf.get(k, 1.0) for k in keys & tokens) / weight
        ordered = content_tokens(theme)
        if len(ordered) >= 2 and (ordered[0], ordered[1]) in pairs:
            share = max(share, _NAMED_THEME)
        if share >= 0.45:
            scored.append((share, theme))
    scored.sort(reverse=True)
    return scored


def _themes(text: str, lex: Lexicon) -> tuple[str, ...]:
    scored = _theme_shares(text, lex)
    return tuple(t for s, t in scored[:3] if s >= scored[0][0] - 0.15)


_NAMED_THEME = 0.6  # share of a theme's title words (or its opening phrase) that names it


def _topical(expansion: str, lex: Lexicon) -> bool:
    """Whether a spelt-out abbreviation names a theme's subject rather than a body: most of its
    words are one theme's. Example: "trafficking in human beings" (THB) is topical; "office for
    democratic institutions and human rights" (ODIHR) shares only "human rights" with a theme."""
    words = set(content_tokens(expansion))
    return any(2 * len(words & keys) > len(words) for keys in lex.theme_tokens.values())


def _named_themes(text: str, lex: Lexicon) -> tuple[str, ...]:
    """The themes the question names outright, best first, one per theme however the reports
    spell it, however much closer another is: "on gender mainstreaming and on public order"
    asks about both. Example: "... on cybercrime and on hate crime?" -> ("Hate Crime",
    "Cybercrime")"""
    out: dict[str, str] = {}
    for share, theme in _theme_shares(text, lex):
        if share >= _NAMED_THEME:
            out.setdefault(" ".join(content_tokens(theme)), theme)
    return tuple(out.values())
