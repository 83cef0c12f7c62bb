"""Concurrent conversations: through the running web app (--web), or one Assistant in threads.

Each conversation asks about one field operation, then a follow-up with no operation named
("what about its budget?"); the follow-up must be answered from its own operation's sections
(no conversation mixing). With --web the real Gradio app is launched on 127.0.0.1 and every
conversation is its own gradio_client session, so the history is the app's. Bounded: N
conversations, a time cap, loopback only.

Usage: python benchmarks/load.py [--web] [--conversations 20] [--workers 20] [--data-dir DIR]
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


def converse_web(url: str, operation: str) -> tuple[list[float], bool, str]:
    """The same two turns through the web app's /chat endpoint, one client session each."""
    import re

    from gradio_client import Client

    client = Client(url, verbose=False)
    first = f"what did the mission in {operation} do on gender mainstreaming?"
    t0 = time.perf_counter()
    client.predict(first, [], [], api_name="/chat")
    t1 = time.perf_counter()
    text, sources, _ = client.predict("what about its budget?", [], [], api_name="/chat")
    t2 = time.perf_counter()
    found = re.findall(r'<span class="source-section">([^<]*)</span>', sources)
    units = {f.split(" · ")[0].replace("&gt;", ">").split(" > ")[0] for f in found}
    own = bool(units) and all(operation.lower() in u.lower() for u in units)
    refused = "No cited answer" in text or "do not say" in text
    return [(t1 - t0) * 1000, (t2 - t1) * 1000], own or refused, ", ".join(sorted(units))


def _start_web(settings: Settings):  # type: ignore[no-untyped-def]
    import os
    import socket

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    from ui.app import build_app, launch

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = int(sock.getsockname()[1])
    settings = settings.model_copy(update={"ui_host": "127.0.0.1", "ui_port": port})
    demo = build_app(build_assistant(settings), settings)
    return demo, launch(demo, settings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--conversations", type=int, default=20)
    parser.add_argument("--workers", type=int, default=20)
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--cap-s", type=float, default=600)
    parser.add_argument("--web", action="store_true", help="through the running web app")
    args = parser.parse_args()
    settings = Settings() if args.data_dir is None else Settings(data_dir=args.data_dir)
    demo = None
    if args.web:
        demo, url = _start_web(settings)
        print(f"load against the web app at {url} (gradio_client, one session per conversation)")
        target, talk = url, converse_web
    else:
        print("load against Assistant in threads (not the web app)")
        target, talk = build_assistant(settings), converse
    latencies, mixed, errors = [], [], 0
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=args.workers) as pool:
        jobs = {
            pool.submit(talk, target, OPERATIONS[i % len(OPERATIONS)]): i
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
    if demo is not None:
        demo.close()
    return 1 if errors or mixed else 0


if __name__ == "__main__":
    raise SystemExit(main())
