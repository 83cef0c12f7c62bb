"""Ingestion end to end on a real Chroma in tmp_path: incremental, bad input, stable ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from index.catalog import load_catalog
from index.errors import IndexMismatchError, ReportError
from index.ingest import Ingestor, discover, read_report
from index.store import ChunkStore, connect
from tests.conftest import REPORTS, HashEmbedder


def _ingestor(data_dir: Path, embedder: HashEmbedder) -> tuple[Ingestor, ChunkStore]:
    store = ChunkStore(connect(data_dir), "test_chunks", str(data_dir))
    return Ingestor(store, data_dir, lambda: embedder), store


@pytest.fixture
def corpus(tmp_path: Path, tiny_report: Path) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(tiny_report, folder / "tiny-report.md")
    shutil.copy(REPORTS / "odihr-annual-report-2019-part-2.txt", folder / "odihr.txt")
    return folder


def test_incremental_ingest_embeds_only_what_changed(tmp_path: Path, corpus: Path) -> None:
    embedder = HashEmbedder()
    ingestor, store = _ingestor(tmp_path / "data", embedder)
    first = ingestor.run([corpus], embedder.name)
    assert first.added == first.chunks > 0 and not first.failed
    calls = embedder.calls
    again = ingestor.run([corpus], embedder.name)
    assert again.added == 0 and again.skipped == first.chunks
    assert embedder.calls == calls, "an unchanged re-ingest must embed nothing"
    report = corpus / "tiny-report.md"
    report.write_text(report.read_text().replace("35 participants", "36 participants"))
    changed = ingestor.run([corpus], embedder.name)
    assert 0 < changed.added < first.chunks and changed.removed == changed.added
    assert store.count() == changed.chunks, "a changed report leaves no orphans"
    (corpus / "odihr.txt").unlink()
    removed = ingestor.run([corpus], embedder.name)
    assert removed.documents == 1 and store.count() == removed.chunks
    assert {c.document for c in load_catalog(tmp_path / "data").chunks} == {"tiny-report"}


def test_chunk_ids_are_stable_across_two_ingests(tmp_path: Path, corpus: Path) -> None:
    ids = []
    for name in ("a", "b"):
        embedder = HashEmbedder()
        ingestor, _ = _ingestor(tmp_path / name, embedder)
        ingestor.run([corpus], embedder.name)
        ids.append([c.id for c in load_catalog(tmp_path / name).chunks])
    assert ids[0] == ids[1] and len(set(ids[0])) == len(ids[0])


def test_bad_files_get_one_line_errors_and_the_rest_ingests(tmp_path: Path, corpus: Path) -> None:
    (corpus / "empty.md").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PK")
    (corpus / "latin1.txt").write_bytes("Caf\xe9 de la police".encode("latin-1"))
    (corpus / "image.png").write_bytes(b"\x89PNG")
    embedder = HashEmbedder()
    ingestor, _ = _ingestor(tmp_path / "data", embedder)
    summary = ingestor.run([corpus, tmp_path / "missing.md"], embedder.name)
    assert summary.documents == 2, "the good reports still ingest"
    reasons = "\n".join(summary.failed)
    for name, why in [
        ("empty.md", "empty file"),
        ("binary.txt", "binary"),
        ("latin1.txt", "not UTF-8"),
        ("image.png", "not a text report"),
        ("missing.md", "no such file"),
    ]:
        assert name in reasons and why in reasons, f"{name} should fail with '{why}'"
    assert all("\n" not in line for line in summary.failed)


def test_read_report_rejects_what_is_not_a_report(tmp_path: Path) -> None:
    path = tmp_path / "x.md"
    path.write_bytes(b"   \n\n")
    with pytest.raises(ReportError, match="empty file"):
        read_report(path)
    path.write_bytes("Résumé\r\nline".encode())
    assert read_report(path) == "Résumé\nline"


def test_symlinks_out_of_the_folder_are_not_followed(tmp_path: Path, corpus: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text("# Secret\n\nNot for the index.\n")
    (corpus / "link.md").symlink_to(outside)
    files, errors = discover([corpus])
    assert outside not in [f.resolve() for f in files]
    assert any("symlink points outside" in e for e in errors)


def test_an_index_built_with_another_model_is_refused(tmp_path: Path, corpus: Path) -> None:
    embedder = HashEmbedder()
    ingestor, _ = _ingestor(tmp_path / "data", embedder)
    ingestor.run([corpus], embedder.name)
    with pytest.raises(IndexMismatchError, match="ingest --rebuild"):
        ingestor.run([corpus], "another-model")
    rebuilt = ingestor.run([corpus], "another-model", rebuild=True)
    assert rebuilt.added == rebuilt.chunks > 0
