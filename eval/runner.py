"""Run the curated eval set through the assistant, save the run, and gate on it.

The thin I/O shell around `eval.score` (per-case metrics, aggregates, gate) and `eval.report`
(tables, Markdown, chart, run comparison): builds the assistant, replays each case, writes
`eval/runs/<UTC time>/` and maps the gate to an exit code. It never changes the assistant: it
only calls `Assistant.answer` (or, with `--retrieval-only`, the same rewrite -> understand ->
search steps `answer` starts with).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from assistant.errors import AssistantError
from assistant.followup import rewrite
from assistant.query import understand
from assistant.service import Assistant, build_assistant, clean_question
from assistant.settings import PROJECT_ROOT, Settings
from assistant.types import Answer, Filters, Turn
from eval.cases import Case, check_cases, load_cases
from eval.report import compare_runs, gate_table, summary_text, write_chart, write_markdown
from eval.score import (
    Outcome,
    case_row,
    gate,
    gate_passed,
    ranked_sections,
    score_case,
    select_cases,
    summarise,
)
from index.ingest import discover
from index.parse import parse_file

CASES_FILE = PROJECT_ROOT / "eval" / "cases.jsonl"
RUNS_DIR = PROJECT_ROOT / "eval" / "runs"
_FINGERPRINTED = ("embed_model", "top_k", "fusion_depth", "rrf_k", "max_citations", "answerer")
_FINGERPRINTED_LLM = ("llm_model", "llm_base_url", "llm_model_path")


def _outcome(answer: Answer, started: float) -> Outcome:
    return Outcome(
        sections=ranked_sections([hit.chunk.section for hit in answer.hits]),
        latency_ms=round((time.perf_counter() - started) * 1000, 1),
        answer=answer.text,
        abstained=answer.abstained,
        citations=tuple(c.as_dict() for c in answer.citations),
        timings_ms={k: round(v, 1) for k, v in answer.timings_ms.items()},
        checks=dict(answer.checks),
    )


def answer_case(assistant: Assistant, case: Case, filters: Filters) -> Outcome:
    """Replay the case's turns in order (as `answer_item` does) and keep the last answer."""
    turns = case.turns or [case.question]
    history: list[Turn] = []
    for turn in turns[:-1]:
        history.append(Turn(turn, assistant.answer(turn, history, filters).text))
    started = time.perf_counter()
    return _outcome(assistant.answer(turns[-1], history, filters), started)


def retrieve_case(assistant: Assistant, case: Case, filters: Filters) -> Outcome:
    """Only the retrieval `Assistant.answer` would run for the last turn: rewrite, understand,
    search. The rewrite reads earlier questions only, so no earlier turn needs answering."""
    started = time.perf_counter()
    limit = assistant.settings.max_question_chars
    turns = [clean_question(turn, limit) for turn in case.turns or [case.question]]
    query = understand(rewrite(turns[-1], turns[:-1], assistant.lexicon), assistant.lexicon)
    resolved = assistant.resolve_filters(filters)
    hits, _, timings = assistant.retriever.search(query, assistant.settings.top_k, resolved)
    return Outcome(
        sections=ranked_sections([hit.chunk.section for hit in hits]),
        latency_ms=round((time.perf_counter() - started) * 1000, 1),
        timings_ms={k: round(v, 1) for k, v in timings.items()},
    )


def run_cases(
    assistant: Assistant, cases: Sequence[Case], filters: Filters, retrieval_only: bool
) -> list[dict[str, Any]]:
    """Score every case; an assistant error is recorded on its row and the run goes on."""
    run = retrieve_case if retrieval_only else answer_case
    sources = {doc: assistant.source(doc) for doc in assistant.catalog.meta["documents"]}
    rows = []
    for case in cases:
        try:
            outcome = run(assistant, case, filters)
        except AssistantError as exc:
            answer = None if retrieval_only else ""
            outcome = Outcome(sections=(), latency_ms=0.0, answer=answer, error=str(exc))
        rows.append(case_row(case, outcome, score_case(case, outcome, sources)))
    return rows


