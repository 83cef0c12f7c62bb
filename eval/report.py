"""Show eval runs to people: terminal tables, the Markdown report, the chart, a two-run diff.

Everything here reads rows and summaries the runner produced (or saved run folders); nothing
runs the assistant or computes a metric. The table and diff builders are pure; only
`write_markdown`, `write_chart` and `compare_runs` touch files.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from eval.metrics import contains_fact

# (metric key, short label) in the order the tables show them
COLUMNS = (
    ("n", "n"),
    ("recall_at_1", "R@1"),
    ("recall_at_5", "R@5"),
    ("recall_at_10", "R@10"),
    ("mrr", "MRR"),
    ("fact_recall", "facts"),
    ("citation_validity", "cite valid"),
    ("citation_precision", "cite prec"),
    ("answer_rate", "answered"),
    ("abstention_accuracy", "refused ok"),
    ("flagged_share", "flagged"),
    ("llm_fallback", "fallback"),
    ("latency_ms", "ms mean"),
)
# the charted metrics; also what ranks worst cases and judges a case better or worse
MAIN_METRICS = (
    "recall_at_5",
    "mrr",
    "fact_recall",
    "citation_validity",
    "citation_precision",
    "answer_rate",
    "abstention_accuracy",
)
LABELS = dict(COLUMNS)
WORST_PER_KIND = 5


def _cell(key: str, value: object) -> str:
    """A table cell: counts as integers, latency in whole ms, shares with two decimals."""
    if not isinstance(value, int | float):
        return "-"
    if key == "n":
        return str(int(value))
    return f"{value:.0f}" if key == "latency_ms" else f"{value:.2f}"


def _columns(groups: Mapping[str, Mapping[str, Any]]) -> list[tuple[str, str]]:
    """The columns at least one group has a value for (flagged only appears with LLM checks)."""
    return [(k, label) for k, label in COLUMNS if any(k in g for g in groups.values())]


def metric_rows(groups: Mapping[str, Mapping[str, Any]]) -> list[list[str]]:
    """A header row, then one row of formatted cells per group.

    Example: metric_rows({"overall": {"n": 2.0, "mrr": 0.5}}) -> [["", "n", "MRR"], ["overall",
    "2", "0.50"]]
    """
    columns = _columns(groups)
    rows = [["", *(label for _, label in columns)]]
    for name, stats in groups.items():
        rows.append([name, *(_cell(key, stats.get(key)) for key, _ in columns)])
    return rows


def plain_table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as fixed-width text columns, the first column left-aligned, the rest right-aligned."""
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        rest = (cell.rjust(width) for cell, width in zip(row[1:], widths[1:], strict=True))
        cells = [row[0].ljust(widths[0]), *rest]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def markdown_table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as a Markdown table; the first row is the header.

    Example: markdown_table([["", "n"], ["all", "3"]]) -> "|  | n |\\n|---|---:|\\n| all | 3 |"
    """
    header, *body = rows
    align = ["---", *("---:" for _ in header[1:])]
    return "\n".join("| " + " | ".join(row) + " |" for row in [header, align, *body])


def _groups(summary: Mapping[str, Any]) -> dict[str, Mapping[str, Any]]:
    return {"overall": summary["overall"], **summary["by_kind"]}


def summary_text(summary: Mapping[str, Any]) -> str:
    """The short terminal summary: one header line, the per-kind table, splits and latency."""
    overall, latency = summary["overall"], summary["latency_ms"]
    fp = summary.get("fingerprint", {})
    head = (
        f"{int(overall['n'])} cases, {summary.get('mode', 'answer')} mode, "
        f"{summary.get('seconds', 0):.0f} s; index {fp.get('index')}, "
        f"commit {str(fp.get('git_commit'))[:10]}"
    )
    splits = plain_table(metric_rows(summary["by_split"]))
    tail = f"latency per case p50 {_ms(latency['p50'])}, p95 {_ms(latency['p95'])}"
    return f"{head}\n{plain_table(metric_rows(_groups(summary)))}\n\n{splits}\n{tail}"


def _ms(value: object) -> str:
    return f"{value:.0f} ms" if isinstance(value, int | float) else "-"


def _gate_rows(checks: Sequence[Mapping[str, Any]], first: str) -> list[list[str]]:
    """Header and one row per gate check: metric, value, threshold, PASS / FAIL / n/a."""
    rows = [[first, "value", "min", "status"]]
    for check in checks:
        value = "-" if check["value"] is None else f"{check['value']:.3f}"
        rows.append([check["metric"], value, f"{check['threshold']:.3f}", check["status"]])
    return rows


def gate_table(checks: Sequence[Mapping[str, Any]]) -> str:
    """The gate as a terminal table: metric, value, threshold, PASS / FAIL / n/a."""
    return plain_table(_gate_rows(checks, "gate"))


def _case_score(row: Mapping[str, Any]) -> float:
    """Mean of a row's main metrics (0 when none apply): lower means a worse case."""
    values = [row["metrics"].get(key) for key in MAIN_METRICS]
    present = [float(v) for v in values if isinstance(v, int | float)]
    return sum(present) / len(present) if present else 0.0


