"""The Chroma side: chunks with their vectors and metadata, embedded or on a server.

We always pass vectors. A guard embedding function is registered on the collection so that
any call that would let Chroma embed text itself (and try to download a model) fails loudly.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from index.errors import IndexMismatchError, IndexMissingError, StoreUnavailableError
from index.types import Chunk

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings
from chromadb.config import Settings as ChromaSettings
from chromadb.utils.embedding_functions import register_embedding_function

REBUILD_HINT = "run `osce-assistant ingest --rebuild`"


@register_embedding_function
class RefuseToEmbed(EmbeddingFunction[Documents]):
    """Raises if Chroma is ever asked to embed text itself: we always pass vectors."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        raise RuntimeError("Chroma was asked to embed text; pass embeddings= explicitly")

    @staticmethod
    def name() -> str:
        return "osce-refuse-to-embed"

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> RefuseToEmbed:
        return RefuseToEmbed()


def connect(data_dir: Path, chroma_url: str = "") -> Any:
    """A Chroma client: a server when a URL is given, else an on-disk store under data_dir."""
    settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if chroma_url:
            parsed = urlparse(chroma_url)
            return chromadb.HttpClient(
                host=parsed.hostname or "127.0.0.1",
                port=parsed.port or 8000,
                ssl=parsed.scheme == "https",
                settings=settings,
            )
        path = Path(data_dir) / "chroma"
        path.mkdir(parents=True, exist_ok=True)
        return chromadb.PersistentClient(path=str(path), settings=settings)
    except Exception as exc:  # chromadb raises many kinds; all mean "unreachable"
        where = chroma_url or str(Path(data_dir) / "chroma")
        raise StoreUnavailableError(f"cannot open the Chroma store at {where}: {exc}") from exc


def _metadata(chunk: Chunk, source_hash: str) -> dict[str, str | int]:
    return {
        "document": chunk.document,
        "section": chunk.section,
        "unit": chunk.unit,
        "theme": chunk.theme,
        "category": chunk.category,
        "kind": chunk.kind,
        "line_start": chunk.span[0],
        "line_end": chunk.span[1],
        "source_hash": source_hash,
    }


SEARCH_EF = 2000  # HNSW candidate list at query time (Chroma's default is 100)


class ChunkStore:
    """One Chroma collection of chunks; the fingerprint of what made its vectors in metadata."""

    def __init__(self, client: Any, name: str, where: str) -> None:
        self.client, self.name, self.where = client, name, where

    def _guarded(self, call: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return call(*args, **kwargs)
        except (IndexMissingError, IndexMismatchError):
            raise
        except Exception as exc:
            raise StoreUnavailableError(f"Chroma store at {self.where}: {exc}") from exc

    def collection(self, create: bool = False, fingerprint: str = "") -> Any:
        """The collection; created with the fingerprint when asked, else it must exist."""
        if create:
            return self._guarded(
                self.client.get_or_create_collection,
                self.name,
                embedding_function=RefuseToEmbed(),
                metadata={"fingerprint": fingerprint, "hnsw:space": "cosine"},
                # a search list longer than a report collection makes the neighbours exact,
                # so an embedded store and a server (whose graphs differ) find the same ones
                configuration={"hnsw": {"space": "cosine", "ef_search": SEARCH_EF}},
            )
        names = {getattr(c, "name", c) for c in self._guarded(self.client.list_collections)}
        if self.name not in names:
            raise IndexMissingError(f"no index in {self.where}; run `osce-assistant ingest`")
        return self._guarded(
            self.client.get_collection, self.name, embedding_function=RefuseToEmbed()
        )

    def fingerprint(self) -> str:
        """The fingerprint stored with the collection ('' when none)."""
        return str((self.collection().metadata or {}).get("fingerprint", ""))

    def check(self, fingerprint: str) -> None:
        """Raise a clear error when the index was built by another model or parser."""
        stored = self.fingerprint()
        if stored != fingerprint:
            raise IndexMismatchError(
                f"the index in {self.where} was built with other settings "
                f"(fingerprint {stored or 'none'}, expected {fingerprint}); {REBUILD_HINT}"
            )

    def reset(self) -> None:
        """Drop the collection (for --rebuild)."""
        names = {getattr(c, "name", c) for c in self._guarded(self.client.list_collections)}
        if self.name in names:
            self._guarded(self.client.delete_collection, self.name)

    def stored_ids(self) -> dict[str, dict[str, str]]:
        """document -> {chunk id: source hash} for everything in the collection."""
        got = self._guarded(self.collection(create=False).get, include=["metadatas"])
        out: dict[str, dict[str, str]] = {}
        for cid, meta in zip(got["ids"], got["metadatas"], strict=True):
            out.setdefault(str(meta["document"]), {})[cid] = str(meta.get("source_hash", ""))
        return out

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray, source_hash: str) -> None:
        """Upsert chunks with their vectors (ids are content hashes, so this is idempotent)."""
        if not chunks:
            return
        col = self.collection()
        for start in range(0, len(chunks), 256):
            part = chunks[start : start + 256]
            self._guarded(
                col.upsert,
                ids=[c.id for c in part],
                embeddings=vectors[start : start + 256].tolist(),
                documents=[c.text for c in part],
                metadatas=[_metadata(c, source_hash) for c in part],
            )

    def delete(self, ids: Iterable[str]) -> None:
        """Remove chunks by id."""
        ids = list(ids)
        for start in range(0, len(ids), 256):
            self._guarded(self.collection().delete, ids=ids[start : start + 256])

    def query(
        self, vector: np.ndarray, n: int, where: dict[str, Any] | None = None
    ) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity) pairs, best first."""
        col = self.collection()
        got = self._guarded(
            col.query,
            query_embeddings=[vector.tolist()],
            n_results=n,
            where=where or None,
            include=["distances"],
        )
        return [
            (i, 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0], strict=True)
        ]

    def count(self) -> int:
        """How many chunks the collection holds."""
        return int(self._guarded(self.collection().count))
