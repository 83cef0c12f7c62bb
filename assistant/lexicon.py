"""What the corpus itself teaches about its words: abbreviations, unit names, places, themes.

Built from the catalog's chunks and sections; nothing is hand-listed. Pure.
Example bridges: "THB" <-> "Trafficking in Human Beings" (the abbreviations appendix),
"PCUz" -> "Project Co-ordinator in Uzbekistan" (a definition in running text),
"Kazakhstan" -> "4.12 Programme Office in Nur-Sultan" (where the name concentrates).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from index.blocks import strip_markup
from index.catalog import stem, tokenize
from index.types import Chunk

_ACRONYM = re.compile(r"^[A-Z][A-Za-z0-9/&-]{1,11}$")
_DEFINED = re.compile(
    r"((?:[A-Z][\w’'-]*[\s,]+(?:(?:of|and|for|in|on|the|to|against|&)\s+)*){1,9})\(([A-Z][A-Za-z/&-]{1,10})\)"
)
_STOP = set(
    "a an and are as at be by did do does for from had has have how in into is it its many "
    "much of on or over the their there these they this those to was were what when where "
    "which who why with about any all also can could other than that s".split()
)
_STOP |= {stem(w) for w in _STOP}  # "does" is tokenised as "doe"

# "2016-2020", "2016 to 2020", "2016/2017"
YEAR_SPAN = re.compile(r"\b((?:19|20)\d\d)\s*(?:-|–|—|to|/)\s*((?:19|20)\d\d)\b", re.IGNORECASE)
MONTHS = tuple(
    "january february march april may june july august september october november december".split()
)
WEEKDAYS = tuple("monday tuesday wednesday thursday friday saturday sunday".split())


@dataclass
class Lexicon:
    """Corpus-derived vocabulary used to understand questions."""

    abbreviations: dict[str, str] = field(
        default_factory=dict
    )  # "thb" -> "trafficking in human beings"
    units: list[str] = field(default_factory=list)
    unit_keys: dict[str, set[str]] = field(default_factory=dict)  # unit -> distinctive tokens
    aliases: dict[str, str] = field(default_factory=dict)  # token -> unit (places, acronyms)
    # aliases learnt as places an operation works in (Karaganda), not names of it (Skopje, PCUz)
    located: set[str] = field(default_factory=set)
    # ... those the reports name as a state ("the Government of Turkmenistan"): where all of
    # the operation's work is, not one town of it
    states: set[str] = field(default_factory=set)
    themes: list[str] = field(default_factory=list)
    theme_tokens: dict[str, set[str]] = field(default_factory=dict)
    idf: dict[str, float] = field(default_factory=dict)
    vocabulary: set[str] = field(default_factory=set)
    # the vocabulary in a fixed order: fuzzy matching picks the first of equally close words,
    # which in a set's order would change with the interpreter's hash seed
    spellings: tuple[str, ...] = ()
    words: frozenset[str] = frozenset()  # English words beside the corpus's: "proportion"
    years: set[str] = field(default_factory=set)
    # spans of years the reports name ("Strategy ... against THB 2020-2025"): ("2020", "2025")
    spans: set[tuple[str, str]] = field(default_factory=set)
    documents: list[str] = field(default_factory=list)
    places: dict[str, str] = field(default_factory=dict)  # unit -> the place it is named after
    main_year: str = ""  # the year the reports are about (the most mentioned one)
    unit_documents: dict[str, set[str]] = field(default_factory=dict)  # unit -> its documents
    # bodies the reports mention but have no chapter on: "special monitoring mission"
    other_bodies: set[str] = field(default_factory=set)
    # regions a list groups field operations under ("central asia" -> the units listed there)
    regions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # words the reports always capitalise (names, places, nationalities), lower-cased
    proper: set[str] = field(default_factory=set)
    # partners' and programmes' acronyms the reports always write in capitals ("icitap",
    # "dcaf"), lower-cased: names like the proper words, but never places
    acronyms: set[str] = field(default_factory=set)
    # sections laid out as abbreviation lists: they answer "what does X stand for", nothing else
    glossaries: set[str] = field(default_factory=set)
    # the report's categories of themes, by their own words ("general police development and
    # reform"): a theme named inside one ("police development and reform") is not asked about
    categories: set[str] = field(default_factory=set)


# a word this rare (inverse document frequency over chunks) is distinctive: a name, a place
RARE_IDF = 3.5


def is_operation_chapter(unit: str) -> bool:
    """A field operation's or Secretariat unit's numbered chapter ("4.6 Mission to Skopje")."""
    return re.match(r"\d+\.\d+\s", unit) is not None


def is_unit_chapter(unit: str) -> bool:
    """An operation's or institution's own chapter ("4.6 Mission to Skopje", "Appendix 1 ..."),
    not an overview chapter ("1 Executive Summary")."""
    return is_operation_chapter(unit) or re.match(r"Appendix\s", unit) is not None


def unit_label(unit: str) -> str:
    """A unit as a reader names it. Example: "4.6 Mission to Skopje" -> "Mission to Skopje"."""
    return re.sub(r"^(?:\d+(?:\.\d+)*|Appendix \w+)\s+", "", unit)


def content_tokens(text: str) -> list[str]:
    """BM25 tokens without stop words.

    Example: "What did the Mission to Skopje do?" -> ["mission", "skopje"]
    """
    return [t for t in tokenize(text) if t not in _STOP and len(t) > 1 and not t.endswith("'")]


_ISE = re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$")


def spelling_key(token: str) -> str:
    """One key for the -ise and -ize spellings. Example: "organised" -> "organized"."""
    return _ISE.sub(r"iz\1", token)


def spelt_tokens(text: str) -> set[str]:
    """The content tokens of a text by their spelling keys: "organised" meets "organized"."""
    return {spelling_key(t) for t in content_tokens(text)}


def _abbreviation_pairs(row: str) -> list[tuple[str, str]]:
    """A table row's (ABBR, expansion) cell pairs."""
    cells = [strip_markup(c).strip() for c in row.split("\t")]
    return [
        (abbr, expansion)
        for abbr, expansion in zip(cells[::2], cells[1::2], strict=False)
        if _ACRONYM.match(abbr) and len(expansion.split()) >= 2 and not _ACRONYM.match(expansion)
    ]


