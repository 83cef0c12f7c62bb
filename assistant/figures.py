"""Reading figures in report sentences: counts, shares and what a count counts.

Pure. "How many officers ..." is answered by a sentence that counts officers: a count standing
before its noun ("65 police investigators"), not a date ("13 and 14 June"), a section number
("4.9 Centre in Ashgabat"), a share (when a count is asked) or a count of something else
("seven prosecutors as co-ordinators in domestic violence cases").
"""

from __future__ import annotations

import re

from assistant.lexicon import MONTHS, content_tokens
from assistant.query import Query

_MONTHS = "|".join(MONTHS)
_COUNT = re.compile(
    rf"(?<![\w.,])(?!(?:19|20)\d\d\b)\d[\d,.]*(?!\s*(?:{_MONTHS}))\b"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
    r"fifty|hundred|thousand|million|dozens?)\b",
    re.IGNORECASE,
)


_WORD_NUMBERS = (
    r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred"
)
# "42%", "78 per cent", "Forty per cent"
_SHARE = re.compile(
    rf"(?:\d[\d.,]*|\b(?:{_WORD_NUMBERS})(?:[- ](?:{_WORD_NUMBERS}))?)\s*(?:%|per ?cent)",
    re.IGNORECASE,
)
# an amount of money: "2,499,200 EUR", "EUR 50,000", "$3 million"
_CURRENCY = re.compile(r"\b(?:EUR|USD|CHF|GBP|euros?|dollars?)\b|[€$£]", re.IGNORECASE)


def without_dates(text: str) -> str:
    """Text with day-of-month numbers removed, so "13 and 14 June" is not read as a count.

    Example: "On 13 and 14 June, 65 officers" -> "On  , 65 officers";
    "From 19 to 22 February" -> "From  "
    """
    return _DATE.sub(" ", text)


# "13 June", "13 and 14 June", "19 to 22 February", "19-22 February", "30 June to 2 July"
_DATE = re.compile(
    rf"\b\d{{1,2}}(?:\s+(?:{_MONTHS}))?(?:\s*(?:and|to|-|–)\s*\d{{1,2}})?\s+(?:{_MONTHS})\b",
    re.IGNORECASE,
)


def gives_figure(query: Query, sentence: str, evidence: str, unit: str, whole_line: bool) -> bool:
    """The sentence states a count or amount of the thing asked about, for the unit asked about.

    `evidence` is the sentence with its section path; `whole_line` marks a record or table row,
    whose figures belong to the whole line.
    Example: "how many officers ..." and "It trained 65 officers." -> True
    """
    if query.units and not query.spread and unit not in query.units:
        if not any(place and place.lower() in evidence.lower() for place in query.places):
            return False
    if whole_line and not _record_part(query, sentence):
        return False
    # the sentence's own figures: not "4.9" of a section or unit name a record repeats
    own = _STATES.sub("", sentence.replace(unit, " "))
    dates = without_dates(own)
    if query.wants_share and not _SHARE.search(dates):
        return False
    if query.wants_share and not _of_theme(query, evidence):
        return False
    # "how many" is not answered by a share ("42% ... 58%"); a share asked for may be written
    # in words ("less than one per cent of victims"), and counts as one in figures
    dates = _SHARE.sub(" 1 per cent " if query.wants_share else " ", dates)
    if not _COUNT.search(dates):
        return False
    tokens = set(content_tokens(evidence))
    modifiers = set(query.focus[:-1]) - abbreviated(query.text, evidence)  # "WPA" reps
    # "what share of Serbians trust the police?": every line of the Serbia chapter names
    # Serbia, so the place says nothing of what is counted when another word does
    if modifiers:  # (read only when the question qualifies its count at all)
        placed = {t[:5] for t in content_tokens(" ".join(query.places))}
        modifiers = {m for m in modifiers if m[:5] not in placed} or modifiers
    return any(
        _counts(query, head, modifiers, tokens, dates, unit, whole_line)
        for head in (query.focus[-1], *query.also_counted)
    )


def _counts(
    query: Query,
    head: str,
    modifiers: set[str],
    tokens: set[str],
    dates: str,
    unit: str,
    whole_line: bool,
) -> bool:
    """The figures (`dates`: the sentence less its dates) count `head`, as `modifiers` say."""
    if head in _MONEY:  # "how much money / funding": an amount in a currency, nothing else
        return bool(_CURRENCY.search(dates)) and _spent_on(query, tokens, unit)
    if head in _ANYONE and _delegated(query, dates):
        return False
    # a head count may name anyone who came; a share is "of" the very thing asked about
    heads = _ATTENDEES if head in _ANYONE and not query.wants_share else {head}
    # (a modifier by its stem: "Serbian officers" are counted as "from Serbia's MoI")
    if not heads & tokens or (modifiers and not {m[:5] for m in modifiers} & _stems(tokens)):
        return False
    if whole_line:
        return True  # a record or a table row states its figures for the whole line
    return any(count_near(dates, h) for h in heads & tokens)


