"""Rebuild a report's section tree from converted text, repairing what PDF conversion broke.

Sections are named as the table of contents names them; heading levels come from numbering and
from headings that recur across units, never from `#` counts alone. Page-break halves are
re-joined, interrupting material (captions, figures, footnotes) moved out of the sentence, and
footnote bodies moved to the section holding their marker. Every source line lands in exactly
one section. Pure: takes text, returns values; does not chunk or embed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from index.blocks import (
    RawBlock,
    ends_open,
    footnote_markers,
    footnote_number,
    heading_title,
    is_percent_line,
    split_blocks,
    starts_continuation,
    strip_markup,
    with_kind,
)
from index.toc import TocEntry, find_toc, match_entry, normalise_title, plain_heading
from index.types import FIGURE_KINDS, PATH_SEP, Block, Section

PARSER_VERSION = "9"
_INTERRUPTERS = {"caption", "footnote", "figure", "table", "list", "quote", "embed"}
_OPEN_WORDS = set(
    "a an and as at between by for from in into of on or than that the their its to via "
    "which with within while whose".split()
)


@dataclass(frozen=True)
class Slot:
    """Where a block goes: a section path (tuple of names) and that section's kind."""

    path: tuple[str, ...]
    kind: str = "text"
    unit: str = ""
    theme: str = ""
    category: str = ""


@dataclass
class Report:
    """A parsed report: its sections in document order, and what parsing had to guess."""

    document: str
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)


def parse_file(path: Path, document: str | None = None) -> list[Section]:
    """Sections of a report file (UTF-8 text or markdown).

    Example: parse_file(Path("data/reports/x.md"))[0].path -> "Foreword ..."
    """
    text = Path(path).read_text(encoding="utf-8")
    return parse_report(document or Path(path).stem, text).sections


def parse_report(document: str, text: str) -> Report:
    """Parse report text into sections named as its table of contents names them.

    Example: parse_report("r", "# 1 Intro\\nSome text.").sections[0].path -> "1 Intro"
    """
    blocks = split_blocks(text)
    warnings: list[str] = []
    entries, toc_blocks = find_toc(blocks)
    if not entries:
        blocks = _promote_plain_headings(blocks)
    if not any(b.kind == "heading" for b in blocks):
        warnings.append(f"{document}: no recognisable headings; one section per paragraph block")
        return Report(document, _sections_per_block(document, blocks), warnings)
    slots = _assign_slots(blocks, entries, toc_blocks)
    blocks, slots = _mark_footnotes(blocks, slots)
    placed = _join_page_breaks(blocks, slots)
    placed = _move_footnotes(placed)
    return Report(document, _build_sections(document, placed), warnings)


def _promote_plain_headings(blocks: list[RawBlock]) -> list[RawBlock]:
    """Turn plain-text numbered headings ("2.1 Title", "PART 2" + title line) into headings."""
    out: list[RawBlock] = []
    skip = False
    for i, block in enumerate(blocks):
        entry = None if skip else plain_heading(block)
        skip = False
        if entry is None:
            out.append(block)
            continue
        raw, lines = block.raw, block.lines
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if not entry.title and nxt is not None and nxt.kind == "paragraph":
            if len(" ".join(nxt.raw).split()) <= 25:  # "PART 2" then its title on the next line
                raw, lines, skip = (*raw, *nxt.raw), (*lines, *nxt.lines), True
        level = entry.depth
        out.append(RawBlock("heading", raw, lines, level=level))
    return out


def _sections_per_block(document: str, blocks: list[RawBlock]) -> list[Section]:
    sections = []
    for order, block in enumerate(blocks):
        words = strip_markup(block.text).split()
        name = f"{order + 1} " + " ".join(words[:8]) + (" …" if len(words) > 8 else "")
        sections.append(
            Section(document, name, name, name, "", "", "text", (_to_block(block),), order)
        )
    return sections


def _to_block(block: RawBlock) -> Block:
    return Block(block.kind, block.text, block.lines)


# ---------------------------------------------------------------- slot assignment


