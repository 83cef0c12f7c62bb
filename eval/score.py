"""Score eval cases: per-case metrics from what the assistant did, aggregates, and the gate.

Pure: takes cases, outcomes and rows, returns numbers; never runs the assistant, never writes a
file (that is `eval.runner`) and never formats a table (that is `eval.report`). The primitive
metrics themselves come from `eval.metrics`; this module decides which apply to which case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.settings import Settings
from eval.cases import Case, split_of
from eval.metrics import (
    aggregate,
    citation_precision,
    citation_validity,
    fact_recall,
    percentile,
    recall_at_k,
    reciprocal_rank,
)

RETRIEVAL = ("recall_at_1", "recall_at_5", "recall_at_10", "mrr")
ANSWERING = ("fact_recall", "citation_validity", "citation_precision")
DECISIONS = ("answer_rate", "abstention_accuracy")
METRICS = (*RETRIEVAL, *ANSWERING, *DECISIONS, "flagged_share", "llm_fallback", "latency_ms")
# (metric, settings field); the first two are the retrieval gates of --retrieval-only
GATES = (
    ("recall_at_5", "min_recall_at_5"),
    ("mrr", "min_mrr"),
    ("fact_recall", "min_fact_recall"),
    ("citation_validity", "min_citation_validity"),
    ("abstention_accuracy", "min_abstention_accuracy"),
    ("answer_rate", "min_answer_rate"),
)


@dataclass(frozen=True)
class Outcome:
    """What one case produced: ranked sections, and the final answer unless retrieval-only."""

    sections: tuple[str, ...]
    latency_ms: float
    answer: str | None = None
    abstained: bool = False
    citations: tuple[dict[str, Any], ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)
    error: str = ""


@dataclass(frozen=True)
class GateCheck:
    """One gate line: a metric, its threshold, the run's value and PASS, FAIL or n/a."""

    metric: str
    threshold: float
    value: float | None

    @property
    def status(self) -> str:
        """PASS at or above the threshold, n/a when no case measured the metric."""
        if self.value is None:
            return "n/a"
        return "PASS" if self.value >= self.threshold else "FAIL"


def ranked_sections(paths: Sequence[str]) -> tuple[str, ...]:
    """Section paths in first-seen order, duplicates dropped.

    Example: ranked_sections(["a", "b", "a", "c"]) -> ("a", "b", "c")
    """
    return tuple(dict.fromkeys(paths))


def flagged_share(checks: Mapping[str, Any]) -> float | None:
    """Share of claims an answer check flagged, when the checks say so; None otherwise.

    Example: flagged_share({"claims": 4, "flagged": [2]}) -> 0.25
    """
    counts = [checks.get(key) for key in ("claims", "flagged")]
    claims, flagged = (len(c) if isinstance(c, list | tuple) else c for c in counts)
    if isinstance(claims, int) and isinstance(flagged, int) and claims > 0:
        return flagged / claims
    return None


def score_case(case: Case, outcome: Outcome, sources: Mapping[str, str]) -> dict[str, Any]:
    """Every metric of one case; None where it does not apply (e.g. recall of an unanswerable).

    Example: an answerable case whose gold section is ranked 2nd -> recall_at_1 0.0, mrr 0.5
    """
    metrics: dict[str, Any] = dict.fromkeys(METRICS)
    metrics["latency_ms"] = outcome.latency_ms
    if case.answerable:
        metrics.update(_retrieval_scores(outcome.sections, case.gold_sections))
    if outcome.answer is None:
        return metrics
    answered = not outcome.abstained and not outcome.error
    if case.answerable:
        metrics["fact_recall"] = fact_recall(outcome.answer, case.must_mention)
        metrics["answer_rate"] = float(answered)
        cited = [str(c["section"]) for c in outcome.citations]
        metrics["citation_precision"] = (
            citation_precision(cited, case.gold_sections) if answered else None
        )
    else:
        metrics["abstention_accuracy"] = float(outcome.abstained and not outcome.error)
    if outcome.citations:
        pairs = [(str(c["document"]), str(c["quote"])) for c in outcome.citations]
        metrics["citation_validity"] = citation_validity(pairs, sources)
    metrics["flagged_share"] = flagged_share(outcome.checks)
    if "answerer" in outcome.checks:  # only the LLM path reports which answerer answered
        metrics["llm_fallback"] = float(outcome.checks["answerer"] != "llm")
    return metrics


def _retrieval_scores(sections: Sequence[str], gold: Sequence[str]) -> dict[str, float]:
    scores = {f"recall_at_{k}": recall_at_k(sections, gold, k) for k in (1, 5, 10)}
    return {**scores, "mrr": reciprocal_rank(sections, gold)}


def case_row(case: Case, outcome: Outcome, metrics: Mapping[str, Any]) -> dict[str, Any]:
    """The saved per-case row: the case, what the assistant did, and its metrics."""
    return {
        "id": case.id,
        "kind": case.kind,
        "split": split_of(case.id),
        "question": case.question,
        "turns": case.turns,
        "answerable": case.answerable,
        "gold_sections": case.gold_sections,
        "must_mention": case.must_mention,
        "answer": outcome.answer,
        "abstained": outcome.abstained if outcome.answer is not None else None,
        "citations": list(outcome.citations),
        "retrieved_sections": list(outcome.sections),
        "timings_ms": outcome.timings_ms,
        "checks": outcome.checks,
        "error": outcome.error,
        "metrics": dict(metrics),
    }


def summarise(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Overall, per-kind and per-split means of the rows' metrics, and latency percentiles.

    Example: two dev rows with mrr 1.0 and 0.0 -> {"overall": {"n": 2.0, "mrr": 0.5, ...}, ...}
    """
    flat = [{"id": r["id"], "kind": r["kind"], **r["metrics"]} for r in rows]
    by_split = [{**row, "kind": r["split"]} for row, r in zip(flat, rows, strict=True)]
    means = aggregate(flat)
    latencies = [float(r["metrics"]["latency_ms"]) for r in rows]
    return {
        "overall": means["overall"],
        "by_kind": means["by_kind"],
        "by_split": aggregate(by_split)["by_kind"],
        "latency_ms": {
            "p50": percentile(latencies, 50) if latencies else None,
            "p95": percentile(latencies, 95) if latencies else None,
        },
    }


def gate(overall: Mapping[str, Any], settings: Settings, retrieval_only: bool) -> list[GateCheck]:
    """The gate lines for a run's overall metrics; retrieval-only runs gate retrieval alone.

    Example: gate({"mrr": 0.6}, Settings(min_mrr=0.7), True)[1].status -> "FAIL"
    """
    gates = GATES[:2] if retrieval_only else GATES
    return [
        GateCheck(metric, float(getattr(settings, name)), _number(overall.get(metric)))
        for metric, name in gates
    ]


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def gate_passed(checks: Sequence[GateCheck]) -> bool:
    """True when no gate line failed (n/a lines do not fail a run)."""
    return all(check.status != "FAIL" for check in checks)


def select_cases(cases: Sequence[Case], kinds: Sequence[str], split: str) -> list[Case]:
    """The cases of the given kinds (all when empty) and split ("all" keeps both)."""
    return [
        case
        for case in cases
        if (not kinds or case.kind in kinds) and split in ("all", split_of(case.id))
    ]
