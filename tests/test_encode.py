"""The numpy question encoder against the real sentence-transformers model it stands in for."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
from conftest import MODEL, REPORTS

from index.embed import load_query_encoder, resolve_model_path
from index.encode import BertEncoder, supports, whole_words


def test_question_vectors_match_the_sentence_transformers_model(embedder) -> None:  # type: ignore[no-untyped-def]
    long_passage = (REPORTS / "osce-police-related-activities-2019.md").read_text()[50000:56000]
    texts = [
        "What did the Mission to Skopje do on gender mainstreaming?",
        "and in Serbia?",
        "Nur-Sultan — “quotes”, Ünïcödé and 2,403,663 people",
        "",
        long_passage,  # far past the model's 256 word pieces: both must truncate alike
    ]
    encoder = load_query_encoder(MODEL)
    assert isinstance(encoder, BertEncoder), "the bundled BERT model should load without torch"
    ours = encoder.embed(texts)
    theirs = embedder.embed(texts)
    cosines = (ours * theirs).sum(axis=1)
    assert cosines.min() > 0.9999, (
        f"question vectors must match the ingested passages' model, got cosines {cosines}"
    )
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5), "vectors are unit length"
    assert np.allclose(encoder.embed_query(texts[0]), ours[0]), "one question, one vector"
    assert encoder.embed([]).shape == (0, encoder.dim)


def test_a_model_folder_of_another_layout_is_left_to_sentence_transformers(tmp_path: Path) -> None:
    source = resolve_model_path(MODEL)
    folder = tmp_path / "model"
    shutil.copytree(source, folder)
    assert supports(folder)
    pooling = folder / "1_Pooling" / "config.json"
    config = json.loads(pooling.read_text())
    pooling.write_text(json.dumps({**config, "pooling_mode_cls_token": True}))
    assert not supports(folder), "CLS pooling is not what the numpy encoder computes"
    pooling.write_text(json.dumps(config))
    bert = json.loads((folder / "config.json").read_text())
    (folder / "config.json").write_text(json.dumps({**bert, "model_type": "roberta"}))
    assert not supports(folder), "only BERT's arithmetic is implemented"
    assert not supports(tmp_path / "missing"), "a missing folder is not a supported model"


def test_the_assistant_answers_with_the_numpy_encoder(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    assert isinstance(corpus_assistant.retriever.encoder, BertEncoder), (
        "answering should not pay sentence-transformers' import for one vector per question"
    )


def test_the_models_whole_words_are_its_vocabularys_words(embedder) -> None:  # type: ignore[no-untyped-def]
    assert whole_words(["proportion", "##ance", "[CLS]", "of", "2019"]) == {"proportion"}
    words = load_query_encoder(MODEL).words()
    assert {"proportion", "compare", "actually"} <= words
    assert "violance" not in words and "##ing" not in words
    assert embedder.words() == words, "both encoders read the same vocabulary"