def glossary_sections(chunks: list[Chunk]) -> set[str]:
    """Sections whose tables are mostly abbreviation rows ("THB\tTrafficking in ...")."""
    rows: Counter[str] = Counter()
    pairs: Counter[str] = Counter()
    for chunk in chunks:
        if chunk.kind == "table":
            for row in chunk.text.split("\n"):
                rows[chunk.section] += 1
                pairs[chunk.section] += bool(_abbreviation_pairs(row))
    return {s for s, n in rows.items() if n >= 5 and pairs[s] >= 0.8 * n}


def abbreviations_from_tables(chunks: list[Chunk]) -> dict[str, str]:
    """Pairs (ABBR, expansion) from tables laid out as abbreviation lists.

    Example: row "THB\\tTrafficking in Human Beings" -> {"THB": "Trafficking in Human Beings"}
    """
    found: dict[str, str] = {}
    for chunk in chunks:
        if chunk.kind != "table":
            continue
        for row in chunk.text.split("\n"):
            for abbr, expansion in _abbreviation_pairs(row):
                found.setdefault(abbr, re.sub(r"\s+", " ", expansion))
    return found


def abbreviations_from_text(text: str) -> dict[str, str]:
    """Definitions written as "Long Name (ABBR)" whose capitals spell the abbreviation.

    Example: "the Project Co-ordinator in Uzbekistan (PCUz)" -> {"PCUz": "Project Co-ordinator in Uzbekistan"}
    """
    found: dict[str, str] = {}
    for match in _DEFINED.finditer(strip_markup(text)):
        words = match.group(1).replace(",", " ").split()
        abbr = match.group(2)
        expansion = _initials_match(words, abbr)
        if expansion:
            found.setdefault(abbr, expansion)
    return found


