"""Query benchmark: warm p50/p95 per stage over the eval questions, model load, memory.

Prints figures; asserts nothing. Needs an index (`osce-assistant ingest`).
Run: .venv/bin/python benchmarks/query.py
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.service import build_assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from eval.cases import load_cases  # noqa: E402
from eval.metrics import percentile  # noqa: E402


def main() -> None:
    """Answer every eval question twice (the second pass is measured) and print percentiles."""
    started = time.perf_counter()
    assistant = build_assistant(Settings())
    load_s = time.perf_counter() - started
    questions = [c.question for c in load_cases(ROOT / "eval" / "cases.jsonl")]
    for question in questions[:20]:
        assistant.answer(question)
    stages: dict[str, list[float]] = {"embed": [], "retrieve": [], "answer": [], "total": []}
    for question in questions:
        timings = assistant.answer(question).timings_ms
        for stage in stages:
            stages[stage].append(timings.get(stage, 0.0))
    print(f"model + index load   {load_s:6.1f} s   (target < 10 s)")
    print(f"questions            {len(questions)}")
    for stage, values in stages.items():
        print(
            f"{stage:<20} p50 {percentile(values, 50):7.1f} ms   p95 {percentile(values, 95):7.1f} ms"
        )
    print("targets: total p50 < 300 ms, p95 < 800 ms ('retrieve' includes 'embed')")
    print(
        f"peak RSS             {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:6.0f} MB"
    )


if __name__ == "__main__":
    main()
