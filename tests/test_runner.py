"""Tests for eval.runner and its pure core eval.score: scoring, aggregation and the gate on
hand-made rows, then the `eval` command on real cases (check, compare, a real scored run)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from assistant.cli import build_parser
from assistant.settings import Settings
from eval.cases import Case, load_cases, split_of
from eval.runner import new_run_dir, run_command
from eval.score import (
    GateCheck,
    Outcome,
    flagged_share,
    gate,
    gate_passed,
    ranked_sections,
    score_case,
    select_cases,
    summarise,
)

ROOT = Path(__file__).resolve().parents[1]
SKOPJE = "4.6 Mission to Skopje > Gender Mainstreaming"
SOURCES = {"big": "In 2019 the Mission began its Mentoring Programme for 72 police officers."}
QUOTE = "began its Mentoring Programme for 72 police officers"


def make_case(**fields: Any) -> Case:
    """An answerable case about Skopje gender mainstreaming, any field overridden."""
    base: dict[str, Any] = {
        "id": "sum-skopje-gender",
        "kind": "summary",
        "question": "skopje gender mainstreaming?",
        "gold_sections": [SKOPJE],
        "gold_quotes": [QUOTE],
        "must_mention": ["Mentoring Programme", "72 police officers"],
        "document": "big",
    }
    return Case.model_validate({**base, **fields})


def citation(quote: str = QUOTE, section: str = SKOPJE) -> dict[str, Any]:
    return {"n": 1, "document": "big", "section": section, "quote": quote, "lines": [1, 1]}


def make_row(case_id: str, kind: str, split: str, **metrics: float | None) -> dict[str, Any]:
    """A saved per-case row carrying only what aggregation reads."""
    return {"id": case_id, "kind": kind, "split": split, "metrics": {"latency_ms": 10.0, **metrics}}


# --- scoring one case ---------------------------------------------------------------------


def test_score_case_ranks_sections_and_checks_facts_and_citations() -> None:
    outcome = Outcome(
        sections=("4.1 Presence in Albania", f"{SKOPJE} > Mentoring", "1 Executive Summary"),
        latency_ms=50.0,
        answer="The Mission began its Mentoring Programme [1].",
        citations=(citation(), citation("not in the report", "1 Executive Summary")),
    )
    m = score_case(make_case(), outcome, SOURCES)
    assert (m["recall_at_1"], m["recall_at_5"], m["mrr"]) == (0.0, 1.0, 0.5), (
        "a child of the gold section ranked 2nd must count as a hit at rank 2"
    )
    assert m["fact_recall"] == 0.5, "one of the two must-mention facts is in the answer"
    assert m["citation_validity"] == 0.5, "the second quote is not verbatim in the source"
    assert m["citation_precision"] == 0.5, "one of two citations is outside the gold section"
    assert m["answer_rate"] == 1.0 and m["abstention_accuracy"] is None
    assert m["latency_ms"] == 50.0


def test_unanswerable_case_scores_only_abstention_and_quotes() -> None:
    case = make_case(kind="unanswerable", answerable=False, gold_sections=[], must_mention=[])
    refused = Outcome(
        sections=("x",), latency_ms=1.0, answer="The reports do not say.", abstained=True
    )
    m = score_case(case, refused, SOURCES)
    assert m["abstention_accuracy"] == 1.0, "a refusal of an unanswerable case is correct"
    retrieval_and_facts = ("recall_at_5", "mrr", "fact_recall", "citation_precision", "answer_rate")
    assert all(m[key] is None for key in retrieval_and_facts), (
        "retrieval and fact metrics do not apply without gold sections"
    )
    answered = Outcome(sections=(), latency_ms=1.0, answer="Yes [1].", citations=(citation(),))
    m = score_case(case, answered, SOURCES)
    assert m["abstention_accuracy"] == 0.0, "answering an unanswerable case is a miss"
    assert m["citation_validity"] == 1.0, "quotes are still checked when it wrongly answers"


def test_refused_answerable_case_counts_against_answer_rate() -> None:
    refused = Outcome(
        sections=(SKOPJE,), latency_ms=1.0, answer="The reports do not say.", abstained=True
    )
    m = score_case(make_case(), refused, SOURCES)
    assert m["answer_rate"] == 0.0 and m["fact_recall"] == 0.0
    assert m["citation_precision"] is None, "a refusal's closest-match sources are not its answer"
    assert m["citation_validity"] is None, "no citations, nothing to validate"
    assert m["recall_at_1"] == 1.0, "retrieval is scored even when the answer is refused"


def test_an_error_is_neither_an_answer_nor_a_refusal() -> None:
    failed = Outcome(sections=(), latency_ms=0.0, answer="", abstained=False, error="boom")
    assert score_case(make_case(), failed, SOURCES)["answer_rate"] == 0.0
    unanswerable = make_case(kind="unanswerable", answerable=False, gold_sections=[])
    assert score_case(unanswerable, failed, SOURCES)["abstention_accuracy"] == 0.0


def test_retrieval_only_outcome_scores_retrieval_alone() -> None:
    m = score_case(make_case(), Outcome(sections=("a", SKOPJE), latency_ms=3.0), SOURCES)
    assert m["mrr"] == 0.5 and m["recall_at_10"] == 1.0
    assert m["fact_recall"] is None and m["answer_rate"] is None, (
        "without an answer, answer metrics must be missing, not zero"
    )


def test_llm_checks_give_flagged_share_and_fallback() -> None:
    llm = {"answerer": "llm", "claims": 4, "flagged": 1}
    answered = Outcome(sections=(), latency_ms=1.0, answer="x [1].", checks=llm)
    m = score_case(make_case(), answered, SOURCES)
    assert (m["flagged_share"], m["llm_fallback"]) == (0.25, 0.0)
    fell_back = {"answerer": "grounded", "fallback": "timeout", "claims": 0, "flagged": 0}
    m = score_case(make_case(), Outcome((), 1.0, "x [1].", checks=fell_back), SOURCES)
    assert (m["flagged_share"], m["llm_fallback"]) == (None, 1.0), (
        "a grounded fallback has no LLM claims to flag but must count as a fallback"
    )
    plain = score_case(make_case(), Outcome((), 1.0, "x [1]."), SOURCES)
    assert plain["llm_fallback"] is None, "the grounded answerer reports no checks at all"


def test_ranked_sections_keeps_first_occurrence_order() -> None:
    assert ranked_sections(["b", "a", "b", "c", "a"]) == ("b", "a", "c")


def test_flagged_share_reads_counts_or_lists_and_ignores_other_shapes() -> None:
    assert flagged_share({"claims": 4, "flagged": [2]}) == 0.25
    assert flagged_share({"claims": [1, 2], "flagged": 2}) == 1.0
    assert flagged_share({}) is None
    assert flagged_share({"claims": 0, "flagged": 0}) is None, "no claims: no share to report"


# --- aggregation and the gate ------------------------------------------------------------


def test_summarise_splits_kinds_and_latency() -> None:
    rows = [
        make_row("a", "factoid", "dev", mrr=1.0, answer_rate=1.0),
        make_row("b", "factoid", "holdout", mrr=0.0, answer_rate=0.0),
        make_row("c", "unanswerable", "dev", mrr=None, abstention_accuracy=1.0),
    ]
    rows[2]["metrics"]["latency_ms"] = 100.0
    summary = summarise(rows)
    assert summary["overall"]["n"] == 3.0 and summary["overall"]["mrr"] == 0.5, (
        "None marks not applicable and must not drag the mean down"
    )
    assert summary["by_split"]["dev"]["n"] == 2.0 and summary["by_split"]["dev"]["mrr"] == 1.0
    assert summary["by_split"]["holdout"]["answer_rate"] == 0.0
    assert summary["by_kind"]["unanswerable"]["abstention_accuracy"] == 1.0
    assert "mrr" not in summary["by_kind"]["unanswerable"]
    assert summary["latency_ms"] == {"p50": 10.0, "p95": pytest.approx(91.0)}


def test_gate_compares_each_metric_with_its_threshold() -> None:
    settings = Settings(min_recall_at_5=0.9, min_mrr=0.5, min_answer_rate=0.9)
    overall = {"recall_at_5": 0.9, "mrr": 0.4, "fact_recall": 1.0, "answer_rate": 0.95}
    status = {check.metric: check.status for check in gate(overall, settings, False)}
    assert status["recall_at_5"] == "PASS", "equal to the threshold passes"
    assert status["mrr"] == "FAIL"
    assert status["abstention_accuracy"] == "n/a", "no unanswerable case ran, nothing to gate"
    assert len(status) == 6


def test_retrieval_only_gate_checks_retrieval_metrics_only() -> None:
    checks = gate({"recall_at_5": 1.0, "mrr": 1.0}, Settings(), True)
    assert [c.metric for c in checks] == ["recall_at_5", "mrr"]
    assert gate_passed(checks)


def test_gate_passed_fails_on_any_fail_but_not_on_na() -> None:
    assert gate_passed([GateCheck("mrr", 0.5, 0.6), GateCheck("answer_rate", 0.9, None)])
    assert not gate_passed([GateCheck("mrr", 0.5, 0.6), GateCheck("fact_recall", 0.7, 0.69)])


def test_select_cases_by_kind_and_split() -> None:
    ids = [f"fac-{n}" for n in range(20)]
    cases = [make_case(id=i, kind="factoid") for i in ids] + [make_case(id="sum-x")]
    assert len(select_cases(cases, [], "all")) == 21
    assert [c.id for c in select_cases(cases, ["summary"], "all")] == ["sum-x"]
    holdout = select_cases(cases, ["factoid"], "holdout")
    assert holdout and all(split_of(c.id) == "holdout" for c in holdout)
    assert len(holdout) + len(select_cases(cases, ["factoid"], "dev")) == 20


def test_new_run_dir_never_reuses_a_folder(tmp_path: Path) -> None:
    first, second = new_run_dir(tmp_path), new_run_dir(tmp_path)
    assert first != second and first.is_dir() and second.is_dir(), (
        "two runs in the same second must not overwrite each other"
    )


# --- the command -------------------------------------------------------------------------


def eval_args(*argv: str) -> Any:
    """Arguments exactly as `osce-assistant eval ...` parses them."""
    return build_parser().parse_args(["eval", *argv])


def write_cases(path: Path, cases: list[Case]) -> Path:
    path.write_text("".join(c.model_dump_json() + "\n" for c in cases), encoding="utf-8")
    return path


def test_check_passes_on_the_real_set_and_reports_a_bad_case(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    real = load_cases(ROOT / "eval" / "cases.jsonl")[:5]
    good = write_cases(tmp_path / "good.jsonl", real)
    assert run_command(eval_args("--check", "--cases", str(good)), Settings()) == 0
    assert capsys.readouterr().out.startswith("OK: 5 cases")
    bad_case = real[0].model_copy(update={"gold_quotes": ["words that are not in the report"]})
    bad = write_cases(tmp_path / "bad.jsonl", [bad_case])
    assert run_command(eval_args("--check", "--cases", str(bad)), Settings()) == 1
    assert "quote not verbatim" in capsys.readouterr().out


def test_missing_cases_file_or_run_folder_exits_2(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.jsonl")
    assert run_command(eval_args("--check", "--cases", missing), Settings()) == 2
    gone = str(tmp_path / "gone")
    assert run_command(eval_args("--compare", gone, gone), Settings()) == 2


@pytest.mark.slow
def test_real_run_writes_the_run_folder_and_gates(
    tmp_path: Path, corpus_settings: Settings, corpus_assistant: Any, capsys: Any
) -> None:
    factoids = [c for c in load_cases(ROOT / "eval" / "cases.jsonl") if c.kind == "factoid"]
    unanswerable = factoids[0].model_copy(
        update={"id": "un-x", "kind": "unanswerable", "answerable": False, "gold_sections": []}
    )
    cases = write_cases(tmp_path / "cases.jsonl", [*factoids[:4], unanswerable])
    out = tmp_path / "runs"
    argv = ("--kind", "factoid", "--cases", str(cases), "--out", str(out))
    lenient = corpus_settings.model_copy(update={k: 0.0 for k in _THRESHOLDS})
    assert run_command(eval_args(*argv), lenient) == 0, "thresholds of 0 cannot fail"
    (run_dir,) = out.iterdir()
    assert {p.name for p in run_dir.iterdir()} == {
        "cases.jsonl",
        "summary.json",
        "report.md",
        "metrics.png",
    }
    assert (run_dir / "metrics.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    rows = [json.loads(line) for line in (run_dir / "cases.jsonl").read_text().splitlines()]
    assert [r["id"] for r in rows] == [c.id for c in factoids[:4]], "--kind keeps factoids only"
    assert all(r["answer"] and r["retrieved_sections"] for r in rows)
    summary = json.loads((run_dir / "summary.json").read_text())
    assert summary["overall"]["n"] == 4.0 and summary["fingerprint"]["index"]
    assert set(summary["by_split"]) <= {"dev", "holdout"} and summary["by_split"]
    assert "PASS" in capsys.readouterr().out

    strict = corpus_settings.model_copy(update={k: 1.01 for k in _THRESHOLDS})
    reuse = lambda _: corpus_assistant  # noqa: E731 - the session assistant; no second load
    assert run_command(eval_args(*argv), strict, reuse) == 1, "no metric can reach 1.01"
    assert "FAIL" in capsys.readouterr().out
    assert run_command(eval_args(*argv, "--no-gate"), strict, reuse) == 0
    assert len(list(out.iterdir())) == 3, "every run gets its own folder"


_THRESHOLDS = (
    "min_recall_at_5",
    "min_mrr",
    "min_fact_recall",
    "min_citation_validity",
    "min_abstention_accuracy",
    "min_answer_rate",
)
