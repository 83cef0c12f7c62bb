"""What the web app shows: chat history -> turns, answers -> chat text, citations -> HTML. Pure.

No gradio import here: the app module wires these into components. Report text is always
HTML-escaped before it is shown; only the markup built here reaches the page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

from assistant.types import Answer, Citation, Turn

CONTEXT_LINES = 8  # raw lines shown either side of a quote in a long section
EMPTY_SOURCES = (
    '<div class="sources-empty">Sources appear here, numbered like the [n] markers in the '
    "answer. Click one to read the quoted passage in its section.</div>"
)
# the few inline tags the reports carry (footnote marks, bold table headers), shown as markup
_INLINE_TAG = re.compile(r"&lt;(/?)(sup|sub|b|i)&gt;")
WORKING_SOURCES = '<div class="sources-empty">Finding the sources…</div>'


def message_text(content: Any) -> str:
    """The plain text of a chat message's content, in any of the shapes Gradio passes.

    Example: [{"type": "text", "text": "Hi"}] -> "Hi"; "Hi" -> "Hi"
    """
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", "")) if content.get("type", "text") == "text" else ""
    if isinstance(content, Iterable):
        return "\n".join(t for t in (message_text(part) for part in content) if t)
    return ""


def history_turns(history: Sequence[dict[str, Any]]) -> list[Turn]:
    """Earlier exchanges rebuilt from the chat history; a question left without an answer
    (it failed) is dropped, so one bad message cannot spoil the rest of a conversation.

    Example: [{"role": "user", "content": "Q"}, {"role": "assistant", "content": "A"}]
    -> [Turn("Q", "A")]
    """
    turns: list[Turn] = []
    question: str | None = None
    for message in history:
        text = message_text(message.get("content", ""))
        if message.get("role") == "user":
            question = text
        elif message.get("role") == "assistant" and question is not None:
            turns.append(Turn(question, text))
            question = None
    return turns


def chat_text(answer: Answer) -> str:
    """The answer as the chat shows it: [n] markers kept, a refusal set apart as a note.

    Example: an abstained Answer -> '<div class="refusal">…</div>'
    """
    lines: list[str] = []
    if answer.standalone != answer.question:
        lines.append(f"*Understood as: {_md_escape(answer.standalone)}*\n")
    if answer.abstained:
        lines.append(
            '<div class="refusal"><strong>No cited answer.</strong> '
            f"{html.escape(answer.text)}</div>"
        )
    else:
        lines.append(answer.text)
    lines += [f"\n_Note: {_md_escape(note)}_" for note in answer.notes]
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    return text.replace("*", r"\*").replace("_", r"\_")


def section_span(sections: Sequence[dict[str, Any]], citation: Citation) -> tuple[int, int]:
    """First and last 1-based line of the section a citation quotes (its own lines if unknown).

    Example: sections [{"document": "d", "path": "4.6 X", "lines": [10, 12, 20]}], a citation
    of d / 4.6 X at lines (12, 12) -> (10, 20)
    """
    start, end = citation.lines
    for section in sections:
        lines = section.get("lines") or []
        if (
            lines
            and section.get("document") == citation.document
            and section.get("path") == citation.section
            and min(lines) <= start <= max(lines)
        ):
            return min(lines), max(end, max(lines))
    return start, end


def passage_html(source: str, span: tuple[int, int], citation: Citation) -> str:
    """The section's text around a quote, escaped, with the quote in <mark>.

    Example: ("a\\nThe quote.\\nb", (1, 3), quote "The quote.")
    -> "<p>a<br><mark>The quote.</mark><br>b</p>"
    """
    rows = source.splitlines()  # the numbering the indexer used (it counts form feeds too)
    first = max(span[0], citation.lines[0] - CONTEXT_LINES)
    last = min(span[1], citation.lines[1] + CONTEXT_LINES)
    text = "\n".join(rows[first - 1 : last])
    at = text.find(citation.quote)
    if at < 0:  # the quote sits outside the span we know; show it alone rather than guess
        body = f"<mark>{html.escape(citation.quote)}</mark>"
    else:
        end = at + len(citation.quote)
        body = (
            html.escape(text[:at])
            # a quote may cross a line break: keep its <mark> whole, inside one paragraph
            + "<mark>"
            + html.escape(text[at:end]).replace("\n", "<br>")
            + "</mark>"
            + html.escape(text[end:])
        )
    body = _INLINE_TAG.sub(r"<\1\2>", body)
    paragraphs = [p.strip("\n") for p in body.split("\n\n") if p.strip()]
    out = ["<p>" + p.replace("\n", "<br>") + "</p>" for p in paragraphs]
    if first > span[0]:
        out.insert(0, '<p class="gap">…</p>')
    if last < span[1]:
        out.append('<p class="gap">…</p>')
    return "".join(out)


def source_html(citation: Citation, passage: str) -> str:
    """One entry of the sources panel: number, section, document, quote; the passage on click."""
    c = citation
    return (
        f'<details class="source" id="source-{c.n}"><summary>'
        f'<span class="source-n">[{c.n}]</span> '
        f'<span class="source-section">{html.escape(c.section)}</span>'
        f'<span class="source-doc">{html.escape(c.document)} · lines {c.lines[0]}–{c.lines[1]}'
        "</span>"
        f'<span class="source-quote">“{html.escape(c.quote)}”</span></summary>'
        f'<div class="passage">{passage}</div></details>'
    )


def sources_html(answer: Answer, entries: Sequence[str]) -> str:
    """The sources panel for one answer, from its rendered entries."""
    if not entries:
        why = "the answer is a refusal" if answer.abstained else "the answer cites nothing"
        return f'<div class="sources-empty">No sources: {why}.</div>'
    head = (
        f'<div class="sources-head">{len(entries)} source{"s" if len(entries) != 1 else ""}'
        " — click one to see the passage in its report</div>"
    )
    return f'<div class="sources">{head}{"".join(entries)}</div>'
