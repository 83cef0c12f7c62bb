"""Which section a summary question is answered from, and which of its paragraphs lead.

Pure. A section is chosen by its best passage, its two best sentences and whether its own
title names what is asked; its paragraphs are ranked by their best sentence.
"""

from __future__ import annotations

import re
from collections import defaultdict

from assistant.evidence import Candidate
from assistant.lexicon import content_tokens, is_unit_chapter, unit_label
from assistant.query import Query
from assistant.retrieve import title_tokens
from index.blocks import is_caption


def section_scores(
    texts: list[Candidate],
    weight: float,
    asked: frozenset[str] = frozenset(),
    title: float = 0.0,
    overview: float = 0.0,
) -> dict[str, float]:
    """How well each section answers a summary question: its best passage score plus its two
    best sentences, so a long general section does not win on one passage, plus `title` when
    the section's own title names something asked about ("... forensic centre" ->
    "Specialized Investigations Units/Forensics", not the chapter's Introduction), less
    `overview` for a section of an overview chapter ("1 Executive Summary"), which condenses
    what an operation's own chapter tells in full."""
    passage: dict[str, float] = {}
    sentences: dict[str, list[float]] = defaultdict(list)
    for candidate in texts:
        section = candidate.hit.chunk.section
        passage[section] = max(passage.get(section, 0.0), candidate.hit.score)
        sentences[section].append(candidate.score)
    return {
        section: best
        + weight * sum(sorted(sentences[section], reverse=True)[:2])
        + title * bool(asked & title_tokens(section))
        - overview * (not is_unit_chapter(section))
        for section, best in passage.items()
    }


def best_section(texts: list[Candidate], scores: dict[str, float]) -> Candidate:
    """The candidate whose section scores best (`scores` from `section_scores`)."""
    return max(texts, key=lambda c: scores[c.hit.chunk.section])


def other_account(
    texts: list[Candidate], best: Candidate, scores: dict[str, float], share: float
) -> Candidate | None:
    """The best section of another report on the same subject, when it scores close to the
    chosen one: ODIHR's own report and the police report's ODIHR appendix tell one story."""
    others = [c for c in texts if c.hit.chunk.document != best.hit.chunk.document]
    if not others:
        return None
    other = max(others, key=lambda c: scores[c.hit.chunk.section])
    close = scores[other.hit.chunk.section] >= share * scores[best.hit.chunk.section]
    return other if close else None


def own_words(query: Query) -> frozenset[str]:
    """The question's own telling words less those naming its operations: what it asks about
    ("forensic" in "what did the Kosovo mission do for the forensic centre?"; not "osce")."""
    units = {t for u in query.units for t in content_tokens(unit_label(u))}
    return frozenset(query.telling - units)


def leads(section: list[Candidate], most: int) -> list[Candidate]:
    """The opening sentence of each paragraph of a section (each names one activity),
    the most relevant paragraphs (by their best sentence) when there are more than room."""
    leads: dict[tuple[str, int], Candidate] = {}
    # (a photo caption names what the picture shows, often another section's event)
    # (nor does a bare signature under a quote: "— Buket Atli")
    told = [
        c for c in section if not is_caption(c.sentence.raw) and not _SIGNED.match(c.sentence.clean)
    ] or section
    for candidate in told:
        key = paragraph_key(candidate)
        current = leads.get(key)
        if current is None or candidate.sentence.index < current.sentence.index:
            leads[key] = candidate
    best_of = paragraph_bests(section)
    return sorted(leads.values(), key=lambda c: -best_of[paragraph_key(c)].score)[:most]


_SIGNED = re.compile(r"^[–—-]\s*[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3}\s*$")


def paragraph_key(candidate: Candidate) -> tuple[str, int]:
    return (candidate.hit.chunk.id, candidate.sentence.lines[0])


def paragraph_bests(section: list[Candidate]) -> dict[tuple[str, int], Candidate]:
    """The best-scoring sentence of each paragraph: what in it answers the question."""
    bests: dict[tuple[str, int], Candidate] = {}
    for candidate in section:
        key = paragraph_key(candidate)
        if key not in bests or candidate.score > bests[key].score:
            bests[key] = candidate
    return bests