def fingerprint(assistant: Assistant, settings: Settings) -> dict[str, Any]:
    """What the run's numbers depend on: the index, the answering settings, the code version."""
    names = _FINGERPRINTED + (_FINGERPRINTED_LLM if settings.answerer == "llm" else ())
    values = {name: getattr(settings, name) for name in names}
    digest = json.dumps([assistant.catalog.fingerprint, values], sort_keys=True, default=str)
    return {
        "id": hashlib.sha256(digest.encode()).hexdigest()[:12],
        "index": assistant.catalog.fingerprint,
        "settings": values,
        "git_commit": _git_commit(),
    }


def _git_commit() -> str | None:
    # Read-only: rev-parse never touches the index or the work tree.
    try:
        done = subprocess.run(
            ["git", "-C", str(PROJECT_ROOT), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and commit else None


def new_run_dir(base: Path) -> Path:
    """A fresh `<base>/<UTC time>` folder; a suffix keeps two runs in one second apart."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    run_dir, n = base / stamp, 1
    while run_dir.exists():
        n += 1
        run_dir = base / f"{stamp}-{n}"
    run_dir.mkdir(parents=True)
    return run_dir


def write_run(run_dir: Path, rows: Sequence[Mapping[str, Any]], summary: Mapping[str, Any]) -> None:
    """Save cases.jsonl, summary.json, report.md and metrics.png into the run folder."""
    lines = [json.dumps(row, ensure_ascii=False) for row in rows]
    (run_dir / "cases.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    text = json.dumps(summary, ensure_ascii=False, indent=1)
    (run_dir / "summary.json").write_text(text + "\n", encoding="utf-8")
    write_markdown(run_dir / "report.md", summary, rows)
    write_chart(run_dir / "metrics.png", summary)


def run_command(
    args: argparse.Namespace,
    settings: Settings,
    build: Callable[[Settings], Assistant] = build_assistant,
) -> int:
    """The `eval` subcommand: --check, --compare, or a scored run with its gate.

    `build` makes the assistant from the run's settings; tests pass one already built.
    """
    try:
        if args.compare:
            print(compare_runs(Path(args.compare[0]), Path(args.compare[1])))
            return 0
        cases = load_cases(args.cases or CASES_FILE)
    except (OSError, ValueError) as exc:  # a missing run or cases file, a bad JSON line
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.check:
        return _check(cases, settings)
    if args.answerer:
        settings = settings.model_copy(update={"answerer": args.answerer})
    return _run(args, settings, cases, build)


def _check(cases: Sequence[Case], settings: Settings) -> int:
    files, errors = discover([settings.reports_dir])
    sections = [section for path in files for section in parse_file(path)]
    problems = [*errors, *check_cases(cases, sections)]
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(
        f"OK: {len(cases)} cases checked against {len(sections)} sections of {len(files)} reports"
    )
    return 0


def _run(
    args: argparse.Namespace,
    settings: Settings,
    cases: Sequence[Case],
    build: Callable[[Settings], Assistant],
) -> int:
    started = time.perf_counter()
    assistant = build(settings)
    filters = assistant.resolve_filters(_filters(args))
    chosen = [
        case
        for case in select_cases(cases, args.kind or (), args.split)
        if not filters.documents or case.document in (None, *filters.documents)
    ]
    if not chosen:
        print("no eval cases match the --kind/--split/--document options; nothing to score")
        return 1
    rows = run_cases(assistant, chosen, filters, args.retrieval_only)
    summary = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "mode": "retrieval-only" if args.retrieval_only else "answer",
        "cases_file": str(args.cases or CASES_FILE),
        "selection": {"kind": args.kind or [], "split": args.split, **asdict(filters)},
        "fingerprint": fingerprint(assistant, settings),
        **summarise(rows),
    }
    checks = gate(summary["overall"], settings, args.retrieval_only)
    summary["gate"] = [{**asdict(check), "status": check.status} for check in checks]
    summary["seconds"] = round(time.perf_counter() - started, 1)
    run_dir = new_run_dir(args.out or RUNS_DIR)
    write_run(run_dir, rows, summary)
    print(summary_text(summary))
    print(gate_table(summary["gate"]))
    print(f"run saved in {run_dir}")
    return 0 if args.no_gate or gate_passed(checks) else 1


def _filters(args: argparse.Namespace) -> Filters:
    return Filters(
        documents=tuple(args.document or ()),
        units=tuple(args.unit or ()),
        themes=tuple(args.theme or ()),
    )
