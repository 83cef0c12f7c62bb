"""Split a report's lines into blocks and tell what each block is.

Pure functions over text. Does not decide sections (see `parse.py`) or sizes (see `chunk.py`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

_BLANK = re.compile(r"^[\s\u00a0\u200b\ufeff]*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_SUP = re.compile(r"<sup>\s*(\d{1,3})\s*</sup>")
_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPT = re.compile(f"([{_SUPERSCRIPT_DIGITS}]+)")
# a footnote body starts with its number: "<sup>9</sup> The reports...", "21 GRETA ...", "¹ Data ..."
_FOOTNOTE_START = re.compile(
    rf"^\s*(?:<sup>\s*(\d{{1,3}})\s*</sup>|(\d{{1,3}})\s+(?=[^\W\d_]|[<\[*\"“'‘])|"
    rf"([{_SUPERSCRIPT_DIGITS}]+)\s)"
)
# a photo credit closes a caption: "... 17 October 2019. (Oltjon Milo)"
_CREDIT = re.compile(r"\(([^()]{2,80})\)\s*$")
_PERCENT_LINE = re.compile(r"\d+(?:[.,]\d+)?\s*%\s*$")
_STOPS = tuple(".!?:;")
_CLOSERS = '"”’)]'
# a social-media post embedded in the page: pictographs ("👍 43 4 Shares", "💬 Comment"), the
# post menu "⋮", or its text cut short by a "See More" link
_EMBED = re.compile(r"[\U0001F000-\U0001FAFF\u2600-\u27BF\u22EE]|\[See More\]\(#?\)\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\(?[ivx]+\)|\(?\d{1,2}[.)])\s+")


@dataclass(frozen=True)
class RawBlock:
    """A block before section assignment: kind, raw lines, 1-based line numbers."""

    kind: str  # heading | paragraph | table | footnote | caption | figure | list | blank-ish
    raw: tuple[str, ...]
    lines: tuple[int, ...]
    level: int = 0  # number of '#' for markdown headings

    @property
    def text(self) -> str:
        """Raw text, lines joined by newlines."""
        return "\n".join(self.raw)

    @property
    def first(self) -> int:
        """First source line number."""
        return self.lines[0]


def is_blank(line: str) -> bool:
    """True for lines a reader sees as empty (spaces, non-breaking spaces).

    Example: "\u00a0 " -> True
    """
    return bool(_BLANK.match(line))


def split_blocks(text: str) -> list[RawBlock]:
    """Cut a report into blocks: runs of non-blank lines, with every heading line on its own.

    Example: "# A\\ntext\\n\\nmore" -> [heading "# A", paragraph "text", paragraph "more"]
    """
    blocks: list[RawBlock] = []
    run: list[tuple[int, str]] = []

    def flush() -> None:
        if run:
            blocks.append(_classify(tuple(t for _, t in run), tuple(n for n, _ in run)))
            run.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        if is_blank(line):
            flush()
        elif _HEADING.match(line):
            flush()
            run.append((number, line))
            flush()
        else:
            run.append((number, line))
    flush()
    return _mark_quotes(blocks)


def _mark_quotes(blocks: list[RawBlock]) -> list[RawBlock]:
    """A quoted paragraph followed by an attribution ("— Name, role") is a pull-quote."""
    out = list(blocks)
    for i in range(1, len(out)):
        opens_quote = out[i - 1].text.lstrip().startswith(("“", '"'))
        if out[i].kind == "quote" and opens_quote and out[i - 1].kind == "paragraph":
            out[i - 1] = replace(out[i - 1], kind="quote")
    return out


def _classify(raw: tuple[str, ...], lines: tuple[int, ...]) -> RawBlock:
    heading = _HEADING.match(raw[0])
    if heading and len(raw) == 1:
        return RawBlock("heading", raw, lines, level=len(heading.group(1)))
    if len(raw) == 1 and _is_bold_heading(raw[0]):
        return RawBlock("heading", raw, lines, level=7)  # below every markdown level
    return RawBlock(_kind_of(raw), raw, lines)


def _is_bold_heading(line: str) -> bool:
    """A bold pseudo-heading: "**Other**", "**Mission in Kosovo – ... 2019**" (not "**TOTAL**")."""
    match = re.fullmatch(r"\s*\*\*([^*]+)\*\*\s*", line)
    if not match:
        return False
    title = match.group(1).strip()
    return (
        any(c.islower() for c in title)
        and not title[0].isdigit()
        and len(title.split()) <= 12
        and not title.endswith((".", ",", ";"))
        and not re.search(r"\d[\d,.]*\s*(EUR|USD|%)", title)
    )


def _kind_of(raw: tuple[str, ...]) -> str:
    if is_embed(raw):
        return "embed"
    if sum("\t" in line for line in raw) >= max(1, len(raw) // 2):
        return "table"
    if footnote_number(raw[0]) is not None:
        return "footnote"
    if all(_LIST_ITEM.match(line) for line in raw):
        return "list"
    if is_figure(raw):
        return "figure"
    if is_caption(raw):
        return "caption"
    if _is_callout(raw):
        return "quote"
    return "paragraph"


def _is_callout(raw: tuple[str, ...]) -> bool:
    """A pull-quote or bold call-out box, or the attribution line under one."""
    text = " ".join(raw).strip()
    if text.startswith("**") and text.rstrip(" *").count("**") <= 1 and len(text.split()) > 8:
        return True
    return text.startswith(("— ", "― ", "– *"))


def footnote_number(line: str) -> int | None:
    """The footnote number a line starts with, if it looks like a footnote body.

    Example: "<sup>9</sup> The reports provided..." -> 9
    """
    match = _FOOTNOTE_START.match(line)
    if not match:
        return None
    if match.group(2) and not line[match.end()].isupper() and line[match.end()].isalpha():
        return None  # "31 Čačak, Leskovac ..." is a body; "12 police officers" is not
    if match.group(3):
        return int(match.group(3).translate(str.maketrans(_SUPERSCRIPT_DIGITS, "0123456789")))
    return int(match.group(1) or match.group(2))


def footnote_markers(text: str) -> list[int]:
    """Footnote numbers referenced inside running text.

    Example: "in five regions<sup>9</sup>. Forty per cent.¹" -> [9, 1]
    """
    found = [(m.start(), int(m.group(1))) for m in _SUP.finditer(text)]
    for m in _SUPERSCRIPT.finditer(text):
        digits = m.group(1).translate(str.maketrans(_SUPERSCRIPT_DIGITS, "0123456789"))
        found.append((m.start(), int(digits)))
    return [n for _, n in sorted(found)]


def is_figure(raw: tuple[str, ...]) -> bool:
    """Infographic residue: every line short, bold or a bare number/year/percentage.

    Example: ("**TOTAL**  ", "**2,981,200 EUR**") -> True
    """
    words = [len(strip_markup(line).split()) for line in raw]
    if max(words, default=0) > 8:
        return False
    figure_like = sum(_is_figure_line(line) for line in raw)
    return figure_like >= max(1, (len(raw) + 1) // 2)


def _is_figure_line(line: str) -> bool:
    text = strip_markup(line).strip()
    return (
        line.strip().startswith("**")
        or (text.isupper() and len(text) > 2)
        or bool(re.fullmatch(r"[\d\s.,%]+(EUR|USD)?", text))
        or bool(re.fullmatch(r"\d[\d.,]*\s+[A-Za-z]+", text))
        or bool(_PERCENT_LINE.search(line))
    )


def is_embed(raw: tuple[str, ...]) -> bool:
    """Residue of a web page's embedded post: its buttons, counters and cut-short text.

    Example: ("👍 43 4 Shares",) -> True; ("In 2019, ODIHR trained 25 officers.",) -> False
    """
    return any(_EMBED.search(line) for line in raw)


def is_caption(raw: tuple[str, ...]) -> bool:
    """A photo caption: a short block closed by a credit in parentheses, with no final period.

    Example: ("Border police officers ..., 17 October 2019. (Oltjon Milo)",) -> True
    """
    text = " ".join(raw).strip().strip("*_").strip()  # a bold caption is still a caption
    credit = _CREDIT.search(text)
    if credit is None:
        return False
    return len(text.split()) <= 70 and len(credit.group(1).split()) <= 8


def is_percent_line(line: str) -> bool:
    """A chart legend line ending in a percentage.

    Example: "General Police Development and Reform 24%" -> True
    """
    return bool(_PERCENT_LINE.search(line))


def heading_title(line: str) -> str:
    """A heading's title with markdown and escape noise removed.

    Example: "### **Gender-based Violence**" -> "Gender-based Violence"
    """
    match = _HEADING.match(line)
    title = match.group(2) if match else line
    title = strip_markup(title)
    title = re.sub(r"\s*\*+\s*(?::?\s*N/A\**)?\s*$", "", title)  # "BUDGET (UB)*: N/A**"
    title = re.sub(r"\s+N/A\s*$", "", title)
    return re.sub(r"\s+", " ", title).strip(" *:")


def strip_markup(text: str) -> str:
    """Remove markup noise the PDF conversion left, keeping the words.

    Example: "<b>Total</b> \\*\\*2019\\*\\* <sup>th</sup>" -> "Total 2019 th"
    """
    text = _SUP.sub("", text)
    text = re.sub(r"<sup>([^<]{1,4})</sup>", r"\1", text)
    text = re.sub(r"</?(?:b|i|u|em|strong|sub|sup|br)\s*/?>", "", text)
    text = re.sub(r"\[([^\]]+)\]\((?:mailto:)?[^)]+\)", r"\1", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = text.replace("\\*", "*").replace("\\_", "_").replace("\\-", "-")
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<![\w*])\*(?=\w)|(?<=\w)\*(?![\w*])", "", text)  # *emphasis*
    text = text.replace("\u00a0", " ").replace("\u200b", "")
    return re.sub(r"[ \t]+", " ", text)


def ends_open(text: str) -> bool:
    """True when a paragraph stops mid-sentence (no closing punctuation).

    Example: "the Presence organized a training seminar" -> True
    """
    stripped = strip_markup(text).rstrip()
    # a closing bracket or quote ends a sentence only after a stop: "(three women and
    # seven men)" leaves it open, "(see below.)" does not
    return bool(stripped) and not stripped.rstrip(_CLOSERS).endswith(_STOPS)


def starts_continuation(text: str) -> bool:
    """True when a paragraph opens mid-sentence: lower-case first letter.

    Example: "in Chisinau to identify practical ways" -> True
    """
    stripped = strip_markup(text).lstrip(" \"“‘'(")
    return bool(stripped) and stripped[0].islower()


def with_kind(block: RawBlock, kind: str) -> RawBlock:
    """The same block with another kind."""
    return replace(block, kind=kind)
