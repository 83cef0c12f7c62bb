"""Hand-made report passages and questions for the composer's and evidence tests."""

from __future__ import annotations

from typing import Any

from assistant.evidence import Candidate
from assistant.query import Query
from assistant.types import Hit
from index.sentences import split_sentences
from index.types import Chunk


def passage(
    text: str, section: str = "4.3 Mission in Kosovo > Cybercrime", first: int = 10
) -> Chunk:
    """A text chunk of a section, one line per line of `text`, starting at line `first`."""
    lines = tuple(range(first, first + len(text.split("\n"))))
    return Chunk(
        id=f"c{first}",
        document="report",
        section=section,
        unit=section.split(" > ")[0],
        theme=section.split(" > ")[-1],
        category="",
        kind="text",
        text=text,
        clean=text,
        lines=lines,
        order=first,
    )


def candidates_of(chunk: Chunk, score: float = 1.0) -> list[Candidate]:
    """Every sentence of a chunk as a candidate scoring `score`."""
    hit = Hit(chunk, score)
    return [Candidate(s, hit, score, score) for s in split_sentences(chunk)]


def asking(text: str, **fields: Any) -> Query:
    """A question as understood, with the fields a test sets. Example: asking("how many?",
    wants_number=True, focus=("activity",))"""
    return Query(text=text, expanded=text, **fields)
