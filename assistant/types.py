"""The value types of answering: Filters, Turn, Hit, Citation, Answer."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.types import Chunk

REFUSAL = "The reports do not say."


@dataclass(frozen=True)
class Filters:
    """Restrict retrieval to documents, field operations/units or thematic headings."""

    documents: tuple[str, ...] = ()
    units: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.documents or self.units or self.themes)


@dataclass(frozen=True)
class Turn:
    """One earlier exchange of a conversation."""

    question: str
    answer: str = ""


@dataclass(frozen=True)
class Hit:
    """A retrieved chunk with its fused score and the parts of it."""

    chunk: Chunk
    score: float
    dense: float = 0.0
    keyword: float = 0.0


@dataclass(frozen=True)
class Citation:
    """A numbered source: where it is, and a quote that is verbatim in the report file."""

    n: int
    document: str
    section: str
    quote: str
    lines: tuple[int, int]
    chunk_id: str = ""

    def as_dict(self) -> dict[str, object]:
        """The JSON form used by the CLI, the batch output and the eval."""
        return {
            "n": self.n,
            "document": self.document,
            "section": self.section,
            "quote": self.quote,
            "lines": list(self.lines),
        }


@dataclass(frozen=True)
class Answer:
    """An answer whose every claim carries a [n] citation, or a refusal."""

    question: str
    standalone: str  # the question as understood, follow-ups rewritten
    text: str
    citations: tuple[Citation, ...]
    hits: tuple[Hit, ...]
    abstained: bool
    timings_ms: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    checks: dict[str, object] = field(default_factory=dict)