def _initials_match(words: list[str], abbr: str) -> str:
    """The shortest tail of words whose capitals start the abbreviation's capitals."""
    letters = [c for c in abbr if c.isupper()]
    for start in range(len(words) - 1, -1, -1):
        tail = words[start:]
        caps = [w[0] for w in tail if w[0].isupper()] + [
            p[0] for w in tail for p in re.split(r"[-/]", w)[1:] if p[:1].isupper()
        ]
        if (
            tail[0][0].isupper()
            and len(caps) >= len(letters)
            and caps[: len(letters)] == letters[: len(caps)]
        ):
            return " ".join(tail)
        if len(caps) > len(letters) + 2:
            break
    return ""


def build_lexicon(
    chunks: list[Chunk], documents: list[str], words: frozenset[str] = frozenset()
) -> Lexicon:
    """Everything the question side needs to know about the corpus; `words` are English words
    known beside it (the embedder's vocabulary), which are never read as misspellings."""
    lex = Lexicon(documents=list(documents), words=words)
    raw_abbr = abbreviations_from_tables(chunks)
    for chunk in chunks:
        for abbr, expansion in abbreviations_from_text(chunk.text).items():
            raw_abbr.setdefault(abbr, expansion)
    lex.abbreviations = {a.lower(): e.lower() for a, e in raw_abbr.items()}
    lex.glossaries = glossary_sections(chunks)
    docs_tokens = [set(content_tokens(c.embed_text)) for c in chunks]
    df = Counter(t for tokens in docs_tokens for t in tokens)
    n = max(1, len(chunks))
    lex.idf = {t: math.log(1 + n / f) for t, f in df.items()}
    lex.vocabulary = set(df)
    lex.spellings = tuple(sorted(df))
    text = " ".join(c.clean for c in chunks)
    years = Counter(re.findall(r"\b(?:19|20)\d\d\b", text))
    lex.years = set(years)
    lex.spans = set(YEAR_SPAN.findall(text))
    lex.main_year = years.most_common(1)[0][0] if years else ""
    _add_units(lex, chunks)
    _add_themes(lex, chunks)
    lex.other_bodies = _other_bodies(lex, chunks)
    lex.proper = _proper_words(chunks)
    lex.acronyms = _acronyms(lex, chunks)
    lex.regions = _regions(lex, chunks)
    return lex


def _regions(lex: Lexicon, chunks: list[Chunk]) -> dict[str, tuple[str, ...]]:
    """Headings that group field operations, as a contact list does: a short heading in proper
    case ("South-Eastern Europe", "Central Asia") over passages naming two or more operations'
    places, outside any operation's own chapter.

    Example: "Appendix 5 Contact Details > ... > Central Asia" listing the offices in Dushanbe
    and Bishkek -> {"central asia": ("4.10 ...", "4.11 ...")}
    """
    placed = {unit: place.lower() for unit, place in lex.places.items() if place}
    themes = {c.theme.lower() for c in chunks if is_operation_chapter(c.unit)}
    named: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks:
        if is_operation_chapter(chunk.unit) or " > " not in chunk.section:
            continue
        text = chunk.clean.lower()
        named[chunk.section] |= {u for u, place in placed.items() if place in text}
    regions: dict[str, tuple[str, ...]] = {}
    for section, units in named.items():
        heading = section.split(" > ")[-1]
        words = heading.split()
        proper = all(w[0].isupper() for w in words) and heading.lower() not in themes
        if len(units) >= 2 and len(words) <= 3 and proper:  # not a theme: "Hate Crime"
            regions[heading.lower()] = tuple(sorted(units))
    return regions