def _recurring_titles(blocks: list[RawBlock], entries: list[TocEntry]) -> set[str]:
    """Heading titles that recur under three or more units: the report's thematic headings."""
    seen: dict[str, set[int]] = {}
    unit, taken = 0, set[int]()
    for block in blocks:
        if block.kind != "heading":
            continue
        title = _title_of(block)
        hit = match_entry(title, entries, taken) if entries else None
        if hit is not None:
            taken.add(hit)
            unit = hit + 1
            continue
        seen.setdefault(normalise_title(title), set()).add(unit)
    return {title for title, units in seen.items() if len(units) >= 3}


def _title_of(block: RawBlock) -> str:
    if block.raw[0].lstrip().startswith("#"):
        return heading_title(block.raw[0])
    return strip_markup(" ".join(block.raw)).strip()


def _is_label(block: RawBlock) -> bool:
    """A heading that only labels what follows: "### ACTIVITIES ON:"."""
    return strip_markup(block.raw[0]).rstrip(" _\\").endswith(":")


def _content_after(blocks: list[RawBlock], i: int) -> list[RawBlock]:
    """The leading run of short blocks after a heading, looking past 'LABEL:' headings."""
    out: list[RawBlock] = []
    for block in blocks[i + 1 : i + 12]:
        if block.kind == "heading":
            if _is_label(block) and not out:
                continue
            break
        if out and any(len(strip_markup(line).split()) > 10 for line in block.raw):
            break
        out.append(block)
    return out


def _figure_kind(title: str, content: list[RawBlock]) -> str | None:
    """'chart', 'budget', 'staff' or 'figure' when a heading introduces an infographic block."""
    if not content:
        return None
    lines = [line for block in content for line in block.raw]
    if any(is_percent_line(line) for line in lines):
        return "chart"
    first = strip_markup(content[0].text).strip()
    if content[0].kind == "figure" or re.fullmatch(r"(19|20)\d\d", first):
        lowered = title.lower()
        return next((k for k in ("budget", "staff") if k in lowered), "figure")
    return None


class _Walker:
    """Walks blocks in order, keeping the current unit/theme, and decides each block's slot."""

    def __init__(self, blocks: list[RawBlock], entries: list[TocEntry], toc: set[int]) -> None:
        self.blocks, self.entries, self.toc = blocks, entries, toc
        self.recurring = _recurring_titles(blocks, entries)
        self.taken: set[int] = set()
        self.unit = ""
        self.theme, self.theme_level, self.category = "", 0, ""
        self.text_slot: Slot | None = None
        self.figure: Slot | None = None
        self.pending: list[int] = []

    def run(self) -> list[Slot]:
        slots: list[Slot | None] = [None] * len(self.blocks)
        for i, block in enumerate(self.blocks):
            if i in self.toc:
                slots[i] = Slot(("Table of Contents",), "toc", "Table of Contents")
            elif block.kind == "heading":
                slot = self._heading(i, block)
                if slot is None:  # a grouping heading: it joins the next section
                    self.pending.append(i)
                    continue
                slots[i] = slot
            else:
                slots[i] = self._body(block)
            for j in self.pending:
                slots[j] = slots[i]
            self.pending.clear()
        fallback = self.text_slot or Slot(("Document",))
        return [s or fallback for s in slots]

    def _heading(self, i: int, block: RawBlock) -> Slot | None:
        title = _title_of(block)
        hit = match_entry(title, self.entries, self.taken) if self.entries else None
        if hit is not None or (not self.entries and plain_heading(with_kind(block, "paragraph"))):
            return self._new_unit(hit, title)
        if self.toc and i < min(self.toc):  # the cover page, before the table of contents
            return self.text_slot or self._start_unit(title, "front")
        if not self.unit or (self.entries and not self.taken):  # e.g. a foreword before part 1
            return self._start_unit(title, "text")
        if normalise_title(title) == normalise_title(self.unit.split(" ", 1)[-1]):
            return self.figure or self.text_slot  # the part's title printed again
        if self.figure and self.figure.kind == "chart" and _is_label(block):
            return self.figure
        kind = _figure_kind(title, _content_after(self.blocks, i))
        if kind:
            self.figure = Slot((self.unit, title), kind, self.unit, title, self.category)
            return self.figure
        self.figure = None
        key = normalise_title(title)
        nxt = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
        if key in self.recurring and nxt is not None and nxt.kind == "heading":
            self.category, self.theme, self.theme_level = title, "", 0
            return None
        if key not in self.recurring and self.theme and block.level > self.theme_level:
            return self._text(Slot((self.unit, self.theme, title), "text", self.unit, self.theme))
        self.theme, self.theme_level = title, block.level
        return self._text(Slot((self.unit, title), "text", self.unit, title, self.category))

    def _new_unit(self, hit: int | None, title: str) -> Slot:
        if hit is None:
            entry = plain_heading(RawBlock("paragraph", (title,), (0,)))
            name = entry.name if entry else title
        else:
            self.taken.add(hit)
            name = self.entries[hit].name
        return self._start_unit(name, "text")

    def _start_unit(self, name: str, kind: str) -> Slot:
        self.unit, self.theme, self.theme_level, self.category = name, "", 0, ""
        self.figure = None
        return self._text(Slot((name,), kind, name))

    def _text(self, slot: Slot) -> Slot:
        self.text_slot = slot
        return slot

    def _body(self, block: RawBlock) -> Slot:
        if self.figure is not None:
            if block.kind in {"figure", "caption", "list"} or _is_figure_note(block):
                return self.figure
            if block.kind == "paragraph" and len(strip_markup(block.text).split()) < 6:
                return self.figure
            self.figure = None
        return self.text_slot or self._start_unit("Document", "text")


