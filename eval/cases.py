"""The curated eval set: the `Case` model, loading JSON lines, checking cases against sections.

`check_cases` is pure: it takes any objects with `document`, `path` and `text` (the parser's
sections or hand-made stand-ins) and returns readable problems, one per violation. It never runs
the assistant and never scores answers; that is `eval.metrics`.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, ValidationError

from eval.metrics import PATH_SEP, contains_fact

KINDS = ("summary", "factoid", "cross_section", "table", "footnote", "unanswerable", "conversation")
HOLDOUT_PERCENT = 30


class SectionLike(Protocol):
    """What `check_cases` needs from a section: its document id, its TOC path and its raw text."""

    @property
    def document(self) -> str: ...

    @property
    def path(self) -> str: ...

    @property
    def text(self) -> str: ...


class Case(BaseModel):
    """One curated question with gold sections, verbatim quotes and the facts an answer needs."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    kind: str  # checked against KINDS by check_cases, so a typo is reported rather than fatal
    question: str
    turns: list[str] = []
    gold_sections: list[str] = []
    gold_quotes: list[str] = []
    must_mention: list[str] = []
    answerable: bool = True
    document: str | None = None
    note: str = ""


def load_cases(path: Path | str) -> list[Case]:
    """Read one case per non-blank line of a JSON-lines file; a bad line raises with its number."""
    cases = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            cases.append(Case.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValidationError) as error:
            message = f"{path}:{number}: not a valid eval case ({error}); fix that line"
            raise ValueError(message) from error
    return cases


def split_of(case_id: str) -> Literal["dev", "holdout"]:
    """Deterministic split: the sha256 of the id modulo 100 puts about 30% of cases in holdout.

    Example: split_of("fac-skopje-budget-2019") -> "dev" or "holdout", the same on every machine
    """
    bucket = int(hashlib.sha256(case_id.encode("utf-8")).hexdigest(), 16) % 100
    return "holdout" if bucket < HOLDOUT_PERCENT else "dev"


def _norm(path: str) -> str:
    """Case-folded, whitespace-collapsed section path (the metrics' matching rule)."""
    return " ".join(path.split()).casefold()


def _gold_text(case: Case, gold: str, sections: Sequence[SectionLike]) -> str | None:
    """Text of the gold section and its descendants in the case's document; None if none exist."""
    wanted = _norm(gold)
    texts = [
        section.text
        for section in sections
        if (case.document is None or section.document == case.document)
        and (_norm(section.path) == wanted or _norm(section.path).startswith(wanted + PATH_SEP))
    ]
    return "\n\n".join(texts) if texts else None


def _shape_problems(case: Case) -> list[str]:
    """Problems visible from the case alone: kind, turns, answerability and what it must carry."""
    problems = []
    if case.kind not in KINDS:
        problems.append(f"{case.id}: unknown kind {case.kind!r}; use one of {', '.join(KINDS)}")
    if case.turns and case.turns[-1] != case.question:
        problems.append(f"{case.id}: the last turn differs from the question; make them equal")
    if case.kind == "conversation" and len(case.turns) < 2:
        problems.append(f"{case.id}: a conversation needs at least two turns")
    if case.kind == "unanswerable" and case.answerable:
        problems.append(f"{case.id}: kind unanswerable but answerable=true; set answerable=false")
    if case.answerable and not case.gold_sections:
        problems.append(f"{case.id}: answerable but no gold_sections; name at least one")
    if case.answerable and not case.gold_quotes:
        problems.append(f"{case.id}: answerable but no gold_quotes; copy one from the report")
    if not case.answerable and case.gold_sections:
        problems.append(f"{case.id}: unanswerable but has gold_sections; leave them empty")
    return problems


def _gold_problems(case: Case, sections: Sequence[SectionLike]) -> list[str]:
    """Problems against the sections: missing gold paths, quotes or facts not in their text."""
    texts = {gold: _gold_text(case, gold, sections) for gold in case.gold_sections}
    problems = [
        f"{case.id}: gold section {gold!r} not found in {case.document or 'any document'}"
        for gold, text in texts.items()
        if text is None
    ]
    found = [text for text in texts.values() if text is not None]
    for quote in case.gold_quotes:
        if not any(quote in text for text in found):
            problems.append(f"{case.id}: quote not verbatim in its gold sections: {quote!r}")
    joined = "\n\n".join(found)
    for fact in case.must_mention:
        if not contains_fact(joined, fact):
            problems.append(f"{case.id}: must_mention {fact!r} not in its gold sections' text")
    return problems


def _duplicate_ids(cases: Iterable[Case]) -> list[str]:
    """One problem per id used more than once."""
    counts = Counter(case.id for case in cases)
    return [f"{key}: id used {n} times; ids must be unique" for key, n in counts.items() if n > 1]


def check_cases(cases: Sequence[Case], sections: Sequence[SectionLike]) -> list[str]:
    """Every violation of the eval-set rules, one readable line each; an empty list means valid."""
    problems = _duplicate_ids(cases)
    for case in cases:
        problems += _shape_problems(case)
        if case.answerable:
            problems += _gold_problems(case, sections)
    return problems
