"""Ingest benchmark: both reports from scratch, an unchanged re-ingest, chunks/s, peak memory.

Prints figures; asserts nothing. Run: .venv/bin/python benchmarks/ingest.py
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.commands import build_ingestor
from assistant.settings import Settings


def main() -> None:
    """Time a cold ingest (model load included) and an unchanged one, in a fresh folder."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        started = time.perf_counter()
        cold = build_ingestor(settings).run([settings.reports_dir], settings.embed_model)
        cold_s = time.perf_counter() - started
        started = time.perf_counter()
        warm = build_ingestor(settings).run([settings.reports_dir], settings.embed_model)
        warm_s = time.perf_counter() - started
        size = sum(f.stat().st_size for f in Path(tmp).rglob("*") if f.is_file())
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents            {cold.documents}")
    print(f"sections / chunks    {cold.sections} / {cold.chunks}")
    print(f"full ingest          {cold_s:6.1f} s   (target < 60 s, model load included)")
    print(f"chunks per second    {cold.chunks / cold_s:6.1f}")
    print(f"unchanged re-ingest  {warm_s:6.1f} s   (target < 5 s; embedded {warm.added})")
    print(f"index on disk        {size / 1e6:6.1f} MB")
    print(f"peak RSS             {peak_mb:6.0f} MB  (target < 2048 MB)")


if __name__ == "__main__":
    main()