def _proper_words(chunks: list[Chunk]) -> set[str]:
    """Words written with a capital everywhere but at a sentence start: "Belarusian", "Madrid".

    Example: "... police in Madrid. Madrid hosted ..." -> {"madrid"}
    """
    upper, lower = _cased(
        chunks, r"(?<![.!?:]\s)(?<!^)\b[A-Za-z][a-z]{3,}\b", lambda w: w[0].isupper()
    )
    return {w for w in upper if lower[w] == 0}


def _cased(
    chunks: list[Chunk], pattern: str, marked: Callable[[str], bool]
) -> tuple[Counter[str], Counter[str]]:
    """How often each word `pattern` finds in the text chunks is written the `marked` way
    (capitalised, in capitals) and otherwise, lower-cased."""
    marked_count: Counter[str] = Counter()
    otherwise: Counter[str] = Counter()
    for chunk in chunks:
        if chunk.kind != "text":
            continue
        for word in re.findall(pattern, chunk.clean):
            (marked_count if marked(word) else otherwise)[word.lower()] += 1
    return marked_count, otherwise


def _acronyms(lex: Lexicon, chunks: list[Chunk]) -> set[str]:
    """Rare words written in capitals wherever they occur, less those naming an operation
    (its own acronym is a unit, not a partner).

    Example: "... in co-operation with UNODC and ICITAP ..." -> {"icitap"} (UNODC is common)
    """
    capitals, otherwise = _cased(chunks, r"\b[A-Za-z]{3,}\b", str.isupper)
    named_units = {a for a in lex.aliases if a not in lex.located}
    return {
        w
        for w in capitals
        if not otherwise[w] and lex.idf.get(w, 0.0) >= RARE_IDF and w not in named_units
    }


# a capitalised name ending in "Mission", not at the start of a sentence ("Alongside Mission staff")
_BODY = re.compile(r"(?<![.:;]\s)(?<!^)\b((?:[A-Z][a-z]+ ){1,3})(Mission)\b", re.MULTILINE)


def _other_bodies(lex: Lexicon, chunks: list[Chunk]) -> set[str]:
    """Named missions the text mentions that are none of its operations (offices and centres
    are too often national bodies the operations work with).

    Example: "... the OSCE Special Monitoring Mission to Ukraine ..." -> "special monitoring mission"
    """
    operations = {t for u in lex.units if lex.places.get(u) for t in content_tokens(u)}
    out = set()
    for chunk in chunks:
        for match in _BODY.finditer(chunk.clean):
            qualifier = content_tokens(match.group(1))
            if qualifier and not set(qualifier) & operations:
                out.add(f"{match.group(1).strip()} {match.group(2)}".lower())
    return out


def _add_units(lex: Lexicon, chunks: list[Chunk]) -> None:
    units = list(dict.fromkeys(c.unit for c in chunks if c.kind not in {"toc", "front"}))
    lex.units = units
    for chunk in chunks:
        lex.unit_documents.setdefault(chunk.unit, set()).add(chunk.document)
    names = {u: set(content_tokens(re.sub(r"^[\w.]+\s", "", u))) for u in units}
    common = Counter(t for tokens in names.values() for t in tokens)
    lowercase = Counter(w for c in chunks for w in re.findall(r"\b[a-z][a-z-]{2,}\b", c.clean))
    for unit in units:
        place = place_of(unit)
        if place and any(lowercase[t] > 2 for t in content_tokens(place)):
            place = ""  # "... Trafficking in Human Beings": common words, not a place
        lex.places[unit] = place
        if place:
            lex.unit_keys[unit] = set(content_tokens(place))
        else:
            # compounds like "tntd/strategic" also appear as their parts: keep the parts only
            lex.unit_keys[unit] = {
                t for t in names[unit] if common[t] <= 2 and len(t) > 2 and "/" not in t
            }
    for abbr, expansion in lex.abbreviations.items():
        unit = _unit_named(lex, expansion)
        if unit:
            lex.aliases.setdefault(abbr, unit)
            lex.aliases.setdefault(abbr.split("/")[-1], unit)  # "tntd/spmu" -> also "spmu"
    _add_places(lex, chunks)


