"""Concurrent conversations against one Assistant in threads (what the UI's ChatHandler calls).

NOT through the web app: ui/app.py exists, but driving its /chat endpoint with history through
gradio_client is not done here yet. Each conversation asks about one field operation, then a
follow-up with no operation named ("what about its budget?"); the follow-up must be answered from
its own operation's sections (no conversation mixing). Bounded: N conversations, a time cap.

Usage: python benchmarks/load.py [--conversations 20] [--workers 20] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.service import build_assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.types import Turn  # noqa: E402

OPERATIONS = ["Skopje", "Serbia", "Kosovo", "Moldova", "Albania", "Montenegro", "Bishkek",
              "Dushanbe", "Ashgabat", "Tashkent"]  # fmt: skip


def converse(assistant, operation: str) -> tuple[list[float], bool, str]:  # type: ignore[no-untyped-def]
    """Two turns; latencies, whether the follow-up stayed on its operation, and what it cited."""
    first = f"what did the mission in {operation} do on gender mainstreaming?"
    t0 = time.perf_counter()
    opening = assistant.answer(first)
    t1 = time.perf_counter()
    follow = assistant.answer("what about its budget?", [Turn(first, opening.text)])
    t2 = time.perf_counter()
    units = {c.section.split(" > ")[0] for c in follow.citations}
    own = bool(units) and all(operation.lower() in u.lower() for u in units)
    return [(t1 - t0) * 1000, (t2 - t1) * 1000], own or follow.abstained, ", ".join(sorted(units))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--cap-s", type=float, default=600)
    args = parser.parse_args()
    settings = Settings() if args.data_dir is None else Settings(data_dir=args.data_dir)
    assistant = build_assistant(settings)
    print("load against Assistant in threads (not the web app)")
    latencies, mixed, errors = [], [], 0
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        jobs = {
            pool.submit(converse, assistant, OPERATIONS[i % len(OPERATIONS)]): i
            for i in range(args.conversations)
        }
        for job in as_completed(jobs, timeout=args.cap_s):
            try:
                times, own, units = job.result()
            except Exception as exc:  # counted and shown, the run goes on
                errors += 1
                print(f"error: {type(exc).__name__}: {exc}")
                continue
            latencies += times
            if not own:
                mixed.append(f"{OPERATIONS[jobs[job] % len(OPERATIONS)]} -> {units}")
    wall = time.perf_counter() - started
    print(f"{args.conversations} conversations x 2 turns, {args.workers} at once, {wall:.1f} s")
    print(f"throughput {len(latencies) / wall:.2f} answers/s; errors {errors}")
    if latencies:
        ordered = sorted(latencies)
        p95 = ordered[int(0.95 * (len(ordered) - 1))]
        print(f"latency p50 {statistics.median(ordered):.0f} ms, p95 {p95:.0f} ms")
    print(f"follow-ups off their own operation: {len(mixed)}")
    for line in mixed:
        print(f"  {line}")
    return 1 if errors or mixed else 0


if __name__ == "__main__":
    raise SystemExit(main())
