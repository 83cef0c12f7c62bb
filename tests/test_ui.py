"""The web app, launched for real over the real corpus index and driven with gradio_client."""

from __future__ import annotations

import os
import re
import socket
from collections.abc import Iterator

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"  # gradio_client looks up the hub unless told not to
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

from gradio_client import Client
from gradio_client.exceptions import AppError

from assistant.types import Answer, Citation
from ui.app import build_app, launch, serve
from ui.present import history_turns, passage_html, section_span
from ui.startup import host_problem, index_staleness, is_loopback

SKOPJE = "What did the Mission to Skopje do on gender mainstreaming?"
POLICE, ODIHR = "osce-police-related-activities-2019", "odihr-annual-report-2019-part-2"


def free_port() -> int:
    """A port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(corpus_assistant, corpus_settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The real app on a free loopback port, closed after the module."""
    update = {"ui_host": "127.0.0.1", "ui_port": free_port(), "max_question_chars": 500}
    settings = corpus_settings.model_copy(update=update)
    demo = build_app(corpus_assistant, settings)
    url = launch(demo, settings)
    yield url
    demo.close()


def ask(client: Client, question: str, documents: list[str] | None = None) -> tuple[str, ...]:
    """(chat text, sources HTML, Markdown) for one question in the client's conversation."""
    return tuple(client.predict(question, documents or [], [], api_name="/chat"))


def cited(sources: str, what: str) -> list[str]:
    """The sections ('section') or documents ('doc') the sources panel lists, in order."""
    found = re.findall(rf'<span class="source-{what}">([^<]*)</span>', sources)
    return [f.split(" · ")[0].replace("&gt;", ">") for f in found]


def test_question_returns_cited_answer_and_sources(app_url: str) -> None:
    text, sources, markdown = ask(Client(app_url, verbose=False), SKOPJE)
    assert "[1]" in text, "every claim must carry a visible numbered citation"
    sections = cited(sources, "section")
    assert sections and all(s.startswith("4.6 Mission to Skopje") for s in sections), sections
    assert 'id="source-1"' in sources, "the panel must list source [1] for the answer's [1]"
    assert sources.count("<mark>") == len(sections), "each source shows its quote highlighted"
    assert "**Sources**" in markdown and "1. *" in markdown, "the download holds the sources"


def test_follow_up_uses_this_conversation_only(app_url: str) -> None:
    alice, bob = Client(app_url, verbose=False), Client(app_url, verbose=False)
    # a topic both missions report under, so the follow-up has a like-for-like section
    ask(alice, "What did the Mission to Skopje do on cybercrime?")
    text, sources, _ = ask(alice, "And in Serbia?")
    sections = cited(sources, "section")
    assert sections and all(s.startswith("4.5 Mission to Serbia") for s in sections), sections
    assert "Understood as" in text, "the follow-up must be rewritten from the history"
    bob_text, _, _ = ask(bob, "And in Serbia?")
    assert "Understood as" not in bob_text, "another user's conversation must not leak in"


def test_filter_narrows_the_sources(app_url: str) -> None:
    client = Client(app_url, verbose=False)
    _, everywhere, _ = ask(client, SKOPJE)
    _, narrowed, _ = ask(Client(app_url, verbose=False), SKOPJE, documents=[ODIHR])
    assert set(cited(everywhere, "doc")) == {POLICE}, "unfiltered, Skopje lives in one report"
    assert cited(narrowed, "doc") and set(cited(narrowed, "doc")) == {ODIHR}, (
        "a document filter must keep every source inside that document"
    )


@pytest.mark.parametrize(
    ("message", "says"), [("", "question is empty"), ("x" * 600, "the limit is 500")]
)
def test_bad_message_gives_a_clear_error(app_url: str, message: str, says: str) -> None:
    with pytest.raises(AppError, match=says):
        ask(Client(app_url, verbose=False), message)


def test_non_loopback_host_needs_credentials(corpus_settings, capsys) -> None:  # type: ignore[no-untyped-def]
    open_host = corpus_settings.model_copy(update={"ui_host": "0.0.0.0", "ui_port": free_port()})
    assert serve(open_host) == 2, "binding every interface without a login must be refused"
    err = capsys.readouterr().err.strip()
    assert err.startswith("error:") and "\n" not in err and "UI_PASSWORD" in err, err
    with_login = open_host.model_copy(update={"ui_username": "u", "ui_password": "p"})
    assert host_problem(with_login) is None, "with a login the address is allowed"
    assert is_loopback("::1") and is_loopback("localhost") and not is_loopback("10.0.0.5")


def test_index_staleness(corpus_settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    assert index_staleness(corpus_settings) is None, "an unchanged corpus needs no ingest"
    empty = corpus_settings.model_copy(update={"data_dir": tmp_path})
    assert "no index" in (index_staleness(empty) or ""), "a missing index must be built"


def test_history_turns_drop_a_failed_question() -> None:
    history = [
        {"role": "user", "content": [{"type": "text", "text": "x" * 5000}]},  # raised gr.Error
        {"role": "user", "content": "Q1"},
        {"role": "assistant", "content": [{"type": "text", "text": "A1 [1]"}]},
    ]
    turns = history_turns(history)
    assert [(t.question, t.answer) for t in turns] == [("Q1", "A1 [1]")]


def test_passage_highlights_the_quote_in_its_section() -> None:
    source = "# Head\n\nBefore <b>x</b>.\nThe quote & more.\nAfter.\n\nOther section."
    citation = Citation(1, "d", "Head", "The quote & more.", (4, 4))
    sections = [{"document": "d", "path": "Head", "lines": [1, 3, 4, 5]}]
    span = section_span(sections, citation)
    assert span == (1, 5)
    out = passage_html(source, span, citation)
    assert "<mark>The quote &amp; more.</mark>" in out, "the quote is highlighted and escaped"
    assert "<b>x</b>" in out and "Other section" not in out, "context stays inside the section"


def test_refusal_is_set_apart(corpus_assistant) -> None:  # type: ignore[no-untyped-def]
    from ui.present import chat_text

    answer = corpus_assistant.answer("skopje mission budget in 2017?")
    refusal = Answer("q", "q", "The reports do not say.", (), (), abstained=True)
    assert 'class="refusal"' in chat_text(refusal), "a refusal must look unlike an answer"
    assert answer.abstained == ('class="refusal"' in chat_text(answer))
