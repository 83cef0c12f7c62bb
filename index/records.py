"""Lift structured records (item, year, value) out of infographic and table sections.

Budget and staff infographics lost their layout in conversion: labels, years and figures
sit on loose lines. This reads them back in order. Pure.
"""

from __future__ import annotations

import re

from index.blocks import strip_markup
from index.types import Record, Section

_YEAR = re.compile(r"^(19|20)\d\d$")
_MONEY = re.compile(r"^([\d][\d.,\s]*\d|\d)\s*(EUR|USD|€)?$", re.IGNORECASE)
_COUNT = re.compile(r"^(\d[\d.,]*)\s+([A-Za-z][\w ]{0,30})$")
_PERCENT = re.compile(r"^(.*?)\s*(\d+(?:[.,]\d+)?\s*%)\s*$")


def _lines(section: Section) -> list[tuple[int, str]]:
    return [(n, text) for n, text, _ in _raw_lines(section)]


def _raw_lines(section: Section) -> list[tuple[int, str, str]]:
    out = []
    for block in section.blocks:
        if block.kind == "heading":
            continue
        for number, raw in zip(block.lines, block.text.split("\n"), strict=False):
            text = strip_markup(raw).strip().rstrip("\\").strip()
            if text and not raw.lstrip().startswith(("\\*", "*\\", "<sup>")):
                out.append((number, text, raw))
    return out


def section_records(section: Section) -> list[Record]:
    """Records of a budget, staff or chart section.

    Example: lines "2019", "**TOTAL**", "**2,981,200 EUR**" -> Record(item="Total", year="2019", ...)
    """
    if section.kind == "chart":
        return _chart_records(section)
    records: list[Record] = []
    year, label, label_raw, note, open_label = "", "", "", "", False
    for number, text, raw in _raw_lines(section):
        if _YEAR.match(text):
            year, label, note = text, "", ""
            continue
        value = _value_of(text)
        if value is not None:
            amount, unit_word = value
            records.append(
                _record(section, label, year, f"{amount} {unit_word}".strip(), note, number)
            )
            open_label = False
            continue
        if text.startswith("(") or (note and not note.endswith(")")):
            note = f"{note} {text}".strip()
        elif open_label:
            label_raw = f"{label_raw} {text}".strip()
            label = _label(label_raw)
        else:
            label_raw, note = text, ""
            label = _label(text)
        # a label broken over lines: "DEPARTMENT FOR  " / "SECURITY AND PUBLIC  " / "SAFETY"
        open_label = text.endswith("/") or (raw.endswith("  ") and not raw.rstrip().endswith("**"))
    return records


def _label(text: str) -> str:
    """Upper-case labels in title case, acronyms kept. Example: "PMD/CTPU OFFICE" -> "PMD/CTPU Office"."""
    if not text.isupper():
        return text
    small = {"and", "for", "of", "the", "in", "on", "to", "out"}
    words = [
        w.lower()
        if w.lower() in small and i
        else w
        if "/" in w or w.startswith("(") or (len(w) <= 3 and w.isalpha())
        else w.title()
        for i, w in enumerate(text.split())
    ]
    return " ".join(words)


def _value_of(text: str) -> tuple[str, str] | None:
    """'2,981,200 EUR' -> ('2,981,200 EUR', ''); '9 Total' -> ('9', 'Total'); else None."""
    money = _MONEY.match(text)
    if money:
        return (text, "")
    count = _COUNT.match(text)
    if count and count.group(2).strip().lower() not in {"eur", "usd"}:
        return (count.group(1), count.group(2).strip().title())
    return None


def _record(section: Section, item: str, year: str, value: str, note: str, line: int) -> Record:
    item = f"{item} {note}".strip() if note else item
    return Record(section.document, section.path, section.unit, item, year, value, (line,))


def _chart_records(section: Section) -> list[Record]:
    year_match = re.search(r"(19|20)\d\d", section.title)
    year = year_match.group(0) if year_match else ""
    records = []
    for number, text in _lines(section):
        match = _PERCENT.match(text)
        if match and match.group(1):
            item = match.group(1).strip(" :")
            records.append(
                Record(
                    section.document,
                    section.path,
                    section.unit,
                    item,
                    year,
                    match.group(2).replace(" ", ""),
                    (number,),
                )
            )
    return records


def render_records(section: Section, records: list[Record]) -> str:
    """Records spelled out as sentences for embedding and keyword search.

    Example: BUDGET of 4.1 Presence in Albania -> "BUDGET (UB) of 4.1 Presence in Albania. 2019: Total
    2,981,200 EUR; ..."
    """
    if not records:
        return ""
    by_year: dict[str, dict[str, list[str]]] = {}
    for record in records:
        by_year.setdefault(record.year, {}).setdefault(record.item, []).append(record.value)
    parts = []
    for year, items in by_year.items():
        said = "; ".join(f"{item} {', '.join(values)}".strip() for item, values in items.items())
        parts.append(f"{year + ': ' if year else ''}{said}")
    return f"{section.title} of {section.unit}. " + ". ".join(parts) + "."