def place_of(unit: str) -> str:
    """The place a field operation is named after: the words after its last 'to'/'in'.

    Example: "4.2 Mission to Bosnia and Herzegovina" -> "Bosnia and Herzegovina"
    """
    match = re.search(r"\s(?:to|in)\s+((?:[A-Z][\w-]*)(?:\s+(?:and\s+)?[A-Z][\w-]*)*)$", unit)
    return match.group(1) if match else ""


def _unit_named(lex: Lexicon, phrase: str) -> str:
    """The unit an abbreviation's expansion names: its place, or all its distinctive words."""
    tokens = set(content_tokens(phrase))
    for unit, keys in lex.unit_keys.items():
        if keys and keys <= tokens and (lex.places.get(unit) or len(keys) >= 2):
            return unit
    return ""


def _add_places(lex: Lexicon, chunks: list[Chunk]) -> None:
    """Proper names that occur mostly inside one operation point to it (Kazakhstan -> Nur-Sultan)."""
    per_unit: dict[str, Counter[str]] = defaultdict(Counter)
    lower: Counter[str] = Counter()
    stated: set[str] = set()  # "the Government of Turkmenistan"
    for chunk in chunks:
        stated.update(name.lower() for name in _STATE.findall(chunk.clean))
        for word in re.findall(r"\b[A-Za-z][a-z]{3,}\b", chunk.clean):
            if word[0].isupper():
                per_unit[word.lower()][chunk.unit] += 1
            else:
                lower[word] += 1
    placed = {u for u, place in lex.places.items() if place}
    for name, counts in per_unit.items():
        unit, top = counts.most_common(1)[0]
        total = sum(counts.values())
        proper = lower[name] <= 0.05 * total
        if proper and top >= 3 and top / total >= 0.6 and unit in placed and name not in _STOP:
            if name not in lex.aliases:
                lex.aliases[name] = unit
                if not any(name in keys for keys in lex.unit_keys.values()):
                    lex.located.add(name)  # not "skopje" or "sultan" of a unit's own name
    lex.states = stated & lex.located


_STATE = re.compile(
    r"\b(?:[Gg]overnment|Republic|President|Parliament) of (?:the )?([A-Z][a-z]+)\b"
)


def _add_themes(lex: Lexicon, chunks: list[Chunk]) -> None:
    units_of: dict[str, set[str]] = defaultdict(set)
    for chunk in chunks:
        if chunk.theme and chunk.kind == "text":
            units_of[chunk.theme].add(chunk.unit)
    lex.themes = [t for t, units in units_of.items() if len(units) >= 2]
    for theme in lex.themes:
        lex.theme_tokens[theme] = set(content_tokens(theme))
    themes = {t.lower() for t in lex.themes}
    for chunk in chunks:  # "Activities Related to General Police Development and Reform"
        name = re.sub(r"^activities (?:related to|relating to|on) ", "", chunk.category, flags=re.I)
        if name and name.lower() not in themes:
            lex.categories.add(" ".join(content_tokens(name)))


def quoted_names(question: str) -> list[str]:
    """Names the question quotes, of two words or more, in plain form.

    Example: 'what was the "To success, together!" project?' -> ["to success together"]
    """
    # (an apostrophe is no quote: "the mission's work, the office's plan")
    found = re.findall(r"(?<!\w)[\"“‘']([^\"”’']{4,80})[\"”’'](?!\w)", question)
    return [plain(q) for q in found if len(q.split()) >= 2]


def plain(text: str) -> str:
    """Lower-case words only: "“To success, together!”" -> "to success together"."""
    return " ".join(re.findall(r"\w+", text.lower()))