def _is_figure_note(block: RawBlock) -> bool:
    """'\\* Figures on budget and staff provided by ...': a note belonging to the figure."""
    return block.raw[0].lstrip().startswith(("\\*", "*")) and not block.raw[0].startswith("**")


def _assign_slots(blocks: list[RawBlock], entries: list[TocEntry], toc: set[int]) -> list[Slot]:
    return _Walker(blocks, entries, toc).run()


# ---------------------------------------------------------------- footnotes and page breaks


def _mark_footnotes(blocks: list[RawBlock], slots: list[Slot]) -> tuple[list[RawBlock], list[Slot]]:
    """Split footnote blocks into one block per footnote; keep only bodies whose marker exists."""
    markers = {n for b in blocks if b.kind not in {"footnote", "heading"} for n in _markers(b)}
    out_blocks: list[RawBlock] = []
    out_slots: list[Slot] = []
    for block, slot in zip(blocks, slots, strict=True):
        if block.kind != "footnote" or slot.kind in FIGURE_KINDS:
            out_blocks.append(block if block.kind != "footnote" else with_kind(block, "figure"))
            out_slots.append(slot)
            continue
        for piece in _split_footnotes(block):
            number = footnote_number(piece.raw[0])
            marked = number in markers or piece.raw[0].lstrip().startswith("<sup>")
            out_blocks.append(piece if marked else with_kind(piece, "paragraph"))
            out_slots.append(slot)
    return out_blocks, out_slots


def _markers(block: RawBlock) -> list[int]:
    text = block.text
    if block.kind == "footnote":
        return []
    return footnote_markers(text)


def _split_footnotes(block: RawBlock) -> list[RawBlock]:
    pieces: list[RawBlock] = []
    for line, number in zip(block.raw, block.lines, strict=True):
        if footnote_number(line) is not None or not pieces:
            pieces.append(RawBlock("footnote", (line,), (number,)))
        else:
            last = pieces[-1]
            pieces[-1] = RawBlock("footnote", (*last.raw, line), (*last.lines, number))
    return pieces


@dataclass
class _Placed:
    block: RawBlock
    slot: Slot
    position: float  # document position of the block it now follows


def _join_page_breaks(blocks: list[RawBlock], slots: list[Slot]) -> list[_Placed]:
    """Re-join paragraphs cut by a page break, moving what landed between them out of the way."""
    placed = [_Placed(b, s, float(i)) for i, (b, s) in enumerate(zip(blocks, slots, strict=True))]
    consumed: set[int] = set()
    for i, item in enumerate(placed):
        kind = item.block.kind
        if i in consumed or kind not in ("paragraph", "list") or item.slot.kind in FIGURE_KINDS:
            continue
        while ends_open(item.block.text) and len(item.block.text.split()) >= 5:
            # a list's last item is finished only by a paragraph opening in lower case
            j = _continuation(placed, i, consumed, lower_only=kind == "list")
            if j is None:
                break
            nxt = placed[j].block
            item.block = RawBlock(
                kind, (*item.block.raw, *nxt.raw), (*item.block.lines, *nxt.lines)
            )
            consumed.add(j)
    return [p for k, p in enumerate(placed) if k not in consumed]