def what_went_wrong(row: Mapping[str, Any]) -> str:
    """A short reason list for a case's misses.

    Example: -> "gold section not in top 10; missed facts: 72 police officers"
    """
    m, reasons = row["metrics"], []
    if row.get("error"):
        reasons.append(f"error: {row['error']}")
    if m.get("mrr") == 0.0:
        reasons.append(f"gold section not in top {len(row['retrieved_sections'])}")
    elif isinstance(m.get("mrr"), float) and m["mrr"] < 1.0:
        reasons.append(f"gold section first at rank {round(1 / m['mrr'])}")
    if m.get("answer_rate") == 0.0:
        reasons.append("refused an answerable question")
    if m.get("abstention_accuracy") == 0.0:
        reasons.append("answered an unanswerable question")
    missed = [f for f, ok in _facts(row) if not ok]
    if missed and m.get("fact_recall") is not None:
        reasons.append("missed facts: " + ", ".join(missed))
    if isinstance(m.get("citation_validity"), float) and m["citation_validity"] < 1.0:
        reasons.append(f"quotes not verbatim ({m['citation_validity']:.0%} valid)")
    if isinstance(m.get("citation_precision"), float) and m["citation_precision"] < 1.0:
        reasons.append(f"{1 - m['citation_precision']:.0%} of citations outside gold")
    return "; ".join(reasons) or "no miss"


def _facts(row: Mapping[str, Any]) -> list[tuple[str, bool]]:
    answer = row.get("answer") or ""
    return [(fact, contains_fact(answer, fact)) for fact in row.get("must_mention", [])]


def worst_cases(rows: Sequence[Mapping[str, Any]], per_kind: int) -> dict[str, list[Any]]:
    """Per kind, the `per_kind` lowest-scoring cases that missed something, worst first."""
    worst: dict[str, list[Any]] = {}
    for row in sorted(rows, key=lambda r: (_case_score(r), r["id"])):
        missed = what_went_wrong(row) != "no miss"
        if missed and len(worst.setdefault(row["kind"], [])) < per_kind:
            worst[row["kind"]].append(row)
    return dict(sorted(worst.items()))


