"""Faults: ingest killed with SIGKILL, damaged or missing index, disk full, reading while writing.

Real parts throughout: the `osce-assistant` console script in subprocesses, embedded Chroma on
disk, a real tmpfs for "disk full". Plumbing tests use the sha256 HashEmbedder (vectors carry no
meaning, so they prove consistency, not retrieval quality).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from conftest import FIXTURES, MODEL, REPORTS, HashEmbedder

from assistant.lexicon import build_lexicon
from assistant.retrieve import Retriever
from assistant.service import Assistant
from assistant.settings import Settings
from index.catalog import load_catalog
from index.chunk import chunk_sections
from index.errors import IndexError_
from index.ingest import Ingestor, read_report
from index.parse import parse_report
from index.store import ChunkStore, connect

CLI = Path(sys.executable).parent / "osce-assistant"
ODIHR = REPORTS / "odihr-annual-report-2019-part-2.txt"
TINY = FIXTURES / "tiny-report.md"


def cli(data_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the console script with its data folder in data_dir."""
    env = {**os.environ, "OSCE_ASSISTANT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"}
    return subprocess.run(
        [str(CLI), *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def hash_index(data_dir: Path, paths: list[Path], embedder: HashEmbedder | None = None) -> Ingestor:
    """Ingest paths with the hash embedder, under the real model's name (so the CLI accepts it)."""
    store = ChunkStore(connect(data_dir), Settings().collection, str(data_dir))
    ingestor = Ingestor(store, data_dir, lambda: embedder or HashEmbedder())
    summary = ingestor.run(paths, MODEL)
    assert not summary.failed, summary.failed
    return ingestor


def chroma_ids(data_dir: Path) -> list[str]:
    """Every id in the embedded Chroma collection, read in a fresh subprocess (no client cache)."""
    code = textwrap.dedent(
        f"""
        import json, chromadb
        from chromadb.config import Settings
        client = chromadb.PersistentClient(path={str(data_dir / "chroma")!r},
                                           settings=Settings(anonymized_telemetry=False))
        names = [c.name for c in client.list_collections()]
        ids = client.get_collection("osce_reports").get(include=[])["ids"] if names else []
        print(json.dumps(ids))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


def expected_chunk_ids(paths: list[Path]) -> list[str]:
    """Chunk ids a clean ingest of these files makes (parse and chunk are pure)."""
    ids = []
    for path in paths:
        ids += [c.id for c in chunk_sections(parse_report(path.stem, read_report(path)).sections)]
    return ids


def assert_one_line_error(result: subprocess.CompletedProcess[str], must_name: str) -> None:
    """Exit 1, a single `error: ...` line on stderr naming what to do, no traceback."""
    assert result.returncode == 1, f"expected exit 1, got {result.returncode}: {result.stderr}"
    assert "Traceback" not in result.stderr, (
        f"a person should never see a traceback:\n{result.stderr}"
    )
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"the error should be one line, got {len(lines)}:\n{result.stderr}"
    assert lines[0].startswith("error: "), lines[0]
    assert must_name in lines[0], f"the error should say to {must_name!r}: {lines[0]}"


# ---------------------------------------------------------------- SIGKILL during ingest


@pytest.mark.slow
def test_sigkill_at_random_points_then_rerun_leaves_a_clean_index(tmp_path: Path) -> None:
    """Real CLI ingest killed 3 times after random delays; the rerun gives exactly a clean index."""
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(TINY, folder)
    shutil.copy(ODIHR, folder)
    data = tmp_path / "data"
    env = {**os.environ, "OSCE_ASSISTANT_DATA_DIR": str(data), "HF_HUB_OFFLINE": "1"}
    seed = int(os.environ.get("FAULT_SEED", random.randrange(10**6)))
    rng = random.Random(seed)
    killed_at = []
    for _ in range(3):
        delay = rng.uniform(1.0, 25.0)
        proc = subprocess.Popen(
            [str(CLI), "ingest", "--quiet", str(folder)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            killed_at.append(round(delay, 1))
    print(f"seed {seed}: killed after {killed_at} s")
    done = cli(data, "ingest", "--quiet", str(folder), timeout=600)
    assert done.returncode == 0, f"the rerun after kills must succeed (seed {seed}):\n{done.stderr}"
    catalog = load_catalog(data)
    ids = [c.id for c in catalog.chunks]
    expected = expected_chunk_ids([TINY, ODIHR])
    assert len(ids) == len(set(ids)), f"duplicate chunks in the catalog (seed {seed})"
    assert sorted(ids) == sorted(expected), f"not the chunks of a clean ingest (seed {seed})"
    stored = chroma_ids(data)
    assert len(stored) == len(set(stored))
    assert set(stored) == set(ids), (
        f"Chroma must hold exactly the catalog's chunks (seed {seed}): "
        f"{len(set(stored) - set(ids))} orphans, {len(set(ids) - set(stored))} missing"
    )


_KILL_SCRIPT = """
import os, signal, sys
sys.path.insert(0, {tests!r})
from pathlib import Path
from conftest import HashEmbedder, MODEL
import index.catalog, index.ingest, index.store
point = {point!r}

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def wrap(owner, name, before):
    real = getattr(owner, name)
    def hooked(*args, **kwargs):
        if before:
            die()
        out = real(*args, **kwargs)
        die()
        return out
    setattr(owner, name, hooked)

if point == "after-store-add":
    wrap(index.store.ChunkStore, "add", before=False)
elif point == "before-switch":
    wrap(index.catalog, "_switch", before=True)
elif point == "after-switch":
    wrap(index.catalog, "_switch", before=False)
elif point == "during-delete":
    wrap(index.store.ChunkStore, "delete", before=True)
data = Path({data!r})
store = index.store.ChunkStore(index.store.connect(data), "osce_reports", str(data))
ingestor = index.ingest.Ingestor(store, data, lambda: HashEmbedder())
ingestor.run([Path(p) for p in {paths!r}], MODEL)
print("finished without being killed")
"""


def _tiny_index(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A reports folder holding the tiny report, indexed: (folder, report, data folder)."""
    folder = tmp_path / "reports"
    folder.mkdir()
    report = folder / "tiny-report.md"
    shutil.copy(TINY, report)
    data = tmp_path / "data"
    hash_index(data, [folder])
    return folder, report, data


@pytest.mark.parametrize(
    "point", ["after-store-add", "before-switch", "after-switch", "during-delete"]
)
def test_kill_at_each_write_step_keeps_readers_consistent(tmp_path: Path, point: str) -> None:
    """SIGKILL at each step of the write order; the index stays readable and the rerun cleans up."""
    folder, report, data = _tiny_index(tmp_path)
    before = {c.id for c in load_catalog(data).chunks}
    # change the report (stale chunks to delete) and add a second one (new chunks to add)
    report.write_text(TINY.read_text("utf-8").replace("120 joint patrols", "121 joint patrols"))
    shutil.copy(ODIHR, folder)
    script = _KILL_SCRIPT.format(
        tests=str(Path(__file__).parent), point=point, data=str(data), paths=[str(folder)]
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == -signal.SIGKILL, (
        f"the hook should have killed it: {run.stderr[-2000:]}"
    )
    catalog = load_catalog(data)  # must load: a killed ingest never leaves a half-written catalog
    now = {c.id for c in catalog.chunks}
    after = set(expected_chunk_ids(sorted(folder.iterdir())))
    assert now in (before, after), "the catalog must be the old version or the new one, whole"
    stored = set(chroma_ids(data))
    assert now <= stored, "every chunk a reader can find in the catalog must have its vector"
    hash_index(data, [folder])
    final = {c.id for c in load_catalog(data).chunks}
    assert final == after
    assert set(chroma_ids(data)) == final, "the rerun must remove orphans a killed run left behind"


# ---------------------------------------------------------------- damaged or missing index


def _damage(data: Path, how: str) -> None:
    current = (data / "catalog").resolve()
    if how == "data-folder-deleted":
        shutil.rmtree(data)
    elif how == "catalog-link-deleted":
        (data / "catalog").unlink()
    elif how == "meta-garbage":
        (current / "meta.json").write_text("{not json", "utf-8")
    elif how == "chunks-truncated":
        text = (current / "chunks.jsonl").read_text("utf-8")
        (current / "chunks.jsonl").write_text(text[: len(text) // 2], "utf-8")
    elif how == "vectors-garbage":
        (current / "chunks.npy").write_bytes(b"\x93NUMPY garbage")
    elif how == "bm25-deleted":
        shutil.rmtree(current / "bm25")
    elif how == "source-deleted":
        shutil.rmtree(current / "docs")
    elif how == "chroma-deleted":
        shutil.rmtree(data / "chroma")


@pytest.fixture(scope="module")
def base_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("base") / "data"
    hash_index(data, [TINY])
    ok = cli(data, "stats")
    assert ok.returncode == 0, (
        f"the undamaged index must work, else the damage proves nothing: {ok.stderr}"
    )
    return data


DAMAGES = [
    "data-folder-deleted",
    "catalog-link-deleted",
    "meta-garbage",
    "chunks-truncated",
    "vectors-garbage",
    "bm25-deleted",
    "chroma-deleted",
]


@pytest.mark.parametrize("how", DAMAGES)
def test_damaged_index_gives_one_line_error_naming_ingest(
    base_index: Path, tmp_path: Path, how: str
) -> None:
    """`ask` on a deleted or corrupted index: exit 1, one line, tells you to run ingest."""
    data = tmp_path / "data"
    shutil.copytree(base_index, data, symlinks=True)
    _damage(data, how)
    assert_one_line_error(cli(data, "ask", "How many joint patrols?"), "osce-assistant ingest")


def test_deleted_sources_give_a_clear_error(base_index: Path, tmp_path: Path) -> None:
    """The report text kept with the catalog is missing: a clear index error, not a crash."""
    data = tmp_path / "data"
    shutil.copytree(base_index, data, symlinks=True)
    _damage(data, "source-deleted")
    with pytest.raises(IndexError_, match="osce-assistant ingest"):
        hash_assistant(data).answer("How many joint patrols did the harbour police carry out?")


def test_corrupted_catalog_heals_on_ingest(base_index: Path, tmp_path: Path) -> None:
    """A plain `ingest` over a corrupted catalog rebuilds it rather than failing forever."""
    data = tmp_path / "data"
    shutil.copytree(base_index, data, symlinks=True)
    _damage(data, "meta-garbage")
    hash_index(data, [TINY])
    assert len(load_catalog(data).chunks) == len(expected_chunk_ids([TINY]))


# ---------------------------------------------------------------- disk full (a real tmpfs)


@pytest.fixture
def tiny_disk(tmp_path: Path):  # type: ignore[no-untyped-def]
    """An 8 MB tmpfs mounted for this test (needs root; skipped otherwise)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _fill(mount: Path, leave: int) -> None:
    """Fill the file system until only `leave` bytes are free."""
    stat = os.statvfs(mount)
    free = stat.f_bavail * stat.f_frsize
    with (mount / "filler").open("wb") as out:
        out.write(b"\0" * max(0, free - leave))


def _disk_full_ingest(
    disk: Path, leave: int
) -> tuple[subprocess.CompletedProcess[str], Path, set[str]]:
    data = disk / "data"
    hash_index(data, [TINY])
    before_folder = (data / "catalog").resolve()
    before = {c.id for c in load_catalog(data).chunks}
    _fill(disk, leave)
    return cli(data, "ingest", "--quiet", str(TINY)), before_folder, before


def test_disk_full_at_chroma_gives_clear_error_and_keeps_index(tiny_disk: Path) -> None:
    """No byte free: Chroma cannot write; one-line error, the earlier index still loads."""
    result, folder, before = _disk_full_ingest(tiny_disk, leave=0)
    assert_one_line_error(result, "Chroma store")
    data = tiny_disk / "data"
    assert (data / "catalog").resolve() == folder, "the current catalog must not change"
    assert {c.id for c in load_catalog(data).chunks} == before


def test_disk_full_at_catalog_keeps_earlier_index(tiny_disk: Path) -> None:
    """16 KB free: Chroma opens, the catalog write fails; the earlier catalog is still current."""
    result, folder, before = _disk_full_ingest(tiny_disk, leave=16384)
    assert result.returncode != 0, "a failed write must not report success"
    data = tiny_disk / "data"
    assert (data / "catalog").resolve() == folder, "the current catalog must not change"
    assert {c.id for c in load_catalog(data).chunks} == before
    (tiny_disk / "filler").unlink()  # opening Chroma needs a few bytes of its own
    assert set(chroma_ids(data)) >= before, "the earlier vectors must still be in Chroma"


def test_disk_full_at_catalog_gives_one_line_error(tiny_disk: Path) -> None:
    """16 KB free: the catalog write fails with ENOSPC; the CLI should say so in one line."""
    result, _, _ = _disk_full_ingest(tiny_disk, leave=16384)
    assert_one_line_error(result, "No space left")


# ---------------------------------------------------------------- reading while ingest writes


class SlowHashEmbedder(HashEmbedder):
    """The hash embedder, slowed down so an ingest stays in flight while questions arrive."""

    def embed(self, texts: list[str]) -> np.ndarray:
        time.sleep(0.05)
        return super().embed(texts)


def hash_assistant(data: Path) -> Assistant:
    """An assistant over the current catalog with the hash embedder (wired by constructors)."""
    catalog = load_catalog(data)
    store = ChunkStore(connect(data), Settings().collection, str(data))
    retriever = Retriever(catalog, store, HashEmbedder())
    lexicon = build_lexicon(catalog.chunks, list(catalog.meta["documents"]))
    return Assistant(catalog, retriever, lexicon, Settings(data_dir=data))


def test_questions_during_ingest_come_from_a_consistent_index(tmp_path: Path) -> None:
    """While a re-ingest runs in a thread, fresh assistants keep answering from whole versions."""
    folder, report, data = _tiny_index(tmp_path)
    report.write_text(TINY.read_text("utf-8").replace("120 joint patrols", "121 joint patrols"))
    shutil.copy(ODIHR, folder)
    errors: list[BaseException] = []

    def ingest() -> None:
        try:
            hash_index(data, [folder], SlowHashEmbedder())
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    writer = threading.Thread(target=ingest)
    writer.start()
    answered, deadline = 0, time.monotonic() + 90
    while (writer.is_alive() or answered == 0) and answered < 200 and time.monotonic() < deadline:
        assistant = hash_assistant(data)
        answer = assistant.answer("How many joint patrols did the harbour police carry out?")
        known = {c.id for c in assistant.catalog.chunks}
        for citation in answer.citations:
            assert citation.chunk_id in known, "a citation from outside the loaded catalog"
            assert citation.quote in assistant.source(citation.document), "quote not verbatim"
        assert answer.citations or answer.abstained
        answered += 1
    writer.join(timeout=60)
    assert not errors, errors
    assert answered >= 2, "questions must be answered while the ingest runs"
    assert "121 joint patrols" in hash_assistant(data).source("tiny-report")


def test_two_ingests_in_the_same_second(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long-running process (the UI) may ingest twice in a second; both must succeed."""
    import index.catalog

    class FrozenClock:
        """Same wall-clock second for every call, so the collision is deterministic."""

        @staticmethod
        def strftime(fmt: str) -> str:
            return "20260101-000000"

    monkeypatch.setattr(index.catalog, "time", FrozenClock)
    hash_index(tmp_path / "data", [TINY])
    hash_index(tmp_path / "data", [TINY])


def test_long_running_assistant_survives_two_ingests(tmp_path: Path) -> None:
    """The UI builds its assistant once; ingests after that must not break its next answer."""
    data = tmp_path / "data"
    hash_index(data, [TINY])
    assistant = hash_assistant(data)
    for _ in range(2):
        time.sleep(1.1)  # a new catalog folder name (see the same-second bug above)
        hash_index(data, [TINY])
    answer = assistant.answer("How many joint patrols did the harbour police carry out?")
    assert answer.citations
