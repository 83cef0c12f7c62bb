"""Server mode: a real `chroma run` on 127.0.0.1 gives the same index and answers as embedded mode.

Ingestion goes through `assistant.commands.build_ingestor` with `chroma_url` set and its own
data folder. Embedding both reports again would take minutes on two cores, so the ingestor gets
a ReplayEncoder: the vectors the real model made for exactly these texts in the embedded index
(the cold-ingest code path is unchanged; only the model call is replayed). Questions are embedded
by the real model. Also: the server going down mid-conversation, and coming back.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MODEL, REPORTS
from helpers_chroma import ChromaServer, ReplayEncoder

from assistant.commands import build_ingestor
from assistant.service import Assistant, build_assistant
from assistant.settings import Settings
from assistant.types import Turn
from index.catalog import load_catalog
from index.errors import StoreUnavailableError
from index.ingest import Ingestor
from index.store import ChunkStore, connect

pytestmark = pytest.mark.slow

QUESTIONS = [
    "what did the mission to serbia do on public order and crisis mgmt in 2019?",
    "how many investigators got the undercover narcotics investigation training in kosovo?",
    "into which languages was the odihr handbook on policing assemblies translated",
    "how many staff work in the albania presence's security co-operation department",
    "sample size of the montenegro police public perception survey?",
    "how many election observers did odihr deploy in 2019?",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """A real Chroma server with its own data folder on a free loopback port."""
    folder = tmp_path_factory.mktemp("chroma-server")
    chroma = ChromaServer(folder / "db", log=folder / "chroma.log").start()
    yield chroma
    chroma.stop()


@pytest.fixture(scope="module")
def server_settings(
    server: ChromaServer,
    corpus_settings: Settings,
    embedder: object,
    tmp_path_factory: pytest.TempPathFactory,
) -> Settings:
    """Both real reports ingested into the server through build_ingestor (vectors replayed)."""
    data_dir = tmp_path_factory.mktemp("server-data")
    settings = corpus_settings.model_copy(update={"data_dir": data_dir, "chroma_url": server.url})
    wired = build_ingestor(settings)
    assert wired.store.where == server.url, "chroma_url must switch the store to the server"
    replay = ReplayEncoder(load_catalog(corpus_settings.data_dir), MODEL, embedder)
    summary = Ingestor(wired.store, wired.data_dir, lambda: replay).run([REPORTS], MODEL)
    assert not summary.failed, summary.failed
    assert replay.replayed > 0, "a cold ingest must ask for vectors (replayed here)"
    assert not (data_dir / "chroma").exists(), "server mode must not write an embedded store"
    return settings


@pytest.fixture(scope="module")
def server_assistant(server_settings: Settings) -> Assistant:
    """The assistant built by the one composition root, pointed at the server."""
    return build_assistant(server_settings)


def test_same_chunk_count_as_embedded(server_settings: Settings, corpus_settings: Settings) -> None:
    """The server holds exactly the chunks the embedded store holds."""
    data = corpus_settings.data_dir
    embedded = ChunkStore(connect(data), corpus_settings.collection, str(data))
    remote = build_ingestor(server_settings).store
    assert remote.count() == embedded.count() == len(load_catalog(data).chunks)
    assert set(remote.stored_ids().keys()) == set(embedded.stored_ids().keys())
    remote_ids = {c for ids in remote.stored_ids().values() for c in ids}
    embedded_ids = {c for ids in embedded.stored_ids().values() for c in ids}
    assert remote_ids == embedded_ids, "same content-hash chunk ids in both modes"


@pytest.mark.parametrize("question", QUESTIONS)
def test_same_answers_as_embedded(
    server_assistant: Assistant, corpus_assistant: Assistant, question: str
) -> None:
    """Same cited sections and the same answer text in server and embedded mode."""
    here, there = corpus_assistant.answer(question), server_assistant.answer(question)
    assert [(c.document, c.section) for c in there.citations] == [
        (c.document, c.section) for c in here.citations
    ], "server mode must cite the same sections"
    assert there.text == here.text
    assert there.abstained == here.abstained


def _cli(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "OSCE_ASSISTANT_DATA_DIR": str(settings.data_dir),
        "OSCE_ASSISTANT_CHROMA_URL": settings.chroma_url,
        "HF_HUB_OFFLINE": "1",
    }
    cli = Path(sys.executable).parent / "osce-assistant"
    return subprocess.run([str(cli), *args], env=env, capture_output=True, text=True, timeout=180)


def test_server_down_mid_conversation_then_back(
    server: ChromaServer, server_settings: Settings, server_assistant: Assistant
) -> None:
    """Down: one-line index error naming the URL (and CLI exit 1). Back: the next question works."""
    first = "tell me about spmu's gender based violence project in eastern europe"
    follow = "how many people did the campaign reach?"
    opening = server_assistant.answer(first)
    history = [Turn(first, opening.text)]
    expected = server_assistant.answer(follow, history)
    assert expected.citations, "the follow-up must be answerable while the server is up"
    server.stop()
    try:
        with pytest.raises(StoreUnavailableError) as down:
            server_assistant.answer(follow, history)
        message = str(down.value)
        assert server.url in message, f"the error must name the server: {message}"
        assert "\n" not in message, f"the error must be one line: {message!r}"
        result = _cli(server_settings, "ask", follow)
        assert result.returncode == 1, result.stderr
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
        assert lines[0].startswith("error: ") and server.url in lines[0], lines[0]
    finally:
        server.start()  # same folder, same port
    again = server_assistant.answer(follow, history)
    assert [c.section for c in again.citations] == [c.section for c in expected.citations]
    assert again.text == expected.text, "after the restart the same index answers the same"


def test_same_eval_figures_as_embedded(
    server_assistant: Assistant,
    corpus_assistant: Assistant,
    server_settings: Settings,
    corpus_settings: Settings,
    tmp_path: Path,
) -> None:
    """The whole eval set scores the same against the server as against the embedded store."""
    import json

    from assistant.cli import build_parser
    from eval.runner import run_command

    figures = []
    for name, settings, assistant in [
        ("embedded", corpus_settings, corpus_assistant),
        ("server", server_settings, server_assistant),
    ]:
        out = tmp_path / name
        args = build_parser().parse_args(["eval", "--no-gate", "--out", str(out)])
        assert run_command(args, settings, build=lambda _s, a=assistant: a) == 0
        summary = json.loads(next(out.iterdir()).joinpath("summary.json").read_text())
        figures.append(summary["overall"])
    keys = [k for k in figures[0] if not k.startswith(("latency", "ms", "p50", "p95"))]
    assert {k: figures[0][k] for k in keys} == {k: figures[1][k] for k in keys}, (
        "server mode must give the same eval figures as embedded mode"
    )
