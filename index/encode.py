"""A question encoder in plain numpy for BERT-family sentence models (mean pooling, normalised).

Answering needs one short vector per question, and importing torch, transformers and
sentence-transformers for it costs most of a process's start (about 13 s of 16 on 2 cores).
This reads the same weights, tokenizer and pooling settings the model folder gives
sentence-transformers and runs the same arithmetic, so its vectors match those of ingestion
(cosine above 0.9999). It does not train, batch-pad or cover other architectures: `supports`
says when a folder is outside it, and the caller then loads sentence-transformers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

# Abramowitz & Stegun 7.1.26: erf to 1.5e-7, below float32's resolution near 1
_ERF_P = 0.3275911
_ERF_A = (0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429)


def _erf(x: np.ndarray) -> np.ndarray:
    """Elementwise error function. Example: _erf(np.array([0.0, 3.0])) -> [0.0, 0.99998]"""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + _ERF_P * a)
    poly = t * (_ERF_A[0] + t * (_ERF_A[1] + t * (_ERF_A[2] + t * (_ERF_A[3] + t * _ERF_A[4]))))
    return sign * (1.0 - poly * np.exp(-a * a))


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x)."""
    return 0.5 * x * (1.0 + _erf(x * (1.0 / math.sqrt(2.0))))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias  # eps: a Python float keeps float32


def _read(folder: Path, name: str) -> dict:
    path = folder / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def supports(folder: Path) -> bool:
    """Whether a sentence-transformers folder is a BERT encoder with mean pooling and
    normalisation, the one layout this module computes."""
    modules = [m.get("type", "") for m in _read(folder, "modules.json")] if folder.is_dir() else []
    kinds = [m.rsplit(".", 1)[-1] for m in modules]
    if kinds != ["Transformer", "Pooling", "Normalize"]:
        return False
    pooling_dir = _read(folder, "modules.json")[1].get("path", "1_Pooling")
    pooling = _read(folder / pooling_dir, "config.json")
    config = _read(folder, "config.json")
    mean_only = pooling.get("pooling_mode_mean_tokens") and not any(
        v
        for k, v in pooling.items()
        if k.startswith("pooling_mode") and k != "pooling_mode_mean_tokens"
    )
    return bool(
        mean_only
        and config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and (folder / "model.safetensors").exists()
        and (folder / "tokenizer.json").exists()
    )


def whole_words(vocabulary: Iterable[str]) -> frozenset[str]:
    """The entries of a word-piece vocabulary that are words of three letters or more.

    Example: ["proportion", "##ance", "[CLS]", "of"] -> {"proportion"}
    """
    return frozenset(w for w in vocabulary if len(w) >= 3 and w.isalpha())


@dataclass(frozen=True)
class _Layer:
    qkv: np.ndarray  # (hidden, 3 * hidden): query, key and value projections side by side
    qkv_bias: np.ndarray
    out: np.ndarray
    out_bias: np.ndarray
    norm1: tuple[np.ndarray, np.ndarray]
    up: np.ndarray
    up_bias: np.ndarray
    down: np.ndarray
    down_bias: np.ndarray
    norm2: tuple[np.ndarray, np.ndarray]


class BertEncoder:
    """Unit-length float32 vectors from a BERT sentence-transformers folder, without torch."""

    def __init__(self, folder: Path, name: str = "") -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        config = _read(folder, "config.json")
        self.name = name or str(folder)
        self.max_tokens = int(
            _read(folder, "sentence_bert_config.json").get("max_seq_length")
            or config["max_position_embeddings"]
        )
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.no_padding()  # one text at a time: no padding to mask out
        self._tokenizer.enable_truncation(self.max_tokens)
        self._heads = int(config["num_attention_heads"])
        self._eps = float(config.get("layer_norm_eps", 1e-12))
        w = load_file(str(folder / "model.safetensors"))
        w = {k.removeprefix("bert."): v.astype(np.float32) for k, v in w.items()}
        self._words = w["embeddings.word_embeddings.weight"]
        self._positions = w["embeddings.position_embeddings.weight"]
        self._type0 = w["embeddings.token_type_embeddings.weight"][0]
        self._norm0 = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self._layers = [
            self._layer(w, f"encoder.layer.{i}.") for i in range(int(config["num_hidden_layers"]))
        ]
        self.dim = int(self._words.shape[1])

    @staticmethod
    def _layer(w: dict[str, np.ndarray], p: str) -> _Layer:
        att = p + "attention."
        parts = ("query", "key", "value")
        return _Layer(
            qkv=np.concatenate([w[f"{att}self.{n}.weight"].T for n in parts], axis=1),
            qkv_bias=np.concatenate([w[f"{att}self.{n}.bias"] for n in parts]),
            out=np.ascontiguousarray(w[att + "output.dense.weight"].T),
            out_bias=w[att + "output.dense.bias"],
            norm1=(w[att + "output.LayerNorm.weight"], w[att + "output.LayerNorm.bias"]),
            up=np.ascontiguousarray(w[p + "intermediate.dense.weight"].T),
            up_bias=w[p + "intermediate.dense.bias"],
            down=np.ascontiguousarray(w[p + "output.dense.weight"].T),
            down_bias=w[p + "output.dense.bias"],
            norm2=(w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
        )

    def _encode(self, text: str) -> np.ndarray:
        ids = self._tokenizer.encode(text).ids
        x = self._words[ids] + self._positions[: len(ids)] + self._type0
        x = _layer_norm(x, *self._norm0, self._eps)
        n, hidden = x.shape
        size = hidden // self._heads
        for layer in self._layers:
            q, k, v = np.split(x @ layer.qkv + layer.qkv_bias, 3, axis=1)
            q, k, v = (m.reshape(n, self._heads, size).transpose(1, 0, 2) for m in (q, k, v))
            scores = q @ k.transpose(0, 2, 1) * (1.0 / math.sqrt(size))
            scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
            scores /= scores.sum(axis=-1, keepdims=True)
            context = (scores @ v).transpose(1, 0, 2).reshape(n, hidden)
            x = _layer_norm(x + context @ layer.out + layer.out_bias, *layer.norm1, self._eps)
            inner = _gelu(x @ layer.up + layer.up_bias)
            x = _layer_norm(x + inner @ layer.down + layer.down_bias, *layer.norm2, self._eps)
        pooled = x.mean(axis=0)  # every token is real: nothing was padded
        return (pooled / max(float(np.linalg.norm(pooled)), 1e-12)).astype(np.float32)

    def embed(self, texts: list[str]) -> np.ndarray:
        """Vectors for texts, one row per text."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._encode(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        """The vector of one question."""
        return self._encode(text)

    def words(self) -> frozenset[str]:
        """The whole words of the model's vocabulary (English words it knows as such)."""
        return whole_words(self._tokenizer.get_vocab())
