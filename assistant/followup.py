"""Rewrite a follow-up ("And in Serbia?", "what about 2018?") into a standalone question.

Pure. Keeps the previous turn's operation, theme and year unless the new turn replaces them;
only what the new turn does not say is carried over, so an old topic cannot drown a new one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from assistant.lexicon import RARE_IDF, Lexicon, content_tokens, unit_label
from assistant.query import understand
from assistant.types import REFUSAL

_FOLLOW = re.compile(
    r"^\s*(and|also|what about|how about|what of|same|and what about|ok|then)\b", re.IGNORECASE
)
_PRONOUN = re.compile(
    r"\b(it|its|they|them|their|there|that|this|those|these|he|she|his|her|the same)\b",
    re.IGNORECASE,
)
# what the turn's own operation acted on, named earlier: "... do with them?", "... fund it?"
_OBJECT = re.compile(r"\b(?:with|for|to|on|about|from|by)\s+(?:them|it|those|these)\b", re.I)
# "did the Uzbekistan office send anyone there as well?": the earlier subject, another actor
_ALSO = re.compile(r"\b(as well|too|also|likewise|either)\s*[?.!]*\s*$", re.IGNORECASE)
# "how many Serbian officers took part?": took part in what, the turn does not say
_DANGLING = re.compile(
    r"\b(?:took|take|taken) part\s*[?.!]*\s*$|\b(?:participated|attended|joined"
    r"|(?:was|were) (?:held|organi[sz]ed)|took place)\s*[?.!]*\s*$",
    re.IGNORECASE,
)
_ORG = (
    r"(?:the\s+)?(?:osce\s+)?(?:programme\s+|project\s+)?"
    r"(?:mission|presence|office|centre|center|co-?ordinator)\s+(?:to|in|of)\s+"
)


def is_follow_up(question: str, lex: Lexicon) -> bool:
    """True when a turn leans on the previous one (ellipsis, 'and ...', pronouns).

    Example: "And in Serbia?" -> True; "how many Serbian officers took part?" -> True;
    "What did the Mission to Serbia do on THB?" -> False
    """
    if _FOLLOW.match(question) or _ALSO.search(question) or _DANGLING.search(question):
        return True
    if _OBJECT.search(question):  # "what did the Montenegro mission do with them?"
        return True
    tokens = content_tokens(question)
    query = understand(question, lex)
    if len(tokens) <= 3:
        return True
    return bool(_PRONOUN.search(question)) and not query.units


def rewrite(question: str, history: list[str], lex: Lexicon, last_answer: str = "") -> str:
    """The standalone form of the last question, given all earlier user turns in order (and
    the answer to the last of them, which "there" or "it" may point into).

    Example: ("And in Serbia?", ["What did the Mission to Skopje do on gender mainstreaming?"])
    -> "What did the Mission to Serbia do on gender mainstreaming?"
    """
    previous = ""
    for turn in history:
        previous = _rewrite_one(turn, previous, lex) if previous else turn
    if not previous:
        return question
    # "did the PCUz send anyone there as well?": there = the Krasnoyarsk course answered
    named = _answer_names(last_answer, previous, lex) if _POINTING.search(question) else []
    if _refers_back(question, last_answer, lex) and not is_follow_up(question, lex):
        return f"{question.rstrip(' ?')}? (about: {previous.rstrip('?')})"
    return _rewrite_one(question, previous, lex, named)


def _refers_back(question: str, answer: str, lex: Lexicon) -> bool:
    """A turn naming no operation that asks about "the <thing>" the last answer told of:
    "when was the draft report presented?" after an answer on an assessment and its draft
    report."""
    if not answer or answer.startswith(REFUSAL):
        return False
    query = understand(question, lex)
    if query.units or query.spread or query.documents:
        return False
    told = set(content_tokens(re.sub(r"\[\d+\]", " ", answer)))
    things = {
        t
        for phrase in re.findall(r"\bthe ((?:[\w-]+ ){0,2}[\w-]+)", question, re.IGNORECASE)
        for t in content_tokens(phrase)
    }
    return any(t in told and lex.idf.get(t, 0.0) >= 2.5 for t in things)


_POINTING = re.compile(r"\b(there|it|that one|the same)\b", re.IGNORECASE)


def _answer_names(answer: str, question: str, lex: Lexicon, most: int = 3) -> list[str]:
    """The rare names the first sentence of an answer gives that its question did not:
    "Krasnoyarsk", "Siberian" for "which Russian course did they attend?"."""
    if not answer or answer.startswith(REFUSAL):
        return []
    first = re.split(r"\[\d+\]", answer.split("\n")[0].lstrip("- "), maxsplit=1)[0]
    asked = set(content_tokens(question))
    names = [
        word
        for word in re.findall(r"\b[A-Z][a-z]{3,}\b", first)
        if word.lower() in lex.proper
        and lex.idf.get(word.lower(), 0.0) >= RARE_IDF
        and word.lower() not in asked
    ]
    return list(dict.fromkeys(names))[:most]


def _rewrite_one(question: str, previous: str, lex: Lexicon, named: Sequence[str] = ()) -> str:
    if not previous or not is_follow_up(question, lex):
        return question
    new, old = understand(question, lex), understand(previous, lex)
    text = previous
    changed = False
    if new.unknown_units and old.units:  # "and the mission to georgia?": keep it unknown
        return _replace_units(text, old.units, (), lex, named=new.unknown_units[0])
    if new.units and set(new.units) != set(old.units):
        text = _replace_units(text, old.units, new.units, lex)
        changed = True
    if new.years and set(new.years) != set(old.years):
        text = _replace_years(text, old.years, new.years)
        changed = True
    if new.themes and not set(new.themes) & set(old.themes):
        units = new.units or old.units
        subject = " and ".join(f"the {unit_label(u)}" for u in units) if units else "the OSCE"
        text = f"What did {subject} do on {new.themes[0]}?"
        changed = True
    if changed and _is_elliptical(question, new):
        return text
    context = text if changed else previous
    also = f"; {' '.join(named)}" if named else ""  # names from the earlier answer
    return f"{question.rstrip(' ?')}? (about: {context.rstrip('?')}{also})"


def _is_elliptical(question: str, query: object) -> bool:
    """Nothing left of the turn once its operation, year and theme are taken out; a turn that
    asks its own question of the earlier subject ("what will it do in 2020?") is not."""
    if _PRONOUN.search(question):
        return False
    rest = re.sub(r"\b(19|20)\d\d\b", " ", question)
    tokens = [t for t in content_tokens(rest) if len(t) > 2]
    return len(tokens) <= 3


def _replace_units(
    text: str, old: tuple[str, ...], new: tuple[str, ...], lex: Lexicon, named: str = ""
) -> str:
    names = named or " and ".join(unit_label(u) for u in new)
    for unit in old:
        place = lex.places.get(unit) or unit_label(unit)
        pattern = re.compile(_ORG + re.escape(place), re.IGNORECASE)
        if pattern.search(text):
            return pattern.sub(f"the {names}", text, count=1)
        # "TNTD's Border Security and Management Unit": a unit's name after its department's
        name = unit_label(unit).split("/")[-1]
        for word in [place, name, *[a for a, u in lex.aliases.items() if u == unit]]:
            # "the serbia mission" / "serbia's office" / "serbia": the whole mention goes
            bare = re.compile(
                rf"(?:\bthe\s+)?(?:\b[\w]+(?:'s|/)\s*)?\b{re.escape(word)}\b(?:'s)?"
                r"(?:\s+(?:mission|office|presence|"
                r"centre|programme office|project co-?ordinator)\b)?",
                re.IGNORECASE,
            )
            if bare.search(text):
                return bare.sub(f"the {names}", text, count=1)
    return f"{text.rstrip(' ?')} (the {names})?"


def _replace_years(text: str, old: tuple[str, ...], new: tuple[str, ...]) -> str:
    if old:
        for year in old:
            text = text.replace(year, " and ".join(new), 1)
        return text
    return f"{text.rstrip(' ?')} in {' and '.join(new)}?"