def _of_theme(query: Query, evidence: str) -> bool:
    """A share asked of a theme ("what % went to border security?") is one the line names:
    a chart split into the report's two categories gives no share for a theme."""
    if not query.themes or query.categories:
        return True
    words = {t for theme in query.themes for t in content_tokens(theme)}
    return bool(words & set(content_tokens(evidence)))


def _stems(tokens: set[str]) -> set[str]:
    return {t[:5] for t in tokens}


def _spent_on(query: Query, tokens: set[str], unit: str) -> bool:
    """An amount names what the question says the money went on: "how much did the donated
    equipment cost?" is not answered by the operation's budget line."""
    asked = query.telling - _MONEY - {"value", "worth", "price", "much"}
    asked -= set(content_tokens(f"{unit} {' '.join(query.units)} {' '.join(query.places)}"))
    return not asked or bool(asked & tokens)


# "how many people / participants came?" is answered by a count of anyone who came: the
# report may say participants, representatives, officials, citizens ...
_ANYONE = frozenset({"people", "person", "participant", "attendee"})
_ATTENDEES = _ANYONE | set(
    "participant attendee citizen individual resident official officer expert representative "
    "delegate specialist practitioner professional student trainee member women men woman man "
    "girl boy mentor mentee judge prosecutor lawyer journalist "
    "teacher pupil youth child children activist volunteer leader point police counterpart "
    "stakeholder guest victim survivor beneficiary trainer commander investigator inspector "
    "analyst guard agent head chief director manager adviser advisor co-ordinator coordinator "
    "cadet recruit graduate parliamentarian deputy minister mayor attorney advocate doctor "
    "worker psychologist educator young migrant refugee returnee inmate "
    "prisoner detainee policymaker researcher academic respondent interviewee adult applicant "
    "candidate employee personnel civilian firefighter panellist panelist speaker".split()
)


def of_people(word: str) -> bool:
    """The word names some kind of people: "officers", "staff", "judges"."""
    return word in _ATTENDEES or word == "staff"


# "how much money / funding ..." is answered by an amount in a currency
# "12 BSEC Member States" counts countries, not members
_STATES = re.compile(r"\bmember\s+(?=states?\b|countries\b)", re.IGNORECASE)
_MONEY = frozenset("money funding fund financing grant contribution cost".split())


_OVERALL = re.compile(r"\b(?:overall|in total|altogether|all together|in all|total number)\b", re.I)
# the items of a budget or staff record's year: "2019: Total 52 Total, ...; Police Affairs 19 ..."
_RECORD_ITEM = re.compile(r"(?:\b(?:19|20)\d\d: |; )([A-Z][^\d;]*?)\s+\d")
_WHOLE = re.compile(r"\btotal (?:staff|budget)\b|\bwhole (?:office|mission|operation)\b", re.I)
_POLICE_PART = re.compile(
    r"\bpolice[- ]related\b|\bpolic(?:e|ing) (?:work|activities|matters)\b", re.I
)


def _record_part(query: Query, sentence: str) -> bool:
    """A budget or staff record gives what is asked of it: the whole operation's figure when
    the question asks for its total (most records give only the police-related department's),
    a police-related part when it asks for that (some give only the whole office's)."""
    if query.focus[-1:] not in (("staff",), ("budget",)):
        return True
    items = _RECORD_ITEM.findall(sentence)
    if not items:
        return True
    whole = any(i.startswith("Total") for i in items)
    if (_OVERALL.search(query.text) or _WHOLE.search(query.text)) and not whole:
        return False  # "how many staff did the PCUz have in total?": one department's 5
    parts = [i for i in items if not i.startswith("Total")]
    return bool(parts) or not _POLICE_PART.search(query.text)  # (the PCU's whole office)


_DELEGATION = re.compile(
    r"\b(?:participation of|supported|sponsored|facilitated|sent|delegation of)\s+(?:the\s+)?"
    r"(?:\w+\s+)?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b",
    re.IGNORECASE,
)


