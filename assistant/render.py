"""Render answers for people (terminal text, Markdown) and for programs (JSON). Pure."""

from __future__ import annotations

from typing import Any

from assistant.types import Answer


def answer_json(answer: Answer, case_id: str | None = None) -> dict[str, Any]:
    """The JSON object of `ask --json` and of each `--batch` line (exact key set).

    Example: {"id": "q1", "answer": "... [1]", "abstained": false, "citations": [...], ...}
    """
    out: dict[str, Any] = {} if case_id is None else {"id": case_id}
    out.update(
        {
            "answer": answer.text,
            "abstained": answer.abstained,
            "citations": [c.as_dict() for c in answer.citations],
            "retrieved": [
                {
                    "document": h.chunk.document,
                    "section": h.chunk.section,
                    "score": round(h.score, 4),
                }
                for h in answer.hits
            ],
            "timings_ms": {
                k: round(answer.timings_ms.get(k, 0.0), 1) for k in ("total", "retrieve", "answer")
            },
        }
    )
    if answer.checks:
        out["checks"] = answer.checks
    return out


def answer_markdown(answer: Answer) -> str:
    """The answer with a numbered source list, ready to paste into a brief."""
    lines = [f"**Q:** {answer.question}", ""]
    if answer.standalone != answer.question:
        lines += [f"*Understood as:* {answer.standalone}", ""]
    lines += [answer.text, ""]
    if answer.citations:
        lines.append("**Sources**")
        for c in answer.citations:
            lines.append(
                f"{c.n}. *{c.document}*, {c.section} (lines {c.lines[0]}–{c.lines[1]}): “{c.quote}”"
            )
    for note in answer.notes:
        lines.append(f"_Note: {note}_")
    return "\n".join(lines).strip() + "\n"


def answer_text(answer: Answer) -> str:
    """The answer for a terminal: text, then numbered sources."""
    head = (
        f"(understood as: {answer.standalone})\n\n" if answer.standalone != answer.question else ""
    )
    return head + answer.text + "\n\n" + sources_text(answer)


def sources_text(answer: Answer) -> str:
    """The numbered sources and notes of an answer, for a terminal."""
    out = []
    for c in answer.citations:
        out.append(f"[{c.n}] {c.section} — {c.document}, lines {c.lines[0]}-{c.lines[1]}")
        out.append(f"    “{c.quote}”")
    for note in answer.notes:
        out.append(f"note: {note}")
    return "\n".join(out).rstrip() + "\n"
