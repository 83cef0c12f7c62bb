"""The local side of the index: chunk table, keyword (BM25) index, sentence vectors, records.

Written whole into a fresh folder, then switched in by replacing one symlink, so a reader
always sees one consistent version, and a killed ingest leaves the previous one in place.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from index.errors import IndexMissingError, IndexWriteError
from index.sentences import Sentence
from index.types import Chunk, Record, Section

_TOKEN = re.compile(r"[a-z0-9]+(?:[/&'-][a-z0-9]+)*")
CURRENT = "catalog"


def tokenize(text: str) -> list[str]:
    """Lower-case word tokens for BM25, keeping 'p/c', 'co-operation', and adding their parts.

    Example: "P/C VERLT co-operation" -> ["p/c", "p", "c", "verlt", "co-operation", "co", "operation"]
    """
    out: list[str] = []
    for token in _TOKEN.findall(text.lower().replace("’", "'")):
        out.append(stem(token))
        parts = re.split(r"[/&'-]", token)
        if len(parts) > 1:
            out.extend(stem(p) for p in parts if p)
    return out


def stem(token: str) -> str:
    """A light plural/suffix fold so 'trainings' meets 'training'. Example: "missions" -> "mission"."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


class Catalog:
    """A loaded catalog: chunks by id, sections, records, BM25 and sentence vectors."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.meta: dict[str, Any] = json.loads((folder / "meta.json").read_text("utf-8"))
        self.chunks: list[Chunk] = [
            _chunk(json.loads(line)) for line in _lines(folder / "chunks.jsonl")
        ]
        self.by_id = {c.id: i for i, c in enumerate(self.chunks)}
        self.sections: list[dict[str, Any]] = [
            json.loads(x) for x in _lines(folder / "sections.jsonl")
        ]
        self.records: list[Record] = [
            _record(json.loads(x)) for x in _lines(folder / "records.jsonl")
        ]
        self.sentences: list[Sentence] = [
            _sentence(json.loads(x)) for x in _lines(folder / "sentences.jsonl")
        ]
        self.sentence_vectors: np.ndarray = np.load(folder / "sentences.npy")
        self.chunk_vectors: np.ndarray = np.load(folder / "chunks.npy")
        # read now: a later ingest may remove this folder while answers still quote from it
        self.sources: dict[str, str] = {
            d: (folder / "docs" / f"{d}.txt").read_text("utf-8") for d in self.meta["documents"]
        }
        import bm25s

        self.bm25 = bm25s.BM25.load(str(folder / "bm25")) if self.chunks else None

    def chunks_of_section(self, document: str, section: str) -> list[Chunk]:
        """The chunks of one section, in reading order."""
        if not hasattr(self, "_by_section"):
            self._by_section: dict[tuple[str, str], list[Chunk]] = {}
            for chunk in self.chunks:
                self._by_section.setdefault((chunk.document, chunk.section), []).append(chunk)
        return self._by_section.get((document, section), [])

    def source(self, document: str) -> str:
        """The report's text exactly as ingested (quotes are checked against it)."""
        return self.sources[document]

    @property
    def fingerprint(self) -> str:
        """What made the vectors (model, parser, chunker)."""
        return str(self.meta.get("fingerprint", ""))

    def keyword_search(self, query: str, n: int) -> list[tuple[int, float]]:
        """(chunk index, BM25 score) best first; empty when nothing matches."""
        tokens = tokenize(query)
        if self.bm25 is None or not tokens:
            return []
        vocab = self.bm25.vocab_dict
        ids = [vocab[t] for t in tokens if t in vocab]
        if not ids:
            return []
        scores = self.bm25.get_scores(ids)
        top = np.argsort(-scores)[:n]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text("utf-8").splitlines() if line.strip()]


def _chunk(d: dict[str, Any]) -> Chunk:
    d["lines"], d["footnotes"] = tuple(d["lines"]), tuple(d["footnotes"])
    return Chunk(**d)


