"""Tests for eval.report: tables, the Markdown report, the chart and run comparison."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eval.report import (
    case_diff,
    compare_runs,
    gate_table,
    markdown_table,
    metric_diff,
    metric_rows,
    plain_table,
    report_markdown,
    summary_text,
    what_went_wrong,
    worst_cases,
    write_chart,
)


def make_row(case_id: str, kind: str = "factoid", **metrics: Any) -> dict[str, Any]:
    """A per-case row as the runner saves it; metrics default to a perfect answerable case."""
    perfect = {"recall_at_5": 1.0, "mrr": 1.0, "fact_recall": 1.0, "citation_validity": 1.0}
    return {
        "id": case_id,
        "kind": kind,
        "split": "dev",
        "question": f"question of {case_id}?",
        "answer": "Some 72 police officers [1].",
        "must_mention": ["72 police officers"],
        "retrieved_sections": ["a", "b", "c"],
        "error": "",
        "metrics": {**perfect, "answer_rate": 1.0, "latency_ms": 20.0, **metrics},
    }


def make_summary(mrr: float = 0.75, table_mrr: float = 0.5) -> dict[str, Any]:
    """A summary shaped like summary.json."""
    return {
        "created": "2026-01-01T00:00:00+00:00",
        "mode": "answer",
        "overall": {"n": 3.0, "mrr": mrr, "answer_rate": 1.0, "latency_ms": 30.4},
        "by_kind": {
            "factoid": {"n": 2.0, "mrr": 1.0, "answer_rate": 1.0},
            "table": {"n": 1.0, "mrr": table_mrr, "answer_rate": 1.0},
        },
        "by_split": {"dev": {"n": 2.0, "mrr": 0.5}, "holdout": {"n": 1.0, "mrr": 1.0}},
        "latency_ms": {"p50": 20.0, "p95": 48.0},
        "fingerprint": {"id": "abc", "index": "idx123", "git_commit": "deadbeef"},
        "gate": [
            {"metric": "mrr", "threshold": 0.7, "value": mrr, "status": "PASS"},
            {"metric": "abstention_accuracy", "threshold": 0.8, "value": None, "status": "n/a"},
        ],
    }


def test_metric_rows_show_only_columns_with_values() -> None:
    rows = metric_rows({"overall": {"n": 2.0, "mrr": 0.5}, "table": {"n": 1.0}})
    assert rows == [["", "n", "MRR"], ["overall", "2", "0.50"], ["table", "1", "-"]], (
        "a metric that does not apply to a group shows as '-', never as 0"
    )


def test_plain_and_markdown_tables_align_columns() -> None:
    rows = [["", "n"], ["overall", "193"], ["dev", "5"]]
    assert plain_table(rows).splitlines() == ["           n", "overall  193", "dev        5"]
    assert markdown_table(rows).splitlines() == [
        "|  | n |",
        "| --- | ---: |",
        "| overall | 193 |",
        "| dev | 5 |",
    ]


def test_summary_text_has_kinds_splits_and_latency() -> None:
    text = summary_text(make_summary())
    for needle in ("3 cases", "idx123", "factoid", "holdout", "p50 20 ms", "p95 48 ms"):
        assert needle in text, f"the terminal summary must mention {needle!r}"


def test_gate_table_shows_status_and_missing_values() -> None:
    lines = gate_table(make_summary()["gate"]).splitlines()
    assert lines[1].split() == ["mrr", "0.750", "0.700", "PASS"]
    assert lines[2].split() == ["abstention_accuracy", "-", "0.800", "n/a"]


def test_what_went_wrong_names_each_miss() -> None:
    row = make_row("x", mrr=0.25, fact_recall=0.0, citation_validity=0.5, answer_rate=0.0)
    row["answer"] = "The reports do not say."
    reason = what_went_wrong(row)
    for needle in ("rank 4", "refused an answerable", "missed facts: 72 police officers", "50%"):
        assert needle in reason, f"{needle!r} missing from {reason!r}"
    assert what_went_wrong(make_row("ok")) == "no miss"
    unanswered = make_row("u", "unanswerable", mrr=None, fact_recall=None, abstention_accuracy=0.0)
    assert "answered an unanswerable" in what_went_wrong(unanswered)
    lost = make_row("l", mrr=0.0)
    assert "not in top 3" in what_went_wrong(lost), "a complete miss names the depth searched"


def test_worst_cases_are_per_kind_worst_first_and_skip_perfect_ones() -> None:
    rows = [
        make_row("f-ok"),
        make_row("f-bad", mrr=0.0, recall_at_5=0.0),
        make_row("f-meh", mrr=0.5),
        make_row("t-bad", "table", fact_recall=0.0),
    ]
    rows[3]["answer"] = "Nothing of use [1]."
    worst = worst_cases(rows, per_kind=5)
    assert [r["id"] for r in worst["factoid"]] == ["f-bad", "f-meh"]
    assert [r["id"] for r in worst["table"]] == ["t-bad"]
    assert len(worst_cases(rows, per_kind=1)["factoid"]) == 1


def test_report_markdown_has_every_section() -> None:
    rows = [make_row("f-bad", mrr=0.0), make_row("f-ok")]
    text = report_markdown(make_summary(), rows)
    for heading in ("## Per kind", "## Per split", "## Gate", "## Worst cases per kind"):
        assert heading in text
    assert "| holdout | 1 | 1.00 |" in text, "the split table must carry the split's figures"
    assert "`f-bad`" in text and "`f-ok`" not in text, "only cases that missed are listed"


def test_write_chart_writes_a_png(tmp_path: Path) -> None:
    path = tmp_path / "metrics.png"
    write_chart(path, make_summary())
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000


def test_metric_diff_shows_overall_always_and_kinds_only_when_moved() -> None:
    rows = metric_diff(make_summary(mrr=0.5), make_summary(mrr=0.75, table_mrr=0.25))
    assert ["overall", "MRR", "0.50", "0.75", "+0.25"] in rows
    assert ["overall", "answered", "1.00", "1.00", "+0.00"] in rows, "overall shows unchanged too"
    assert ["table", "MRR", "0.50", "0.25", "-0.25"] in rows
    assert not any(r[0] == "factoid" for r in rows), "an unchanged kind adds no lines"


def test_case_diff_orders_worse_first_and_lists_one_sided_cases() -> None:
    a = [make_row("up", mrr=0.5), make_row("down"), make_row("same"), make_row("gone")]
    b = [make_row("up"), make_row("down", recall_at_5=0.0), make_row("same"), make_row("new")]
    a[2]["metrics"]["fact_recall"] = None  # measured in one run only: not a change
    lines = case_diff(a, b)
    assert lines[0].startswith("worse") and "down" in lines[0] and "R@5 1.00->0.00" in lines[0]
    assert lines[1].startswith("better") and "MRR 0.50->1.00" in lines[1]
    assert lines[2:] == ["only in A: gone", "only in B: new"]


def test_compare_runs_reads_two_saved_folders(tmp_path: Path) -> None:
    for name, mrr, row_mrr in (("a", 0.5, 0.0), ("b", 0.75, 1.0)):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "summary.json").write_text(json.dumps(make_summary(mrr=mrr)))
        (folder / "cases.jsonl").write_text(json.dumps(make_row("c1", mrr=row_mrr)) + "\n")
    text = compare_runs(tmp_path / "a", tmp_path / "b")
    assert "+0.25" in text and "better" in text and "c1" in text
    assert "1 case changes" in text
