"""Cut sections into retrievable chunks sized for the embedder's window.

A chunk never crosses a section. Paragraphs are packed up to a word budget and split at
sentence ends when too long; a footnote body travels with the chunk holding its marker;
table rows keep their column headers; infographic sections become one chunk whose
normalised text spells out their structured records. Pure.
"""

from __future__ import annotations

import hashlib
import re

from index.blocks import strip_markup
from index.records import render_records, section_records
from index.types import FIGURE_KINDS, Block, Chunk, Section

CHUNKER_VERSION = "3"
MAX_WORDS = 150  # ~200 word pieces of prose: inside MiniLM's 256 with the section path in front
TABLE_WORDS = 70  # numbers cost several word pieces each
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z“\"(])")
_SKIP_KINDS = {"toc"}


def clean_text(raw: str) -> str:
    """Normalised text for embedding and keyword search: markup gone, page-break halves joined.

    Example: "the ASP and the\\npreviously <b>pioneered</b>" -> "the ASP and the previously pioneered"
    """
    lines = [strip_markup(line).strip() for line in raw.split("\n")]
    text = ""
    for line in lines:
        if not line:
            continue
        if text.endswith("-") and line[:1].islower() and not text.endswith(" -"):
            text = text[:-1] + line  # a word hyphenated across the break: "pro-" + "vided"
        else:
            text = f"{text} {line}" if text else line
    return re.sub(r"\s+", " ", text).strip()


def chunk_section(section: Section) -> list[Chunk]:
    """The chunks of one section, in reading order.

    Example: a section of three short paragraphs -> one chunk holding all three
    """
    if section.kind in _SKIP_KINDS or not section.blocks:
        return []
    if section.kind in FIGURE_KINDS:
        return [_figure_chunk(section)]
    groups: list[list[Block]] = []
    for piece in _pieces(section.blocks):
        _pack(groups, piece)
    return [_make_chunk(section, group, i) for i, group in enumerate(groups)]


def _pieces(blocks: tuple[Block, ...]) -> list[Block]:
    """Blocks cut to the word budget: long paragraphs at sentence ends, tables by rows."""
    out: list[Block] = []
    header: tuple[int, str] | None = None  # the header row of the table just read
    for block in blocks:
        if block.kind in ("heading", "embed"):
            continue  # the path already names it; a web post's buttons and counters say nothing
        if block.kind == "table":
            block = _continued(block, header)
            rows = block.text.split("\n")
            header = (block.lines[0], rows[0]) if _is_header(rows) else None
            out.extend(_table_pieces(block))
        elif len(block.text.split()) > MAX_WORDS and block.kind != "footnote":
            out.extend(_sentence_pieces(block))
        else:
            out.append(block)
        if block.kind != "table":
            header = None
    return out


def _continued(block: Block, header: tuple[int, str] | None) -> Block:
    """A headerless table right after a table with the same columns continues it (a page
    break or a blank line split it): it takes that header, so its rows read "Contact Person
    ...; Email ..." rather than bare cells."""
    rows = block.text.split("\n")
    if header is None or _is_header(rows) or rows[0].count("\t") != header[1].count("\t"):
        return block
    return Block("table", f"{header[1]}\n{block.text}", (header[0], *block.lines))


def _pack(groups: list[list[Block]], piece: Block) -> None:
    """Add a piece to the last group if it fits (footnotes always stay with their marker)."""
    budget = TABLE_WORDS if piece.kind == "table" else MAX_WORDS
    if groups:
        last = groups[-1]
        words = sum(len(b.text.split()) for b in last)
        same_kind = (last[-1].kind == "table") == (piece.kind == "table")
        # a table with a header row reads its rows by it: it shares a chunk with no other table
        apart = piece.kind == "table" and (_headed(piece) or _headed(last[0]))
        if piece.kind == "footnote" or (
            same_kind and not apart and words + len(piece.text.split()) <= budget
        ):
            last.append(piece)
            return
    groups.append([piece])


def _headed(block: Block) -> bool:
    rows = block.text.split("\n")
    return block.kind == "table" and len(rows) > 1 and _is_header(rows)


def _sentence_pieces(block: Block) -> list[Block]:
    """Split a long paragraph at sentence ends. Each piece keeps, line by line, the source
    lines it holds, so text and line numbers stay aligned (a quote maps to its line)."""
    segments: list[tuple[int, str]] = []  # (line, sentence or part of one)
    for number, line in zip(block.lines, block.text.split("\n"), strict=True):
        segments.extend((number, part) for part in _SENTENCE_END.split(line) if part)
    pieces: list[list[tuple[int, str]]] = [[]]
    for number, part in segments:
        words = sum(len(p.split()) for _, p in pieces[-1])
        if pieces[-1] and words + len(part.split()) > MAX_WORDS:
            pieces.append([])
        pieces[-1].append((number, part))
    return [_piece_block(block.kind, piece) for piece in pieces if piece]


def _piece_block(kind: str, piece: list[tuple[int, str]]) -> Block:
    """Sentences of one piece regrouped per source line: "\n" only where the line changes."""
    lines: list[int] = []
    texts: list[str] = []
    for number, part in piece:
        if lines and lines[-1] == number:
            texts[-1] = f"{texts[-1]} {part}"
        else:
            lines.append(number)
            texts.append(part)
    return Block(kind, "\n".join(texts), tuple(lines))


