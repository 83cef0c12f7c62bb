"""Scoring functions for the eval: retrieval by section path, facts, citations, abstention, latency.

Every function is pure (no I/O, no store or model imports) and scores one case or aggregates
rows. Running the assistant, choosing k and writing reports live elsewhere; this module only does
arithmetic and string matching. Section matching is case-insensitive and whitespace-normalised,
and a retrieved path hits a gold path when it equals it or lies below it ("gold > child").
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence

PATH_SEP = " > "

# 2 981 200 (space, no-break space, thin spaces as thousands separators)
_SPACED_THOUSANDS = re.compile(r"(?<![\d.,])(\d{1,3})((?:[ \u00a0\u202f\u2009]\d{3})+)(?!\d)")
# 2,981,200 and the report's 17,462.600 (every group exactly three digits -> all separators)
_GROUPED_THOUSANDS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d{3})*(?![\d,])")
# 315,5 (a comma followed by one or two digits is a decimal comma)
_DECIMAL_COMMA = re.compile(r"(?<![\d.,])(\d+),(\d{1,2})(?![\d,])")
_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def _norm_path(path: str) -> str:
    """Case-fold a section path and collapse its whitespace."""
    return " ".join(path.split()).casefold()


def section_hit(retrieved_path: str, gold_path: str) -> bool:
    """True when the retrieved section is the gold section or one of its descendants.

    Example: section_hit("4.3 Mission in Kosovo > Hate Crime", "4.3 mission in kosovo") -> True
    """
    retrieved, gold = _norm_path(retrieved_path), _norm_path(gold_path)
    return retrieved == gold or retrieved.startswith(gold + PATH_SEP)


def _first_hit_rank(retrieved_paths: Sequence[str], gold_paths: Sequence[str]) -> int | None:
    """1-based rank of the first retrieved path that hits any gold path, None when none does."""
    for rank, path in enumerate(retrieved_paths, start=1):
        if any(section_hit(path, gold) for gold in gold_paths):
            return rank
    return None


def recall_at_k(retrieved_paths: Sequence[str], gold_paths: Sequence[str], k: int) -> float:
    """1.0 if any gold section is among the first k retrieved paths, else 0.0 (0.0 without gold).

    Example: recall_at_k(["1 Executive Summary", "4.5 Serbia > Other"], ["4.5 Serbia"], 2) -> 1.0
    """
    if k < 1:
        raise ValueError(f"recall_at_k needs k >= 1, got k={k}")
    rank = _first_hit_rank(retrieved_paths[:k], gold_paths)
    return 0.0 if rank is None else 1.0


def reciprocal_rank(retrieved_paths: Sequence[str], gold_paths: Sequence[str]) -> float:
    """1 / rank of the first retrieved path that hits a gold section, 0.0 when none does.

    Example: reciprocal_rank(["a", "b > c", "d"], ["b"]) -> 0.5
    """
    rank = _first_hit_rank(retrieved_paths, gold_paths)
    return 0.0 if rank is None else 1.0 / rank


def normalise_number_text(text: str) -> str:
    """Rewrite numbers to one form: thousands separators dropped, decimal commas made points.

    Example: normalise_number_text("17,462.600 / 315,5 / 2 981 200") -> "17462600 / 315.5 / 2981200"
    """
    text = _SPACED_THOUSANDS.sub(lambda m: m.group(1) + re.sub(r"\D", "", m.group(2)), text)
    text = _GROUPED_THOUSANDS.sub(lambda m: re.sub(r"[,.]", "", m.group(0)), text)
    return _DECIMAL_COMMA.sub(r"\1.\2", text)


def _norm_text(text: str) -> str:
    """Numbers normalised, curly quotes and dashes made ASCII, case folded, spaces collapsed."""
    return " ".join(normalise_number_text(text.translate(_TYPOGRAPHY)).casefold().split())


def contains_fact(text: str, fact: str) -> bool:
    """True when the fact occurs in the normalised text; a number must not run on into more digits.

    Example: contains_fact("a budget of 2,981,200 EUR", "2981200 eur") -> True
    """
    needle = _norm_text(fact)
    if not needle:
        return False
    start = r"(?<![\d.])" if needle[0].isdigit() else ""
    end = r"(?!\.?\d)" if needle[-1].isdigit() else ""
    return re.search(start + re.escape(needle) + end, _norm_text(text)) is not None


def fact_recall(answer_text: str, must_mention: Sequence[str]) -> float:
    """Share of the must-mention facts found in the answer (1.0 when there are none to find).

    Example: fact_recall("Some 1,000 adults and 400 children.", ["1000", "400", "Travnik"]) -> 2/3
    """
    if not must_mention:
        return 1.0
    return sum(contains_fact(answer_text, fact) for fact in must_mention) / len(must_mention)


def _squash(text: str) -> str:
    """Collapse runs of whitespace, so a quote may cross a line or page break of the source."""
    return " ".join(text.split())


def citation_validity(
    citations: Sequence[tuple[str, str]], source_texts: Mapping[str, str]
) -> float:
    """Share of (document, quote) citations whose quote is verbatim in that document (0.0 if none).

    Example: citation_validity([("d", "red fox"), ("d", "blue fox")], {"d": "a red  fox"}) -> 0.5
    """
    if not citations:
        return 0.0
    valid = [
        bool(quote.strip()) and _squash(quote) in _squash(source_texts.get(document, ""))
        for document, quote in citations
    ]
    return sum(valid) / len(valid)


def citation_precision(cited_paths: Sequence[str], gold_paths: Sequence[str]) -> float:
    """Share of cited section paths that hit a gold section (0.0 when nothing is cited).

    Example: citation_precision(["4.6 Skopje > Other", "1 Executive"], ["4.6 Skopje"]) -> 0.5
    """
    if not cited_paths:
        return 0.0
    hits = [any(section_hit(path, gold) for gold in gold_paths) for path in cited_paths]
    return sum(hits) / len(hits)


def abstention_correct(abstained: bool, answerable: bool) -> bool:
    """True when the assistant answered an answerable case or refused an unanswerable one.

    Example: abstention_correct(abstained=True, answerable=False) -> True
    """
    return abstained != answerable


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) with linear interpolation between closest ranks.

    Example: percentile([1.0, 2.0, 3.0, 4.0], 50) -> 2.5
    """
    if not values:
        raise ValueError("percentile of an empty list: record at least one latency first")
    if not 0 <= p <= 100:
        raise ValueError(f"percentile p must be within 0..100, got {p}")
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _metric_values(rows: Sequence[Mapping[str, object]]) -> dict[str, list[float]]:
    """Numeric and boolean values per metric name; None, strings and the kind/id keys skipped."""
    values: dict[str, list[float]] = {}
    for row in rows:
        for name, value in row.items():
            if name not in ("kind", "id") and isinstance(value, bool | int | float):
                values.setdefault(name, []).append(float(value))
    return values


def _means(rows: Sequence[Mapping[str, object]]) -> dict[str, float]:
    """Case count under "n" plus the mean of every metric over the rows where it applies."""
    means = {name: sum(vals) / len(vals) for name, vals in _metric_values(rows).items()}
    return {"n": float(len(rows)), **means}


def aggregate(rows: Sequence[Mapping[str, object]]) -> dict[str, dict[str, object]]:
    """Per-kind and overall means of per-case metric rows (None marks "not applicable").

    Example: aggregate([{"kind": "factoid", "mrr": 1.0}, {"kind": "table", "mrr": None}])
        -> {"overall": {"n": 2.0, "mrr": 1.0}, "by_kind": {"factoid": {...}, "table": {"n": 1.0}}}
    """
    by_kind: dict[str, list[Mapping[str, object]]] = {}
    for row in rows:
        by_kind.setdefault(str(row.get("kind", "")), []).append(row)
    return {
        "overall": dict(_means(rows)),
        "by_kind": {kind: dict(_means(group)) for kind, group in sorted(by_kind.items())},
    }
