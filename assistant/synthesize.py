"""Grounded answers with no LLM: pick the sentences that answer, group them, cite each one.

Each sentence shown is a sentence of the report; its citation carries a quote that is checked
verbatim against the report file. Cross-operation questions are answered per operation.
When the evidence is too weak, or the question names an operation or year the reports do not
cover, the answer starts with the fixed refusal sentence and points to the nearest material.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from assistant.evidence import (
    Candidate,
    SectionSource,
    credits,
    dated,
    evidence_text,
    funds,
    located,
    mentions_year,
    names_members,
    names_person,
    names_someone,
    overview_naming,
    planned,
    position,
    says_by_whom,
    shares_rare,
    support,
    supported,
)
from assistant.figures import without_dates
from assistant.lexicon import (
    MONTHS,
    content_tokens,
    is_unit_chapter,
    plain,
    spelling_key,
    spelt_tokens,
    unit_label,
)
from assistant.query import Query, own_turn
from assistant.retrieve import theme_key
from assistant.summary import (
    best_section,
    leads,
    other_account,
    own_words,
    paragraph_bests,
    paragraph_key,
    section_scores,
)
from assistant.types import REFUSAL, Citation, Hit
from index.chunk import table_row_text
from index.sentences import Sentence
from index.types import FIGURE_KINDS

_NUMBER = re.compile(r"\d")
# the line under a quote naming its speaker: "– Tatiana Stanciu, participant of ..."
_ATTRIBUTION = re.compile(r"^[–—-]\s*[A-Z]\w+(?:\s+[A-Z]\w+)+,")


@dataclass(frozen=True)
class Thresholds:
    """Evidence bars and answer sizes (set on the development split of the eval set)."""

    answer: float = 0.42  # best candidate below this: refuse
    keep: float = 0.80  # keep candidates scoring at least this share of the best
    per_unit: float = 0.38  # a unit in a cross-operation answer needs this much
    per_unit_themed: float = 0.5  # ... times this from a section on the asked theme
    naming: float = 0.6  # "did X ... in Belarus?": a passage naming Belarus needs this share
    dated: float = 0.9  # "when ...?": a passage this close to the best must give a date
    per_unit_passages: int = 3  # best sentences shown per named operation
    spread_passages: int = 1  # "which operations ...": room for every operation before depth
    summary_leads: int = 12  # paragraph openings in a section summary
    summary_detailed: int = 8  # ... the most relevant of them with the sentence after (figures)
    summary_sentences: int = 6  # ... or more of each when the section has few paragraphs
    summary_most: int = 16  # ... at most this many sentences, leaving sources for footnotes
    # a chosen sentence is shown with its paragraph neighbours (who, where, how many)
    before: int = 2
    after: int = 2
    per_unit_before: int = 1
    per_unit_after: int = 1
    # a summary's section: best passage score plus this weight on its two best sentences
    section_evidence: float = 0.5
    section_title: float = 0.2  # ... and this when its title names what is asked about
    overview: float = 0.1  # ... less this for an overview chapter's section (it condenses)
    other_account: float = 0.85  # another report's section this close adds its leads
    other_leads: int = 4
    other_event: float = 0.8  # another section's account of the asked event this close is added


SentenceSource = Callable[[str], list[tuple[Sentence, float]]]


def candidates(
    query: Query,
    hits: list[Hit],
    sentences_of: SentenceSource,
    n_hits: int = 8,
    proper: frozenset[str] | set[str] = frozenset(),
) -> list[Candidate]:
    """Sentences of the top hits scored by similarity, keyword overlap and figures.

    Example: "how many women ..." favours a sentence with "31 young women" over one without.
    """
    wanted = set(content_tokens(query.expanded))
    # a name quoted by an earlier turn is what a follow-up asks about, not its answer:
    # "did any of those screenings lead to a request?" after "where was 'Love Sonia' shown?"
    quoted = [q for q in query.quoted if q in plain(own_turn(query.text))]
    out: list[Candidate] = []
    top = hits[0].score if hits else 1.0
    several = query.spread or query.compare or query.across or query.several_themes
    limit = n_hits * 3 if several else n_hits
    for rank, hit in enumerate(hits[:limit]):
        if hit.chunk.kind in FIGURE_KINDS and not query.wants_number:
            continue  # an infographic answers "how many", not "what did they do"
        prior = 0.15 * (hit.score / top if top else 0.0) - 0.01 * rank
        per_chunk = None if query.wants_number or query.other_years or query.defines else 6
        for sentence, similarity in sentences_of(hit.chunk.id)[:per_chunk]:
            tokens = set(content_tokens(sentence.clean))
            overlap = len(wanted & tokens) / max(1, len(wanted))
            score = similarity + 0.25 * overlap + prior
            if quoted and any(q in plain(sentence.clean) for q in quoted):
                score += 0.3  # the name the question quotes: "To success, together!"
            if "\t" in sentence.raw[0]:  # a table row: its own label, not the table's title
                cells = set(content_tokens(re.sub(r"<[^>]+>", " ", sentence.raw[0])))
                if not sentence.raw[0].split("\t")[0].strip():  # a subtotal: its given label
                    cells |= set(content_tokens(sentence.clean.split(": ")[1]))
                score += 0.3 * len(wanted & cells) / max(1, len(wanted))
                if query.wants_number and not query.themes and "total" in cells:
                    score += 0.1  # "how many activities in 2017?": no row named, the total
                if any(set(c.split()) <= cells for c in query.categories):
                    score += 0.15  # the row of the category named, not of a theme inside it
            if query.wants_number and _NUMBER.search(sentence.clean):
                score += 0.05
            if len(sentence.clean.split()) < 4:
                score -= 0.2
            if query.months and any(m in sentence.clean.lower() for m in query.months):
                score += 0.2  # dated as the question dates it: "what did X donate in feb?"
            if query.asks_who and says_by_whom(sentence.clean):
                score += 0.1  # "who runs the courses?": "... facilitated by a training team"
            if query.asks_quote and _ATTRIBUTION.match(sentence.clean):
                score += 0.3  # "who is quoted?": "– Tatiana Stanciu, participant of ..."
            if query.asks_which and query.asks_which[:5] in {t[:5] for t in tokens}:
                score += 0.15  # "which communities ...?": "... Roma and LGBTI communities"
            if query.asks_place and proper:  # "in which countries ...": one naming places
                score += 0.08 * min(3, len((tokens & proper) - query.tokens))
            out.append(Candidate(sentence, hit, score, similarity))
    out.sort(key=lambda c: -c.score)
    return out


def refusal(reason: str, nearest: list[Candidate], cite: Callable[[Candidate], int | None]) -> str:
    """The fixed refusal sentence, what is missing, and the nearest related material cited."""
    text = REFUSAL if not reason else f"{REFUSAL} {reason}"
    pointers = []
    for candidate in nearest[:2]:
        n = cite(candidate)
        if n is not None:
            pointers.append(f"{_short(candidate.hit.chunk.section)} [{n}]")
    if pointers:
        text += " The nearest related material is in " + "; ".join(pointers) + "."
    return text


def _short(section: str) -> str:
    return section.split(" > ")[-1] if " > " in section else section


def display(sentence: Sentence, header: list[str] | None = None) -> str:
    """How a sentence reads in the answer (table rows spelled out with their headers)."""
    raw = sentence.raw[0]
    if "\t" in raw:
        cells = [c.strip() for c in re.sub(r"</?b>", "", raw).split("\t")]
        if header and not cells[0]:  # a subtotal row: the label its sentence was given
            return sentence.clean.split(": ", 1)[-1]
        if header:
            return table_row_text(header, cells)
        return " ".join(c for c in cells if c)
    # a bracketed number printed in the report must never read as one of our citations;
    # a list item's own bullet would read as a second one under the answer's
    text = re.sub(r"^\s*[-•*–]\s+", "", sentence.clean)
    return re.sub(r"\[(\d{1,3})\]", r"(\1)", text)


FootnoteSource = Callable[[Candidate], list[Candidate]]


def compose(
    query: Query,
    ranked: list[Candidate],
    cite: Callable[[Candidate], int | None],
    header_of: Callable[[Candidate], list[str] | None],
    thresholds: Thresholds = Thresholds(),
    section_of: SectionSource | None = None,
    footnotes_of: FootnoteSource | None = None,
    themes_of: Callable[[str], set[str]] | None = None,
    paragraph_of: SectionSource | None = None,
    room: int = 16,
) -> tuple[str, bool]:
    """The answer text with [n] markers, and whether it is a refusal.

    `themes_of(unit)` gives the theme keys a unit's chapter has sections on; `room` is how
    many sources an answer may cite.
    """
    if query.unknown_units:
        missing = ", ".join(query.unknown_units)
        return refusal(f"They do not cover the {missing}.", ranked, cite), True
    if query.defines and (spelled := _spelled_out(query, ranked, cite)):
        return spelled, False
    if not ranked or ranked[0].score < thresholds.answer:
        return refusal("", ranked, cite), True
    everything = ranked
    if query.other_years or (query.wants_number and query.focus):
        _nearest = ranked
        # a year alone is weak evidence ("the 2016 to 2020 strategy"): it must sit close to the top
        floor = 0.6 if query.wants_number and query.focus else 0.85
        strong = supported(ranked, lambda c: support(c, query, paragraph_of), floor)
        if strong and query.doer:  # the count of the event the question says did it
            strong = supported(ranked, lambda c: _by_doer(c, query, paragraph_of), floor) or strong
        # the report may count the thing in its own words ("1,259 pieces of SALW" for
        # "weapons"): failing that, a count in a top sentence sharing the question's rare words
        ranked = strong or supported(
            ranked, lambda c: shares_rare(c, query, paragraph_of), 0.9, depth=3
        )
        if not ranked:
            return refusal(_unsupported(query, _nearest), _nearest, cite), True
        if (
            strong
            and query.asked_years
            and not any(mentions_year(c, query.other_years) for c in strong)
        ):  # "... for 2014? to compare with 2019": only the reports' own year is there
            return refusal(_unsupported(query, _nearest), _nearest, cite), True
    if query.asks_who and not any(
        names_someone(c, query) for c in ranked if c.score >= thresholds.keep * ranked[0].score
    ):
        return refusal("They name no one for this.", ranked, cite), True
    if query.asks_person and not any(
        names_person(c, query)
        for c in _near_best(ranked, thresholds.keep, paragraph_of, footnotes_of)
    ):
        asked = next(  # the question's own spelling: "the NGO", "the experts"
            (
                w
                for w in re.findall(r"[\w/-]+", query.text)
                if content_tokens(w)[:1] == [query.asks_person]
            ),
            query.asks_person,
        )
        return refusal(f"They do not name the {asked}.", ranked, cite), True
    if query.asks_why and ranked[0].hit.chunk.kind in (*FIGURE_KINDS, "table"):
        # "why was the budget cut?": the budget lines tell what, not why
        return refusal("They give no reason for this.", ranked, cite), True
    if query.asks_funder and not any(
        funds(c) for c in _near_best(ranked, thresholds.keep, paragraph_of, footnotes_of)
    ):
        return refusal("They do not say who funded it.", ranked, cite), True
    if query.asks_when and not _dates(query, ranked, thresholds, paragraph_of):
        return refusal("They give no date for this.", ranked, cite), True
    if query.asks_which and not any(
        names_members(c, query)
        for c in _near_best(ranked, thresholds.dated, paragraph_of, footnotes_of)
    ):
        return refusal(f"They do not name the {_plural(query.asks_which)}.", ranked, cite), True
    if query.yes_no and query.names:
        naming = _naming(query, ranked, thresholds)
        if isinstance(naming, str):
            return refusal(f"They do not mention {naming} in this connection.", ranked, cite), True
        ranked = naming
    themed = {t for theme in query.themes for t in content_tokens(theme)} & query.telling
    if query.across and query.names and not (query.units or query.spread or themed):
        text = _per_section(query, everything, cite, header_of, paragraph_of, room)
        if text:
            return text, False
    told = not (query.pointed or query.yes_no or query.wants_number or query.asks_quote)
    if query.spread or query.compare or len(query.units) > 1:
        sections = section_of if told and not query.other_years else None
        text = _per_unit(
            query,
            ranked,
            cite,
            header_of,
            thresholds,
            everything,
            paragraph_of,
            room,
            sections,
            footnotes_of,
        )
        if text:
            return text, False
    lead = ""
    chapters = tuple(u for u in query.units if is_unit_chapter(u))
    if chapters:  # a named operation is answered from its own chapter, never a neighbour's
        names = " and ".join(unit_label(u) for u in chapters)
        own = [
            c
            for c in ranked
            if c.hit.chunk.unit in chapters or overview_naming(c, query) or located(c, query)
        ]
        if not own or own[0].score < thresholds.answer:
            return refusal(f"They describe nothing on this for the {names}.", ranked, cite), True
        ranked = own
        themes = {theme_key(t) for t in query.themes}
        covered = set().union(*(themes_of(u) for u in chapters)) if themes_of else themes
        # (a passage naming the theme outright covers it: "a conference on ... Organized Crime")
        said = set(content_tokens(own[0].sentence.clean))
        named = any(set(content_tokens(t)) <= said for t in query.themes)
        if themes and not themes & covered and not named:
            if query.wants_number:  # a figure about a theme the chapter never reports on
                reason = f"The {names} chapter has no section on {query.themes[0]}."
                return refusal(reason, own, cite), True
            lead = (
                f"The {names} chapter has no section on {query.themes[0]}; "
                "the closest passages in it are:\n"
            )
        elif absent := [t for t in query.themes_named if theme_key(t) not in covered]:
            # "... on cybercrime and on hate crime?": say which of the two it does not report on
            lead = f"The {names} chapter has no section on {' or '.join(absent)}.\n"
    if chapters and told and query.several_themes and section_of is not None:
        # "what did X do on A and on B?": each section told by its leads
        text = _per_theme(
            query, ranked, cite, header_of, section_of, room, paragraph_of, thresholds
        )
        if text:
            return lead + text, False
    # (a figure's support already keeps to the place: its count may not repeat the place)
    counted = query.wants_number and query.focus
    there = [] if counted or query.at_home else [c for c in ranked if located(c, query)]
    if there and there[0].score >= thresholds.naming * ranked[0].score:
        ranked = there  # "what did SPMU do in Serbia?": its passages naming Serbia
    body = _focused(
        query,
        ranked,
        cite,
        header_of,
        thresholds,
        section_of,
        footnotes_of,
        paragraph_of,
        gist=not there,  # a place's mentions across sections, not one section's gist
        everything=everything,
    )
    return lead + body, False


def _by_doer(
    candidate: Candidate, query: Query, paragraph_of: SectionSource | None
) -> list[Candidate]:
    """The support of a sentence naming what did the counted thing ("a workshop for 18")."""
    if not query.doer & set(content_tokens(candidate.sentence.clean)):
        return []
    return support(candidate, query, paragraph_of)


def _dates(
    query: Query,
    ranked: list[Candidate],
    thresholds: Thresholds,
    paragraph_of: SectionSource | None,
) -> bool:
    """A top passage, or a sentence just before it in its paragraph, gives a date: "the UN
    Human Rights Council adopted a landmark resolution" dates nothing. Asked when something
    was done, the paragraph must tell it done: "when was the protocol signed?" is not dated
    by a paragraph that only says it was agreed to finalize it."""
    done = _DONE.match(query.text)
    verb = next(g for g in done.groups() if g).lower()[:4] if done else ""
    for candidate in _tops(ranked, thresholds.dated):
        paragraph = paragraph_of(candidate) if paragraph_of else [candidate]
        at = position(paragraph, candidate)
        near = [candidate, *paragraph[max(0, at - 2) : at]]
        if any(dated(c) for c in near) and any(verb in c.sentence.clean.lower() for c in paragraph):
            return True
    return False


# "when was it signed?", "when did the government adopt it?": the act that must be told done
_DONE = re.compile(
    r"^\s*when (?:was|were) .+?\b(\w{3,}ed)\b"
    r"|^\s*when did .+?\b(adopt|approve|sign|ratify|launch|establish|publish|enact|endorse)\b",
    re.IGNORECASE,
)


_OPENINGS = frozenset({"introduction", "overview", "background"})


def _opening(candidate: Candidate) -> bool:
    """The candidate is from the section opening its chapter ("4.6 ... > Introduction")."""
    path = candidate.hit.chunk.section.split(" > ")
    return len(path) == 2 and path[-1].lower() in _OPENINGS


def _plural(noun: str) -> str:
    """The plural of an asked noun. Example: "municipality" -> "municipalities"."""
    if re.search(r"[^aeiou]y$", noun):
        return noun[:-1] + "ies"
    return noun + ("es" if noun.endswith(("s", "sh", "ch", "x")) else "s")


def _tops(ranked: list[Candidate], share: float) -> list[Candidate]:
    """The top five candidates within `share` of the best."""
    return [c for c in ranked[:5] if c.score >= share * ranked[0].score]


def _near_best(
    ranked: list[Candidate],
    share: float,
    paragraph_of: SectionSource | None,
    footnotes_of: FootnoteSource | None = None,
) -> list[Candidate]:
    """The top candidates within `share` of the best, then the sentences of their paragraphs
    and the footnotes these point to ("nine MSCs³⁵" lists them below): where the names asked
    for should be found."""
    top = _tops(ranked, share)
    near = top + [x for c in top for x in (paragraph_of(c) if paragraph_of else [c])]
    return near + [x for c in near for x in (footnotes_of(c) if footnotes_of else [])]


def _unsupported(query: Query, nearest: list[Candidate]) -> str:
    """What the reports lack: a figure, anything for the asked year, or more than plans."""
    what = " or ".join(query.other_years)
    if query.wants_number and query.focus:
        return f"They give no such figure for {what}." if what else "They give no such figure."
    if query.after_report and any(planned(c) for c in nearest[:5]):
        return f"For {what} they state plans, not what happened."
    return f"They say nothing on this for {what}."


def _spelled_out(
    query: Query, ranked: list[Candidate], cite: Callable[[Candidate], int | None]
) -> str:
    """An abbreviation spelt out from the passage that defines it (a glossary row first)."""
    word, expansion = query.defines
    wanted = " ".join(expansion.lower().split())
    defining = [
        c
        for c in ranked
        if wanted in " ".join(c.sentence.clean.lower().split())
        and re.search(rf"\b{re.escape(word)}\b", c.sentence.clean, re.IGNORECASE)
    ]
    defining.sort(key=lambda c: (c.hit.chunk.kind != "table", -c.score))
    for candidate in defining[:1]:
        n = cite(candidate)
        if n is not None:  # the expansion as the report prints it
            text = " ".join(candidate.sentence.clean.split())
            at = text.lower().index(wanted)
            return f"{word} stands for {text[at : at + len(wanted)]} [{n}]."
    return ""


def _naming(query: Query, ranked: list[Candidate], thresholds: Thresholds) -> list[Candidate] | str:
    """For "did X do Y in Belarus?": the candidates, narrowed to those naming every place or
    name the question does when the best ones do not; the missing name when none does."""
    best = ranked[0].score
    top = [c for c in ranked[:5] if c.score >= thresholds.keep * best]
    evidence = " ".join(evidence_text(c) for c in top).lower()
    missing = [w for w in query.names if not _mentions(evidence, w, query)]
    if not missing:
        return ranked
    naming = [
        c
        for c in ranked
        if c.score >= thresholds.naming * best
        and all(_mentions(evidence_text(c).lower(), w, query) for w in missing)
    ]
    return naming or missing[0].capitalize()


def _mentions(text: str, name: str, query: Query) -> bool:
    """The lower-cased text names `name`, or an abbreviation standing for it ("moi" for
    "interior": the Russian Federation's MoI is its interior ministry)."""
    abbreviations = query.name_abbreviations.get(name, ())
    return bool(re.search(rf"\b{name}", text)) or any(
        re.search(rf"\b{re.escape(a)}\b", text) for a in abbreviations
    )


def _line(candidate: Candidate, n: int, header_of: Callable[[Candidate], list[str] | None]) -> str:
    return f"{display(candidate.sentence, header_of(candidate))} [{n}]"


def _entry(
    label: str,
    found: list[Candidate],
    cite: Callable[[Candidate], int | None],
    header_of: Callable[[Candidate], list[str] | None],
) -> str:
    """One entry of a per-operation or per-section answer ("- **label**: ... [1] ... [2]"),
    "" when none of `found` can be cited (the answer already holds as many sources as it may)."""
    cited = [_line(c, n, header_of) for c in found if (n := cite(c)) is not None]
    return f"- **{label}**: " + " ".join(cited) if cited else ""


def _focused(
    query: Query,
    ranked: list[Candidate],
    cite: Callable[[Candidate], int | None],
    header_of: Callable[[Candidate], list[str] | None],
    thresholds: Thresholds,
    section_of: SectionSource | None = None,
    footnotes_of: FootnoteSource | None = None,
    paragraph_of: SectionSource | None = None,
    gist: bool = True,
    everything: list[Candidate] | None = None,
) -> str:
    """A factoid answer (a few best sentences) or a section summary (the best section's gist).

    `everything` is the ranking before it was kept to the asked operation: another chapter's
    account of the same event is looked for there."""
    best = ranked[0]
    asks_gist = (
        gist
        and not query.asks_quote  # "who is quoted ... and what do they say?": one passage
        and (query.wants_summary or (bool(query.themes) and not (query.pointed or query.yes_no)))
    )
    # a year other than the reports' own: the sentences that name it, not a section's gist
    summary = asks_gist and not query.wants_number and not query.other_years
    if summary:  # the best-ranked passage's section, not the best single sentence's
        texts = [c for c in ranked if c.hit.chunk.kind == "text"] or ranked
        scores = section_scores(
            texts,
            thresholds.section_evidence,
            own_words(query),
            thresholds.section_title,
            thresholds.overview,
        )
        # "what did X do on Y?" where X's chapter has a section on Y: that section tells it
        keys = {theme_key(t) for t in query.themes}
        filed = [
            c
            for c in texts
            if c.hit.chunk.unit in query.units and theme_key(c.hit.chunk.theme) in keys
        ]
        if query.overview and not keys:  # "what did X focus on?": its chapter's opening
            filed = [c for c in texts if c.hit.chunk.unit in query.units and _opening(c)]
        best = best_section(filed or texts, scores)
        whole = section_of(best) if section_of else []
        if whole:
            chosen = _told(whole, thresholds.summary_most, paragraph_of, thresholds)
        else:
            chosen = [c for c in ranked if c.hit.chunk.section == best.hit.chunk.section][:5]
        other = other_account(texts, best, scores, thresholds.other_account)
        if other is not None and section_of is not None:
            chosen += leads(section_of(other), thresholds.other_leads)
    else:
        top = [c for c in ranked if c.score >= thresholds.keep * best.score][:3]
        chosen = top
        if paragraph_of is not None:
            chosen = _in_context(top, paragraph_of, thresholds.before, thresholds.after)
            if query.asks_who and not any(credits(c, query) for c in chosen):
                chosen += _crediting(top, paragraph_of, query)
            if query.asks_funder and not any(funds(c) for c in chosen):
                chosen += _crediting(top, paragraph_of, query, funds)
        # the same event told in another section ("the pilot course in Tirana", by the Presence
        # and by SPMU): its best passage there, with its neighbours
        others = _other_accounts(query, everything or ranked, top, thresholds)
        if others and paragraph_of is not None:
            chosen += _in_context(others, paragraph_of, 1, 1)
        if query.asks_quote and section_of is not None:  # who is quoted, with what they said
            chosen += [
                q
                for c in chosen
                if _ATTRIBUTION.match(c.sentence.clean)
                for q in _quote_of(c, section_of(c))
            ]
    chosen = _dedupe(chosen)
    chosen.sort(key=reading_order)
    if footnotes_of is not None:  # a footnote often holds the fact: the sample, the count, the link
        chosen = _dedupe([x for c in chosen for x in [c, *footnotes_of(c)]])
    if not summary:  # the paragraph holding the best answer first, each in reading order
        chosen = [
            c for run in sorted(_runs(chosen), key=lambda r: -max(c.score for c in r)) for c in run
        ]
    lines = _paragraph_lines(chosen, cite, header_of)
    if len(lines) == 1:
        return lines[0]
    sections = {c.hit.chunk.section for c in chosen}
    lead = f"From {chosen[0].hit.chunk.section}:" if len(sections) == 1 else "From the reports:"
    return lead + "\n" + "\n".join(f"- {line}" for line in lines)


def _other_accounts(
    query: Query, ranked: list[Candidate], top: list[Candidate], thresholds: Thresholds
) -> list[Candidate]:
    """The best passage of up to two other sections telling the event the question names by
    its rare words (two of them, or its one), close enough to the best."""
    rare = query.rare - {t for u in query.units for t in content_tokens(u)}
    asked = {spelling_key(t) for t in rare if len(t) > 3 and not t.isdigit()}
    if not asked or not ranked:
        return []
    needed = min(2, len(asked))
    seen = {c.hit.chunk.section for c in top}
    found: list[Candidate] = []
    for candidate in ranked:
        if candidate.score < thresholds.other_event * ranked[0].score:
            break
        section = candidate.hit.chunk.section
        if section in seen or candidate.hit.chunk.kind != "text":
            continue
        if len(asked & spelt_tokens(candidate.sentence.clean)) >= needed:
            found.append(candidate)
            seen.add(section)
            if len(found) == 2:
                break
    return found


def _told(
    whole: list[Candidate],
    most: int,
    paragraph_of: SectionSource | None,
    thresholds: Thresholds,
) -> list[Candidate]:
    """A section within `most` sentences: in full when it fits, else by its leads."""
    if len(_dedupe(whole)) <= most:
        return whole
    chosen = leads(whole, min(most, thresholds.summary_leads))
    if paragraph_of is None:
        return chosen
    # a section of few activities is told in more depth, a long one by its leads
    after = max(1, thresholds.summary_sentences // max(1, len(chosen)) - 1)
    return _packed(chosen, paragraph_bests(whole), paragraph_of, after, thresholds, most)


def _packed(
    leads: list[Candidate],
    best_of: dict[tuple[str, int], Candidate],
    paragraph_of: SectionSource,
    after: int,
    thresholds: Thresholds,
    most: int,
) -> list[Candidate]:
    """A section summary within `most` sources: every activity by its paragraph's opening
    (most relevant first), then, while room is left, each one's best sentence, its count
    ("In total, 83 young people ...") and the sentences after its opening.
    """
    kept = _dedupe(leads)[:most]
    details = []
    for rank, lead in enumerate(kept):
        paragraph = paragraph_of(lead)
        told = _in_context([lead], paragraph_of, 0, after)[1:]
        counted = [c for c in paragraph if c.sentence != lead.sentence and _counts(c)][:1]
        best = [best_of[paragraph_key(lead)]] if paragraph_key(lead) in best_of else []
        if rank < thresholds.summary_detailed:
            details.append(best + counted + told)
    for group in details:
        for candidate in group:
            if len(kept) >= most:
                return kept
            kept = _dedupe([*kept, candidate])
    return kept


def _counts(candidate: Candidate) -> bool:
    """The sentence counts something: "In total, 83 young people took part." (not a date)."""
    return bool(_COUNTED.search(without_dates(candidate.sentence.clean)))


_COUNTED = re.compile(r"(?<![\w.,])(?!(?:19|20)\d\d\b)\d[\d,]*\s+[a-zA-Z]")


def _paragraph_lines(
    chosen: list[Candidate],
    cite: Callable[[Candidate], int | None],
    header_of: Callable[[Candidate], list[str] | None],
) -> list[str]:
    """One line per run of consecutive sentences of one paragraph, each sentence cited."""
    lines: list[str] = []
    previous: Candidate | None = None
    for candidate in chosen:
        n = cite(candidate)
        if n is None:
            continue
        text = _line(candidate, n, header_of)
        if previous is not None and _continues(previous, candidate):
            lines[-1] += " " + text
        else:
            lines.append(text)
        previous = candidate
    return lines


def _runs(chosen: list[Candidate]) -> list[list[Candidate]]:
    """Chosen sentences (in reading order) grouped into runs of one paragraph."""
    runs: list[list[Candidate]] = []
    for candidate in chosen:
        if runs and _continues(runs[-1][-1], candidate):
            runs[-1].append(candidate)
        else:
            runs.append([candidate])
    return runs


def _continues(previous: Candidate, candidate: Candidate) -> bool:
    """The candidate is the sentence right after `previous` in the same paragraph."""
    a, b = previous.sentence, candidate.sentence
    follows = b.index == a.index + 1 if a.chunk_id == b.chunk_id else b.index == 0
    return follows and a.lines[-1] == b.lines[0] and "\t" not in a.raw[0]


def _per_unit(
    query: Query,
    ranked: list[Candidate],
    cite: Callable[[Candidate], int | None],
    header_of: Callable[[Candidate], list[str] | None],
    thresholds: Thresholds,
    everything: list[Candidate] | None = None,
    paragraph_of: SectionSource | None = None,
    room: int = 16,
    section_of: SectionSource | None = None,
    footnotes_of: FootnoteSource | None = None,
) -> str:
    """One entry per operation: the named ones, or every one with strong enough evidence,
    each within its share of the `room` for sources, so that none is left out for want of it.

    A named operation whose sentences all fail the figure test is still shown with its best
    passages (from `everything`), so two accounts of one event can be set side by side.
    Given `section_of` (a question asking to be told, not pointed), a named operation with a
    section on the asked theme is told by that section ("compare X and Y on gender").
    """
    # "which structures ran courses in Albania?": Albania is where, not who, and its own
    # Presence is one of the structures (operations listed, "... in 2019: Kosovo, Uzbekistan,
    # Skopje?", are who is asked about); such a question keeps only units named after a place
    one = query.spread and not query.compare and len(query.units) == 1
    hosts = list(query.units) if one else []
    actors = [u for u in query.units if is_unit_chapter(u) and u not in hosts]

    def grouped(pool: list[Candidate]) -> dict[str, list[Candidate]]:
        by_unit: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in pool:
            chunk = candidate.hit.chunk
            if chunk.kind == "text" and (chunk.theme or chunk.unit in actors):
                by_unit[chunk.unit].append(candidate)
        return by_unit

    by_unit = grouped(ranked)
    keys = {theme_key(t) for t in query.themes}
    if keys and not actors:  # "which FOs ... on hate crime": not their cybercrime work
        by_unit = {
            u: kept for u, found in by_unit.items() if (kept := _on_theme(query, keys, found))
        }
    elif keys:  # "what did Skopje and Kosovo do on HRM": each one's HRM work where it has any
        by_unit = {u: _on_theme(query, keys, found) or found for u, found in by_unit.items()}
    # "... visits to Europol", "... worked with DCAF": the ones naming it
    named = {*query.names, *query.acronyms} & query.telling
    naming: dict[str, list[Candidate]] = {}
    if hosts:
        naming = {
            u: kept
            for u, found in by_unit.items()
            if u not in hosts and (kept := _naming_place(query, found))
        }
        if naming:
            by_unit = {**{u: by_unit[u] for u in hosts if u in by_unit}, **naming}
    elif named and not actors:
        naming = {u: kept for u, found in by_unit.items() if (kept := _naming_any(named, found))}
        by_unit = naming or by_unit
    subject = _subject_stems(query)  # "... on trafficking in cultural property": naming it
    if subject and not actors:
        telling = {u: kept for u, found in by_unit.items() if (kept := _telling(subject, found))}
        by_unit = telling or by_unit
    fallback = grouped(everything) if everything is not None else {}

    def floor(candidate: Candidate) -> float:
        """A passage of a section on the asked theme needs less: the heading vouches for it."""
        themed = theme_key(candidate.hit.chunk.theme) in keys
        return thresholds.per_unit * (thresholds.per_unit_themed if themed else 1.0)

    wanted = actors or [
        u
        for u in by_unit
        if any(c.score >= floor(c) for c in by_unit[u]) and (not query.within or u in query.within)
    ]
    # "which operations ...": room for every operation first, depth second
    most = thresholds.per_unit_passages if actors else thresholds.spread_passages
    lines = []
    # "which FOs worked on <theme>?": every operation with work on it gets its entry, each
    # within its share of the sources; one placed or named event keeps its best eight
    whole_theme = keys and not (actors or query.names or query.located or query.places)
    wanted = wanted[: room if whole_theme else 8]
    share = max(1, room // max(1, len(wanted)))
    for unit in wanted:
        found = [c for c in by_unit.get(unit, []) if c.score >= floor(c)]
        depth = thresholds.per_unit_passages if unit in hosts else most
        found = found if unit in naming else found[:depth]
        if not found:
            found = [c for c in fallback.get(unit, []) if c.score >= thresholds.per_unit][:1]
        if not found:
            lines.append(f"- **{unit_label(unit)}**: the reports do not describe this for it.")
            continue
        filed = [c for c in found if theme_key(c.hit.chunk.theme) in keys]
        if section_of is not None and unit in actors and filed:
            found = sorted(
                _told(section_of(filed[0]), share, paragraph_of, thresholds), key=reading_order
            )
        elif paragraph_of is not None and unit in naming:
            # each passage naming the partner is one more instance: "visits to Poland" on
            # drugs, on borders and on emergencies are three, not one with its neighbours
            found = _instances(found, paragraph_of, share)
        elif paragraph_of is not None:
            # asked for a count, the rest of the paragraph may hold it ("The event was
            # attended by 25 ..." closes the account of the workshop)
            after = len(paragraph_of(found[0])) if query.wants_number else thresholds.per_unit_after
            told = _dedupe(_in_context(found, paragraph_of, thresholds.per_unit_before, after))
            at = told.index(found[0]) if found[0] in told else -1
            found = _nearest(told, at, share, query.wants_number) if at >= 0 else told
        if footnotes_of is not None:  # a footnote may hold the fact: "the research covered ..."
            found = _dedupe([x for c in found for x in [c, *footnotes_of(c)]])
        if entry := _entry(unit_label(unit), found, cite, header_of):
            lines.append(entry)
    if not any("[" in line for line in lines):
        return ""
    return "\n".join(lines)


def _per_section(
    query: Query,
    ranked: list[Candidate],
    cite: Callable[[Candidate], int | None],
    header_of: Callable[[Candidate], list[str] | None],
    paragraph_of: SectionSource | None,
    room: int,
) -> str:
    """One entry per section telling of the name the question follows ("Poland" in three of
    ODIHR's stories), best first, each with the passages naming it; "" unless two do."""
    stems = {n[:5] for n in set(query.names).difference(MONTHS)}  # "Bulgarian" for Bulgaria
    by_section: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in ranked:
        tokens = {t[:5] for t in content_tokens(evidence_text(candidate))}
        if candidate.hit.chunk.kind == "text" and stems & tokens:
            by_section[candidate.hit.chunk.section].append(candidate)
    # "what did ODIHR do in Uzbekistan?": the sections whose passages name the body too
    actors = {w.lower() for w in _ACRONYM.findall(own_turn(query.text))} - set(query.names)
    if actors:  # (each passage's words read once, not once per sentence of it)
        chunks = {c.hit.chunk.id: c.hit.chunk for f in by_section.values() for c in f}
        naming = {i for i, chunk in chunks.items() if actors <= set(content_tokens(chunk.clean))}
        acted = {s: f for s, f in by_section.items() if any(c.hit.chunk.id in naming for c in f)}
        by_section = acted or by_section
    # "what did ODIHR do with Uzbekistan on anti-trafficking?": the sections titled so
    asked = {p for t in query.telling for p in t.split("-") if p[:5] not in stems}
    # (or by a phrase of their title: "... across its civil society programmes")
    pairs = set(pairwise(content_tokens(own_turn(query.text))))
    titled = {
        s: f
        for s, f in by_section.items()
        if asked & set(content_tokens(s)) or pairs & set(pairwise(content_tokens(s)))
    }
    if titled:
        by_section = titled
    if len(by_section) < 2:
        return ""
    sections = sorted(by_section, key=lambda s: -by_section[s][0].score)[:6]
    share = max(1, room // len(sections))
    lines = []
    for section in sections:
        found = by_section[section]
        found = _instances(found, paragraph_of, share) if paragraph_of else found[:share]
        if entry := _entry(section, found, cite, header_of):
            lines.append(entry)
    return "\n".join(lines)


def _per_theme(
    query: Query,
    ranked: list[Candidate],
    cite: Callable[[Candidate], int | None],
    header_of: Callable[[Candidate], list[str] | None],
    section_of: SectionSource,
    room: int,
    paragraph_of: SectionSource | None = None,
    thresholds: Thresholds = Thresholds(),
) -> str:
    """One entry per theme the question names, from the named chapters' best section on it,
    told as a compared operation's section is (in full when it fits, else its leads and
    their counts), in the report's order; "" unless two themes have one."""
    keys = {theme_key(t) for t in query.themes_named}
    best: dict[str, Candidate] = {}
    for candidate in ranked:
        chunk = candidate.hit.chunk
        if chunk.kind == "text" and chunk.unit in query.units and theme_key(chunk.theme) in keys:
            best.setdefault(theme_key(chunk.theme), candidate)
    if len(best) < 2:
        return ""
    share = max(2, room // len(best))
    lines = []
    for found in best.values():
        whole = section_of(found)
        told = sorted(
            _told(whole, share, paragraph_of, thresholds),
            key=lambda c: (c.sentence.lines[0], c.sentence.index),
        )
        if entry := _entry(found.hit.chunk.section, told, cite, header_of):
            lines.append(entry)
    return "\n".join(lines)


_ACRONYM = re.compile(r"\b[A-Z][A-Za-z/]*[A-Z][A-Za-z/]*\b")  # "ODIHR", "PCUz", "TNTD/ATU"


def _instances(found: list[Candidate], paragraph_of: SectionSource, most: int) -> list[Candidate]:
    """One run per paragraph among `found` (best first): the sentence found, behind the ones
    it leans on ("During the visit, ..."), then, room allowing, the rest of its paragraph
    (where the count often is: "The event was attended by 25 ..."); within `most` sentences
    in all (the best paragraph's run always)."""
    seen: set[tuple[str, int]] = set()
    runs: list[tuple[list[Candidate], list[Candidate]]] = []
    used = 0
    for candidate in found:
        paragraph = paragraph_of(candidate) or [candidate]
        key = (paragraph[0].sentence.chunk_id, paragraph[0].sentence.index)
        if key in seen:
            continue
        seen.add(key)
        at = start = position(paragraph, candidate)
        while start > 0 and _ANAPHORIC.match(paragraph[start].sentence.clean):
            start -= 1
        core = paragraph[start : at + 1]
        if runs and used + len(core) > most:
            continue
        runs.append((core, paragraph[at + 1 :]))
        used += len(core)
    out: list[Candidate] = []
    for core, tail in runs:
        room = max(0, most - used)
        out += core + tail[:room]
        used += min(room, len(tail))
    return out


def _nearest(told: list[Candidate], at: int, most: int, counted: bool = True) -> list[Candidate]:
    """At most `most` of the sentences in reading order: the one at `at`, the opening of the
    run of its paragraph it belongs to (it names the event: "During the seminar, ..." needs
    "On 21 October, the Centre organized a seminar ..."), then those nearest it, the one
    before ahead of the one after. With room for one, and no count asked (`counted`), the
    opening alone."""
    start = at
    while start > 0 and _continues(told[start - 1], told[start]):
        start -= 1
    if most == 1 and not counted:
        # room for one sentence: the one naming the event, not "The event was attended by 25"
        return [told[start]]
    order = sorted(range(len(told)), key=lambda i: (i not in (at, start), abs(i - at), i > at))
    return sorted((told[i] for i in order[:most]), key=reading_order)


def reading_order(candidate: Candidate) -> tuple[int, int]:
    """Sort key: where a sentence stands in its report."""
    return (candidate.hit.chunk.order, candidate.sentence.index)


_TOPIC = re.compile(
    r"\b(?:on|about|regarding|concerning)\s+(.+?)(?=\s+(?:in|during|since)\s+(?:19|20)\d\d\b|"
    r"\s+(?:and|or)\s+(?:where|when|who|how|what|which)\b|[?,;:(]|$)",
    re.IGNORECASE,
)


def _subject_stems(query: Query) -> set[str]:
    """What a question asks about across operations when no theme of the reports names it:
    "which missions trained people on trafficking in cultural property?"."""
    if query.themes:
        return set()  # a theme's sections and words say it (`_on_theme`)
    found = _TOPIC.search(own_turn(query.text))
    return {t[:5] for t in content_tokens(found.group(1)) if len(t) > 2} if found else set()


def _telling(stems: set[str], found: list[Candidate]) -> list[Candidate]:
    """The candidates naming at least half the subject's words."""
    return [
        c
        for c in found
        if 2 * len(stems & {t[:5] for t in content_tokens(evidence_text(c))}) >= len(stems)
    ]


def _naming_any(names: set[str], found: list[Candidate]) -> list[Candidate]:
    return [c for c in found if names & set(content_tokens(evidence_text(c)))]


def _naming_place(query: Query, found: list[Candidate]) -> list[Candidate]:
    """The candidates naming a place the question names ("Albania", "Albanian")."""
    return [
        c
        for c in found
        if any(re.search(rf"\b{re.escape(p)}", evidence_text(c), re.I) for p in query.places)
    ]


def _on_theme(query: Query, keys: set[str], found: list[Candidate]) -> list[Candidate]:
    """The candidates from a section on an asked theme (`keys`), or naming its telling word
    ("hate" for Hate Crime) elsewhere."""
    words = {t for theme in query.themes for t in content_tokens(theme)} & query.telling
    return [
        c
        for c in found
        if theme_key(c.hit.chunk.theme) in keys or words & set(content_tokens(c.sentence.clean))
    ]


def _in_context(
    chosen: list[Candidate], paragraph_of: SectionSource, before: int, after: int
) -> list[Candidate]:
    """Each chosen sentence with up to `before`/`after` neighbours from its own paragraph:
    the sentence that matched often names the event, the next one gives its figures."""
    out = []
    for candidate in chosen:
        paragraph = paragraph_of(candidate)
        at = position(paragraph, candidate)
        start = max(0, at - before)
        # "During the event, ..." needs the sentence naming the event
        while (
            start > 0
            and start > at - before - 3
            and _ANAPHORIC.match(paragraph[start].sentence.clean)
        ):
            start -= 1
        out.extend(paragraph[start : at + after + 1])
    return out


# a sentence leaning on the one before: "During the event, ...", "In addition, ...", "They ..."
_ANAPHORIC = re.compile(
    r"^(?:during (?:the|this|these|both|each)|in addition|additionally|furthermore|moreover|"
    r"also|as a (?:result|follow-up)|following (?:the|this|that)|participants|"
    r"the (?:event|training|workshop|seminar|course|meeting|conference|visit|session|exercise|"
    r"roundtable|campaign|participants|trainees|attendees|aim|purpose|goal|objective)s?|"
    r"this|these|those|it|they|their|its|both|each|such|thereafter|subsequently|then)\b",
    re.IGNORECASE,
)


def _crediting(
    top: list[Candidate],
    paragraph_of: SectionSource,
    query: Query,
    says: Callable[[Candidate], bool] | None = None,
) -> list[Candidate]:
    """For "who did it?": the sentence of a chosen paragraph that says by whom ("Delivered by
    a UK expert, ..."; `says` for another test, such as who paid), which may sit past the
    neighbours shown."""
    test = says or (lambda c: credits(c, query))
    for candidate in top:
        found = next((c for c in paragraph_of(candidate) if test(c)), None)
        if found is not None:
            return [found]
    return []


def _quote_of(attribution: Candidate, section: list[Candidate]) -> list[Candidate]:
    """The quotation an attribution line closes: the sentences before it, back to the one
    opening the quotation mark ("“Within only a few weeks, ..." for "— Stana Iliev, ...")."""
    order = sorted(section, key=reading_order)
    at = next(
        (i for i, c in enumerate(order) if c.sentence.clean == attribution.sentence.clean), None
    )
    if at is None:
        return []
    quote: list[Candidate] = []
    for candidate in reversed(order[max(0, at - 6) : at]):
        quote.insert(0, candidate)
        if candidate.sentence.clean.startswith(("“", '"')):
            return quote
    return []


def _dedupe(chosen: list[Candidate]) -> list[Candidate]:
    seen: set[str] = set()
    out = []
    for candidate in chosen:
        key = candidate.sentence.clean.lower()
        if key not in seen:
            seen.add(key)
            out.append(candidate)
    return out


def quote_citation(n: int, candidate: Candidate, source: str) -> Citation | None:
    """A citation for a candidate, or None when its quote is not verbatim in the source."""
    quote = candidate.sentence.quote.strip()
    if not quote or quote not in source:
        return None
    lines = candidate.sentence.lines
    return Citation(
        n=n,
        document=candidate.hit.chunk.document,
        section=candidate.hit.chunk.section,
        quote=quote,
        lines=(min(lines), max(lines)),
        chunk_id=candidate.hit.chunk.id,
    )
