"""Grow the corpus synthetically and measure ingest, disk, memory and query latency at each size.

Copies of the two bundled reports under distinct document ids (so distinct chunk ids) are written
to a temporary folder: 1, 10, 50, 200 reports (~100 MB at 200). Embedding 200 reports with the
real model would take hours on two cores, so ingestion REPLAYS vectors: the copies have exactly
the chunk and sentence texts of the originals, whose vectors come from a real index built once
with the real model (`--source-index`, built if missing). Query latency always uses the real
embedder. Embedded mode and server mode (a `chroma run` on 127.0.0.1) are both measured.

Usage: python benchmarks/scale.py [--max-reports N] [--sizes 1,10,50,200] [--no-server]
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

import psutil  # noqa: E402
from helpers_chroma import ChromaServer, ReplayEncoder  # noqa: E402

from assistant.lexicon import build_lexicon  # noqa: E402
from assistant.retrieve import Retriever  # noqa: E402
from assistant.service import Assistant  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from index.catalog import load_catalog  # noqa: E402
from index.embed import Embedder  # noqa: E402
from index.ingest import Ingestor  # noqa: E402
from index.store import ChunkStore, connect  # noqa: E402

REPORTS = sorted((ROOT / "data" / "reports").iterdir())


def questions(n: int = 30) -> list[str]:
    """The first n single-turn questions of the eval set."""
    out = []
    for line in (ROOT / "eval" / "cases.jsonl").read_text("utf-8").splitlines():
        case = json.loads(line)
        if not case.get("turns"):
            out.append(case["question"])
    return out[:n]


def source_index(path: Path, model: str) -> Path:
    """A real index of the two reports (built with the real model when it is not there yet)."""
    try:
        load_catalog(path)
        return path
    except Exception:
        print(f"building the source index in {path} with the real model (minutes) ...", flush=True)
    store = ChunkStore(connect(path), Settings().collection, str(path))
    Ingestor(store, path, lambda: Embedder(model)).run(REPORTS, model)
    return path


def write_corpus(folder: Path, n: int) -> int:
    """n report files: copies of the two reports under distinct names; total bytes."""
    folder.mkdir(parents=True)
    total = 0
    for i in range(n):
        original = REPORTS[i % len(REPORTS)]
        target = folder / f"{original.stem}-copy{i:03d}{original.suffix}"
        shutil.copyfile(original, target)
        total += target.stat().st_size
    return total


def du(path: Path) -> int:
    """Bytes on disk under path (symlinks not followed)."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(
    corpus: Path, data: Path, replay: ReplayEncoder, embedder: Embedder, model: str, url: str
) -> dict[str, float]:
    """Ingest corpus into data (embedded, or the server at url), then time questions."""
    where = url or str(data / "chroma")
    store = ChunkStore(connect(data, url), Settings().collection, where)
    started = time.perf_counter()
    summary = Ingestor(store, data, lambda: replay).run([corpus], model)
    seconds = time.perf_counter() - started
    gc.collect()
    process = psutil.Process()
    before = process.memory_info().rss
    catalog = load_catalog(data)
    loaded = process.memory_info().rss
    assistant = Assistant(
        catalog,
        Retriever(catalog, store, embedder),
        build_lexicon(catalog.chunks, list(catalog.meta["documents"])),
        Settings(data_dir=data),
    )
    asked = questions()
    for q in asked[:5]:  # warm-up
        assistant.answer(q)
    times = []
    for q in asked:
        t0 = time.perf_counter()
        assistant.answer(q)
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "chunks": summary.chunks,
        "ingest_s": seconds,
        "chunks_per_s": summary.chunks / seconds,
        "disk_mb": du(data) / 1e6,
        "catalog_mb": (loaded - before) / 1e6,
        "p50_ms": statistics.median(times),
        "p95_ms": percentile(times, 0.95),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-reports", type=int, default=200)
    parser.add_argument("--sizes", default="1,10,50,200")
    parser.add_argument("--no-server", action="store_true", help="embedded mode only")
    parser.add_argument("--source-index", type=Path, default=ROOT / ".data")
    args = parser.parse_args()
    model = Settings().embed_model
    sizes = [n for n in map(int, args.sizes.split(",")) if n <= args.max_reports]
    source = load_catalog(source_index(args.source_index, model))
    embedder = Embedder(model)
    replay = ReplayEncoder(source, model, embedder)
    print("vectors REPLAYED from a real index of the two reports (copies have identical text);")
    print("query latency measured with the real embedder, warm, over 30 eval questions\n")
    header = (
        f"{'mode':8} {'reports':>7} {'MB in':>6} {'chunks':>7} {'ingest s':>8} {'chunks/s':>8} "
    )
    header += f"{'disk MB':>7} {'catalog RSS MB':>14} {'p50 ms':>7} {'p95 ms':>7}"
    print(header, flush=True)
    rows = []
    with tempfile.TemporaryDirectory(prefix="osce-scale-") as tmp:
        for n in sizes:
            corpus = Path(tmp) / f"corpus-{n}"
            size = write_corpus(corpus, n)
            modes = [("embedded", "")]
            server = None
            if not args.no_server:
                server = ChromaServer(Path(tmp) / f"chroma-{n}").start()
                modes.append(("server", server.url))
            try:
                for mode, url in modes:
                    r = measure(
                        corpus, Path(tmp) / f"data-{mode}-{n}", replay, embedder, model, url
                    )
                    rows.append((mode, n, r))
                    print(
                        f"{mode:8} {n:7d} {size / 1e6:6.1f} {r['chunks']:7.0f} "
                        f"{r['ingest_s']:8.1f} "
                        f"{r['chunks_per_s']:8.0f} {r['disk_mb']:7.1f} {r['catalog_mb']:14.1f} "
                        f"{r['p50_ms']:7.0f} {r['p95_ms']:7.0f}",
                        flush=True,
                    )
            finally:
                if server is not None:
                    server.stop()
            shutil.rmtree(corpus, ignore_errors=True)
    base = {m: r["p50_ms"] for m, n, r in rows if n == min(sizes)}
    for mode, n, r in rows:
        if n != min(sizes) and r["p50_ms"] > 3 * base[mode]:
            print(
                f"note: {mode} p50 at {n} reports is "
                f"{r['p50_ms'] / base[mode]:.1f}x that at {min(sizes)}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