def report_markdown(summary: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]) -> str:
    """The whole report.md: run facts, tables per kind and per split, gate, worst cases."""
    fp = summary.get("fingerprint", {})
    lines = [
        f"# Eval run {summary.get('created', '')}",
        "",
        f"- mode: {summary.get('mode', 'answer')}; cases: {summary.get('cases_file', '')}",
        f"- selection: `{json.dumps(summary.get('selection', {}))}`",
        f"- fingerprint {fp.get('id')}: index {fp.get('index')}, commit {fp.get('git_commit')}",
        f"- settings: `{json.dumps(fp.get('settings', {}), default=str)}`",
        f"- latency per case: p50 {_ms(summary['latency_ms']['p50'])}, "
        f"p95 {_ms(summary['latency_ms']['p95'])}; whole run {summary.get('seconds', 0)} s",
        "",
        "## Per kind",
        "",
        markdown_table(metric_rows(_groups(summary))),
        "",
        "## Per split",
        "",
        markdown_table(metric_rows(summary["by_split"])),
        "",
        "## Gate",
        "",
        _gate_markdown(summary.get("gate", [])),
        "",
        "## Worst cases per kind",
        "",
        *_worst_markdown(rows),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _gate_markdown(checks: Sequence[Mapping[str, Any]]) -> str:
    return markdown_table(_gate_rows(checks, "metric"))


def _worst_markdown(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    lines = []
    for kind, worst in worst_cases(rows, WORST_PER_KIND).items():
        lines += [f"### {kind}", ""]
        for row in worst:
            lines.append(f"- `{row['id']}` ({row['split']}): {what_went_wrong(row)}")
            lines.append(f"  - Q: {row['question']}")
        lines.append("")
    return lines or ["No case missed anything."]


def write_markdown(
    path: Path, summary: Mapping[str, Any], rows: Sequence[Mapping[str, Any]]
) -> None:
    """Write report.md."""
    path.write_text(report_markdown(summary, rows), encoding="utf-8")


def write_chart(path: Path, summary: Mapping[str, Any]) -> None:
    """Write metrics.png: the main metrics as grouped bars, one group per kind plus overall."""
    import matplotlib

    matplotlib.use("Agg")  # no display: the chart is only ever written to a file
    import matplotlib.pyplot as plt

    groups = _groups(summary)
    metrics = [m for m in MAIN_METRICS if any(m in g for g in groups.values())]
    width = 0.8 / max(len(metrics), 1)
    fig, ax = plt.subplots(figsize=(max(8, 1.6 * len(groups)), 5), dpi=110)
    for i, metric in enumerate(metrics):
        values = [_bar(g.get(metric)) for g in groups.values()]
        xs = [x + (i - (len(metrics) - 1) / 2) * width for x in range(len(groups))]
        ax.bar(xs, values, width, label=LABELS[metric])
    ax.set_xticks(range(len(groups)))
    ax.set_xticklabels([f"{k}\n(n={int(g['n'])})" for k, g in groups.items()], fontsize=9)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("score (share of cases)")
    ax.set_title(f"Eval {summary.get('created', '')} ({summary.get('mode', 'answer')} mode)")
    ax.grid(axis="y", alpha=0.3)
    ax.legend(
        ncols=min(len(metrics), 4), fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.15)
    )
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _bar(value: object) -> float:
    # a metric that does not apply to a kind is drawn as no bar, not as a zero score
    return float(value) if isinstance(value, int | float) else float("nan")


def metric_diff(a: Mapping[str, Any], b: Mapping[str, Any]) -> list[list[str]]:
    """Rows (group, metric, A, B, B-A) for two summaries; per kind, only metrics that moved.

    Example: overall mrr 0.50 -> 0.75 gives ["overall", "MRR", "0.50", "0.75", "+0.25"]
    """
    rows = [["group", "metric", "A", "B", "B-A"]]
    groups_a, groups_b = _groups(a), _groups(b)
    for group in dict.fromkeys([*groups_a, *groups_b]):
        sa, sb = groups_a.get(group, {}), groups_b.get(group, {})
        for key, label in COLUMNS:
            va, vb = sa.get(key), sb.get(key)
            if (va is None and vb is None) or (group != "overall" and va == vb):
                continue
            rows.append([group, label, _cell(key, va), _cell(key, vb), _delta(key, va, vb)])
    return rows


def _delta(key: str, a: object, b: object) -> str:
    if not (isinstance(a, int | float) and isinstance(b, int | float)):
        return "-"
    return f"{b - a:+.0f}" if key in ("n", "latency_ms") else f"{b - a:+.2f}"


def case_diff(
    rows_a: Sequence[Mapping[str, Any]], rows_b: Sequence[Mapping[str, Any]]
) -> list[str]:
    """One line per case whose main metrics changed (worse first), then cases in one run only.

    Example: -> ["worse  fac-x  R@5 1.00->0.00, MRR 1.00->0.00", "only in A: fac-y"]
    """
    by_a, by_b = {r["id"]: r for r in rows_a}, {r["id"]: r for r in rows_b}
    changed = []
    for case_id in by_a.keys() & by_b.keys():
        ma, mb = by_a[case_id]["metrics"], by_b[case_id]["metrics"]
        # a metric measured in one run only (say, retrieval-only vs answer) is not a change
        moves = [
            (k, ma[k], mb[k])
            for k in MAIN_METRICS
            if ma.get(k) is not None and mb.get(k) is not None and ma[k] != mb[k]
        ]
        if moves:
            net = sum(_num(vb) - _num(va) for _, va, vb in moves)
            verdict = "worse" if net < 0 else "better" if net > 0 else "mixed"
            parts = ", ".join(f"{LABELS[k]} {_cell(k, va)}->{_cell(k, vb)}" for k, va, vb in moves)
            changed.append((net, case_id, f"{verdict:6} {case_id}  {parts}"))
    lines = [line for _, _, line in sorted(changed)]
    lines += [f"only in A: {i}" for i in sorted(by_a.keys() - by_b.keys())]
    lines += [f"only in B: {i}" for i in sorted(by_b.keys() - by_a.keys())]
    return lines


def _num(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def load_run(run_dir: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A saved run's summary and per-case rows; a missing file raises with what to pass."""
    summary_file, cases_file = run_dir / "summary.json", run_dir / "cases.jsonl"
    for needed in (summary_file, cases_file):
        if not needed.is_file():
            raise FileNotFoundError(f"{needed} is missing; pass a folder under eval/runs/")
    lines = cases_file.read_text(encoding="utf-8").splitlines()
    summary = json.loads(summary_file.read_text(encoding="utf-8"))
    return summary, [json.loads(line) for line in lines if line.strip()]


def compare_runs(run_a: Path, run_b: Path) -> str:
    """The terminal comparison of two saved runs: metric changes, then per-case changes."""
    (sa, rows_a), (sb, rows_b) = load_run(run_a), load_run(run_b)
    head = [f"A: {run_a} ({_describe(sa)})", f"B: {run_b} ({_describe(sb)})", ""]
    cases = case_diff(rows_a, rows_b)
    body = [plain_table(metric_diff(sa, sb)), "", f"{len(cases)} case changes:", *cases]
    return "\n".join(head + body)


def _describe(summary: Mapping[str, Any]) -> str:
    fp = summary.get("fingerprint", {})
    return (
        f"{summary.get('created', '?')}, {summary.get('mode', 'answer')}, "
        f"{int(summary['overall']['n'])} cases, fingerprint {fp.get('id')}"
    )