def _delegated(query: Query, text: str) -> bool:
    """Asked how many took part overall, the sentence counts one delegation instead: "the
    PCUz supported the participation of two representatives" is not the event's attendance."""
    return bool(_OVERALL.search(query.text)) and bool(_DELEGATION.search(text))


def abbreviated(question: str, text: str) -> set[str]:
    """The words of the question's capitalised names that the passage writes by their
    initials: "Women Police Association" in a passage saying "WPA"."""
    said = set(re.findall(r"\b[A-Z][A-Za-z]*[A-Z]\b", text))
    out: set[str] = set()
    for run in re.findall(r"\b[A-Z][a-z]+(?:\s+(?:of\s+|and\s+)?[A-Z][a-z]+)+", question):
        words = [w for w in run.split() if w[0].isupper()]
        if "".join(w[0] for w in words) in said:
            out |= {t for w in words for t in content_tokens(w)}
    return out


def loose_figure(query: Query, text: str) -> bool:
    """A figure of the asked kind, whatever the report calls the thing it counts ("1,259
    pieces of SALW" for "weapons"): an amount of money for "how much money", a share for
    "what share", else a count that is not a share nor a head count of people unless people
    are asked about ("attended by 30 participants" does not count hate crime cases).
    """
    dates = without_dates(_STATES.sub("", text))
    head = query.focus[-1] if query.focus else ""
    if head in _MONEY:
        return bool(_CURRENCY.search(dates))
    if query.wants_share:  # "what percentage of participants ...": a share of participants
        return bool(_SHARE.search(dates)) and (not head or head in content_tokens(text))
    dates = _SHARE.sub(" ", dates)
    words = re.findall(r"[\w,.%-]+", dates)
    if head in _ATTENDEES:  # a head count: a count of some kind of people ("109 participants")
        return (
            not _delegated(query, dates)
            and any(
                _COUNT.fullmatch(word.strip(",."))
                and set(content_tokens(words[k])) & _ATTENDEES
                # "402,600 EUR; Police-Related Activities" is an amount, not a head count
                and not _CURRENCY.fullmatch(words[i + 1].strip(",.;"))
                # "five courses for judges" counts courses; "50 national and international
                # stakeholders" counts people
                and not {w.lower().strip(",.") for w in words[i + 1 : k]} & (_LINKS - {"and", "or"})
                for i, word in enumerate(words)
                for k in range(i + 1, min(len(words), i + 6))
            )
        )
    for i, word in enumerate(words):
        if _COUNT.fullmatch(word.strip(",.")):
            after = {t for w in words[i + 1 : i + 5] for t in content_tokens(w)}
            if not after & _ATTENDEES:
                return True
    return False


def count_near(text: str, head: str, before: int = 6, after: int = 3) -> bool:
    """A count stands next to the thing counted: "65 investigators", "cases: 120".

    Example: ("trained 65 police investigators", "investigator") -> True
    """
    words = re.findall(r"[\w,.%-]+", text)
    stems = [content_tokens(w)[0] if content_tokens(w) else "" for w in words]
    for i, stem in enumerate(stems):
        if stem != head:
            continue
        for j in range(max(0, i - before - 2), i):  # "65 police investigators", not "seven
            between = words[j + 1 : i]  # prosecutors in ... cases"
            if _COUNT.fullmatch(words[j].strip(",.")) and _one_phrase(between, before):
                return True
        for k in range(i + 1, min(len(words), i + 1 + after)):
            if {w.lower() for w in words[i + 1 : k]} & _PLACING:
                break  # "practitioners from 12 States" counts the States
            if _COUNT.fullmatch(words[k].strip(",.")):
                return True
    return False


def _one_phrase(words: list[str], most: int) -> bool:
    """The words between a count and its noun belong to its noun phrase: no word ending a
    phrase, except "and"/"or" in a list of names ("93 North Macedonian, Serbian and Mongolian
    border officials"), and at most `most` words besides such a list's."""
    links = {w.lower().strip(",.") for w in words} & _LINKS
    if not links:
        return len(words) < most
    # a list of names, then the noun's own modifiers: "North Macedonian, Serbian and | border"
    last = max((k for k, w in enumerate(words) if w[0].isupper()), default=-1)
    listed = [w for w in words[: last + 1] if w.lower().strip(",.") not in _LINKS]
    return (
        links <= {"and", "or"}
        and bool(listed)
        and all(w[0].isupper() for w in listed)
        and len(words) - last - 1 < most
    )


_PLACING = frozenset("from in at of for to with on by".split())
_LINKS = frozenset(
    "as in for to with on by from at and or who which that was were is are had has have".split()
)
