"""Split a chunk into sentences that can be quoted verbatim and scored on their own.

Pure. A sentence keeps the raw text of the source line it comes from, so a quote drawn from it
is a verbatim substring of the report; a sentence cut by a page break keeps both halves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.blocks import is_caption, strip_markup
from index.types import FIGURE_KINDS, Chunk

SENTENCE_VERSION = "6"  # bump when splitting changes: stored sentence vectors follow it

# a sentence ends at . ! ? (optionally closed by a quote or bracket) before a capital or digit;
# "e.g." / "No." / "Mr." / initials are left alone by requiring two lower-case letters (or an
# acronym of two capitals or more, "UNDP.", its plural, "HRDs.", or a closing tag, "</sup>.")
# before the stop.
_END = re.compile(
    r"(?:(?<=[a-z0-9\)\]”\"’%]{2}[.!?])|(?<=[^\w.][A-Z]{2}[.!?])|(?<=[A-Z]{3}[.!?])|(?<=>[.!?])"
    r"|(?<=[A-Z]{2}s[.!?]))"
    r"[\"”’)]?\s+(?=[A-Z0-9“\"(‘'])"
)


@dataclass(frozen=True)
class Sentence:
    """One sentence of a chunk: raw pieces (each verbatim on one source line) and clean text."""

    chunk_id: str
    index: int
    raw: tuple[str, ...]
    lines: tuple[int, ...]
    clean: str

    @property
    def quote(self) -> str:
        """The longest verbatim piece: what a citation may show."""
        return max(self.raw, key=len)


def split_sentences(chunk: Chunk) -> list[Sentence]:
    """Sentences of a chunk in reading order (tables: one per row; infographics: one in all).

    Example: chunk "A first one. A second one." -> 2 sentences
    """
    if chunk.kind in FIGURE_KINDS:
        return [_figure_sentence(chunk)]
    if chunk.kind == "table":
        return _table_sentences(chunk)
    raw_lines = chunk.text.split("\n")
    pairs = (
        list(zip(chunk.lines, raw_lines, strict=False))
        if len(raw_lines) == len(chunk.lines)
        else [(chunk.lines[0] if chunk.lines else 0, line) for line in raw_lines]
    )
    out: list[Sentence] = []
    carry: list[tuple[int, str]] = []
    for line_no, line in pairs:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [line] if "\t" in line else _split(line)
        if len(parts) > 1 and is_caption((line,)) and _CREDIT_ONLY.fullmatch(parts[-1]):
            parts = [*parts[:-2], f"{parts[-2]} {parts[-1]}"]  # the credit stays with its caption
        for k, part in enumerate(parts):
            carry.append((line_no, part))
            last = k == len(parts) - 1
            # (a photo caption ends on its credit: "... 2019. (Darko Dakovic)" leads nothing on)
            if not last or _closed(part) or "\t" in line or is_caption((line,)):
                out.append(_sentence(chunk.id, len(out), carry))
                carry = []
    if carry:
        out.append(_sentence(chunk.id, len(out), carry))
    return out


_CREDIT_ONLY = re.compile(r"[*_]*\([^()]{2,80}\)[*_]*")


def _split(line: str) -> list[str]:
    pieces, start = [], 0
    for match in _END.finditer(line):
        pieces.append(
            line[start : match.start()].strip() + line[match.start() : match.end()].strip()
        )
        start = match.end()
    pieces.append(line[start:].strip())
    return [p for p in pieces if p]


def _closed(text: str) -> bool:
    return strip_markup(text).rstrip().endswith((".", "!", "?", ".”", '."', ".)", ":", ";"))


def _sentence(chunk_id: str, index: int, pieces: list[tuple[int, str]]) -> Sentence:
    raw = tuple(p for _, p in pieces)
    clean = " ".join(strip_markup(p).strip() for p in raw)
    clean = re.sub(r"\s+", " ", clean.replace("\t", " ")).strip()
    return Sentence(chunk_id, index, raw, tuple(n for n, _ in pieces), clean)


def _figure_sentence(chunk: Chunk) -> Sentence:
    """An infographic reads as its records; its quote is the raw line with the leading figure."""
    pairs = list(zip(chunk.lines, chunk.text.split("\n"), strict=False))
    figures = [(n, line.strip()) for n, line in pairs if re.search(r"\d", line) and line.strip()]
    figures = [(n, line) for n, line in figures if not line.lstrip().startswith("#")] or [
        (n, line.strip()) for n, line in pairs if line.strip()
    ]
    lines = tuple(n for n, _ in figures)
    raw = tuple(line for _, line in figures)
    return Sentence(chunk.id, 0, raw, lines, chunk.clean)


def _figures_only(cells: list[str]) -> bool:
    """Cells holding figures and nothing else (a subtotal row, not a contact's phone line)."""
    filled = [c for c in cells if c]
    return len(filled) >= 2 and all(re.fullmatch(r"[\d.,%\s]+", c) for c in filled)


def _table_sentences(chunk: Chunk) -> list[Sentence]:
    """One sentence per table row, spelled out with its column headers and section title."""
    from index.chunk import _is_header, category_row, table_row_text

    rows = chunk.text.split("\n")
    pairs = list(zip(chunk.lines, rows, strict=False))
    header = None
    if len(rows) > 1 and _is_header(rows):
        header = [strip_markup(c).strip() for c in rows[0].split("\t")]
        pairs = pairs[1:]
    title = chunk.section.split(" > ")[-1]
    out: list[Sentence] = []
    group = ""
    for line_no, row in pairs:
        cells = [strip_markup(c).strip() for c in row.split("\t")]
        if not any(cells):
            continue
        unlabelled = not cells[0]
        if category_row(cells):
            group = cells[0]
        elif unlabelled and _figures_only(cells[1:]):
            # an unlabelled row after a group's rows is its subtotal: "   416   195   112   723"
            cells = [f"{group} total" if group else "Total", *cells[1:]]
        body = table_row_text(header, cells) if header else " ".join(c for c in cells if c)
        # (a subtotal keeps its empty first cell: it reads by the label it was given)
        kept = row.rstrip() if unlabelled else row.strip()
        out.append(Sentence(chunk.id, len(out), (kept,), (line_no,), f"{title}: {body}"))
    return out