def _continuation(
    placed: list[_Placed], i: int, consumed: set[int], lower_only: bool = False
) -> int | None:
    """Index of the paragraph that finishes block i's sentence, if one does."""
    head = placed[i].block.text
    last_word = strip_markup(head).rstrip().split()[-1].lower()
    cut = not lower_only and (last_word in _OPEN_WORDS or head.rstrip().endswith((",", "-", "–")))
    prose = not lower_only and not cut and _mid_prose(head)
    crossed_heading = False
    for j in range(i + 1, min(len(placed), i + 30)):
        if j in consumed:
            continue
        block, slot = placed[j].block, placed[j].slot
        if block.kind == "heading":
            if slot.path[0] != placed[i].slot.path[0]:
                return None  # never across units
            crossed_heading = crossed_heading or slot.kind not in FIGURE_KINDS
            continue
        if block.kind in _INTERRUPTERS or slot.kind in FIGURE_KINDS | {"toc"}:
            continue
        if block.kind != "paragraph":
            return None
        if starts_continuation(block.text):
            return j
        # (cut prose goes on in words: "Institution (OI) and ...", never "👍 43 Shares")
        goes_on = cut or (prose and strip_markup(block.text).lstrip(' (“"')[:1].isalnum())
        return j if goes_on and not crossed_heading else None
    return None


def _mid_prose(text: str) -> bool:
    """A paragraph of running prose that stops on a word: the page cut it ("for the Ombuds"
    / "Institution (OI) and ..."). A title also ends on a word but holds no sentence stop."""
    plain = strip_markup(text).rstrip()
    words = plain.split()
    long = len(words) >= 25 or re.search(r"[a-z)][.;] [A-Z]", plain) is not None
    # a shorter one is prose when a clause runs on past a comma in lower-case words ("On 10
    # December, the Mission facilitated a workshop ... to review the KP Human Resources")
    clause = len(words) >= 12 and ", " in plain and _lower_share(words) >= 0.4
    return (long or clause) and plain[-1:].isalpha()


def _lower_share(words: list[str]) -> float:
    """The share of words that open in lower case (a title's words mostly do not)."""
    return sum(w[:1].islower() for w in words) / len(words)


def _move_footnotes(placed: list[_Placed]) -> list[_Placed]:
    """Give each footnote body the slot and position of the paragraph holding its marker."""
    where: dict[int, _Placed] = {}
    for item in placed:
        if item.block.kind not in {"footnote", "heading"}:
            for n in footnote_markers(item.block.text):
                where.setdefault(n, item)
    for item in placed:
        number = footnote_number(item.block.raw[0]) if item.block.kind == "footnote" else None
        host = where.get(number) if number is not None else None
        if host is not None:
            item.slot, item.position = host.slot, host.position + 0.5
    return sorted(placed, key=lambda p: p.position)


def _build_sections(document: str, placed: list[_Placed]) -> list[Section]:
    grouped: dict[tuple[str, ...], list[_Placed]] = {}
    for item in placed:
        grouped.setdefault(item.slot.path, []).append(item)
    sections = []
    for order, (path, items) in enumerate(grouped.items()):
        slot = items[0].slot
        blocks = tuple(_to_block(p.block) for p in items)
        sections.append(
            Section(
                document=document,
                path=PATH_SEP.join(path),
                title=path[-1],
                unit=slot.unit or path[0],
                theme=slot.theme,
                category=slot.category,
                kind=slot.kind,
                blocks=blocks,
                order=order,
            )
        )
    return sections


def content_lines(text: str) -> list[int]:
    """1-based numbers of the lines that carry content (not blank).

    Example: "a\\n\\n b" -> [1, 3]
    """
    from index.blocks import is_blank

    return [n for n, line in enumerate(text.splitlines(), start=1) if not is_blank(line)]
