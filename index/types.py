"""The value types that flow through ingestion: report -> Section -> Chunk (+ Record).

Plain frozen dataclasses; nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PATH_SEP = " > "
FIGURE_KINDS = frozenset({"budget", "staff", "chart", "figure"})  # infographic sections


@dataclass(frozen=True)
class Block:
    """A run of source lines that belong together: a paragraph, a heading, a table, a footnote.

    `lines` are 1-based line numbers in the source file (not necessarily contiguous: a paragraph
    broken by a page break is re-joined and keeps the line numbers of both halves).
    """

    kind: str  # paragraph | heading | table | footnote | caption | quote | figure | list
    text: str  # raw text exactly as in the file (halves joined by "\n")
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Section:
    """One section of a report as a reader sees it in the table of contents."""

    document: str
    path: str  # "4.6 Mission to Skopje > Gender Mainstreaming"
    title: str  # last element of the path
    unit: str  # the field operation or unit ("4.6 Mission to Skopje"), or the top-level part
    theme: str  # the thematic heading ("Gender Mainstreaming"), "" when there is none
    category: str  # grouping heading ("Activities Related to ...") when the report has one
    kind: str  # text | budget | staff | chart | table | toc | front
    blocks: tuple[Block, ...]
    order: int  # position in the document

    @property
    def lines(self) -> tuple[int, ...]:
        """Every source line this section holds, sorted."""
        return tuple(sorted({n for b in self.blocks for n in b.lines}))

    @property
    def span(self) -> tuple[int, int]:
        """First and last source line (1-based, inclusive)."""
        lines = self.lines
        return (lines[0], lines[-1]) if lines else (0, 0)

    @property
    def text(self) -> str:
        """The section's raw text, blocks separated by blank lines."""
        return "\n\n".join(b.text for b in self.blocks)


@dataclass(frozen=True)
class Record:
    """A structured fact lifted from a budget, staff, chart or table block."""

    document: str
    section: str
    unit: str
    item: str  # "Budget: Security Co-operation Department", "Activities: Gender Mainstreaming"
    year: str  # "2019", "2018" or "" when the block gives none
    value: str  # as printed: "366,000 EUR", "24%", "44"
    lines: tuple[int, ...]


@dataclass(frozen=True)
class Chunk:
    """A retrievable passage: a slice of one section, sized for the embedder's window."""

    id: str  # content hash: stable across runs and machines
    document: str
    section: str  # full section path
    unit: str
    theme: str
    category: str
    kind: str
    text: str  # raw text for verbatim quoting (page-break halves joined by "\n")
    clean: str  # normalised text: markup noise removed, page-break halves re-joined
    lines: tuple[int, ...]  # the source line of each raw line of `text`, in text order
    order: int
    footnotes: tuple[str, ...] = field(default=())

    @property
    def span(self) -> tuple[int, int]:
        """First and last source line (1-based, inclusive)."""
        return (min(self.lines), max(self.lines)) if self.lines else (0, 0)

    @property
    def embed_text(self) -> str:
        """What the embedder and the keyword index see: the section path, then the passage."""
        return f"{self.section}\n{self.clean}"