def _record(d: dict[str, Any]) -> Record:
    d["lines"] = tuple(d["lines"])
    return Record(**d)


def _sentence(d: dict[str, Any]) -> Sentence:
    return Sentence(d["chunk_id"], d["index"], tuple(d["raw"]), tuple(d["lines"]), d["clean"])


def section_row(section: Section) -> dict[str, Any]:
    """What the catalog keeps of a section: names, kind, lines (text comes from the source)."""
    return {
        "document": section.document,
        "path": section.path,
        "unit": section.unit,
        "theme": section.theme,
        "category": section.category,
        "kind": section.kind,
        "order": section.order,
        "lines": list(section.lines),
    }


@dataclass
class CatalogParts:
    """Everything a catalog folder holds, assembled before it is written."""

    meta: dict[str, Any]
    chunks: list[Chunk]
    chunk_vectors: np.ndarray
    sections: list[dict[str, Any]]
    records: list[Record]
    sentences: list[Sentence]
    sentence_vectors: np.ndarray
    sources: dict[str, str]


def write_catalog(data_dir: Path, parts: CatalogParts) -> Path:
    """Write a new catalog folder and switch the current link to it atomically."""
    data_dir.mkdir(parents=True, exist_ok=True)
    folder: Path | None = None
    try:
        prefix = f"catalog-{time.strftime('%Y%m%d-%H%M%S')}-"
        folder = Path(tempfile.mkdtemp(prefix=prefix, dir=data_dir))
        _write_folder(folder, parts)
        _switch(data_dir, folder)
    except OSError as exc:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)
        raise IndexWriteError(
            f"cannot write the index in {data_dir} ({exc.strerror or exc}); "
            "the previous index is unchanged"
        ) from exc
    return folder


def _write_folder(folder: Path, parts: CatalogParts) -> None:
    import bm25s

    _write_jsonl(folder / "chunks.jsonl", [asdict(c) for c in parts.chunks])
    _write_jsonl(folder / "sections.jsonl", parts.sections)
    _write_jsonl(folder / "records.jsonl", [asdict(r) for r in parts.records])
    _write_jsonl(folder / "sentences.jsonl", [asdict(s) for s in parts.sentences])
    np.save(folder / "sentences.npy", parts.sentence_vectors.astype(np.float32))
    np.save(folder / "chunks.npy", parts.chunk_vectors.astype(np.float32))
    if parts.chunks:
        bm25 = bm25s.BM25()
        bm25.index([tokenize(c.embed_text) for c in parts.chunks], show_progress=False)
        bm25.save(str(folder / "bm25"), show_progress=False)
    (folder / "docs").mkdir()
    for document, text in parts.sources.items():
        (folder / "docs" / f"{document}.txt").write_text(text, "utf-8")
    (folder / "meta.json").write_text(json.dumps(parts.meta, indent=1), "utf-8")


def _write_jsonl(path: Path, rows: list[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
        os.fsync(out.fileno())


def _switch(data_dir: Path, folder: Path) -> None:
    link = data_dir / CURRENT
    tmp = data_dir / f".{CURRENT}.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    tmp.symlink_to(folder.name)
    old = link.resolve() if link.is_symlink() else None
    os.replace(tmp, link)
    # keep the previous version for readers still loading it; drop older ones and killed runs
    for stale in data_dir.glob("catalog-*"):
        if stale not in {folder, old} and stale.is_dir():
            shutil.rmtree(stale, ignore_errors=True)


def load_catalog(data_dir: Path) -> Catalog:
    """The current catalog, or a clear error naming the command that builds it."""
    link = Path(data_dir) / CURRENT
    if not (link / "meta.json").exists():
        raise IndexMissingError(f"no index in {data_dir}; run `osce-assistant ingest`")
    try:
        return Catalog(link.resolve())
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise IndexMissingError(
            f"the index in {data_dir} is damaged ({type(exc).__name__}: {exc}); "
            "run `osce-assistant ingest --rebuild`"
        ) from exc
