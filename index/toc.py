"""Read a report's own table of contents and match headings to its entries.

Numbering comes from here where headings lost it. Pure functions; no section assembly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from index.blocks import RawBlock, heading_title, strip_markup

_NUMBERED = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+(\S.*)$")
_APPENDIX = re.compile(r"^(appendix|annex)\s+([0-9ivxlc]+)\s*[:.–-]?\s*(.*)$", re.IGNORECASE)
_PART = re.compile(r"^(part|chapter)\s+(\d+|[ivxlc]+)\s*[:.–-]?\s*(.*)$", re.IGNORECASE)
_PAGE = re.compile(r"\s*\d{1,4}\s*$")


@dataclass(frozen=True)
class TocEntry:
    """One table-of-contents line: its number ("4.6", "Appendix 4", "" for a grouping) and title."""

    number: str
    title: str

    @property
    def name(self) -> str:
        """How a reader cites it: "4.6 Mission to Skopje", "Appendix 4 Abbreviations and Acronyms"."""
        return f"{self.number} {self.title}".strip()

    @property
    def depth(self) -> int:
        """1 for parts and appendices, 2 for "4.6", 0 for an unnumbered grouping."""
        if not self.number:
            return 0
        return self.number.count(".") + 1 if self.number[0].isdigit() else 1


def normalise_title(title: str) -> str:
    """Lower-case letters and digits only, for matching headings to entries.

    Example: "4.1. Presence in Albania" -> "presenceinalbania"
    """
    title = strip_markup(title)
    title = re.sub(r"^(\d+(?:\.\d+)*)\.?\s+", "", title)
    return re.sub(r"[^0-9a-z]", "", title.lower())


def parse_entry(line: str) -> TocEntry | None:
    """A TOC line (tab-separated, page number last) as an entry, or None for noise.

    Example: "4.1. Presence in Albania\\t42" -> TocEntry("4.1", "Presence in Albania")
    """
    text = strip_markup(line.split("\t")[0]).strip()
    text = _PAGE.sub("", text) if "\t" not in line else text
    if not text or text.lower() in {"table of contents", "contents"}:
        return None
    appendix = _APPENDIX.match(text)
    if appendix:
        return TocEntry(f"Appendix {appendix.group(2).upper()}", appendix.group(3).strip())
    part = _PART.match(text)
    if part:
        return TocEntry(f"{part.group(1).title()} {part.group(2).upper()}", part.group(3))
    numbered = _NUMBERED.match(text)
    if numbered:
        return TocEntry(numbered.group(1), numbered.group(2).strip())
    return TocEntry("", text.title() if text.isupper() else text)


def find_toc(blocks: list[RawBlock]) -> tuple[list[TocEntry], set[int]]:
    """Entries of the table of contents and the indexes of the blocks that hold it.

    Example: [heading "# Table of Contents", table "1. Summary\\t5"] -> ([1 Summary], {0, 1})
    """
    for i, block in enumerate(blocks):
        if block.kind == "heading" and normalise_title(heading_title(block.raw[0])) in {
            "tableofcontents",
            "contents",
        }:
            entries: list[TocEntry] = []
            used = {i}
            for j in range(i + 1, len(blocks)):
                if blocks[j].kind == "heading":
                    break
                used.add(j)
                entries.extend(e for e in map(parse_entry, blocks[j].raw) if e)
            return entries, used
    return [], set()


def match_entry(title: str, entries: list[TocEntry], taken: set[int]) -> int | None:
    """Index of the untaken entry a heading names, by normalised title (near-exact).

    Example: ("# 4.1. Presence in Albania", [..., 4.1 Presence in Albania]) -> its index
    """
    wanted = normalise_title(title)
    if not wanted:
        return None
    best, best_ratio = None, 0.0
    start = max(taken, default=-1) + 1  # the contents list the document in order
    for i, entry in enumerate(entries[start:], start=start):
        ratio = SequenceMatcher(None, wanted, normalise_title(entry.title)).ratio()
        if ratio > best_ratio:
            best, best_ratio = i, ratio
    return best if best_ratio >= 0.92 else None


def plain_heading(block: RawBlock) -> TocEntry | None:
    """A numbered heading written as plain text ("2.1 Raising awareness ..."), if the block is one.

    Example: paragraph "2.2 Supporting young women as future changemakers" -> TocEntry("2.2", ...)
    """
    if block.kind not in {"paragraph", "caption", "figure"} or len(block.raw) > 2:
        return None
    text = " ".join(strip_markup(line).strip() for line in block.raw)
    if len(text.split()) > 20 or text.endswith((".", ",", ";")):
        return None
    part = _PART.match(text)
    if part:
        return TocEntry(f"{part.group(1).title()} {part.group(2).upper()}", part.group(3))
    numbered = re.match(r"^(\d+\.\d+(?:\.\d+)*)\.?\s+([A-Z].*)$", text)
    if numbered:
        return TocEntry(numbered.group(1), numbered.group(2))
    return None