def _table_pieces(block: Block) -> list[Block]:
    """Table rows in groups under the budget, each group led by the header row."""
    rows = block.text.split("\n")
    header_at = 0 if _is_header(rows) else None
    body = list(zip(block.lines, rows, strict=True))[1 if header_at == 0 else 0 :]
    pieces: list[Block] = []
    group: list[tuple[int, str]] = []
    category: tuple[int, str] | None = None  # "General Police Development and Reform ... 56%"
    for line_no, row in body:
        if group and sum(len(r.split()) for _, r in group) + len(row.split()) > TABLE_WORDS:
            pieces.append(_table_block(block, rows, header_at, group))
            # a piece starting inside a category keeps its row, so its subtotal reads as its own
            group = [category] if category is not None else []
        if category_row([strip_markup(c).strip() for c in row.split("\t")]):
            category = (line_no, row)
        group.append((line_no, row))
    if group:
        pieces.append(_table_block(block, rows, header_at, group))
    return pieces


def category_row(cells: list[str]) -> bool:
    """A table row naming a category of the rows below it, with at most a share at its end:
    "General Police Development and Reform | | | | 56%"."""
    return bool(cells[0]) and len(cells) > 2 and not any(cells[1:-1])


def _is_header(rows: list[str]) -> bool:
    """The first row names columns: no figures in it, figures in most rows below."""
    numeric = sum(bool(re.search(r"\d", r)) for r in rows[1:])
    cells = [strip_markup(c).strip() for c in rows[0].split("\t")[1:]]
    named = all(not re.search(r"\d", c) or re.fullmatch(r"(19|20)\d\d|%", c) for c in cells)
    return named and any(cells) and numeric >= len(rows[1:]) / 2


def _table_block(
    block: Block, rows: list[str], header_at: int | None, group: list[tuple[int, str]]
) -> Block:
    head = [] if header_at is None else [(block.lines[0], rows[0])]
    lines = tuple(n for n, _ in head + group)
    return Block("table", "\n".join(r for _, r in head + group), lines)


def table_row_text(header: list[str], row: list[str]) -> str:
    """A table row spelled out with its column names.

    Example: (["Activity", "2018", "2019"], ["Hate Crime", "80", "49"]) -> "Hate Crime: 2018 80; 2019 49"
    """
    label, cells = row[0], row[1:]
    pairs = [f"{h} {c}".strip() for h, c in zip(header[1:], cells, strict=False) if c.strip()]
    return f"{label}: " + "; ".join(pairs) if pairs else label


def _table_clean(text: str) -> str:
    rows = [[strip_markup(c).strip() for c in r.split("\t")] for r in text.split("\n")]
    if len(rows) > 1 and _is_header(text.split("\n")):
        header = rows[0]
        return ". ".join(table_row_text(header, r) for r in rows[1:] if any(r)) + "."
    return ". ".join(" ".join(c for c in r if c) for r in rows) + "."


def _make_chunk(section: Section, group: list[Block], index: int) -> Chunk:
    text = "\n".join(b.text for b in group)
    clean = " ".join(
        _table_clean(b.text) if b.kind == "table" else clean_text(b.text) for b in group
    )
    footnotes = tuple(clean_text(b.text) for b in group if b.kind == "footnote")
    kinds = {b.kind for b in group}
    kind = "table" if kinds == {"table"} else next(iter(kinds)) if len(kinds) == 1 else "text"
    lines = tuple(n for b in group for n in b.lines)  # one per raw line of `text`, in order
    return Chunk(
        id=chunk_id(section.document, section.path, text, index, clean),
        document=section.document,
        section=section.path,
        unit=section.unit,
        theme=section.theme,
        category=section.category,
        kind=kind if kind != "paragraph" else "text",
        text=text,
        clean=clean,
        lines=lines,
        order=section.order * 1000 + index,
        footnotes=footnotes,
    )


def _figure_chunk(section: Section) -> Chunk:
    text = "\n".join(b.text for b in section.blocks)
    records = section_records(section)
    clean = render_records(section, records) or clean_text(text)
    return Chunk(
        id=chunk_id(section.document, section.path, text, 0, clean),
        document=section.document,
        section=section.path,
        unit=section.unit,
        theme=section.theme,
        category=section.category,
        kind=section.kind,
        text=text,
        clean=clean,
        lines=tuple(n for b in section.blocks for n in b.lines),
        order=section.order * 1000,
    )


def chunk_id(document: str, section: str, text: str, index: int, clean: str = "") -> str:
    """Stable id from content (raw and embedded text): the same on every run and machine.

    Example: chunk_id("r", "1 Intro", "Some text.", 0) -> "3f1c..." (20 hex digits)
    """
    key = "\x1f".join([CHUNKER_VERSION, document, section, str(index), text, clean])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:20]


def chunk_sections(sections: list[Section]) -> list[Chunk]:
    """All chunks of a report's sections, in document order."""
    return [chunk for section in sections for chunk in chunk_section(section)]
